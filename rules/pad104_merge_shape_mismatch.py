from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.rules.pad206_skip_size_mismatch import (
    Track,
    differing_axes,
    merge_inputs,
    skip_mismatch,
    track_model,
)

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import MERGE_MISMATCH, MERGE_NOT_A_LIST, format_shape
from padlint.rule import (
    Rule,
    RuleContext,
    describe,
    erroneous_calls,
    origin,
    reported_inside,
)

ELEMENTWISE = frozenset(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"])


def size_list(values: list) -> str:
    return " vs ".join(str(value) for value in values)


class MergeShapeMismatch(Rule):
    """Add, Multiply, Concatenate, ... receive inputs whose shapes cannot merge.

    ## What it does
    Finds merge layers (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`,
    `Minimum`, `Concatenate`, `Dot`, the `add([...])` / `concatenate([...])`
    functions and `x + y` on tensors) whose inputs Keras cannot combine:
    element-wise merges need equal shapes (or 1 to broadcast), `Concatenate`
    needs every axis but the concatenation axis to match. The message lists
    each input's shape and the layer that produced it. Skip connections of
    encoder/decoder models whose sizes drift through rounding are left to
    PAD206, which says which input sizes work. A merge layer called on one
    tensor instead of a list (`Add()(x)`) is reported too: Keras refuses it.

    ## Why is this bad?
    Keras raises "Inputs have incompatible shapes" or "A `Concatenate` layer
    requires inputs with matching shapes except for the concatenation axis"
    when the model is built. Typical causes: a residual shortcut without the
    stride (or the 1x1 projection) of its main path, a 'valid' convolution in
    one branch only, or channel counts that differ before an `Add`.
    """

    code = "PAD104"
    name = "merge-shape-mismatch"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 64))
x = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(inputs)
x = layers.Conv2D(128, 3, padding="same")(x)
x = layers.Add()([x, inputs])  # PAD104
model = keras.Model(inputs, x)
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
a = layers.Conv2D(16, 3)(inputs)
b = layers.Conv2D(16, 5)(inputs)
x = layers.Concatenate()([a, b])  # PAD104
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 64))
x = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(inputs)
x = layers.Conv2D(128, 3, padding="same")(x)
shortcut = layers.Conv2D(128, 1, strides=2, padding="same")(inputs)
x = layers.Add()([x, shortcut])
model = keras.Model(inputs, x)
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
a = layers.Conv2D(16, 3, padding="same")(inputs)
b = layers.Conv2D(16, 5, padding="same")(inputs)
x = layers.Concatenate()([a, b])
model = keras.Model(inputs, x)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        failing = [
            (model, [call for call in model.calls if call.error is not None and call.error.kind == MERGE_MISMATCH and call.inputs])
            for model in context.models
        ]
        tracks_of = {id(model): track_model(model) for model, calls in failing if calls}
        # PAD206's merges, in whichever model the skip is understood.
        skips = {call.id for model, calls in failing for call in calls if skip_mismatch(call, tracks_of[id(model)]) is not None}
        seen: set[int] = set(skips)
        for model, calls in failing:
            tracks = tracks_of.get(id(model), {})
            for call in calls:
                if call.id in seen:
                    continue
                seen.add(call.id)
                if reported_inside(call, context):
                    continue
                shapes = [tensor.shape() for tensor in call.inputs]
                listed = ", ".join(
                    f"{format_shape(shape)} from {origin(tensor, context)}" for tensor, shape in zip(call.inputs, shapes)
                )
                what = self.rule_text(call)
                message = f"{describe(call, context)} cannot merge its inputs ({what}): {listed}"
                yield context.finding(call, message, self.fix(call, shapes, tracks, context))
        for call in erroneous_calls(context, MERGE_NOT_A_LIST):
            tensor = call.inputs[0]
            message = (
                f"{describe(call, context)} is called on one tensor, {format_shape(tensor.shape())} from {origin(tensor, context)}, "
                f"not on a list: Keras raises \"{call.error.message}\""
            )
            yield context.finding(call, message, "pass the tensors to merge as a list, [x, y], not one tensor")

    @staticmethod
    def rule_text(call: LayerCall) -> str:
        class_name = call.operation.class_name
        if class_name == "Concatenate":
            axis = call.error.details.get("axis", -1)
            return f"all axes but the concatenation axis {axis} must match"
        if class_name in ELEMENTWISE:
            return "element-wise: shapes must be equal, or 1 where one broadcasts"
        if class_name == "Dot":
            return "the dot axes must have the same size"
        return "their shapes must agree"

    def fix(self, call: LayerCall, shapes: list, tracks: dict[int, Track], context: RuleContext) -> str:
        if any(shape is None for shape in shapes):
            return "make the inputs' shapes agree"
        ranks = {len(shape) for shape in shapes}
        if len(ranks) != 1:
            return (
                f"the inputs have different ranks ({', '.join(str(len(shape)) for shape in shapes)}): "
                "Flatten, Reshape or pool one of them (or add the missing axis) so both have the same axes"
            )
        if call.operation.class_name == "Dot":
            return "choose axes= so that the two dot axes have the same size, or project one input with Dense first"
        if merge_inputs(call) is None:
            return "make the inputs' shapes agree"
        axes = differing_axes(call, shapes)
        if not axes:
            return "make the inputs' shapes agree (batch sizes included)"
        if call.operation.class_name == "Concatenate" and len(axes) == 1:
            axis = call.error.details.get("axis", -1)
            rank = len(shapes[0])
            if isinstance(axis, int) and -rank <= axis < rank and all(shape[axis % rank] == shapes[0][axis % rank] for shape in shapes):
                wanted = -1 if axes[0] == rank - 1 else axes[0]
                return f"the inputs differ only on axis {axes[0]}: concatenate along it with axis={wanted} (now axis={axis})"
        rank = len(shapes[0])
        channel = rank - 1
        concatenate = call.operation.class_name == "Concatenate"
        spatial = [axis for axis in axes if axis != channel or concatenate]
        projection = None
        if channel in axes and not concatenate:
            widths = [shape[channel] for shape in shapes]
            target = max(widths, key=lambda value: (isinstance(value, int), value if isinstance(value, int) else 0))
            narrow = next((index for index, width in enumerate(widths) if width != target), None)
            word = "channel counts" if rank > 3 else "feature sizes"
            projection = (target, narrow, f"the {word} differ ({size_list(widths)})")
        if not spatial:
            target, narrow, differ = projection
            layer = {4: f"Conv2D({target}, 1)", 3: f"Conv1D({target}, 1)", 5: f"Conv3D({target}, 1)"}.get(rank, f"Dense({target})")
            where = f" ({origin(call.inputs[narrow], context)})" if narrow is not None else ""
            return f"{differ}: project the narrower input{where} with {layer} to {target}, or use Concatenate to stack them"
        scales = self.scales(call, spatial, tracks)
        sizes = "; ".join(f"axis {axis}: {size_list([shape[axis] for shape in shapes])}" for axis in spatial)
        if scales is not None and len(set(scales)) > 1:
            ratio = max(scales) / min(scales)
            sharper = scales.index(max(scales))
            if ratio.denominator != 1:
                return f"the inputs are at different resolutions ({sizes}): resample one of them so both have the same size"
            factor = ratio.numerator
            filters = projection[0] if projection is not None else None
            where = origin(call.inputs[sharper], context)
            if filters is not None and rank - 2 in (1, 2, 3):
                layer = f"Conv{rank - 2}D({filters}, 1, strides={factor})"
                return (
                    f"the other branch downsamples by {factor} ({sizes}) and {projection[2]}: project the shortcut "
                    f"from {where} with {layer}"
                )
            return (
                f"the other branch downsamples by {factor} ({sizes}): give the branch from {where} the same "
                f"downsampling (strides={factor} or a pooling layer), or upsample the other one"
            )
        if scales is not None:
            return (
                f"the branches shrink differently ({sizes}): use padding='same' in the branch convolutions, "
                "or crop the larger input (Cropping layer) before the merge"
            )
        return f"make the sizes agree ({sizes})"

    @staticmethod
    def scales(call: LayerCall, axes: list[int], tracks: dict[int, Track]) -> list | None:
        incoming = [tracks.get(tensor.node.id) if tensor.index == 0 else None for tensor in call.inputs]
        if any(track is None for track in incoming) or len({id(track.origin) for track in incoming}) != 1:
            return None
        found = []
        for track in incoming:
            items = [track.axes.get(axis) for axis in axes]
            if any(item is None for item in items) or len({item.scale for item in items}) != 1:
                return None
            found.append(items[0].scale)
        return found
