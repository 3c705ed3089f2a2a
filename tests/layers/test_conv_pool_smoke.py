"""Hypothesis differential test of convolution and pooling specs against Keras."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.keras_oracle import assert_matches_keras

PADDINGS = st.sampled_from(["valid", "same", "causal", "Same", "VALID", "full", (1, 1), [2, 2]])


@st.composite
def conv_case(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(st.sampled_from([None, "channels_last", "channels_first"]))
    spatial = tuple(draw(st.one_of(st.none(), st.integers(1, 12))) for _ in range(rank))
    channels = draw(st.integers(1, 6))
    shape = (None,) + (spatial + (channels,) if data_format != "channels_first" else (channels,) + spatial)
    kwargs = {
        "filters": draw(st.integers(-1, 8)),
        "kernel_size": draw(st.one_of(st.integers(0, 5), st.tuples(*[st.integers(1, 5)] * rank))),
        "strides": draw(st.one_of(st.integers(1, 3), st.tuples(*[st.integers(1, 3)] * rank))),
        "padding": draw(PADDINGS),
        "dilation_rate": draw(st.integers(1, 3)),
        "groups": draw(st.sampled_from([1, 1, 1, 2])),
        "use_bias": draw(st.booleans()),
    }
    if data_format:
        kwargs["data_format"] = data_format
    return f"Conv{rank}D", kwargs, [shape]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_case())
def test_conv_matches_keras(case):
    class_name, kwargs, shapes = case
    assert_matches_keras(class_name, kwargs, shapes)
