"""Activation layers.

Mirrors keras/src/layers/activations/ (activation.py, ...).
"""

from __future__ import annotations

from padlint.layers.base import LayerConfig, LayerResult, LayerSpec, single_input
from padlint.layers.registry import register


@register
class Activation(LayerSpec):
    """Applies an activation function; shape preserving."""

    class_name = "Activation"
    signature = ("activation",)
    mirrors = "keras/src/layers/activations/activation.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=[single_input(inputs)], details={"activation": config.raw("activation")})
