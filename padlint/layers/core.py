"""Core layers: InputLayer and Dense.

Mirrors keras/src/layers/core/input_layer.py and keras/src/layers/core/dense.py.
"""

from __future__ import annotations

from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    check_rank,
    is_int,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register
from padlint.symbolic import Sym, add, mul


def standardize_shape(value, name: str = "shape") -> tuple:
    """Mirror of keras/src/backend/common/variables.py ``standardize_shape``.

    Symbolic dimensions (padlint's stand-in for ``None``) are accepted.
    """
    if not isinstance(value, (tuple, list)):
        if is_int(value):
            return (value,)
        raise LayerError(KERAS_ERROR, f"Cannot convert '{value!r}' to a shape.", argument=name)
    shape = []
    for dim in value:
        if dim is None or isinstance(dim, Sym):
            shape.append(dim)
        elif is_int(dim) and dim >= 0:
            shape.append(dim)
        else:
            raise LayerError(KERAS_ERROR, f"Cannot convert '{tuple(value)!r}' to a shape. Found invalid dimension '{dim!r}'.", argument=name)
    return tuple(shape)


@register
class InputLayer(LayerSpec):
    """``keras.Input(shape=...)`` / ``InputLayer(...)``: the model's entry tensor."""

    class_name = "InputLayer"
    signature = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "input_tensor", "optional", "name")
    defaults = {"shape": None, "batch_size": None, "batch_shape": None}
    mirrors = "keras/src/layers/core/input_layer.py"

    def batch_shape(self, config: LayerConfig) -> tuple:
        shape = config.get("shape")
        if shape is None and config.is_set("input_shape"):
            shape = config.get("input_shape")
        batch_shape = config.get("batch_shape")
        if batch_shape is None and config.is_set("batch_input_shape"):
            batch_shape = config.get("batch_input_shape")
        batch_size = config.get("batch_size")
        if shape is not None and batch_shape is not None:
            raise LayerError(KERAS_ERROR, "You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise LayerError(KERAS_ERROR, "You cannot pass both `batch_size` and `batch_shape` at the same time.")
        if shape is None and batch_shape is None:
            raise LayerError(KERAS_ERROR, "You must pass a `shape` argument.")
        if shape is not None:
            return (batch_size,) + standardize_shape(shape)
        return standardize_shape(batch_shape, "batch_shape")

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.batch_shape(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=[self.batch_shape(config)])


@register
class Dense(LayerSpec):
    """Fully connected layer acting on the last axis."""

    class_name = "Dense"
    signature = ("units", "activation", "use_bias")
    defaults = {"activation": None, "use_bias": True}
    mirrors = "keras/src/layers/core/dense.py"

    def validate(self, config: LayerConfig) -> None:
        def units() -> None:
            value = config.get("units")
            if not is_int(value) or value <= 0:
                raise LayerError(
                    INVALID_CONFIG,
                    f"Received an invalid value for `units`, expected a positive integer. Received: units={value!r}",
                    argument="units",
                )

        run_checks(units)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, min_ndim=2)
        units = config.int("units")
        output = shape[:-1] + (units,)
        input_dim = shape[-1]
        if input_dim is None:
            return LayerResult(outputs=[output], trainable=None)
        weights = mul(input_dim, units)
        if config.bool("use_bias"):
            weights = add(weights, units)
        return LayerResult(
            outputs=[output],
            trainable=weights,
            details={"units": units, "input_dim": input_dim},
            explain=[f"kernel {input_dim} x {units}" + (f" + bias {units}" if config.bool("use_bias") else "")],
        )
