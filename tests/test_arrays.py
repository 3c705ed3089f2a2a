"""The NumPy value model (padlint/evaluation/arrays.py, numpy_api.py) against NumPy itself.

Shapes and dtypes padlint computes for reshape (with -1), broadcasting, indexing,
expand_dims, squeeze, transpose, concatenate, stack and reductions are compared
with what NumPy does to real (small) arrays of those shapes. Where padlint does
not know an extent it must say so, never state a wrong one: with some extents
hidden, every extent padlint still states equals NumPy's, and padlint reports
an error only where NumPy raises.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from padlint.evaluation import arrays
from padlint.evaluation.arrays import UNKNOWN_DIM, ArrayValue, OpenSlice, ShapeError
from padlint.evaluation.budget import Budget
from padlint.evaluation.interpreter import Interpreter
from padlint.evaluation.values import Unknown

SMALL = st.integers(min_value=0, max_value=4)
SHAPES = st.lists(SMALL, min_size=0, max_size=4).map(tuple)
NONEMPTY_SHAPES = st.lists(SMALL, min_size=1, max_size=4).map(tuple)
FAST = settings(max_examples=150, deadline=None)


def numpy_shape(function, *shapes, **kwargs):
    """NumPy's result shape on zero arrays of these shapes, or the exception it raises."""
    try:
        return function(*[np.zeros(shape) for shape in shapes], **kwargs).shape
    except (ValueError, IndexError, TypeError, np.exceptions.AxisError) as error:
        return error


def padlint_shape(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except ValueError as error:
        return error


def same(expected, actual) -> None:
    """padlint raises ShapeError exactly where NumPy raises, else the same shape."""
    if isinstance(expected, Exception):
        assert isinstance(actual, ShapeError), f"NumPy raises {expected!r}, padlint gives {actual!r}"
    else:
        assert actual == tuple(expected), f"NumPy {expected}, padlint {actual!r}"


def masked(shape: tuple, mask: list[bool]) -> tuple:
    return tuple(UNKNOWN_DIM if hidden else dim for dim, hidden in zip(shape, mask))


def sound(expected, actual) -> None:
    """With extents hidden, padlint states no wrong extent: either unknown (an error not
    raised with ShapeError is "not modelled"), or every extent it knows is NumPy's. It may
    assume the script runs (an unknown extent broadcast with 3 is 3), so NumPy raising is
    no contradiction; padlint raising ShapeError where NumPy succeeds is."""
    if isinstance(actual, ShapeError):
        assert isinstance(expected, Exception), f"padlint raises {actual!r}, NumPy gives {expected}"
        return
    if isinstance(actual, Exception) or isinstance(expected, Exception):
        return
    assert len(actual) == len(expected), (expected, actual)
    for mine, theirs in zip(actual, expected):
        assert not arrays.is_known(mine) or mine == theirs, (expected, actual)


# ------------------------------------------------------------ broadcasting


@FAST
@given(SHAPES, SHAPES)
def test_broadcasting_is_numpys(first, second):
    same(numpy_shape(lambda a, b: a + b, first, second), padlint_shape(arrays.broadcast_shapes, first, second))


@FAST
@given(SHAPES, SHAPES, st.data())
def test_broadcasting_with_unknown_extents_is_sound(first, second, data):
    mask_a = data.draw(st.lists(st.booleans(), min_size=len(first), max_size=len(first)))
    mask_b = data.draw(st.lists(st.booleans(), min_size=len(second), max_size=len(second)))
    expected = numpy_shape(lambda a, b: a + b, first, second)
    sound(expected, padlint_shape(arrays.broadcast_shapes, masked(first, mask_a), masked(second, mask_b)))


# ---------------------------------------------------------------- reshape


@st.composite
def reshapes(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple))
    target = list(draw(st.lists(st.integers(1, 6), min_size=1, max_size=4)))
    if draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    if draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1  # perhaps two: NumPy refuses
    return shape, tuple(target)


@FAST
@given(reshapes())
def test_reshape_is_numpys(case):
    shape, target = case
    same(numpy_shape(lambda a: a.reshape(target), shape), padlint_shape(arrays.reshape, shape, target))


@pytest.mark.parametrize(
    ("shape", "target"),
    [((60000, 28, 28), (-1, 28, 28, 1)), ((60000, 784), (-1, 28, 28, 1)), ((6, 4), -1), ((6, 4), (4, -1)), ((0, 3), (-1, 3)), ((0, 3), (3, -1)), ((5,), (2, -1))],
)
def test_reshape_cases(shape, target):
    same(numpy_shape(lambda a: a.reshape(target), shape), padlint_shape(arrays.reshape, shape, target))


