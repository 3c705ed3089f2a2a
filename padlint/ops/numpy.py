"""Shape functions of keras/src/ops/numpy.py, one per Operation's ``compute_output_spec``.

Each function below mirrors the class named in its ``@op`` registration (and the
module-level function that creates it, where that function checks or converts
arguments first). The element-wise families are tables: ``UNARY`` ops keep their
input's shape, ``BINARY`` ops broadcast ``getattr(x, "shape", [])`` of both
operands (so a Python number or list is a scalar to them, as in Keras), and
``REDUCTIONS`` go through ``reduce_shape``.
"""

from __future__ import annotations

import math
from typing import Any

from padlint.evaluation.arrays import slice_extent
from padlint.evaluation.values import Unknown
from padlint.layers.base import Unresolved
from padlint.ops.base import (
    Multi,
    OpError,
    Tensor,
    array_shape,
    broadcast_shapes,
    canonicalize_axes,
    canonicalize_axis,
    eager,
    equals,
    flat_size,
    in_trace,
    is_known,
    is_none,
    is_run_time,
    reduce_shape,
    shape_equal,
    shape_or_scalar,
    static,
    static_int,
    to_tuple_or_list,
)
from padlint.ops.registry import op
from padlint.symbolic import Dim, Sym, add, floordiv, mul, product, provably_equal, sub

# ------------------------------------------------------------ element-wise tables

#: Shape-preserving ops of one tensor: function name -> (Operation class, extra parameters).
UNARY: dict[str, tuple[str, str]] = {
    "absolute": ("Absolute", ""),
    "abs": ("Absolute", ""),
    "fabs": ("Fabs", ""),
    "negative": ("Negative", ""),
    "square": ("Square", ""),
    "sqrt": ("Sqrt", ""),
    "exp": ("Exp", ""),
    "exp2": ("Exp2", ""),
    "expm1": ("Expm1", ""),
    "log": ("Log", ""),
    "log10": ("Log10", ""),
    "log1p": ("Log1p", ""),
    "log2": ("Log2", ""),
    "sin": ("Sin", ""),
    "cos": ("Cos", ""),
    "tan": ("Tan", ""),
    "sinh": ("Sinh", ""),
    "cosh": ("Cosh", ""),
    "tanh": ("Tanh", ""),
    "arcsin": ("Arcsin", ""),
    "arccos": ("Arccos", ""),
    "arctan": ("Arctan", ""),
    "arcsinh": ("Arcsinh", ""),
    "arccosh": ("Arccosh", ""),
    "arctanh": ("Arctanh", ""),
    "floor": ("Floor", ""),
    "ceil": ("Ceil", ""),
    "trunc": ("Trunc", ""),
    "round": ("Round", "decimals=0"),
    "sign": ("Sign", ""),
    "reciprocal": ("Reciprocal", ""),
    "cbrt": ("Cbrt", ""),
    "deg2rad": ("Deg2rad", ""),
    "rad2deg": ("Rad2deg", ""),
    "logical_not": ("LogicalNot", ""),
    "isnan": ("Isnan", ""),
    "isinf": ("Isinf", ""),
    "isfinite": ("Isfinite", ""),
    "copy": ("Copy", ""),
    "conjugate": ("Conjugate", ""),
    "conj": ("Conjugate", ""),
    "real": ("Real", ""),
    "imag": ("Imag", ""),
    "nan_to_num": ("NanToNum", "nan=0.0, posinf=None, neginf=None"),
    "tril": ("Tril", "k=0"),
    "triu": ("Triu", "k=0"),
    "zeros_like": ("ZerosLike", "dtype=None"),
    "ones_like": ("OnesLike", "dtype=None"),
    "full_like": ("FullLike", "fill_value, dtype=None"),
}

#: Broadcasting ops of two operands: function name -> Operation class. Their
#: ``compute_output_spec`` reads ``getattr(x, "shape", [])``, and most resolve the result
#: dtype from ``type(x)`` too, which fails for a Python list: ``LIST_OPERANDS`` are those
#: that do not (their result is bool, or they take the dtype from the tensor), and
#: ``TENSOR_OPERANDS`` those that read ``x.dtype`` and so fail for a Python number too.
BINARY: dict[str, str] = {
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "divide": "Divide",
    "true_divide": "TrueDivide",
    "divide_no_nan": "DivideNoNan",
    "floor_divide": "FloorDivide",
    "mod": "Mod",
    "power": "Power",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "fmax": "Fmax",
    "fmin": "Fmin",
    "equal": "Equal",
    "not_equal": "NotEqual",
    "less": "Less",
    "less_equal": "LessEqual",
    "greater": "Greater",
    "greater_equal": "GreaterEqual",
    "logical_and": "LogicalAnd",
    "logical_or": "LogicalOr",
    "logical_xor": "LogicalXor",
    "arctan2": "Arctan2",
    "hypot": "Hypot",
    "logaddexp": "Logaddexp",
}
LIST_OPERANDS = frozenset(["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_xor", "arctan2"])
TENSOR_OPERANDS = frozenset(["hypot"])


