from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.rules.pad206_skip_size_mismatch import (
    multiples_around,
    resampling,
    track_model,
)

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import MERGE_MISMATCH, LayerError
from padlint.layers.windows import transposed_window
from padlint.rule import Rule, RuleContext, describe, model_consumers, sizes_text


def is_transposed(call: LayerCall) -> bool:
    windows = call.result.details.get("windows") if call.result is not None else None
    return bool(windows) and all(hasattr(window, "output_padding") for window in windows)


RESIZING = ("Cropping", "ZeroPadding", "Resizing", "CenterCrop")


def adjusted_after(call: LayerCall, consumers: dict[int, list[LayerCall]]) -> bool:
    """A Cropping, ZeroPadding or Resizing layer follows (before any other resampling or merge):
    the author sets the size explicitly (FCN-style decoders crop their transposes)."""
    current = call
    for _ in range(64):
        following = consumers.get(current.id, [])
        if len(following) != 1:
            return False
        current = following[0]
        if current.operation.class_name.startswith(RESIZING):
            return True
        if len(current.inputs) != 1 or resampling(current):
            return False
    return False


def mirrors(model: ModelSummary) -> dict[int, tuple[LayerCall, LayerCall]]:
    """Each upsampling call paired with the downsampling it undoes, last in first out along the path.

    The path of a call is that of its first input, so a decoder's
    ``concatenate([up, skip])`` continues the stack of the upsampled path.
    """
    stacks: dict[int, tuple] = {}
    pairs: dict[int, tuple[LayerCall, LayerCall]] = {}
    for call in model.calls:
        stack = stacks.get(call.inputs[0].node.id, ()) if call.inputs else ()
        steps = resampling(call)
        kinds = {step.kind for step in steps.values()}
        if "down" in kinds and "up" not in kinds:
            stack = stack + (call,)
        elif "up" in kinds and "down" not in kinds and stack:
            pairs[call.id] = (call, stack[-1])
            stack = stack[:-1]
        stacks[call.id] = stack
    return pairs


def _output_paddings(window, padding: str, target: int) -> list[int]:
    """The ``output_padding`` that could give ``target``: the output grows by one per unit of it
    (keras/src/backend/common/backend_utils.py), so only ``target`` minus the output with 0 can,
    if it is below the stride (trying each value below a stride of 2**63 never ended)."""
    try:
        base, _ = transposed_window(window.axis, window.input, window.kernel, window.stride, window.dilation, padding, 0)
    except LayerError:
        return []
    extra = target - base.output if isinstance(base.output, int) else -1
    return [extra] if 0 <= extra < window.stride else []


