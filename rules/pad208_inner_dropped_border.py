"""PAD208, opt-in: the dropped borders PAD203 takes for harmless."""

from __future__ import annotations

from typing import ClassVar

from padlint.rules.pad203_dropped_border import DroppedBorder

from padlint.findings import Severity


class InnerDroppedBorder(DroppedBorder):
    """A window leaves the last row or column of an inner feature map unread.

    ## What it does
    Reports what PAD203 leaves out by default: a 'valid' convolution or pooling,
    after the input has been pooled or strided, whose window and stride leave
    the last rows (or columns, or steps) of the map unread, losing less than
    `min-share` (15%) of it, with no sign of a mistake elsewhere (the input
    size fits the first layers, no forgotten padding made the size odd): the
    2x2 pooling of the 11x11 map in the Keras MNIST convnet, 15 -> 7 in a
    small-data convnet, 119 -> 59 in a 1D CNN over 250 samples. Its
    `min-share` option is set apart from PAD203's.

    ## Why is this bad?
    Rarely: deep in a network one row of an abstract map carries little, and
    the architecture was designed that way. Select this rule (by its code; `ALL`
    does not) to see every place where data goes unread, for instance to pick
    an input size that tiles every stage.
    """

    code = "PAD208"
    name = "inner-dropped-border"
    severity = Severity.WARNING
    default = False
    remainder = True
    INVALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),  # PAD208
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu", padding="same"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu", padding="same"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
    ]
