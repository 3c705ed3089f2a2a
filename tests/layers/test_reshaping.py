"""Reshaping specs against real Keras, plus hand-checked and symbolic examples.

The differential tests draw the argument formats Keras accepts (int, tuple,
tuple of tuples, channels_first) and ones it rejects (negative or misshapen
padding/cropping, cropping that leaves nothing, sizes that do not reshape,
bad permutations, wrong input rank): padlint must raise exactly where Keras
raises and otherwise agree on every output shape. Symbolic sizes (padlint's
Sym) are ``None`` to Keras.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError, lookup
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    NON_POSITIVE_DIMENSION,
    RANK_MISMATCH,
    RESHAPE_MISMATCH,
)
from padlint.symbolic import Sym, add, mul, sub
from tests.keras_oracle import (
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

H, W, D = (Sym.symbol(name) for name in "HWD")
SYMBOLS = (H, W, D)
DATA_FORMATS = [None, None, "channels_last", "channels_first", "channels_first"]


def dim(index: int, low: int = 1, high: int = 9) -> st.SearchStrategy:
    """A known size, now and then unknown or symbolic."""
    return mostly(st.integers(low, high), None, SYMBOLS[index % 3], odds=5)


@st.composite
def batch_shape(draw, rank: int, *, wrong_rank_odds: int = 12):
    """``(None, ...)`` with ``rank`` non-batch axes, now and then one more or fewer."""
    rank += draw(mostly(st.just(0), 1, -1, odds=wrong_rank_odds))
    return (None,) + tuple(draw(dim(index)) for index in range(rank))


def pair() -> st.SearchStrategy:
    return st.tuples(st.integers(0, 3), st.integers(0, 3))


def spatial_amounts(rank: int) -> st.SearchStrategy:
    """Padding or cropping in every format Keras parses, and some it rejects."""
    if rank == 1:
        good = st.one_of(st.integers(0, 3), pair())
        return mostly(good, -1, (1, -1), (1, 2, 3), ((1, 1),))
    good = st.one_of(st.integers(0, 3), st.tuples(*[st.integers(0, 3)] * rank), st.tuples(*[pair()] * rank))
    return mostly(good, -1, "ab", (1,) * (rank + 1), ((1, -1),) * rank, ((1, 2, 3),) * rank)


@st.composite
def spatial_case(draw):
    family = draw(st.sampled_from(["ZeroPadding", "Cropping", "UpSampling"]))
    rank = draw(st.integers(1, 3))
    class_name = f"{family}{rank}D"
    spec = lookup(class_name)
    kwargs = {}
    argument = spec.signature[0]
    if draw(st.integers(0, 4)) > 0:
        if family == "UpSampling":
            kwargs["size"] = draw(
                st.integers(1, 3) if rank == 1 and draw(st.booleans()) else mostly(st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * rank)), 0, -1, (2,) * (rank + 1))
            )
        else:
            kwargs[argument] = draw(spatial_amounts(rank))
    fmt = draw(st.sampled_from(DATA_FORMATS)) if "data_format" in spec.signature else None
    if fmt is not None:
        kwargs["data_format"] = fmt
    if class_name == "UpSampling2D" and draw(st.booleans()):
        kwargs["interpolation"] = draw(mostly(st.sampled_from(["nearest", "bilinear", "Bicubic"]), "bogus", 3))
    shape = draw(batch_shape(rank + 1))
    return class_name, kwargs, [shape]


@differential(600)
@given(spatial_case())
def test_padding_cropping_upsampling_match_keras(case):
    class_name, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes)


@st.composite
def reshape_case(draw):
    shape = draw(batch_shape(draw(st.integers(1, 3)), wrong_rank_odds=1000))
    sizes = [size for size in shape[1:] if isinstance(size, int)]
    total = math.prod(sizes)
    if draw(st.booleans()):
        # A factorisation of the known total, so the sizes often agree.
        target = []
        rest = total
        for _ in range(draw(st.integers(0, 3))):
            factor = draw(st.sampled_from([f for f in range(1, rest + 1) if rest % f == 0]))
            target.append(factor)
            rest //= factor
        target.append(rest)
    else:
        target = draw(st.lists(st.integers(0, 8), min_size=0, max_size=4))
    if target and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    target = draw(mostly(st.just(tuple(target)), (-1, -1), (-2, 4), [2, -1], odds=16))
    return {"target_shape": target}, [shape]


@differential(400)
@given(reshape_case())
def test_reshape_matches_keras(case):
    kwargs, shapes = case
    assert_matches_keras("Reshape", kwargs, shapes)


@st.composite
def permute_case(draw):
    rank = draw(st.integers(1, 4))
    dims = tuple(draw(st.permutations(range(1, rank + 1))))
    dims = draw(mostly(st.just(dims), (0, 1), (1, 1), (2, 3), (1, "2"), odds=8))
    return {"dims": dims}, [draw(batch_shape(rank))]


@differential(200)
@given(permute_case())
def test_permute_matches_keras(case):
    kwargs, shapes = case
    assert_matches_keras("Permute", kwargs, shapes)


@st.composite
def small_case(draw):
    class_name = draw(st.sampled_from(["RepeatVector", "Flatten"]))
    if class_name == "RepeatVector":
        kwargs = {"n": draw(mostly(st.integers(1, 5), 0, -1, 2.0, True, (2,)))}
        return class_name, kwargs, [draw(batch_shape(1))]
    kwargs = {"data_format": draw(st.sampled_from([*DATA_FORMATS, "channels_middle"]))}
    return class_name, kwargs, [draw(batch_shape(draw(st.integers(0, 4)), wrong_rank_odds=1000))]


@differential(150)
@given(small_case())
def test_repeat_vector_and_flatten_match_keras(case):
    class_name, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "output"),
    [
        ("ZeroPadding2D", (), {}, (None, 28, 28, 3), (None, 30, 30, 3)),
        ("ZeroPadding2D", (((1, 2), (3, 4)), "channels_first"), {}, (None, 3, 28, 28), (None, 3, 31, 35)),
        ("ZeroPadding1D", ((0, 5),), {}, (None, 10, 4), (None, 15, 4)),
        # Keras checks no sign on an int here: -1 crops.
        ("ZeroPadding3D", (-1,), {}, (None, 5, 5, 5, 2), (None, 3, 3, 3, 2)),
        ("Cropping1D", (), {}, (None, 10, 4), (None, 8, 4)),  # default (1, 1)
        ("Cropping2D", (), {}, (None, 10, 10, 4), (None, 10, 10, 4)),  # default crops nothing
        ("Cropping2D", ((2, 3),), {}, (None, 10, 10, 4), (None, 6, 4, 4)),
        ("Cropping3D", (((1, 0), 2, (0, 3)),), {}, (None, 10, 10, 10, 4), (None, 9, 6, 7, 4)),
        ("UpSampling1D", (3,), {}, (None, 10, 4), (None, 30, 4)),
        ("UpSampling2D", ((2, 3), "channels_first", "bilinear"), {}, (None, 4, 5, 6), (None, 4, 10, 18)),
        ("UpSampling3D", (), {}, (None, 2, 3, 4, 1), (None, 4, 6, 8, 1)),
        ("Reshape", ((-1, 4),), {}, (None, 6, 2), (None, 3, 4)),
        ("Reshape", ((2, 0, 3),), {}, (None, 0), (None, 2, 0, 3)),
        ("Permute", ((3, 1, 2),), {}, (None, 4, 5, 6), (None, 6, 4, 5)),
        ("RepeatVector", (7,), {}, (None, 5), (None, 7, 5)),
        ("Flatten", (), {}, (None, 4, 5, 6), (None, 120)),
    ],
)
def test_hand_checked(class_name, args, kwargs, shape, output):
    result = padlint_result(class_name, shape, *args, **kwargs)
    assert result.outputs == [output]
    assert result.trainable == 0
    assert_matches_keras(class_name, kwargs, [shape], args=args)


@pytest.mark.parametrize(
    ("class_name", "args", "shape", "kind"),
    [
        ("Cropping1D", ((4, 4),), (None, 8, 3), NON_POSITIVE_DIMENSION),
        ("Cropping2D", (((0, 0), (5, 0)),), (None, 8, 5, 3), NON_POSITIVE_DIMENSION),
        ("Cropping3D", (4,), (None, 8, 8, 8, 3), NON_POSITIVE_DIMENSION),
        ("Cropping2D", (-1,), (None, 8, 8, 3), INVALID_CONFIG),
        ("ZeroPadding1D", (-1,), (None, 8, 3), INVALID_CONFIG),
        ("ZeroPadding2D", (-5,), (None, 8, 8, 3), NON_POSITIVE_DIMENSION),
        ("UpSampling1D", ((2,),), (None, 8, 3), INVALID_CONFIG),
        ("Reshape", ((-1, 5),), (None, 8, 3), RESHAPE_MISMATCH),
        ("Reshape", ((5, 5),), (None, 8, 3), RESHAPE_MISMATCH),
        ("Reshape", ((0, -1),), (None, 8, 3), RESHAPE_MISMATCH),
        ("Reshape", ((-1, -1),), (None, 8, 3), INVALID_CONFIG),
        ("Reshape", (24,), (None, 8, 3), KERAS_ERROR),
        ("Permute", ((1, 2),), (None, 8, 3, 2), RANK_MISMATCH),
        ("RepeatVector", (0,), (None, 8), INVALID_CONFIG),
    ],
)
def test_error_kinds(class_name, args, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, *args)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, {}, [shape], args=args).raised


def test_cropping_message_has_the_numbers():
    with pytest.raises(LayerError) as raised:
        padlint_result("Cropping1D", (None, 8, 3), (4, 4))
    assert "8 -> 8 - 4 - 4 = 0" in raised.value.message


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_padding_cropping_upsampling():
    padded = padlint_result("ZeroPadding2D", (None, H, W, 3))
    assert padded.outputs == [(None, add(H, 2), add(W, 2), 3)]
    assert str(padded.outputs[0][1]) == "H+2"
    assert padded.explain == ["height: H -> H + 1 + 1 = H+2", "width:  W -> W + 1 + 1 = W+2"]
    cropped = padlint_result("Cropping2D", (None, H, 8, 3), ((1, 2), (1, 1)))
    assert cropped.outputs == [(None, sub(H, 3), 6, 3)]
    upsampled = padlint_result("UpSampling2D", (None, 3, H, W), data_format="channels_first")
    assert upsampled.outputs == [(None, 3, mul(H, 2), mul(W, 2))]
    assert padlint_result("UpSampling1D", (None, None, 3)).outputs == [(None, None, 3)]


def test_symbolic_cropping_is_not_checked():
    """H - 20 may be positive: Keras (for which H is None) checks nothing, nor does padlint."""
    assert padlint_result("Cropping1D", (None, H, 3), (10, 10)).outputs == [(None, sub(H, 20), 3)]


def test_symbolic_reshape_resolves_exact_divisions():
    assert padlint_result("Reshape", (None, H, W, 3), (-1, 3)).outputs == [(None, mul(H, W), 3)]
    assert padlint_result("Reshape", (None, H, 4), (-1, 2)).outputs == [(None, mul(H, 2), 2)]
    # 4*H / 8 is not an integer for every H: unknown, as in Keras.
    assert padlint_result("Reshape", (None, H, 4), (-1, 8)).outputs == [(None, None, 8)]
    # An unknown size leaves -1 unknown.
    assert padlint_result("Reshape", (None, None, 4), (-1, 2)).outputs == [(None, None, 2)]
    # No -1: the target stands (Keras cannot check a symbolic size).
    assert padlint_result("Reshape", (None, H, 4), (8, 2)).outputs == [(None, 8, 2)]


def test_reshape_infers_entries_keras_leaves_unknown():
    """Keras' call() turns a None entry into -1, so its size follows from the input."""
    assert padlint_result("Reshape", (None, 8, 3), (None, 4)).outputs == [(None, 6, 4)]
    assert padlint_result("Reshape", (None, H, 3), (H, -1)).outputs == [(None, None, None)]


def test_symbolic_flatten_permute_repeat():
    assert padlint_result("Flatten", (None, H, W, 3)).outputs == [(None, mul(mul(H, W), 3))]
    assert padlint_result("Permute", (None, H, W, 3), (3, 1, 2)).outputs == [(None, 3, H, W)]
    assert padlint_result("RepeatVector", (None, H), 4).outputs == [(None, 4, H)]
