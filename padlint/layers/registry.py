"""The table from Keras layer class names (and their Keras 1/2 aliases) to specs.

Each layer family module registers its specs with :func:`register`; the alias
table below maps the older names Keras still exports, or exported in Keras 1
and 2, to the Keras 3 class whose behaviour they have. ``model.summary()``
prints the Keras 3 class name, so aliases resolve to the canonical spec.
"""

from __future__ import annotations

import importlib
from typing import TypeVar

from padlint.layers.base import LayerSpec

#: Family modules under padlint.layers, imported on first lookup.
FAMILIES = (
    "core",
    "convolutional",
    "pooling",
    "normalization",
    "merging",
    "reshaping",
    "regularization",
    "activations",
    "recurrent",
    "attention",
    "preprocessing",
)

#: Keras 1/2 names and Keras 3 convenience aliases -> Keras 3 class name.
ALIASES: dict[str, str] = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "Deconvolution2D": "Conv2DTranspose",
    "Deconvolution3D": "Conv3DTranspose",
    "Deconv2D": "Conv2DTranspose",
    "Deconv3D": "Conv3DTranspose",
    "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalMaxPool3D": "GlobalMaxPooling3D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D",
}

_SPECS: dict[str, LayerSpec] = {}
_loaded = False

SpecClass = TypeVar("SpecClass", bound=type)


def register(spec_class: SpecClass) -> SpecClass:
    """Class decorator: instantiate a LayerSpec and enter it under its class name."""
    instance = spec_class()
    if instance.class_name in _SPECS:
        raise RuntimeError(f"layer spec {instance.class_name} registered twice")
    _SPECS[instance.class_name] = instance
    return spec_class


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for family in FAMILIES:
        importlib.import_module(f"padlint.layers.{family}")


def lookup(name: str) -> LayerSpec | None:
    """The spec for a Keras layer class name or alias, or None if padlint does not know it."""
    _load()
    return _SPECS.get(ALIASES.get(name, name))


def known_names() -> list[str]:
    """Every class name and alias padlint resolves (for star imports)."""
    _load()
    return sorted(set(_SPECS) | {alias for alias, target in ALIASES.items() if target in _SPECS})


def all_specs() -> dict[str, LayerSpec]:
    _load()
    return dict(_SPECS)


