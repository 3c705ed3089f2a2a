"""Convolution and pooling specs against real Keras, plus hand-checked examples.

The differential tests draw configurations Keras accepts and ones it rejects
(bad padding strings and case, list/tuple padding, zero or negative sizes,
strides with dilation, output_padding >= strides, groups, channels_first,
unknown and symbolic sizes, wrong input rank, positional arguments): padlint
must raise exactly where Keras raises and otherwise agree on every output
shape and weight count. Symbolic sizes (padlint's Sym) are ``None`` to Keras.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError, lookup
from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    KERAS_ERROR,
    NON_POSITIVE_DIMENSION,
    UNDEFINED_SIZE,
)
from padlint.symbolic import Sym, add, ceildiv, mul
from tests.keras_oracle import (
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

H, W, D, C = (Sym.symbol(name) for name in "HWDC")
SYMBOLS = (H, W, D)

CONVOLUTIONS = {
    "Conv1D": 1,
    "Conv2D": 2,
    "Conv3D": 3,
    "Conv1DTranspose": 1,
    "Conv2DTranspose": 2,
    "Conv3DTranspose": 3,
    "SeparableConv1D": 1,
    "SeparableConv2D": 2,
    "DepthwiseConv1D": 1,
    "DepthwiseConv2D": 2,
}
DATA_FORMATS = [None, None, "channels_last", "channels_first", "channels_first"]
BAD_DATA_FORMATS = ["Channels_First", "channels_middle"]


def sizes(rank: int, low: int = 1, high: int = 5) -> st.SearchStrategy:
    """An int or a tuple of ``rank`` ints; now and then zero, negative or of the wrong length."""
    return mostly(st.one_of(st.integers(low, high), st.tuples(*[st.integers(low, high)] * rank)), 0, -1, (0,) * rank, (1,) * (rank + 1))


def data_format() -> st.SearchStrategy:
    return mostly(st.sampled_from(DATA_FORMATS), *BAD_DATA_FORMATS)


@st.composite
def input_shape(draw, rank: int, fmt):
    """A batch shape for a ``rank``-D layer; spatial sizes known, ``None`` or symbolic.

    The channel axis is now and then symbolic (Keras cannot build a kernel on
    it) and the rank now and then wrong.
    """
    spatial = tuple(
        draw(mostly(st.one_of(st.integers(1, 12), st.just(None), st.just(SYMBOLS[index])), 0)) for index in range(rank)
    )
    extra = draw(mostly(st.just(0), 1, -1, odds=12))
    spatial = spatial + tuple(draw(st.integers(1, 5)) for _ in range(extra)) if extra > 0 else spatial[: rank + extra]
    channel = draw(mostly(st.integers(1, 6), C))
    channels_first = str(fmt).lower() == "channels_first"
    return (None,) + ((channel,) + spatial if channels_first else spatial + (channel,))


def positional(draw, class_name: str, kwargs: dict) -> tuple[tuple, dict]:
    """Move a prefix of the Keras ``__init__`` parameters to positional arguments.

    This checks the spec's ``signature`` order against Keras (Conv3DTranspose
    puts ``data_format`` before ``output_padding``, DepthwiseConv puts
    ``depth_multiplier`` before ``data_format``).
    """
    spec = lookup(class_name)
    count = draw(st.integers(0, len(spec.signature)))
    kwargs = dict(kwargs)
    args = tuple(kwargs.pop(name) if name in kwargs else spec.defaults.get(name) for name in spec.signature[:count])
    return args, kwargs


def maybe_positional(draw, class_name: str, kwargs: dict) -> tuple[tuple, dict]:
    return positional(draw, class_name, kwargs) if draw(st.integers(0, 3)) == 0 else ((), kwargs)


@st.composite
def conv_case(draw):
    class_name = draw(st.sampled_from(sorted(CONVOLUTIONS)))
    rank = CONVOLUTIONS[class_name]
    modes = ["valid", "same", "causal"] if rank == 1 else ["valid", "same"]
    fmt = draw(data_format())
    kwargs = {
        "kernel_size": draw(sizes(rank)),
        "strides": draw(mostly(st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * rank)), 0, (0,) * rank)),
        "padding": draw(mostly(st.sampled_from(modes), "Same", "VALID", "full", (1, 1), [2, 2], odds=8)),
        "dilation_rate": draw(st.one_of(st.just(1), st.integers(1, 3), st.tuples(*[st.integers(1, 2)] * rank))),
        "use_bias": draw(st.booleans()),
    }
    if fmt is not None:
        kwargs["data_format"] = fmt
    if not class_name.startswith("Depthwise"):
        kwargs["filters"] = draw(mostly(st.integers(1, 8), 0, -1, None))
    if class_name.startswith(("Separable", "Depthwise")) and draw(st.booleans()):
        kwargs["depth_multiplier"] = draw(mostly(st.integers(1, 3), 0, -2, None))
    if class_name in ("Conv1D", "Conv2D", "Conv3D") and draw(st.booleans()):
        kwargs["groups"] = draw(st.sampled_from([1, 2, 3, 0]))
    if class_name.endswith("Transpose") and draw(st.booleans()):
        kwargs["output_padding"] = draw(mostly(st.one_of(st.integers(0, 2), st.tuples(*[st.integers(0, 2)] * rank)), -1, odds=8))
    args, kwargs = maybe_positional(draw, class_name, kwargs)
    return class_name, args, kwargs, [draw(input_shape(rank, fmt))]


@differential(1500)
@given(conv_case())
def test_convolutions_match_keras(case):
    class_name, args, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes, args=args)


@st.composite
def pooling_case(draw):
    rank = draw(st.integers(1, 3))
    class_name = draw(st.sampled_from(["MaxPooling", "AveragePooling"])) + f"{rank}D"
    fmt = draw(data_format())
    kwargs = {}
    if class_name.startswith("Average") or draw(st.booleans()):
        kwargs["pool_size"] = draw(sizes(rank, 1, 4))
    if draw(st.booleans()):
        kwargs["strides"] = draw(mostly(st.one_of(st.none(), st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * rank)), 0, -1, (0,) * rank))
    if draw(st.booleans()):
        kwargs["padding"] = draw(mostly(st.sampled_from(["valid", "same"]), "Same", "VALID", "causal", (1, 1), odds=6))
    if fmt is not None:
        kwargs["data_format"] = fmt
    if draw(mostly(st.just(False), True)):
        kwargs.pop("pool_size", None)  # AveragePooling requires it
    args, kwargs = maybe_positional(draw, class_name, kwargs)
    return class_name, args, kwargs, [draw(input_shape(rank, fmt))]


@differential(600)
@given(pooling_case())
def test_pooling_matches_keras(case):
    class_name, args, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes, args=args)


@st.composite
def global_pooling_case(draw):
    rank = draw(st.integers(1, 3))
    class_name = draw(st.sampled_from(["GlobalMaxPooling", "GlobalAveragePooling"])) + f"{rank}D"
    fmt = draw(data_format())
    kwargs = {"keepdims": draw(st.booleans())}
    if fmt is not None:
        kwargs["data_format"] = fmt
    return class_name, kwargs, [draw(input_shape(rank, fmt))]


@differential(200)
@given(global_pooling_case())
def test_global_pooling_matches_keras(case):
    class_name, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes)


@st.composite
def adaptive_pooling_case(draw):
    rank = draw(st.integers(1, 3))
    class_name = draw(st.sampled_from(["AdaptiveMaxPooling", "AdaptiveAveragePooling"])) + f"{rank}D"
    fmt = draw(mostly(st.sampled_from(DATA_FORMATS), "Channels_Last", "channels_middle", ""))
    kwargs = {"output_size": draw(mostly(st.one_of(st.integers(1, 6), st.lists(st.integers(1, 6), min_size=rank, max_size=rank)), 0, -1, None, "ab", (2,) * (rank + 1), (None,) * rank))}
    if fmt is not None:
        kwargs["data_format"] = fmt
    args, kwargs = maybe_positional(draw, class_name, kwargs)
    return class_name, args, kwargs, [draw(input_shape(rank, fmt))]


@differential(200)
@given(adaptive_pooling_case())
def test_adaptive_pooling_matches_keras(case):
    class_name, args, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes, args=args)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "output", "params"),
    [
        # 7 -> 7 * 2 = 14; kernel 3*3*16*32 + bias 16.
        ("Conv2DTranspose", (16, 3), {"strides": 2, "padding": "same"}, (None, 7, 7, 32), (None, 14, 14, 16), 4624),
        # 7 -> (7 - 1) * 2 + 3 = 15.
        ("Conv2DTranspose", (16, 3), {"strides": 2}, (None, 7, 7, 32), (None, 15, 15, 16), 4624),
        # 7 -> (7 - 1) * 2 + 3 % 2 + 1 = 14; 7 -> (7 - 1) * 2 + 4 % 2 + 1 = 13.
        ("Conv2DTranspose", (1, (3, 4)), {"strides": 2, "padding": "same", "output_padding": 1}, (None, 7, 7, 1), (None, 14, 13, 1), 13),
        # valid, stride 3 > kernel 1: output_padding defaults to 2, so 7 -> 6 * 3 + 1 + 2 = 21.
        ("Conv1DTranspose", (4, 1, 3), {}, (None, 7, 2), (None, 21, 4), 12),
        # Conv3DTranspose(filters, kernel, strides, padding, data_format, output_padding).
        ("Conv3DTranspose", (2, 3, 2, "same", "channels_first", 1), {}, (None, 1, 4, 4, 4), (None, 2, 8, 8, 8), 56),
        # depthwise 3*3*3*1 + pointwise 3*64 + bias 64.
        ("SeparableConv2D", (64, 3), {}, (None, 32, 32, 3), (None, 30, 30, 64), 283),
        # 3*3*8*2 + bias 16; 8 channels * 2.
        ("DepthwiseConv2D", (3,), {"depth_multiplier": 2}, (None, 28, 28, 8), (None, 26, 26, 16), 160),
        # DepthwiseConv1D(kernel_size, strides, padding, depth_multiplier).
        ("DepthwiseConv1D", (5, 1, "same", 3), {"use_bias": False}, (None, 10, 4), (None, 10, 12), 60),
        # causal pads dilation*(kernel-1) = 4 before: 10 -> 10.
        ("Conv1D", (8, 3), {"padding": "causal", "dilation_rate": 2}, (None, 10, 4), (None, 10, 8), 104),
        # grouped: 3*3*(8/2)*6 + 6.
        ("Conv2D", (6, 3), {"groups": 2}, (None, 9, 9, 8), (None, 7, 7, 6), 222),
        ("MaxPooling2D", (), {}, (None, 28, 28, 3), (None, 14, 14, 3), 0),
        ("AveragePooling1D", (3,), {"strides": 2, "padding": "same"}, (None, 7, 5), (None, 4, 5), 0),
        ("GlobalAveragePooling2D", (), {"keepdims": True}, (None, 5, 5, 7), (None, 1, 1, 7), 0),
        # 'same', even kernel, stride 1, output_padding 0: 1 -> (1 - 1) * 1 + 2 % 2 + 0 = 0, and Keras accepts it.
        ("Conv2DTranspose", (1, 2), {"padding": "same", "output_padding": 0}, (None, 1, 1, 1), (None, 0, 0, 1), 5),
        # No input spec: a 3D input still gets a 4D output (the op fails only when run).
        ("AdaptiveMaxPooling2D", ((4, 3),), {}, (None, 9, 5), (None, 4, 3, 5), 0),
        ("AdaptiveAveragePooling1D", (2, "channels_first"), {}, (None, 6, 10), (None, 6, 2), 0),
    ],
)
def test_hand_checked(class_name, args, kwargs, shape, output, params):
    result = padlint_result(class_name, shape, *args, **kwargs)
    assert result.outputs == [output]
    assert result.trainable == params
    assert_matches_keras(class_name, kwargs, [shape], args=args)


def test_transposed_details_and_explain():
    result = padlint_result("Conv2DTranspose", (None, 7, 7, 32), 16, 3, strides=2)
    first = result.details["windows"][0].as_dict()
    assert first == {
        "axis": 1,
        "input": 7,
        "output": 15,
        "kernel": 3,
        "stride": 2,
        "dilation": 1,
        "padding": "valid",
        "output_padding": None,
        "added": 0,
    }
    assert result.details["transposed"] is True
    assert result.explain == ["height: 7 -> (7 - 1) * 2 + 3 = 15, valid", "width:  7 -> (7 - 1) * 2 + 3 = 15, valid"]
    same = padlint_result("Conv2DTranspose", (None, 7, 7, 32), 16, 3, strides=2, padding="same")
    assert same.explain[0] == "height: 7 -> 7 * 2 = 14, same"
    wide = padlint_result("Conv1DTranspose", (None, 7, 2), 4, 1, 3)
    assert wide.explain == ["steps: 7 -> (7 - 1) * 3 + 1 + 2 = 21, valid (output_padding defaults to stride - kernel = 2)"]


def test_transposed_same_restores_a_strided_same_conv():
    down = padlint_result("Conv2D", (None, 28, 28, 3), 8, 3, strides=2, padding="same")
    up = padlint_result("Conv2DTranspose", down.outputs[0], 3, 3, strides=2, padding="same")
    assert [w.input for w in up.details["windows"]] == [14, 14]
    assert up.outputs == [(None, 28, 28, 3)]


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_transposed_same_doubles():
    result = padlint_result("Conv2DTranspose", (None, H, W, 3), 4, 3, strides=2, padding="same")
    assert result.outputs == [(None, mul(H, 2), mul(W, 2), 4)]
    assert result.trainable == 3 * 3 * 4 * 3 + 4
    assert result.explain[0] == "height: H -> H * 2 = 2*H, same"


def test_symbolic_transposed_valid():
    result = padlint_result("Conv1DTranspose", (None, H, 3), 4, 3, strides=2)
    size = result.outputs[0][1]
    assert size == add(mul(H, 2), 1)
    assert result.explain[0] == f"steps: H -> (H - 1) * 2 + 3 = {size}, valid"


def test_symbolic_conv_and_pooling():
    conv = padlint_result("Conv2D", (None, H, W, 3), 8, 3)
    assert [str(dim) for dim in conv.outputs[0][1:3]] == ["H-2", "W-2"]
    pool = padlint_result("MaxPooling2D", (None, H, 16, 3), strides=2, padding="same")
    assert pool.outputs == [(None, ceildiv(H, 2), 8, 3)]
    separable = padlint_result("SeparableConv1D", (None, H, 4), 2, 3, padding="same", depth_multiplier=2)
    assert separable.outputs == [(None, H, 2)]
    assert separable.trainable == 3 * 4 * 2 + 8 * 2 + 2


def test_unknown_sizes_stay_unknown():
    result = padlint_result("Conv2DTranspose", (None, None, 7, 3), 4, 3, strides=2, padding="same")
    assert result.outputs == [(None, None, 14, 4)]
    depthwise = padlint_result("DepthwiseConv2D", (None, 8, 8, None), 3)
    assert depthwise.outputs == [(None, 6, 6, None)]
    assert depthwise.trainable is None


@pytest.mark.parametrize("class_name", ["Conv2D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D"])
def test_symbolic_channels_cannot_build(class_name):
    """A symbolic channel axis is None to Keras, whose build() then fails."""
    args = (3,) if class_name.startswith("Depthwise") else (4, 3)
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, (None, 8, 8, C), *args)
    assert raised.value.kind == UNDEFINED_SIZE
    assert_matches_keras(class_name, {}, [(None, 8, 8, C)], args=args)


def test_transposed_tuple_padding_fails_only_on_known_sizes():
    unknown = padlint_result("Conv2DTranspose", (None, H, None, 3), 4, 3, padding=(1, 1))
    assert unknown.outputs == [(None, None, None, 4)]
    with pytest.raises(LayerError) as raised:
        padlint_result("Conv2DTranspose", (None, H, 5, 3), 4, 3, padding=(1, 1))
    assert raised.value.kind == INVALID_PADDING


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "kind"),
    [
        ("Conv2D", (4, 3), {"padding": "full"}, (None, 8, 8, 3), INVALID_PADDING),
        ("Conv2D", (4, 9), {}, (None, 8, 8, 3), NON_POSITIVE_DIMENSION),
        ("Conv2D", (4, 3), {"strides": 2, "dilation_rate": 2}, (None, 8, 8, 3), INVALID_CONFIG),
        ("Conv2DTranspose", (4, 3), {"strides": 2, "output_padding": 2}, (None, 8, 8, 3), INVALID_CONFIG),
        ("SeparableConv1D", (4, 3), {"padding": "causal"}, (None, 8, 3), INVALID_PADDING),
        ("DepthwiseConv2D", (3,), {"depth_multiplier": 0}, (None, 8, 8, 3), INVALID_CONFIG),
        ("MaxPooling2D", (), {"padding": "Same"}, (None, 8, 8, 3), INVALID_PADDING),
        ("AveragePooling2D", (), {}, (None, 8, 8, 3), KERAS_ERROR),
        ("Conv2D", (), {"kernel_size": 3}, (None, 8, 8, 3), KERAS_ERROR),
        # (0 - 1) * 2 + 1 + 0 < 0: only building the output tensor fails.
        ("Conv1DTranspose", (2, 1, 2), {"output_padding": 0}, (None, 0, 3), NON_POSITIVE_DIMENSION),
    ],
)
def test_error_kinds(class_name, args, kwargs, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, *args, **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [shape], args=args).raised


def test_explain_lines_name_their_axis_in_either_data_format():
    """Keras names the spatial axes (batch, steps, channels), (batch, height, width, channels) and
    (batch, depth, height, width, channels); channels_first moves the channels, not the order."""
    steps = padlint_result("Conv1D", (None, 9, 2), 4, 3)
    assert steps.explain == ["steps: 9 -> floor((9 - 3) / 1) + 1 = 7, valid"]
    first = padlint_result("MaxPooling2D", (None, 3, 10, 20), 2, data_format="channels_first")
    assert first.explain == ["height: 10 -> floor((10 - 2) / 2) + 1 = 5, valid", "width:  20 -> floor((20 - 2) / 2) + 1 = 10, valid"]
    volume = padlint_result("Conv3D", (None, 4, 6, 8, 1), 2, 3, padding="same")
    assert [line.split(" ")[0] for line in volume.explain] == ["depth:", "height:", "width:"]
    assert [line.split(" -> ")[0].split()[-1] for line in volume.explain] == ["4", "6", "8"]
