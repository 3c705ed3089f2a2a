"""The Keras 2 backend functions (``K.mean``, ``K.concatenate``, ``K.batch_dot``, ...), as
keras/src/legacy/backend.py defines them for ``tf.keras.backend`` in Keras 3.

Each is a TensorFlow function under another signature, so they share the
semantics of padlint.ops.tensorflow: on a KerasTensor in a functional graph they
raise, inside a traced ``call()`` or ``Lambda`` they give TensorFlow's static
shapes. Keras-2-era code reaches them as ``keras.backend`` too; padlint takes
that module path as the legacy backend, as it takes Keras 2 layer module paths
as their Keras 3 twins.
"""

from __future__ import annotations

from typing import Any

from padlint.layers.base import Unresolved
from padlint.ops import numpy as np_ops
from padlint.ops import tensorflow as tf_ops
from padlint.ops.base import (
    OpError,
    Tensor,
    broadcast_shapes,
    equals,
    is_known,
    is_none,
    shape_or_scalar,
    static,
    static_int,
)
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import function_table, register_backend
from padlint.symbolic import mul, product


#: ``@backend_op("mean sum", "x, axis=None, keepdims=False")`` registers ``K.mean`` and ``K.sum``.
backend_op = function_table(register_backend, "keras.backend.", "keras/src/legacy/backend.py")


@backend_op(
    "abs exp log sqrt square sigmoid tanh softplus softsign sin cos round sign hard_sigmoid cast_to_floatx",
    "x",
)
def unary(x: Tensor) -> tuple:
    return tensor_shape(x)


@backend_op("zeros_like ones_like", "x, dtype=None, name=None")
def zeros_like(x: Tensor, dtype: Any = None, name: Any = None) -> tuple:
    return tensor_shape(x)


@backend_op("stop_gradient", "variables")
def stop_gradient(variables: Tensor) -> tuple:
    return tensor_shape(variables)


@backend_op("relu", "x, alpha=0.0, max_value=None, threshold=0.0")
def relu(x: Tensor, alpha: Any = 0.0, max_value: Any = None, threshold: Any = 0.0) -> tuple:
    return tensor_shape(x)


@backend_op("elu", "x, alpha=1.0")
def elu(x: Tensor, alpha: Any = 1.0) -> tuple:
    return tensor_shape(x)


@backend_op("cast", "x, dtype")
def cast(x: Tensor, dtype: Any) -> tuple:
    return tensor_shape(x)


@backend_op("clip", "x, min_value, max_value")
def clip(x: Tensor, min_value: Any, max_value: Any) -> tuple:
    return tensor_shape(x)


@backend_op("dropout", "x, level, noise_shape=None, seed=None")
def dropout(x: Tensor, level: Any, noise_shape: Any = None, seed: Any = None) -> tuple:
    return tensor_shape(x)


@backend_op("maximum minimum equal not_equal greater greater_equal less less_equal", "x, y")
def binary(x: Any, y: Any) -> tuple:
    return broadcast_shapes(shape_or_scalar(x), shape_or_scalar(y))


@backend_op("pow", "x, a")
def pow_(x: Any, a: Any) -> tuple:
    return broadcast_shapes(shape_or_scalar(x), shape_or_scalar(a))


@backend_op("mean sum max min prod std var any all", "x, axis=None, keepdims=False")
def reduction(x: Tensor, axis: Any = None, keepdims: Any = False) -> tuple:
    return tf_ops.reduce(x, axis, keepdims)


@backend_op("argmax argmin", "x, axis=-1")
def argmax(x: Tensor, axis: Any = -1) -> tuple:
    return tf_ops.argmax(x, axis)


@backend_op("cumsum cumprod", "x, axis=0")
def cumsum(x: Tensor, axis: Any = 0) -> tuple:
    return tf_ops.cumsum(x, axis)


@backend_op("softmax", "x, axis=-1")
def softmax(x: Tensor, axis: Any = -1) -> tuple:
    shape = tensor_shape(x)
    if len(shape) <= 1:
        raise OpError(f"Cannot apply softmax to a tensor that is 1D. Received input: {shape}")
    return shape


