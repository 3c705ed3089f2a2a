"""TensorFlow's tensor functions (``tf.reshape``, ``tf.concat``, ``tf.reduce_mean``,
``tf.image.extract_patches``, ...) with TensorFlow's own signatures and semantics.

Keras 3 does not wrap them in layers: on a KerasTensor they raise
(keras/src/backend/common/keras_tensor.py ``__tf_tensor__``), so in a
functional graph the evaluator makes an erroneous node of them. Inside a
custom layer's traced ``call()`` (or a traced ``Lambda``) they run on
TensorFlow tensors, whose static shapes are what Keras reports: that is what
these shape functions give. Where TensorFlow's argument order or defaults
differ from keras.ops (``tf.concat(values, axis)``, ``tf.split`` taking sizes,
``tf.gather`` on axis 0, ``tf.argmax`` on axis 0) the functions here say so;
otherwise they reuse the keras.ops shape functions, whose results TensorFlow's
shape inference agrees with.
"""

from __future__ import annotations

from typing import Any

from padlint.layers.base import Unresolved
from padlint.ops import image as image_ops
from padlint.ops import nn as nn_ops
from padlint.ops import numpy as np_ops
from padlint.ops.base import (
    Multi,
    OpError,
    Tensor,
    array_shape,
    broadcast_shapes,
    canonicalize_axis,
    equals,
    is_known,
    is_none,
    is_run_time,
    reduce_shape,
    shape_or_scalar,
    static,
    static_int,
)
from padlint.ops.core import unstack as unstack_shape
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import function_table, register_tensorflow
from padlint.symbolic import Dim, add, floordiv, mul, provably_equal, sub


#: ``@tf_op("reshape", "tensor, shape, name=None")`` registers ``tf.reshape``.
tf_op = function_table(register_tensorflow, "tf.", "tensorflow")


# ------------------------------------------------------------------ element-wise

#: One-tensor functions that keep the shape: the paths TensorFlow exports them under.
UNARY_PATHS = (
    "abs math.abs exp math.exp math.log sqrt math.sqrt square math.square math.rsqrt tanh math.tanh nn.tanh "
    "sigmoid math.sigmoid nn.sigmoid sin math.sin cos math.cos math.floor floor math.ceil math.round round sign math.sign "
    "negative math.negative math.reciprocal math.erf math.log1p math.logical_not logical_not "
    "math.is_nan math.is_inf math.is_finite"
)


@tf_op(UNARY_PATHS, "x, name=None")
def unary(x: Tensor, name: Any = None) -> tuple:
    return tensor_shape(x)


@tf_op("math.softplus nn.softplus math.softsign nn.softsign nn.relu nn.relu6 nn.elu nn.selu", "features, name=None")
def activation(features: Tensor, name: Any = None) -> tuple:
    return tensor_shape(features)


@tf_op("identity stop_gradient", "input, name=None")
def identity(input: Tensor, name: Any = None) -> tuple:
    return tensor_shape(input)


@tf_op("zeros_like ones_like", "input, dtype=None, name=None, layout=None")
def zeros_like(input: Any, dtype: Any = None, name: Any = None, layout: Any = None) -> tuple:
    return array_shape(input)


@tf_op("nn.gelu", "features, approximate=False, name=None")
def gelu(features: Tensor, approximate: Any = False, name: Any = None) -> tuple:
    return tensor_shape(features)


@tf_op("nn.leaky_relu", "features, alpha=0.2, name=None")
def leaky_relu(features: Tensor, alpha: Any = 0.2, name: Any = None) -> tuple:
    return tensor_shape(features)


@tf_op("nn.silu nn.swish", "features, beta=1.0")
def silu(features: Tensor, beta: Any = 1.0) -> tuple:
    return tensor_shape(features)


@tf_op("cast dtypes.cast", "x, dtype, name=None")
def cast(x: Tensor, dtype: Any, name: Any = None) -> tuple:
    return tensor_shape(x)


@tf_op("saturate_cast", "value, dtype, name=None")
def saturate_cast(value: Tensor, dtype: Any, name: Any = None) -> tuple:
    return tensor_shape(value)


@tf_op("clip_by_value", "t, clip_value_min, clip_value_max, name=None")
def clip_by_value(t: Tensor, clip_value_min: Any, clip_value_max: Any, name: Any = None) -> tuple:
    return tensor_shape(t)


