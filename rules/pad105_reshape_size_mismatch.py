from __future__ import annotations

from collections.abc import Iterator
from math import prod
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import RESHAPE_MISMATCH, format_shape
from padlint.rule import (
    Rule,
    RuleContext,
    describe,
    erroneous_calls,
    is_shape_preserving,
    origin,
    producer,
)


def target_text(target: tuple) -> str:
    return f"({target[0]},)" if len(target) == 1 else "(" + ", ".join(str(dim) for dim in target) + ")"


def inferred_forms(target: tuple, total: int) -> list[tuple[tuple, tuple]]:
    """Targets with one entry replaced by -1 that keep every value: ``((7, 7, -1), (7, 7, 128))``.

    The last entry comes first: it is usually the channel axis, the one a
    miscounted filter number or Dense size gets wrong.
    """
    forms = []
    for index in reversed(range(len(target))):
        others = prod(dim for position, dim in enumerate(target) if position != index)
        if others > 0 and total % others == 0:
            candidate = tuple(-1 if position == index else dim for position, dim in enumerate(target))
            resolved = tuple(total // others if position == index else dim for position, dim in enumerate(target))
            forms.append((candidate, resolved))
    return forms


def nearest_divisors(number: int, wanted: int) -> list[int]:
    """The divisors of ``number`` next below and next above ``wanted`` (those that exist)."""
    if number > 10**7:
        return []
    divisors = [value for value in range(1, number + 1) if number % value == 0 and value != wanted]
    below = [value for value in divisors if value < wanted]
    above = [value for value in divisors if value > wanted]
    return ([below[-1]] if below else []) + ([above[0]] if above else [])


def dense_before(call: LayerCall) -> LayerCall | None:
    """The Dense layer that feeds this Reshape (through Dropout-like layers)."""
    current = producer(call)
    while current is not None and current.operation.class_name != "Dense" and is_shape_preserving(current):
        current = producer(current)
    return current if current is not None and current.operation.class_name == "Dense" else None


class ReshapeSizeMismatch(Rule):
    """A Reshape's target shape does not hold the same number of values as its input.

    ## What it does
    Compares the size of each `Reshape` target (the product of its entries)
    with the size of the tensor it receives (batch axis excluded), and with a
    `-1` entry checks that the rest divides the input size. The message gives
    both sizes; the fix gives a target that keeps every value, such as the
    `-1` form, or the Dense size that would match the target.

    ## Why is this bad?
    Keras raises "The total size of the tensor must be unchanged" when the
    model is built. The usual causes are a miscounted channel number after a
    change of filters or input size (`Reshape((7, 7, 64))` after a 7x7x128
    feature map), or a Dense layer whose size was not updated to feed the
    Reshape of a generator.
    """

    code = "PAD105"
    name = "reshape-size-mismatch"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(128, 4, strides=4, padding="same")(inputs)
x = layers.Flatten()(x)
x = layers.Reshape((7, 7, 64))(x)  # PAD105
model = keras.Model(inputs, x)
""",
        """\
from keras import layers, models

generator = models.Sequential([
    layers.Input(shape=(100,)),
    layers.Dense(128 * 7),
    layers.Reshape((7, 7, 128)),  # PAD105
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(128, 4, strides=4, padding="same")(inputs)
x = layers.Flatten()(x)
x = layers.Reshape((7, 7, -1))(x)
model = keras.Model(inputs, x)
""",
        """\
from keras import layers, models

generator = models.Sequential([
    layers.Input(shape=(100,)),
    layers.Dense(128 * 7 * 7),
    layers.Reshape((7, 7, 128)),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for call in erroneous_calls(context, RESHAPE_MISMATCH):
            error = call.error
            shape = call.inputs[0].shape()
            total = error.details.get("input_size")
            target = self.target(call)
            if shape is None or not isinstance(total, int) or target is None:
                continue
            yield self.report(call, shape, total, target, context)

    @staticmethod
    def target(call: LayerCall) -> tuple | None:
        config = getattr(call.operation, "config", None)
        value = config.arguments.get("target_shape") if config is not None else None
        if not isinstance(value, (tuple, list)) or not all(isinstance(dim, int) and not isinstance(dim, bool) for dim in value):
            return None
        return tuple(value)

    def report(self, call: LayerCall, shape: tuple, total: int, target: tuple, context: RuleContext) -> Finding | None:
        source = origin(call.inputs[0], context)
        known = prod(dim for dim in target if dim != -1)
        if -1 in target:
            message = (
                f"{describe(call, context)}: target_shape={target_text(target)} needs a multiple of {known:,} values "
                f"(the entries besides -1), but its input {format_shape(shape)} from {source} holds {total:,} per sample"
            )
        else:
            message = (
                f"{describe(call, context)}: target_shape={target_text(target)} holds {known:,} values "
                f"but its input {format_shape(shape)} from {source} holds {total:,} per sample"
            )
        return context.finding(call, message, self.fix(call, target, total, known, context))

    def fix(self, call: LayerCall, target: tuple, total: int, known: int, context: RuleContext) -> str:
        options = []
        if -1 not in target:
            dense = dense_before(call)
            if dense is not None and dense.inputs and dense.output_shapes and len(dense.output_shapes[0] or ()) == 2:
                options.append(f"give {describe(dense, context)} {known:,} units (Dense({known})) to feed {target_text(target)}")
            forms = inferred_forms(target, total)
            if forms and not options:
                candidate, resolved = forms[0]
                options.append(f"Reshape({target_text(candidate)}) keeps all {total:,} values (gives {target_text(resolved)})")
        else:
            index = max(position for position, dim in enumerate(target) if dim != -1) if known != 1 or len(target) > 1 else None
            if index is not None:
                others = known // target[index] if target[index] else 0
                if others and total % others == 0:
                    fixed = [
                        target_text(tuple(divisor if position == index else dim for position, dim in enumerate(target)))
                        for divisor in nearest_divisors(total // others, target[index])
                    ]
                    if fixed:
                        options.append(f"Reshape({' or Reshape('.join(item + ')' for item in fixed)[:-1]}) divides the {total:,} values evenly")
        if not options:
            return f"choose a target_shape whose entries multiply to {total:,} (or use -1 for one entry)"
        return "; or ".join(options)
