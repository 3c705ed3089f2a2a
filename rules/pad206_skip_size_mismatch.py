"""PAD206 and the resampling bookkeeping PAD104 and PAD207 share.

For every tensor of a model, :func:`track_model` records per axis the size
relative to the model input as the strides and upsampling factors along the
way say it should be (``scale``: 1/2 after a stride-2 pooling, back to 1
after an UpSampling2D), which input sizes keep every step exact (``need``:
multiples of 16 after four poolings by 2), whether every layer on the way
scales exactly (no 'valid' shrinkage, cropping or padding) and whether the
tensor went through downsampling and upsampling. It only reads the windows
and resize records propagation wrote; it computes no shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from math import lcm
from typing import ClassVar

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import MERGE_MISMATCH
from padlint.rule import (
    Rule,
    RuleContext,
    axis_dimension,
    describe,
    origin,
    reported_inside,
    sizes_text,
)
from padlint.symbolic import difference, mul, provably_different, provably_equal

# ------------------------------------------------------------------ tracking


@dataclass(frozen=True)
class AxisTrack:
    """One axis of a tensor, relative to the model input it comes from."""

    scale: Fraction
    #: Input sizes that are multiples of ``need`` make every resampling so far exact.
    need: int = 1
    #: Every layer so far scaled this axis exactly (so ``need`` is sufficient).
    exact: bool = True
    down: bool = False
    up: bool = False


@dataclass(frozen=True)
class Track:
    origin: LayerCall
    axes: dict


@dataclass(frozen=True)
class Resampling:
    """What one layer does to one axis: ``kind`` is 'down', 'up' or 'keep'."""

    kind: str
    factor: int
    exact: bool
    call: LayerCall


def resampling(call: LayerCall) -> dict[int, Resampling]:
    """Per axis, how a convolution, pooling, transposed convolution or resize layer scales it."""
    if call.result is None:
        return {}
    details = call.result.details
    found: dict[int, Resampling] = {}
    for window in details.get("windows") or []:
        stride = window.stride
        if hasattr(window, "output_padding"):  # a transposed convolution
            exact = difference(window.output, mul(window.input, stride)) == 0
            found[window.axis] = Resampling("up" if stride > 1 else "keep", stride, exact, call)
        else:
            exact = window.padding in ("same", "causal") or window.span <= stride
            found[window.axis] = Resampling("down" if stride > 1 else "keep", stride, exact, call)
    for record in details.get("axes") or []:
        if not hasattr(record, "axis"):
            continue  # Dot's "axes" are the axes it contracts (ints), not resampled axes
        if call.operation.class_name.startswith("UpSampling") and isinstance(record.amount, int):
            found[record.axis] = Resampling("up" if record.amount > 1 else "keep", record.amount, True, call)
        else:
            exact = record.input is not None and provably_equal(record.input, record.output)
            found[record.axis] = Resampling("keep", 1, exact, call)
    return found


def apply(track: AxisTrack, step: Resampling) -> AxisTrack:
    exact = track.exact and step.exact
    if step.kind == "down":
        need = lcm(track.need, track.scale.denominator * step.factor)
        return AxisTrack(track.scale / step.factor, need, exact, True, track.up)
    if step.kind == "up":
        return AxisTrack(track.scale * step.factor, track.need, exact, track.down, True)
    return replace(track, exact=exact)


def track_model(model: ModelSummary) -> dict[int, Track]:
    """The track of every call's first output, where the path from one model input is understood."""
    tracks: dict[int, Track] = {}
    for call in model.calls:
        outputs = call.output_shapes
        shape = outputs[0] if outputs else None
        if shape is None:
            continue
        if not call.inputs:
            tracks[call.id] = Track(call, {axis: AxisTrack(Fraction(1)) for axis in range(1, len(shape))})
            continue
        incoming = [tracks.get(tensor.node.id) if tensor.index == 0 else None for tensor in call.inputs]
        if any(track is None for track in incoming) or len({id(track.origin) for track in incoming}) != 1:
            continue
        shapes = [tensor.shape() for tensor in call.inputs]
        steps = resampling(call)
        axes = {}
        for axis in range(1, len(shape)):
            if axis in steps:
                before = incoming[0].axes.get(axis)
                if len(call.inputs) == 1 and before is not None:
                    axes[axis] = apply(before, steps[axis])
                continue
            carried = [track.axes.get(axis) for track in incoming]
            if any(item is None for item in carried) or len({item.scale for item in carried}) != 1:
                continue
            if not all(
                in_shape is not None and len(in_shape) == len(shape) and in_shape[axis] is not None and provably_equal(in_shape[axis], shape[axis])
                for in_shape in shapes
            ):
                continue
            axes[axis] = AxisTrack(
                carried[0].scale,
                lcm(*(item.need for item in carried)),
                all(item.exact for item in carried),
                any(item.down for item in carried),
                any(item.up for item in carried),
            )
        tracks[call.id] = Track(incoming[0].origin, axes)
    return tracks