#: Broadcasting functions of two tensors.
BINARY_PATHS = (
    "add math.add subtract math.subtract multiply math.multiply divide math.divide truediv math.truediv "
    "math.floordiv maximum math.maximum minimum math.minimum pow math.pow equal math.equal "
    "not_equal math.not_equal greater math.greater greater_equal math.greater_equal less math.less "
    "less_equal math.less_equal math.logical_and logical_and math.logical_or logical_or "
    "math.squared_difference math.divide_no_nan math.floormod"
)


@tf_op(BINARY_PATHS, "x, y, name=None")
def binary(x: Any, y: Any, name: Any = None) -> tuple:
    return broadcast_shapes(shape_or_scalar(x), shape_or_scalar(y))


@tf_op("where", "condition, x=None, y=None, name=None")
def where(condition: Any, x: Any = None, y: Any = None, name: Any = None) -> tuple:
    """``tf.where``: with ``x`` and ``y`` the broadcast of the three; alone, the
    coordinates of the true entries, ``(None, rank)``."""
    if x is None and y is None:
        return (None, len(shape_or_scalar(condition)))
    if x is None or y is None:
        raise OpError("x and y must both be non-None or both be None.")
    return broadcast_shapes(broadcast_shapes(shape_or_scalar(condition), shape_or_scalar(x)), shape_or_scalar(y))


# ------------------------------------------------------------------ reductions


@tf_op(
    "reduce_sum math.reduce_sum reduce_mean math.reduce_mean reduce_max math.reduce_max reduce_min math.reduce_min "
    "reduce_prod math.reduce_prod reduce_any math.reduce_any reduce_all math.reduce_all math.reduce_std "
    "math.reduce_variance reduce_logsumexp math.reduce_logsumexp math.reduce_euclidean_norm",
    "input_tensor, axis=None, keepdims=False, name=None",
)
def reduce(input_tensor: Tensor, axis: Any = None, keepdims: Any = False, name: Any = None) -> tuple:
    shape = tensor_shape(input_tensor)
    axis = static(axis, "axis")
    if isinstance(axis, (list, tuple)) and len(set(axis)) != len(axis):
        raise Unresolved("a reduction over a repeated axis")
    return reduce_shape(shape, axis=axis, keepdims=keepdims)


@tf_op("argmax math.argmax argmin math.argmin", "input, axis=None, output_type=None, name=None")
def argmax(input: Tensor, axis: Any = None, output_type: Any = None, name: Any = None) -> tuple:
    """``tf.argmax`` reduces axis 0 when no axis is given (keras.ops: the flattened tensor).
    An axis out of range is only checked when the graph runs: its static shape is not one
    padlint can state."""
    shape = tensor_shape(input)
    axis = 0 if axis is None else static_int(axis, "axis")
    if not -len(shape) <= axis < len(shape):
        raise Unresolved("tf.argmax over an axis out of range")
    return reduce_shape(shape, axis=axis)


def _pair(arguments: dict) -> tuple[str, int]:
    return ("tuple", 2)


@tf_op("nn.moments", "x, axes, shift=None, keepdims=False, name=None", outputs=_pair)
def moments(x: Tensor, axes: Any, shift: Any = None, keepdims: Any = False, name: Any = None) -> Multi:
    shape = reduce_shape(tensor_shape(x), axis=axes, keepdims=keepdims)
    return Multi((shape, shape))


@tf_op("math.top_k nn.top_k", "input, k=1, sorted=True, index_type=None, name=None", outputs=_pair)
def top_k(input: Tensor, k: Any = 1, sorted: Any = True, index_type: Any = None, name: Any = None) -> Multi:
    shape = list(tensor_shape(input))
    k = static_int(k, "k")
    if is_known(shape[-1]) and shape[-1] < k:
        raise OpError(f"input must have at least k columns. Had {shape[-1]}, needed {k}")
    shape[-1] = k
    return Multi((tuple(shape), tuple(shape)))


@tf_op("nn.softmax math.softmax nn.log_softmax math.log_softmax", "logits, axis=None, name=None")
def softmax(logits: Tensor, axis: Any = None, name: Any = None) -> tuple:
    shape = tensor_shape(logits)
    if static(axis, "axis") is not None:
        canonicalize_axis(axis, len(shape))
    return shape