#: Reductions through ``reduce_shape``: function name -> (Operation class, parameters after ``x, axis, keepdims``).
REDUCTIONS: dict[str, tuple[str, str]] = {
    "sum": ("Sum", ""),
    "mean": ("Mean", ""),
    "max": ("Max", "initial=None"),
    "min": ("Min", "initial=None"),
    "amax": ("Amax", ""),
    "amin": ("Amin", ""),
    "prod": ("Prod", "dtype=None"),
    "std": ("Std", ""),
    "var": ("Var", ""),
    "any": ("Any", ""),
    "all": ("All", ""),
    "argmax": ("Argmax", ""),
    "argmin": ("Argmin", ""),
}


def _same_shape(x: Tensor, **_: Any) -> tuple:
    """``KerasTensor(x.shape, ...)``: the element-wise ops of one tensor."""
    return tensor_shape(x)


def _broadcaster(name: str):
    """``broadcast_shapes(getattr(x1, "shape", []), getattr(x2, "shape", []))``, with the
    operands the op's dtype resolution accepts."""

    def broadcast(x1: Any, x2: Any) -> tuple:
        shapes = []
        for operand in (x1, x2):
            if isinstance(operand, (list, tuple)) and name in LIST_OPERANDS:
                shapes.append(())
            elif not isinstance(operand, Tensor) and name in TENSOR_OPERANDS:
                raise OpError(f"'{type(operand).__name__}' object has no attribute 'dtype'")
            else:
                shapes.append(shape_or_scalar(operand))
        return broadcast_shapes(shapes[0], shapes[1])

    return broadcast


def _reduce(x: Tensor, axis: Any = None, keepdims: Any = False, **_: Any) -> tuple:
    return reduce_shape(tensor_shape(x), axis=axis, keepdims=keepdims)


for _name, (_class, _extra) in UNARY.items():
    op("numpy", _name, _class, "x" + (", " + _extra if _extra else ""))(_same_shape)
for _name, _class in BINARY.items():
    op("numpy", _name, _class, "x1, x2")(_broadcaster(_name))
for _name, (_class, _extra) in REDUCTIONS.items():
    op("numpy", _name, _class, "x, axis=None, keepdims=False" + (", " + _extra if _extra else ""))(_reduce)


def tensor_shape(x: Any) -> tuple:
    """``x.shape`` where Keras reads it: the argument must be a tensor (on concrete values
    the backend converts Python numbers and lists to tensors first)."""
    if isinstance(x, Tensor):
        return x.shape
    if eager():
        return array_shape(x)
    raise Unresolved("an argument padlint expected to be a tensor")


# ------------------------------------------------------------------ reshaping


@op("numpy", "reshape", "Reshape", "x, newshape")
def reshape(x: Tensor, newshape: Any) -> tuple:
    """``reshape`` (which makes ``newshape`` a tuple and validates it) and
    operation_utils.py ``compute_reshape_output_shape``. In a traced ``call()`` the op is
    TensorFlow's, which also rejects a full target whose size the known input sizes
    cannot divide."""
    shape = tensor_shape(x)
    if isinstance(newshape, Tensor):
        length = newshape.shape
        return (None,) * length[0] if len(length) == 1 and is_known(length[0]) else (None,)
    if isinstance(newshape, Unknown):
        raise Unresolved("newshape is not known")
    target = tuple(newshape) if isinstance(newshape, (tuple, list)) else (newshape,)
    _validate_reshape_shape(target)
    normal = tuple(_reshape_entry(dim) for dim in target)
    if any(is_none(dim) for dim in shape) or any(dim is None for dim in normal):
        if in_trace() and -1 not in normal and all(is_known(dim) for dim in normal):
            known_in = product(dim for dim in shape if is_known(dim))
            if known_in and product(normal) % known_in != 0:
                raise OpError(f"Cannot reshape a tensor of shape {shape} into {target}")
        return tuple(None if dim == -1 else dim for dim in normal)
    size = product(shape)
    if -1 not in normal:
        gap = None if size is None else sub(size, product(normal))
        if gap is None or not isinstance(gap, int):
            raise Unresolved("whether the reshape keeps the size")
        if gap != 0:
            raise OpError(f"The total size of the tensor must be unchanged. Received: input_shape={shape}, newshape={target}")
        return normal
    known = product(dim for dim in normal if dim != -1)
    if known == 0 or (is_known(size) and is_known(known) and size % known != 0):
        raise OpError(
            "The total size of the tensor must be unchanged, however, the input size cannot by divided by the "
            f"specified dimensions in newshape. Received: input_shape={shape}, newshape={target}"
        )
    quotient = _exact_quotient(size, known)
    return tuple(quotient if dim == -1 else dim for dim in normal)


def _reshape_entry(dim: Any) -> Dim:
    """``dim if isinstance(dim, int) else None``: a size known only at run time is None."""
    if isinstance(dim, bool):
        return int(dim)
    if isinstance(dim, int):
        return dim
    if isinstance(dim, Sym):
        return None if in_trace() and dim.is_keras_none() else dim
    return None


def _validate_reshape_shape(target: tuple) -> None:
    """operation_utils.py ``validate_reshape_shape``."""
    if any(is_known(dim) and dim < -1 for dim in target):
        raise OpError(f"Each dimension in `newshape` must be a non-negative integer, or `-1` for a single unknown dimension. Received: newshape={target}.")
    if sum(1 for dim in target if dim == -1 and is_known(dim)) > 1:
        raise OpError(f"There must be at most one unknown dimension (-1) in `newshape`. Received: newshape={target}.")


