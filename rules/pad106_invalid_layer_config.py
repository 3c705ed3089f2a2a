from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from padlint.rules.pad404_unknown_keyword_argument import UnknownKeywordArgument

from padlint.findings import Finding, Severity
from padlint.layers.keywords import ACCEPTED_KEYWORDS
from padlint.layers.base import INVALID_CONFIG, KERAS_ERROR, LayerError, contains_unknown, is_int
from padlint.rule import Rule, RuleContext, describe, reported_inside

#: Arguments that must be positive integers (sizes of weights, windows and steps).
POSITIVE = frozenset(
    ["units", "filters", "kernel_size", "strides", "dilation_rate", "pool_size", "depth_multiplier", "size", "n", "num_heads", "key_dim", "output_dim", "input_dim"]
)


#: Arguments Keras 2 gave a default that Keras 3 requires (code written for Keras 2 omits them).
KERAS2_DEFAULTS = {("AveragePooling", "pool_size"): "2", ("AvgPool", "pool_size"): "2"}


def missing_argument(operation: Any, error: LayerError) -> bool:
    """A construction error that says a required argument was not passed (Python's TypeError)."""
    config = getattr(operation, "config", None)
    if error.kind != KERAS_ERROR or not error.argument or config is None or config.open_kwargs:
        return False
    signature = getattr(getattr(config, "spec", None), "signature", ()) or ()
    if error.argument not in signature or config.is_set(error.argument):
        return False
    # ``Dense(output_dim=128)``: PAD404 renames the Keras 1 keyword, which gives the argument.
    accepted = ACCEPTED_KEYWORDS.get(operation.class_name) or frozenset()
    return not any(
        UnknownKeywordArgument.replacement(name, accepted)[0] == error.argument
        for name in config.arguments
        if name not in accepted and not name.startswith("*")
    )


def argument_value(operation: Any, name: str) -> Any:
    config = getattr(operation, "config", None)
    if config is None:
        return None
    try:
        value = config.raw(name)
    except Exception:  # noqa: BLE001 - an accessor failing means: not known
        return None
    return None if contains_unknown(value) else value


