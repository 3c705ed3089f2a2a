from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import UNDEFINED_SIZE
from padlint.rule import (
    Rule,
    RuleContext,
    describe,
    erroneous_calls,
    is_shape_preserving,
    producer,
)
from padlint.symbolic import Sym


def _open_axes(call: LayerCall) -> list[str]:
    """The open input axes (H, W, ...) a layer's weights would be sized by."""
    names: set[str] = set()
    for tensor in call.inputs:
        for dim in tensor.shape() or ():
            if isinstance(dim, Sym) and dim.is_keras_none():
                names.update(dim.symbols())
    return sorted(names)


def _reducer_before(call: LayerCall) -> LayerCall | None:
    """The Flatten (or Reshape) that folded open spatial axes into the weight's size."""
    current = producer(call)
    while current is not None and is_shape_preserving(current):
        current = producer(current)
    if current is not None and current.operation.class_name in ("Flatten", "Reshape"):
        return current
    return None


class UndefinedWeightSize(Rule):
    """A layer's weights would be sized by an axis the model leaves open (None).

    ## What it does
    Finds layers whose weight shape depends on an input size declared `None`:
    most often a `Dense` after `Flatten` in a model whose `Input` accepts any
    image size (`shape=(None, None, 3)`), or a convolution whose channel axis
    is `None`.

    ## Why is this bad?
    Keras cannot create the weights and raises "shapes used to initialize
    variables must be fully-defined" (or "The last dimension of the inputs to a
    Dense layer should be defined") when the model is built. A fully
    convolutional model that accepts any size needs a head that does not depend
    on it: global pooling collapses the open axes whatever their size.
    """

    code = "PAD107"
    name = "undefined-weight-size"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)  # PAD107
model = keras.Model(inputs, outputs)
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(128, None))
x = layers.Conv1D(16, 3)(inputs)  # PAD107
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
        """\
import os
import keras
from keras import layers

size = int(os.environ.get("IMAGE_SIZE", "64"))
inputs = keras.Input(shape=(size, size, 3))
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for call in erroneous_calls(context, UNDEFINED_SIZE):
            axes = _open_axes(call)
            opened = " and ".join(axes) if axes else "an axis"
            reducer = _reducer_before(call)
            if reducer is not None:
                rank = max(len(reducer.inputs[0].shape() or ()) - 2, 1)
                message = (
                    f"{describe(call, context)} sizes its weights by the output of {describe(reducer, context)}, "
                    f"which depends on {opened}, left open (None) by the model's input: Keras cannot build it"
                )
                fix = (
                    f"use GlobalAveragePooling{rank}D() instead of {reducer.operation.class_name}() to accept every size, "
                    f"or give the Input a fixed size for {opened}"
                )
            else:
                message = (
                    f"{describe(call, context)} sizes its weights by {opened}, left open (None) by the model's input: "
                    "Keras cannot build it"
                )
                fix = f"give the Input a fixed size for {opened} (the channel axis, for a convolution)"
            yield context.finding(call, message, fix)
