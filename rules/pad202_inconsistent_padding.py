from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from padlint.analysis import ModelSummary
from padlint.findings import Edit, Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.windows import Window
from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    argument_node,
    construction_call,
    describe,
    sizes_text,
)
from padlint.symbolic import ceildiv

#: The convolutions whose padding defaults to 'valid', by spatial rank (transposed
#: convolutions run the other way and ConvLSTM layers form stacks of their own).
STACKABLE = {
    f"{family}{rank}D": rank
    for rank in (1, 2, 3)
    for family in ("Conv", "SeparableConv", "DepthwiseConv")
    if not (family != "Conv" and rank == 3)
}

SAME, VALID, OTHER, UNKNOWN, OMITTED = "same", "valid", "other", "unknown", "omitted"


def _padding_choice(call: LayerCall) -> str:
    """How the layer's padding was written: 'same', 'valid', another mode, unknown, or omitted."""
    config = call.operation.config
    if config is None:
        return UNKNOWN
    if not config.is_set("padding"):
        return UNKNOWN if config.open_kwargs else OMITTED
    value = config.arguments["padding"]
    if not isinstance(value, str):
        return UNKNOWN
    lower = value.lower()
    return lower if lower in (SAME, VALID) else OTHER


def _window_text(windows: list[Window]) -> str:
    if len(windows) == 1:
        return f"{windows[0].span}-wide"
    return "x".join(str(window.span) for window in windows)


class InconsistentPadding(Rule):
    """A convolution among 'same'-padded ones leaves padding out and silently gets 'valid'.

    ## What it does
    Looks at the convolutions of one rank in a model (Conv2D, SeparableConv2D and
    DepthwiseConv2D form one stack). When at least `min-same` (2) of them pass
    `padding='same'` and none passes `padding='valid'`, a convolution that does
    not mention padding at all is reported: it gets Keras' default, 'valid', and
    shrinks the feature map while its neighbours keep the size. A convolution
    whose window is 1 wide (1x1) is the same either way; a strided one
    downsamples on purpose (AlexNet's 11x11 stride-4 stem), and one whose
    window covers its whole input (a 4x4 convolution that turns 4x4 into 1x1)
    means 'valid': none of them is reported. Nor, by default, are omissions
    that read as deliberate (the opt-in PAD210 reports them): a stem that no
    'same' convolution precedes, written as a stem (a 5x5 'valid' stem, 180 ->
    176, before 3x3 'same' stages; Xception's two unpadded 3x3 convolutions,
    299 -> 149 -> 147; not a first 3x3 just like the 'same' ones after it, which
    looks forgotten), a model whose output has its
    input's size again (the classic autoencoder's one unpadded convolution,
    16 -> 14, that makes the decoder land on 28x28), and a pattern every stage
    repeats at its own lines (the old Keras CIFAR-10 example: 'same', then the
    default, in each stage). The same pattern built by one helper per stage is
    one decision written once, and is reported.

    ## Why is this bad?
    'same' everywhere but one layer is almost always a forgotten argument: the
    one convolution drops `kernel - 1` rows and columns, the sizes no longer
    match at skip connections or decoder stages, and the border is lost once
    more at every such layer. Stating `padding='valid'` where shrinking is
    meant makes the intent visible and silences the rule.
    """

    code = "PAD202"
    name = "inconsistent-padding"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "min-same": Option(2, "how many convolutions of the same rank must pass padding='same' before one that omits it is reported"),
    }
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),  # PAD202
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(128, 2))
x = layers.Conv1D(16, 5, padding="same")(inputs)
x = layers.Conv1D(16, 5, padding="same")(x)
x = layers.Conv1D(16, 5)(x)  # PAD202
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
from keras import layers, models

# 1x1 convolutions are the same with either padding; 'valid' stated once shows shrinking is meant.
model = models.Sequential([
    layers.Input(shape=(32, 32, 3)),
    layers.Conv2D(32, 3, padding="same"),
    layers.Conv2D(32, 3, padding="same"),
    layers.Conv2D(16, 1),
    layers.Conv2D(16, 3, padding="valid"),
    layers.Conv2D(16, 3),
])
""",
        """\