class TransposeSizeAmbiguity(Rule):
    """A transposed convolution does not restore the size of the layer it mirrors.

    ## What it does
    Pairs each upsampling layer with the downsampling it undoes (last in,
    first out along the path, as encoder and decoder are written) and reports
    a `Conv1D/2D/3DTranspose` whose output differs from the size the mirrored
    layer received: a 28x28 autoencoder goes 28 -> 14 -> 7 -> 4 with stride-2
    convolutions, and stride-2 transposes give 4 -> 8 -> 16 -> 32, not 28. The
    fix names the `output_padding` (and `padding`) that restore the size,
    when one exists.

    ## Why is this bad?
    A stride-s convolution maps s different input sizes to the same output
    (7 and 8 both give 4), so its transpose cannot know which one to restore
    and picks the largest. Keras does not complain: the decoder's output is
    silently larger than the input, and the error appears only when the loss
    compares 32x32 predictions with 28x28 targets.
    """

    code = "PAD207"
    name = "transpose-size-ambiguity"
    severity = Severity.WARNING
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, 3, strides=2, padding="same")(inputs)
x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
x = layers.Conv2D(64, 3, strides=2, padding="same")(x)
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same")(x)  # PAD207
x = layers.Conv2DTranspose(16, 3, strides=2, padding="same")(x)
outputs = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(x)
autoencoder = keras.Model(inputs, outputs)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, 3, strides=2, padding="same")(inputs)
x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
x = layers.Conv2D(64, 3, strides=2, padding="same")(x)
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", output_padding=0)(x)
x = layers.Conv2DTranspose(16, 3, strides=2, padding="same")(x)
outputs = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(x)
autoencoder = keras.Model(inputs, outputs)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for model in context.models:
            merge_errors = None
            consumers = model_consumers(model)
            for up, down in mirrors(model).values():
                if up.id in seen or not is_transposed(up):
                    continue
                mismatch = self.mismatch(up, down)
                if mismatch is None:
                    continue
                if merge_errors is None:
                    merge_errors = {call.id for call in model.calls if call.error is not None and call.error.kind == MERGE_MISMATCH}
                if merge_errors and merge_errors & model.descendants(up):
                    continue  # the merge that fails is PAD206's (or PAD104's) finding
                if adjusted_after(up, consumers):
                    continue
                seen.add(up.id)
                yield self.report(model, up, down, mismatch, context)

    @staticmethod
    def mismatch(up: LayerCall, down: LayerCall) -> list[tuple] | None:
        """Per axis ``(transposed window, size to restore)`` when the input is right and the output is not."""
        down_windows = {window.axis: window for window in down.result.details.get("windows") or []}
        pairs = []
        for window in up.result.details["windows"]:
            mirror = down_windows.get(window.axis)
            if mirror is None or window.stride != mirror.stride:
                return None
            if not all(isinstance(size, int) for size in (window.input, window.output, mirror.input, mirror.output)):
                return None
            if window.input != mirror.output:
                return None
            pairs.append((window, mirror.input))
        if not pairs or all(window.output == target for window, target in pairs):
            return None
        up_shape, down_shape = up.inputs[0].shape(), down.inputs[0].shape()
        if up_shape is None or down_shape is None or len(up_shape) != len(down_shape):
            return None
        return pairs

    def report(self, model: ModelSummary, up: LayerCall, down: LayerCall, pairs: list[tuple], context: RuleContext) -> Finding | None:
        before = sizes_text(window.input for window, _ in pairs)
        after = sizes_text(window.output for window, _ in pairs)
        wanted = sizes_text(target for _, target in pairs)
        message = (
            f"{describe(up, context)} upsamples {before} to {after}, but {describe(down, context)}, "
            f"the layer it mirrors, reduced {wanted} to {before}: the decoder does not restore {wanted}"
        )
        message += self.model_note(model)
        steps = resampling(up)
        exact = all(steps.get(window.axis) is not None and steps[window.axis].exact for window, _ in pairs)
        return context.finding(up, message, self.fix(pairs, self.input_sizes(model, down, pairs) if exact else None, exact))

    @staticmethod
    def model_note(model: ModelSummary) -> str:
        """`` (the model maps 28x28 inputs to 32x32 outputs)`` for a single-input, single-output model."""
        if len(model.inputs) != 1 or len(model.outputs) != 1:
            return ""
        first, last = model.inputs[0], model.outputs[0]
        if first is None or last is None or len(first) != len(last) or len(first) < 3:
            return ""
        inner_in, inner_out = first[1:-1], last[1:-1]
        if not all(isinstance(size, int) for size in (*inner_in, *inner_out)) or inner_in == inner_out:
            return ""
        return f" (the model maps {sizes_text(inner_in)} inputs to {sizes_text(inner_out)} outputs)"

    @staticmethod
    def input_sizes(model: ModelSummary, down: LayerCall, pairs: list[tuple]) -> str | None:
        """``an input size that is a multiple of 8 (e.g. 32x32)`` when every layer before scales exactly."""
        track = track_model(model).get(down.id)
        if track is None:
            return None
        axes = [track.axes.get(window.axis) for window, _ in pairs]
        if any(item is None or not item.exact for item in axes) or len({item.need for item in axes}) != 1:
            return None
        need = axes[0].need
        sizes = [track.origin.output_shapes[0][window.axis] for window, _ in pairs]
        if not all(isinstance(size, int) for size in sizes) or any(size % need == 0 for size in sizes):
            return None
        examples = [min(multiples_around(size, need), key=lambda value: (abs(value - size), -value)) for size in sizes]
        return f"an input size that is a multiple of {need} (e.g. {sizes_text(examples)})"

    @staticmethod
    def fix(pairs: list[tuple], input_sizes: str | None, exact: bool) -> str:
        current = pairs[0][0].padding
        wanted = sizes_text(target for _, target in pairs)
        suggestions = []
        for padding in dict.fromkeys([current, "same", "valid"]):
            chosen = []
            for window, target in pairs:
                found = None
                candidates = ([None] if padding != current else []) + _output_paddings(window, padding, target)
                for extra in candidates:
                    try:
                        restored, _ = transposed_window(window.axis, window.input, window.kernel, window.stride, window.dilation, padding, extra)
                    except LayerError:
                        continue
                    if restored.output == target:
                        found = "default" if extra is None else extra
                        break
                chosen.append(found)
            if all(extra is not None for extra in chosen):
                if all(extra == "default" for extra in chosen):
                    suggestions.append(f"padding='{padding}'")
                    continue
                values = [0 if extra == "default" else extra for extra in chosen]
                value = values[0] if len(set(values)) == 1 else tuple(values)
                text = f"output_padding={value}"
                if padding != current:
                    text += f" with padding='{padding}'"
                suggestions.append(text)
        larger = [window.output - target for window, target in pairs]
        options = []
        if suggestions:
            options.append(f"pass {suggestions[0]} to restore {wanted}")
        if all(diff > 0 for diff in larger):
            rank = len(pairs)
            amounts = tuple((0, diff) for diff in larger)
            literal = amounts[0] if rank == 1 else amounts
            options.append(f"crop the extra with Cropping{rank}D({literal!r}) after it")
        if input_sizes is not None:
            options.append(f"or use {input_sizes}")
        elif exact:
            options.append("or use an input size that the total downsampling divides")
        return "; ".join(options)
