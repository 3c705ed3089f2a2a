from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.layers.base import NON_POSITIVE_DIMENSION
from padlint.rule import Rule, RuleContext, axis_dimension, describe, erroneous_calls
from padlint.symbolic import format_dim


class NonPositiveDimension(Rule):
    """A convolution, pooling or cropping layer's output size would be zero or negative.

    ## What it does
    Finds layers whose window (or cropping) is larger than what reaches them:
    a 7x7 'valid' convolution on a 5x5 feature map, a pooling after the image
    has already shrunk to 1x1, a Cropping2D that removes more rows than exist.

    ## Why is this bad?
    Keras raises "Computed output size would be zero or negative" (or TensorFlow
    "Negative dimension size") when the model is built, usually deep inside a
    training script, after data loading. padlint says which layer and by how much.
    """

    code = "PAD101"
    name = "non-positive-dimension"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(5, 5, 3)),
    layers.Conv2D(16, 3),
    layers.Conv2D(16, 5),  # PAD101
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(5, 5, 3)),
    layers.Conv2D(16, 3),
    layers.Conv2D(16, 3),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for call in erroneous_calls(context, NON_POSITIVE_DIMENSION):
            error = call.error
            details = error.details
            shape = call.inputs[0].shape() if call.inputs else None
            rank = len(shape) if shape else 4
            data_format = call.result.details.get("data_format", "channels_last") if call.result else "channels_last"
            if "kernel" in details:
                axis = details.get("axis", 1)
                dimension = axis_dimension(axis, rank, getattr(call.operation.config, "image_data_format", data_format))
                size = format_dim(details.get("input"))
                span = details["dilation"] * (details["kernel"] - 1) + 1
                message = (
                    f"{describe(call, context)}: output {dimension} would be {details.get('output')}: "
                    f"a {span}-wide 'valid' window with stride {details['stride']} does not fit in {size}"
                )
                fix = f"use padding='same' (keeps {size}), a window of at most {size}, or less downsampling before this layer"
            else:
                message = f"{describe(call, context)}: {error.message}"
                fix = "make the layer's window or cropping smaller than its input, or downsample less before it"
            yield context.finding(call, message, fix)
