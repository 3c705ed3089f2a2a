"""Pooling layers: Max/Average pooling 1D-3D, their global and adaptive forms.

Mirrors keras/src/layers/pooling/base_pooling.py (padding is *not* lower-cased:
``compute_pooling_output_shape`` in keras/src/ops/operation_utils.py rejects
``'Valid'``), keras/src/layers/pooling/base_global_pooling.py,
keras/src/layers/pooling/base_adaptive_pooling.py, and the per-rank
subclasses (max_pooling2d.py, average_pooling2d.py, adaptive_max_pooling2d.py, ...).
"""

from __future__ import annotations

from typing import Any, ClassVar

from padlint.layers.arguments import require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    KERAS_ERROR,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Unresolved,
    channel_axis,
    check_rank,
    format_shape,
    is_symbolic,
    replace_axes,
    require_known,
    run_checks,
    single_input,
    spatial_axes,
    standardize_tuple,
)
from padlint.layers.registry import register
from padlint.layers.windows import (
    over_axes,
    reject_negative,
    window,
)


class BasePooling(LayerSpec):
    """Shared behaviour of MaxPooling*/AveragePooling*."""

    rank: ClassVar[int]
    signature = ("pool_size", "strides", "padding", "data_format")
    defaults: ClassVar[dict[str, Any]] = {"strides": None, "padding": "valid", "data_format": None}
    mirrors = "keras/src/layers/pooling/base_pooling.py"

    def pool_size(self, config: LayerConfig) -> tuple[int, ...]:
        """MaxPooling*D default ``pool_size`` to 2 per axis; AveragePooling*D require it."""
        require_argument(config, "pool_size")
        return config.tuple("pool_size", self.rank)

    def pool_and_strides(self, config: LayerConfig) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """``strides=None`` means the pool size; Keras lets a stride of 0 through here."""
        pool_size = self.pool_size(config)
        strides = config.get("strides")
        strides = standardize_tuple(config.get("pool_size") if strides is None else strides, self.rank, "strides", allow_zero=True)
        return pool_size, strides

    def padding(self, config: LayerConfig) -> str:
        padding = config.get("padding")
        if padding not in ("valid", "same"):
            raise LayerError(
                INVALID_PADDING,
                f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding!r}",
                argument="padding",
                value=padding,
            )
        return padding

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.pool_and_strides(config), config.data_format, lambda: self.padding(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, ndim=self.rank + 2)
        data_format = config.data_format()
        pool_size, strides = self.pool_and_strides(config)
        padding = self.padding(config)
        if 0 in strides:
            # compute_pooling_output_shape divides by the stride: ZeroDivisionError.
            raise LayerError(INVALID_CONFIG, f"`strides` of a pooling layer must be positive. Received: strides={strides}", argument="strides")
        outputs, windows, explain = over_axes(
            shape,
            spatial_axes(data_format, len(shape)),
            lambda index, axis, size: window(axis, size, pool_size[index], strides[index], 1, padding),
        )
        return LayerResult(
            outputs=[replace_axes(shape, outputs)],
            details={
                "windows": windows,
                "padding": padding,
                "padding_explicit": config.is_set("padding"),
                "data_format": data_format,
                "pool_size": pool_size,
                "strides": strides,
            },
            explain=explain,
        )


class BaseGlobalPooling(LayerSpec):
    """Shared behaviour of GlobalMax/GlobalAveragePooling*."""

    rank: ClassVar[int]
    signature = ("data_format", "keepdims")
    defaults: ClassVar[dict[str, Any]] = {"data_format": None, "keepdims": False}
    mirrors = "keras/src/layers/pooling/base_global_pooling.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(config.data_format)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, ndim=self.rank + 2)
        data_format = config.data_format()
        channels_axis = channel_axis(data_format, len(shape))
        if config.bool("keepdims"):
            output = replace_axes(shape, {axis: 1 for axis in spatial_axes(data_format, len(shape))})
        else:
            output = (shape[0], shape[channels_axis])
        return LayerResult(outputs=[output], details={"data_format": data_format})


