"""Regularization specs against real Keras, plus hand-checked and symbolic examples.

The differential test draws rates and GaussianNoise's stddev inside and
outside ``[0, 1]`` (NaN, None, strings, bools), Dropout's ``noise_shape`` in
the forms Keras accepts and rejects, ActivityRegularization penalties
(negative, infinite, None), SpatialDropout on inputs of the wrong rank, with
bad ``data_format`` or with keyword arguments its ``__init__`` does not take:
padlint must raise exactly where Keras raises and otherwise agree.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError
from padlint.layers.base import INVALID_CONFIG, KERAS_ERROR, RANK_MISMATCH
from padlint.symbolic import Sym
from tests.keras_oracle import (
    assert_case_matches_keras,
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

H, W, D = (Sym.symbol(name) for name in "HWD")
NAN, INF = float("nan"), float("inf")
RATES = st.sampled_from([0, 0.0, 0.1, 0.5, 0.99, 1, 1.0])
BAD_RATES = (-0.1, 1.01, NAN, INF, None, "0.5", True, False, (0.5,))
SPATIAL = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}


def dim() -> st.SearchStrategy:
    return mostly(st.integers(1, 6), None, H, W, D, odds=4)


@st.composite
def batch_shape(draw, rank: int | None = None) -> tuple:
    rank = draw(st.integers(1, 5)) if rank is None else rank + draw(mostly(st.just(0), 1, -1, odds=8))
    return (None,) + tuple(draw(dim()) for _ in range(rank - 1))


@st.composite
def regularization_case(draw):
    class_name = draw(st.sampled_from(["Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "ActivityRegularization", *SPATIAL]))
    kwargs: dict = {}
    if class_name == "GaussianNoise":
        kwargs["stddev"] = draw(mostly(RATES, *BAD_RATES, 2.0))
    elif class_name == "ActivityRegularization":
        for name in ("l1", "l2"):
            if draw(st.booleans()):
                kwargs[name] = draw(mostly(st.sampled_from([0, 0.0, 0.01, 3]), -0.01, None, INF, NAN, True, "0.1", odds=4))
    else:
        kwargs["rate"] = draw(mostly(RATES, *BAD_RATES))
    if class_name in ("Dropout", "AlphaDropout") and draw(st.booleans()):
        kwargs["noise_shape"] = draw(mostly(st.sampled_from([None, (None, 1), [1, 1, 4], (None, None, 2)]), "ab", 5, (0,), (None, -1), (1.0,), (True,), {1: 2}, odds=3))
    if class_name in ("SpatialDropout2D", "SpatialDropout3D") and draw(st.booleans()):
        kwargs["data_format"] = draw(mostly(st.sampled_from(["channels_last", "channels_first"]), "channels_middle"))
    if class_name in SPATIAL and draw(st.integers(0, 9)) == 0:
        name = draw(st.sampled_from(["trainable", "noise_shape", "name", "seed"]))
        kwargs[name] = draw(st.sampled_from(["spatial", None] if name == "name" else [False, None, 1]))
    if class_name != "ActivityRegularization" and draw(st.integers(0, 9)) == 0:
        kwargs["seed"] = draw(st.sampled_from([1, None]))
    return class_name, kwargs, [draw(batch_shape(SPATIAL.get(class_name)))]


@differential(500)
@given(regularization_case(), st.integers(0, 3))
def test_regularization_matches_keras(case, positional):
    assert_case_matches_keras(case, positional)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs"),
    [
        ("Dropout", (0.5,), {}),
        ("Dropout", (1,), {}),  # a rate of 1 is allowed
        ("Dropout", (0.2, (None, 1, 4)), {}),  # noise_shape is not checked against the input
        ("AlphaDropout", (0.5,), {"noise_shape": "anything"}),  # nor checked at all here
        ("GaussianDropout", (0.3,), {}),
        ("GaussianNoise", (1.0,), {}),
        ("ActivityRegularization", (), {"l1": None, "l2": 0.01}),
        ("SpatialDropout1D", (0.5,), {}),
    ],
)
def test_shape_preserved_without_weights(class_name, args, kwargs):
    shape = (None, 7, 4)
    result = padlint_result(class_name, shape, *args, **kwargs)
    assert result.outputs == [shape]
    assert (result.trainable, result.non_trainable) == (0, 0)
    assert_matches_keras(class_name, kwargs, [shape], args=args)


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "kind"),
    [
        ("Dropout", (1.5,), {}, (None, 4), INVALID_CONFIG),
        ("Dropout", ("0.5",), {}, (None, 4), INVALID_CONFIG),
        ("Dropout", (0.5,), {"noise_shape": (None, 0)}, (None, 4), INVALID_CONFIG),
        ("GaussianNoise", (5.0,), {}, (None, 4), INVALID_CONFIG),  # stddev is bounded by 1
        ("ActivityRegularization", (-1,), {}, (None, 4), INVALID_CONFIG),
        ("SpatialDropout2D", (0.5,), {}, (None, 4, 4), RANK_MISMATCH),
        ("SpatialDropout3D", (0.5,), {"data_format": "channels_middle"}, (None, 2, 2, 2, 3), INVALID_CONFIG),
        ("SpatialDropout1D", (0.5,), {"trainable": False}, (None, 4, 3), KERAS_ERROR),  # no **kwargs
        ("SpatialDropout2D", (0.5, None, 1, "name", "float32", "extra"), {}, (None, 4, 4, 3), KERAS_ERROR),
    ],
)
def test_error_kinds(class_name, args, kwargs, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, *args, **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [shape], args=args).raised


def test_rate_message_has_the_number():
    with pytest.raises(LayerError) as raised:
        padlint_result("Dropout", (None, 4), 1.5)
    assert "Received: rate=1.5" in raised.value.message


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_and_unknown_sizes_pass_through():
    assert padlint_result("Dropout", (None, H, W, 3), 0.5).outputs == [(None, H, W, 3)]
    assert padlint_result("SpatialDropout2D", (None, 3, H, W), 0.5, "channels_first").outputs == [(None, 3, H, W)]
    assert padlint_result("GaussianNoise", (None, None, D), 0.1).outputs == [(None, None, D)]
    # An unknown input stays unknown, with no weights to count.
    result = padlint_result("Dropout", None, 0.5)
    assert result.outputs == [None] and result.trainable == 0