def _exact_quotient(total: Dim, known: Dim) -> Dim:
    """``total // known`` where it is exact for every value of the symbols, else unknown."""
    if is_known(total) and is_known(known):
        return total // known
    if not is_known(known):
        raise Unresolved("a size padlint does not know")
    quotient = floordiv(total, known)
    if quotient is not None and provably_equal(mul(quotient, known), total):
        return quotient
    raise Unresolved("whether the sizes divide")


@op("numpy", "ravel", "Ravel", "x")
def ravel(x: Tensor) -> tuple:
    return (flat_size(tensor_shape(x)),)


@op("numpy", "transpose", "Transpose", "x, axes=None")
def transpose(x: Tensor, axes: Any = None) -> tuple:
    """operation_utils.py ``compute_transpose_output_shape``."""
    shape = list(tensor_shape(x))
    axes = static(axes, "axes")
    if axes is None:
        return tuple(shape[::-1])
    ndim = len(shape)
    if len(axes) != ndim:
        raise OpError(f"axis must be a list of the same length as the input shape, expected {ndim}, but received {len(axes)}.")
    normalized = []
    for ax in axes:
        if not isinstance(ax, int) or ax < -ndim or ax >= ndim:
            raise OpError(f"Each axis in `axes` must be an integer in [-{ndim}, {ndim}). Received: axes={list(axes)}.")
        normalized.append(ax % ndim)
    if len(set(normalized)) != ndim:
        raise OpError(f"`axes` must be a valid permutation of the input dimensions (no duplicates). Received: axes={list(axes)} for input of rank {ndim}.")
    return tuple(shape[ax] for ax in normalized)


@op("numpy", "swapaxes", "Swapaxes", "x, axis1, axis2")
def swapaxes(x: Tensor, axis1: Any, axis2: Any) -> tuple:
    shape = list(tensor_shape(x))
    first, second = canonicalize_axis(axis1, len(shape)), canonicalize_axis(axis2, len(shape))
    shape[first], shape[second] = shape[second], shape[first]
    return tuple(shape)


@op("numpy", "moveaxis", "Moveaxis", "x, source, destination")
def moveaxis(x: Tensor, source: Any, destination: Any) -> tuple:
    sources = [source] if isinstance(source, int) else list(static(source, "source"))
    destinations = [destination] if isinstance(destination, int) else list(static(destination, "destination"))
    if len(sources) != len(destinations):
        raise OpError(f"`source` and `destination` arguments must have the same number of elements, but received `source={source}` and `destination={destination}`.")
    shape = list(tensor_shape(x))
    ndim = len(shape)
    output: list = [_UNSET] * ndim
    for src, dst in zip([canonicalize_axis(a, ndim) for a in sources], [canonicalize_axis(a, ndim) for a in destinations]):
        output[dst] = shape[src]
        shape[src] = _UNSET
    rest = iter(dim for dim in shape if dim is not _UNSET)
    return tuple(next(rest) if dim is _UNSET else dim for dim in output)


_UNSET = object()


@op("numpy", "expand_dims", "ExpandDims", "x, axis")
def expand_dims(x: Tensor, axis: Any) -> tuple:
    """``ExpandDims.__init__`` and operation_utils.py ``compute_expand_dims_output_shape``."""
    axis = static(axis, "axis")
    if isinstance(axis, bool) or not isinstance(axis, (int, tuple, list)):
        raise OpError(f"The `axis` argument to `expand_dims` should be an integer, tuple or list. Received axis={axis}")
    shape = list(tensor_shape(x))
    axes = to_tuple_or_list(axis)
    out_ndim = len(axes) + len(shape)
    positions = [canonicalize_axis(a, out_ndim) for a in axes]
    remaining = iter(shape)
    try:
        return tuple(1 if ax in positions else next(remaining) for ax in range(out_ndim))
    except (StopIteration, RuntimeError):
        raise OpError(f"expand_dims: repeated axis {axis}") from None


@op("numpy", "squeeze", "Squeeze", "x, axis=None")
def squeeze(x: Tensor, axis: Any = None) -> tuple:
    shape = list(tensor_shape(x))
    axes = to_tuple_or_list(static(axis, "axis"))
    if axes is None:
        if in_trace() and any(is_none(dim) for dim in shape):
            raise Unresolved("squeezing a tensor of unknown sizes")
        return tuple(dim for dim in shape if not equals(dim, 1))
    for a in axes:
        a = static_int(a, "axis")
        if not -len(shape) <= a < len(shape):
            raise OpError(f"axis {a} is out of bounds for an array with dimension {len(shape)}.")
        if not equals(shape[a], 1):
            raise OpError(f"Cannot squeeze axis {a}, because the dimension is not 1.")
    for a in sorted((canonicalize_axis(a, len(shape)) for a in axes), reverse=True):
        del shape[a]
    return tuple(shape)


@op("numpy", "broadcast_to", "BroadcastTo", "x, shape")
def broadcast_to(x: Tensor, shape: Any) -> tuple:
    """``BroadcastTo.compute_output_spec``; a size only the run knows (in a traced ``call()``)
    is None in the result, as TensorFlow's ``broadcast_to`` states it."""
    target = static(shape, "shape", run_time_sizes=in_trace())
    target = (target,) if isinstance(target, int) or is_run_time(target) else tuple(target)
    target = tuple(None if is_run_time(dim) else dim for dim in target)
    broadcast_shapes(tensor_shape(x), target)
    return target