import keras
from keras import layers

# A strided stem downsamples on purpose; a last 4x4 window over a 4x4 map is a dense layer.
image = keras.Input(shape=(227, 227, 3))
x = layers.Conv2D(96, 11, strides=4, activation="relu")(image)
x = layers.Conv2D(128, 3, strides=2, padding="same")(x)
x = layers.Conv2D(256, 3, strides=2, padding="same")(x)
x = layers.Conv2D(512, 3, strides=2, padding="same")(x)
x = layers.Conv2D(512, 3, strides=2, padding="same")(x)
x = layers.Conv2D(1, 4)(x)
model = keras.Model(image, layers.Flatten()(x))
""",
        """\
from keras import layers, models

# A 'valid' 5x5 stem before 'same' stages shrinks on purpose (180 -> 176).
model = models.Sequential([
    layers.Input(shape=(180, 180, 3)),
    layers.Conv2D(32, 5, activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5),
])
""",
    ]

    #: False: the omissions an expert wants reported (PAD202); True: the rest (the opt-in PAD210).
    remainder: ClassVar[bool] = False

    def check(self, context: RuleContext) -> Iterator[Finding]:
        minimum = int(context.options["min-same"])
        seen: set[int] = set()
        for model in context.models:
            for case in omitted_padding(model, minimum):
                if id(case.call.operation) in seen or (case.exemption is not None) != self.remainder:
                    continue
                seen.add(id(case.call.operation))
                yield self.report(case, context)

    def report(self, case: Omission, context: RuleContext) -> Finding | None:
        call, windows, same, rank = case.call, case.windows, case.same, case.rank
        shrink = f"{sizes_text(w.input for w in windows)} to {sizes_text(w.output for w in windows)}"
        kept = sizes_text(ceildiv(w.input, w.stride) if w.input is not None else None for w in windows)
        lines = sorted({line for other in same if (line := context.line_of(other)) is not None})
        where = ", ".join(str(line) for line in lines[:6]) + (", ..." if len(lines) > 6 else "")
        noun = "line" if len(lines) == 1 else "lines"
        message = (
            f"{describe(call, context)} leaves padding out and gets Keras' default 'valid': the "
            f"{_window_text(windows)} window shrinks {shrink}, while {len(same)} other {rank}D "
            f"convolution{'s' if len(same) != 1 else ''} of this model pass{'es' if len(same) == 1 else ''} "
            f"padding='same' ({noun} {where})"
        )
        if case.exemption is not None:
            message += f"; {case.exemption}"
        fix = f"pass padding='same' (output {kept}, as its neighbours keep the size), or padding='valid' if the shrinking is meant"
        return context.finding(call, message, fix, edits=self.edits(call, same, context))

    def edits(self, call: LayerCall, same: list[LayerCall], context: RuleContext) -> list[Edit]:
        """Unsafe fix: append ``padding='same'`` to the construction, in the quotes the neighbours use."""
        site = construction_call(call.operation)
        if site is None or not site.args or any(argument.star for argument in site.args):
            return []
        span = context.span_of(site.args[-1].value)
        if span is None:
            return []
        quote = _quote_of(same)
        return [Edit(span[2], span[3], span[2], span[3], f", padding={quote}same{quote}", safe=False)]


def _quote_of(layers: list[LayerCall]) -> str:
    for call in layers:
        argument = argument_node(call.operation, "padding")
        value: Any = argument.value if argument is not None else None
        if isinstance(value, cst.SimpleString):
            return value.quote
    return '"'


@dataclass(frozen=True)
class Omission:
    """A convolution that leaves padding out among 'same' ones of its rank.

    ``exemption`` says why the omission looks deliberate (None: it looks forgotten).
    """

    call: LayerCall
    windows: list
    same: list
    rank: int
    exemption: str | None


def omitted_padding(model: ModelSummary, minimum: int) -> list[Omission]:
    """The model's convolutions that omit padding in a stack of at least ``minimum`` 'same' ones."""
    stacks: dict[int, dict[int, LayerCall]] = {}
    for call in model.calls:
        rank = STACKABLE.get(call.operation.class_name)
        if rank is not None:
            stacks.setdefault(rank, {}).setdefault(id(call.operation), call)
    found: list[Omission] = []
    for rank, layers in stacks.items():
        choices = {key: _padding_choice(call) for key, call in layers.items()}
        same = [layers[key] for key, choice in choices.items() if choice == SAME]
        if len(same) < minimum or any(choice in (VALID, UNKNOWN) for choice in choices.values()):
            continue
        for key, call in layers.items():
            if choices[key] != OMITTED:
                continue
            windows = call.result.details.get("windows") if call.result is not None else None
            if not windows or not all(isinstance(window, Window) for window in windows) or all(window.span <= 1 for window in windows):
                continue
            if any(window.stride > 1 for window in windows):
                continue  # a strided convolution downsamples on purpose (AlexNet's 11x11 stride-4 stem)
            if all(window.span == window.input for window in windows):
                continue  # the window covers the whole map (a DCGAN discriminator's last 4x4): 'valid' is the point
            found.append(Omission(call, windows, same, rank, _exemption(model, call, same, rank)))
    return found


