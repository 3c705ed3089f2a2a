"""Fuzzing the rules: no rule raises on any functional model, however it is wired.

Real files reached rules with graphs the rules' authors did not picture: a layer
called on a list (``Conv2D(8, 3)([x])``), with non-tensor arguments (``Dropout(0.5)(x, 3)``,
``training=True``), merges of one tensor, of tensors and numbers, ``Dot`` (whose
``axes`` are ints where other layers keep resize records), strides of ``2**63``.
A hypothesis strategy here writes such *model code*: a functional graph over one to
three inputs of rank 2 to 4, built from convolutions, transposed convolutions,
pooling, resizing, dense and reshaping layers, merges (lists of one to three
entries, numbers and ``None`` among them), ``keras.ops`` arithmetic, shared layers,
a nested model, and ``Model`` calls with lists or dicts. padlint analyses each
program and runs every rule, the opt-in ones included; the test fails on any
internal error (a rule that raised) with the program that caused it.

The default run is deterministic (a fixed seed, 250 programs, a few seconds); a longer
run is ``PADLINT_RULE_FUZZ_CASES=5000 PADLINT_RULE_FUZZ_SEED=7 python -m pytest tests/robustness/test_rule_fuzz.py``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from padlint.analysis import AnalysisOptions, analyse_source
from padlint.catalogue import all_rules
from padlint.checker import check_analysis
from padlint.settings import Settings
from padlint.source import SourceFile

CASES = int(os.environ.get("PADLINT_RULE_FUZZ_CASES", "250"))
SEED = int(os.environ.get("PADLINT_RULE_FUZZ_SEED", "20240612"))

SIZES = st.sampled_from([1, 2, 3, 5, 7, 8, 11, 16, 28, 32])
KERNELS = st.sampled_from([1, 2, 3, 5, (2, 3), (3, 1)])
STRIDES = st.sampled_from([1, 1, 2, 2, 3, 2**63, (2, 1)])
PADDINGS = st.sampled_from(["'valid'", "'same'", "'causal'", "'Same'", "2", "None"])
OTHERS = st.sampled_from(["5", "None", "'x'", "[]", "2.0"])

#: (construction, the input rank it expects or None for any, the output rank or None for the input's).
CONSTRUCTIONS = [
    ("layers.Conv2D({filters}, {kernel}, strides={stride}, padding={padding})", 4, 4),
    ("layers.Conv2D({filters}, {kernel}, dilation_rate={dilation})", 4, 4),
    ("layers.Conv1D({filters}, {kernel}, strides={stride}, padding={padding})", 3, 3),
    ("layers.Conv2DTranspose({filters}, {kernel}, strides={stride}, padding={padding})", 4, 4),
    ("layers.Conv1DTranspose({filters}, {kernel}, strides={stride})", 3, 3),
    ("layers.SeparableConv2D({filters}, {kernel}, padding={padding})", 4, 4),
    ("layers.DepthwiseConv2D({kernel}, strides={stride})", 4, 4),
    ("layers.MaxPooling2D({kernel}, strides={stride}, padding={padding})", 4, 4),
    ("layers.AveragePooling1D({kernel})", 3, 3),
    ("layers.GlobalAveragePooling2D()", 4, 2),
    ("layers.UpSampling2D({stride})", 4, 4),
    ("layers.UpSampling1D({stride})", 3, 3),
    ("layers.ZeroPadding2D({dilation})", 4, 4),
    ("layers.Cropping2D({dilation})", 4, 4),
    ("layers.Cropping1D(({dilation}, 1))", 3, 3),
    ("layers.Dense({filters}, activation='softmax')", None, None),
    ("layers.Flatten()", None, 2),
    ("layers.Reshape(({filters}, -1))", None, 3),
    ("layers.Reshape(({filters}, {filters}, 3))", None, 4),
    ("layers.BatchNormalization()", None, None),
    ("layers.Dropout(0.5)", None, None),
    ("layers.LSTM({filters}, return_sequences=True)", 3, 3),
    ("layers.Embedding(100, {filters})", 2, 3),
    ("layers.Lambda(lambda t: t)", None, None),
]
MERGES = ["layers.Add()", "layers.Concatenate()", "layers.Concatenate(axis=1)", "layers.Multiply()", "layers.Average()", "layers.Subtract()", "layers.Maximum()", "layers.Dot(axes={axes})"]
FUNCTIONS = ["layers.add", "layers.concatenate", "layers.multiply"]


@st.composite
def model_programs(draw) -> str:
    """A module that builds one functional model (and sometimes a nested one), in Keras 3 style."""
    lines = ["import keras", "from keras import layers", ""]
    tensors: list[str] = []
    #: The rank each tensor probably has (a guess: it steers layers to inputs they accept).
    rank_of: dict[str, int] = {}
    ranks = draw(st.lists(st.sampled_from([2, 3, 4]), min_size=1, max_size=3))
    base = draw(SIZES)  # one size for most axes, so that merges often succeed and rules go deep
    for index, rank in enumerate(ranks):
        shape = tuple(draw(st.one_of(st.just(base), SIZES)) for _ in range(rank - 1))
        lines.append(f"i{index} = keras.Input(shape={shape!r})")
        tensors.append(f"i{index}")
        rank_of[f"i{index}"] = rank
    inputs = list(tensors)
    shared: list[str] = []
    for step in range(draw(st.integers(1, 12))):
        name = f"t{step}"
        kind = draw(st.sampled_from(["layer", "layer", "layer", "layer", "merge", "merge", "function", "op", "shared", "list_call", "extra_args", "nested", "down_up", "down_up", "dot"]))
        x = tensors[-1] if draw(st.booleans()) else draw(st.sampled_from(tensors))
        rank = rank_of.get(x, 4)
        if kind in ("layer", "list_call", "extra_args", "shared"):
            fitting = [entry for entry in CONSTRUCTIONS if entry[1] in (None, rank)]
            template, _, produced = draw(st.sampled_from(fitting)) if draw(st.integers(0, 4)) else draw(st.sampled_from(CONSTRUCTIONS))
            rank = produced or rank
            construction = template.format(
                filters=draw(st.sampled_from([1, 2, 4, 8])),
                kernel=draw(KERNELS),
                stride=draw(STRIDES),
                padding=draw(PADDINGS),
                dilation=draw(st.sampled_from([1, 2])),
            )
            if kind == "shared" and shared:
                call = f"{draw(st.sampled_from(shared))}({x})"
            elif kind == "shared":
                lines.append(f"s{step} = {construction}")
                shared.append(f"s{step}")
                call = f"s{step}({x})"
            elif kind == "list_call":
                call = f"{construction}([{x}])"
            elif kind == "extra_args":
                extra = draw(st.sampled_from(["training=True", "3", "mask=None", f"training={draw(OTHERS)}"]))
                call = f"{construction}({x}, {extra})"
            else:
                call = f"{construction}({x})"
        elif kind == "down_up":
            # An encoder step and the transposed convolution that mirrors it (PAD207 pairs them).
            stride, family = draw(st.sampled_from([2, 3, 2**63])), "2D" if rank == 4 else "1D"
            modes = st.sampled_from(["'same'", "'valid'"])
            lines.append(f"d{step} = layers.Conv{family}(4, 3, strides={stride}, padding={draw(modes)})({x})")
            call = f"layers.Conv{family}Transpose(4, 3, strides={stride}, padding={draw(modes)})(d{step})"
        elif kind == "dot":
            other = x if draw(st.booleans()) else draw(st.sampled_from(tensors))
            call = f"layers.Dot(axes={draw(st.sampled_from([-1, 1, 2, '(1, 1)', '(2, 1)']))}, normalize={draw(st.booleans())})([{x}, {other}])"
            rank = max(2, 2 * rank - 4)
        elif kind in ("merge", "function"):
            entry = st.one_of(st.just(x), st.just(x), st.sampled_from(tensors), OTHERS)
            entries = draw(st.lists(entry, min_size=1, max_size=3))
            merge = draw(st.sampled_from(MERGES)).format(axes=draw(st.sampled_from([1, 2, -1, "(1, 2)", "(1, 1)"])))
            operand = f"[{', '.join(entries)}]" if draw(st.booleans()) or len(entries) > 1 else entries[0]
            call = f"{merge}({operand})" if kind == "merge" else f"{draw(st.sampled_from(FUNCTIONS))}({operand})"
        elif kind == "op":
            other = draw(st.one_of(st.sampled_from(tensors), OTHERS))
            call = draw(st.sampled_from([f"{x} + {other}", f"{x} * {other}", f"-{x}", f"{x}[:, 0]", f"keras.ops.relu({x})"]))
        else:
            lines.append(f"n{step}_in = keras.Input(shape={tuple(draw(SIZES) for _ in range(rank - 1))!r})")
            lines.append(f"n{step} = keras.Model(n{step}_in, layers.Dense(4)(n{step}_in))")
            call = f"n{step}({x})"
        lines.append(f"{name} = {call}")
        tensors.append(name)
        rank_of[name] = rank
    outputs = [tensors[-1], *draw(st.lists(st.sampled_from(tensors), max_size=1))]
    style = draw(st.sampled_from(["single", "list", "dict"]))
    if style == "single":
        lines.append(f"model = keras.Model({inputs[0] if len(inputs) == 1 else '[' + ', '.join(inputs) + ']'}, {outputs[0]})")
    elif style == "list":
        lines.append(f"model = keras.Model(inputs=[{', '.join(inputs)}], outputs=[{', '.join(outputs)}])")
    else:
        named_inputs = ", ".join(f"'in{index}': {tensor}" for index, tensor in enumerate(inputs))
        named_outputs = ", ".join(f"'out{index}': {tensor}" for index, tensor in enumerate(outputs))
        lines.append(f"model = keras.Model(inputs={{{named_inputs}}}, outputs={{{named_outputs}}})")
    return "\n".join(lines) + "\n"


#: Every rule, the opt-in ones too.
EVERY_RULE = Settings(select=("ALL", *(rule.code for rule in all_rules() if not rule.default)))


@seed(SEED)
@settings(max_examples=CASES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(model_programs())
def test_no_rule_raises_on_generated_functional_models(program: str):
    check_program(program)


#: The crashes reported on real files, reduced: each ran into a rule's internal error.
REGRESSIONS = {
    "dot": """\
import keras
from keras import layers
a = keras.Input(shape=(16,))
b = keras.Input(shape=(16,))
model = keras.Model([a, b], layers.Dot(axes=1)([a, b]))
""",
    "huge_strides_and_transpose": """\
import keras
from keras import layers
k = keras.Input(shape=(28, 28, 1))
e = layers.Conv2D(16, 3, strides=2**63, padding="same")(k)
e = layers.Conv2DTranspose(1, 3, strides=2**63, padding="same")(e)
model = keras.Model(k, e)
""",
    "list_call_and_non_tensor_arguments": """\
import keras
from keras import layers
j = keras.Input(shape=(32, 32, 3))
y = layers.Conv2D(8, 3, padding="same")([j])
y = layers.Conv2D(8, 3)(y, training=True)
y = layers.Dropout(0.5)(y, 3)
z = layers.Concatenate()([y, y, 5])
model = keras.Model(j, z)
""",
}


def check_program(program: str) -> None:
    analysis = analyse_source(SourceFile(path="generated.py", text=program), AnalysisOptions())
    check_analysis(analysis, EVERY_RULE)
    assert not analysis.internal_errors, f"{analysis.internal_errors}\n--- program:\n{program}"


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regressions(name: str):
    check_program(REGRESSIONS[name])