# ------------------------------------------------------------------ joining and splitting


@op("numpy", "concatenate", "Concatenate", "xs, axis=0")
def concatenate(xs: Any, axis: Any = 0) -> tuple:
    if axis is None:
        raise OpError("`axis` cannot be None for `concatenate`.")
    shapes = [tensor_shape(item) for item in _sequence(xs)]
    first = shapes[0]
    axis = canonicalize_axis(axis, len(first))
    total: Dim = 0
    for shape in shapes:
        if not shape_equal(shape, first, axis=[axis], allow_none=True):
            raise OpError(
                f"Every value in `xs` must have the same shape except on the `axis` dim. But found element of shape {shape}, "
                f"which is different from the first element's shape {first}."
            )
        total = add(total, shape[axis])
    output = list(first)
    output[axis] = total
    return tuple(output)


def _sequence(value: Any) -> list:
    if not isinstance(value, (list, tuple)) or not value:
        raise Unresolved("a list of tensors padlint does not know")
    return list(value)


@op("numpy", "stack", "Stack", "x, axis=0")
def stack(x: Any, axis: Any = 0) -> tuple:
    shapes = [tensor_shape(item) for item in _sequence(x)]
    first = shapes[0]
    position = canonicalize_axis(axis, len(first) + 1)
    for shape in shapes:
        if not shape_equal(shape, first, axis=[], allow_none=True):
            raise OpError(f"Every value in `x` must have the same shape. But found element of shape {shape},  which is different from the first element's shape {first}.")
    output = list(first)
    output.insert(position, len(shapes))
    return tuple(output)


def _split_count(arguments: dict) -> tuple[str, int] | None:
    sections = arguments.get("indices_or_sections")
    if isinstance(sections, bool):
        return None
    if isinstance(sections, int):
        return ("list", sections) if sections > 0 else None
    if isinstance(sections, (list, tuple)):
        return ("list", len(sections) + 1)
    return None


@op("numpy", "split", "Split", "x, indices_or_sections, axis=0", outputs=_split_count)
def split(x: Tensor, indices_or_sections: Any, axis: Any = 0) -> Multi:
    """numpy.py ``_compute_split_output_spec``."""
    shape = list(tensor_shape(x))
    axis = canonicalize_axis(axis, len(shape))
    size = shape[axis]
    sections = static(indices_or_sections, "indices_or_sections")
    if isinstance(sections, int):
        if sections <= 0:
            raise OpError("number sections must be larger than 0.")
        if is_none(size):
            shape[axis] = None
            return Multi(tuple(tuple(shape) for _ in range(sections)), as_list=True)
        part = _exact_quotient(size, sections) if not is_known(size) else None
        if is_known(size):
            if size % sections != 0:
                raise OpError(
                    "`x` size on given `axis` must be divisible by `indices_or_sections` when `indices_or_sections` is an "
                    f"int. But received {size} and {sections}."
                )
            part = size // sections
        shape[axis] = part
        return Multi(tuple(tuple(shape) for _ in range(sections)), as_list=True)
    bounds: list = [0, *sections, size]
    outputs = []
    for start, end in zip(bounds, bounds[1:]):
        piece = list(shape)
        piece[axis] = None if is_none(start) or is_none(end) else sub(end, start)
        outputs.append(tuple(piece))
    return Multi(tuple(outputs), as_list=True)


def _array_split_count(arguments: dict) -> tuple[str, int] | None:
    sections = arguments.get("indices_or_sections")
    return ("list", sections) if isinstance(sections, int) and not isinstance(sections, bool) and sections > 0 else None


@op("numpy", "array_split", "ArraySplit", "x, indices_or_sections, axis=0", outputs=_array_split_count)
def array_split(x: Tensor, indices_or_sections: Any, axis: Any = 0) -> Multi:
    sections = static(indices_or_sections, "indices_or_sections")
    if not isinstance(sections, int) or isinstance(sections, bool):
        raise OpError(f"Argument `indices_or_sections` must be of type `int`. Received: indices_or_sections={sections}")
    if sections <= 0:
        raise OpError(f"Argument `indices_or_sections` must be a positive integer. Received: indices_or_sections={sections}")
    axis = static(axis, "axis")
    if not isinstance(axis, int):
        raise OpError(f"Argument `axis` must be of type `int`. Received: {axis}")
    shape = list(tensor_shape(x))
    total = shape[canonicalize_axis(axis, len(shape))]
    position = canonicalize_axis(axis, len(shape))
    if is_none(total):
        shape[position] = None
        return Multi(tuple(tuple(shape) for _ in range(sections)), as_list=False)
    if not is_known(total):
        raise Unresolved("the size split")
    outputs = []
    for index in range(sections):
        piece = list(shape)
        piece[position] = total // sections + (1 if index < total % sections else 0)
        outputs.append(tuple(piece))
    return Multi(tuple(outputs), as_list=True)


