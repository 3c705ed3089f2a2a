"""Pooling layers: Max/Average pooling 1D-3D and their global forms.

Mirrors keras/src/layers/pooling/base_pooling.py (padding is *not* lower-cased:
``compute_pooling_output_shape`` in keras/src/ops/operation_utils.py rejects
``'Valid'``), keras/src/layers/pooling/base_global_pooling.py, and the
per-rank subclasses (max_pooling2d.py, average_pooling2d.py, ...).
"""

from __future__ import annotations

from typing import ClassVar

from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    channel_axis,
    check_rank,
    replace_axes,
    require_known,
    run_checks,
    single_input,
    spatial_axes,
    standardize_tuple,
)
from padlint.layers.registry import register
from padlint.layers.windows import window


class BasePooling(LayerSpec):
    """Shared behaviour of MaxPooling*/AveragePooling*."""

    rank: ClassVar[int]
    signature = ("pool_size", "strides", "padding", "data_format")
    mirrors = "keras/src/layers/pooling/base_pooling.py"

    @property
    def defaults(self) -> dict:  # type: ignore[override]
        return {"pool_size": (2,) * self.rank, "strides": None, "padding": "valid", "data_format": None}

    def pool_and_strides(self, config: LayerConfig) -> tuple[tuple[int, ...], tuple[int, ...]]:
        pool_size = config.tuple("pool_size", self.rank)
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
            raise LayerError(INVALID_CONFIG, f"`strides` of a pooling layer must be positive. Received: strides={strides}", argument="strides")
        windows, explain, outputs = [], [], {}
        for index, axis in enumerate(spatial_axes(data_format, len(shape))):
            win, text = window(axis, shape[axis], pool_size[index], strides[index], 1, padding)
            windows.append(win)
            explain.append(text)
            outputs[axis] = win.output
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
    defaults = {"data_format": None, "keepdims": False}
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


def _pooling(name: str, rank: int, base: type) -> type:
    spec = type(name, (base,), {"class_name": name, "rank": rank, "__doc__": f"Keras {name}."})
    return register(spec)


for _rank in (1, 2, 3):
    _pooling(f"MaxPooling{_rank}D", _rank, BasePooling)
    _pooling(f"AveragePooling{_rank}D", _rank, BasePooling)
    _pooling(f"GlobalMaxPooling{_rank}D", _rank, BaseGlobalPooling)
    _pooling(f"GlobalAveragePooling{_rank}D", _rank, BaseGlobalPooling)
