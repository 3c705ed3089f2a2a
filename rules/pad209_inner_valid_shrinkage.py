"""PAD209, opt-in: the 'valid' shrinkage PAD201 leaves out by default."""

from __future__ import annotations

from typing import ClassVar

from padlint.rules.pad201_valid_padding_shrinkage import ValidPaddingShrinkage

from padlint.findings import Severity


class InnerValidShrinkage(ValidPaddingShrinkage):
    """A single 'valid' convolution shrinks an inner feature map by more than a set share.

    ## What it does
    Reports what PAD201 leaves out by default: a run of one 'valid' convolution,
    after pooling or strides, that loses more than `max-shrinkage` (25%) of a
    spatial dimension: LeNet's 5x5 convolution of the 14x14 map (14 -> 10), a
    3x3 convolution that takes a late 5x5 map to 3x3 before the head. Its
    `max-shrinkage` option is set apart from PAD201's.

    ## Why is this bad?
    It usually is not: deep in a network the map is already abstract and a
    'valid' convolution there is a choice. Select this rule (by its code; `ALL`
    does not) to audit every place where padding, not pooling, shrinks a map,
    for instance before changing a model's input size.
    """

    code = "PAD209"
    name = "inner-valid-shrinkage"
    severity = Severity.WARNING
    default = False
    remainder = True
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(32, 32, 1)),
    layers.Conv2D(6, 5, activation="tanh"),
    layers.AveragePooling2D(2),
    layers.Conv2D(16, 5, activation="tanh"),  # PAD209
    layers.AveragePooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(32, 32, 1)),
    layers.Conv2D(6, 5, activation="tanh"),
    layers.AveragePooling2D(2),
    layers.Conv2D(16, 5, padding="same", activation="tanh"),
    layers.AveragePooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]