def test_reshape_of_an_unknown_size_keeps_the_stated_extents():
    assert arrays.reshape((UNKNOWN_DIM, 784), (-1, 28, 28, 1)) == (UNKNOWN_DIM, 28, 28, 1)
    assert arrays.reshape((UNKNOWN_DIM, 784), (UNKNOWN_DIM, 28, 28)) == (UNKNOWN_DIM, 28, 28)
    with pytest.raises(ShapeError):
        arrays.reshape((10, 3), (-1, -1))


# ------------------------------------------------------- axes and joining


@FAST
@given(SHAPES, st.integers(-6, 6))
def test_expand_dims_is_numpys(shape, axis):
    same(numpy_shape(lambda a: np.expand_dims(a, axis), shape), padlint_shape(arrays.expand_dims, shape, axis))


@FAST
@given(SHAPES, st.lists(st.integers(-6, 6), min_size=1, max_size=3).map(tuple))
def test_expand_dims_with_several_axes_is_numpys(shape, axes):
    same(numpy_shape(lambda a: np.expand_dims(a, axes), shape), padlint_shape(arrays.expand_dims, shape, axes))


@FAST
@given(st.lists(st.sampled_from([1, 1, 2, 3]), min_size=0, max_size=4).map(tuple), st.one_of(st.none(), st.integers(-5, 5)))
def test_squeeze_is_numpys(shape, axis):
    same(numpy_shape(lambda a: np.squeeze(a, axis), shape), padlint_shape(arrays.squeeze, shape, axis))


@FAST
@given(NONEMPTY_SHAPES, st.data())
def test_transpose_is_numpys(shape, data):
    axes = data.draw(st.one_of(st.none(), st.permutations(range(len(shape))).map(tuple), st.lists(st.integers(-4, 4), min_size=len(shape), max_size=len(shape)).map(tuple)))
    same(numpy_shape(lambda a: np.transpose(a, axes), shape), padlint_shape(arrays.transpose, shape, axes))


@FAST
@given(st.lists(NONEMPTY_SHAPES, min_size=1, max_size=3), st.one_of(st.none(), st.integers(-4, 4)))
def test_concatenate_is_numpys(shapes, axis):
    same(numpy_shape(lambda *items: np.concatenate(items, axis=axis), *shapes), padlint_shape(arrays.concatenate, list(shapes), axis))


@FAST
@given(st.lists(st.sampled_from([(2, 3), (2, 3), (3,), (2, 1)]), min_size=1, max_size=3), st.integers(-4, 4))
def test_stack_is_numpys(shapes, axis):
    same(numpy_shape(lambda *items: np.stack(items, axis=axis), *shapes), padlint_shape(arrays.stack, list(shapes), axis))


@FAST
@given(st.lists(st.sampled_from([(3,), (2, 3), (4, 3), (2,), ()]), min_size=1, max_size=3))
def test_vstack_and_hstack_are_numpys(shapes):
    same(numpy_shape(lambda *items: np.vstack(items), *shapes), padlint_shape(arrays.vstack, list(shapes)))
    same(numpy_shape(lambda *items: np.hstack(items), *shapes), padlint_shape(arrays.hstack, list(shapes)))


WIDTHS = st.integers(-1, 3)
PAD_WIDTHS = st.one_of(
    WIDTHS,
    st.tuples(WIDTHS, WIDTHS),
    st.lists(st.lists(WIDTHS, min_size=1, max_size=2).map(tuple), min_size=1, max_size=4).map(tuple),
    st.lists(st.lists(st.lists(WIDTHS, min_size=1, max_size=2), min_size=1, max_size=2), min_size=1, max_size=2),
    st.just(()),
    st.just([[1, 2], [3]]),
)


@FAST
@given(SHAPES, PAD_WIDTHS, st.sampled_from(["constant", "edge", "reflect", "wrap", "empty"]))
def test_pad_is_numpys(shape, width, mode):
    """A pad width as an int, a pair, per-axis pairs, or what NumPy rejects (negative, ragged, 3-d)."""
    same(numpy_shape(lambda a: np.pad(a, width, mode=mode), shape), padlint_shape(_pad_shape, shape, width, mode))


def _pad_shape(shape: tuple, width, mode: str) -> tuple:
    from padlint.evaluation.numpy_api import FUNCTIONS, register

    register({})
    result = FUNCTIONS["numpy.pad"](None, [ArrayValue(shape, "float64"), width], {"mode": mode})
    assert isinstance(result, ArrayValue), result
    return result.shape