class BaseAdaptivePooling(LayerSpec):
    """AdaptiveMax/AdaptiveAveragePooling*: pool to a fixed ``output_size``.

    Keras checks little here: ``data_format`` is neither lower-cased nor
    checked through standardize_data_format, the sizes in ``output_size`` are
    not checked (0 and None pass, a negative size fails only when the output
    tensor is built) and there is no input spec, so an input of the wrong rank
    still gets an output shape (the pooling op would fail when run; rules can
    read ``details["rank_mismatch"]``).
    """

    rank: ClassVar[int]
    signature = ("output_size", "data_format")
    defaults: ClassVar[dict[str, Any]] = {"data_format": None}
    mirrors = "keras/src/layers/pooling/base_adaptive_pooling.py"

    def output_size(self, config: LayerConfig) -> tuple:
        """The per-rank constructors: an int, or a list/tuple of ``rank`` entries."""
        require_argument(config, "output_size")
        value = config.get("output_size")
        if isinstance(value, int):  # bools included, as in Keras
            sizes = (value,) * self.rank
        elif isinstance(value, (tuple, list)) and len(value) == self.rank:
            sizes = tuple(value)
        else:
            raise LayerError(INVALID_CONFIG, f"`output_size` must be an integer or a tuple of {self.rank} integers. Received: {value!r}", argument="output_size")
        for size in sizes:
            if not (size is None or is_symbolic(size) or isinstance(size, int)):
                raise LayerError(KERAS_ERROR, f"Cannot convert output_size={sizes!r} to a shape: invalid dimension {size!r}", argument="output_size")
            reject_negative(size, f"output_size={sizes!r}", argument="output_size")
        return tuple(int(size) if isinstance(size, bool) else size for size in sizes)

    def data_format(self, config: LayerConfig) -> str:
        """``data_format or image_data_format()``, compared as given (case-sensitive)."""
        value = config.get("data_format")
        if not value:
            return config.image_data_format
        if value not in ("channels_first", "channels_last"):
            raise LayerError(INVALID_CONFIG, f"Invalid data_format: {value}. Expected 'channels_first' or 'channels_last'.", argument="data_format")
        return value

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.output_size(config), lambda: self.data_format(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        sizes = self.output_size(config)
        data_format = self.data_format(config)
        if len(shape) < 2:
            # Keras' compute_output_shape indexes the channel axis, which a rank-1 input lacks
            # (an IndexError, not a message of Keras' own): say nothing rather than guess.
            raise Unresolved(f"{format_shape(shape)} has no channel axis for an adaptive pooling")
        if data_format == "channels_last":
            output = (shape[0], *sizes, shape[-1])
        else:
            output = (shape[0], shape[1], *sizes)
        details = {"data_format": data_format, "output_size": sizes, "rank_mismatch": len(shape) != self.rank + 2}
        explain = [] if len(shape) == self.rank + 2 else [f"input {format_shape(shape)} is not of rank {self.rank + 2}; Keras only fails when the layer runs"]
        return LayerResult(outputs=[output], details=details, explain=explain)


def _pooling(name: str, rank: int, base: type, defaults: dict[str, Any] | None = None) -> type:
    namespace: dict[str, Any] = {"class_name": name, "rank": rank, "__doc__": f"Keras {name}."}
    if defaults:
        namespace["defaults"] = {**base.defaults, **defaults}
    return register(type(name, (base,), namespace))


for _rank in (1, 2, 3):
    # keras/src/layers/pooling/max_pooling{1,2,3}d.py default pool_size to 2 per
    # axis; average_pooling{1,2,3}d.py have no default.
    _pooling(f"MaxPooling{_rank}D", _rank, BasePooling, {"pool_size": (2,) * _rank})
    _pooling(f"AveragePooling{_rank}D", _rank, BasePooling)
    _pooling(f"GlobalMaxPooling{_rank}D", _rank, BaseGlobalPooling)
    _pooling(f"GlobalAveragePooling{_rank}D", _rank, BaseGlobalPooling)
    _pooling(f"AdaptiveMaxPooling{_rank}D", _rank, BaseAdaptivePooling)
    _pooling(f"AdaptiveAveragePooling{_rank}D", _rank, BaseAdaptivePooling)
