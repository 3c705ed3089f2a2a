from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.windows import Window
from padlint.rule import Rule, RuleContext, describe, sizes_text


def _windows(call: LayerCall) -> list[Window]:
    """The per-axis windows of a convolution or pooling (transposed convolutions excluded:
    they upsample, and starting a generator from 1x1 is what they are for)."""
    details = call.result.details if call.result is not None else {}
    windows = details.get("windows") or []
    return windows if windows and all(isinstance(window, Window) for window in windows) else []


def _starved_axes(call: LayerCall) -> list[int]:
    """Axes on which the layer slides a window wider than 1 over a size of 1."""
    return [window.axis for window in _windows(call) if window.input == 1 and window.span > 1]


def _collapses(call: LayerCall, axis: int) -> bool:
    """The layer takes ``axis`` from more than 1 down to 1."""
    for window in _windows(call):
        if window.axis == axis and isinstance(window.input, int) and window.input > 1 and window.output == 1:
            return True
    return False


def _size_on(call: LayerCall, axis: int) -> object:
    shapes = call.output_shapes
    if not shapes or len(shapes) != 1 or shapes[0] is None or axis >= len(shapes[0]):
        return None
    return shapes[0][axis]


def _window_text(windows: list[Window]) -> str:
    return f"{windows[0].span}-wide" if len(windows) == 1 else "x".join(str(window.span) for window in windows)


class SpatialCollapse(Rule):
    """The feature map shrinks to 1 while convolution or pooling layers still follow.

    ## What it does
    Finds the convolution or pooling layer that brings a spatial dimension down
    to 1 (a 2x2 map pooled to 1x1, a strided convolution from 2x2 to 1x1) when
    layers after it still slide a window wider than 1 over that dimension.
    Transposed convolutions, which grow the map again, are not counted.

    ## Why is this bad?
    On a 1x1 map a 3x3 convolution with 'same' padding reads one real value and
    eight zeros of padding: it is a 1x1 convolution with nine times the
    weights, and a 'same' pooling changes nothing. The input is too small for
    the network's downsampling (a network designed for 224x224 fed 32x32
    images), so the later stages cost parameters and compute without seeing
    any spatial structure.
    """

    code = "PAD205"
    name = "spatial-collapse"
    severity = Severity.WARNING
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(16, 16, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(256, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),  # PAD205
    layers.Conv2D(512, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(128, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(256, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(512, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
from keras import layers, models

# Down to 1x1 at the end of the feature extractor: nothing windowed follows.
model = models.Sequential([
    layers.Input(shape=(8, 8, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(8),
    layers.Conv2D(10, 1),
    layers.Flatten(),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        reported: set[int] = set()
        for model in context.models:
            groups: dict[int, list[LayerCall]] = {}
            points: dict[int, LayerCall] = {}
            for call in model.calls:
                found: list[LayerCall] = []
                for axis in _starved_axes(call):
                    found.extend(self.collapse_points(model, call, axis))
                if found:
                    point = min(found, key=lambda candidate: candidate.id)
                    points[point.id] = point
                    followers = groups.setdefault(point.id, [])
                    if call not in followers:
                        followers.append(call)
            for point_id, followers in groups.items():
                if point_id not in reported:
                    reported.add(point_id)
                    yield self.report(points[point_id], followers, context)

    def collapse_points(self, model: ModelSummary, start: LayerCall, axis: int) -> list[LayerCall]:
        """The nearest layers upstream of ``start`` that took ``axis`` down to 1."""
        members = {call.id for call in model.calls}
        found: list[LayerCall] = []
        seen: set[int] = set()
        stack = [tensor.node for tensor in start.inputs]
        while stack:
            call = stack.pop()
            if call.id in seen or call.id not in members:
                continue
            seen.add(call.id)
            if _size_on(call, axis) != 1:
                continue
            if _collapses(call, axis):
                found.append(call)
                continue
            stack.extend(tensor.node for tensor in call.inputs)
        return found

    def report(self, point: LayerCall, followers: list[LayerCall], context: RuleContext) -> Finding | None:
        windows = _windows(point)
        before = sizes_text(window.input for window in windows)
        after = sizes_text(window.output for window in windows)
        listed = []
        for call in followers[:4]:
            label = describe(call, context)[:-1]  # "conv2d_3 (Conv2D, line 16"
            follower_windows = _windows(call)
            listed.append(f"{label}, {_window_text(follower_windows)} window on {sizes_text(w.input for w in follower_windows)})")
        more = f" and {len(followers) - 4} more" if len(followers) > 4 else ""
        noun = "layer still slides a window" if len(followers) == 1 else "layers still slide windows"
        message = (
            f"{describe(point, context)} reduces {before} to {after}, yet {len(followers)} later {noun} over it: "
            f"{', '.join(listed)}{more}; on a size of 1 a window reads one real value and the rest is zero padding"
        )
        fix = (
            "downsample less before this layer (drop a pooling or strided stage), feed a larger input, "
            "or end the feature extractor here (GlobalAveragePooling or Flatten, then Dense)"
        )
        return context.finding(point, message, fix)
