"""Shape functions of keras/src/ops/nn.py: activations, softmax, convolutions and pooling
on explicit kernels, one-hot encodings, moments and normalisations.

``data_format=None`` is resolved when the op is applied, from the image data
format of the file at that point, as ``standardize_data_format`` does in Keras.
Spatial sizes follow operation_utils.py ``compute_conv_output_shape`` /
``compute_pooling_output_shape`` and backend_utils.py
``compute_conv_transpose_output_shape``; a symbolic size stays a formula
(``(H-3)//2+1``), which is ``None`` to Keras as the symbol is.
"""

from __future__ import annotations

from typing import Any

from padlint.layers.base import Unresolved
from padlint.ops.base import (
    Multi,
    OpError,
    Tensor,
    canonicalize_axes,
    equals,
    is_known,
    reduce_shape,
    shape_or_scalar,
    static,
    static_int,
)
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import op
from padlint.symbolic import Dim, add, floordiv, mul, sub

#: Shape-preserving activations: function name -> (Operation class, extra parameters).
ACTIVATIONS: dict[str, tuple[str, str]] = {
    "relu": ("Relu", ""),
    "relu6": ("Relu6", ""),
    "sigmoid": ("Sigmoid", ""),
    "sparse_sigmoid": ("SparseSigmoid", ""),
    "softplus": ("Softplus", ""),
    "softsign": ("Softsign", ""),
    "soft_shrink": ("SoftShrink", "threshold=0.5"),
    "sparse_plus": ("SparsePlus", ""),
    "silu": ("Silu", ""),
    "swish": ("Silu", ""),
    "squareplus": ("Squareplus", "b=4"),
    "log_sigmoid": ("LogSigmoid", ""),
    "leaky_relu": ("LeakyRelu", "negative_slope=0.2"),
    "hard_sigmoid": ("HardSigmoid", ""),
    "hard_silu": ("HardSilu", ""),
    "hard_swish": ("HardSilu", ""),
    "elu": ("Elu", "alpha=1.0"),
    "selu": ("Selu", ""),
    "gelu": ("Gelu", "approximate=True"),
    "celu": ("Celu", "alpha=1.0"),
    "tanh_shrink": ("TanhShrink", ""),
    "hard_tanh": ("HardTanh", ""),
    "hard_shrink": ("HardShrink", "threshold=0.5"),
    "threshold": ("Threshold", "threshold, default_value"),
}


def _activation(x: Tensor, **_: Any) -> tuple:
    return tensor_shape(x)


for _name, (_class, _extra) in ACTIVATIONS.items():
    op("nn", _name, _class, "x" + (", " + _extra if _extra else ""))(_activation)


def _axis_checked(x: Tensor, axis: Any) -> tuple:
    """``canonicalize_axes(axis, len(x.shape))`` when an axis is given; the shape is kept."""
    shape = tensor_shape(x)
    axis = static(axis, "axis")
    if axis is not None:
        canonicalize_axes(axis, len(shape))
    return shape


@op("nn", "softmax", "Softmax", "x, axis=-1")
def softmax(x: Tensor, axis: Any = -1) -> tuple:
    return _axis_checked(x, axis)


@op("nn", "log_softmax", "LogSoftmax", "x, axis=-1")
def log_softmax(x: Tensor, axis: Any = -1) -> tuple:
    return _axis_checked(x, axis)


@op("nn", "sparsemax", "Sparsemax", "x, axis=-1")
def sparsemax(x: Tensor, axis: Any = -1) -> tuple:
    return tensor_shape(x)


@op("nn", "normalize", "Normalize", "x, axis=-1, order=2, epsilon=None")
def normalize(x: Tensor, axis: Any = -1, order: Any = 2, epsilon: Any = None) -> tuple:
    return _axis_checked(x, axis)


