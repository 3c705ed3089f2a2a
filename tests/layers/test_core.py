"""Core specs against real Keras, plus hand-checked and symbolic examples.

The differential tests draw Dense and Embedding sizes Keras accepts and
rejects (0, negative, floats, bools, where Dense takes ``True`` as 1 but
Embedding does not), activation names with misspellings, LoRA ranks (which
freeze the kernel and add two trainable factors), the Keras 2 argument
``input_length``; EinsumDense equations of the three forms Keras parses,
with and without ``...``, with bias axes, mismatched or partial output
shapes; and Lambda ``output_shape`` structures (tuples, nested, lists, dicts,
scalars). padlint must raise exactly where Keras raises and otherwise agree
on every output shape and weight count.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError, Unresolved
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    RANK_MISMATCH,
    UNDEFINED_SIZE,
)
from padlint.symbolic import Sym
from tests.keras_oracle import (
    assert_case_matches_keras,
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

H, W, D = (Sym.symbol(name) for name in "HWD")


def identity(x):
    return x


@st.composite
def batch_shape(draw, *, rank=None, last=None, none_ok=True, odds=5) -> tuple:
    """``rank`` axes, the batch first; sizes known, now and then symbolic, and unknown if ``none_ok``.

    (Where a size becomes a weight, padlint's unknown is not Keras' None.)
    """
    rank = draw(mostly(st.integers(2, 4), 1)) if rank is None else rank
    sizes = [draw(mostly(st.integers(1, 6), H, W, *([None] if none_ok else []), odds=odds)) for _ in range(rank - 1)]
    if last is not None and sizes:
        sizes[-1] = draw(last)
    return (None, *sizes)


LORA = mostly(st.sampled_from([None, None, 0, 1, 2]), True, -1, 2.5, odds=6)


@st.composite
def dense_case(draw):
    kwargs = {"units": draw(mostly(st.integers(1, 8), 0, -2, 2.0, True, "4", None, odds=8))}
    if draw(st.booleans()):
        kwargs["activation"] = draw(mostly(st.sampled_from(["relu", "softmax", "linear", None, "swish"]), "Relu", "soft_max", 3, identity, odds=6))
    if draw(st.booleans()):
        kwargs["use_bias"] = draw(st.booleans())
    if draw(st.integers(0, 2)) == 0:
        kwargs["lora_rank"] = draw(LORA)
        if draw(st.integers(0, 4)) == 0:
            kwargs["kernel_constraint"] = "non_neg"
    shape = draw(batch_shape(last=mostly(st.integers(1, 8), H, odds=10)))
    return "Dense", kwargs, [shape]


@st.composite
def embedding_case(draw):
    kwargs = {
        "input_dim": draw(mostly(st.integers(1, 50), 0, -1, True, 3.0, odds=10)),
        "output_dim": draw(mostly(st.integers(1, 8), 0, None, odds=10)),
    }
    if draw(st.integers(0, 3)) == 0:
        kwargs["input_length"] = draw(st.sampled_from([5, 10, None]))
    if draw(st.integers(0, 3)) == 0:
        kwargs["lora_rank"] = draw(LORA)
    if draw(st.integers(0, 5)) == 0:
        kwargs["mask_zero"] = True
    return "Embedding", kwargs, [draw(batch_shape())]


#: (equation, input rank): the three forms ``_analyze_einsum_string`` parses, and some it does not.
EQUATIONS = [
    ("ab,bc->ac", 2), ("abc,cd->abd", 3), ("abc,cde->abde", 3), ("abc,bd->adc", 3), ("ab,bcd->acd", 2),
    ("...b,bc->...c", 3), ("...b,bc->...c", 4), ("...ab,bc->...ac", 4), ("ab...,bc->ac...", 3), ("ab...,bc->ac...", 4),
]  # fmt: skip
BAD_EQUATIONS = [("ab,bc", 2), ("a...b,bc->a...c", 3), ("ab,cd->ae", 2), ("ab,bc->ac", 3), ("abc,bc->ac", 2), ("ab,xc->ac", 2)]


@st.composite
def einsum_case(draw):
    equation, rank = draw(mostly(st.sampled_from(EQUATIONS), *BAD_EQUATIONS, odds=8))
    input_spec, output_spec = equation.split(",")[0], equation.split("->")[-1].replace("...", "")
    shape = draw(batch_shape(rank=rank, none_ok=False, odds=12))
    # Output sizes after the batch axis; on axes shared with the input mostly None (always compatible).
    partial = tuple(
        draw(mostly(st.just(None), 1, 3, 5, odds=10) if char in input_spec else mostly(st.integers(1, 6), None, odds=12))
        for char in output_spec[1:] or "x"
    )
    kwargs = {"equation": equation, "output_shape": draw(mostly(st.just(tuple(partial)), partial[0] or 3, None, odds=6))}
    if draw(st.booleans()):
        kwargs["bias_axes"] = draw(mostly(st.sampled_from([output_spec[-1], output_spec[1:]]), "z", "", odds=8))
    if draw(st.integers(0, 4)) == 0:
        kwargs["lora_rank"] = draw(LORA)
    if draw(st.integers(0, 6)) == 0:
        kwargs["activation"] = draw(st.sampled_from(["gelu", "Gelu"]))
    return "EinsumDense", kwargs, [shape]


@st.composite
def lambda_case(draw):
    good = st.sampled_from([(10,), (None, 10), (), (4, 5), ((10,), (5,)), [(2,), (3, 4)], {"a": (2,), "b": (3,)}, (True,), ((3,), ())])
    output_shape = draw(mostly(good, [10], 10, (2.0,), (-1, 4), ((10,), [5]), ("3",), (None,), ((None,), None), odds=3))
    return "Lambda", {"function": identity, "output_shape": output_shape}, [draw(batch_shape())]


@st.composite
def core_case(draw):
    return draw(st.one_of(dense_case(), embedding_case(), einsum_case(), lambda_case()))


@differential(700)
@given(core_case(), st.integers(0, 3))
def test_core_layers_match_keras(case, positional):
    assert_case_matches_keras(case, positional)


@st.composite
def pass_through_case(draw):
    class_name = draw(st.sampled_from(["Masking", "Identity"]))
    kwargs = {"mask_value": draw(st.sampled_from([0.0, -1, None]))} if class_name == "Masking" and draw(st.booleans()) else {}
    rank = draw(st.integers(0, 4))
    return class_name, kwargs, [draw(batch_shape(rank=rank)) if rank else ()]


@differential(30)
@given(pass_through_case(), st.integers(0, 3))
def test_masking_identity_match_keras(case, positional):
    assert_case_matches_keras(case, positional)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "output", "trainable", "non_trainable"),
    [
        ("Dense", (10,), {}, (None, 784), (None, 10), 7850, 0),
        ("Dense", (10,), {"use_bias": False}, (None, 5, 8), (None, 5, 10), 80, 0),
        ("Dense", (True,), {}, (None, 5), (None, 1), 6, 0),  # Keras' isinstance(units, int) lets True through
        ("Dense", (3,), {"lora_rank": 2}, (None, 5), (None, 3), 3 + 10 + 6, 15),  # bias + A (5x2) + B (2x3) | frozen kernel
        ("Embedding", (1000, 64), {}, (None, 20), (None, 20, 64), 64000, 0),
        ("Embedding", (1000, 64), {"input_length": 20}, (None, 30), (None, 30, 64), 64000, 0),  # input_length ignored
        ("Embedding", (10, 4), {"lora_rank": 2}, (None, 5), (None, 5, 4), 28, 40),
        ("EinsumDense", ("ab,bc->ac", 4), {"bias_axes": "c"}, (None, 3), (None, 4), 16, 0),
        ("EinsumDense", ("abc,cde->abde", (None, 4, 6)), {"bias_axes": "e"}, (None, 2, 5), (None, None, 4, 6), 126, 0),
        ("EinsumDense", ("...b,bc->...c", 4), {}, (None, 2, 3, 5), (None, 3, 2, 4), 20, 0),  # sic: Keras reverses (2, 3)
        ("Lambda", (identity, (10,)), {}, (None, 8, 8), (None, 10), 0, 0),
        ("Lambda", (identity, (None, 10)), {}, (None, 8, 8), (None, None, 10), 0, 0),  # no batch axis in output_shape
        ("Masking", (), {}, (None, 8, 8), (None, 8, 8), 0, 0),
        ("Identity", (), {}, (None, 8, 8), (None, 8, 8), 0, 0),
    ],
)
def test_hand_checked(class_name, args, kwargs, shape, output, trainable, non_trainable):
    result = padlint_result(class_name, shape, *args, **kwargs)
    assert result.outputs == [output]
    assert (result.trainable, result.non_trainable) == (trainable, non_trainable)
    assert_matches_keras(class_name, kwargs, [shape], args=args)


def test_lambda_with_several_outputs():
    result = padlint_result("Lambda", (None, 8), identity, output_shape={"b": (3,), "a": ((2,), ())})
    assert result.outputs == [(None, 2), (None,), (None, 3)]  # dict keys sorted, as keras.tree flattens
    assert_matches_keras("Lambda", {"function": identity, "output_shape": {"b": (3,), "a": ((2,), ())}}, [(None, 8)])


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "kind"),
    [
        ("Dense", (0,), {}, (None, 4), INVALID_CONFIG),
        ("Dense", (4,), {"activation": "Relu"}, (None, 4), INVALID_CONFIG),
        ("Dense", (4,), {}, (None,), RANK_MISMATCH),
        ("Dense", (4,), {}, (None, H), UNDEFINED_SIZE),  # kernel (None, 4): not fully defined
        ("Dense", (4,), {"lora_rank": 2, "kernel_constraint": "non_neg"}, (None, 4), INVALID_CONFIG),
        ("Embedding", (True, 4), {}, (None, 4), INVALID_CONFIG),  # unlike Dense, bools are rejected
        ("EinsumDense", ("abc,cd->abd", (6, 4)), {}, (None, 5, 3), INVALID_CONFIG),  # 6 != 5 on shared 'b'
        ("EinsumDense", ("ab,bc", 4), {}, (None, 3), INVALID_CONFIG),
        ("EinsumDense", ("abc,bc->ac", 4), {}, (None, 3), KERAS_ERROR),  # an index beyond the input's rank
        ("EinsumDense", ("abc,cd->abd", (None, 4)), {"bias_axes": "bd"}, (None, 5, 3), UNDEFINED_SIZE),  # bias (None, 4)
        ("Lambda", (identity, [10]), {}, (None, 4), KERAS_ERROR),  # (batch,) + [10]
        ("Lambda", (identity, (-1, 10)), {}, (None, 4), KERAS_ERROR),
        ("Lambda", (3,), {"output_shape": (4,)}, (None, 4), KERAS_ERROR),
    ],
)
def test_error_kinds(class_name, args, kwargs, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, *args, **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [shape], args=args).raised


def test_lambda_output_padlint_cannot_know():
    with pytest.raises(Unresolved):
        padlint_result("Lambda", (None, 4), identity)  # Keras would trace the function
    with pytest.raises(Unresolved):
        padlint_result("Lambda", (None, 4), identity, output_shape=lambda shape: shape)


def test_input_layer_still_works():
    assert padlint_result("InputLayer", None, shape=(28, 28, 1)).outputs == [(None, 28, 28, 1)]
    assert padlint_result("InputLayer", None, batch_shape=(8, H, 3)).outputs == [(8, H, 3)]


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_sizes():
    assert padlint_result("Dense", (None, H, W, 8), 4).outputs == [(None, H, W, 4)]
    assert padlint_result("Dense", (None, H, W, 8), 4).trainable == 36
    assert padlint_result("Embedding", (None, H), 100, 8).outputs == [(None, H, 8)]
    assert padlint_result("Lambda", (D, 3), identity, (4,)).outputs == [(D, 4)]  # the batch size carries over
    assert padlint_result("EinsumDense", (None, H, 8), "abc,cd->abd", (None, 4)).outputs == [(None, None, 4)]
    # A declared size on a symbolic shared axis: Keras compares it with None and fails.
    with pytest.raises(LayerError):
        padlint_result("EinsumDense", (None, H, 8), "abc,cd->abd", (5, 4))


def test_unknown_sizes():
    assert padlint_result("Dense", (None, None), 4).trainable is None
    result = padlint_result("Embedding", None, 100, 8)
    assert result.outputs == [None] and result.trainable == 800
    with pytest.raises(Unresolved):
        padlint_result("EinsumDense", (None, None, 8), "abc,cd->abd", (5, 4))