@tf_op("math.l2_normalize linalg.l2_normalize nn.l2_normalize", "x, axis=None, epsilon=1e-12, name=None, dim=None")
def l2_normalize(x: Tensor, axis: Any = None, epsilon: Any = 1e-12, name: Any = None, dim: Any = None) -> tuple:
    return tensor_shape(x)


@tf_op("math.cumsum cumsum math.cumprod", "x, axis=0, exclusive=False, reverse=False, name=None")
def cumsum(x: Tensor, axis: Any = 0, exclusive: Any = False, reverse: Any = False, name: Any = None) -> tuple:
    shape = tensor_shape(x)
    canonicalize_axis(axis, len(shape))
    return shape


@tf_op("nn.dropout", "x, rate, noise_shape=None, seed=None, name=None")
def dropout(x: Tensor, rate: Any, noise_shape: Any = None, seed: Any = None, name: Any = None) -> tuple:
    return tensor_shape(x)


@tf_op("nn.bias_add", "value, bias, data_format=None, name=None")
def bias_add(value: Tensor, bias: Any, data_format: Any = None, name: Any = None) -> tuple:
    return tensor_shape(value)


# ------------------------------------------------------------------ reshaping


@tf_op("reshape", "tensor, shape, name=None")
def reshape(tensor: Tensor, shape: Any, name: Any = None) -> tuple:
    return np_ops.reshape(tensor, shape)


@tf_op("linalg.matrix_transpose", "a, name='matrix_transpose', conjugate=False")
def matrix_transpose(a: Tensor, name: Any = None, conjugate: Any = False) -> tuple:
    """The last two axes swapped."""
    shape = list(tensor_shape(a))
    if len(shape) < 2:
        raise OpError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {shape}")
    shape[-2], shape[-1] = shape[-1], shape[-2]
    return tuple(shape)


@tf_op("transpose", "a, perm=None, conjugate=False, name='transpose'")
def transpose(a: Tensor, perm: Any = None, conjugate: Any = False, name: Any = None) -> tuple:
    return np_ops.transpose(a, perm)


@tf_op("expand_dims", "input, axis, name=None")
def expand_dims(input: Tensor, axis: Any, name: Any = None) -> tuple:
    return np_ops.expand_dims(input, static_int(axis, "axis"))


@tf_op("squeeze", "input, axis=None, name=None")
def squeeze(input: Tensor, axis: Any = None, name: Any = None) -> tuple:
    """``tf.squeeze``: a listed axis must be 1 or unknown; without axes every size-1 axis
    goes, and an unknown size leaves the rank unknown."""
    shape = list(tensor_shape(input))
    axis = static(axis, "axis")
    if axis is None:
        if any(is_none(dim) for dim in shape):
            raise Unresolved("squeezing a tensor of unknown sizes")
        return tuple(dim for dim in shape if not equals(dim, 1))
    axes = {canonicalize_axis(a, len(shape)) for a in ([axis] if isinstance(axis, int) else axis)}
    for a in axes:
        if is_known(shape[a]) and shape[a] != 1:
            raise OpError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {shape[a]}")
        if not is_known(shape[a]) and not is_none(shape[a]):
            raise Unresolved("squeezing a size padlint does not know")
    return tuple(dim for index, dim in enumerate(shape) if index not in axes)


@tf_op("concat", "values, axis, name='concat'")
def concat(values: Any, axis: Any, name: Any = None) -> tuple:
    """``tf.concat``: one tensor is returned as it is (``identity``), the axis unchecked."""
    if isinstance(values, (list, tuple)) and len(values) == 1:
        return tensor_shape(values[0])
    if isinstance(values, (list, tuple)) and values:
        rank = len(tensor_shape(values[0]))
        if not -rank <= static_int(axis, "axis") < rank:
            raise Unresolved("tf.concat on an axis out of range (TensorFlow's static shape wraps it)")
    return np_ops.concatenate(values, axis)


@tf_op("stack", "values, axis=0, name='stack'")
def stack(values: Any, axis: Any = 0, name: Any = None) -> tuple:
    return np_ops.stack(values, axis)


def _unstack_count(arguments: dict) -> tuple[str, int] | None:
    num = arguments.get("num")
    return ("list", num) if isinstance(num, int) and not isinstance(num, bool) else None