@backend_op("l2_normalize", "x, axis=None")
def l2_normalize(x: Tensor, axis: Any = None) -> tuple:
    return tensor_shape(x)


@backend_op("concatenate", "tensors, axis=-1")
def concatenate(tensors: Any, axis: Any = -1) -> tuple:
    return tf_ops.concat(tensors, axis)


@backend_op("stack", "x, axis=0")
def stack(x: Any, axis: Any = 0) -> tuple:
    return np_ops.stack(x, axis)


@backend_op("reshape", "x, shape")
def reshape(x: Tensor, shape: Any) -> tuple:
    return np_ops.reshape(x, shape)


@backend_op("expand_dims", "x, axis=-1")
def expand_dims(x: Tensor, axis: Any = -1) -> tuple:
    return tf_ops.expand_dims(x, axis)


@backend_op("squeeze", "x, axis")
def squeeze(x: Tensor, axis: Any) -> tuple:
    return tf_ops.squeeze(x, [static_int(axis, "axis")])


@backend_op("permute_dimensions", "x, pattern")
def permute_dimensions(x: Tensor, pattern: Any) -> tuple:
    return np_ops.transpose(x, pattern)


@backend_op("transpose", "x")
def transpose(x: Tensor) -> tuple:
    return np_ops.transpose(x)


@backend_op("flatten", "x")
def flatten(x: Tensor) -> tuple:
    return np_ops.reshape(x, [-1])


@backend_op("batch_flatten", "x")
def batch_flatten(x: Tensor) -> tuple:
    """``tf.reshape(x, tf.stack([-1, prod(tf.shape(x)[1:])]))``: TensorFlow folds the
    target only when the whole shape, batch included, is static."""
    shape = tensor_shape(x)
    if all(is_known(dim) for dim in shape):
        return np_ops.reshape(x, [-1, product(shape[1:])])
    return (None, None)


@backend_op("repeat", "x, n")
def repeat(x: Tensor, n: Any) -> tuple:
    shape = tensor_shape(x)
    if len(shape) != 2:
        raise OpError(f"Expected input `x` to have rank 2. Received: rank(x)={len(shape)}")
    return (shape[0], static_int(n, "n"), shape[1])


@backend_op("repeat_elements", "x, rep, axis")
def repeat_elements(x: Tensor, rep: Any, axis: Any) -> tuple:
    shape = list(tensor_shape(x))
    axis = static_int(axis, "axis")
    rep = static_int(rep, "rep")
    if not -len(shape) <= axis < len(shape):
        raise OpError(f"list index out of range (axis={axis})")
    shape[axis] = None if shape[axis] is None else mul(shape[axis], rep)
    return tuple(shape)


@backend_op("tile", "x, n")
def tile(x: Tensor, n: Any) -> tuple:
    n = static(n, "n")
    return tf_ops.tile(x, [n] if isinstance(n, int) else n)


@backend_op("gather", "reference, indices")
def gather(reference: Tensor, indices: Any) -> tuple:
    return tf_ops.gather(reference, indices)


@backend_op("reverse", "x, axes")
def reverse(x: Tensor, axes: Any) -> tuple:
    axes = static(axes, "axes")
    return tf_ops.reverse(x, [axes] if isinstance(axes, int) else axes)


@backend_op("one_hot", "indices, num_classes")
def one_hot(indices: Any, num_classes: Any) -> tuple:
    return tf_ops.one_hot(indices, num_classes)


@backend_op("bias_add", "x, bias, data_format=None")
def bias_add(x: Tensor, bias: Any, data_format: Any = None) -> tuple:
    return tensor_shape(x)


@backend_op("temporal_padding", "x, padding=(1, 1)")
def temporal_padding(x: Tensor, padding: Any = (1, 1)) -> tuple:
    padding = static(padding, "padding")
    if len(padding) != 2:
        raise OpError(f"Expected `padding` to be a tuple of 2 integers. Received: padding={padding}")
    return tf_ops.pad(x, [[0, 0], list(padding), [0, 0]])