@op("nn", "glu", "Glu", "x, axis=-1")
def glu(x: Tensor, axis: Any = -1) -> tuple:
    shape = list(tensor_shape(x))
    axis = static_int(axis, "axis")
    if not -len(shape) <= axis < len(shape):
        raise OpError(f"list index out of range (axis={axis})")
    size = shape[axis]
    if size is None:
        return tuple(shape)
    if is_known(size) and size % 2 != 0:
        raise OpError(f"axis size must be divisible by 2. Received: x.shape={tuple(shape)} with axis={axis}")
    half = floordiv(size, 2)
    if not is_known(size) and not equals(mul(half, 2), size):
        raise Unresolved("whether the size is even")
    shape[axis] = half
    return tuple(shape)


@op("nn", "one_hot", "OneHot", "x, num_classes, axis=-1, dtype=None, sparse=False")
def one_hot(x: Any, num_classes: Any, axis: Any = -1, dtype: Any = None, sparse: Any = False) -> tuple:
    shape = list(shape_or_scalar(x))
    axis = static_int(axis, "axis")
    classes = static(num_classes, "num_classes")
    if axis == -1:
        shape.append(classes)
    elif 0 <= axis < len(shape):
        shape.insert(axis, classes)
    else:
        raise OpError(f"axis must be -1 or between [0, {len(shape)}), but received {axis}.")
    return tuple(shape)


@op("nn", "multi_hot", "MultiHot", "inputs, num_classes=None, axis=-1, dtype=None, sparse=False")
def multi_hot(inputs: Any, num_classes: Any = None, axis: Any = -1, dtype: Any = None, sparse: Any = False) -> tuple:
    if num_classes is None:
        raise OpError("Argument `num_classes` must be specified.")
    shape = list(one_hot(inputs, num_classes, axis))
    return (shape[-1],) if len(shape) == 2 else (shape[0], *shape[2:])


def _moments_outputs(arguments: dict) -> tuple[str, int]:
    return ("tuple", 2)


@op("nn", "moments", "Moments", "x, axes, keepdims=False, synchronized=False", outputs=_moments_outputs)
def moments(x: Tensor, axes: Any, keepdims: Any = False, synchronized: Any = False) -> Multi:
    shape = reduce_shape(tensor_shape(x), axis=axes, keepdims=keepdims)
    return Multi((shape, shape))


@op("nn", "batch_normalization", "BatchNorm", "x, mean, variance, axis, offset=None, scale=None, epsilon=0.001")
def batch_normalization(x: Tensor, mean: Any, variance: Any, axis: Any, offset: Any = None, scale: Any = None, epsilon: Any = 0.001) -> tuple:
    """``BatchNorm.compute_output_spec``: every statistic a vector of length ``x.shape[axis]``."""
    shape = tensor_shape(x)
    axis = static_int(axis, "axis")
    if not -len(shape) <= axis < len(shape):
        raise OpError(f"tuple index out of range (axis={axis})")
    expected = (shape[axis],)
    statistics = [("mean", mean), ("variance", variance)] + ([("offset", offset)] if offset is not None else []) + ([("scale", scale)] if offset is not scale else [])
    for name, value in statistics:
        given = tensor_shape(value)
        if len(given) != 1 or not equals(given[0], expected[0]):
            raise OpError(f"Arguments `{name}` must be a vector of length `x.shape[axis]`. Expected: `{expected}`. Received: `{given}.")
    return shape


# ------------------------------------------------------------------ windows


def _per_axis(value: Any, count: int, what: str) -> tuple[int, ...]:
    """An int for every spatial axis, or one per axis."""
    value = static(value, what)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * count
    if isinstance(value, (tuple, list)) and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        if len(value) != count:
            raise OpError(f"`{what}` must be None, scalar or tuple/list of length of inputs' spatial shape. Received {what}={value}")
        return tuple(value)
    raise Unresolved(f"{what} padlint does not model")


def _padding(padding: Any, allowed: tuple[str, ...]) -> str:
    padding = static(padding, "padding")
    if not isinstance(padding, str):
        raise OpError(f"`padding` must be a string. Received {padding!r}")
    padding = padding.lower()
    if padding not in allowed:
        raise OpError(f"`padding` must be either `'valid'` or `'same'`. Received {padding}.")
    return padding