def _exemption(model: ModelSummary, call: LayerCall, same: list[LayerCall], rank: int) -> str | None:
    """Why leaving padding out here looks deliberate, as an expert reads the model (None: it looks forgotten)."""
    before = model.ancestors(call)
    if not any(other.id in before for other in same) and _distinct_stem(model, call, same, before, rank):
        return "no 'same' convolution comes before it: a stem that shrinks on purpose"
    if _restores_input_size(model):
        return "the model's output has its input's size again, which this shrinking is part of"
    if _stage_convention(model, rank):
        return "every stage of the model repeats the same padding pattern, written out at its own lines: a convention"
    return None


def _distinct_stem(model: ModelSummary, call: LayerCall, same: list[LayerCall], before: set[int], rank: int) -> bool:
    """A stem written as one: other unpadded convolutions before it (Xception's strided 3x3 and
    its 3x3), or a window none of the 'same' convolutions has (a 5x5 stem before 3x3 stages).
    A first convolution just like its 'same' neighbours but for the padding (VGG's first 3x3)
    looks like the argument was forgotten there."""
    if any(other.id in before and STACKABLE.get(other.operation.class_name) == rank and _padding_choice(other) == OMITTED for other in model.calls):
        return True
    kernel = tuple(window.span for window in call.result.details["windows"])
    return all(tuple(window.span for window in other.result.details.get("windows") or []) != kernel for other in same if other.result is not None)


def _restores_input_size(model: ModelSummary) -> bool:
    """One input and one output with the same known spatial sizes (an autoencoder, a segmentation net)."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        return False
    first, last = model.inputs[0], model.outputs[0]
    if first is None or last is None or len(first) != len(last) or len(first) < 3:
        return False
    inner_in, inner_out = first[1:-1], last[1:-1]
    return all(isinstance(size, int) for size in (*inner_in, *inner_out)) and tuple(inner_in) == tuple(inner_out)


def _stage_convention(model: ModelSummary, rank: int) -> bool:
    """Between downsamplings, every stage holds the same sequence of padding choices, and the
    stages are written at different lines (by hand, not by one helper called per stage)."""
    stages: list[list[tuple[str, Any]]] = [[]]
    for call in model.calls:
        windows = call.result.details.get("windows") if call.result is not None else None
        if windows and any(getattr(window, "stride", 1) > 1 for window in windows):
            stages.append([])
            continue
        if STACKABLE.get(call.operation.class_name) == rank and windows and any(window.span > 1 for window in windows):
            stages[-1].append((_padding_choice(call), getattr(call.operation, "site", None)))
    stages = [stage for stage in stages if stage]
    if len(stages) < 2 or len({tuple(choice for choice, _ in stage) for stage in stages}) != 1:
        return False
    sites = [tuple(id(site) for _, site in stage) for stage in stages]
    return len(set(sites)) == len(sites)
