from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.windows import Window
from padlint.rule import Option, Rule, RuleContext, axis_words, describe, windowed_calls


def _never_read(window: Window) -> int | None:
    """How many input positions of this axis no window covers (None when the sizes are not known)."""
    size, output, before = window.input, window.output, window.pad_before
    if not all(isinstance(value, int) for value in (size, output, before)) or output > 1_000_000:
        return None
    covered = 0
    reached = 0  # first position not yet counted
    for index in range(output):
        start = max(index * window.stride - before, reached, 0)
        end = min(index * window.stride - before + window.kernel, size)
        if end > start:
            covered += end - start
            reached = end
    return size - covered


def _uniform(values) -> str:
    """``3`` when every axis has the same value, else ``3x1``."""
    values = [str(value) for value in values]
    return values[0] if len(set(values)) == 1 else "x".join(values)


def _argument(values) -> str:
    """How to write a per-axis value as an argument: ``3`` or ``(2, 3)``."""
    values = list(values)
    return str(values[0]) if len(set(values)) == 1 else "(" + ", ".join(str(value) for value in values) + ")"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _is_pooling(call: LayerCall) -> bool:
    return "Pooling" in call.operation.class_name


class StrideExceedsKernel(Rule):
    """The stride is larger than the window: some input pixels are never read.

    ## What it does
    Finds convolutions and pooling layers whose stride on some axis is larger
    than their window there: a 2x2 pooling with stride 3, a 3x3 convolution with
    stride 4. Between two windows, `stride - kernel` rows (or columns, or steps)
    fall through and no later layer can see them. Layers whose kernel is 1 on
    every axis are not reported (`ignore-pointwise`): a strided 1x1 convolution
    is the usual projection shortcut of ResNets, where the main branch reads
    every pixel.

    ## Why is this bad?
    A third or more of the input is thrown away before anything looks at it,
    which is rarely intended: usually the stride and the kernel were swapped or
    mistyped. A window at least as large as the stride reads every pixel at the
    same output size.
    """

    code = "PAD204"
    name = "stride-exceeds-kernel"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "ignore-pointwise": Option(True, "do not report layers whose kernel is 1 on every axis (strided 1x1 projections)"),
    }
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(pool_size=2, strides=3),  # PAD204
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(16, kernel_size=3, strides=4, padding="same")(inputs)  # PAD204
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(pool_size=2, strides=2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras
from keras import layers

# A strided 1x1 projection shortcut (ResNet): the main branch reads every pixel.
inputs = keras.Input(shape=(32, 32, 64))
main = layers.Conv2D(128, 3, strides=2, padding="same")(inputs)
shortcut = layers.Conv2D(128, 1, strides=2)(inputs)
outputs = layers.add([main, shortcut])
model = keras.Model(inputs, outputs)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        ignore_pointwise = bool(context.options["ignore-pointwise"])
        reported: set[int] = set()
        for model in context.models:
            for call, windows in windowed_calls(model):
                if call.id in reported or not all(isinstance(window, Window) for window in windows):
                    continue
                if ignore_pointwise and all(window.kernel == 1 for window in windows):
                    continue
                skipping = [
                    window
                    for window in windows
                    if window.dilation == 1 and window.stride > window.kernel and _never_read(window) != 0
                ]
                if skipping:
                    reported.add(call.id)
                    yield self.report(call, windows, skipping, context)

    def report(self, call: LayerCall, windows: list[Window], skipping: list[Window], context: RuleContext) -> Finding | None:
        shape = call.inputs[0].shape() if call.inputs else None
        rank = len(shape) if shape else len(windows) + 2
        data_format = call.result.details.get("data_format", "channels_last")
        gaps: dict[tuple[int, int], list[str]] = {}
        counts = []
        for window in skipping:
            _, plural = axis_words(window.axis, rank, data_format)
            gaps.setdefault((window.stride - window.kernel, window.stride), []).append(plural)
            lost = _never_read(window)
            if lost:
                counts.append(f"{lost} of {window.input} {plural}")
        phrases = [f"{skipped} of every {stride} {_and(names)}" for (skipped, stride), names in gaps.items()]
        strides = _uniform(window.stride for window in windows)
        kernel = "x".join(str(window.kernel) for window in windows) if len(windows) > 1 else f"{windows[0].kernel}-wide"
        verb = "is" if len(phrases) == 1 and len(skipping) == 1 and skipping[0].stride - skipping[0].kernel == 1 else "are"
        message = (
            f"{describe(call, context)}: stride {strides} is larger than its {kernel} window, so "
            f"{' and '.join(phrases)} {verb} never read" + (f" ({', '.join(counts)})" if counts else "")
        )
        wider = _argument(max(window.kernel, window.stride) for window in windows)
        shorter = _argument(min(window.kernel, window.stride) for window in windows)
        if _is_pooling(call):
            fix = f"use strides={shorter} (leaving strides out makes it pool_size), or pool_size={wider} to read every pixel"
        else:
            fix = f"use kernel_size={wider} so the windows touch, or strides={shorter} and downsample elsewhere"
        return context.finding(call, message, fix)