def _spatial(shape: tuple, data_format: str) -> tuple[list, int]:
    """The spatial sizes of an input and the index of its first spatial axis."""
    if data_format == "channels_last":
        return list(shape[1:-1]), 1
    return list(shape[2:]), 2


def window_output(size: Dim, span: int, stride: int, padding: str) -> Dim:
    """``floor((n - span) / s) + 1`` ('valid') or ``floor((n - 1) / s) + 1`` ('same', 'causal');
    None for an unknown size, an error for a known result <= 0 ('valid')."""
    if stride <= 0:
        raise OpError(f"strides must be positive. Received strides={stride}")
    if size is None:
        return None
    if padding == "valid":
        output = add(floordiv(sub(size, span), stride), 1)
        if is_known(output) and output <= 0:
            raise OpError(f"Computed output size would be zero or negative: {size} with a window of {span} and stride {stride}.")
        return output
    return add(floordiv(sub(size, 1), stride), 1)


def conv_output_shape(shape: tuple, filters: Dim, kernel: tuple, strides: Any, padding: str, data_format: str, dilation_rate: Any) -> tuple:
    """operation_utils.py ``compute_conv_output_shape``."""
    if len(kernel) + 2 != len(shape):
        raise OpError(f"Kernel shape must have the same length as input, but received kernel of spatial shape {kernel} and input of shape {shape}.")
    spatial, first = _spatial(shape, data_format)
    dilations = _per_axis(dilation_rate, len(spatial), "dilation_rate")
    steps = _per_axis(strides, len(spatial), "strides")
    sizes = []
    for size, k, stride, dilation in zip(spatial, kernel, steps, dilations):
        k = static_int(k, "kernel size")
        sizes.append(window_output(size, dilation * (k - 1) + 1, stride, padding))
    if data_format == "channels_last":
        return (shape[0], *sizes, filters)
    return (shape[0], filters, *sizes)


def _check_channels(shape: tuple, kernel_channels: Dim, data_format: str) -> None:
    """backend_utils.py ``check_conv_input_channels`` (only on concrete ints)."""
    channels = shape[-1] if data_format == "channels_last" else shape[1]
    if is_known(channels) and is_known(kernel_channels) and channels != kernel_channels:
        raise OpError(f"The number of input channels must match the kernel's input channels. Received: input channels={channels}, kernel input channels={kernel_channels}, data_format='{data_format}'.")


@op("nn", "conv", "Conv", "inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1")
def conv(inputs: Tensor, kernel: Tensor, strides: Any = 1, padding: Any = "valid", data_format: Any = None, dilation_rate: Any = 1) -> tuple:
    shape, kernel_shape = tensor_shape(inputs), tensor_shape(kernel)
    data_format = static(data_format, "data_format")
    _check_channels(shape, kernel_shape[-2], data_format)
    return conv_output_shape(shape, kernel_shape[-1], kernel_shape[:-2], strides, _padding(padding, ("valid", "same", "causal")), data_format, dilation_rate)


@op("nn", "depthwise_conv", "DepthwiseConv", "inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1")
def depthwise_conv(inputs: Tensor, kernel: Tensor, strides: Any = 1, padding: Any = "valid", data_format: Any = None, dilation_rate: Any = 1) -> tuple:
    shape, kernel_shape = tensor_shape(inputs), tensor_shape(kernel)
    data_format = static(data_format, "data_format")
    _check_channels(shape, kernel_shape[-2], data_format)
    filters = mul(kernel_shape[-1], kernel_shape[-2])
    return conv_output_shape(shape, filters, kernel_shape[:-2], strides, _padding(padding, ("valid", "same", "causal")), data_format, dilation_rate)


