"""Reshaping layers.

Mirrors keras/src/layers/reshaping/ (flatten.py, ...).
"""

from __future__ import annotations

from padlint.layers.base import LayerConfig, LayerResult, LayerSpec, require_known, single_input
from padlint.layers.registry import register
from padlint.symbolic import product


@register
class Flatten(LayerSpec):
    """Collapses every non-batch axis into one."""

    class_name = "Flatten"
    signature = ("data_format",)
    defaults = {"data_format": None}
    mirrors = "keras/src/layers/reshaping/flatten.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        config.data_format()
        rest = shape[1:]
        if not rest:
            flat = 1
        elif any(dim is None for dim in rest):
            flat = None
        else:
            flat = product(rest)
        explain = [" * ".join(str(dim) for dim in rest) + f" = {flat}"] if rest else []
        return LayerResult(outputs=[(shape[0], flat)], explain=explain)
