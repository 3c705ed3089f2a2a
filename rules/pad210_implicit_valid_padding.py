"""PAD210, opt-in: the omitted paddings PAD202 takes for deliberate."""

from __future__ import annotations

from typing import ClassVar

from padlint.rules.pad202_inconsistent_padding import InconsistentPadding

from padlint.findings import Severity


class ImplicitValidPadding(InconsistentPadding):
    """A convolution relies on Keras' default 'valid' among 'same' ones where that looks deliberate.

    ## What it does
    Reports the convolutions PAD202 leaves out by default: they omit `padding`
    in a model whose other convolutions of the same rank pass `padding='same'`,
    but the context says the shrinking is meant: a stem no 'same' convolution
    precedes, a model whose output has its input's size again, or a pattern
    that every stage repeats at its own lines. The message says which. Its
    `min-same` option is set apart from PAD202's.

    ## Why is this bad?
    It works as written; but an implicit 'valid' next to explicit 'same' reads
    like a forgotten argument, and the next person to change the model may
    "fix" it. Select this rule (by its code; `ALL` does not) to find every such
    place and state `padding='valid'` where it is meant.
    """

    code = "PAD210"
    name = "implicit-valid-padding"
    severity = Severity.WARNING
    default = False
    remainder = True
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(180, 180, 3)),
    layers.Conv2D(32, 5, activation="relu"),  # PAD210
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5),
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(180, 180, 3)),
    layers.Conv2D(32, 5, padding="valid", activation="relu"),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5),
])
""",
    ]
