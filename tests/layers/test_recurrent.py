"""Recurrent layers and wrappers against Keras: random configurations, wrong ranks,
bad units and merge modes, and hand-checked parameter counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from padlint.layers import LayerError, lookup
from padlint.layers.base import RANK_MISMATCH, CallInputs, LayerConfig
from padlint.symbolic import Sym, add, mul
from tests.keras_oracle import NestedLayer, assert_matches_keras

SETTINGS = settings(max_examples=250, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GATED = ["SimpleRNN", "LSTM", "GRU"]
UNITS = st.sampled_from([1, 2, 3, 4, 8] * 3 + [-1, 0, 2.5])
SMALL = st.sampled_from([1, 2, 3, 5])


@st.composite
def sequence_shape(draw, rank: int = 3):
    """Mostly (batch, time, features); sometimes a rank Keras rejects, or unknown sizes."""
    rank = draw(st.sampled_from([rank] * 6 + [rank - 1, rank + 1]))
    batch = draw(st.sampled_from([None, None, None, 2]))
    time = draw(st.sampled_from([None, 1, 4]))
    rest = [draw(st.sampled_from([None] + [1, 2, 3, 5] * 4)) for _ in range(max(rank - 2, 0))]
    return (batch, time, *rest)[:rank]


@st.composite
def gated_kwargs(draw, class_name: str, units=UNITS):
    kwargs = {
        "units": draw(units),
        "use_bias": draw(st.booleans()),
        "return_sequences": draw(st.booleans()),
        "return_state": draw(st.booleans()),
    }
    for name, values in (("go_backwards", [True]), ("stateful", [True]), ("unroll", [True])):
        if draw(st.integers(0, 5)) == 0:
            kwargs[name] = draw(st.sampled_from(values))
    if class_name == "GRU":
        kwargs["reset_after"] = draw(st.booleans())
    if class_name != "SimpleRNN" and draw(st.integers(0, 5)) == 0:
        kwargs["use_cudnn"] = draw(st.sampled_from(["auto", True, False, "yes"]))
    return kwargs


@SETTINGS
@given(st.sampled_from(GATED), st.data())
def test_gated_rnn_matches_keras(class_name, data):
    kwargs = data.draw(gated_kwargs(class_name))
    assert_matches_keras(class_name, kwargs, [data.draw(sequence_shape())])


@st.composite
def conv_lstm_case(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(st.sampled_from([None, "channels_last", "channels_first"]))
    spatial = tuple(draw(st.sampled_from([None] + [1, 3, 4, 6, 7, 7] * 3)) for _ in range(rank))
    channels = draw(st.sampled_from([None] + [1, 2, 2, 3] * 3))
    frame = (spatial + (channels,)) if data_format != "channels_first" else ((channels,) + spatial)
    shape = (draw(st.sampled_from([None, None, 2])), draw(st.sampled_from([None, 3]))) + frame
    if draw(st.integers(0, 7)) == 0:
        shape = shape[:-1]  # one axis short: Keras' InputSpec rejects it
    kwargs = {
        "filters": draw(st.sampled_from([-1, 0, 1, 2, 3])),
        "kernel_size": draw(st.one_of(st.integers(0, 3), st.tuples(*[st.integers(1, 3)] * rank))),
        "strides": draw(st.sampled_from([0, 1, 1, 2, 3])),
        "padding": draw(st.sampled_from(["valid", "same"] * 4 + ["Same", "causal", [1, 1]])),
        "dilation_rate": draw(st.sampled_from([1, 1, 2])),
        "use_bias": draw(st.booleans()),
        "return_sequences": draw(st.booleans()),
        "return_state": draw(st.booleans()),
    }
    if data_format:
        kwargs["data_format"] = data_format
    return f"ConvLSTM{rank}D", kwargs, [shape]


@SETTINGS
@given(conv_lstm_case())
def test_conv_lstm_matches_keras(case):
    assert_matches_keras(*case)


@st.composite
def recurrent_layer(draw, go_backwards):
    """An inner layer for Bidirectional: usually recurrent, sometimes not."""
    class_name = draw(st.sampled_from(GATED * 3 + ["Dense", "RNN"]))
    if class_name == "Dense":
        return NestedLayer("Dense", {"units": draw(SMALL)})
    kwargs = draw(gated_kwargs(class_name, units=st.sampled_from([0] + [1, 2, 3, 4] * 3)))
    if class_name == "RNN":  # RNN(cell): no InputSpec, so any rank reaches build
        kwargs = {key: kwargs[key] for key in ("return_sequences", "return_state")}
        kwargs["cell"] = NestedLayer("LSTMCell", {"units": draw(SMALL)})
    kwargs.pop("stateful", None)
    if draw(go_backwards):
        kwargs["go_backwards"] = True
    else:
        kwargs.pop("go_backwards", None)
    return NestedLayer(class_name, kwargs)


@SETTINGS
@given(
    recurrent_layer(go_backwards=st.sampled_from([False] * 7 + [True])),
    st.sampled_from(["concat", "concat", "sum", "mul", "ave", None, "max"]),
    st.one_of(st.none(), st.none(), recurrent_layer(go_backwards=st.sampled_from([True] * 5 + [False]))),
    sequence_shape(),
)
def test_bidirectional_matches_keras(layer, merge_mode, backward, shape):
    kwargs = {"layer": layer, "merge_mode": merge_mode}
    if backward is not None:
        kwargs["backward_layer"] = backward
    assert_matches_keras("Bidirectional", kwargs, [shape])


@st.composite
def time_distributed_case(draw):
    kind = draw(st.sampled_from(["Dense", "Dense", "LSTM", "GRU"]))
    shape = draw(sequence_shape(rank=draw(st.sampled_from([3, 4, 4, 4] if kind != "Dense" else [3, 3, 4]))))
    if kind == "Dense":
        inner = NestedLayer("Dense", {"units": draw(st.sampled_from([0, 1, 4, 4, 4])), "use_bias": draw(st.booleans())})
        if len(shape) >= 3 and shape[-1] is None:  # padlint's Dense leaves weights unknown where Keras raises
            shape = shape[:-1] + (3,)
    else:
        kwargs = draw(gated_kwargs(kind, units=st.sampled_from([0, 2, 3, 3, 3])))
        kwargs["return_state"] = draw(st.sampled_from([False] * 4 + [True]))  # several outputs: Keras fails
        inner = NestedLayer(kind, kwargs)
    return inner, shape


@SETTINGS
@given(time_distributed_case())
def test_time_distributed_matches_keras(case):
    inner, shape = case
    assert_matches_keras("TimeDistributed", {"layer": inner}, [shape])


@st.composite
def cells(draw):
    def cell():
        class_name = draw(st.sampled_from(["SimpleRNNCell", "LSTMCell", "GRUCell"]))
        kwargs = {"units": draw(st.sampled_from([0] + [1, 2, 3] * 4)), "use_bias": draw(st.booleans())}
        if class_name == "GRUCell":
            kwargs["reset_after"] = draw(st.booleans())
        return NestedLayer(class_name, kwargs)

    if draw(st.booleans()):
        return cell()
    return [cell() for _ in range(draw(st.integers(1, 3)))]


@SETTINGS
@given(cells(), st.booleans(), st.booleans(), st.integers(2, 4), st.data())
def test_rnn_with_cells_matches_keras(cell, return_sequences, return_state, rank, data):
    shape = data.draw(sequence_shape(rank=rank))
    kwargs = {"cell": cell, "return_sequences": return_sequences, "return_state": return_state}
    assert_matches_keras("RNN", kwargs, [shape])


# ----------------------------------------------------------- worked examples


def test_lstm_64_on_100_features():
    # 4 gates x (kernel 100x64 + recurrent 64x64 + bias 64)
    outcome = assert_matches_keras("LSTM", {"units": 64}, [(None, 20, 100)])
    assert outcome.shapes == [(None, 64)]
    assert outcome.trainable == 4 * (64 * (100 + 64) + 64) == 42_240


def test_bidirectional_lstm_doubles_weights_and_width():
    outcome = assert_matches_keras("Bidirectional", {"layer": NestedLayer("LSTM", {"units": 64, "return_sequences": True})}, [(None, 20, 100)])
    assert outcome.shapes == [(None, 20, 128)]
    assert outcome.trainable == 2 * 42_240


@pytest.mark.parametrize(
    ("class_name", "kwargs", "params"),
    [
        ("SimpleRNN", {"units": 32}, 32 * (10 + 32) + 32),
        ("GRU", {"units": 32}, 3 * (32 * (10 + 32) + 2 * 32)),  # reset_after: two bias rows
        ("GRU", {"units": 32, "reset_after": False}, 3 * (32 * (10 + 32) + 32)),
        ("LSTM", {"units": 32, "use_bias": False}, 4 * 32 * (10 + 32)),
    ],
)
def test_gated_parameter_counts(class_name, kwargs, params):
    assert assert_matches_keras(class_name, kwargs, [(None, 7, 10)]).trainable == params


def test_lstm_return_state_gives_output_and_two_states():
    outcome = assert_matches_keras("LSTM", {"units": 8, "return_sequences": True, "return_state": True}, [(None, 5, 3)])
    assert outcome.shapes == [(None, 5, 8), (None, 8), (None, 8)]


def test_conv_lstm2d_counts():
    # 4 gates x 3x3 kernels over (3 input + 16 recurrent) channels, 16 filters, + bias
    outcome = assert_matches_keras("ConvLSTM2D", {"filters": 16, "kernel_size": 3, "padding": "same"}, [(None, 10, 32, 32, 3)])
    assert outcome.shapes == [(None, 32, 32, 16)]
    assert outcome.trainable == 4 * 16 * (9 * (3 + 16) + 1)


def test_time_distributed_dense():
    outcome = assert_matches_keras("TimeDistributed", {"layer": NestedLayer("Dense", {"units": 8})}, [(None, 10, 16)])
    assert outcome.shapes == [(None, 10, 8)] and outcome.trainable == 16 * 8 + 8


@pytest.mark.parametrize(
    ("class_name", "kwargs", "shape"),
    [
        ("LSTM", {"units": 8}, (None, 28, 28, 1)),  # LSTM on images
        ("GRU", {"units": 8}, (None, 100)),  # forgot the time axis
        ("LSTM", {"units": 0}, (None, 5, 3)),
        ("LSTM", {"units": 8, "stateful": True}, (None, 5, 3)),
        ("Bidirectional", {"layer": NestedLayer("LSTM", {"units": 8}), "merge_mode": "max"}, (None, 5, 3)),
        ("Bidirectional", {"layer": NestedLayer("LSTM", {"units": 8, "go_backwards": True})}, (None, 5, 3)),
        ("ConvLSTM2D", {"filters": 4, "kernel_size": 3}, (None, 5, None, None, 3)),
        ("TimeDistributed", {"layer": NestedLayer("Dense", {"units": 8})}, (None, 16)),
    ],
)
def test_keras_rejects(class_name, kwargs, shape):
    assert assert_matches_keras(class_name, kwargs, [shape]).raised


def test_rank_mismatch_kind_names_the_shape():
    spec = lookup("LSTM")
    with pytest.raises(LayerError) as raised:
        spec.compute(LayerConfig(spec, {"units": 8}), CallInputs([(None, 28, 28, 1)]))
    assert raised.value.kind == RANK_MISMATCH
    assert "(None, 28, 28, 1)" in raised.value.message


# ------------------------------------------------------- symbolic dimensions

T, F = Sym.symbol("T"), Sym.symbol("F")


def padlint_layer(class_name: str, shape: tuple, **kwargs):
    spec = lookup(class_name)
    config = LayerConfig(spec, kwargs)
    spec.validate(config)
    return spec.compute(config, CallInputs([shape], ["sequences"]))


def test_symbolic_time_axis_is_kept():
    result = padlint_layer("LSTM", (None, T, 8), units=16, return_sequences=True)
    assert result.outputs == [(None, T, 16)]
    assert result.trainable == 4 * (16 * (8 + 16) + 16)


def test_symbolic_time_axis_dropped_without_sequences():
    assert padlint_layer("GRU", (None, T, 8), units=4, return_state=True).outputs == [(None, 4), (None, 4)]


def test_symbolic_features_give_symbolic_weights():
    result = padlint_layer("SimpleRNN", (None, T, F), units=4)
    assert result.trainable == add(mul(4, F), 4 * 4 + 4)


def test_bidirectional_symbolic():
    spec = lookup("Bidirectional")
    inner = NestedLayer("LSTM", {"units": 8, "return_sequences": True}).for_padlint()
    result = spec.compute(LayerConfig(spec, {"layer": inner}), CallInputs([(None, T, 3)]))
    assert result.outputs == [(None, T, 16)]


def test_conv_lstm_symbolic_frames():
    result = padlint_layer("ConvLSTM2D", (None, T, Sym.symbol("H"), 9, 3), filters=2, kernel_size=3, return_sequences=True)
    (shape,) = result.outputs
    assert shape[1] == T and str(shape[2]) == "H-2" and shape[3:] == (7, 2)
