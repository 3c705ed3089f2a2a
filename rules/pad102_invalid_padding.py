from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from padlint.findings import Edit, Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import INVALID_PADDING
from padlint.rule import Rule, RuleContext, argument_node, construction_call, describe


class InvalidPadding(Rule):
    """A layer gets a padding value Keras rejects.

    ## What it does
    Finds `padding=` values the layer does not accept: explicit amounts such as
    `padding=(2, 2)` or MATLAB's `[2 2 2 2]` (a PyTorch habit: Keras layers take
    only a mode), typos such as `'vaild'`, `'causal'` anywhere but `Conv1D`, and
    upper-case modes on pooling layers, which Keras 3 rejects there although
    convolutions accept any case.

    ## Why is this bad?
    Keras raises a `ValueError` when the model is built. Explicit amounts of
    padding belong in a `ZeroPadding1D/2D/3D` layer before the layer, and are
    often just what `padding='same'` does anyway.
    """

    code = "PAD102"
    name = "invalid-padding"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
import keras

model = keras.Sequential([
    keras.Input(shape=(27, 27, 96)),
    keras.layers.Conv2D(256, (5, 5), padding=(2, 2)),  # PAD102
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.MaxPooling2D(2, padding="Valid"),  # PAD102
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, padding="vaild"),  # PAD102
    layers.Conv2D(8, 3, padding="causal"),  # PAD102
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras

model = keras.Sequential([
    keras.Input(shape=(27, 27, 96)),
    keras.layers.ZeroPadding2D(padding=2),
    keras.layers.Conv2D(256, (5, 5), padding="valid"),
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(100, 8)),
    layers.Conv1D(8, 3, padding="causal"),
    layers.MaxPooling1D(2, padding="valid"),
    layers.Conv1D(8, 3, padding="Same"),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for model in context.models:
            for call in model.calls:
                error = call.error
                if error is None or error.kind != INVALID_PADDING:
                    continue
                value = error.details.get("value", _argument_value(call))
                message, fix, edits = self.explain(call, value, context)
                yield context.finding(call, f"{describe(call, context)}: {message}", fix, edits=edits)

    def explain(self, call: LayerCall, value: Any, context: RuleContext) -> tuple[str, str, list[Edit]]:
        class_name = call.operation.class_name
        rank = _rank(class_name)
        positional = _positional_padding(call.operation)
        if positional is not None and isinstance(value, int):
            sizes = ", ".join(["size"] * (rank or 2))
            message = (
                f"padding={value!r} comes from the {positional} positional argument: Keras 1 wrote "
                f"{class_name}(filters, {sizes}), but Keras 2/3 take strides and padding there"
            )
            return message, f"pass the window as one tuple: {class_name}(filters, ({sizes}))", []
        if isinstance(value, (tuple, list, int)):
            amounts = _amounts(value, rank)
            zero_padding = f"ZeroPadding{rank}D(padding={_padding_literal(amounts)})" if rank else "a ZeroPadding layer"
            message = f"padding={value!r} is not accepted: Keras layers take a mode ('valid' or 'same'), not amounts"
            fix = f"add {zero_padding} before the layer and keep padding='valid'"
            if amounts is not None and _same_equivalent(call, amounts):
                fix += ", or use padding='same' (equivalent here)"
            return message, fix, []
        if isinstance(value, str):
            lower = value.lower()
            if lower == "causal":
                message = f"padding='causal' exists only for Conv1D; {class_name} rejects it"
                return message, "use padding='same', or pad explicitly with a ZeroPadding layer before the layer", []
            if lower in ("valid", "same"):
                message = f"padding={value!r}: {class_name} accepts only lower-case 'valid' or 'same' in Keras 3"
                return message, f"write padding='{lower}'", _lowercase_edit(call, lower, context)
            guess = difflib.get_close_matches(lower, ["valid", "same"], n=1, cutoff=0.5)
            suggestion = f"did you mean padding='{guess[0]}'?" if guess else "use padding='valid' or padding='same'"
            return f"padding={value!r} is not a padding mode ('valid' or 'same')", suggestion, []
        return f"padding={value!r} is not accepted", "use padding='valid' or padding='same'", []


def _positional_padding(operation: Any) -> str | None:
    """"4th" when ``padding`` was passed positionally (``Conv3D(8, 3, 3, 3)``), else None."""
    argument = argument_node(operation, "padding")
    if argument is None or argument.keyword is not None:
        return None
    call = construction_call(operation)
    position = list(call.args).index(argument) + 1 if call is not None else 0
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(position, f"{position}th")


def _rank(class_name: str) -> int | None:
    for rank in (1, 2, 3):
        if f"{rank}D" in class_name:
            return rank
    return None


def _argument_value(call: LayerCall) -> Any:
    config = getattr(call.operation, "config", None)
    return config.arguments.get("padding") if config is not None else None


def _amounts(value: Any, rank: int | None) -> tuple | None:
    """Per-axis (before, after) amounts of an explicit padding written several ways."""
    if rank is None:
        return None
    if isinstance(value, int):
        return ((value, value),) * rank
    items = list(value)
    if all(isinstance(item, int) for item in items):
        if len(items) == rank:
            return tuple((item, item) for item in items)
        if len(items) == 2 * rank:
            return tuple((items[2 * i], items[2 * i + 1]) for i in range(rank))
    if len(items) == rank and all(isinstance(item, (tuple, list)) and len(item) == 2 for item in items):
        return tuple(tuple(item) for item in items)
    return None


def _padding_literal(amounts: tuple | None) -> str:
    if amounts is None:
        return "..."
    flat = {value for pair in amounts for value in pair}
    if len(flat) == 1:
        return str(flat.pop())
    if all(before == after for before, after in amounts):
        return repr(tuple(before for before, _ in amounts))
    return repr(amounts)


def _same_equivalent(call: LayerCall, amounts: tuple) -> bool:
    """'same' pads (k-1)/2 on each side for an odd kernel, stride 1, no dilation."""
    config = getattr(call.operation, "config", None)
    if config is None:
        return False
    try:
        kernel = config.tuple("kernel_size", len(amounts))
        strides = config.tuple("strides", len(amounts))
        dilation = config.tuple("dilation_rate", len(amounts))
    except Exception:  # noqa: BLE001 - unknown or invalid: no claim of equivalence
        return False
    return all(
        stride == 1 and rate == 1 and size % 2 == 1 and before == after == (size - 1) // 2
        for (before, after), size, stride, rate in zip(amounts, kernel, strides, dilation)
    )


def _lowercase_edit(call: LayerCall, lower: str, context: RuleContext) -> list[Edit]:
    """The safe fix: rewrite the padding string in lower case, keeping its quotes."""
    site = getattr(call.operation, "site", None)
    while isinstance(site, cst.Call) and isinstance(site.func, cst.Call):
        site = site.func
    if not isinstance(site, cst.Call):
        return []
    for argument in site.args:
        if argument.keyword is not None and argument.keyword.value == "padding" and isinstance(argument.value, cst.SimpleString):
            span = context.span_of(argument.value)
            if span is None:
                return []
            quote = argument.value.quote
            prefix = argument.value.prefix
            return [Edit(span[0], span[1], span[2], span[3], f"{prefix}{quote}{lower}{quote}", safe=True)]
    return []
