"""The NumPy functions, array methods and operators the evaluator models, over :class:`ArrayValue`.

What scripts do to data before a model sees it: ``np.expand_dims(x, -1)``,
``x.reshape(-1, 28, 28, 1)``, ``x.astype('float32') / 255``, ``x[..., None]``,
``np.concatenate``, ``np.random.rand(100, 8)``, ``np.array([[1, 2], [3, 4]])``,
``sklearn``'s ``train_test_split``. Each reads the evaluator's arguments, leaves
the shape algebra to :mod:`padlint.evaluation.arrays`, and returns an
ArrayValue or an Unknown. An argument padlint does not know makes the result
unknown; a call NumPy would reject raises (ValueError, TypeError), which the
interpreter turns into an Unknown too.

The functions are registered by qualified name (``numpy.expand_dims``) in
:data:`FUNCTIONS`, which :mod:`padlint.evaluation.builtins` merges into LIBRARY.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from padlint.evaluation import arrays
from padlint.evaluation.arrays import UNKNOWN_DIM, ArrayValue, is_int
from padlint.evaluation.values import ModuleRef, Unknown

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter

Implementation = Callable[["Interpreter", list, dict], Any]


def argument(args: list, kwargs: dict, position: int, name: str, default: Any = None) -> Any:
    """A parameter given by position or keyword (NumPy's signatures), else its default."""
    if position < len(args):
        return args[position]
    return kwargs.get(name, default)


def as_array(value: Any) -> ArrayValue | None:
    """What NumPy makes of an array-like: an ArrayValue itself, a number, or a nested list of
    numbers (or of arrays of one shape); None when unknown or not modelled."""
    if isinstance(value, ArrayValue):
        return value
    found = arrays.literal_shape(value)
    if found is None:
        return None
    return ArrayValue(found[0], found[1])


def dtype_of(value: Any) -> str | None:
    """A ``dtype=`` argument (``'float32'``, ``np.float32``, ``float``, ``'uint8'``) as a dtype name."""
    from padlint.evaluation.builtins import BuiltinFunction

    if isinstance(value, str):
        return arrays.dtype_name(value)
    if isinstance(value, ModuleRef):
        head, _, name = value.qualname.rpartition(".")
        return arrays.dtype_name(name) if head in ("numpy", "tensorflow", "builtins") else None
    if isinstance(value, BuiltinFunction) and value.name in ("float", "int", "bool"):
        return {"float": "float64", "int": "int64", "bool": "bool"}[value.name]
    return None


def _dtype_argument(args: list, kwargs: dict, position: int, default: str | None) -> str | None:
    given = argument(args, kwargs, position, "dtype", None)
    return default if given is None else dtype_of(given)


def _unknown(why: str) -> Unknown:
    return Unknown(why)


# ---------------------------------------------------------------- creation


def _array(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.array(obj, dtype=None)`` / ``np.asarray``: the shape of the array-like."""
    value = argument(args, kwargs, 0, "object")
    source = as_array(value)
    if source is None:
        return _unknown("np.array of values padlint does not model")
    given = argument(args, kwargs, 1, "dtype")
    if given is None:
        return ArrayValue(source.shape, source.dtype, source.classes)
    dtype = dtype_of(given)
    if dtype == "object" and not isinstance(value, ArrayValue):
        return _unknown("an object array of values padlint does not model")
    return ArrayValue(source.shape, dtype, source.classes if dtype not in (None, "bool", "object") else None)


def _filled(default_dtype: str | None, shape_position: int = 0) -> Implementation:
    """``np.zeros(shape, dtype=float)``, ``np.ones``, ``np.empty``."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        shape = arrays.valid_shape(argument(args, kwargs, shape_position, "shape"))
        return ArrayValue(shape, _dtype_argument(args, kwargs, shape_position + 1, default_dtype))

    return implementation


def _full(interp: Interpreter, args: list, kwargs: dict) -> Any:
    shape = arrays.valid_shape(argument(args, kwargs, 0, "shape"))
    fill = as_array(argument(args, kwargs, 1, "fill_value"))
    dtype = _dtype_argument(args, kwargs, 2, fill.dtype if fill is not None else None)
    if fill is not None:
        shape = arrays.broadcast_shapes(shape, fill.shape)
    return ArrayValue(shape, dtype)


def _like(fill: bool = False) -> Implementation:
    """``np.zeros_like(a, dtype=None, shape=None)`` and friends (``full_like(a, fill_value, ...)``)."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        source = as_array(argument(args, kwargs, 0, "a"))
        offset = 1 if fill else 0  # (a, [fill_value,] dtype, order, subok, shape)
        shape_argument = argument(args, kwargs, 4 + offset, "shape")
        if source is None:
            return _unknown("an array like an unknown value")
        dtype = _dtype_argument(args, kwargs, 1 + offset, source.dtype)
        shape = source.shape if shape_argument is None else arrays.valid_shape(shape_argument)
        return ArrayValue(shape, dtype)

    return implementation


def _arange(interp: Interpreter, args: list, kwargs: dict) -> Any:
    bounds = [argument(args, kwargs, index, key) for index, key in enumerate(("start", "stop", "step"))]
    start, stop, step = bounds
    if stop is None:
        start, stop = 0, start
    start = 0 if start is None else start
    step = 1 if step is None else step
    numbers = (start, stop, step)
    if not all(isinstance(number, (int, float)) and not isinstance(number, bool) for number in numbers) or step == 0:
        return _unknown("np.arange with unknown bounds")
    length = max(0, math.ceil((stop - start) / step))
    floats = any(isinstance(number, float) for number in numbers)
    return ArrayValue((length,), _dtype_argument(args, kwargs, 3, "float64" if floats else "int64"))


def _linspace(interp: Interpreter, args: list, kwargs: dict) -> Any:
    num = argument(args, kwargs, 2, "num", 50)
    if argument(args, kwargs, 4, "retstep", False) is not False:
        return _unknown("np.linspace with retstep")
    if not is_int(num) or num < 0:
        return _unknown("np.linspace with an unknown count")
    if any(not isinstance(argument(args, kwargs, index, key), (int, float)) for index, key in ((0, "start"), (1, "stop"))):
        return _unknown("np.linspace of arrays")
    return ArrayValue((num,), _dtype_argument(args, kwargs, 5, "float64"))


def _eye(interp: Interpreter, args: list, kwargs: dict) -> Any:
    rows = argument(args, kwargs, 0, "N")
    columns = argument(args, kwargs, 1, "M")
    columns = rows if columns is None else columns
    shape = arrays.valid_shape((rows, columns))
    return ArrayValue(shape, _dtype_argument(args, kwargs, 3, "float64"))


def _identity(interp: Interpreter, args: list, kwargs: dict) -> Any:
    size = argument(args, kwargs, 0, "n")
    return ArrayValue(arrays.valid_shape((size, size)), _dtype_argument(args, kwargs, 1, "float64"))


# ------------------------------------------------------------------ random


def _sized_sample(dtype: str | None, size_position: int, size_name: str = "size", scalar_parameters: tuple = ()) -> Implementation:
    """``np.random.normal(loc, scale, size)`` and the like: an array of ``size`` (None: one
    number, of unknown value); array parameters broadcast with it (not modelled: unknown)."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        for index, name in scalar_parameters:
            value = argument(args, kwargs, index, name)
            if value is not None and not isinstance(value, (int, float)):
                return _unknown("random numbers with array parameters")
        size = argument(args, kwargs, size_position, size_name)
        if size is None:
            return _unknown("a random number")
        # A Generator's ``random`` and ``standard_normal`` take ``dtype=np.float32``.
        return ArrayValue(arrays.valid_shape(size), dtype_of(kwargs["dtype"]) if "dtype" in kwargs else dtype)

    return implementation


def _dims_sample(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.random.rand(d0, d1, ...)`` / ``randn``: the dimensions as arguments."""
    if kwargs:
        raise TypeError("rand() takes no keyword arguments")
    if not args:
        return _unknown("a random number")
    return ArrayValue(arrays.valid_shape(tuple(args)), "float64")


def _randint(interp: Interpreter, args: list, kwargs: dict) -> Any:
    size = argument(args, kwargs, 2, "size")
    if size is None:
        return _unknown("a random number")
    return ArrayValue(arrays.valid_shape(size), _dtype_argument(args, kwargs, 3, "int64"))


def _integers(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``Generator.integers(low, high=None, size=None, dtype=np.int64)``."""
    return _randint(interp, args, kwargs)


def _choice(interp: Interpreter, args: list, kwargs: dict) -> Any:
    population = argument(args, kwargs, 0, "a")
    size = argument(args, kwargs, 1, "size")
    if size is None:
        return _unknown("a random choice")
    if is_int(population):
        dtype: str | None = "int64"
    else:
        source = as_array(population)
        if source is None or source.ndim != 1:
            return _unknown("a random choice from values padlint does not model")
        dtype = source.dtype
    return ArrayValue(arrays.valid_shape(size), dtype)


def _permutation(interp: Interpreter, args: list, kwargs: dict) -> Any:
    value = argument(args, kwargs, 0, "x")
    if is_int(value):
        return ArrayValue(arrays.valid_shape((value,)), "int64")
    source = as_array(value)
    if source is None or not source.ndim:
        return _unknown("a permutation of values padlint does not model")
    return ArrayValue(source.shape, source.dtype)


def _nothing(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.random.seed(0)``, ``np.random.shuffle(x)`` (in place: the shape stays)."""
    return None


def _default_rng(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.random.default_rng(seed)``: a Generator, whose methods are modelled by qualified name."""
    return ModuleRef(GENERATOR)


#: The qualified name a Generator's methods are registered under.
GENERATOR = "numpy.random.Generator()"


# ------------------------------------------------------------ shape functions


def _source(value: Any) -> ArrayValue:
    source = as_array(value)
    if source is None:
        raise ValueError("an array padlint does not know")
    return source


def _keeps_values(source: ArrayValue, shape: tuple) -> ArrayValue:
    """The same elements in another shape (the label classes stay known)."""
    return ArrayValue(shape, source.dtype, source.classes)


def _reshape_function(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    target = argument(args, kwargs, 1, "newshape", kwargs.get("shape"))
    return _keeps_values(source, arrays.reshape(source.shape, target))


def _expand_dims(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    return _keeps_values(source, arrays.expand_dims(source.shape, argument(args, kwargs, 1, "axis")))


def _squeeze(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    return _keeps_values(source, arrays.squeeze(source.shape, argument(args, kwargs, 1, "axis")))


def _transpose(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    return _keeps_values(source, arrays.transpose(source.shape, argument(args, kwargs, 1, "axes")))


def _swapaxes(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    return _keeps_values(source, arrays.swapaxes(source.shape, argument(args, kwargs, 1, "axis1"), argument(args, kwargs, 2, "axis2")))


def _ravel(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    return _keeps_values(source, (source.size,))


#: The keywords each ``np.pad`` mode takes (numpy/lib/_arraypad_impl.py ``allowedkwargs``);
#: only "constant" and "empty" may extend an empty axis.
PAD_MODES: dict[str, tuple[str, ...]] = {
    "constant": ("constant_values",),
    "empty": (),
    "edge": (),
    "wrap": (),
    "linear_ramp": ("end_values",),
    "maximum": ("stat_length",),
    "mean": ("stat_length",),
    "median": ("stat_length",),
    "minimum": ("stat_length",),
    "reflect": ("reflect_type",),
    "symmetric": ("reflect_type",),
}


def _pad(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.pad(array, pad_width, mode="constant", **kwargs)``: LeNet's 28 -> 32 MNIST padding.
    The dtype stays (the padding values are cast to it); the labels' classes do not."""
    source = _source(argument(args, kwargs, 0, "array"))
    mode = argument(args, kwargs, 2, "mode", "constant")
    if len(args) > 3 or not isinstance(mode, str):
        return _unknown("np.pad with a mode padlint does not model")
    if mode not in PAD_MODES or set(kwargs) - {"array", "pad_width", "mode", *PAD_MODES[mode]}:
        raise ValueError(f"np.pad does not take those arguments in mode {mode!r}")
    width = argument(args, kwargs, 1, "pad_width")
    widths = arrays.pad_widths(width, source.ndim)
    if mode not in ("constant", "empty"):
        for dim, pair in zip(source.shape, widths):
            if dim != 0:
                continue
            if any(is_int(width) and width > 0 for width in pair):
                raise arrays.ShapeError(f"can't extend an empty axis using mode {mode!r}")
            if not all(is_int(width) for width in pair):
                raise ValueError("an empty axis padded by widths padlint does not know")
    return ArrayValue(arrays.padded(source.shape, widths), source.dtype)


def _positive_count(count: Any) -> bool:
    return is_int(count) and count > 0


def _repeat(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.repeat(a, repeats, axis=None)`` / ``a.repeat(...)``: grayscale to RGB by repeating a
    channel axis. Every value stays, so a positive count keeps the labels' classes."""
    source = _source(argument(args, kwargs, 0, "a"))
    repeats = argument(args, kwargs, 1, "repeats")
    shape = arrays.repeat(source.shape, repeats, argument(args, kwargs, 2, "axis"))
    return ArrayValue(shape, source.dtype, source.classes if _positive_count(repeats) else None)


def _tile(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.tile(A, reps)``: the array repeated along each axis; positive counts keep the classes."""
    source = _source(argument(args, kwargs, 0, "A"))
    reps = argument(args, kwargs, 1, "reps")
    counts = reps if isinstance(reps, (list, tuple)) else (reps,)
    return ArrayValue(arrays.tile(source.shape, reps), source.dtype, source.classes if all(map(_positive_count, counts)) else None)


def _dot(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.dot(a, b)`` / ``a.dot(b)``: greyscale by ``np.dot(x[..., :3], [0.299, 0.587, 0.114])``.
    The dtype is the operands' promoted one (not known with a Python number, which is weak)."""
    if len(args) + len(kwargs) != 2 or kwargs.keys() - {"a", "b"}:
        return _unknown("np.dot with an out= padlint does not model")
    operands = [argument(args, kwargs, 0, "a"), argument(args, kwargs, 1, "b")]
    left, right = (_source(operand) for operand in operands)
    dtype = None if any(isinstance(operand, (int, float)) for operand in operands) else arrays.promote_types(left.dtype, right.dtype)
    return ArrayValue(arrays.dot(left.shape, right.shape), dtype)


def _sequence_of_arrays(value: Any) -> list[ArrayValue]:
    if not isinstance(value, (list, tuple)):
        raise ValueError("a sequence of arrays padlint does not know")
    return [_source(item) for item in value]


def _joined_dtype(items: list[ArrayValue]) -> str | None:
    dtype = items[0].dtype
    for item in items[1:]:
        dtype = arrays.promote_types(dtype, item.dtype) if dtype != item.dtype else dtype
    return dtype


def _joined_classes(items: list[ArrayValue], cast: bool, dtype: str | None) -> int | None:
    """Joined label arrays hold every value of each part: ``np.concatenate([y_train, y_test])``
    has their classes when all parts have the same ones (a ``dtype=`` cast to bool or to a
    dtype padlint does not know loses them, as ``astype`` does)."""
    classes = {item.classes for item in items}
    if len(classes) != 1 or cast and dtype in (None, "bool", "object"):
        return None
    return classes.pop()


def _joining(shape_function: Callable[..., tuple], takes_axis: bool = True) -> Implementation:
    """``np.concatenate(arrays, axis=0)``, ``np.stack``, ``np.vstack``, ``np.hstack``."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        items = _sequence_of_arrays(argument(args, kwargs, 0, "arrays", kwargs.get("tup")))
        if not items:
            raise ValueError("need at least one array")
        shapes = [item.shape for item in items]
        shape = shape_function(shapes, argument(args, kwargs, 1, "axis", 0)) if takes_axis else shape_function(shapes)
        dtype = _dtype_argument(args, kwargs, 3, _joined_dtype(items))
        cast = argument(args, kwargs, 3, "dtype") is not None
        return ArrayValue(shape, dtype, _joined_classes(items, cast, dtype))

    return implementation


def _reduction(result_dtype: Callable[[str | None], str | None]) -> Implementation:
    """``np.mean(a, axis=None, ..., keepdims=False)`` and the like: a 0-d array (a number of
    unknown value) or the array without the reduced axes."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        value = argument(args, kwargs, 0, "a")
        if not isinstance(value, ArrayValue):
            return _plain_reduction(value, args, kwargs)
        keepdims = kwargs.get("keepdims", False)
        if not isinstance(keepdims, bool):
            return _unknown("keepdims padlint does not know")
        shape = arrays.reduce(value.shape, argument(args, kwargs, 1, "axis"), keepdims)
        return ArrayValue(shape, dtype_of(kwargs["dtype"]) if "dtype" in kwargs else result_dtype(value.dtype))

    return implementation


def _plain_reduction(value: Any, args: list, kwargs: dict) -> Any:
    """A reduction of Python values (``np.max([3, 5])``): not modelled (``np.prod`` of a shape
    keeps its own implementation)."""
    return Unknown("a reduction of values padlint does not model")


def _argreduction(interp: Interpreter, args: list, kwargs: dict) -> Any:
    value = _source(argument(args, kwargs, 0, "a"))
    keepdims = kwargs.get("keepdims", False)
    axis = argument(args, kwargs, 1, "axis")
    if axis is not None and not is_int(axis):
        raise TypeError("argmax axis must be an integer")
    if not isinstance(keepdims, bool):
        return _unknown("keepdims padlint does not know")
    return ArrayValue(arrays.reduce(value.shape, axis, keepdims), "int64")


def _unique(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.unique(y)``: how many distinct values there are is data (unknown), except for a
    dataset's labels, which are exactly ``0 .. classes - 1``."""
    if any(kwargs.get(key) for key in ("return_index", "return_inverse", "return_counts")) or len(args) > 1:
        return _unknown("np.unique with extra results")
    value = _source(argument(args, kwargs, 0, "ar"))
    if kwargs.get("axis") is not None:
        return _unknown("np.unique along an axis")
    if value.classes is not None:
        return ArrayValue((value.classes,), value.dtype, classes=value.classes)
    return ArrayValue((UNKNOWN_DIM,), value.dtype)


def label_values(value: Any) -> list[ArrayValue] | None:
    """The distinct elements of a 1-d label array whose classes are known (``set(y_train)``): the
    NumPy scalars ``0 .. classes - 1``; None for anything else (a 2-d array's rows do not hash)."""
    if not isinstance(value, ArrayValue) or value.classes is None or value.ndim != 1:
        return None
    return [ArrayValue((), value.dtype, value=number) for number in range(value.classes)]


def _elementwise(result_dtype: Callable[[str | None], str | None], scalar: Implementation | None = None) -> Implementation:
    """A function applied to every element (``np.sqrt``, ``np.log``, ``np.abs``): same shape.
    On a Python number, ``scalar`` computes it (``np.sqrt(64)``), as before arrays were modelled."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        value = argument(args, kwargs, 0, "x")
        if not isinstance(value, ArrayValue) and scalar is not None:
            return scalar(interp, args, kwargs)
        source = as_array(value)
        if source is None:
            return _unknown("a function of values padlint does not model")
        return ArrayValue(source.shape, result_dtype(source.dtype))

    return implementation


def _same_dtype(dtype: str | None) -> str | None:
    return dtype


def _clip(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = _source(argument(args, kwargs, 0, "a"))
    bounds = [as_array(argument(args, kwargs, index, name)) for index, name in ((1, "a_min"), (2, "a_max"))]
    shape = source.shape
    dtype = source.dtype
    for index, bound in enumerate(bounds):
        raw = argument(args, kwargs, index + 1, ("a_min", "a_max")[index])
        if raw is None:
            continue
        if bound is None:
            return _unknown("np.clip with unknown bounds")
        shape = arrays.broadcast_shapes(shape, bound.shape)
        dtype = arrays.scalar_result(dtype, raw) if not isinstance(raw, ArrayValue) else arrays.promote_types(dtype, bound.dtype)
    return ArrayValue(shape, dtype)


def _where(interp: Interpreter, args: list, kwargs: dict) -> Any:
    if len(args) != 3:
        return _unknown("np.where(condition): the positions are data")
    operands = [as_array(value) for value in args]
    if any(operand is None for operand in operands):
        return _unknown("np.where of values padlint does not model")
    shape = arrays.broadcast_shapes(*(operand.shape for operand in operands))
    return ArrayValue(shape, None)


def _train_test_split(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """sklearn's ``train_test_split(*arrays, test_size=None, train_size=None, ...)``: each array
    split on its first axis, the sizes as sklearn's ``_validate_shuffle_split`` computes them."""
    if not args:
        raise ValueError("at least one array required as input")
    sources = [value for value in args]
    if not all(isinstance(value, ArrayValue) and value.ndim for value in sources):
        return _unknown("train_test_split of values padlint does not model")
    samples = sources[0].shape[0]
    test_size, train_size = kwargs.get("test_size"), kwargs.get("train_size")
    train, test = _split_sizes(samples, test_size, train_size)
    result = []
    for source in sources:
        rest = source.shape[1:]
        result.append(ArrayValue((train, *rest), source.dtype))
        result.append(ArrayValue((test, *rest), source.dtype))
    return result


def _split_sizes(samples: Any, test_size: Any, train_size: Any) -> tuple[Any, Any]:
    """sklearn/model_selection/_split.py ``_validate_shuffle_split`` (ceil for the test share,
    floor for the train share); unknown when the sample count or a size is."""
    if test_size is None and train_size is None:
        test_size = 0.25
    if not arrays.is_known(samples) or any(isinstance(size, Unknown) for size in (test_size, train_size)):
        return UNKNOWN_DIM, UNKNOWN_DIM
    for size in (test_size, train_size):
        if size is not None and (isinstance(size, bool) or not isinstance(size, (int, float))):
            return UNKNOWN_DIM, UNKNOWN_DIM
    n_test = math.ceil(test_size * samples) if isinstance(test_size, float) else test_size
    n_train = math.floor(train_size * samples) if isinstance(train_size, float) else train_size
    if train_size is None:
        n_train = samples - n_test
    elif test_size is None:
        n_test = samples - n_train
    if n_train + n_test > samples or n_train <= 0:
        raise ValueError("train_test_split sizes do not fit the samples")
    return int(n_train), int(n_test)


# ----------------------------------------------------------------- operators


def binary(op: str, left: Any, right: Any) -> Any:
    """``a op b`` with at least one array operand: the broadcast shape; the dtype by NEP 50."""
    operands = [as_array(value) for value in (left, right)]
    if operands[0] is None or operands[1] is None or op in ("@", "<<", ">>", "in", "not in"):
        return Unknown(f"operator {op} on an array and a value padlint does not model")
    try:
        shape = arrays.broadcast_shapes(operands[0].shape, operands[1].shape)
    except arrays.ShapeError:
        return Unknown("operands that do not broadcast")
    array, other = (left, right) if isinstance(left, ArrayValue) else (right, left)
    if isinstance(other, (int, float)):  # a Python scalar (bool included) is weak (NEP 50)
        dtype = arrays.binary_dtype(op, arrays.scalar_result(array.dtype, other), None)
    else:
        dtype = arrays.binary_dtype(op, operands[0].dtype, operands[1].dtype)
    return ArrayValue(shape, dtype, value=_scalar_value(op, left, right, dtype))


#: The integer operators whose result on two known NumPy integers padlint computes.
_INTEGER_OPERATORS: dict[str, Callable[[int, int], int]] = {"+": int.__add__, "-": int.__sub__, "*": int.__mul__}


def _scalar_value(op: str, left: Any, right: Any, dtype: str | None) -> int | None:
    """The value of ``np.max(y) + 1`` (a NumPy integer whose value is known, with a Python int or
    another such): None unless the result is an integer dtype that holds it (NumPy wraps on
    overflow: ``np.uint8(255) + 1`` is 0)."""
    values = [operand.value if isinstance(operand, ArrayValue) and not operand.shape else operand for operand in (left, right)]
    compute = _INTEGER_OPERATORS.get(op)
    if compute is None or not all(is_int(value) for value in values) or not arrays.is_integer_dtype(dtype):
        return None
    result = compute(values[0], values[1])
    return result if arrays.fits(result, dtype) else None


def unary(op: str, operand: ArrayValue) -> Any:
    if op == "not":
        return Unknown("the truth of an array")
    dtype = operand.dtype
    if op == "-" and dtype == "bool" or op == "~" and dtype is not None and dtype.startswith("float"):
        return Unknown(f"operator {op} NumPy rejects on {dtype}")
    return ArrayValue(operand.shape, dtype)


# ------------------------------------------------------- array attributes


def attribute(value: ArrayValue, name: str) -> Any:
    """``x.shape``, ``x.ndim``, ``x.size``, ``x.T``, and the methods padlint models (bound)."""
    from padlint.evaluation.builtins import BuiltinFunction

    if name == "shape":
        return value.shape
    if name == "ndim":
        return value.ndim
    if name == "size":
        return value.size
    if name == "T":
        return _keeps_values(value, tuple(reversed(value.shape)))
    method = METHODS.get(name)
    if method is None:
        return Unknown(f"ndarray.{name}")
    return BuiltinFunction(f"ndarray.{name}", lambda interp, args, kwargs: method(interp, [value, *args], kwargs))


def set_attribute(value: ArrayValue, name: str, new: Any) -> None:
    """``x.shape = (4, 6)`` reshapes in place (the rules of ``reshape``); other attributes
    (``x.dtype = ...``, ``x.flags...``) make what padlint knows of the array unknown."""
    try:
        value.shape = arrays.reshape(value.shape, new) if name == "shape" else value.shape
    except ValueError:
        value.shape = tuple(UNKNOWN_DIM for _ in value.shape)
    if name != "shape":
        value.dtype = None
    value.classes = None


def _shape_arguments(args: list, kwargs: dict, name: str) -> Any:
    """``x.reshape(2, 3)`` or ``x.reshape((2, 3))`` (also ``shape=``)."""
    if len(args) == 2:
        return args[1]
    if len(args) > 2:
        return tuple(args[1:])
    return kwargs.get(name, kwargs.get("newshape"))


def _method_reshape(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = args[0]
    return _keeps_values(source, arrays.reshape(source.shape, _shape_arguments(args, kwargs, "shape")))


def _method_transpose(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = args[0]
    axes = _shape_arguments(args, kwargs, "axes")
    return _keeps_values(source, arrays.transpose(source.shape, axes))


def _method_astype(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = args[0]
    dtype = dtype_of(argument(args, kwargs, 1, "dtype"))
    keeps = dtype is not None and dtype not in ("bool", "object")
    return ArrayValue(source.shape, dtype, source.classes if keeps else None)


def _method_copy(interp: Interpreter, args: list, kwargs: dict) -> Any:
    source = args[0]
    return ArrayValue(source.shape, source.dtype, source.classes)


def _method_resize(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``x.resize(new_shape)`` in place: the array takes the new shape (padded or cut)."""
    source = args[0]
    try:
        source.shape = arrays.valid_shape(_shape_arguments(args, kwargs, "new_shape"))
    except ValueError:
        source.shape = tuple(UNKNOWN_DIM for _ in source.shape)
    source.classes = None
    return None


def _method_unknown(interp: Interpreter, args: list, kwargs: dict) -> Any:
    return Unknown("the values of an array")


FLOAT_REDUCTION = _reduction(arrays.float_result)
SAME_REDUCTION = _reduction(_same_dtype)


def _label_extremum(largest: bool) -> Implementation:
    """``np.max(y_train) + 1`` classes: a dataset's labels are exactly ``0 .. classes - 1``
    (:attr:`ArrayValue.classes`), so their maximum is ``classes - 1`` and their minimum 0; of
    any other array (or along an axis) a number of unknown value, as any reduction."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        value = argument(args, kwargs, 0, "a")
        whole = argument(args, kwargs, 1, "axis") is None and kwargs.get("keepdims", False) is False and len(args) <= 2
        if isinstance(value, ArrayValue) and value.classes is not None and whole:
            return ArrayValue((), value.dtype, value=value.classes - 1 if largest else 0)
        return SAME_REDUCTION(interp, args, kwargs)

    return implementation


LABEL_MAX, LABEL_MIN = _label_extremum(largest=True), _label_extremum(largest=False)

METHODS: dict[str, Implementation] = {
    "reshape": _method_reshape,
    "astype": _method_astype,
    "flatten": _ravel,
    "ravel": _ravel,
    "squeeze": _squeeze,
    "transpose": _method_transpose,
    "swapaxes": _swapaxes,
    "copy": _method_copy,
    "repeat": _repeat,
    "dot": _dot,
    "mean": FLOAT_REDUCTION,
    "std": FLOAT_REDUCTION,
    "var": FLOAT_REDUCTION,
    "max": LABEL_MAX,
    "min": LABEL_MIN,
    "sum": _reduction(lambda dtype: None),
    "prod": _reduction(lambda dtype: None),
    "any": _reduction(lambda dtype: "bool"),
    "all": _reduction(lambda dtype: "bool"),
    "argmax": _argreduction,
    "argmin": _argreduction,
    "clip": _clip,
    "round": _elementwise(_same_dtype),
    "resize": _method_resize,
    "fill": _nothing,
    "sort": _nothing,
    "tolist": _method_unknown,
    "item": _method_unknown,
}


def _numbers_scalar(name: str) -> Implementation | None:
    """The scalar implementation builtins.py had for ``numpy.<name>`` (math on numbers)."""
    from padlint.evaluation.builtins import SCALAR_LIBRARY

    return SCALAR_LIBRARY.get(f"numpy.{name}")


def _functions() -> dict[str, Implementation]:
    table: dict[str, Implementation] = {
        "array": _array,
        "asarray": _array,
        "asanyarray": _array,
        "ascontiguousarray": _array,
        "zeros": _filled("float64"),
        "ones": _filled("float64"),
        "empty": _filled("float64"),
        "full": _full,
        "zeros_like": _like(),
        "ones_like": _like(),
        "empty_like": _like(),
        "full_like": _like(fill=True),
        "arange": _arange,
        "linspace": _linspace,
        "eye": _eye,
        "identity": _identity,
        "reshape": _reshape_function,
        "expand_dims": _expand_dims,
        "squeeze": _squeeze,
        "transpose": _transpose,
        "swapaxes": _swapaxes,
        "ravel": _ravel,
        "pad": _pad,
        "dot": _dot,
        "repeat": _repeat,
        "tile": _tile,
        "concatenate": _joining(arrays.concatenate),
        "stack": _joining(arrays.stack),
        "vstack": _joining(arrays.vstack, takes_axis=False),
        "hstack": _joining(arrays.hstack, takes_axis=False),
        "mean": FLOAT_REDUCTION,
        "std": FLOAT_REDUCTION,
        "var": FLOAT_REDUCTION,
        "median": FLOAT_REDUCTION,
        "max": LABEL_MAX,
        "min": LABEL_MIN,
        "amax": LABEL_MAX,
        "amin": LABEL_MIN,
        "sum": METHODS["sum"],
        "any": METHODS["any"],
        "all": METHODS["all"],
        "argmax": _argreduction,
        "argmin": _argreduction,
        "unique": _unique,
        "clip": _clip,
        "where": _where,
    }
    for name in ("sqrt", "exp", "log", "log1p", "log2", "log10", "expm1", "tanh", "sin", "cos", "tan"):
        table[name] = _elementwise(arrays.ufunc_float_result, _numbers_scalar(name))
    for name in ("abs", "absolute", "square", "negative", "sign"):
        table[name] = _elementwise(_same_dtype, _numbers_scalar(name))
    for name in ("floor", "ceil", "round", "around", "rint"):
        # Integers give float64 or stay integers depending on the NumPy version: dtype unknown.
        table[name] = _elementwise(lambda dtype: dtype if dtype in ("float16", "float32", "float64") else None, _numbers_scalar(name))
    table["prod"] = _prod_function
    for dtype in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        table[dtype] = _scalar_type(dtype)
    functions = {f"numpy.{name}": implementation for name, implementation in table.items()}
    random = {
        "rand": _dims_sample,
        "randn": _dims_sample,
        "random": _sized_sample("float64", 0),
        "random_sample": _sized_sample("float64", 0),
        "ranf": _sized_sample("float64", 0),
        "sample": _sized_sample("float64", 0),
        "standard_normal": _sized_sample("float64", 0),
        "uniform": _sized_sample("float64", 2, scalar_parameters=((0, "low"), (1, "high"))),
        "normal": _sized_sample("float64", 2, scalar_parameters=((0, "loc"), (1, "scale"))),
        "binomial": _sized_sample("int64", 2, scalar_parameters=((0, "n"), (1, "p"))),
        "poisson": _sized_sample("int64", 1, scalar_parameters=((0, "lam"),)),
        "randint": _randint,
        "choice": _choice,
        "permutation": _permutation,
        "shuffle": _nothing,
        "seed": _nothing,
        "default_rng": _default_rng,
    }
    functions.update({f"numpy.random.{name}": implementation for name, implementation in random.items()})
    generator = {name: random[name] for name in ("random", "standard_normal", "uniform", "normal", "binomial", "poisson", "choice", "permutation", "shuffle")}
    generator["integers"] = _integers
    functions.update({f"{GENERATOR}.{name}": implementation for name, implementation in generator.items()})
    for module in ("sklearn.model_selection", "sklearn.cross_validation"):
        functions[f"{module}.train_test_split"] = _train_test_split
    return functions


def _scalar_type(dtype: str) -> Implementation:
    """``np.float32(255)``: a NumPy scalar (a 0-d array whose dtype is "strong" in promotions);
    ``np.float32(x)`` of an array converts it."""

    def implementation(interp: Interpreter, args: list, kwargs: dict) -> Any:
        value = argument(args, kwargs, 0, "x", 0)
        if isinstance(value, ArrayValue):
            return ArrayValue(value.shape, dtype)
        if is_int(value) and arrays.is_integer_dtype(dtype):
            return ArrayValue((), dtype, value=value if arrays.fits(value, dtype) else None)
        if isinstance(value, (int, float)) or isinstance(value, str) and dtype.startswith("float"):
            return ArrayValue((), dtype)
        return _unknown(f"np.{dtype} of a value padlint does not model")

    return implementation


def _prod_function(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``np.prod(x.shape[1:])`` multiplies Python numbers (as before); ``np.prod(array)`` reduces."""
    value = argument(args, kwargs, 0, "a")
    if isinstance(value, ArrayValue):
        return METHODS["prod"](interp, args, kwargs)
    scalar = _numbers_scalar("prod")
    return scalar(interp, args, kwargs) if scalar is not None else Unknown("np.prod")


#: Every NumPy (and sklearn) function modelled here, by qualified name.
FUNCTIONS: dict[str, Implementation] = {}


def register(library: dict[str, Implementation]) -> None:
    """Add these functions to the library table (called once by builtins.py)."""
    if not FUNCTIONS:
        FUNCTIONS.update(_functions())
    library.update(FUNCTIONS)


# ------------------------------------------------- TensorFlow functions on data


def _tf_cast(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``tf.cast(x, dtype)``: the shape kept, the dtype given (tensorflow/python/ops/math_ops.py)."""
    source = _source(argument(args, kwargs, 0, "x"))
    dtype = dtype_of(argument(args, kwargs, 1, "dtype"))
    return ArrayValue(source.shape, dtype, source.classes if dtype is not None and dtype not in ("bool", "object") else None)


def _tf_one_hot(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``tf.one_hot(indices, depth)``: a new last axis of ``depth``, float32 (its on/off values'
    default); another ``axis`` or given values are not modelled."""
    source = _source(argument(args, kwargs, 0, "indices"))
    depth = argument(args, kwargs, 1, "depth")
    if not (isinstance(depth, int) and not isinstance(depth, bool) and depth >= 0) or len(args) > 2 or set(kwargs) - {"indices", "depth", "name"}:
        return Unknown("tf.one_hot with arguments padlint does not model")
    return ArrayValue((*source.shape, depth), "float32")


def _tf_tensor(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``tf.convert_to_tensor(array)``: the same shape and dtype (a dtype= is not modelled)."""
    source = _source(argument(args, kwargs, 0, "value"))
    if len(args) > 1 or kwargs.get("dtype") is not None:
        return Unknown("tf.convert_to_tensor with a dtype")
    return _keeps_values(source, source.shape)


#: TensorFlow functions that scripts apply to their NumPy data (``x = tf.expand_dims(x, -1)``),
#: modelled only when the first argument is such an array (on a Keras tensor they are Keras').
TENSORFLOW_ON_ARRAYS: dict[str, Implementation] = {
    "tensorflow.expand_dims": _expand_dims,
    "tensorflow.reshape": _reshape_function,
    "tensorflow.cast": _tf_cast,
    "tensorflow.one_hot": _tf_one_hot,
    "tensorflow.convert_to_tensor": _tf_tensor,
}