@tf_op("unstack", "value, num=None, axis=0, name='unstack'", outputs=_unstack_count)
def unstack(value: Tensor, num: Any = None, axis: Any = 0, name: Any = None) -> Multi:
    return unstack_shape(value, num, axis)


def _split_count(arguments: dict) -> tuple[str, int] | None:
    sections = arguments.get("num_or_size_splits")
    if isinstance(sections, int) and not isinstance(sections, bool):
        return ("list", sections) if sections > 0 else None
    if isinstance(sections, (list, tuple)):
        return ("list", len(sections))
    return None


@tf_op("split", "value, num_or_size_splits, axis=0, num=None, name='split'", outputs=_split_count)
def split(value: Tensor, num_or_size_splits: Any, axis: Any = 0, num: Any = None, name: Any = None) -> Multi:
    """``tf.split``: ``n`` equal parts, or parts of the listed sizes (one may be -1)."""
    shape = list(tensor_shape(value))
    position = canonicalize_axis(axis, len(shape))
    size = shape[position]
    splits = static(num_or_size_splits, "num_or_size_splits")
    if isinstance(splits, int) and not isinstance(splits, bool):
        if splits <= 0:
            raise OpError(f"num_or_size_splits must be positive, got {splits}")
        if is_known(size) and size % splits != 0:
            raise OpError(f"Dimension {position} in both shapes must be equal: size {size} is not divisible by {splits}")
        part: Dim = None
        if is_known(size):
            part = size // splits
        elif size is not None and not is_none(size):
            quotient = floordiv(size, splits)
            if quotient is None or not provably_equal(mul(quotient, splits), size):
                raise Unresolved("whether the size divides")
            part = quotient
        shape[position] = part
        return Multi(tuple(tuple(shape) for _ in range(splits)), as_list=True)
    sizes = [static_int(item, "num_or_size_splits") for item in splits]
    if sizes.count(-1) > 1:
        raise OpError("Cannot infer argument `num` from shape: more than one -1 in num_or_size_splits")
    if -1 in sizes:
        rest = sum(item for item in sizes if item != -1)
        inferred = None if size is None or is_none(size) else sub(size, rest)
        if is_known(inferred) and inferred < 0:
            raise OpError(f"The sizes {sizes} add up to more than {size}")
        sizes = [inferred if item == -1 else item for item in sizes]
    elif is_known(size) and sum(sizes) != size:
        raise OpError(f"Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified. Got: {sum(sizes)} vs. {size}")
    outputs = []
    for item in sizes:
        piece = list(shape)
        piece[position] = item
        outputs.append(tuple(piece))
    return Multi(tuple(outputs), as_list=True)


@tf_op("tile", "input, multiples, name=None")
def tile(input: Tensor, multiples: Any, name: Any = None) -> tuple:
    """``tf.tile``; a multiple only the run knows (``tf.shape(x)[0]``) leaves its axis None."""
    shape = tensor_shape(input)
    multiples = static(multiples, "multiples", run_time_sizes=True)
    if not isinstance(multiples, (tuple, list)):
        raise Unresolved("multiples padlint does not know")
    if len(multiples) != len(shape):
        raise OpError(f"Expected multiples argument to be a vector of length {len(shape)} but got length {len(multiples)}")
    return tuple(np_ops.times_run_time(dim) if is_run_time(m) else None if dim is None else mul(dim, static_int(m, "multiples")) for dim, m in zip(shape, multiples))


@tf_op("pad", "tensor, paddings, mode='CONSTANT', constant_values=0, name=None")
def pad(tensor: Tensor, paddings: Any, mode: Any = "CONSTANT", constant_values: Any = 0, name: Any = None) -> tuple:
    shape = tensor_shape(tensor)
    paddings = static(paddings, "paddings")
    if not isinstance(paddings, (tuple, list)) or len(paddings) != len(shape) or not all(isinstance(item, (tuple, list)) and len(item) == 2 for item in paddings):
        raise OpError(f"The first dimension of paddings must be the rank of inputs {len(shape)}: {paddings}")
    return tuple(None if dim is None else add(dim, static_int(a, "paddings") + static_int(b, "paddings")) for dim, (a, b) in zip(shape, paddings))


@tf_op("broadcast_to", "input, shape, name=None")
def broadcast_to(input: Tensor, shape: Any, name: Any = None) -> tuple:
    return np_ops.broadcast_to(input, shape)