# ------------------------------------------------------ skip connections


@dataclass
class SkipMismatch:
    """A merge whose inputs differ only on axes that went down and up by the same total factor."""

    call: LayerCall
    shapes: list
    axes: list[int]
    tracks: list[Track]


def merge_inputs(call: LayerCall) -> list | None:
    """The input shapes of a merge that failed, when all are known and of one rank."""
    if call.error is None or call.error.kind != MERGE_MISMATCH or len(call.inputs) < 2:
        return None
    shapes = [tensor.shape() for tensor in call.inputs]
    if any(shape is None for shape in shapes) or len({len(shape) for shape in shapes}) != 1:
        return None
    return shapes


def differing_axes(call: LayerCall, shapes: list) -> list[int]:
    """Axes (batch and concatenation axis excluded) whose sizes provably differ between inputs."""
    rank = len(shapes[0])
    skip = None
    if call.operation.class_name == "Concatenate":
        axis = call.error.details.get("axis")
        skip = axis % rank if isinstance(axis, int) and -rank <= axis < rank else None
    found = []
    for axis in range(1, rank):
        if axis == skip:
            continue
        sizes = [shape[axis] for shape in shapes if shape[axis] is not None]
        if any(provably_different(a, b) for index, a in enumerate(sizes) for b in sizes[index + 1:]):
            found.append(axis)
    return found


def skip_mismatch(call: LayerCall, tracks: dict[int, Track]) -> SkipMismatch | None:
    """The merge fails because an encoder/decoder path rounded a size (PAD206's case)."""
    shapes = merge_inputs(call)
    if shapes is None:
        return None
    axes = differing_axes(call, shapes)
    if not axes:
        return None
    incoming = [tracks.get(tensor.node.id) if tensor.index == 0 else None for tensor in call.inputs]
    if any(track is None for track in incoming) or len({id(track.origin) for track in incoming}) != 1:
        return None
    for axis in axes:
        items = [track.axes.get(axis) for track in incoming]
        if any(item is None for item in items) or len({item.scale for item in items}) != 1:
            return None
        if not (any(item.up for item in items) and any(item.down for item in items)):
            return None
    return SkipMismatch(call, shapes, axes, incoming)


