"""Activation layers, and the check of ``activation=`` arguments.

Mirrors keras/src/layers/activations/ (activation.py, elu.py, leaky_relu.py,
prelu.py, relu.py, softmax.py) and keras/src/activations/__init__.py ``get``,
which every layer taking ``activation=`` (Activation, Dense, EinsumDense,
the convolutions, the recurrent layers) runs in ``__init__``:
:func:`validate_activation` is that check, for any family to call.

All these layers return their input shape (``compute_output_shape``); only
PReLU has weights. Keras runs no check on Softmax's ``axis`` or ELU's
``alpha`` when the layer is called on symbolic inputs.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar

from padlint.layers.arguments import (
    is_number,
    is_plain,
    plain,
    python,
    require_argument,
)
from padlint.layers.base import (
    INVALID_CONFIG,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    PassThrough,
    format_shape,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register
from padlint.layers.weights import variable_size

#: ``ALL_OBJECTS_DICT`` of keras/src/activations/__init__.py: the function
#: names plus the aliases ``swish`` and ``hard_swish``. Case-sensitive.
ACTIVATIONS = frozenset(
    {
        "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
        "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
        "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
        "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
    }
)  # fmt: skip


def validate_activation(config: LayerConfig, name: str = "activation") -> None:
    """Mirror of ``keras.activations.get(config[name])``.

    ``None`` is linear; a string must be one of :data:`ACTIVATIONS` exactly
    (``"Relu"`` and ``"leakyrelu"`` raise). A plain constant that is neither
    (a number, a tuple) is not callable, so Keras raises too. Anything else (a
    function, ``keras.activations.relu``, a layer, a dict to deserialise) may
    be callable: padlint does not judge it.
    """
    value = config.get(name)
    if value is None or isinstance(value, dict) or not is_plain(value):
        return
    if isinstance(value, str) and value in ACTIVATIONS:
        return
    suggestions = difflib.get_close_matches(value.lower(), sorted(ACTIVATIONS), n=3) if isinstance(value, str) else []
    hint = f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise LayerError(
        INVALID_CONFIG,
        f"Could not interpret activation function identifier: {value}.{hint}",
        argument=name,
        value=value,
        suggestions=suggestions,
    )


def non_negative(config: LayerConfig, name: str, message: str, *, allow_none: bool) -> None:
    """``value is None or value < 0`` raising ValueError (ReLU, LeakyReLU); non-numbers fail the comparison."""
    value = plain(config, name)
    if value is None:
        if allow_none:
            return
        raise LayerError(INVALID_CONFIG, f"{message} Received: {name}=None", argument=name)
    if python(lambda: value < 0, f"`{name}` must be a number, received {value!r}", argument=name):
        raise LayerError(INVALID_CONFIG, f"{message} Received: {name}={value!r}", argument=name)


@register
class Activation(PassThrough):
    """Applies an activation function, given by name or as a callable."""

    class_name = "Activation"
    signature = ("activation",)
    mirrors = "keras/src/layers/activations/activation.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: require_argument(config, "activation"), lambda: validate_activation(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        result = super().compute(config, inputs)
        result.details["activation"] = config.raw("activation")
        return result


@register
class ELU(PassThrough):
    """Exponential linear unit; ``alpha`` is not checked."""

    class_name = "ELU"
    signature = ("alpha",)
    mirrors = "keras/src/layers/activations/elu.py"


@register
class Softmax(PassThrough):
    """Softmax along ``axis``, which Keras does not check against the input on symbolic calls."""

    class_name = "Softmax"
    signature = ("axis",)
    mirrors = "keras/src/layers/activations/softmax.py"


@register
class LeakyReLU(PassThrough):
    """Leaky ReLU; ``negative_slope`` (Keras 2's ``alpha``, still accepted) must be a number >= 0."""

    class_name = "LeakyReLU"
    signature = ("negative_slope",)
    defaults: ClassVar[dict[str, Any]] = {"negative_slope": 0.3}
    mirrors = "keras/src/layers/activations/leaky_relu.py"

    def validate(self, config: LayerConfig) -> None:
        name = "alpha" if config.is_set("alpha") else "negative_slope"
        message = "The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float."
        run_checks(lambda: non_negative(config, name, message, allow_none=False))


@register
class ReLU(PassThrough):
    """ReLU with optional cap, slope and threshold, each a number >= 0 (``max_value`` may be None)."""

    class_name = "ReLU"
    signature = ("max_value", "negative_slope", "threshold")
    defaults: ClassVar[dict[str, Any]] = {"max_value": None, "negative_slope": 0.0, "threshold": 0.0}
    mirrors = "keras/src/layers/activations/relu.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(
            lambda: non_negative(config, "max_value", "max_value of a ReLU layer cannot be a negative value.", allow_none=True),
            lambda: non_negative(config, "negative_slope", "negative_slope of a ReLU layer cannot be None or a negative value.", allow_none=False),
            lambda: non_negative(config, "threshold", "threshold of a ReLU layer cannot be None or a negative value.", allow_none=False),
        )


@register
class PReLU(LayerSpec):
    """Parametric ReLU: a learned slope per input entry, shared along ``shared_axes``.

    ``build`` makes ``alpha`` of shape ``input_shape[1:]`` and sets
    ``param_shape[i - 1] = 1`` for each shared axis ``i``, with Python's list
    indexing: ``shared_axes=0`` or ``-1`` therefore share a different axis
    than the user may think (``0`` the last one, ``-1`` the one before it).
    """

    class_name = "PReLU"
    signature = ("alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes")
    defaults: ClassVar[dict[str, Any]] = {"shared_axes": None}
    mirrors = "keras/src/layers/activations/prelu.py"

    def shared_axes(self, config: LayerConfig) -> list | None:
        value = plain(config, "shared_axes")
        if value is None:
            return None
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        param_shape: list[Any] = list(shape[1:])
        shared = self.shared_axes(config)
        for axis in shared or ():
            if not is_number(axis) or isinstance(axis, float):
                raise LayerError(INVALID_CONFIG, f"PReLU: list indices must be integers, but `shared_axes` contains {axis!r}", argument="shared_axes")
            if not -len(param_shape) <= axis - 1 < len(param_shape):
                raise LayerError(
                    INVALID_CONFIG,
                    f"PReLU: shared axis {axis} is out of range for an input of rank {len(shape)}: {format_shape(shape)}",
                    argument="shared_axes",
                )
            param_shape[axis - 1] = 1
        size = variable_size(self.class_name, "alpha", param_shape)
        return LayerResult(outputs=[shape], trainable=size, details={"alpha_shape": tuple(param_shape)})

