"""Regularization layers: the dropouts, Gaussian noise and ActivityRegularization.

Mirrors keras/src/layers/regularization/: dropout.py, spatial_dropout.py,
gaussian_dropout.py, gaussian_noise.py, alpha_dropout.py and
activity_regularization.py.

None has weights and all return their input shape; what differs is the
``__init__`` checks (a rate in ``[0, 1]``, ``noise_shape``, ``data_format``)
and the input rank SpatialDropout1D/2D/3D demand. The family is a table:
each class lists the checks it makes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

from padlint.layers.arguments import plain, python, require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    check_rank,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register

Check = Callable[[LayerConfig], object]


def unit_interval(name: str) -> Check:
    """``if not 0 <= value <= 1: raise ValueError`` (rates, GaussianNoise's stddev).

    NaN fails it; a non-number fails the comparison itself (TypeError).
    """

    def check(config: LayerConfig) -> None:
        require_argument(config, name)
        value = plain(config, name)
        if not python(lambda: 0 <= value <= 1, f"`{name}` must be a number, received {value!r}", argument=name):
            raise LayerError(
                INVALID_CONFIG,
                f"Invalid value received for argument `{name}`. Expected a float value between 0 and 1. Received: {name}={value!r}",
                argument=name,
                value=value,
            )

    return check


def noise_shape(config: LayerConfig) -> None:
    """Dropout's ``_validate_noise_shape``: an iterable (not a string) of ints > 0 or None.

    Only its entries are checked, not its length against the input: the
    noise shape is used when training.
    """
    value = plain(config, "noise_shape")
    if value is None:
        return
    message = "Invalid value received for argument `noise_shape`."
    if isinstance(value, str):
        raise LayerError(INVALID_CONFIG, f"{message} Expected a tuple or list of integers. Received: noise_shape={value}", argument="noise_shape")
    entries = python(lambda: tuple(value), f"{message} Expected an iterable of integers (e.g., a tuple or list)", argument="noise_shape")
    for index, dim in enumerate(entries):
        if dim is not None and not isinstance(dim, int):
            raise LayerError(INVALID_CONFIG, f"{message} Expected all elements to be integers or None. Received element at index {index}: {dim!r}", argument="noise_shape")
        if dim is not None and dim <= 0:
            raise LayerError(INVALID_CONFIG, f"{message} Expected all dimensions to be positive integers or None. Received value at index {index}: {dim}", argument="noise_shape")


def penalty(name: str) -> Check:
    """keras/src/regularizers/regularizers.py ``validate_float_arg`` (``L1L2``): a finite number >= 0; None is 0."""

    def check(config: LayerConfig) -> None:
        value = plain(config, name)
        value = 0.0 if value is None else value
        finite = isinstance(value, (int, float)) and python(lambda: math.isfinite(value), f"`{name}`", argument=name)
        if not finite or value < 0:
            raise LayerError(INVALID_CONFIG, f"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value!r}", argument=name)

    return check


def only_parameters(config: LayerConfig) -> None:
    """SpatialDropout's ``__init__`` has no ``**kwargs``: any other argument is a TypeError.

    (Even ``trainable=False``, which every other layer accepts.)
    """
    spec = config.spec
    if config.open_kwargs:
        return
    if config.is_set("*args"):
        raise LayerError(KERAS_ERROR, f"{spec.class_name}() takes at most {len(spec.signature)} arguments by position", argument="*args")
    extra = [name for name in config.arguments if name not in spec.signature]
    if extra:
        raise LayerError(KERAS_ERROR, f"{spec.class_name}() does not accept the keyword `{extra[0]}`", argument=extra[0])


class Regularization(LayerSpec):
    """A shape-preserving layer without weights whose ``__init__`` makes ``checks``."""

    checks: ClassVar[tuple[Check, ...]] = ()
    #: The input rank the layer's InputSpec demands, if any.
    ndim: ClassVar[int | None] = None

    def validate(self, config: LayerConfig) -> None:
        run_checks(*(lambda check=check: check(config) for check in self.checks))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = single_input(inputs)
        if self.ndim is not None:
            check_rank(self.class_name, require_known(shape), ndim=self.ndim)
        return LayerResult(outputs=[shape])


@register
class Dropout(Regularization):
    class_name = "Dropout"
    signature = ("rate", "noise_shape", "seed")
    defaults: ClassVar[dict[str, Any]] = {"noise_shape": None}
    checks = (unit_interval("rate"), noise_shape)
    mirrors = "keras/src/layers/regularization/dropout.py"


@register
class AlphaDropout(Regularization):
    """Unlike Dropout, ``noise_shape`` is not checked."""

    class_name = "AlphaDropout"
    signature = ("rate", "noise_shape", "seed")
    checks = (unit_interval("rate"),)
    mirrors = "keras/src/layers/regularization/alpha_dropout.py"


@register
class GaussianDropout(Regularization):
    class_name = "GaussianDropout"
    signature = ("rate", "seed")
    checks = (unit_interval("rate"),)
    mirrors = "keras/src/layers/regularization/gaussian_dropout.py"


@register
class GaussianNoise(Regularization):
    """``stddev`` must lie in [0, 1], like a rate (Keras' check, whatever the data's scale)."""

    class_name = "GaussianNoise"
    signature = ("stddev", "seed")
    checks = (unit_interval("stddev"),)
    mirrors = "keras/src/layers/regularization/gaussian_noise.py"


@register
class ActivityRegularization(Regularization):
    class_name = "ActivityRegularization"
    signature = ("l1", "l2")
    defaults: ClassVar[dict[str, Any]] = {"l1": 0.0, "l2": 0.0}
    checks = (penalty("l1"), penalty("l2"))
    mirrors = "keras/src/layers/regularization/activity_regularization.py"


@register
class SpatialDropout1D(Regularization):
    """Drops whole channels of ``(batch, steps, channels)``."""

    class_name = "SpatialDropout1D"
    signature = ("rate", "seed", "name", "dtype")
    checks = (only_parameters, unit_interval("rate"))
    ndim = 3
    mirrors = "keras/src/layers/regularization/spatial_dropout.py"


@register
class SpatialDropout2D(Regularization):
    class_name = "SpatialDropout2D"
    signature = ("rate", "data_format", "seed", "name", "dtype")
    defaults: ClassVar[dict[str, Any]] = {"data_format": None}
    checks = (only_parameters, unit_interval("rate"), LayerConfig.data_format)
    ndim = 4
    mirrors = "keras/src/layers/regularization/spatial_dropout.py"


@register
class SpatialDropout3D(Regularization):
    class_name = "SpatialDropout3D"
    signature = ("rate", "data_format", "seed", "name", "dtype")
    defaults: ClassVar[dict[str, Any]] = {"data_format": None}
    checks = (only_parameters, unit_interval("rate"), LayerConfig.data_format)
    ndim = 5
    mirrors = "keras/src/layers/regularization/spatial_dropout.py"

