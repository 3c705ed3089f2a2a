"""Normalization specs against real Keras, plus hand-checked and symbolic examples.

The differential tests draw axes Keras accepts and rejects (out of range,
repeated, floats, numeric strings BatchNormalization converts with ``int()``,
lists where an int is required), ``center``/``scale``/``renorm`` options,
group counts that do and do not divide the channels, and inputs whose
normalised sizes are known or symbolic (``None`` to Keras, which cannot build
a weight on them): padlint must raise exactly where Keras raises and
otherwise agree on every shape and on trainable and non-trainable counts.

The batch size is the symbol ``B`` here, so that an ``axis=0`` meets a size
that is ``None`` to Keras, not one padlint merely does not know.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError, Unresolved
from padlint.layers.base import INVALID_CONFIG, UNDEFINED_SIZE
from padlint.symbolic import Sym
from tests.keras_oracle import (
    assert_case_matches_keras,
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

B, H, W, C = (Sym.symbol(name) for name in "BHWC")


@st.composite
def batch_shape(draw, *, channels=None) -> tuple:
    """Rank 2 to 5, sizes known and now and then symbolic."""
    rank = draw(st.integers(1, 4))
    sizes = [draw(mostly(st.integers(1, 6), H, W, odds=10)) for _ in range(rank)]
    if channels is not None:
        sizes[-1] = draw(channels)
    return (B, *sizes)


def axis(rank_hint: int = 5) -> st.SearchStrategy:
    """Mostly the usual axes (the last, the first after the batch), now and then any other."""
    return mostly(st.sampled_from([-1, -1, 1, 2, -2]), *range(-rank_hint, rank_hint), odds=4)


def flags(draw, kwargs: dict, *names: str) -> None:
    for name in names:
        if draw(st.booleans()):
            kwargs[name] = draw(st.booleans())


@st.composite
def batch_norm_case(draw):
    kwargs: dict = {"axis": draw(mostly(axis(), "1", 1.7, True, None, [1], "x", odds=20))}
    flags(draw, kwargs, "center", "scale")
    if draw(st.integers(0, 3)) == 0:
        kwargs["renorm"] = True
        kwargs["renorm_clipping"] = draw(mostly(st.sampled_from([None, {}, {"rmax": 3, "rmin": 1, "dmax": 5}]), {"rmax": 1, "rmin": 2}, {"dmax": -1}, {"bogus": 1}, ["rmax"], odds=4))
    if draw(st.integers(0, 7)) == 0:
        kwargs[draw(st.sampled_from(["momentum", "epsilon"]))] = draw(mostly(st.sampled_from(["0.5", 0.9, 1]), "x", None, odds=3))
    return "BatchNormalization", kwargs, [draw(batch_shape())]


@st.composite
def layer_norm_case(draw):
    class_name = draw(st.sampled_from(["LayerNormalization", "RMSNormalization", "UnitNormalization"]))
    single = axis()
    several = st.lists(axis(), min_size=0, max_size=3).flatmap(lambda axes: st.sampled_from([axes, tuple(axes)]))
    kwargs: dict = {}
    if draw(st.integers(0, 5)):
        kwargs["axis"] = draw(mostly(st.one_of(single, several), 1.5, [1.5], "a", None, True, [1, "a"], odds=8))
    if class_name == "LayerNormalization":
        flags(draw, kwargs, "center", "scale", "rms_scaling")
    return class_name, kwargs, [draw(batch_shape())]


@st.composite
def group_norm_case(draw):
    channels = draw(st.sampled_from([1, 2, 3, 4, 6, 8, 12]))
    divisors = [groups for groups in range(1, channels + 1) if channels % groups == 0]
    kwargs = {"groups": draw(mostly(st.sampled_from(divisors), -1, 0, -2, 5, 16, 2.0, True, None, odds=4))}
    shape = draw(batch_shape(channels=mostly(st.just(channels), C, odds=10)))
    if draw(st.integers(0, 4)) == 0:
        kwargs["axis"] = draw(mostly(axis(len(shape)), [1], 1.0))
        if isinstance(kwargs["axis"], int) and -len(shape) <= kwargs["axis"] < len(shape) and isinstance(shape[kwargs["axis"]], int):
            size = shape[kwargs["axis"]]
            kwargs["groups"] = draw(st.sampled_from([groups for groups in range(1, size + 1) if size % groups == 0] + [-1, 4]))
    flags(draw, kwargs, "center", "scale")
    return "GroupNormalization", kwargs, [shape]


@differential(300)
@given(batch_norm_case(), st.integers(0, 3))
def test_batch_normalization_matches_keras(case, positional):
    assert_case_matches_keras(case, positional)


@differential(300)
@given(layer_norm_case(), st.integers(0, 3))
def test_layer_rms_unit_normalization_match_keras(case, positional):
    assert_case_matches_keras(case, positional)


@differential(250)
@given(group_norm_case(), st.integers(0, 3))
def test_group_normalization_matches_keras(case, positional):
    assert_case_matches_keras(case, positional)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "kwargs", "shape", "trainable", "non_trainable"),
    [
        ("BatchNormalization", {}, (None, 32, 32, 64), 128, 128),  # gamma, beta | moving mean, variance
        ("BatchNormalization", {"axis": 1}, (None, 64, 32, 32), 128, 128),  # channels_first
        ("BatchNormalization", {"scale": False}, (None, 10), 10, 20),
        ("BatchNormalization", {"renorm": True}, (None, 10), 20, 50),  # + moving_stddev, renorm_mean, renorm_stddev
        ("BatchNormalization", {"axis": "1"}, (None, 5, 7), 10, 10),  # int("1")
        ("LayerNormalization", {}, (None, 10, 16), 32, 0),
        ("LayerNormalization", {"axis": [1, 2]}, (None, 10, 16), 320, 0),
        ("LayerNormalization", {"axis": [1, 1]}, (None, 10, 16), 200, 0),  # a repeated axis repeats its size
        ("LayerNormalization", {"rms_scaling": True}, (None, 10, 16), 16, 0),
        ("RMSNormalization", {"axis": (2, 1)}, (None, 10, 16), 160, 0),
        ("GroupNormalization", {"groups": 4}, (None, 8, 8, 64), 128, 0),
        ("GroupNormalization", {"groups": -1, "axis": 1}, (None, 6, 8, 8), 12, 0),
        ("UnitNormalization", {"axis": [1.5]}, (None, 4, 4), 0, 0),  # only compared with the rank
    ],
)
def test_hand_checked(class_name, kwargs, shape, trainable, non_trainable):
    result = padlint_result(class_name, shape, **kwargs)
    assert result.outputs == [shape]
    assert (result.trainable, result.non_trainable) == (trainable, non_trainable)
    assert_matches_keras(class_name, kwargs, [shape])


@pytest.mark.parametrize(
    ("class_name", "kwargs", "shape", "kind"),
    [
        ("GroupNormalization", {"groups": 5}, (None, 8, 8, 12), INVALID_CONFIG),  # 5 does not divide 12
        ("GroupNormalization", {"groups": 16}, (None, 8, 8, 12), INVALID_CONFIG),  # more groups than channels
        ("GroupNormalization", {"groups": 0}, (None, 8, 8, 12), INVALID_CONFIG),
        ("BatchNormalization", {"axis": 3}, (None, 8, 8), INVALID_CONFIG),
        ("BatchNormalization", {"axis": [1]}, (None, 8, 8), INVALID_CONFIG),
        ("BatchNormalization", {"renorm": True, "renorm_clipping": {"rmax": 1, "rmin": 2}}, (None, 8), INVALID_CONFIG),
        ("LayerNormalization", {"axis": "a"}, (None, 8), INVALID_CONFIG),
        ("UnitNormalization", {"axis": -3}, (None, 8), INVALID_CONFIG),
        ("BatchNormalization", {}, (None, 8, H), UNDEFINED_SIZE),  # channels None to Keras
    ],
)
def test_error_kinds(class_name, kwargs, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [shape]).raised


def test_group_message_has_the_numbers():
    with pytest.raises(LayerError) as raised:
        padlint_result("GroupNormalization", (None, 8, 12), groups=5)
    assert raised.value.message == "Number of groups (5) must be a multiple of the number of channels (12)."
    assert raised.value.details == {"groups": 5, "channels": 12}


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_sizes_outside_the_normalised_axes():
    result = padlint_result("BatchNormalization", (None, H, W, 16))
    assert result.outputs == [(None, H, W, 16)]
    assert (result.trainable, result.non_trainable) == (32, 32)
    assert padlint_result("LayerNormalization", (None, H, 16)).trainable == 32
    assert padlint_result("GroupNormalization", (None, H, W, 16), groups=4).outputs == [(None, H, W, 16)]
    assert padlint_result("UnitNormalization", (None, H, W)).outputs == [(None, H, W)]


def test_symbolic_normalised_axis_cannot_be_built():
    for class_name, kwargs in [("LayerNormalization", {"axis": 1}), ("RMSNormalization", {}), ("GroupNormalization", {"groups": 2})]:
        with pytest.raises(LayerError) as raised:
            padlint_result(class_name, (None, 4, C) if class_name != "LayerNormalization" else (None, H, 4), **kwargs)
        assert raised.value.kind == UNDEFINED_SIZE


def test_unknown_normalised_size():
    """A size padlint does not know: unknown weights, or unresolved where Keras' check needs it."""
    result = padlint_result("BatchNormalization", (None, 8, None))
    assert result.outputs == [(None, 8, None)] and result.trainable is None and result.non_trainable is None
    with pytest.raises(Unresolved):
        padlint_result("GroupNormalization", (None, 8, None), groups=4)