@op("nn", "separable_conv", "SeparableConv", "inputs, depthwise_kernel, pointwise_kernel, strides=1, padding='valid', data_format=None, dilation_rate=1")
def separable_conv(inputs: Tensor, depthwise_kernel: Tensor, pointwise_kernel: Tensor, strides: Any = 1, padding: Any = "valid", data_format: Any = None, dilation_rate: Any = 1) -> tuple:
    output = list(depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate))
    output[-1 if data_format == "channels_last" else 1] = tensor_shape(pointwise_kernel)[-1]
    return tuple(output)


@op("nn", "conv_transpose", "ConvTranspose", "inputs, kernel, strides=1, padding='valid', output_padding=None, data_format=None, dilation_rate=1")
def conv_transpose(inputs: Tensor, kernel: Tensor, strides: Any = 1, padding: Any = "valid", output_padding: Any = None, data_format: Any = None, dilation_rate: Any = 1) -> tuple:
    """backend_utils.py ``compute_conv_transpose_output_shape``."""
    shape, kernel_shape = tensor_shape(inputs), tensor_shape(kernel)
    data_format = static(data_format, "data_format")
    channels = shape[-1] if data_format == "channels_last" else shape[1]
    if is_known(channels) and is_known(kernel_shape[-1]) and channels != kernel_shape[-1]:
        raise OpError(f"The number of input channels must match the kernel's input channels. Received: input channels={channels}, kernel input channels={kernel_shape[-1]}.")
    padding = _padding(padding, ("valid", "same"))
    spatial, _ = _spatial(shape, data_format)
    steps = _per_axis(strides, len(spatial), "strides")
    dilations = _per_axis(dilation_rate, len(spatial), "dilation_rate")
    paddings = (None,) * len(spatial) if output_padding is None else _per_axis(output_padding, len(spatial), "output_padding")
    sizes = []
    for size, k, stride, dilation, extra in zip(spatial, kernel_shape[:-2], steps, dilations, paddings):
        span = (static_int(k, "kernel size") - 1) * dilation + 1
        if size is None:
            sizes.append(None)
        elif padding == "valid":
            sizes.append(add(mul(sub(size, 1), stride), span + (max(span, stride) - span if extra is None else extra)))
        elif extra is None:
            sizes.append(mul(size, stride))
        else:
            sizes.append(add(mul(sub(size, 1), stride), span % 2 + extra))
    filters = kernel_shape[-2]
    return (shape[0], *sizes, filters) if data_format == "channels_last" else (shape[0], filters, *sizes)


def pooling_output_shape(shape: tuple, pool_size: Any, strides: Any, padding: Any, data_format: Any) -> tuple:
    """operation_utils.py ``compute_pooling_output_shape`` (an int pool size or stride
    applies to every spatial axis, as numpy broadcasts it)."""
    data_format = static(data_format, "data_format")
    padding = _padding(padding, ("valid", "same"))
    spatial, _ = _spatial(shape, data_format)
    pools = _per_axis(pool_size, len(spatial), "pool_size")
    steps = pools if static(strides, "strides") is None else _per_axis(strides, len(spatial), "strides")
    sizes = [window_output(size, pool, stride, padding) for size, pool, stride in zip(spatial, pools, steps)]
    if data_format == "channels_last":
        return (shape[0], *sizes, shape[-1])
    return (shape[0], shape[1], *sizes)


@op("nn", "max_pool", "MaxPool", "inputs, pool_size, strides=None, padding='valid', data_format=None")
def max_pool(inputs: Tensor, pool_size: Any, strides: Any = None, padding: Any = "valid", data_format: Any = None) -> tuple:
    return pooling_output_shape(tensor_shape(inputs), pool_size, strides, padding, data_format)


@op("nn", "average_pool", "AveragePool", "inputs, pool_size, strides=None, padding='valid', data_format=None")
def average_pool(inputs: Tensor, pool_size: Any, strides: Any = None, padding: Any = "valid", data_format: Any = None) -> tuple:
    return pooling_output_shape(tensor_shape(inputs), pool_size, strides, padding, data_format)