@FAST
@given(SHAPES, st.one_of(st.integers(-1, 3), st.lists(st.integers(-1, 3), min_size=0, max_size=4)), st.one_of(st.none(), st.integers(-5, 5)))
def test_repeat_is_numpys(shape, repeats, axis):
    same(numpy_shape(lambda a: np.repeat(a, repeats, axis=axis), shape), padlint_shape(arrays.repeat, shape, repeats, axis))


@FAST
@given(SHAPES, st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=0, max_size=5).map(tuple)))
def test_tile_is_numpys(shape, reps):
    same(numpy_shape(lambda a: np.tile(a, reps), shape), padlint_shape(arrays.tile, shape, reps))


@FAST
@given(SHAPES, SHAPES)
def test_dot_is_numpys(first, second):
    same(numpy_shape(np.dot, first, second), padlint_shape(arrays.dot, first, second))


@FAST
@given(SHAPES, SHAPES, st.data())
def test_dot_with_unknown_extents_is_sound(first, second, data):
    mask_a = data.draw(st.lists(st.booleans(), min_size=len(first), max_size=len(first)))
    mask_b = data.draw(st.lists(st.booleans(), min_size=len(second), max_size=len(second)))
    sound(numpy_shape(np.dot, first, second), padlint_shape(arrays.dot, masked(first, mask_a), masked(second, mask_b)))


def test_pad_repeat_and_tile_with_unknown_extents_or_counts():
    assert arrays.pad((UNKNOWN_DIM, 28), 2) == (UNKNOWN_DIM, 32)
    assert arrays.pad((60000, 28, 28), ((0, 0), (UNKNOWN_DIM, 2), (2, 2))) == (60000, UNKNOWN_DIM, 32)
    assert arrays.repeat((UNKNOWN_DIM, 28), 3, -1) == (UNKNOWN_DIM, 84)
    assert arrays.repeat((5, 28), UNKNOWN_DIM, 0) == (UNKNOWN_DIM, 28)
    assert arrays.tile((UNKNOWN_DIM, 3), (0, 2)) == (0, 6) == np.tile(np.zeros((7, 3)), (0, 2)).shape
    with pytest.raises(ValueError) as raised:
        arrays.tile((2, 3), -1)  # NumPy raises, except on an empty array: not modelled
    assert not isinstance(raised.value, ShapeError)


@FAST
@given(NONEMPTY_SHAPES, st.one_of(st.none(), st.integers(-5, 5), st.lists(st.integers(-4, 4), min_size=1, max_size=3).map(tuple)), st.booleans())
def test_reductions_are_numpys(shape, axis, keepdims):
    assume(0 not in shape)
    same(numpy_shape(lambda a: np.mean(a, axis=axis, keepdims=keepdims), shape), padlint_shape(arrays.reduce, shape, axis, keepdims))


# --------------------------------------------------------------- indexing

INDEX_PARTS = st.one_of(
    st.integers(-5, 5),
    st.builds(slice, st.one_of(st.none(), st.integers(-5, 5)), st.one_of(st.none(), st.integers(-5, 5)), st.one_of(st.none(), st.sampled_from([-2, -1, 1, 2, 3]))),
    st.none(),
    st.just(...),
)


@FAST
@given(SHAPES, st.lists(INDEX_PARTS, min_size=1, max_size=5))
def test_basic_indexing_is_numpys(shape, parts):
    key = tuple(parts)
    same(numpy_shape(lambda a: a[key], shape), padlint_shape(arrays.index, shape, key))


@FAST
@given(SHAPES, st.lists(INDEX_PARTS, min_size=1, max_size=5), st.data())
def test_indexing_with_unknown_extents_is_sound(shape, parts, data):
    mask = data.draw(st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)))
    key = tuple(parts)
    sound(numpy_shape(lambda a: a[key], shape), padlint_shape(arrays.index, masked(shape, mask), key))


def test_advanced_and_open_indexing():
    rows = ArrayValue((7,), "int64")
    assert arrays.index((10, 28, 28), rows) == (7, 28, 28)
    assert np.zeros((10, 28, 28))[np.zeros(7, dtype="int64")].shape == (7, 28, 28)
    assert arrays.index((10, 28, 28), (slice(None), [0, 1, 2])) == np.zeros((10, 28, 28))[:, [0, 1, 2]].shape
    mask = ArrayValue((10,), "bool")
    assert arrays.index((10, 3), mask) == (UNKNOWN_DIM, 3)
    assert arrays.index((10, 3), (OpenSlice(), slice(1, None))) == (UNKNOWN_DIM, 2)
    with pytest.raises(ValueError):
        arrays.index((10, 3), (rows, rows))  # several advanced indices: not modelled


