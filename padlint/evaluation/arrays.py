"""NumPy arrays as the evaluator sees them: a shape and a dtype, never the data.

Scripts size their models from data: ``input_shape=x_train.shape[1:]`` after
``keras.datasets.mnist.load_data()``, ``Dense(y_train.shape[1])`` after
``to_categorical``. Those sizes are facts when the data's shape is known, so
an :class:`ArrayValue` carries the shape (a tuple of ints, with an ``Unknown``
for an extent that depends on the data's content, such as the number of
sequences an IMDB ``maxlen`` filter keeps) and the dtype name (None when not
certain), and the functions here compute what NumPy's operations do to them.

Each function mirrors NumPy's own rules (numpy/_core: ``reshape`` with ``-1``,
broadcasting, basic and single advanced indexing, ``expand_dims``,
``concatenate``, ``stack``, reductions, NEP 50 type promotion) and raises
:class:`ShapeError` where NumPy raises; an extent that cannot be certain is an
``Unknown``. Nothing here knows about the interpreter: :mod:`numpy_api`
reads evaluator arguments and calls these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from padlint.evaluation.values import Unknown

#: The extent of an axis whose size depends on the data's content.
UNKNOWN_DIM = Unknown("a size that depends on the data")


class ShapeError(ValueError):
    """NumPy raises here (the script would stop): the result is unknown. (A ValueError, as
    anything else padlint cannot model: callers make both Unknown.)"""


@dataclass(eq=False)
class ArrayValue:
    """A NumPy array of this shape and dtype; its values are never known.

    ``classes`` is set only for label arrays whose values are known to be exactly
    the integers ``0 .. classes - 1`` (a Keras dataset's labels, unsliced): what
    ``to_categorical(y)`` needs. It is dropped by anything that may change the
    values or drop some of them.

    Mutable on purpose: ``x.shape = (...)`` and ``x.resize(...)`` change the array
    in place, and every name bound to it sees the change, as in NumPy.
    """

    shape: tuple
    dtype: str | None = None
    classes: int | None = None
    #: A 0-d integer array's value when it is known (``np.max`` of labels with ``classes``,
    #: ``np.int64(12)``, and ``+ - *`` on those when the dtype holds the result): a NumPy
    #: scalar, which ``int()`` makes a Python int (Keras' ``Dense(units)`` takes only the latter).
    value: int | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int | Unknown:
        return product(self.shape)

    def __repr__(self) -> str:
        dims = ", ".join(str(dim) if is_known(dim) else "?" for dim in self.shape)
        return f"ArrayValue(({dims}), {self.dtype})"


def is_known(dim: Any) -> bool:
    return isinstance(dim, int) and not isinstance(dim, bool)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def product(shape: tuple) -> int | Unknown:
    """The number of elements, or Unknown when an extent is (an empty axis makes it 0)."""
    if any(dim == 0 for dim in shape if is_known(dim)):
        return 0
    if not all(is_known(dim) for dim in shape):
        return UNKNOWN_DIM
    return math.prod(shape)


def valid_shape(shape: Any) -> tuple:
    """A shape argument (``(2, 3)``, ``[2, 3]``, ``5``) as a tuple; ShapeError when NumPy rejects it.
    Unknown extents stay Unknown; the tuple of an Unknown shape is unknown as a whole (raised)."""
    if is_int(shape) or isinstance(shape, Unknown):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise ShapeError("not a shape")
    for dim in shape:
        if is_int(dim):
            if dim < 0:
                raise ShapeError("negative dimensions are not allowed")
        elif not isinstance(dim, Unknown):
            raise ShapeError("not a shape")
    return tuple(UNKNOWN_DIM if isinstance(dim, Unknown) else dim for dim in shape)


def normalize_axis(axis: Any, ndim: int) -> int:
    """numpy's ``normalize_axis_index``."""
    if not is_int(axis):
        raise ShapeError("axis must be an integer")
    if not -ndim <= axis < ndim:
        raise ShapeError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim if ndim else 0


def normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """numpy's ``normalize_axis_tuple``: an int or a tuple/list of ints, no repeats."""
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    result = tuple(normalize_axis(item, ndim) for item in axes)
    if len(set(result)) != len(result):
        raise ShapeError("repeated axis")
    return result


# ------------------------------------------------------------------ shapes


def broadcast_dim(left: Any, right: Any) -> Any:
    """One axis of NumPy's broadcasting. An unknown extent against a known one other than 1
    is that one when the script runs (else NumPy raises); against 1 or unknown, unknown."""
    if is_known(left) and is_known(right):
        if left == right or right == 1:
            return left
        if left == 1:
            return right
        raise ShapeError(f"operands could not be broadcast together ({left} and {right})")
    known = left if is_known(left) else right if is_known(right) else None
    if known is not None and known != 1:
        return known
    return UNKNOWN_DIM


def broadcast_shapes(*shapes: tuple) -> tuple:
    """``np.broadcast_shapes``: axes aligned from the right."""
    rank = max((len(shape) for shape in shapes), default=0)
    result: list[Any] = [1] * rank
    for shape in shapes:
        padded = (1,) * (rank - len(shape)) + tuple(shape)
        result = [broadcast_dim(mine, theirs) for mine, theirs in zip(result, padded)]
    return tuple(result)


def reshape(shape: tuple, target: Any) -> tuple:
    """``a.reshape(target)``: at most one ``-1``, inferred from the size; the size must match.
    With an unknown size the ``-1`` extent is unknown and the others are as given."""
    if is_int(target) or isinstance(target, Unknown):
        target = (target,)
    if not isinstance(target, (tuple, list)):
        raise ShapeError("not a shape")
    dims = list(target)
    if not all(is_int(dim) or isinstance(dim, Unknown) for dim in dims):
        raise ShapeError("not a shape")
    if any(is_int(dim) and dim < -1 for dim in dims):
        raise ShapeError("negative dimensions not allowed")
    free = [index for index, dim in enumerate(dims) if dim == -1 and is_int(dim)]
    if len(free) > 1:
        raise ShapeError("can only specify one unknown dimension")
    size = product(shape)
    rest = product(tuple(dim for index, dim in enumerate(dims) if index not in free))
    if free:
        if is_known(size) and is_known(rest):
            if rest == 0 or size % rest:
                raise ShapeError(f"cannot reshape array of size {size} into shape {tuple(target)}")
            dims[free[0]] = size // rest
        else:
            dims[free[0]] = UNKNOWN_DIM
    elif is_known(size) and is_known(rest) and size != rest:
        raise ShapeError(f"cannot reshape array of size {size} into shape {tuple(target)}")
    return tuple(UNKNOWN_DIM if isinstance(dim, Unknown) else dim for dim in dims)


def expand_dims(shape: tuple, axis: Any) -> tuple:
    """``np.expand_dims``: the axes are positions in the result (numpy/lib/_shape_base_impl.py)."""
    count = len(axis) if isinstance(axis, (tuple, list)) else 1
    rank = len(shape) + count
    axes = normalize_axes(axis, rank)
    remaining = iter(shape)
    return tuple(1 if index in axes else next(remaining) for index in range(rank))


def squeeze(shape: tuple, axis: Any = None) -> tuple:
    """``np.squeeze``: without an axis every extent 1 goes (unknown extents make it unknown:
    ShapeError is not right there, so the caller gets Unknown through a ValueError)."""
    if axis is None:
        if not all(is_known(dim) for dim in shape):
            raise ValueError("which axes are 1 is not known")
        return tuple(dim for dim in shape if dim != 1)
    if not shape and is_int(axis) and axis in (0, -1):
        return ()  # NumPy lets a 0-d array be squeezed on axis 0 or -1 (PyArray_ConvertMultiAxis)
    axes = normalize_axes(axis, len(shape))
    for index in axes:
        if is_known(shape[index]) and shape[index] != 1:
            raise ShapeError("cannot select an axis to squeeze out which has size not equal to one")
    return tuple(dim for index, dim in enumerate(shape) if index not in axes)


def transpose(shape: tuple, axes: Any = None) -> tuple:
    if axes is None:
        return tuple(reversed(shape))
    order = normalize_axes(axes, len(shape))
    if len(order) != len(shape):
        raise ShapeError("axes don't match array")
    return tuple(shape[index] for index in order)


def swapaxes(shape: tuple, first: Any, second: Any) -> tuple:
    a, b = normalize_axis(first, len(shape)), normalize_axis(second, len(shape))
    dims = list(shape)
    dims[a], dims[b] = dims[b], dims[a]
    return tuple(dims)


def _add_dims(left: Any, right: Any) -> Any:
    return left + right if is_known(left) and is_known(right) else UNKNOWN_DIM


def concatenate(shapes: list[tuple], axis: Any = 0) -> tuple:
    """``np.concatenate``: same rank, equal extents off the axis, extents on it add up;
    ``axis=None`` flattens every array first."""
    if not shapes:
        raise ShapeError("need at least one array to concatenate")
    if axis is None:
        total: Any = 0
        for shape in shapes:
            total = _add_dims(total, product(shape))
        return (total,)
    rank = len(shapes[0])
    if rank == 0:
        raise ShapeError("zero-dimensional arrays cannot be concatenated")
    if any(len(shape) != rank for shape in shapes):
        raise ShapeError("all the input arrays must have same number of dimensions")
    index = normalize_axis(axis, rank)
    result = list(shapes[0])
    for shape in shapes[1:]:
        for position, dim in enumerate(shape):
            if position == index:
                result[position] = _add_dims(result[position], dim)
            else:
                result[position] = _same_dim(result[position], dim)
    return tuple(result)


def _same_dim(left: Any, right: Any) -> Any:
    """Two extents NumPy requires to be equal: the known one when one is."""
    if is_known(left) and is_known(right):
        if left != right:
            raise ShapeError("all the input array dimensions except for the concatenation axis must match exactly")
        return left
    return left if is_known(left) else right


def stack(shapes: list[tuple], axis: Any = 0) -> tuple:
    """``np.stack``: equal shapes, a new axis of their number."""
    if not shapes:
        raise ShapeError("need at least one array to stack")
    rank = len(shapes[0])
    if any(len(shape) != rank for shape in shapes):
        raise ShapeError("all input arrays must have the same shape")
    common = list(shapes[0])
    for shape in shapes[1:]:
        common = [_same_dim(mine, theirs) for mine, theirs in zip(common, shape)]
    index = normalize_axis(axis, rank + 1)
    return tuple(common[:index]) + (len(shapes),) + tuple(common[index:])


def at_least(shape: tuple, rank: int) -> tuple:
    """``np.atleast_1d`` / ``atleast_2d`` (``atleast_3d`` puts the 1s elsewhere: not modelled)."""
    if len(shape) >= rank:
        return shape
    return (1,) * (rank - len(shape)) + shape


def vstack(shapes: list[tuple]) -> tuple:
    return concatenate([at_least(shape, 2) for shape in shapes], 0)


def hstack(shapes: list[tuple]) -> tuple:
    ranked = [at_least(shape, 1) for shape in shapes]
    return concatenate(ranked, 0 if ranked and len(ranked[0]) == 1 else 1)


def _width_grid(width: Any) -> list[list[Any]]:
    """A ``pad_width`` as the rows of the 2-d array NumPy makes of it (a number is one row of one,
    a flat sequence one row); ShapeError where NumPy rejects it, ValueError where padlint does
    not model it (floats, arrays)."""

    def entry(item: Any) -> Any:
        if is_int(item) or isinstance(item, Unknown):
            return item
        if isinstance(item, (list, tuple)):
            raise ShapeError("input operand has more dimensions than allowed by the axis remapping")
        raise ValueError("a pad width padlint does not model")

    if not isinstance(width, (list, tuple)):
        return [[entry(width)]]
    if not all(isinstance(item, (list, tuple)) for item in width):
        if any(isinstance(item, (list, tuple)) for item in width):
            raise ShapeError("a ragged pad width")
        return [[entry(item) for item in width]]
    rows = [[entry(item) for item in row] for row in width]
    if len({len(row) for row in rows}) > 1:
        raise ShapeError("a ragged pad width")
    return rows


def pad_widths(width: Any, ndim: int) -> list[tuple[Any, Any]]:
    """numpy/lib/_arraypad_impl.py ``_as_pairs(pad_width, ndim, as_index=True)``: an int, a
    ``(before, after)`` pair or one pair per axis, broadcast to ``(ndim, 2)``; a negative width raises."""
    rows = _width_grid(width)
    columns = len(rows[0]) if rows else 0
    if not rows or not columns:
        raise ShapeError("`pad_width` must be of integral type")
    if len(rows) not in (1, ndim) or columns not in (1, 2):
        raise ShapeError("operands could not be broadcast together with remapped shapes")
    if any(is_int(item) and item < 0 for row in rows for item in row):
        raise ShapeError("index can't contain negative values")
    return [(row[0], row[-1]) for row in (rows * ndim if len(rows) == 1 else rows)][:ndim]


def pad(shape: tuple, width: Any) -> tuple:
    """``np.pad(a, pad_width)``: each axis grows by its two widths."""
    return padded(shape, pad_widths(width, len(shape)))


def padded(shape: tuple, pairs: list[tuple[Any, Any]]) -> tuple:
    """The shape grown by :func:`pad_widths`' ``(before, after)`` pair of each axis."""
    return tuple(_add_dims(_add_dims(before, dim), after) for dim, (before, after) in zip(shape, pairs))


def repeat(shape: tuple, repeats: Any, axis: Any = None) -> tuple:
    """``np.repeat(a, repeats, axis=None)``: without an axis the flattened array, else that axis
    repeated; ``repeats`` a count, a list of one or of one count per element, or unknown. A 0-d
    array counts as 1-d there (numpy's PyArray_CheckAxis)."""
    if axis is None:
        shape, position = (product(shape),), 0
    else:
        shape = shape or (1,)
        position = normalize_axis(axis, len(shape))
    dim = shape[position]
    if isinstance(repeats, (list, tuple)) and len(repeats) == 1:
        repeats = repeats[0]
    if is_int(repeats):
        if repeats < 0 and dim == 0:
            extent = 0  # NumPy lets a negative count repeat an empty axis
        elif repeats < 0:
            if not is_known(dim):
                raise ValueError("a negative count of an axis that may be empty")
            raise ShapeError("negative dimensions are not allowed")
        else:
            extent = product((dim, repeats))
    elif isinstance(repeats, (list, tuple)) and all(is_int(count) for count in repeats):
        if any(count < 0 for count in repeats):
            raise ShapeError("repeats may not contain negative values")
        if is_known(dim) and dim != len(repeats):
            raise ShapeError("operands could not be broadcast together")
        extent = sum(repeats)
    elif isinstance(repeats, Unknown):
        extent = UNKNOWN_DIM
    else:
        raise ValueError("repeats padlint does not model")
    return (*shape[:position], extent, *shape[position + 1 :])


def tile(shape: tuple, reps: Any) -> tuple:
    """``np.tile(a, reps)`` (numpy/lib/_shape_base_impl.py): the shorter of the shape and ``reps``
    is padded with leading 1s, then the extents multiply. Negative counts are not modelled
    (NumPy raises for them, except on an empty array)."""
    counts = tuple(reps) if isinstance(reps, (list, tuple)) else (reps,)
    if not all(is_int(count) or isinstance(count, Unknown) for count in counts):
        raise ValueError("reps padlint does not model")
    if any(is_int(count) and count < 0 for count in counts):
        raise ValueError("negative reps are not modelled")
    rank = max(len(shape), len(counts))
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    counts = (1,) * (rank - len(counts)) + counts
    return tuple(product((dim, count)) for dim, count in zip(shape, counts))


def dot(left: tuple, right: tuple) -> tuple:
    """``np.dot(a, b)``: with a 0-d operand the other's shape (a product); else the sum over the
    last axis of ``a`` and the second-to-last of ``b`` (its only one when 1-d), which must match:
    ``np.dot(rgb, [0.299, 0.587, 0.114])`` drops the channel axis."""
    if not left or not right:
        return tuple(left or right)
    axis = len(right) - 2 if len(right) >= 2 else 0
    try:
        _same_dim(left[-1], right[axis])
    except ShapeError:
        raise ShapeError(f"shapes {left} and {right} not aligned") from None
    return (*left[:-1], *right[:axis], *right[axis + 1 :])


def reduce(shape: tuple, axis: Any = None, keepdims: bool = False) -> tuple:
    """A reduction (``sum``, ``mean``, ``max``, ``argmax`` ...) over ``axis`` (None: all axes)."""
    axes = tuple(range(len(shape))) if axis is None else normalize_axes(axis, len(shape))
    if keepdims:
        return tuple(1 if index in axes else dim for index, dim in enumerate(shape))
    return tuple(dim for index, dim in enumerate(shape) if index not in axes)


@dataclass(frozen=True)
class OpenSlice:
    """A slice some of whose bounds padlint does not know (``x[:n]`` with ``n`` from data):
    it keeps its axis, of an unknown extent."""


def _slice_length(dim: Any, part: slice | OpenSlice) -> Any:
    if isinstance(part, OpenSlice) or not is_known(dim):
        if isinstance(part, slice) and part == slice(None, None, None):
            return dim
        return UNKNOWN_DIM
    if part.step == 0:
        raise ShapeError("slice step cannot be zero")
    return slice_extent(part, dim)


def slice_extent(part: slice, length: int) -> int:
    """``len(range(*part.indices(length)))`` without ``len()``, which raises OverflowError for a
    range longer than ``sys.maxsize`` (a size of 10**20 in user code)."""
    start, stop, step = part.indices(length)
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


def index(shape: tuple, key: Any) -> tuple:
    """The shape of ``a[key]`` (numpy's indexing rules, numpy/_core/src/multiarray/mapping.c).

    ``key`` is one index or a tuple of them: ints, slices (or :class:`OpenSlice`), None
    (``np.newaxis``), Ellipsis, or one advanced index (an :class:`ArrayValue` of integers
    or booleans, a list of ints). Several advanced indices (their broadcasting and where
    their axes go) are not modelled: ValueError, so the caller says unknown.
    """
    parts = list(key) if isinstance(key, tuple) else [key]
    if sum(1 for part in parts if part is ...) > 1:
        raise ShapeError("an index can only have a single ellipsis")
    advanced = [position for position, part in enumerate(parts) if isinstance(part, (ArrayValue, list))]
    if len(advanced) > 1:
        raise ValueError("several advanced indices are not modelled")
    consumed = 0
    for part in parts:
        if isinstance(part, ArrayValue) and part.dtype == "bool":
            consumed += max(part.ndim, 1)
        elif part is not None and part is not ...:
            consumed += 1
    if consumed > len(shape):
        raise ShapeError("too many indices for array")
    if ... in parts:
        position = parts.index(...)
        parts[position : position + 1] = [slice(None)] * (len(shape) - consumed)
    else:
        parts.extend([slice(None)] * (len(shape) - consumed))
    result: list[Any] = []
    axis = 0
    for part in parts:
        if part is None:
            result.append(1)
        elif isinstance(part, (slice, OpenSlice)):
            result.append(_slice_length(shape[axis], part))
            axis += 1
        elif is_int(part):
            dim = shape[axis]
            if is_known(dim) and not -dim <= part < dim:
                raise ShapeError(f"index {part} is out of bounds for axis {axis} with size {dim}")
            axis += 1
        elif isinstance(part, list):
            if not all(is_int(item) for item in part):
                raise ValueError("a list index padlint does not model")
            dim = shape[axis]
            if is_known(dim) and not all(-dim <= item < dim for item in part):
                raise ShapeError("index out of bounds")
            result.append(len(part))
            axis += 1
        elif isinstance(part, ArrayValue) and part.dtype == "bool":
            covered = shape[axis : axis + max(part.ndim, 1)]
            for mine, theirs in zip(covered, part.shape):
                if is_known(mine) and is_known(theirs) and mine != theirs:
                    raise ShapeError("boolean index did not match indexed array")
            result.append(UNKNOWN_DIM)  # how many are True is data
            axis += max(part.ndim, 1)
        elif isinstance(part, ArrayValue) and part.dtype is not None and part.dtype.startswith(("int", "uint")):
            result.extend(part.shape)
            axis += 1
        else:
            raise ValueError("an index padlint does not model")
    return tuple(result)


# ------------------------------------------------------------------ dtypes

#: NumPy's numeric dtypes padlint names, by kind and bits.
_KINDS = {"bool": ("b", 8), "float16": ("f", 16), "float32": ("f", 32), "float64": ("f", 64)}
for _bits in (8, 16, 32, 64):
    _KINDS[f"int{_bits}"] = ("i", _bits)
    _KINDS[f"uint{_bits}"] = ("u", _bits)

#: Spellings of dtypes (``'float32'``, ``'f4'``, ``float``, ``np.float32``, ``'int'``).
DTYPE_ALIASES = {
    "float": "float64",
    "double": "float64",
    "single": "float32",
    "half": "float16",
    "int": "int64",
    "int_": "int64",
    "intp": "int64",
    "long": "int64",
    "bool_": "bool",
    "f2": "float16",
    "f4": "float32",
    "f8": "float64",
    "i1": "int8",
    "i2": "int16",
    "i4": "int32",
    "i8": "int64",
    "u1": "uint8",
    "u2": "uint16",
    "u4": "uint32",
    "u8": "uint64",
    "object": "object",
    "object_": "object",
    "O": "object",
}


def dtype_name(spelling: str) -> str | None:
    """The canonical dtype name of a spelling NumPy accepts, or None when padlint does not know it."""
    name = DTYPE_ALIASES.get(spelling, spelling)
    return name if name in _KINDS or name == "object" else None


def _float_for(bits_of_int: int) -> str:
    """The smallest float that holds an integer of so many bits (numpy's promotion table)."""
    return "float16" if bits_of_int <= 8 else "float32" if bits_of_int <= 16 else "float64"


def promote_types(left: str | None, right: str | None) -> str | None:
    """``np.promote_types`` for the numeric dtypes above; None when either is unknown or object."""
    if left is None or right is None or left not in _KINDS or right not in _KINDS:
        return None
    if left == right:
        return left
    (kind_a, bits_a), (kind_b, bits_b) = _KINDS[left], _KINDS[right]
    if kind_a == "b":
        return right
    if kind_b == "b":
        return left
    if kind_a == kind_b:
        return left if bits_a >= bits_b else right
    if "f" in (kind_a, kind_b):
        float_bits = bits_a if kind_a == "f" else bits_b
        int_bits = bits_b if kind_a == "f" else bits_a
        needed = _float_for(int_bits)
        return needed if _KINDS[needed][1] > float_bits else f"float{float_bits}"
    unsigned_bits = bits_a if kind_a == "u" else bits_b
    signed_bits = bits_b if kind_a == "u" else bits_a
    if signed_bits > unsigned_bits:
        return f"int{signed_bits}"
    return f"int{unsigned_bits * 2}" if unsigned_bits < 64 else "float64"


def fits(value: int, dtype: str) -> bool:
    """Whether an integer is representable in a dtype (floats hold every int padlint sees)."""
    kind, bits = _KINDS[dtype]
    if kind == "u":
        return 0 <= value < 2**bits
    if kind == "i":
        return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
    return True


def scalar_result(array_dtype: str | None, scalar: Any) -> str | None:
    """NEP 50: a Python scalar is "weak" and takes the array's dtype, unless of a higher kind
    (a float with integers gives float64); an int that does not fit raises in NumPy 2 (None here)."""
    if array_dtype is None or array_dtype not in _KINDS:
        return None
    kind, _ = _KINDS[array_dtype]
    if isinstance(scalar, bool):
        return array_dtype
    if isinstance(scalar, int):
        if kind == "b":
            return "int64"
        return array_dtype if kind == "f" or fits(scalar, array_dtype) else None
    if isinstance(scalar, float):
        return array_dtype if kind == "f" else "float64"
    return None


def binary_dtype(op: str, left: str | None, right: str | None) -> str | None:
    """The dtype of ``a op b`` given the promoted dtype of the operands (``/`` of integers is float64)."""
    dtype = promote_types(left, right) if right is not None else left
    if dtype is None:
        return None
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return "bool"
    kind, _ = _KINDS[dtype]
    if op == "/":
        return "float64" if kind in ("b", "i", "u") else dtype
    if kind == "b" and op not in ("&", "|", "^"):
        return None  # bool - bool raises; bool + bool is logical or: not worth modelling
    return dtype


def is_integer_dtype(dtype: str | None) -> bool:
    return dtype in _KINDS and _KINDS[dtype][0] in ("i", "u")


def float_result(dtype: str | None) -> str | None:
    """The dtype of a mean (``mean``, ``std``, ``var``: integers are averaged in float64)."""
    if dtype is None or dtype not in _KINDS:
        return None
    return "float64" if _KINDS[dtype][0] in ("b", "i", "u") else dtype


def ufunc_float_result(dtype: str | None) -> str | None:
    """The dtype of a float ufunc (``np.sqrt``, ``np.log``) of an array: the smallest float
    that holds its values (uint8 gives float16, int16 float32, int32 float64)."""
    if dtype is None or dtype not in _KINDS:
        return None
    return promote_types(dtype, "float16")


def literal_shape(value: Any) -> tuple[tuple, str | None] | None:
    """The shape and dtype ``np.array`` gives a nested list of numbers (or of arrays of one
    shape); None when ragged or holding what padlint does not model."""
    if isinstance(value, ArrayValue):
        return value.shape, value.dtype
    if isinstance(value, bool):
        return (), "bool"
    if isinstance(value, int):
        return (), "int64" if -(2**63) <= value < 2**63 else None
    if isinstance(value, float):
        return (), "float64"
    if not isinstance(value, (list, tuple)):
        return None
    if not value:
        return (0,), "float64"
    inner = [literal_shape(item) for item in value]
    if any(item is None for item in inner):
        return None
    shapes = {shape for shape, _ in inner}
    if len(shapes) != 1:
        return None  # ragged: NumPy 2 raises, NumPy 1 makes an object array
    (shape,) = shapes
    if not all(is_known(dim) for dim in shape):
        return None
    dtype: str | None = inner[0][1]
    for _, item_dtype in inner[1:]:
        dtype = promote_types(dtype, item_dtype)
    return (len(value), *shape), dtype