@tf_op("reverse", "tensor, axis, name=None")
def reverse(tensor: Tensor, axis: Any, name: Any = None) -> tuple:
    shape = tensor_shape(tensor)
    for item in static(axis, "axis"):
        canonicalize_axis(item, len(shape))
    return shape


@tf_op("gather", "params, indices, validate_indices=None, axis=None, batch_dims=0, name=None")
def gather(params: Tensor, indices: Any, validate_indices: Any = None, axis: Any = None, batch_dims: Any = 0, name: Any = None) -> tuple:
    """``tf.gather``: ``params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]``, axis 0 by default."""
    shape = tensor_shape(params)
    index_shape = array_shape(indices)
    batch = static_int(batch_dims, "batch_dims")
    if batch < 0:
        batch += len(index_shape)
    position = canonicalize_axis(batch if axis is None else axis, len(shape))
    if position < batch:
        raise OpError(f"batch_dims ({batch}) must be less than or equal to axis ({position}).")
    return tuple(shape[:position]) + tuple(index_shape[batch:]) + tuple(shape[position + 1 :])


@tf_op("one_hot", "indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None")
def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None, axis: Any = None, dtype: Any = None, name: Any = None) -> tuple:
    shape = list(array_shape(indices))
    position = -1 if static(axis, "axis") is None else static_int(axis, "axis")
    depth = static(depth, "depth")
    if position == -1:
        shape.append(depth)
    elif 0 <= position <= len(shape):
        shape.insert(position, depth)
    else:
        raise OpError(f"Expected axis to be -1 or between [0, {len(shape)}).  But received: {position}")
    return tuple(shape)


@tf_op("shape", "input, out_type=None, name=None", plain=True)
def shape(input: Tensor, out_type: Any = None, name: Any = None) -> tuple:
    return tensor_shape(input)


@tf_op("convert_to_tensor", "value, dtype=None, dtype_hint=None, name=None")
def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: Any = None) -> tuple:
    return array_shape(value)


@tf_op("constant", "value, dtype=None, shape=None, name='Const'")
def constant(value: Any, dtype: Any = None, shape: Any = None, name: Any = None) -> tuple:
    return array_shape(value) if shape is None else np_ops.zeros(shape)


@tf_op("zeros ones", "shape, dtype=None, name=None, layout=None")
def zeros(shape: Any, dtype: Any = None, name: Any = None, layout: Any = None) -> tuple:
    return np_ops.zeros(shape)


@tf_op("range", "start, limit=None, delta=1, dtype=None, name='range'")
def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: Any = None) -> tuple:
    return np_ops.arange(start, limit, delta)


# ------------------------------------------------------------------ products


@tf_op("matmul linalg.matmul", "a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, name=None")
def matmul(a: Tensor, b: Tensor, transpose_a: Any = False, transpose_b: Any = False, adjoint_a: Any = False, adjoint_b: Any = False, **_: Any) -> tuple:
    """``tf.matmul``: rank >= 2, the last two axes swapped for ``transpose_*``/``adjoint_*``,
    batch axes broadcast."""
    first, second = list(tensor_shape(a)), list(tensor_shape(b))
    if len(first) < 2 or len(second) < 2:
        raise OpError(f"In[0] and In[1] must be at least rank 2: {tuple(first)} and {tuple(second)}")
    if static(transpose_a, "transpose_a") or static(adjoint_a, "adjoint_a"):
        first[-2], first[-1] = first[-1], first[-2]
    if static(transpose_b, "transpose_b") or static(adjoint_b, "adjoint_b"):
        second[-2], second[-1] = second[-1], second[-2]
    if is_known(first[-1]) and is_known(second[-2]) and first[-1] != second[-2]:
        raise OpError(f"Matrix size-incompatible: In[0]: {tuple(first)}, In[1]: {tuple(second)}")
    return (*broadcast_shapes(tuple(first[:-2]), tuple(second[:-2])), first[-2], second[-1])


@tf_op("einsum linalg.einsum", "equation, *inputs")
def einsum(equation: Any, inputs: tuple) -> tuple:
    return np_ops.einsum(equation, inputs)


