from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from padlint.findings import Edit, Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import format_shape, is_int
from padlint.rule import Rule, RuleContext, argument_node, construction_call, describe


def _is_softmax(value: Any) -> bool:
    """``'softmax'``, ``keras.activations.softmax``, ``tf.nn.softmax``, ..."""
    if isinstance(value, str):
        return value.lower() == "softmax"
    qualname = getattr(value, "qualname", None)
    return isinstance(qualname, str) and qualname.rsplit(".", 1)[-1] == "softmax"


def _softmax_axis(call: LayerCall) -> Any:
    """The axis a Softmax layer normalises over (-1 unless set); None when unknown."""
    config = getattr(call.operation, "config", None)
    if config is not None:
        value = config.arguments.get("axis", -1)
        return value if is_int(value) or isinstance(value, tuple) else None
    site = construction_call(call.operation)
    if site is not None and not site.args:
        return -1
    return None


class SingleUnitSoftmax(Rule):
    """Softmax over a single unit always outputs 1.0.

    ## What it does
    Finds a softmax taken over an axis of size 1: `Dense(1, activation='softmax')`,
    a convolution with one filter and a softmax activation, `Activation('softmax')`
    or `Softmax()` after a layer with one unit.

    ## Why is this bad?
    Softmax divides each value by the sum over the axis; over one value that is
    `exp(x) / exp(x) = 1.0`, whatever the input. The prediction is constant,
    the gradient is zero, and the model trains without learning anything
    while the loss stays flat. A single-unit binary classifier needs `sigmoid`;
    a softmax classifier needs one unit per class.
    """

    code = "PAD403"
    name = "single-unit-softmax"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="softmax"),  # PAD403
])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
logits = layers.Conv2D(1, 1)(x)
mask = layers.Activation("softmax")(logits)  # PAD403
model = keras.Model(inputs, mask)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        reported: set[int] = set()
        unapplied: set[int] = set()
        for model in context.models:
            for call in model.calls:
                if call.id in reported:
                    continue
                finding = self.inspect(call, context)
                if finding is not None:
                    reported.add(call.id)
                    yield finding
            for row in model.rows:
                # A Sequential without an input shape is never applied; Dense(1) still has one unit.
                if row.call is None and id(row.operation) not in unapplied:
                    unapplied.add(id(row.operation))
                    finding = self.inspect_unapplied(row.operation, context)
                    if finding is not None:
                        yield finding

    def inspect_unapplied(self, operation: Any, context: RuleContext) -> Finding | None:
        config = getattr(operation, "config", None)
        if config is None or not _is_softmax(config.arguments.get("activation")):
            return None
        name = operation.class_name
        if name == "Dense":
            units = config.arguments.get("units")
        elif name in ("Conv1D", "Conv2D", "Conv3D"):
            data_format = config.arguments.get("data_format") or config.image_data_format
            units = config.arguments.get("filters") if data_format == "channels_last" else None
        else:
            return None
        if not (is_int(units) and units == 1):
            return None
        return self.report(operation, None, "the last axis", argument_node(operation, "activation"), context)

    def inspect(self, call: LayerCall, context: RuleContext) -> Finding | None:
        operation = call.operation
        name = operation.class_name
        if name == "Softmax":
            shape = call.inputs[0].shape() if len(call.inputs) == 1 else None
            axis = _softmax_axis(call)
            axes = axis if isinstance(axis, tuple) else (axis,)
            if shape is None or axis is None or not all(is_int(item) and -len(shape) <= item < len(shape) for item in axes):
                return None
            if not all(shape[item] == 1 for item in axes):
                return None
            where = "the last axis" if axes == (-1,) else f"axis {axis}"
            return self.report(call, shape, where, None, context)
        if name not in ("Dense", "Activation") and ("Conv" not in name or "LSTM" in name):
            return None  # recurrent layers apply their activation inside the cell, not to the output
        config = getattr(operation, "config", None)
        if config is None or not _is_softmax(config.arguments.get("activation")):
            return None
        if name == "Activation":
            shape = call.inputs[0].shape() if len(call.inputs) == 1 else None
        else:
            shape = call.output_shapes[0] if call.output_shapes and len(call.output_shapes) == 1 else None
        if shape is None or len(shape) < 2 or shape[-1] != 1 or not is_int(shape[-1]):
            return None
        return self.report(call, shape, "the last axis", argument_node(operation, "activation"), context)

    def report(self, call: Any, shape: tuple | None, where: str, argument: cst.Arg | None, context: RuleContext) -> Finding | None:
        operation = call.operation if isinstance(call, LayerCall) else call
        name = operation.class_name
        label = describe(call if isinstance(call, LayerCall) else operation, context)
        size = f"in {format_shape(shape)}" if shape is not None else "(one unit)"
        message = f"{label}: softmax over {where}, of size 1 {size}, always outputs 1.0"
        if name == "Dense":
            fix = "use activation='sigmoid' for a binary output (with binary_crossentropy), or Dense(num_classes, activation='softmax') with one unit per class"
        elif name in ("Activation", "Softmax"):
            fix = "use a sigmoid (Activation('sigmoid')) for a binary output, or give the layer before it one unit per class"
        else:
            fix = f"use activation='sigmoid' for a binary output, or give {name} one filter (unit) per class"
        edits = []
        if argument is not None and isinstance(argument.value, cst.SimpleString):
            span = context.span_of(argument.value)
            quote = argument.value.quote
            if span is not None:
                edits.append(Edit(span[0], span[1], span[2], span[3], f"{argument.value.prefix}{quote}sigmoid{quote}", safe=False))
        return context.finding(call, message, fix, edits=edits)
