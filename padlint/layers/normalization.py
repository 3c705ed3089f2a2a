"""Normalization layers.

Mirrors keras/src/layers/normalization/: batch_normalization.py,
layer_normalization.py, group_normalization.py, unit_normalization.py and
rms_normalization.py.

All of them return their input shape; their ``compute_output_shape`` only
checks that every ``axis`` lies within the input's rank. The weights come
from ``build``, which indexes the input shape with ``axis`` (Python's
indexing: an out-of-range axis is an IndexError, a float a TypeError) and
creates one weight per statistic over the normalised axes, so a size Keras
sees as ``None`` (padlint: symbolic) cannot be built.
"""

from __future__ import annotations

from typing import Any, ClassVar

from padlint.layers.arguments import plain, python
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    UNDEFINED_SIZE,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Unresolved,
    format_shape,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register
from padlint.layers.weights import dim_at, total, variable_size
from padlint.symbolic import Dim, Sym

#: Keras' TypeError for an ``axis`` that is neither an int nor a list/tuple.
LAYER_NORM_AXIS = "Expected an int or a list/tuple of ints for the argument 'axis'."
UNIT_NORM_AXIS = "Invalid value for `axis` argument: expected an int or a list/tuple of ints."
#: The initializer/regularizer/constraint arguments Layer- and GroupNormalization take after their own.
GAMMA_BETA = ("beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint")


def int_or_axes(config: LayerConfig, message: str) -> int | list:
    """``axis`` of LayerNormalization / UnitNormalization: an int (bools are ints) or a list/tuple."""
    axis = plain(config, "axis")
    if isinstance(axis, (list, tuple)):
        return list(axis)
    if isinstance(axis, int):
        return axis
    raise LayerError(INVALID_CONFIG, f"{message} Received: axis={axis!r}", argument="axis")


def built_axes(config: LayerConfig, owner: str, shape: tuple) -> tuple[list, tuple]:
    """The ``build`` of LayerNormalization and RMSNormalization: sorted axes and the sizes they index.

    A list is sorted (Python's comparison: mixed types fail) and may repeat
    an axis, which repeats its size in the weight shape. Indexing rejects what
    ``compute_output_shape``'s bounds check would, so that check adds nothing.
    """
    axis = plain(config, "axis")
    if isinstance(axis, (list, tuple)):
        axes = python(lambda: sorted(axis), f"{owner}: cannot sort axis={axis!r}", argument="axis")
    else:
        axes = [axis]
    return axes, tuple(dim_at(shape, item, owner) for item in axes)


def check_bounds(owner: str, axes: list, shape: tuple) -> None:
    """``compute_output_shape``: each axis within ``[-rank, rank)`` (compared, so floats pass)."""
    rank = len(shape)
    for axis in axes:
        if python(lambda axis=axis: axis >= rank or axis < -rank, f"{owner}: cannot compare axis {axis!r} with the rank", argument="axis"):
            raise LayerError(
                INVALID_CONFIG,
                f"Axis {axis!r} is out of bounds for input shape {format_shape(shape)}. Received: axis={axes!r}",
                argument="axis",
            )


def statistics(owner: str, dims: tuple, trainable: dict[str, bool], frozen: tuple[str, ...] = ()) -> tuple[Dim, Dim]:
    """(trainable, non-trainable) sizes of weights of one shape: named trainable ones if enabled, then frozen ones."""
    learned = total(variable_size(owner, name, dims) for name, enabled in trainable.items() if enabled)
    fixed = total(variable_size(owner, name, dims) for name in frozen)
    return learned, fixed


def normalised(shape: tuple, sizes: tuple, learned: Dim, fixed: Dim, **details: Any) -> LayerResult:
    return LayerResult(outputs=[shape], trainable=learned, non_trainable=fixed, details={"normalized_sizes": sizes, **details})


# --------------------------------------------------------- BatchNormalization