def as_tuple(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def multiples_near(value: int, step: int) -> list[int]:
    """The multiples of ``step`` next below and next above ``value``."""
    below = (value // step) * step
    return [m for m in (below, below + step) if m > 0]


def divisors_of(*numbers: int) -> list[int]:
    """Common divisors (>1) of positive numbers, smallest first."""
    numbers = tuple(number for number in numbers if is_int(number) and number > 0)
    if not numbers or min(numbers) > 10**6:
        return []
    return [value for value in range(2, min(numbers) + 1) if all(number % value == 0 for number in numbers)]


class InvalidLayerConfig(Rule):
    """A layer is constructed (or applied) with arguments Keras rejects.

    ## What it does
    Finds layer arguments that Keras refuses: `strides > 1` together with
    `dilation_rate > 1`, a number of `filters` (or of input channels) that
    `groups` does not divide, a transposed convolution's `output_padding` that
    is not smaller than its `strides`, zero or negative `units`, `filters`,
    `kernel_size`, `pool_size` or `strides`, a required argument left out
    (`Conv2D(kernel_size=3)` without `filters`; `AveragePooling2D()`, whose
    `pool_size` Keras 2 defaulted to 2 and Keras 3 requires), and the like. A layer is reported
    even when it is never applied, because Keras raises as soon as it is
    constructed.

    ## Why is this bad?
    Keras raises a `ValueError` when the layer is created or built, so the
    script stops before training. The message says which argument and values
    are wrong and what Keras accepts.
    """

    code = "PAD106"
    name = "invalid-layer-config"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, strides=2, dilation_rate=2, padding="same"),  # PAD106
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
""",
        """\
from keras import layers, models

# Keras 2 code: AveragePooling2D() had pool_size=(2, 2) by default; Keras 3 requires it.
model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.AveragePooling2D(),  # PAD106
    layers.Flatten(),
    layers.Dense(10),
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Conv2D(30, 3, groups=4, padding="same"),  # PAD106
    layers.Dense(0),  # PAD106
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, dilation_rate=2, padding="same"),
    layers.MaxPooling2D(2),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Conv2D(32, 3, groups=4, padding="same"),
    layers.Dense(1),
])
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        reported: set[tuple[int, str]] = set()
        for model in context.models:
            construction = {}
            for row in model.rows:
                error = row.construction_error
                if error is not None:
                    construction[id(row.operation)] = error
                if error is not None and (error.kind == INVALID_CONFIG or missing_argument(row.operation, error)):
                    key = (id(row.operation), error.message)
                    if key not in reported:
                        reported.add(key)
                        yield self.report(row.operation, row.operation, error, context)
            for call in model.calls:
                error = call.error
                if error is None or error.kind != INVALID_CONFIG:
                    continue
                key = (id(call.operation), error.message)
                if key in reported or reported_inside(call, context):
                    continue
                reported.add(key)
                built = construction.get(id(call.operation)) is error
                yield self.report(call.operation, call.operation if built else call, error, context)

    def report(self, operation: Any, subject: Any, error: LayerError, context: RuleContext) -> Finding | None:
        label = describe(subject, context)
        message, fix = self.explain(operation, error)
        return context.finding(subject, f"{label}: {message}", fix)

    def explain(self, operation: Any, error: LayerError) -> tuple[str, str]:
        argument = error.argument or ""
        text = error.message
        if missing_argument(operation, error):
            message = f"`{argument}` is not given, and it has no default in Keras 3: {operation.class_name}() fails with a TypeError"
            default = KERAS2_DEFAULTS.get((operation.class_name.rstrip("123D"), argument))
            fix = f"pass {argument}= (Keras 2 defaulted it to {default}; Keras 3 does not)" if default else f"pass {argument}="
            return message, fix
        if "dilation_rate > 1" in text:
            strides = argument_value(operation, "strides")
            dilation = argument_value(operation, "dilation_rate")
            message = f"strides={strides!r} together with dilation_rate={dilation!r}: Keras supports strides > 1 or dilation > 1, not both"
            fix = (
                "keep the dilation with strides=1 and downsample with a pooling layer (or a separate strided "
                "convolution) before or after it, or drop the dilation"
            )
            return message, fix
        if argument == "groups":
            return self.groups(operation, text)
        if argument == "output_padding":
            padding = argument_value(operation, "output_padding")
            strides = argument_value(operation, "strides")
            limit = [max(stride - 1, 0) for stride in as_tuple(strides)] if all(is_int(s) for s in as_tuple(strides)) else None
            bound = f" (at most {limit[0] if len(set(limit)) == 1 else tuple(limit)} here)" if limit else ""
            return (
                f"output_padding={padding!r} is not smaller than strides={strides!r}; Keras requires output_padding < strides on every axis",
                f"use an output_padding below the stride{bound}, or leave it out (None) and let Keras infer it",
            )
        value = argument_value(operation, argument) if argument else None
        if argument in POSITIVE and value is not None:
            return (
                f"{argument}={value!r} is not accepted: it must be a positive integer{'s' if isinstance(value, (tuple, list)) else ''}",
                f"give {argument} a value of at least 1",
            )
        if argument == "rate" and value is not None:
            return (
                f"rate={value!r} is outside [0, 1]: rate is the fraction of the inputs that are dropped",
                "use a rate between 0 and 1 (e.g. 0.5 drops half the inputs during training)",
            )
        if argument == "data_format":
            return (text, "use data_format='channels_last' (the default) or 'channels_first'")
        if argument in ("axis", "axes"):
            return (text, f"choose an {argument} within the input's rank (axis=-1 is the last axis)")
        if argument == "target_shape":
            return (text, "use positive sizes with at most one -1 in target_shape")
        if argument == "dims":
            return (text, "list every axis after the batch axis exactly once, counting from 1: e.g. dims=(2, 1)")
        return (text, f"change {argument}= to a value Keras accepts" if argument else "change the layer's arguments to values Keras accepts")

    def groups(self, operation: Any, text: str) -> tuple[str, str]:
        groups = argument_value(operation, "groups")
        filters = argument_value(operation, "filters")
        if "input channels" in text:
            match = re.search(r"has (\d+) channels", text)
            channels = int(match.group(1)) if match else None
            common = divisors_of(channels, filters) if channels else []
            options = ", ".join(f"groups={value}" for value in common[:4])
            return (
                f"groups={groups} does not divide the {channels} input channels: each group must get the same number of channels",
                f"use a groups value that divides both {channels} channels and {filters} filters ({options})"
                if options
                else "use groups=1, or give the layer an input whose channel count groups divides",
            )
        if "must be a positive integer" in text:
            return (f"groups={groups!r} must be a positive integer", "use groups=1 (an ordinary convolution) or a positive divisor of filters")
        options = []
        if is_int(filters) and is_int(groups) and groups > 0:
            options += [f"filters={value}" for value in multiples_near(filters, groups)]
            divisors = [value for value in divisors_of(filters) if value != groups]
            below = [value for value in divisors if value < groups][-1:]
            above = [value for value in divisors if value > groups][:1]
            options += [f"groups={value}" for value in below + above]
        choice = f" ({', '.join(options)})" if options else ""
        return (
            f"filters={filters!r} is not divisible by groups={groups!r}: each group must produce the same number of filters",
            f"make filters a multiple of groups, or groups a divisor of filters{choice}",
        )
