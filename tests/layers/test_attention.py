"""Attention layers against Keras: random heads, dims, axes and input shapes, the
attention-scores output, and hand-checked parameter counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from padlint.layers import LayerError, lookup
from padlint.layers.base import MERGE_MISMATCH, CallInputs, LayerConfig
from padlint.symbolic import Sym, add, mul, sub
from tests.keras_oracle import assert_matches_keras

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIM = st.sampled_from([None] + [1, 2, 3, 5, 8] * 4)
FEATURES = st.sampled_from([None] + [2, 3, 4, 6] * 6)


@st.composite
def mha_kwargs(draw):
    kwargs = {
        "num_heads": draw(st.sampled_from([1, 2, 3] * 8 + [0, -1, 2.5, True])),
        "key_dim": draw(st.sampled_from([1, 2, 4, 8] * 5 + [0])),
    }
    optional = {
        "value_dim": st.sampled_from([None, 3, 5] * 4 + [0]),
        "use_bias": st.booleans(),
        "use_gate": st.booleans(),
        "output_shape": st.sampled_from([None, 0, 4, (3,), [2, 3], ()] * 3 + ["ab", 7.5]),
        "attention_axes": st.sampled_from([None, 1, 2, -1, -2, -4, -6, 3, 5, (1,), (1, 2), [2], "x"]),
        "sliding_window": st.sampled_from([None, 2] * 3 + [0]),
        "dropout": st.sampled_from([0.0, 0.1]),
        "flash_attention": st.sampled_from([None, False, True]),
    }
    for name, values in optional.items():
        if draw(st.integers(0, 3)) == 0:
            kwargs[name] = draw(values)
    return kwargs


@st.composite
def mha_inputs(draw):
    """query, value and maybe key: usually compatible, sometimes not."""
    rank = draw(st.sampled_from([3] * 6 + [2, 4, 1]))
    query = (None, *(draw(DIM) for _ in range(rank - 2)), draw(FEATURES))[:rank]
    value_rank = draw(st.sampled_from([rank] * 5 + [2, 3, 4]))
    value = (None, *(draw(DIM) for _ in range(value_rank - 2)), draw(FEATURES))[:value_rank]
    shapes, names = [query, value], ["query", "value"]
    if draw(st.booleans()):
        key = list(value)
        if draw(st.booleans()):
            key[-1] = draw(FEATURES)
        if len(key) > 2 and draw(st.booleans()):
            key[1] = draw(DIM)
        shapes.append(tuple(key))
        names.append("key")
    return shapes, names


@SETTINGS
@given(mha_kwargs(), mha_inputs(), st.booleans())
def test_multi_head_attention_matches_keras(kwargs, inputs, return_scores):
    shapes, names = inputs
    call_kwargs = {"return_attention_scores": True} if return_scores else None
    assert_matches_keras("MultiHeadAttention", kwargs, shapes, input_names=names, call_kwargs=call_kwargs)


@st.composite
def attention_case(draw):
    class_name = draw(st.sampled_from(["Attention", "AdditiveAttention"]))
    kwargs = {}
    if draw(st.booleans()):
        kwargs["use_scale"] = draw(st.booleans())
    if draw(st.integers(0, 2)) == 0:
        kwargs["score_mode"] = draw(st.sampled_from(["dot", "concat", "general"]))
    if draw(st.integers(0, 3)) == 0:
        kwargs["dropout"] = draw(st.sampled_from([0.0, 0.2]))
    count = draw(st.sampled_from([2, 2, 2, 3, 3, 1, 4]))
    shapes = []
    for _ in range(count):
        rank = draw(st.sampled_from([3] * 6 + [1, 2, 4]))
        shapes.append((None, *(draw(DIM) for _ in range(rank - 2)), draw(FEATURES))[:rank])
    return class_name, kwargs, shapes


@SETTINGS
@given(attention_case(), st.booleans())
def test_attention_matches_keras(case, return_scores):
    class_name, kwargs, shapes = case
    call_kwargs = {"return_attention_scores": True} if return_scores else None
    assert_matches_keras(class_name, kwargs, shapes, call_kwargs=call_kwargs)


# ----------------------------------------------------------- worked examples


def test_transformer_block_attention_counts():
    # 8 heads of 64 on d_model=512: q, k, v each 512*8*64 + 8*64; output 8*64*512 + 512.
    outcome = assert_matches_keras(
        "MultiHeadAttention", {"num_heads": 8, "key_dim": 64}, [(None, 100, 512), (None, 100, 512)], input_names=["query", "value"]
    )
    assert outcome.shapes == [(None, 100, 512)]
    assert outcome.trainable == 3 * (512 * 8 * 64 + 8 * 64) + (8 * 64 * 512 + 512) == 1_050_624


def test_attention_scores_shape_uses_query_length_twice():
    # keras/src/layers/attention/multi_head_attention.py compute_output_spec:
    # (batch, heads, Tq, Tq), even when the value sequence is longer.
    outcome = assert_matches_keras(
        "MultiHeadAttention",
        {"num_heads": 4, "key_dim": 8, "output_shape": 16},
        [(None, 10, 32), (None, 20, 32)],
        input_names=["query", "value"],
        call_kwargs={"return_attention_scores": True},
    )
    assert outcome.shapes == [(None, 10, 16), (None, 4, 10, 10)]


@pytest.mark.parametrize(
    ("class_name", "kwargs", "params"),
    [("Attention", {}, 0), ("Attention", {"use_scale": True, "score_mode": "concat"}, 2), ("AdditiveAttention", {}, 16)],
)
def test_luong_and_bahdanau_counts(class_name, kwargs, params):
    outcome = assert_matches_keras(class_name, kwargs, [(None, 5, 16), (None, 7, 16)], call_kwargs={"return_attention_scores": True})
    assert outcome.shapes == [(None, 5, 16), (None, 5, 7)]
    assert outcome.trainable == params


@pytest.mark.parametrize(
    ("kwargs", "shapes", "names"),
    [
        ({"num_heads": 0, "key_dim": 8}, [(None, 5, 4), (None, 5, 4)], ["query", "value"]),
        ({"num_heads": 2, "key_dim": 8}, [(None, 5, 4), (None, 6, 4), (None, 7, 4)], ["query", "value", "key"]),
        ({"num_heads": 2, "key_dim": 8}, [(None, 5, None), (None, 6, 4)], ["query", "value"]),
        ({"num_heads": 2, "key_dim": 8, "attention_axes": 4}, [(None, 5, 4), (None, 6, 4)], ["query", "value"]),
    ],
)
def test_keras_rejects(kwargs, shapes, names):
    assert assert_matches_keras("MultiHeadAttention", kwargs, shapes, input_names=names).raised


# ------------------------------------------------------- symbolic dimensions

T, S = Sym.symbol("T"), Sym.symbol("S")


def padlint_mha(shapes: list, names: list, **kwargs):
    spec = lookup("MultiHeadAttention")
    config = LayerConfig(spec, kwargs)
    spec.validate(config)
    return spec.compute(config, CallInputs(shapes, names, {"return_attention_scores": True}))


def test_symbolic_sequence_lengths():
    result = padlint_mha([(None, T, 16), (None, S, 16)], ["query", "value"], num_heads=2, key_dim=8)
    assert result.outputs == [(None, T, 16), (None, 2, T, T)]


def test_symbolic_feature_size_gives_symbolic_weights():
    d = Sym.symbol("D")
    result = padlint_mha([(None, T, d), (None, T, d)], ["query", "value"], num_heads=2, key_dim=4, use_bias=False)
    # q, k, v: D*2*4 each; output 2*4*D
    assert result.trainable == add(mul(24, d), mul(8, d))


def test_value_and_key_lengths_provably_different():
    with pytest.raises(LayerError) as raised:
        padlint_mha([(None, T, 8), (None, S, 8), (None, sub(S, 1), 8)], ["query", "value", "key"], num_heads=2, key_dim=4)
    assert raised.value.kind == MERGE_MISMATCH


def test_value_and_key_lengths_undecidable_do_not_raise():
    result = padlint_mha([(None, T, 8), (None, S, 8), (None, T, 8)], ["query", "value", "key"], num_heads=2, key_dim=4)
    assert result.outputs[0] == (None, T, 8)


def test_attention_output_does_not_need_the_key():
    spec = lookup("Attention")
    result = spec.compute(LayerConfig(spec, {}), CallInputs([(None, T, 8), (None, S, 4), None]))
    assert result.outputs == [(None, T, 4)]
