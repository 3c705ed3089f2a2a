"""Which Keras layers are built as soon as they are constructed.

Keras marks a layer built on its first call (keras/src/layers/layer.py
``_maybe_build``), except the classes whose ``__init__`` calls
``self._build_at_init()`` or sets ``self.built = True``: they have no weights to
make. It shows in a subclassed model's summary (keras/src/utils/summary_utils.py
``format_layer_shape``): Keras records the input shape of a build only when
``build`` runs, so a sublayer built at construction prints "?" as its output
shape even after the model was called, and never "0 (unbuilt)".

tests/layers/test_building.py checks this table against Keras' own source.
"""

from __future__ import annotations

BUILT_AT_INIT: frozenset[str] = frozenset(
    [
        "Activation",
        "ActivityRegularization",
        "AlphaDropout",
        "AveragePooling1D",
        "AveragePooling2D",
        "AveragePooling3D",
        "Dropout",
        "ELU",
        "GaussianDropout",
        "GaussianNoise",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
        "GlobalMaxPooling1D",
        "GlobalMaxPooling2D",
        "GlobalMaxPooling3D",
        "Identity",
        "InputLayer",
        "LeakyReLU",
        "Masking",
        "MaxPooling1D",
        "MaxPooling2D",
        "MaxPooling3D",
        "ReLU",
        "Reshape",
        "Softmax",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "UnitNormalization",
    ]
)


def built_at_init(class_name: str) -> bool:
    """Whether a Keras layer of this (canonical) class is built once constructed."""
    return class_name in BUILT_AT_INIT
