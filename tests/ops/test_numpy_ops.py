"""keras/src/ops/numpy.py against Keras: every registered function on drawn arguments.

Each test draws argument sets for one family of ops, applies the real
``keras.ops`` function to KerasTensors and padlint's shape function to the same
shapes: where Keras raises, padlint raises (or does not know); otherwise the
shapes and the Operation class agree.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.ops.numpy import BINARY, REDUCTIONS, UNARY
from tests.keras_oracle import mostly
from tests.ops.op_oracle import Const, Sym_, assert_op_matches_keras
from tests.ops.strategies import DIM, FEW, H, KNOWN_DIM, MANY, SOME, W, axis_for, broadcastable, reduction_axes, shapes, tensors


#: Extra arguments the shape-preserving ops need.
UNARY_ARGUMENTS = {"full_like": (2.0,)}


@SOME
@given(st.sampled_from(sorted(UNARY)), tensors())
def test_shape_preserving_ops(name, x):
    assert_op_matches_keras("keras", name, (x, *UNARY_ARGUMENTS.get(name, ())))


@MANY
@given(st.sampled_from(sorted(BINARY)), shapes(min_rank=1), st.data())
def test_broadcasting_ops(name, shape, data):
    other = data.draw(st.one_of(broadcastable(shape).map(lambda s: Sym_((None, *s[1:])) if s and s[0] is None else Sym_(s) if s else 2.0), st.just(3), st.just([1.0, 2.0])))
    first = Sym_(shape)
    args = (other, first) if data.draw(st.booleans()) else (first, other)
    assert_op_matches_keras("keras", name, args)


@SOME
@given(st.sampled_from(sorted(REDUCTIONS)), shapes(min_rank=1), st.booleans(), st.data())
def test_reductions(name, shape, keepdims, data):
    axis = data.draw(reduction_axes(len(shape)))
    if name in ("argmax", "argmin") and isinstance(axis, tuple):
        axis = axis[0]
    assert_op_matches_keras("keras", name, (Sym_(shape),), {"axis": axis, "keepdims": keepdims})


@st.composite
def reshape_case(draw):
    shape = draw(shapes(min_rank=1, dims=mostly(KNOWN_DIM, None, H, odds=8)))
    sizes = [dim for dim in shape[1:]]
    total = math.prod(dim for dim in sizes if isinstance(dim, int))
    target: list = []
    remaining = total
    for _ in range(draw(st.integers(0, 3))):
        factor = draw(st.sampled_from([d for d in range(1, remaining + 1) if remaining % d == 0] or [1]))
        target.append(factor)
        remaining //= factor
    target.append(remaining)
    if draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    if draw(st.booleans()):
        target = [-1, *target] if -1 not in target else [draw(st.sampled_from([1, 2])), *target]
    if draw(st.integers(0, 8)) == 0:
        target[-1] += 1
    if draw(st.integers(0, 12)) == 0:
        target.append(-1)
    if draw(st.integers(0, 12)) == 0:
        target = [-2, *target]
    return Sym_(shape), tuple(target)


@MANY
@given(reshape_case(), st.booleans())
def test_reshape(case, batch_first):
    x, target = case
    assert_op_matches_keras("keras", "reshape", (x, target))


@SOME
@given(tensors(), st.data())
def test_transpose(x, data):
    rank = len(x.shape)
    axes = data.draw(
        st.one_of(
            st.none(),
            st.permutations(list(range(rank))).map(tuple),
            st.permutations(list(range(-rank, 0))).map(list),
            st.lists(st.integers(-rank - 1, rank), min_size=rank - 1, max_size=rank + 1),
        )
    )
    assert_op_matches_keras("keras", "transpose", (x,), {"axes": axes})


@SOME
@given(tensors(min_rank=2), st.data())
def test_swapaxes_and_moveaxis(x, data):
    rank = len(x.shape)
    first, second = data.draw(axis_for(rank)), data.draw(axis_for(rank))
    assert_op_matches_keras("keras", "swapaxes", (x, first, second))
    assert_op_matches_keras("keras", "moveaxis", (x, first, second))
    if first % rank != second % rank:
        assert_op_matches_keras("keras", "moveaxis", (x, [first, second], [second, first]))


@st.composite
def joined(draw, vary_axis: bool):
    """Shapes for concatenate (sizes may differ on ``axis``) or stack (equal shapes)."""
    base = list(draw(shapes(min_rank=1, max_rank=4)))
    rank = len(base)
    axis = draw(axis_for(rank + (0 if vary_axis else 1)))
    count = draw(st.integers(1, 4))
    result = []
    for _ in range(count):
        shape = list(base)
        if vary_axis and -rank <= axis < rank:
            shape[axis] = draw(DIM)
        if draw(st.integers(0, 9)) == 0:
            shape[draw(st.integers(0, rank - 1))] = draw(DIM)
        if draw(st.integers(0, 14)) == 0:
            shape = shape[:-1] or [2]
        result.append(Sym_(tuple(shape)))
    return result, axis


@SOME
@given(joined(vary_axis=True))
def test_concatenate(case):
    xs, axis = case
    assert_op_matches_keras("keras", "concatenate", (xs,), {"axis": axis})


@SOME
@given(joined(vary_axis=False))
def test_stack(case):
    xs, axis = case
    assert_op_matches_keras("keras", "stack", (xs,), {"axis": axis})


@SOME
@given(tensors(max_rank=3), st.data())
def test_expand_dims_and_squeeze(x, data):
    rank = len(x.shape)
    axis = data.draw(st.one_of(axis_for(rank + 1), st.lists(st.integers(-rank - 2, rank + 1), min_size=1, max_size=2, unique=True).map(tuple), st.none()))
    assert_op_matches_keras("keras", "expand_dims", (x, axis))
    squeeze_axis = data.draw(st.one_of(st.none(), axis_for(rank), st.lists(st.integers(-rank, rank - 1), min_size=1, max_size=2, unique_by=lambda a: a % rank).map(tuple)))
    assert_op_matches_keras("keras", "squeeze", (x,), {"axis": squeeze_axis})


@st.composite
def matmul_case(draw):
    inner = draw(DIM)
    left = list(draw(shapes(min_rank=1, max_rank=4)))
    right = list(draw(broadcastable(tuple(left[:-2]) if len(left) > 2 else ())))
    right = [*right, inner if draw(st.integers(0, 7)) else draw(DIM), draw(DIM)]
    left[-1] = inner
    if draw(st.integers(0, 6)) == 0:
        right = right[-1:]
    if draw(st.booleans()) and len(right) > 2:
        right = [None, *right[1:]]
    return Sym_(tuple(left)), Sym_(tuple(right))


@MANY
@given(matmul_case(), st.booleans())
def test_matmul_and_dot(case, swap):
    first, second = case
    assert_op_matches_keras("keras", "matmul", (first, second))
    assert_op_matches_keras("keras", "dot", (first, second))
    if swap:
        assert_op_matches_keras("keras", "matmul", (second, first))


@SOME
@given(tensors(min_rank=2, max_rank=3), tensors(min_rank=2, max_rank=3), st.data())
def test_tensordot(first, second, data):
    axes = data.draw(st.one_of(st.integers(0, 2), st.tuples(st.lists(st.integers(-2, 1), min_size=1, max_size=1), st.lists(st.integers(-2, 1), min_size=1, max_size=1))))
    assert_op_matches_keras("keras", "tensordot", (first, second), {"axes": axes})


EINSUM = [
    ("bij,bjk->bik", [3, 3]),
    ("bhqd,bhkd->bhqk", [4, 4]),
    ("bhqk,bhkd->bhqd", [4, 4]),
    ("...ij,jk->...ik", [3, 2]),
    ("bij->bji", [3]),
    ("bi,bi->b", [2, 2]),
    ("btd,de->bte", [3, 2]),
    ("bij", [3]),
    ("bij,bjk", [3, 3]),
    ("ij,jk->ik->k", [2, 2]),
]


@SOME
@given(st.sampled_from(EINSUM), st.data())
def test_einsum(case, data):
    subscripts, ranks = case
    letters: dict = {}
    operands = []
    for spec, rank in zip(subscripts.split("->")[0].split(","), ranks):
        letters_of = spec.replace("...", "")
        rank = max(rank, len(letters_of))
        shape = []
        for letter in letters_of:
            if letter not in letters or data.draw(st.integers(0, 9)) == 0:
                letters[letter] = data.draw(DIM)
            shape.append(letters[letter])
        if "..." in spec:
            shape = [None, *shape]
        if data.draw(st.integers(0, 14)) == 0:
            shape.append(2)
        operands.append(Sym_(tuple(shape)))
    assert_op_matches_keras("keras", "einsum", (subscripts, *operands))


@SOME
@given(tensors(), st.data())
def test_split(x, data):
    rank = len(x.shape)
    axis = data.draw(axis_for(rank))
    sections = data.draw(st.one_of(st.integers(1, 4), st.lists(st.integers(0, 6), min_size=1, max_size=3).map(sorted)))
    assert_op_matches_keras("keras", "split", (x, sections), {"axis": axis})
    if isinstance(sections, int):
        assert_op_matches_keras("keras", "array_split", (x, sections), {"axis": axis})


@SOME
@given(tensors(), st.data())
def test_tile_repeat_pad(x, data):
    rank = len(x.shape)
    repeats = data.draw(st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=rank + 1)))
    assert_op_matches_keras("keras", "tile", (x, repeats))
    axis = data.draw(st.one_of(st.none(), axis_for(rank)))
    count = data.draw(st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=4)))
    assert_op_matches_keras("keras", "repeat", (x, count), {"axis": axis})
    width = data.draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)), st.lists(st.lists(st.integers(0, 2), min_size=2, max_size=2), min_size=rank, max_size=rank), st.lists(st.lists(st.integers(0, 2), min_size=2, max_size=2), min_size=1, max_size=rank + 1)))
    assert_op_matches_keras("keras", "pad", (x, width))


@SOME
@given(st.sampled_from(["flip", "roll", "cumsum", "cumprod", "sort", "argsort"]), tensors(), st.data())
def test_ops_with_an_axis(name, x, data):
    rank = len(x.shape)
    axis = data.draw(st.one_of(st.none(), axis_for(rank)))
    args = (x, 1) if name == "roll" else (x,)
    assert_op_matches_keras("keras", name, args, {"axis": axis})


@SOME
@given(shapes(min_rank=1), st.data())
def test_where_clip_broadcast_to(shape, data):
    condition = Sym_(data.draw(broadcastable(shape)) or (None,))
    assert_op_matches_keras("keras", "where", (condition, Sym_(shape), 0.0))
    assert_op_matches_keras("keras", "clip", (Sym_(shape), 0.0, 1.0))
    target = tuple(dim if isinstance(dim, int) else 2 for dim in shape)
    assert_op_matches_keras("keras", "broadcast_to", (Sym_(tuple(data.draw(broadcastable(target)))), target))


@SOME
@given(tensors(), st.data())
def test_take_and_take_along_axis(x, data):
    rank = len(x.shape)
    axis = data.draw(st.one_of(st.none(), axis_for(rank)))
    indices = data.draw(st.one_of(tensors(max_rank=2), st.just([0, 1]), st.just([[0], [1]]), st.just(0)))
    assert_op_matches_keras("keras", "take", (x, indices), {"axis": axis})
    along = Sym_(tuple(1 if i == (axis or 0) % rank else dim for i, dim in enumerate(x.shape)))
    assert_op_matches_keras("keras", "take_along_axis", (x, along), {"axis": axis})


KEYS = [0, -1, 5, (slice(None), 0), (slice(None), slice(1, 3)), (Ellipsis, 0), (Ellipsis, None), (slice(None), None, 0), (0, 0, 0, 0, 0), (Ellipsis, Ellipsis), (slice(None, None, 2),), [slice(None), -2]]


@SOME
@given(tensors(), st.sampled_from(KEYS))
def test_get_item(x, key):
    assert_op_matches_keras("keras", "get_item", (x, key))


@FEW
@given(tensors())
def test_queries_and_ravel(x):
    for name in ("ndim", "size", "ravel", "count_nonzero"):
        assert_op_matches_keras("keras", name, (x,))


CREATION = [
    ("arange", (10,), {}),
    ("arange", (2, 11, 3), {}),
    ("arange", (5, 1), {}),
    ("arange", (0.0, 1.0, 0.25), {}),
    ("zeros", ((2, 3),), {}),
    ("ones", (4,), {}),
    ("full", ((2, 2), 7.0), {}),
    ("eye", (3,), {}),
    ("eye", (3, 5), {}),
    ("identity", (4,), {}),
    ("tri", (3,), {}),
    ("linspace", (0.0, 1.0), {"num": 7}),
    ("linspace", (Const((3,)), Const((3,))), {"num": 4, "axis": -1}),
    ("zeros_like", (Const((2, 5)),), {}),
    ("expand_dims", (Const((4,)), 0), {}),
    ("add", (Const((4, 1)), Const((3,))), {}),
    ("add", (Const((4, 2)), Const((3,))), {}),
    ("concatenate", ([Const((2, 3)), Const((4, 3))],), {}),
    ("sqrt", (2.0,), {}),
    ("add", ([1.0, 2.0], 3.0), {}),
    ("multiply", ([[1.0], [2.0]], [1.0, 2.0, 3.0]), {}),
    ("expand_dims", ([1.0, 2.0], -1), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CREATION)
def test_ops_on_concrete_values(name, args, kwargs):
    assert_op_matches_keras("keras", name, args, kwargs)


def test_symbolic_sizes_stay_expressions():
    """Sizes padlint names (open axes H, W) flow through as formulas where the formula is
    exact for every value; Keras shows None there, as the tests above check."""
    from padlint.ops.base import Tensor, bind, run_spec
    from padlint.ops.registry import keras_op
    from padlint.symbolic import add, floordiv, mul

    def shape_of(name, *args, **kwargs):
        spec = keras_op((name,))
        return run_spec(spec, bind(spec, list(args), kwargs), traced=False)

    x = Tensor((None, H, W, 3))
    assert shape_of("reshape", x, (-1, mul(H, W), 3)) == (None, mul(H, W), 3)
    assert shape_of("concatenate", [x, x], axis=1) == (None, mul(H, 2), W, 3)
    assert shape_of("pad", x, ((0, 0), (1, 1), (2, 2), (0, 0))) == (None, add(H, 2), add(W, 4), 3)
    assert shape_of("tile", x, (1, 2, 1, 1)) == (None, mul(H, 2), W, 3)
    assert shape_of("max_pool", x, 2, data_format="channels_last") == (None, floordiv(H, 2), floordiv(W, 2), 3)
    assert shape_of("matmul", Tensor((None, H, 4)), Tensor((4, W))) == (None, H, W)
    # A formula that is not exact for every H is unknown, never a guess.
    assert shape_of("split", Tensor((None, H)), 2, axis=1).shapes[0] == (None, None)
