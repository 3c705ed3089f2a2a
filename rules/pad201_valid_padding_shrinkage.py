from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.rules.pad206_skip_size_mismatch import at_input_resolution, track_model

from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    describe,
    failing_descendant,
    is_shape_preserving,
    percent,
    producer,
)

CONVOLUTIONS = frozenset(
    ["Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
)


def _is_valid_unstrided_conv(call: LayerCall) -> bool:
    if call.operation.class_name not in CONVOLUTIONS or call.result is None:
        return False
    windows = call.result.details.get("windows") or []
    return bool(windows) and all(w.padding == "valid" and w.stride == 1 for w in windows)


def _preserves_spatial_size(call: LayerCall) -> bool:
    """Layers a run passes through: 'same' stride-1 convolutions and shape-preserving layers."""
    if is_shape_preserving(call):
        return True
    if call.result is None or call.operation.class_name not in CONVOLUTIONS:
        return False
    windows = call.result.details.get("windows") or []
    return bool(windows) and all(w.input == w.output for w in windows)


class ValidPaddingShrinkage(Rule):
    """A run of 'valid' convolutions silently shrinks the feature map by more than a set share.

    ## What it does
    Follows each chain of stride-1 convolutions with 'valid' padding (Keras'
    default), through layers that keep the size, and reports the run when it
    loses more than `max-shrinkage` (25%) of a spatial dimension with no pooling
    or strides in between that would show the shrinking is meant, and the loss
    is one an expert wants to hear about: the run eats the input image itself
    (no pooling or stride before it), or several convolutions compound the
    loss, or a later layer fails for lack of rows. A single 'valid' convolution
    of a small map deep in the network (LeNet's 14 -> 10, a 5x5 map taken to
    3x3 before the head) is a design choice and is left to the opt-in PAD209.

    ## Why is this bad?
    Every 'valid' k x k convolution drops k-1 rows and columns. Stacked, they eat
    the border: three convolutions of 3, 5 and 7 turn 20x20 into 8x8 and the
    pixels near the edge are seen by few windows. Usually 'same' was meant; if
    downsampling is the point, pooling or strides say so and cost less.
    """

    code = "PAD201"
    name = "valid-padding-shrinkage"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {"max-shrinkage": Option(0.25, "largest share of a spatial dimension a run of 'valid' convolutions may remove")}
    INVALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

model = Sequential([
    Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(20, 20, 3)),
    Conv2D(64, kernel_size=(5, 5), activation="relu"),
    Conv2D(128, kernel_size=(7, 7), activation="relu"),  # PAD201
    Flatten(),
    Dense(2, activation="softmax"),
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

model = Sequential([
    Conv2D(32, kernel_size=(3, 3), activation="relu", padding="same", input_shape=(20, 20, 3)),
    Conv2D(64, kernel_size=(5, 5), activation="relu", padding="same"),
    Conv2D(128, kernel_size=(7, 7), activation="relu", padding="same"),
    Flatten(),
    Dense(2, activation="softmax"),
])
""",
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

model = Sequential([
    Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)),
    Conv2D(64, kernel_size=(3, 3), activation="relu"),
    Conv2D(128, kernel_size=(3, 3), activation="relu"),
    Flatten(),
    Dense(10, activation="softmax"),
])
""",
        """\
from keras import layers, models

# LeNet-5: one 5x5 'valid' convolution per stage; 14 -> 10 after pooling is the design.
lenet = models.Sequential([
    layers.Input(shape=(32, 32, 1)),
    layers.Conv2D(6, 5, activation="tanh"),
    layers.AveragePooling2D(2),
    layers.Conv2D(16, 5, activation="tanh"),
    layers.AveragePooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]

    #: False: the runs an expert wants reported (PAD201); True: the rest (the opt-in PAD209).
    remainder: ClassVar[bool] = False

    def check(self, context: RuleContext) -> Iterator[Finding]:
        limit = float(context.options["max-shrinkage"])
        for model in context.models:
            tracks = None
            for run in self.runs(model.calls):
                measured = self.measure(run, limit)
                if measured is None:
                    continue
                if tracks is None:
                    tracks = track_model(model)
                if self.wanted(model, run, measured, tracks) != self.remainder:
                    yield self.report(run, measured, limit, context)

    @staticmethod
    def wanted(model: ModelSummary, run: list[LayerCall], measured: tuple, tracks: dict) -> bool:
        """What an expert keeps: the run shrinks the input image itself, compounds the loss,
        or leaves too little for a later layer, which fails."""
        if failing_descendant(model, run[-1]) is not None:
            return True
        shrinking = [call for call in run if any(window.span > 1 for window in call.result.details["windows"])]
        if len(shrinking) >= 2:
            return True
        _, _, shares, limit = measured
        first = run[0].result.details["windows"]
        return any(share > limit and at_input_resolution(tracks, run[0], window.axis) for window, share in zip(first, shares))

    @staticmethod
    def measure(run: list[LayerCall], limit: float) -> tuple | None:
        """``(starts, ends, shares, limit)`` of a run that loses more than ``limit``; None otherwise."""
        first_windows = run[0].result.details["windows"]
        last_windows = run[-1].result.details["windows"]
        starts = [w.input for w in first_windows]
        ends = [w.output for w in last_windows]
        if len(starts) != len(ends) or not all(isinstance(size, int) and size > 0 for size in starts + ends):
            return None
        shares = [(start - end) / start for start, end in zip(starts, ends)]
        if max(shares) <= limit or all(w.span == w.input for w in last_windows):
            # A last window spanning the whole map (a DCGAN discriminator's final
            # 4x4 convolution) is a deliberate reduction, like a Dense layer.
            return None
        return starts, ends, shares, limit

    def runs(self, calls: list[LayerCall]) -> list[list[LayerCall]]:
        """Maximal chains of 'valid' stride-1 convolutions (size-keeping layers may sit between)."""
        run_of: dict[int, list[LayerCall]] = {}
        consumers: dict[int, int] = {}
        for call in calls:
            for tensor in call.inputs:
                consumers[tensor.node.id] = consumers.get(tensor.node.id, 0) + 1
        runs: list[list[LayerCall]] = []
        for call in calls:
            before = producer(call)
            inherited = run_of.get(before.id) if before is not None and consumers.get(before.id, 0) == 1 else None
            if _is_valid_unstrided_conv(call):
                if inherited is None:
                    inherited = []
                    runs.append(inherited)
                inherited.append(call)
                run_of[call.id] = inherited
            elif inherited is not None and _preserves_spatial_size(call):
                run_of[call.id] = inherited
        return runs

    def report(self, run: list[LayerCall], measured: tuple, limit: float, context: RuleContext) -> Finding | None:
        starts, ends, shares, _ = measured
        before = "x".join(str(size) for size in starts)
        after = "x".join(str(size) for size in ends)
        count = len(run)
        layers = ", ".join(describe(call, context) for call in run)
        phrase = "1 'valid' convolution shrinks" if count == 1 else f"{count} 'valid' convolutions shrink"
        message = f"{phrase} {before} to {after} (-{percent(max(shares))}, over the {percent(limit)} limit): {layers}"
        fix = f"pass padding='same' to keep {before}, or downsample on purpose with pooling or strides"
        related = [(call, f"{describe(call, context)}: 'valid' convolution of the run") for call in run[:-1]]
        return context.finding(run[-1], message, fix, related=related)