@register
class BatchNormalization(LayerSpec):
    """Normalises over every axis but ``axis`` (the channels, -1 by default; 1 for channels_first).

    ``gamma`` and ``beta`` are trainable, ``moving_mean`` and
    ``moving_variance`` are not; ``renorm=True`` adds three more non-trainable
    statistics. ``axis`` is converted with ``int()``, so ``"1"`` and ``1.7``
    are accepted (as 1). ``synchronized=True`` fails only off TensorFlow, a
    backend choice padlint does not see.
    """

    class_name = "BatchNormalization"
    signature = ("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                 "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
                 "beta_constraint", "gamma_constraint", "renorm", "renorm_clipping", "renorm_momentum", "synchronized")
    defaults: ClassVar[dict[str, Any]] = {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
                                          "renorm": False, "renorm_clipping": None}
    mirrors = "keras/src/layers/normalization/batch_normalization.py"

    def axis(self, config: LayerConfig) -> int:
        value = plain(config, "axis")
        return python(lambda: int(value), f"`axis` must convert to an int, received {value!r}", argument="axis")

    def renorm_clipping(self, config: LayerConfig) -> None:
        """The checks on ``renorm_clipping``, made only when ``renorm`` is set."""
        if not plain(config, "renorm"):
            return
        clipping = plain(config, "renorm_clipping") or {}
        keys = ("rmax", "rmin", "dmax")
        if not isinstance(clipping, dict) or set(clipping) - set(keys):
            raise LayerError(INVALID_CONFIG, f"Received invalid keys for `renorm_clipping` argument: {clipping!r}. Supported values: {list(keys)}.", argument="renorm_clipping")
        rmax, rmin, dmax = (clipping.get(key) for key in keys)
        if rmax is not None and rmin is not None and python(lambda: rmax < rmin, "renorm_clipping", argument="renorm_clipping"):
            raise LayerError(INVALID_CONFIG, f"rmax should be greater than rmin in the `renorm_clipping` argument. Received: rmax={rmax}, rmin={rmin}.", argument="renorm_clipping")
        if dmax is not None and python(lambda: dmax < 0, "renorm_clipping", argument="renorm_clipping"):
            raise LayerError(INVALID_CONFIG, f"dmax should be non-negative in the `renorm_clipping` argument. Received: dmax={dmax}.", argument="renorm_clipping")

    def validate(self, config: LayerConfig) -> None:
        def as_float(name: str) -> None:
            value = plain(config, name)
            python(lambda: float(value), f"`{name}` must convert to a float, received {value!r}", argument=name)

        run_checks(lambda: self.axis(config), lambda: as_float("momentum"), lambda: as_float("epsilon"), lambda: self.renorm_clipping(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        axis = self.axis(config)
        size = dim_at(shape, axis, self.class_name)
        frozen = ("moving_mean", "moving_variance")
        if plain(config, "renorm"):
            frozen += ("moving_stddev", "renorm_mean", "renorm_stddev")
        learned, fixed = statistics(self.class_name, (size,), {"gamma": config.bool("scale"), "beta": config.bool("center")}, frozen)
        return normalised(shape, (size,), learned, fixed, axis=axis)


# ---------------------------------------------------------- LayerNormalization


@register
class LayerNormalization(LayerSpec):
    """Normalises over ``axis`` (an int or a list); ``gamma`` and ``beta`` span the sizes of those axes.

    The deprecated ``rms_scaling=True`` (a keyword argument) keeps ``gamma`` and drops ``beta``.
    """

    class_name = "LayerNormalization"
    signature = ("axis", "epsilon", "center", "scale", *GAMMA_BETA)
    defaults: ClassVar[dict[str, Any]] = {"axis": -1, "center": True, "scale": True, "rms_scaling": False}
    mirrors = "keras/src/layers/normalization/layer_normalization.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: int_or_axes(config, LAYER_NORM_AXIS))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        int_or_axes(config, LAYER_NORM_AXIS)
        axes, sizes = built_axes(config, self.class_name, shape)
        rms = bool(plain(config, "rms_scaling"))
        weights = {"gamma": config.bool("scale") or rms, "beta": config.bool("center") and not rms}
        learned, fixed = statistics(self.class_name, sizes, weights)
        return normalised(shape, sizes, learned, fixed, axis=axes)


# ------------------------------------------------------------ RMSNormalization


@register
class RMSNormalization(LayerSpec):
    """Root-mean-square normalisation over ``axis``, with one trainable ``scale`` of those sizes."""

    class_name = "RMSNormalization"
    signature = ("axis", "epsilon")
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}
    mirrors = "keras/src/layers/normalization/rms_normalization.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        axes, sizes = built_axes(config, self.class_name, shape)
        learned, fixed = statistics(self.class_name, sizes, {"scale": True})
        return normalised(shape, sizes, learned, fixed, axis=axes)


# ----------------------------------------------------------- UnitNormalization


@register
class UnitNormalization(LayerSpec):
    """Scales to unit L2 norm along ``axis``; no weights."""

    class_name = "UnitNormalization"
    signature = ("axis",)
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}
    mirrors = "keras/src/layers/normalization/unit_normalization.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: int_or_axes(config, UNIT_NORM_AXIS))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        axis = int_or_axes(config, UNIT_NORM_AXIS)
        check_bounds(self.class_name, axis if isinstance(axis, list) else [axis], shape)
        return LayerResult(outputs=[shape])


