from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.windows import Window
from padlint.rule import (
    Rule,
    RuleContext,
    axis_words,
    describe,
    producer,
    windowed_calls,
)
from padlint.symbolic import ceildiv, format_dim


def _padding_after(call: LayerCall, axis: int) -> int:
    """Zeros a ZeroPadding layer right before this call added at the end of ``axis``."""
    before = producer(call)
    if before is None or before.result is None or not before.operation.class_name.startswith("ZeroPadding"):
        return 0
    for record in before.result.details.get("axes", []):
        if record.axis == axis and isinstance(record.amount, tuple):
            return record.amount[1]
    return 0


class DroppedBorder(Rule):
    """The window and stride do not tile the input: the last rows or columns are never read.

    ## What it does
    For convolutions and pooling layers with 'valid' padding, checks that
    `(size - window) % stride == 0`. When it is not, the last
    `(size - window) % stride` rows (or columns, or steps) fall outside every
    window: a 2x2 window with stride 2 over 5 columns reads columns 1-4 and
    never column 5, and a 2x2 pooling of a 7x7 map ignores the seventh row.
    Rows that a ZeroPadding layer just added are not counted.

    ## Why is this bad?
    The data at the border is silently discarded; with odd sizes pooled by 2 it
    happens at every stage. 'same' padding covers every pixel, and an input
    size that the downsampling divides loses nothing.
    """

    code = "PAD203"
    name = "dropped-border"
    severity = Severity.WARNING
    INVALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D

model = Sequential()
model.add(Conv2D(filters=24, input_shape=(5, 5, 1), kernel_size=(2, 2), strides=(2, 2), padding="Valid"))  # PAD203
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D

model = Sequential()
model.add(Conv2D(filters=24, input_shape=(5, 5, 1), kernel_size=(2, 2), strides=(2, 2), padding="Same"))
""",
        """\
from keras.models import Sequential
from keras.layers import Conv2D

model = Sequential()
model.add(Conv2D(filters=24, input_shape=(6, 6, 1), kernel_size=(2, 2), strides=(2, 2), padding="Valid"))
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for model in context.models:
            for call, windows in windowed_calls(model):
                lost = [(window, dropped) for window in windows if (dropped := self.dropped(call, window))]
                if lost:
                    yield self.report(call, lost, context)

    def dropped(self, call: LayerCall, window: Window) -> int:
        """Trailing input positions no window reads (0 for transposed and sparse windows).

        A window narrower than its stride skips positions everywhere, not only
        at the border: that is PAD204's finding (and its 1x1 exemption).
        """
        size = window.input
        if not isinstance(window, Window) or window.padding != "valid" or window.stride <= 1:
            return 0
        if not isinstance(size, int) or size < window.span or window.span < window.stride:
            return 0
        dropped = (size - window.span) % window.stride
        return 0 if dropped <= _padding_after(call, window.axis) else dropped

    def report(self, call: LayerCall, lost: list[tuple[Window, int]], context: RuleContext) -> Finding | None:
        shape = call.inputs[0].shape() or ()
        data_format = call.result.details.get("data_format", "channels_last")
        parts = []
        for window, dropped in lost:
            singular, plural = axis_words(window.axis, len(shape), data_format)
            read = window.input - dropped
            never = f"{singular} {window.input}" if dropped == 1 else f"{plural} {read + 1}-{window.input}"
            parts.append(
                f"a {window.span}-wide window with stride {window.stride} over {window.input} {plural} "
                f"reads {plural} 1-{read}; {never} never read"
            )
        outputs = "x".join(format_dim(ceildiv(window.input, window.stride)) for window in call.result.details["windows"])
        message = f"{describe(call, context)}: " + "; ".join(dict.fromkeys(parts)) + " ('valid' padding)"
        fix = f"use padding='same' (output {outputs}, every pixel read), or give the layer an input size the stride divides"
        return context.finding(call, message, fix)