# ----------------------------------------------------------------- dtypes

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64"]


@pytest.mark.parametrize("left", DTYPES)
def test_promote_types_is_numpys(left):
    for right in DTYPES:
        assert arrays.promote_types(left, right) == str(np.promote_types(left, right)), (left, right)


@pytest.mark.parametrize("dtype", DTYPES)
def test_operators_with_python_scalars_give_numpys_dtype(dtype):
    """NEP 50 (weak Python scalars). padlint may say "not sure" (None), never a wrong dtype."""
    from padlint.evaluation.numpy_api import binary

    for scalar in (0, 1, 255, 300, -1, 1.5, 255.0, True):
        for op, function in (("+", np.add), ("-", np.subtract), ("*", np.multiply), ("/", np.true_divide), ("<", np.less)):
            result = binary(op, ArrayValue((2, 3), dtype), scalar)
            if not isinstance(result, ArrayValue) or result.dtype is None:
                continue
            with np.errstate(all="ignore"):
                expected = function(np.zeros((2, 3), dtype), scalar)
            assert result.shape == expected.shape
            assert result.dtype == str(expected.dtype), (dtype, op, scalar)


# -------------------------------------------- the evaluator on NumPy code

#: Each line is evaluated by padlint's interpreter and by Python with NumPy (this is
#: the test's own code), on arrays of the Keras datasets' shapes but few samples.
SNIPPETS = [
    "x.astype('float32') / 255",
    "x / 255",
    "x / 255.0",
    "(x - x.mean()) / x.std()",
    "x.astype(np.float32) - np.mean(x, axis=0)",
    "np.expand_dims(x, -1)",
    "np.expand_dims(x, axis=3)",
    "x[..., None]",
    "x[..., np.newaxis]",
    "x[:, :, :, np.newaxis]",
    "x[:4]",
    "x[2:]",
    "x[::2, 1:-1]",
    "x[0]",
    "x.reshape(-1, 28, 28, 1)",
    "x.reshape(x.shape[0], 28 * 28)",
    "x.reshape((len(x), -1))",
    "np.reshape(x, (-1, 784))",
    "x.reshape(-1, 784).astype('float32')",
    "np.concatenate([x, x], axis=0)",
    "np.concatenate((x, x[:2]))",
    "np.stack([x, x], axis=-1)",
    "np.vstack([x, x])",
    "x.flatten()",
    "x.ravel()",
    "x.T",
    "np.transpose(x, (0, 2, 1))",
    "np.squeeze(x[:, :1])",
    "x.max(axis=(1, 2))",
    "x.sum(axis=1, keepdims=True)",
    "np.argmax(x, axis=-1)",
    "x[np.random.permutation(len(x))]",
    "np.zeros((3, 28, 28))",
    "np.ones((2, 5), dtype='int32')",
    "np.full((2, 3), 7)",
    "np.zeros_like(x, dtype='float32')",
    "np.random.rand(10, 8)",
    "np.random.randn(4)",
    "np.random.random((5, 2))",
    "np.random.uniform(0, 1, size=(3, 4))",
    "np.random.normal(0, 1, (6, 2))",
    "np.random.randint(0, 10, size=(7,))",
    "np.random.default_rng(0).normal(size=(3, 3))",
    "np.random.default_rng(0).integers(0, 5, size=4)",
    "np.arange(12).reshape(3, 4)",
    "np.linspace(0, 1, 11)",
    "np.array([[1, 2, 3], [4, 5, 6]])",
    "np.array([[1.0, 2], [3, 4]], dtype='float32')",
    "np.eye(4)",
    "x * np.ones((28,))",
    "x[:3] > 5",
    "np.clip(x, 0, 10)",
    "np.sqrt(x)",
    "np.log1p(x.astype('float32'))",
    "np.where(x > 5, x, 0)",
    "x / np.float32(255)",
    "np.float32(x) * 2",
    "x.astype('int16') + np.uint8(3)",
    "np.zeros_like(x[:2], 'float32', 'C', True, (3, 4))",
    "np.full_like(x, 7, shape=(2, 2))",
    "np.random.default_rng(1).random((2, 5), dtype=np.float32)",
    "x.mean(axis=0, dtype='float32')",
    "np.pad(x, ((0, 0), (2, 2), (2, 2)))",
    "np.pad(x, ((0, 0), (2, 2), (2, 2)), 'constant')",
    "np.pad(x, ((0, 0), (2, 2), (2, 2)), mode='constant', constant_values=0)",
    "np.pad(x[..., None], ((0, 0), (2, 2), (2, 2), (0, 0)), 'constant')",
    "np.pad(x, 2, mode='edge')",
    "np.pad(x, (1, 3), 'reflect')",
    "np.pad(x, ((1, 2),), 'symmetric', reflect_type='odd')",
    "np.repeat(x[..., np.newaxis], 3, -1)",
    "np.repeat(x, 3, axis=-1)",
    "np.repeat(x, 2)",
    "x[..., None].repeat(3, axis=3)",
    "np.tile(x[..., None], (1, 1, 1, 3))",
    "np.tile(x, 2)",
    "np.dot(np.stack([x, x, x], -1)[..., :3], [0.299, 0.587, 0.114])",
    "np.dot(x, np.ones((28, 5), dtype='float32'))",
    "np.dot(x[0], x[0])",
    "np.dot(x[0, 0], x[0, 0])",
    "x[0].dot(np.ones(28))",
    "np.dot(x, 2)",
]


