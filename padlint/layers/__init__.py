"""Static models of Keras layers: shapes, parameter counts, and what Keras rejects."""

from padlint.layers.base import (
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Unresolved,
)
from padlint.layers.registry import lookup

__all__ = ["LayerConfig", "LayerError", "LayerResult", "LayerSpec", "Unresolved", "lookup"]
