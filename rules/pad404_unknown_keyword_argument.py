from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from padlint.findings import Edit, Finding, Severity
from padlint.layers.keywords import ACCEPTED_KEYWORDS
from padlint.rule import Rule, RuleContext, argument_node, describe, unique_layers

#: Keras 1/2 keyword names and what Keras 3 calls them. The renames marked True keep
#: the value's meaning, so renaming the keyword is a safe fix.
LEGACY_KEYWORDS: dict[str, tuple[str, bool]] = {
    "border_mode": ("padding", True),
    "subsample": ("strides", True),
    "subsample_length": ("strides", True),
    "nb_filter": ("filters", True),
    "filter_length": ("kernel_size", True),
    "nb_row": ("kernel_size", False),
    "nb_col": ("kernel_size", False),
    "atrous_rate": ("dilation_rate", True),
    "init": ("kernel_initializer", True),
    "W_regularizer": ("kernel_regularizer", True),
    "b_regularizer": ("bias_regularizer", True),
    "W_constraint": ("kernel_constraint", True),
    "b_constraint": ("bias_constraint", True),
    "bias": ("use_bias", True),
    "dim_ordering": ("data_format", False),
    "output_dim": ("units", True),
    "pool_length": ("pool_size", True),
    "stride": ("strides", True),
    "inner_init": ("recurrent_initializer", True),
    "inner_activation": ("recurrent_activation", True),
    "U_regularizer": ("recurrent_regularizer", True),
    "dropout_W": ("dropout", True),
    "dropout_U": ("recurrent_dropout", True),
    "beta_init": ("beta_initializer", True),
    "gamma_init": ("gamma_initializer", True),
    "p": ("rate", True),
    "sigma": ("stddev", True),
    "batch_input_shape": ("input_shape", False),
}


class UnknownKeywordArgument(Rule):
    """A layer gets a keyword argument Keras 3 does not accept (a Keras 1 name or a typo).

    ## What it does
    Checks every keyword passed to a Keras layer against the arguments that
    layer class accepts in Keras 3, and names the right one: Keras 1's
    `border_mode`, `subsample`, `nb_filter`, `init`, `W_regularizer`,
    `dim_ordering`, `output_dim`... and misspellings such as `kernal_size`.

    ## Why is this bad?
    Keras 3 raises "Unrecognized keyword arguments passed to Conv2D" when the
    layer is created. Tutorials and answers written for Keras 1 are full of the
    old names, and a misspelt argument would otherwise silently keep its
    default.
    """

    code = "PAD404"
    name = "unknown-keyword-argument"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D

model = Sequential()
model.add(Conv2D(32, (3, 3), border_mode="same", input_shape=(32, 32, 3)))  # PAD404
model.add(MaxPooling2D(pool_size=(2, 2)))
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, 3, activaton="relu")(inputs)  # PAD404
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D

model = Sequential()
model.add(Conv2D(32, (3, 3), padding="same", input_shape=(32, 32, 3)))
model.add(MaxPooling2D(pool_size=(2, 2)))
""",
        """\
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, kernel_size=3, activation="relu")(inputs)
x = layers.Dense(10, name="logits", trainable=False, dtype="float32")(x)
model = keras.Model(inputs, x)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for row in unique_layers(context):
            operation = row.operation
            accepted = ACCEPTED_KEYWORDS.get(operation.class_name)
            if accepted is None:
                continue
            unknown = [name for name in operation.config.arguments if name not in accepted and not name.startswith("*")]
            if unknown:
                yield self.report(operation, unknown, accepted, context)

    def report(self, operation: Any, unknown: list[str], accepted: frozenset[str], context: RuleContext) -> Finding | None:
        hints, edits = [], []
        for name in unknown:
            replacement, safe = self.replacement(name, accepted)
            if replacement is None:
                hints.append(f"`{name}` does not exist")
                continue
            old = "Keras 1/2" if name in LEGACY_KEYWORDS else "misspelt"
            hints.append(f"`{name}` ({old}) is `{replacement}`")
            edit = self.rename(operation, name, replacement, safe, context)
            if edit is not None:
                edits.append(edit)
        listed = ", ".join(f"{name}=" for name in unknown)
        message = (
            f"{describe(operation, context)}: Keras 3 rejects {listed} "
            f"(\"Unrecognized keyword arguments passed to {operation.class_name}\")"
        )
        fix = "; ".join(hints)
        if any(name == "batch_input_shape" for name in unknown):
            fix += "; for a fixed batch size use keras.Input(batch_shape=...) as the first layer"
        return context.finding(operation, message, fix, edits=edits)

    @staticmethod
    def replacement(name: str, accepted: frozenset[str]) -> tuple[str | None, bool]:
        if name in LEGACY_KEYWORDS:
            new, safe = LEGACY_KEYWORDS[name]
            if new in accepted:
                return new, safe
        close = difflib.get_close_matches(name, sorted(accepted), n=1, cutoff=0.75)
        return (close[0], False) if close else (None, False)

    @staticmethod
    def rename(operation: Any, name: str, replacement: str, safe: bool, context: RuleContext) -> Edit | None:
        argument = argument_node(operation, name)
        if argument is None or not isinstance(argument.keyword, cst.Name):
            return None
        span = context.span_of(argument.keyword)
        if span is None:
            return None
        return Edit(span[0], span[1], span[2], span[3], replacement, safe=safe)
