from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.rules.pad202_inconsistent_padding import InconsistentPadding, omitted_padding
from padlint.rules.pad206_skip_size_mismatch import at_input_resolution, track_model

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.windows import Window
from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    axis_words,
    describe,
    failing_descendant,
    producer,
    windowed_calls,
)
from padlint.symbolic import ceildiv, format_dim


#: PAD202's default threshold: which omitted paddings look forgotten (rules see only their own options).
MIN_SAME = InconsistentPadding.options["min-same"].default


def size_maker(call: LayerCall, axis: int) -> LayerCall | None:
    """The nearest layer before ``call`` that changed the size of ``axis`` (through layers that
    keep it); None where the path branches or is not known."""
    current = producer(call)
    for _ in range(256):
        if current is None or len(current.inputs) != 1:
            return None
        before, after = current.inputs[0].shape(), current.output_shapes[0] if current.output_shapes else None
        if before is None or after is None or len(before) != len(after) or axis >= len(after):
            return None
        if before[axis] != after[axis]:
            return current
        current = producer(current)
    return None


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

    By default it reports the losses an expert wants to hear about: data
    dropped at the input resolution (before any pooling or stride: AlexNet's
    11x11 stride-4 window over 224 instead of 227 pixels), a loss of at least
    `min-share` (15%) of a map (5 -> 2), the later drops of a network whose
    input size already failed to tile (they compound), and a drop whose odd
    size comes from a convolution PAD202 reports for leaving padding out. A
    2x2 pooling that drops one row of an odd map deep in the network (11 -> 5
    in the Keras MNIST convnet) is literally true and harmless: the opt-in
    PAD208 reports those, unless a later layer fails because of it (a U-Net
    skip connection whose sizes no longer match, a window with nothing left).

    ## Why is this bad?
    The data at the border is silently discarded; with odd sizes pooled by 2 it
    happens at every stage. 'same' padding covers every pixel, and an input
    size that the downsampling divides loses nothing.
    """

    code = "PAD203"
    name = "dropped-border"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "min-share": Option(0.15, "share of a map's rows (or columns, or steps) whose loss is reported wherever it happens"),
    }
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
        """\
import keras
from keras import layers

# The Keras MNIST convnet: 28 -> 26 -> 13 -> 11 -> 5; one row of the late 11x11 map is dropped by design.
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]

    #: False: the drops an expert wants reported (PAD203); True: the rest (the opt-in PAD208).
    remainder: ClassVar[bool] = False

    def check(self, context: RuleContext) -> Iterator[Finding]:
        minimum = float(context.options["min-share"])
        for model in context.models:
            tracks: dict | None = None
            forgotten: dict[int, LayerCall] | None = None
            at_input: set[int] = set()
            for call, windows in windowed_calls(model):
                lost = [(window, dropped) for window in windows if (dropped := self.dropped(call, window))]
                if not lost:
                    continue
                if tracks is None:
                    tracks = track_model(model)
                    forgotten = {case.call.id: case.call for case in omitted_padding(model, MIN_SAME) if case.exemption is None}
                reason = self.reason(model, call, lost, minimum, tracks, at_input, forgotten or {}, context)
                if (reason is not None) != self.remainder:
                    yield self.report(call, lost, reason or "", context)

    def reason(
        self,
        model: ModelSummary,
        call: LayerCall,
        lost: list[tuple[Window, int]],
        minimum: float,
        tracks: dict,
        at_input: set[int],
        forgotten: dict[int, LayerCall],
        context: RuleContext,
    ) -> str | None:
        """Why an expert wants this drop reported (``""``: the message says it all); None: harmless."""
        if any(at_input_resolution(tracks, call, window.axis) for window, _ in lost):
            at_input.add(call.id)
            return ""
        if any(dropped / window.input >= minimum for window, dropped in lost):
            return ""
        failure = failing_descendant(model, call)
        if failure is not None:
            return f"; this is why {describe(failure, context)} fails"
        earlier = [other for other in model.calls if other.id in at_input]
        if earlier:
            before = model.ancestors(call)
            first = next((other for other in earlier if other.id in before), None)
            if first is not None:
                return f"; the input size does not suit this network: {describe(first, context)} already drops a border at the input"
        for window, _ in lost:
            maker = size_maker(call, window.axis)
            if maker is not None and maker.id in forgotten:
                return f"; the odd size comes from {describe(maker, context)}, which leaves padding out (PAD202)"
        return None

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

    def report(self, call: LayerCall, lost: list[tuple[Window, int]], reason: str, context: RuleContext) -> Finding | None:
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
        message = f"{describe(call, context)}: " + "; ".join(dict.fromkeys(parts)) + " ('valid' padding)" + reason
        fix = f"use padding='same' (output {outputs}, every pixel read), or give the layer an input size the stride divides"
        return context.finding(call, message, fix)