@op("numpy", "tile", "Tile", "x, repeats")
def tile(x: Tensor, repeats: Any) -> tuple:
    """``Tile.compute_output_spec``; a repeat only the run knows (in a traced ``call()``)
    leaves that axis None, as TensorFlow's ``tile`` does."""
    shape = list(tensor_shape(x))
    repeats = static(repeats, "repeats", run_time_sizes=in_trace())
    repeats = [repeats] if isinstance(repeats, int) or is_run_time(repeats) else list(repeats)
    if len(shape) > len(repeats):
        repeats = [1] * (len(shape) - len(repeats)) + repeats
    else:
        shape = [1] * (len(repeats) - len(shape)) + shape
    output = []
    for size, repeat in zip(shape, repeats):
        if is_run_time(repeat):
            output.append(times_run_time(size))
            continue
        repeat = static_int(repeat, "repeats")
        output.append(mul(size, repeat) if size is not None else None)
    return tuple(output)


def times_run_time(size: Dim) -> Dim:
    """A size times one only the run knows: None (an empty axis stays empty, which padlint
    does not claim to know TensorFlow states)."""
    if size == 0:
        raise Unresolved("an empty axis repeated a number of times only the run knows")
    return None


@op("numpy", "repeat", "Repeat", "x, repeats, axis=None")
def repeat(x: Tensor, repeats: Any, axis: Any = None) -> tuple:
    shape = list(tensor_shape(x))
    repeats = static(repeats, "repeats", run_time_sizes=in_trace())
    if is_run_time(repeats):
        # One count only the run knows, in a traced call(): TensorFlow's repeat states None on that axis.
        axis = static(axis, "axis")
        if axis is None:
            return (None,)
        axis = canonicalize_axis(axis, len(shape))
        shape[axis] = times_run_time(shape[axis])
        return tuple(shape)
    repeats = static(repeats, "repeats")
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    broadcast = len(repeats) == 1
    axis = static(axis, "axis")
    if axis is None:
        if any(is_none(dim) for dim in shape):
            return (None,)
        flat = product(shape)
        if broadcast:
            return (mul(flat, static_int(repeats[0], "repeats")),)
        if not equals(flat, len(repeats)):
            raise OpError(f"Size of `repeats` and dimensions of `x` after flattening should be compatible. Received: {len(repeats)} and {flat}")
        return (sum(static_int(r, "repeats") for r in repeats),)
    axis = static_int(axis, "axis")
    if not -len(shape) <= axis < len(shape):
        raise OpError(f"list index out of range (axis={axis})")
    size = shape[axis]
    if is_none(size):
        # Keras keeps the unknown size; padlint's symbol for it must grow with the repeats.
        shape[axis] = mul(size, static_int(repeats[0], "repeats")) if broadcast and size is not None else None
        return tuple(shape)
    if broadcast:
        shape[axis] = mul(size, static_int(repeats[0], "repeats"))
    elif not equals(size, len(repeats)):
        raise OpError(f"Size of `repeats` and dimensions of `axis {axis} of x` should be compatible. Received: {len(repeats)} and {shape}")
    else:
        shape[axis] = sum(static_int(r, "repeats") for r in repeats)
    return tuple(shape)


@op("numpy", "pad", "Pad", "x, pad_width, mode='constant', constant_values=None")
def pad(x: Tensor, pad_width: Any, mode: Any = "constant", constant_values: Any = None) -> tuple:
    widths = _process_pad_width(static(pad_width, "pad_width"))
    shape = list(tensor_shape(x))
    if len(widths) == 1:
        widths = [widths[0]] * len(shape)
    elif len(widths) != len(shape):
        raise OpError(f"`pad_width` must have the same length as `x.shape`. Received: pad_width={pad_width} (of length {len(widths)}) and x.shape={tuple(shape)} (of length {len(shape)})")
    output = []
    for size, width in zip(shape, widths):
        if len(width) != 2:
            raise Unresolved("pad_width entries padlint does not model")
        before, after = static_int(width[0], "pad_width"), static_int(width[1], "pad_width")
        output.append(None if size is None else add(size, before + after))
    return tuple(output)


def _process_pad_width(pad_width: Any) -> list:
    """``Pad._process_pad_width``."""
    if isinstance(pad_width, int):
        return [(pad_width, pad_width)]
    if isinstance(pad_width, (tuple, list)) and pad_width and isinstance(pad_width[0], int):
        return [tuple(pad_width)]
    if not isinstance(pad_width, (tuple, list)) or not pad_width or not all(isinstance(item, (tuple, list)) for item in pad_width):
        raise Unresolved("a pad_width padlint does not model")
    first = len(pad_width[0])
    widths = []
    for item in pad_width:
        if len(item) != first:
            raise OpError(f"`pad_width` should be a list of tuples of length 1 or 2. Received: pad_width={pad_width}")
        if len(item) == 1:
            if isinstance(pad_width, tuple):
                raise OpError("'tuple' object does not support item assignment")
            item = (item[0], item[0])
        widths.append(tuple(item))
    return widths


# ------------------------------------------------------------------ shape-preserving with an axis


def _check_axes(x: Tensor, axis: Any) -> tuple:
    """Ops that only check ``canonicalize_axes(axis, ndim)`` and keep the shape (flip, roll)."""
    shape = tensor_shape(x)
    axis = static(axis, "axis")
    if axis is not None:
        canonicalize_axes(axis, len(shape))
    return shape


@op("numpy", "flip", "Flip", "x, axis=None")
def flip(x: Tensor, axis: Any = None) -> tuple:
    return _check_axes(x, axis)


@op("numpy", "roll", "Roll", "x, shift, axis=None")
def roll(x: Tensor, shift: Any, axis: Any = None) -> tuple:
    return _check_axes(x, axis)


