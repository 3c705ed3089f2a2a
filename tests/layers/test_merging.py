"""Merge layers against Keras: random shape lists, broadcasting, axes, and the errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from padlint.layers import LayerError, Unresolved, lookup
from padlint.layers.base import MERGE_MISMATCH, CallInputs, LayerConfig
from padlint.symbolic import Sym, add, sub
from tests.keras_oracle import assert_matches_keras

ELEMENTWISE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]
DIMS = st.sampled_from([None, 1, 1, 2, 3, 3, 4])
BATCH = st.sampled_from([None, None, None, 2, 3])
SETTINGS = settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def related_shapes(draw, count: st.SearchStrategy[int], min_rank: int = 1):
    """A base shape and variants of it: some equal, some broadcastable, some not."""
    base = tuple(draw(st.lists(DIMS, min_size=min_rank - 1, max_size=3)))
    shapes = []
    for _ in range(draw(count)):
        shape = list(base)
        for axis in range(len(shape)):
            roll = draw(st.integers(0, 9))
            if roll == 0:
                shape[axis] = draw(DIMS)
        if shape and draw(st.integers(0, 5)) == 0:
            shape = shape[draw(st.integers(1, len(shape))):]
        shapes.append((draw(BATCH),) + tuple(shape))
    return shapes


@SETTINGS
@given(st.sampled_from(ELEMENTWISE), related_shapes(st.integers(1, 4)))
def test_elementwise_merges_match_keras(class_name, shapes):
    assert_matches_keras(class_name, {}, shapes)


@SETTINGS
@given(st.integers(-5, 4), related_shapes(st.integers(1, 4), min_rank=2), st.data())
def test_concatenate_matches_keras(axis, shapes, data):
    # Vary the concatenation axis itself, which may differ freely.
    varied = []
    for shape in shapes:
        if -len(shape) <= axis < len(shape) and data.draw(st.booleans()):
            shape = list(shape)
            shape[axis] = data.draw(st.sampled_from([None, 1, 5, 7]))
            shape = tuple(shape)
        varied.append(shape)
    assert_matches_keras("Concatenate", {"axis": axis}, varied)


AXES = st.one_of(
    st.integers(-3, 3),
    st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
    st.sampled_from([[1, 2], (1,), (1, 2, 3), "last", 1.5, (1, "a")]),
)


@SETTINGS
@given(AXES, st.booleans(), related_shapes(st.integers(2, 2), min_rank=2), st.integers(1, 3), st.data())
def test_dot_matches_keras(axes, normalize, shapes, rank_shift, data):
    first, second = shapes
    if data.draw(st.booleans()):  # a longer second input, as in (B, 20) . (B, 30, 20)
        second = second + tuple(data.draw(DIMS) for _ in range(rank_shift - 1))
    assert_matches_keras("Dot", {"axes": axes, "normalize": normalize}, [first, second])


# ----------------------------------------------------------- worked examples


@pytest.mark.parametrize(
    ("class_name", "kwargs", "shapes", "expected"),
    [
        ("Add", {}, [(None, 8, 8, 16), (None, 8, 8, 16)], (None, 8, 8, 16)),
        ("Multiply", {}, [(None, 8, 8, 16), (None, 1, 1, 16)], (None, 8, 8, 16)),
        ("Add", {}, [(None, 5, 3), (None, 3)], (None, 5, 3)),
        ("Add", {}, [(4, 3), (None, 3)], (4, 3)),
        ("Concatenate", {}, [(None, 10, 32), (None, 10, 16)], (None, 10, 48)),
        ("Concatenate", {"axis": 1}, [(None, 10, 32), (None, 5, 32)], (None, 15, 32)),
        ("Concatenate", {"axis": 1}, [(None, None, 32), (None, 5, 32)], (None, None, 32)),
        # Keras only indexes the axis lazily: a second input too short for it passes.
        ("Concatenate", {"axis": 2}, [(None, 3, None), (None, 3)], (None, 3, None)),
        ("Dot", {"axes": 1}, [(None, 20), (None, 20)], (None, 1)),
        ("Dot", {"axes": (1, 2)}, [(None, 20), (None, 30, 20)], (None, 30)),
        ("Dot", {"axes": (2, 2)}, [(None, 5, 8), (None, 7, 8)], (None, 5, 7)),
    ],
)
def test_worked_examples(class_name, kwargs, shapes, expected):
    outcome = assert_matches_keras(class_name, kwargs, shapes)
    assert outcome.shapes == [expected]
    assert outcome.trainable == 0


@pytest.mark.parametrize(
    ("class_name", "kwargs", "shapes"),
    [
        ("Add", {}, [(None, 8, 8, 16), (None, 8, 8, 15)]),
        ("Subtract", {}, [(None, 4), (None, 4), (None, 4)]),
        ("Concatenate", {}, [(None, 10, 32), (None, 11, 16)]),
        ("Concatenate", {"axis": -4}, [(None, 10, 32), (None, 10, 32)]),
        ("Dot", {"axes": 1}, [(None, None), (None, 5)]),  # Keras: None != 5
    ],
)
def test_keras_rejects(class_name, kwargs, shapes):
    assert assert_matches_keras(class_name, kwargs, shapes).raised


@pytest.mark.parametrize("class_name", ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "Attention", "AdditiveAttention"])
@pytest.mark.parametrize("shape", [(None, 8, 8, 4), (None, 5)])
def test_one_tensor_instead_of_a_list_is_rejected_as_keras_does(class_name, shape):
    """``Add()(x)``: Keras refuses a list-taking layer called on one tensor."""
    kwargs = {"axes": 1} if class_name == "Dot" else {}
    assert assert_matches_keras(class_name, kwargs, [shape], single_tensor=True).raised


# ------------------------------------------------------- symbolic dimensions

H, W = Sym.symbol("H"), Sym.symbol("W")


def padlint_merge(class_name: str, shapes: list, **kwargs):
    spec = lookup(class_name)
    config = LayerConfig(spec, kwargs)
    spec.validate(config)
    return spec.compute(config, CallInputs(shapes))


def test_skip_connection_off_by_two_is_reported():
    with pytest.raises(LayerError) as raised:
        padlint_merge("Add", [(None, H, W, 16), (None, sub(H, 2), sub(W, 2), 16)])
    assert raised.value.kind == MERGE_MISMATCH
    assert "H-2" in raised.value.message


def test_equal_symbols_merge_and_concatenate():
    assert padlint_merge("Add", [(None, H, W, 16), (None, H, W, 16)]).outputs == [(None, H, W, 16)]
    assert padlint_merge("Concatenate", [(None, H, 8), (None, H, 4)]).outputs == [(None, H, 12)]


def test_concatenate_adds_symbols():
    (shape,) = padlint_merge("Concatenate", [(None, H, 8), (None, W, 8)], axis=1).outputs
    assert shape == (None, add(H, W), 8)


def test_undecidable_symbols_never_raise():
    # H may be 8: no error; the merged size is 8 in every case that does not fail.
    assert padlint_merge("Add", [(None, H), (None, 8)]).outputs == [(None, 8)]
    assert padlint_merge("Concatenate", [(None, H, 3), (None, 8, 3)]).outputs == [(None, 8, 6)]
    assert padlint_merge("Dot", [(None, H), (None, 8)], axes=1).outputs == [(None, 1)]
    # H against W: either could be the result.
    with pytest.raises(Unresolved):
        padlint_merge("Add", [(None, H), (None, W)])


def test_provably_different_concatenate_and_dot():
    with pytest.raises(LayerError):
        padlint_merge("Concatenate", [(None, H, 3), (None, sub(H, 1), 3)])
    with pytest.raises(LayerError):
        padlint_merge("Dot", [(None, H), (None, sub(H, 4))], axes=1)
