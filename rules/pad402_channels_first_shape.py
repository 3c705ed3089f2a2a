from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import INVALID_CONFIG, NON_POSITIVE_DIMENSION, RANK_MISMATCH, format_shape
from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    describe,
    is_shape_preserving,
    model_consumers,
)


def _data_format(call: LayerCall) -> str | None:
    """The data format a convolution or pooling reads (None when unknown)."""
    if call.result is not None and "data_format" in call.result.details:
        return call.result.details["data_format"]
    config = getattr(call.operation, "config", None)
    if config is None:
        return None
    try:
        return config.data_format()
    except Exception:  # noqa: BLE001 - an unknown or invalid data_format: no claim
        return None


def _one_row_window(call: LayerCall) -> bool:
    """A (1, k) window: the author treats the first axis as a height of 1 on purpose
    (Conv2D over (1, steps, features), the Conv1D-as-Conv2D idiom)."""
    windows = call.result.details.get("windows") if call.result is not None else None
    return bool(windows) and windows[0].kernel == 1 and any(window.kernel > 1 for window in windows[1:])


def _reads_images(call: LayerCall) -> bool:
    """2D convolutions and poolings: the layers that read an axis as channels."""
    name = call.operation.class_name
    return name.endswith("2D") and ("Conv" in name or "Pool" in name)



#: Errors the wrong layout causes (a window that does not fit the 1- or 3-row image, the
#: width taken for channels); other errors of the reading layer have causes of their own.
LAYOUT_FAILURES = (NON_POSITIVE_DIMENSION, RANK_MISMATCH, INVALID_CONFIG)

class ChannelsFirstShape(Rule):
    """The input shape puts the channels first, but the layers read channels last.

    ## What it does
    Finds a model input of shape `(1, H, W)` or `(3, H, W)` (height and width
    at least `min-size`, 5), or a `Reshape` to such a shape (Keras 1's
    `Reshape((1, 28, 28))` before a convolution), whose first convolution or
    pooling layers read `channels_last`, Keras' default. The shape was written for
    `channels_first` (Theano, PyTorch, Keras 1 tutorials), so Keras takes the
    width as the channels and sees a `1 x H` or `3 x H` image. When the layers
    say `data_format='channels_first'`, or the first layer's window is one row
    high (`Conv2D(16, (1, 5))` over `(1, steps, features)`, the Conv1D-as-Conv2D
    idiom), nothing is reported.

    ## Why is this bad?
    The first convolution gets `W` input channels and an image one or three
    rows high: a 3x3 window either does not fit ("negative dimension") or
    slides over the wrong axes, and the parameter counts are wrong from the
    first layer on.
    """

    code = "PAD402"
    name = "channels-first-shape"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "min-size": Option(5, "smallest height and width for which a leading 1 or 3 is taken for the channel axis"),
    }
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(3, 32, 32))  # PAD402
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(3, 32, 32))
x = layers.Conv2D(32, 3, padding="same", activation="relu", data_format="channels_first")(inputs)
x = layers.GlobalAveragePooling2D(data_format="channels_first")(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        min_size = int(context.options["min-size"])
        reported: set[int] = set()
        for model in context.models:
            consumers = model_consumers(model)
            for call in model.calls:
                starts = not call.inputs or call.operation.class_name == "Reshape"
                if not starts or call.id in reported or not call.output_shapes or len(call.output_shapes) != 1:
                    continue
                shape = call.output_shapes[0]
                if not self.looks_channels_first(shape, min_size):
                    continue
                readers = self.readers(call, consumers)
                formats = {_data_format(reader) for reader in readers}
                if readers and formats == {"channels_last"} and not any(_one_row_window(reader) for reader in readers):
                    reported.add(call.id)
                    yield self.report(call, shape, readers[0], model, context)

    def looks_channels_first(self, shape: Any, min_size: int) -> bool:
        if shape is None or len(shape) != 4:
            return False
        channels, height, width = shape[1:]
        return (
            channels in (1, 3)
            and isinstance(height, int)
            and isinstance(width, int)
            and not isinstance(channels, bool)
            and height >= min_size
            and width >= min_size
        )

    def readers(self, start: LayerCall, consumers: dict[int, list[LayerCall]]) -> list[LayerCall]:
        """The first 2D convolutions or poolings that read the input, through layers that keep its shape.

        Any other layer on the way (Permute, Reshape, an unknown layer) ends the search on
        that path: the tensor may have been rearranged.
        """
        found: list[LayerCall] = []
        seen: set[int] = set()
        stack = list(consumers.get(start.id, []))
        while stack:
            call = stack.pop(0)
            if call.id in seen:
                continue
            seen.add(call.id)
            if _reads_images(call):
                found.append(call)
            elif is_shape_preserving(call):
                stack.extend(consumers.get(call.id, []))
        return found

    def report(self, start: LayerCall, shape: tuple, reader: LayerCall, model: ModelSummary, context: RuleContext) -> Finding | None:
        channels, height, width = shape[1:]
        written = format_shape(shape[1:])
        implicit = start.site is not None and start.site is reader.site
        if implicit:
            subject = f"{describe(reader, context)}: input_shape={written}"
        elif start.inputs:
            subject = f"{describe(start, context)}: target shape {written}"
        else:
            subject = f"{describe(start, context)}: shape {written}"
        if reader.output_shapes and reader.output_shapes[0] is not None:
            outcome = f", output {format_shape(reader.output_shapes[0])}"
        elif reader.error is not None and reader.error.kind in LAYOUT_FAILURES:
            outcome = f", which fails: {reader.error.message}"
        else:
            outcome = ""
        reads = "it" if implicit else describe(reader, context)
        message = (
            f"{subject} puts {channels} channel{'s' if channels != 1 else ''} first, but {reads} reads channels_last: "
            f"it takes the {width} columns for channels and sees a {channels}x{height} image{outcome}"
        )
        everywhere = "or pass data_format='channels_first' to every convolution and pooling layer"
        if start.inputs:
            order = " (for image data stored channel by channel, keep the reshape and add Permute((2, 3, 1)))" if channels > 1 else ""
            fix = f"reshape to ({height}, {width}, {channels}){order}, {everywhere}"
        else:
            fix = (
                f"write the shape as ({height}, {width}, {channels}) and give the data channels last "
                f"(np.transpose(x, (0, 2, 3, 1))), {everywhere}"
            )
        return context.finding(start, message, fix)