def padlint_value(snippet: str, setup: str):
    code = f"import numpy as np\n{setup}\nresult = {snippet}\n"
    interpreter = Interpreter(cst.parse_module(code), Budget())
    interpreter.run()
    return interpreter.module_scope.variables["result"]


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_numpy_code_gives_numpys_shape_and_dtype(snippet):
    setup = "x = np.zeros((6, 28, 28), dtype='uint8')"
    namespace: dict = {"np": np}
    exec(setup, namespace)  # the test's own code, run as the reference
    with np.errstate(all="ignore"):
        expected = eval(snippet, namespace)
    value = padlint_value(snippet, setup)
    assert isinstance(value, ArrayValue), value
    assert value.shape == expected.shape, (snippet, value.shape, expected.shape)
    assert value.dtype is None or value.dtype == str(expected.dtype), (snippet, value.dtype, expected.dtype)


def test_data_dependent_values_stay_unknown():
    values = {}
    for snippet in ("len(np.unique(y))", "int(np.max(y)) + 1", "y.max() + 1 if True else 0", "x.tolist()", "x[i]", "x[:n].shape[0]", "float(x.mean())"):
        values[snippet] = padlint_value(snippet, "x = np.zeros((6, 4))\ny = np.zeros((6,), dtype='int64')\nn = np.load('n.npy')\ni = n")
    for snippet, value in values.items():
        if isinstance(value, ArrayValue):
            assert value.shape == (), snippet  # a number of unknown value
        else:
            assert isinstance(value, Unknown), (snippet, value)


def test_truth_and_comparisons_of_arrays_are_undecided():
    code = textwrap.dedent(
        """
        import numpy as np
        x = np.zeros((6, 4))
        a = 1
        if x.max() > 1:
            a = 2
        same = x == x
        shape_known = x.shape == (6, 4)
        """
    )
    interpreter = Interpreter(cst.parse_module(code), Budget())
    interpreter.run()
    variables = interpreter.module_scope.variables
    assert isinstance(variables["a"], Unknown)
    assert isinstance(variables["same"], ArrayValue) and variables["same"].dtype == "bool"
    assert variables["shape_known"] is True


def test_in_place_shape_changes():
    code = textwrap.dedent(
        """
        import numpy as np
        x = np.zeros((6, 4))
        y = x
        x.shape = (4, 6)
        z = np.zeros((2, 3))
        z.resize((3, 3))
        w = np.zeros((5, 5), dtype='uint8')
        w -= 1
        w /= 2
        """
    )
    interpreter = Interpreter(cst.parse_module(code), Budget())
    interpreter.run()
    variables = interpreter.module_scope.variables
    assert variables["y"].shape == (4, 6)
    assert variables["z"].shape == (3, 3)
    assert variables["w"].shape == (5, 5)


@given(
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(-50, 50)),
    st.one_of(st.none(), st.integers(-50, 50)),
    st.one_of(st.none(), st.integers(-7, 7).filter(bool)),
)
def test_slice_extent_is_the_length_of_the_slice(length, start, stop, step):
    part = slice(start, stop, step)
    assert arrays.slice_extent(part, length) == len(range(*part.indices(length)))


def test_slice_extent_of_a_size_past_sys_maxsize():
    """``len(range(...))`` raises OverflowError there; a fuzzed ``Input((10**20, 6))[:, 1:]`` did."""
    assert arrays.slice_extent(slice(1, None, 2), 10**20) == (10**20 - 1 + 1) // 2