def _flattened_or_same(x: Tensor, axis: Any) -> tuple:
    """cumsum, cumprod, sort, argsort: ``axis=None`` flattens, else the axis is checked."""
    shape = tensor_shape(x)
    axis = static(axis, "axis")
    if axis is None:
        return (flat_size(shape),)
    canonicalize_axis(axis, len(shape))
    return shape


@op("numpy", "cumsum", "Cumsum", "x, axis=None, dtype=None")
def cumsum(x: Tensor, axis: Any = None, dtype: Any = None) -> tuple:
    return _flattened_or_same(x, axis)


@op("numpy", "cumprod", "Cumprod", "x, axis=None, dtype=None")
def cumprod(x: Tensor, axis: Any = None, dtype: Any = None) -> tuple:
    return _flattened_or_same(x, axis)


@op("numpy", "sort", "Sort", "x, axis=-1")
def sort(x: Tensor, axis: Any = -1) -> tuple:
    return _flattened_or_same(x, axis)


@op("numpy", "argsort", "Argsort", "x, axis=-1")
def argsort(x: Tensor, axis: Any = -1) -> tuple:
    return _flattened_or_same(x, axis)


@op("numpy", "clip", "Clip", "x, x_min, x_max")
def clip(x: Tensor, x_min: Any, x_max: Any) -> tuple:
    return tensor_shape(x)


@op("numpy", "average", "Average", "x, axis=None, weights=None")
def average(x: Tensor, axis: Any = None, weights: Any = None) -> tuple:
    shape = tensor_shape(x)
    axis = static(axis, "axis")
    if weights is not None:
        matches = shape_equal(shape, shape_or_scalar(weights))
        if axis is not None:
            matches = matches or shape_equal([shape[static_int(axis, "axis")]], shape_or_scalar(weights))
        if not matches:
            raise OpError("`weights` must have the same shape as `x`, or the size of `x` at `axis`.")
    return () if axis is None else reduce_shape(shape, axis=[axis])


# ------------------------------------------------------------------ selection


@op("numpy", "where", "Where", "condition, x1=None, x2=None")
def where(condition: Any, x1: Any = None, x2: Any = None) -> tuple:
    if (x1 is None) != (x2 is None):
        raise OpError("`x1` and `x2` either both should be `None` or both should have non-None value.")
    output = broadcast_shapes(shape_or_scalar(condition), shape_or_scalar(x1))
    return broadcast_shapes(output, shape_or_scalar(x2))


@op("numpy", "take", "Take", "x, indices, axis=None")
def take(x: Tensor, indices: Any, axis: Any = None) -> tuple:
    shape = list(tensor_shape(x))
    index_shape = list(array_shape(indices))
    axis = static(axis, "axis")
    if axis is None:
        return tuple(index_shape)
    axis = canonicalize_axis(axis, len(shape))
    return tuple(shape[:axis] + index_shape + shape[axis + 1 :])


@op("numpy", "take_along_axis", "TakeAlongAxis", "x, indices, axis=None")
def take_along_axis(x: Tensor, indices: Any, axis: Any = None) -> tuple:
    """operation_utils.py ``compute_take_along_axis_output_shape``."""
    shape = list(tensor_shape(x))
    index_shape = list(tensor_shape(indices))
    axis = static(axis, "axis")
    if axis is None:
        shape = [flat_size(shape)]
    if len(shape) != len(index_shape):
        raise OpError(f"`x` and `indices` must have the same number of dimensions, but receive shape {shape} and {index_shape}.")
    position = 0 if axis is None else canonicalize_axis(axis, len(shape))
    shape[position] = index_shape[position]
    return broadcast_shapes(tuple(shape), tuple(index_shape))


@op("numpy", "get_item", "GetItem", "x, key")
def get_item(x: Tensor, key: Any) -> tuple:
    return getitem_shape(tensor_shape(x), key)


def getitem_shape(shape: tuple, key: Any) -> tuple:
    """Mirror of ``GetItem.compute_output_spec`` (``x[:, 0]``, ``x[..., None]``)."""
    if isinstance(key, int) and not isinstance(key, bool):
        remaining_key = [key]
    elif isinstance(key, (tuple, list)):
        remaining_key = list(key)
    else:
        raise Unresolved("the index of a tensor subscript")
    if not all(item is None or item is Ellipsis or isinstance(item, slice) or (isinstance(item, int) and not isinstance(item, bool)) for item in remaining_key):
        raise Unresolved("the index of a tensor subscript")
    if sum(1 for item in remaining_key if item is Ellipsis) > 1:
        raise OpError(f"Slice should only have one ellipsis. Received: `{key}`")
    if Ellipsis not in remaining_key:
        remaining_key.append(Ellipsis)
    remaining_shape = list(shape)
    new_shape: list = []
    while remaining_key:
        subkey = remaining_key.pop(0)
        if subkey is Ellipsis:
            needed = len(remaining_key) - sum(1 for item in remaining_key if item is None)
            consumed = len(remaining_shape) - needed
            new_shape += remaining_shape[:consumed]
            remaining_shape = remaining_shape[consumed:]
            continue
        if subkey is None:
            new_shape.append(1)
            continue
        if not remaining_shape:
            raise OpError(f"Array has shape {shape} but slice has to many indices. Received: `{key}`")
        length = remaining_shape.pop(0)
        if isinstance(subkey, int):
            if isinstance(length, int):
                index = subkey if subkey >= 0 else subkey + length
                if index < 0 or index >= length:
                    raise OpError(f"Array has shape {shape} but out-of-bounds index {key} was requested.")
        elif isinstance(length, int):
            new_shape.append(slice_extent(subkey, length))
        elif subkey == slice(None):
            new_shape.append(length)
        else:
            new_shape.append(None)
    return tuple(new_shape)