@tf_op("tensordot linalg.tensordot", "a, b, axes, name=None")
def tensordot(a: Any, b: Any, axes: Any, name: Any = None) -> tuple:
    axes = static(axes, "axes")
    if isinstance(axes, (tuple, list)) and len(axes) == 2 and all(isinstance(item, int) for item in axes):
        axes = ([axes[0]], [axes[1]])
    return np_ops.tensordot(a, b, axes)


# ------------------------------------------------------------------ images


@tf_op("image.resize", "images, size, method='bilinear', preserve_aspect_ratio=False, antialias=False, name=None")
def image_resize(images: Tensor, size: Any, method: Any = "bilinear", preserve_aspect_ratio: Any = False, antialias: Any = False, name: Any = None) -> tuple:
    if static(preserve_aspect_ratio, "preserve_aspect_ratio"):
        raise Unresolved("tf.image.resize with preserve_aspect_ratio")
    return image_ops.resize(images, size, data_format="channels_last")


@tf_op("image.extract_patches", "images, sizes, strides, rates, padding, name=None")
def extract_patches(images: Tensor, sizes: Any, strides: Any, rates: Any, padding: Any, name: Any = None) -> tuple:
    """``tf.image.extract_patches`` on NHWC images: windows as a convolution's, depth
    ``size_rows * size_cols * channels``."""
    shape = tensor_shape(images)
    if len(shape) != 4:
        raise OpError(f"input must be 4-dimensional: {shape}")
    windows = [static(value, name) for value, name in ((sizes, "sizes"), (strides, "strides"), (rates, "rates"))]
    if not all(isinstance(value, (tuple, list)) and len(value) == 4 and all(isinstance(item, int) for item in value) for value in windows):
        raise OpError("sizes, strides and rates must be lists of 4 integers")
    kernel, steps, dilations = windows
    if kernel[0] != 1 or kernel[3] != 1 or steps[0] != 1 or steps[3] != 1:
        raise OpError("Only support ksizes and strides across space (the first and last entries must be 1).")
    padding = static(padding, "padding")
    if padding not in ("VALID", "SAME"):
        raise OpError(f"padding must be 'VALID' or 'SAME', got {padding!r}")
    mode = padding.lower()
    if any(is_none(size) for size in shape[1:3]):
        # TensorFlow's shape function leaves both spatial sizes unknown when one is.
        sizes_out = [None, None]
    else:
        sizes_out = [_tf_window(size, dilation * (k - 1) + 1, step, mode) for size, k, step, dilation in zip(shape[1:3], kernel[1:3], steps[1:3], dilations[1:3])]
    return (shape[0], *sizes_out, mul(kernel[1] * kernel[2], shape[3]) if shape[3] is not None else None)


def _tf_window(size: Dim, span: int, stride: int, padding: str) -> Dim:
    """TensorFlow's ``GetWindowedOutputSize``: 'valid' is ``(n - span + s) / s`` in C's
    truncating division (a window wider than the input gives 0, not an error, until the
    quotient is negative); 'same' is ``ceil(n / s)``."""
    if stride <= 0:
        raise OpError(f"Stride must be > 0, but got {stride}")
    if padding == "same":
        return nn_ops.window_output(size, span, stride, "same")
    if is_known(size):
        numerator = size - span + stride
        output = numerator // stride if numerator >= 0 else -((-numerator) // stride)
        if output < 0:
            raise OpError(f"Computed output size would be negative: {output} [input_size: {size}, effective_filter_size: {span}, stride: {stride}]")
        return output
    return nn_ops.window_output(size, span, stride, "valid")


@tf_op("slice", "input_, begin, size, name=None")
def slice_(input_: Tensor, begin: Any, size: Any, name: Any = None) -> tuple:
    """``tf.slice``: ``size[i]`` values from ``begin[i]``, ``-1`` meaning "to the end"."""
    shape = tensor_shape(input_)
    begin, size = static(begin, "begin"), static(size, "size")
    if not isinstance(size, (tuple, list)) or len(size) != len(shape):
        raise OpError(f"Expected size to be a vector of length {len(shape)}, got {size}")
    output = []
    for index, (dim, wanted) in enumerate(zip(shape, size)):
        wanted = static_int(wanted, "size")
        if wanted != -1:
            output.append(wanted)
        elif is_none(dim) or not isinstance(begin, (tuple, list)):
            output.append(None)
        else:
            output.append(sub(dim, static_int(begin[index], "begin")))
    return tuple(output)