@backend_op("spatial_2d_padding", "x, padding=((1, 1), (1, 1)), data_format=None")
def spatial_2d_padding(x: Tensor, padding: Any = ((1, 1), (1, 1)), data_format: Any = None) -> tuple:
    padding = static(padding, "padding")
    if len(padding) != 2 or len(padding[0]) != 2 or len(padding[1]) != 2:
        raise OpError(f"Expected `padding` to be a tuple of 2 tuples of 2 integers. Received: padding={padding}")
    data_format = static(data_format, "data_format")
    if data_format not in {"channels_first", "channels_last"}:
        raise OpError(f"Unknown data_format: {data_format}")
    rows, columns = list(padding[0]), list(padding[1])
    pattern = [[0, 0], [0, 0], rows, columns] if data_format == "channels_first" else [[0, 0], rows, columns, [0, 0]]
    return tf_ops.pad(x, pattern)


@backend_op("dot", "x, y")
def dot(x: Tensor, y: Tensor) -> tuple:
    """``K.dot``: ``tf.matmul`` for matrices, else ``x.shape[:-1] + y.shape[:-2] + y.shape[-1:]``."""
    first, second = tensor_shape(x), tensor_shape(y)
    if len(first) > 2 or len(second) > 2:
        if len(second) < 2:
            raise Unresolved("K.dot with a vector")
        if is_known(first[-1]) and is_known(second[-2]) and first[-1] != second[-2]:
            raise OpError(f"Matrix size-incompatible: {first} and {second}")
        return tuple(first[:-1]) + tuple(second[:-2]) + tuple(second[-1:])
    return tf_ops.matmul(x, y)


@backend_op("batch_dot", "x, y, axes=None")
def batch_dot(x: Tensor, y: Tensor, axes: Any = None) -> tuple:
    """``K.batch_dot`` for inputs of rank 2 or 3: the reduced axes are moved next to each
    other, the batched ``tf.matmul`` runs, and an added axis of size 1 is squeezed away."""
    first, second = tensor_shape(x), tensor_shape(y)
    if len(first) < 2 or len(second) < 2:
        raise OpError(f"Cannot do batch_dot on inputs with rank < 2. Received inputs with tf.shapes {first} and {second}.")
    if not is_none(first[0]) and not is_none(second[0]) and not equals(first[0], second[0]):
        raise OpError(f"Cannot do batch_dot on inputs with different batch sizes. Received inputs with tf.shapes {first} and {second}.")
    axes = static(axes, "axes")
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [len(first) - 1, len(second) - 1 if len(second) == 2 else len(second) - 2]
    if any(isinstance(a, (list, tuple)) for a in axes):
        raise OpError(f"Multiple target dimensions are not supported. Expected: None, int, (int, int), Provided: {axes}")
    a0, a1 = (static_int(a, "axes") for a in axes)
    a0 += len(first) if a0 < 0 else 0
    a1 += len(second) if a1 < 0 else 0
    if 0 in (a0, a1):
        raise OpError("Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to your inputs using K.expand_dims(x, 0)")
    if not is_none(first[a0]) and not is_none(second[a1]) and not equals(first[a0], second[a1]):
        raise OpError(f"Cannot do batch_dot on inputs with tf.shapes {first} and {second} with axes={[a0, a1]}.")
    if len(first) > 3 or len(second) > 3:
        raise Unresolved("K.batch_dot on inputs of rank above 3")
    rows = 1 if len(first) == 2 else first[3 - a0]
    columns = 1 if len(second) == 2 else second[3 - a1]
    batch = broadcast_shapes((first[0],), (second[0],))[0]
    if len(first) == 2:
        return (batch, columns)
    if len(second) == 2:
        return (batch, rows)
    return (batch, rows, columns)


@backend_op("shape", "x", plain=True)
def shape(x: Tensor) -> tuple:
    return tensor_shape(x)


@backend_op("ndim", "x", plain=True)
def ndim(x: Tensor) -> tuple:
    return tensor_shape(x)