# ------------------------------------------------------------------ products


@op("numpy", "matmul", "Matmul", "x1, x2")
def matmul(x1: Any, x2: Any) -> tuple:
    return matmul_shape(shape_or_scalar(x1), shape_or_scalar(x2))


def matmul_shape(shape1: tuple, shape2: tuple) -> tuple:
    """operation_utils.py ``compute_matmul_output_shape``."""
    if not shape1 or not shape2:
        raise OpError("matmul: an operand is a scalar (tuple index out of range)")
    first_1d, second_1d = len(shape1) == 1, len(shape2) == 1
    if first_1d:
        shape1 = (1, shape1[0])
    if second_1d:
        shape2 = (shape2[0], 1)
    if not is_none(shape1[-1]) and not is_none(shape2[-2]) and not equals(shape1[-1], shape2[-2]):
        raise OpError(f"Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but received `x1.shape={shape1}` and `x2.shape={shape2}`.")
    output = [*broadcast_shapes(shape1[:-2], shape2[:-2]), shape1[-2], shape2[-1]]
    if first_1d:
        del output[-2]
    if second_1d:
        del output[-1]
    return tuple(output)


@op("numpy", "dot", "Dot", "x1, x2")
def dot(x1: Any, x2: Any) -> tuple:
    first, second = list(shape_or_scalar(x1)), list(shape_or_scalar(x2))
    if not first or not second:
        return broadcast_shapes(tuple(first), tuple(second))
    if len(first) == 1 and len(second) == 1:
        return ()
    if len(second) == 1:
        if not (is_none(first[-1]) and is_none(second[0])) and not equals(first[-1], second[0]):
            raise OpError(f"Shape must match on the last axis of `x1` and `x2` when `x1` is N-d array while `x2` is 1-D, but receive shape `x1.shape={first}` and x2.shape=`{second}`.")
        return tuple(first[:-1])
    if is_none(first[-1]) or is_none(second[-2]) or equals(first[-1], second[-2]):
        del first[-1]
        del second[-2]
        return tuple(first + second)
    raise OpError(f"Shape must match on the last axis of `x1` and second last axis of `x2` when `x1` is N-d array while `x2` is M-D, but received `x1.shape={first}` and x2.shape=`{second}`.")


@op("numpy", "outer", "Outer", "x1, x2")
def outer(x1: Any, x2: Any) -> tuple:
    first = x1.shape if isinstance(x1, Tensor) else (1,)
    second = x2.shape if isinstance(x2, Tensor) else (1,)
    return (flat_size(first), flat_size(second))


@op("numpy", "tensordot", "Tensordot", "x1, x2, axes=2")
def tensordot(x1: Any, x2: Any, axes: Any = 2) -> tuple:
    first, second = list(shape_or_scalar(x1)), list(shape_or_scalar(x2))
    axes = static(axes, "axes")
    if not isinstance(axes, int):
        try:
            left_axes, right_axes = [int(a) for a in axes[0]], [int(a) for a in axes[1]]
            left = [first[ax] for ax in left_axes]
            right = [second[ax] for ax in right_axes]
        except (TypeError, IndexError, ValueError):
            raise OpError(f"tensordot: invalid axes {axes}") from None
        if not shape_equal(left, right, allow_none=True):
            raise OpError(f"Shape mismatch on `x1[axes[0]]` and `x2[axes[1]]`, received {left} and {right}.")
        dropped_left = {ax % len(first) for ax in left_axes}
        dropped_right = {ax % len(second) for ax in right_axes}
        return tuple([d for i, d in enumerate(first) if i not in dropped_left] + [d for i, d in enumerate(second) if i not in dropped_right])
    if axes <= 0:
        return tuple(first + second)
    return tuple(first[:-axes] + second[axes:])


@op("numpy", "einsum", "Einsum", "subscripts, *operands")
def einsum(subscripts: Any, operands: tuple) -> tuple:
    """``Einsum.compute_output_spec``: each operand's sizes mapped onto the output
    subscripts (letters it lacks are 1), then broadcast together."""
    subscripts = static(subscripts, "subscripts")
    if not isinstance(subscripts, str):
        raise Unresolved("einsum subscripts")
    parts = subscripts.split("->")
    if len(parts) > 2:
        raise OpError(f"At most one '->' is supported in `einsum` subscripts, but received {subscripts}.")
    inputs, output_spec = (parts[0], parts[1]) if len(parts) == 2 else (subscripts, None)
    specs = inputs.split(",")
    if len(specs) != len(operands):
        raise OpError(f"Number of operands ({len(operands)}) does not match the number of input specs ({len(specs)}) in `einsum`, received subscripts={subscripts}.")
    reduced: set = set()
    kept: set = set()
    for letter in inputs:
        if not letter.isalpha():
            continue
        if letter not in reduced and letter not in kept:
            kept.add(letter)
        elif letter in kept:
            kept.remove(letter)
            reduced.add(letter)
    if output_spec is not None:
        kept, reduced = {d for d in kept | reduced if d in output_spec}, {d for d in kept | reduced if d not in output_spec}
    target = output_spec if output_spec is not None else "..." + "".join(sorted(kept))
    result: tuple | None = None
    for operand, spec in zip(operands, specs):
        shape = list(shape_or_scalar(operand))
        expanded = _einsum_expand(shape, spec.strip(), target)
        result = expanded if result is None else broadcast_shapes(result, expanded)
    return result if result is not None else ()


