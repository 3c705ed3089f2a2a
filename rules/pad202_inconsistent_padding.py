from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

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
    means 'valid': none of them is reported.

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
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        minimum = int(context.options["min-same"])
        # One finding per source position: a helper called for every stage builds its layers at one line.
        found: dict[Any, list[tuple[LayerCall, list[Window], list[LayerCall], int]]] = {}
        seen: set[int] = set()
        for model in context.models:
            stacks: dict[int, dict[int, LayerCall]] = {}
            for call in model.calls:
                rank = STACKABLE.get(call.operation.class_name)
                if rank is not None:
                    stacks.setdefault(rank, {}).setdefault(id(call.operation), call)
            for rank, layers in stacks.items():
                choices = {key: _padding_choice(call) for key, call in layers.items()}
                same = [layers[key] for key, choice in choices.items() if choice == SAME]
                if len(same) < minimum or any(choice in (VALID, UNKNOWN) for choice in choices.values()):
                    continue
                for key, call in layers.items():
                    if choices[key] != OMITTED or key in seen:
                        continue
                    windows = call.result.details.get("windows") if call.result is not None else None
                    if not windows or all(window.span <= 1 for window in windows):
                        continue
                    if any(window.stride > 1 for window in windows):
                        continue  # a strided convolution downsamples on purpose (AlexNet's 11x11 stride-4 stem)
                    if all(window.span == window.input for window in windows):
                        continue  # the window covers the whole map (a DCGAN discriminator's last 4x4): 'valid' is the point
                    seen.add(key)
                    found.setdefault(context.span_of(call), []).append((call, windows, same, rank))
        for span, cases in found.items():
            if span is not None:
                yield self.report(cases, context)

    def report(self, cases: list[tuple[LayerCall, list[Window], list[LayerCall], int]], context: RuleContext) -> Finding | None:
        call, windows, same, rank = cases[0]
        shrinks = list(dict.fromkeys(
            f"{sizes_text(w.input for w in wins)} to {sizes_text(w.output for w in wins)}" for _, wins, _, _ in cases
        ))
        kept = list(dict.fromkeys(
            sizes_text(ceildiv(w.input, w.stride) if w.input is not None else None for w in wins) for _, wins, _, _ in cases
        ))
        lines = sorted({line for other in same if (line := context.line_of(other)) is not None})
        where = ", ".join(str(line) for line in lines[:6]) + (", ..." if len(lines) > 6 else "")
        noun = "line" if len(lines) == 1 else "lines"
        subject = describe(call, context)
        if len(cases) > 1:
            subject += f" and {len(cases) - 1} more layer{'s' if len(cases) > 2 else ''} built at this line"
        message = (
            f"{subject} leave{'s' if len(cases) == 1 else ''} padding out and get{'s' if len(cases) == 1 else ''} "
            f"Keras' default 'valid': the {_window_text(windows)} window shrinks {', '.join(shrinks)}, while "
            f"{len(same)} other {rank}D convolution{'s' if len(same) != 1 else ''} of this model "
            f"pass{'es' if len(same) == 1 else ''} padding='same' ({noun} {where})"
        )
        fix = (
            f"pass padding='same' (output {', '.join(kept)}, as its neighbours keep the size), "
            "or padding='valid' if the shrinking is meant"
        )
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
