"""Activation specs against real Keras, plus hand-checked and symbolic examples.

The differential test draws activation names Keras accepts and misspelt ones,
non-callable constants, negative or non-numeric slopes and caps, PReLU's
``shared_axes`` in every form Keras indexes with (0, -1, True, out of range)
and inputs of any rank with known and symbolic sizes: padlint must raise
exactly where Keras raises and otherwise agree on every output shape and
weight count.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.evaluation.values import ModuleRef, Unknown
from padlint.layers import LayerConfig, LayerError, Unresolved, lookup
from padlint.layers.activations import ACTIVATIONS, validate_activation
from padlint.layers.base import INVALID_CONFIG, KERAS_ERROR, UNDEFINED_SIZE
from padlint.symbolic import Sym
from tests.keras_oracle import (
    assert_case_matches_keras,
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

H, W = Sym.symbol("H"), Sym.symbol("W")
MISSPELT = ["Relu", "RELU", "leakyrelu", "sofmax", "sigmoïd", "", "gelu ", "Swish"]


def identity(x):
    return x


def activation_name() -> st.SearchStrategy:
    return mostly(st.sampled_from(sorted(ACTIVATIONS)), *MISSPELT, None, 3, 0.5, [], ("relu",), identity, odds=4)


def slope(allow_none: bool = False) -> st.SearchStrategy:
    bad = [-0.1, -1, "0.2", float("nan"), True] + ([] if allow_none else [None])
    good = st.sampled_from([0.0, 0.1, 0.3, 1, 6.0] + ([None] if allow_none else []))
    return mostly(good, *bad, odds=6)


@st.composite
def shape(draw, *, none_ok: bool = True) -> tuple:
    """A batch shape of rank 2 to 5; sizes known, now and then symbolic (and unknown when weights allow)."""
    rare = (H, W, None) if none_ok else (H, W)
    return (None,) + tuple(draw(mostly(st.integers(1, 6), *rare, odds=4)) for _ in range(draw(st.integers(1, 4))))


@st.composite
def activation_case(draw):
    class_name = draw(st.sampled_from(["Activation", "ELU", "ReLU", "LeakyReLU", "Softmax", "PReLU"]))
    kwargs: dict = {}
    if class_name == "Activation":
        if draw(st.integers(0, 20)):
            kwargs["activation"] = draw(activation_name())
    elif class_name == "ELU":
        kwargs["alpha"] = draw(st.sampled_from([1.0, -2.0, "x"]))
    elif class_name == "Softmax":
        kwargs["axis"] = draw(st.sampled_from([-1, 1, 7, (1, 2), "a"]))
    elif class_name == "LeakyReLU":
        kwargs[draw(st.sampled_from(["negative_slope", "negative_slope", "alpha"]))] = draw(slope())
    elif class_name == "ReLU":
        for name in ("max_value", "negative_slope", "threshold"):
            if draw(st.booleans()):
                kwargs[name] = draw(slope(allow_none=name == "max_value"))
    else:
        kwargs["shared_axes"] = draw(mostly(st.sampled_from([None, 1, 2, [1, 2], (1, 3), [2, 3, 4]]), 0, -1, True, 9, [1.0], odds=5))
    return class_name, kwargs, [draw(shape(none_ok=class_name != "PReLU"))]


@differential(500)
@given(activation_case(), st.integers(0, 3))
def test_activations_match_keras(case, positional):
    assert_case_matches_keras(case, positional)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("kwargs", "shape", "weights"),
    [
        ({}, (None, 8, 8, 3), 192),  # one slope per entry
        ({"shared_axes": [1, 2]}, (None, 8, 8, 3), 3),  # one per channel
        ({"shared_axes": 0}, (None, 8, 8, 3), 64),  # param_shape[-1] = 1: the channels are shared
        ({"shared_axes": -1}, (None, 8, 6, 3), 24),  # param_shape[-2] = 1
        ({}, (None,), 1),  # a scalar alpha
    ],
)
def test_prelu_weights(kwargs, shape, weights):
    result = padlint_result("PReLU", shape, **kwargs)
    assert result.outputs == [shape]
    assert result.trainable == weights
    assert result.non_trainable == 0
    assert_matches_keras("PReLU", kwargs, [shape])


@pytest.mark.parametrize(
    ("class_name", "kwargs", "kind"),
    [
        ("Activation", {"activation": "Relu"}, INVALID_CONFIG),
        ("Activation", {"activation": 3}, INVALID_CONFIG),
        ("Activation", {}, KERAS_ERROR),  # missing required argument
        ("LeakyReLU", {"negative_slope": -0.5}, INVALID_CONFIG),
        ("LeakyReLU", {"alpha": -0.5}, INVALID_CONFIG),  # the Keras 2 name still counts
        ("ReLU", {"max_value": -1}, INVALID_CONFIG),
        ("ReLU", {"threshold": None}, INVALID_CONFIG),
        ("ReLU", {"negative_slope": "0.1"}, INVALID_CONFIG),
        ("PReLU", {"shared_axes": 5}, INVALID_CONFIG),
    ],
)
def test_error_kinds(class_name, kwargs, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, (None, 4, 3), **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [(None, 4, 3)]).raised


def test_misspelt_activation_suggests_names():
    with pytest.raises(LayerError) as raised:
        padlint_result("Activation", (None, 4), "leakyrelu")
    assert raised.value.details["suggestions"][0] == "leaky_relu"
    assert "Could not interpret activation function identifier: leakyrelu" in raised.value.message


def test_validate_activation_skips_what_it_cannot_judge():
    """Unknown values, module functions and user callables are not errors; aliases are names."""
    spec = lookup("Dense")
    with pytest.raises(Unresolved):
        validate_activation(LayerConfig(spec, {"units": 3, "activation": Unknown("from a config file")}))
    for value in (ModuleRef("keras.activations.relu"), identity, {"class_name": "ReLU"}, None, "swish", "hard_swish"):
        validate_activation(LayerConfig(spec, {"units": 3, "activation": value}))
    with pytest.raises(LayerError):
        validate_activation(LayerConfig(spec, {"units": 3, "kernel_activation": "sigmoidal"}), name="kernel_activation")


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_sizes_pass_through():
    for class_name in ("Activation", "ELU", "ReLU", "LeakyReLU", "Softmax"):
        args = ("relu",) if class_name == "Activation" else ()
        assert padlint_result(class_name, (None, H, W, 3), *args).outputs == [(None, H, W, 3)]


def test_prelu_on_symbolic_sizes():
    """Shared symbolic axes are fine (size 1); an unshared symbolic axis is None to Keras: no weight."""
    assert padlint_result("PReLU", (None, H, W, 3), shared_axes=[1, 2]).trainable == 3
    with pytest.raises(LayerError) as raised:
        padlint_result("PReLU", (None, H, W, 3), shared_axes=1)
    assert raised.value.kind == UNDEFINED_SIZE
    assert "alpha" in raised.value.message
    # An unknown size (padlint's None) leaves the count unknown.
    assert padlint_result("PReLU", (None, None, 4)).trainable is None