def _einsum_expand(shape: list, spec: str, target: str) -> tuple:
    """One operand's shape written in the target's layout (Keras does it by string replacement)."""
    sizes: dict[str, Dim] = {}
    wildcard: list = []
    pieces = spec.split("...")
    if len(pieces) == 1:
        if len(shape) != len(spec):
            raise OpError(f"Number of dimensions in the subscript does not match the number of dimensions in the operand, received subscript `{spec}` and operand of shape {shape}.")
        for size, letter in zip(shape, spec):
            sizes.setdefault(letter, size)
        has_wildcard = False
    else:
        before, after = pieces[0], pieces[1]
        if len(before) + len(after) > len(shape):
            raise Unresolved("einsum subscripts longer than the operand")
        for index, letter in enumerate(before):
            sizes.setdefault(letter, shape[index])
        for index in range(len(after)):
            sizes.setdefault(after[-index - 1], shape[-index - 1])
        wildcard = shape[len(before) : len(shape) - len(after)]
        has_wildcard = True
    output: list = []
    index = 0
    while index < len(target):
        if target.startswith("...", index):
            if has_wildcard:
                output.extend(wildcard)
            index += 3
            continue
        letter = target[index]
        if letter.isalpha():
            output.append(sizes.get(letter, 1))
        index += 1
    return tuple(output)


# ------------------------------------------------------------------ creation


@op("numpy", "arange", "Arange", "start, stop=None, step=None, dtype=None")
def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> tuple:
    """``Arange.compute_output_spec``: ``ceil((stop - start) / step)`` values (numpy's length eagerly)."""
    start, stop, step = (static(value, "arange bounds") for value in (start, stop, step))
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in (start, stop, step)):
        if any(isinstance(value, Tensor) for value in (start, stop, step)):
            return (None,)
        raise Unresolved("arange bounds")
    if step == 0 or (stop - start) / step < 0:
        # TensorFlow's Range: "Requires start <= limit when delta > 0" (and the reverse).
        raise OpError(f"arange: the bounds {start}, {stop} and step {step} do not make a range")
    return (math.ceil((stop - start) / step),)


@op("numpy", "linspace", "Linspace", "start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0")
def linspace(start: Any, stop: Any, num: Any = 50, endpoint: Any = True, retstep: Any = False, dtype: Any = None, axis: Any = 0) -> tuple:
    if static(retstep, "retstep"):
        raise Unresolved("linspace with retstep")
    output = list(broadcast_shapes(shape_or_scalar(start), shape_or_scalar(stop)))
    output.insert(canonicalize_axis(axis, len(output) + 1), static_int(num, "num"))
    return tuple(output)


def _shape_argument(shape: Any) -> tuple:
    """A ``shape`` argument of a creation op: an int or a sequence of sizes (a size only
    known at run time, such as a traced batch size, is None)."""
    shape = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
    if not isinstance(shape, (tuple, list)):
        raise Unresolved("the shape argument")
    sizes = []
    for dim in shape:
        if isinstance(dim, Unknown):
            sizes.append(None)
        elif isinstance(dim, (int, Sym)) and not isinstance(dim, bool):
            sizes.append(dim)
        else:
            raise Unresolved("the shape argument")
    return tuple(sizes)


@op("numpy", ("zeros", "ones", "empty"), None, "shape, dtype=None")
def zeros(shape: Any, dtype: Any = None) -> tuple:
    return _shape_argument(shape)


@op("numpy", "full", "Full", "shape, fill_value, dtype=None")
def full(shape: Any, fill_value: Any, dtype: Any = None) -> tuple:
    return _shape_argument(shape)


@op("numpy", "eye", None, "N, M=None, k=0, dtype=None")
def eye(N: Any, M: Any = None, k: Any = 0, dtype: Any = None) -> tuple:
    rows = static_int(N, "N")
    return (rows, rows if M is None else static_int(M, "M"))


@op("numpy", "identity", None, "n, dtype=None")
def identity(n: Any, dtype: Any = None) -> tuple:
    size = static_int(n, "n")
    return (size, size)


@op("numpy", "tri", None, "N, M=None, k=0, dtype=None")
def tri(N: Any, M: Any = None, k: Any = 0, dtype: Any = None) -> tuple:
    return eye(N, M, k, dtype)


# ------------------------------------------------------------------ queries


@op("numpy", "ndim", "Ndim", "x")
def ndim(x: Tensor) -> tuple:
    """``KerasTensor([len(x.shape)])``: a 1-D tensor as long as the rank."""
    return (len(tensor_shape(x)),)


@op("numpy", "size", "Size", "x")
def size(x: Tensor) -> tuple:
    tensor_shape(x)
    return ()


@op("numpy", "count_nonzero", "CountNonzero", "x, axis=None")
def count_nonzero(x: Tensor, axis: Any = None) -> tuple:
    return reduce_shape(tensor_shape(x), axis=axis)