def multiples_around(size: int, step: int) -> list[int]:
    """Three multiples of ``step`` around ``size``: 112, 128, 144 for 125 and 16."""
    below = (size // step) * step
    values = [below, below + step, below + 2 * step] if below > 0 else [step, 2 * step, 3 * step]
    return values


class SkipSizeMismatch(Rule):
    """An encoder/decoder skip connection joins feature maps of different sizes.

    ## What it does
    Finds merges (Concatenate, Add, ...) in U-Net style models whose inputs
    went through the same total downsampling and upsampling but still differ
    in size: pooling or strided convolutions rounded an odd size (125 -> 62,
    15 -> 7), so the upsampled path (14) no longer matches the skip (15). When
    every layer between scales exactly ('same' convolutions, pooling whose
    window equals its stride), it says which input sizes work: the multiples
    of the total downsampling before the skip (16 for four poolings by 2).

    ## Why is this bad?
    Keras raises "A `Concatenate` layer requires inputs with matching shapes
    except for the concatenation axis" when the model is built, and only for
    the input size at hand: the same code works at 128x128 and fails at
    125x125. Resizing or padding the images to a multiple of the total
    downsampling, or cropping the skip, fixes it.
    """

    code = "PAD206"
    name = "skip-size-mismatch"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(100, 100, 3))