# ---------------------------------------------------------- GroupNormalization


@register
class GroupNormalization(LayerSpec):
    """Normalises within ``groups`` groups of the channels on ``axis``.

    ``groups`` must be a positive int or -1 (one group per channel); ``build``
    needs a defined channel size that ``groups`` divides.
    """

    class_name = "GroupNormalization"
    signature = ("groups", "axis", "epsilon", "center", "scale", *GAMMA_BETA)
    defaults: ClassVar[dict[str, Any]] = {"groups": 32, "axis": -1, "center": True, "scale": True}
    mirrors = "keras/src/layers/normalization/group_normalization.py"

    def groups(self, config: LayerConfig) -> int:
        value = plain(config, "groups")
        if not isinstance(value, int) or (value <= 0 and value != -1):
            raise LayerError(
                INVALID_CONFIG,
                f"Received an invalid value for argument `groups`, expected a positive integer (or `-1` for instance normalization). Received: groups={value!r}",
                argument="groups",
            )
        return int(value)

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.groups(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        axis = plain(config, "axis")
        channels = self.channels(shape, dim_at(shape, axis, self.class_name))
        groups = self.groups(config)
        groups = channels if groups == -1 else groups
        if channels < groups:
            raise LayerError(INVALID_CONFIG, f"Number of groups ({groups}) cannot be more than the number of channels ({channels}).", argument="groups", groups=groups, channels=channels)
        if python(lambda: channels % groups, "GroupNormalization", argument="groups", kind=KERAS_ERROR) != 0:
            raise LayerError(
                INVALID_CONFIG,
                f"Number of groups ({groups}) must be a multiple of the number of channels ({channels}).",
                argument="groups",
                groups=groups,
                channels=channels,
            )
        learned, fixed = statistics(self.class_name, (channels,), {"gamma": config.bool("scale"), "beta": config.bool("center")})
        return normalised(shape, (channels,), learned, fixed, axis=axis, groups=groups)

    def channels(self, shape: tuple, size: Dim) -> int:
        """``build`` raises on a channel size Keras does not know; padlint may just not know it."""
        if size is None:
            raise Unresolved("the channel size GroupNormalization divides into groups")
        if isinstance(size, Sym) and not size.is_keras_none():
            raise Unresolved("the run-time channel size GroupNormalization divides into groups")
        if isinstance(size, Sym):
            raise LayerError(
                UNDEFINED_SIZE,
                f"Axis of input tensor should have a defined dimension but the layer received an input with shape "
                f"{format_shape(shape)} ({size} is None to Keras).",
            )
        return size