c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
p1 = layers.MaxPooling2D(2)(c1)
c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
p2 = layers.MaxPooling2D(2)(c2)
c3 = layers.Conv2D(64, 3, padding="same", activation="relu")(p2)
p3 = layers.MaxPooling2D(2)(c3)
b = layers.Conv2D(128, 3, padding="same", activation="relu")(p3)
u3 = layers.UpSampling2D(2)(b)
m3 = layers.Concatenate()([u3, c3])  # PAD206
model = keras.Model(inputs, m3)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(96, 96, 3))
c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
p1 = layers.MaxPooling2D(2)(c1)
c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
p2 = layers.MaxPooling2D(2)(c2)
c3 = layers.Conv2D(64, 3, padding="same", activation="relu")(p2)
p3 = layers.MaxPooling2D(2)(c3)
b = layers.Conv2D(128, 3, padding="same", activation="relu")(p3)
u3 = layers.UpSampling2D(2)(b)
m3 = layers.Concatenate()([u3, c3])
model = keras.Model(inputs, m3)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for model in context.models:
            tracks = None
            for call in model.calls:
                if call.id in seen or merge_inputs(call) is None or reported_inside(call, context):
                    continue
                tracks = tracks if tracks is not None else track_model(model)
                found = skip_mismatch(call, tracks)
                if found is None:
                    continue
                seen.add(call.id)
                yield self.report(model, found, context)

    def report(self, model: ModelSummary, found: SkipMismatch, context: RuleContext) -> Finding | None:
        call, shapes, axes = found.call, found.shapes, found.axes
        rank = len(shapes[0])
        shown = list(range(1, rank - 1)) if set(axes) <= set(range(1, rank - 1)) else axes
        parts = [
            f"{sizes_text(shape[axis] for axis in shown)} from {origin(tensor, context)}"
            for tensor, shape in zip(call.inputs, shapes)
        ]
        message = f"{describe(call, context)}: the skip connection joins " + " and ".join(parts)
        rounding = self.rounding(model, call, axes, context)
        if rounding is not None:
            message += f"; {rounding}"
        sizes = self.working_sizes(found)
        if sizes is not None:
            message += f"; {sizes[0]}"
            fix = sizes[1]
        else:
            if not all(track.axes[axis].exact for track in found.tracks for axis in axes):
                message += "; 'valid' convolutions, cropping or padding on the way change the sizes by amounts the other path does not mirror"
            fix = self.crop_fix(found, rank, context)
        return context.finding(call, message, fix)

    def rounding(self, model: ModelSummary, call: LayerCall, axes: list[int], context: RuleContext) -> str | None:
        """The last downsampling before the merge that rounded a size: ``rounds 15 down to 7``."""
        ancestors = model.ancestors(call)
        for candidate in reversed(model.calls):
            if candidate.id not in ancestors or candidate.result is None:
                continue
            for window in candidate.result.details.get("windows") or []:
                if hasattr(window, "output_padding") or window.axis not in axes or window.stride <= 1:
                    continue
                if isinstance(window.input, int) and isinstance(window.output, int) and window.input % window.stride:
                    direction = "down" if window.output * window.stride < window.input else "up"
                    return f"{describe(candidate, context)} rounds {window.input} {direction} to {window.output} (stride {window.stride})"
        return None

    def working_sizes(self, found: SkipMismatch) -> tuple[str, str] | None:
        """``the input's height and width, 125, are not multiples of 16`` and the sizes that work."""
        origin_shape = found.tracks[0].origin.output_shapes[0]
        rank = len(origin_shape)
        spatial = sorted(
            axis for axis in range(1, rank) if any((item := track.axes.get(axis)) is not None and item.need > 1 for track in found.tracks)
        )
        if not set(found.axes) <= set(spatial):
            return None
        needs = {}
        for axis in spatial:
            items = [track.axes.get(axis) for track in found.tracks]
            if any(item is None or not item.exact for item in items):
                return None
            needs[axis] = lcm(*(item.need for item in items))
        sizes = {axis: origin_shape[axis] for axis in spatial}
        if not all(isinstance(size, int) for size in sizes.values()):
            return None
        names = [axis_dimension(axis, rank) for axis in spatial]
        if len(set(needs.values())) == 1 and len(set(sizes.values())) == 1:
            need, size = next(iter(needs.values())), next(iter(sizes.values()))
            label = " and ".join(names)
            verb = "is" if len(names) == 1 else "are"
            plural = "a multiple" if len(names) == 1 else "multiples"
            message = f"the input {label} ({size}) {verb} not {plural} of {need}, the total downsampling before this skip"
            options = multiples_around(size, need)
            lower = (size // need) * need
            pad = "x".join([str(lower + need)] * len(spatial))
            crop = "x".join([str(lower)] * len(spatial))
            fix = f"use input sizes that are multiples of {need}: {', '.join(map(str, options))} (pad the inputs to {pad}"
            fix += f", or crop or resize them to {crop})" if lower > 0 else ")"
            return message, fix
        wrong = [(axis, name) for axis, name in zip(spatial, names) if sizes[axis] % needs[axis]]
        if not wrong:
            return None
        message = "the input " + " and ".join(
            f"{name} ({sizes[axis]}) is not a multiple of {needs[axis]}" for axis, name in wrong
        ) + ", the total downsampling before this skip"
        fix = "use an input " + "; an input ".join(
            f"{name} that is a multiple of {needs[axis]}: {', '.join(map(str, multiples_around(sizes[axis], needs[axis])))}"
            for axis, name in wrong
        )
        return message, fix

    def crop_fix(self, found: SkipMismatch, rank: int, context: RuleContext) -> str:
        """Crop the larger input to the smaller one (sizes derived from the shapes at hand)."""
        shapes = found.shapes
        spatial = list(range(1, rank - 1))
        if not 1 <= rank - 2 <= 3 or not set(found.axes) <= set(spatial):
            return "crop the larger input or pad the smaller one before the merge, or use padding='same' so encoder and decoder sizes mirror"
        sizes = [[shape[axis] for axis in spatial] for shape in shapes]
        if not all(isinstance(size, int) for row in sizes for size in row):
            return "crop the larger input or pad the smaller one before the merge, or use padding='same' so encoder and decoder sizes mirror"
        smallest = [min(row[index] for row in sizes) for index in range(len(spatial))]
        larger = [index for index, row in enumerate(sizes) if row != smallest]
        crops = []
        for index in larger:
            amounts = tuple((diff // 2, diff - diff // 2) for diff in (size - small for size, small in zip(sizes[index], smallest)))
            literal = amounts[0] if len(amounts) == 1 else amounts
            crops.append(f"Cropping{rank - 2}D({literal!r}) on {origin(found.call.inputs[index], context)}")
        target = sizes_text(smallest)
        return (
            f"crop to {target} before the merge: " + ", ".join(crops)
            + "; or use padding='same' in the encoder and decoder so their sizes mirror"
        )


__all__ = ["AxisTrack", "Resampling", "SkipMismatch", "SkipSizeMismatch", "resampling", "skip_mismatch", "track_model"]
