"""Convolution layers.

Mirrors keras/src/layers/convolutional/base_conv.py (``__init__`` checks,
``build`` weights, ``compute_output_shape`` via
keras/src/ops/operation_utils.py ``compute_conv_output_shape``) and its
subclasses conv1d.py, conv2d.py, conv3d.py.
"""

from __future__ import annotations

from typing import ClassVar

from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    RANK_MISMATCH,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    channel_axis,
    check_rank,
    count,
    format_shape,
    is_int,
    replace_axes,
    require_known,
    run_checks,
    single_input,
    spatial_axes,
    standardize_padding,
)
from padlint.layers.registry import register
from padlint.layers.windows import window
from padlint.symbolic import add, floordiv


class BaseConv(LayerSpec):
    """Shared behaviour of Conv1D, Conv2D and Conv3D."""

    rank: ClassVar[int]
    signature = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "groups",
        "activation",
        "use_bias",
    )
    defaults = {
        "strides": 1,
        "padding": "valid",
        "data_format": None,
        "dilation_rate": 1,
        "groups": 1,
        "use_bias": True,
    }
    mirrors = "keras/src/layers/convolutional/base_conv.py"

    def padding(self, config: LayerConfig) -> str:
        """The padding mode; lists and tuples fail where Keras fails (at build)."""
        padding = standardize_padding(config.get("padding"), allow_causal=self.rank == 1)
        if isinstance(padding, (tuple, list)):
            raise LayerError(
                INVALID_PADDING,
                f"`padding` must be either `'valid'` or `'same'`. Received {padding!r}.",
                argument="padding",
                value=padding,
            )
        return padding

    def validate(self, config: LayerConfig) -> None:
        rank = self.rank

        def filters() -> None:
            value = config.get("filters")
            if value is not None and (not is_int(value) or value <= 0):
                raise LayerError(
                    INVALID_CONFIG,
                    f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={value!r}.",
                    argument="filters",
                )

        def groups() -> None:
            value = config.int("groups")
            if value <= 0:
                raise LayerError(INVALID_CONFIG, f"The number of groups must be a positive integer. Received: groups={value}.", argument="groups")
            filters_value = config.get("filters")
            if is_int(filters_value) and filters_value % value != 0:
                raise LayerError(
                    INVALID_CONFIG,
                    f"The number of filters must be evenly divisible by the number of groups. Received: groups={value}, filters={filters_value}.",
                    argument="groups",
                )

        def strides_and_dilation() -> None:
            strides = config.tuple("strides", rank)
            dilation = config.tuple("dilation_rate", rank)
            if max(strides) > 1 and max(dilation) > 1:
                raise LayerError(
                    INVALID_CONFIG,
                    "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                    f"Received: strides={strides} and dilation_rate={dilation}",
                    argument="strides",
                )

        run_checks(
            lambda: config.tuple("kernel_size", rank),
            lambda: config.tuple("strides", rank),
            lambda: config.tuple("dilation_rate", rank),
            lambda: self.padding(config),
            config.data_format,
            filters,
            groups,
            strides_and_dilation,
        )

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        rank = self.rank
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, min_ndim=rank + 2)
        data_format = config.data_format()
        kernel = config.tuple("kernel_size", rank)
        strides = config.tuple("strides", rank)
        dilation = config.tuple("dilation_rate", rank)
        padding = self.padding(config)
        filters = config.int("filters")
        groups = config.int("groups")
        if len(shape) != rank + 2:
            raise LayerError(
                RANK_MISMATCH,
                f"Kernel shape must have the same length as input, but received kernel of rank {rank + 2} and input of shape {format_shape(shape)}.",
                expected=f"ndim={rank + 2}",
                received_rank=len(shape),
            )
        in_channels = shape[channel_axis(data_format, len(shape))]
        if is_int(in_channels) and in_channels % groups != 0:
            raise LayerError(
                INVALID_CONFIG,
                f"The number of input channels must be evenly divisible by the number of groups. Received groups={groups}, but the input has {in_channels} channels.",
                argument="groups",
            )
        windows = []
        explain = []
        outputs = {}
        for index, axis in enumerate(spatial_axes(data_format, len(shape))):
            win, text = window(axis, shape[axis], kernel[index], strides[index], dilation[index], padding)
            windows.append(win)
            explain.append(text)
            outputs[axis] = win.output
        outputs[channel_axis(data_format, len(shape))] = filters
        weights = None
        if in_channels is not None:
            weights = count(*kernel, floordiv(in_channels, groups), filters)
            if config.bool("use_bias"):
                weights = add(weights, filters)
        return LayerResult(
            outputs=[replace_axes(shape, outputs)],
            trainable=weights,
            details={
                "windows": windows,
                "padding": padding,
                "padding_explicit": config.is_set("padding"),
                "data_format": data_format,
                "kernel_size": kernel,
                "strides": strides,
                "dilation_rate": dilation,
                "filters": filters,
            },
            explain=explain,
        )


@register
class Conv1D(BaseConv):
    class_name = "Conv1D"
    rank = 1
    mirrors = "keras/src/layers/convolutional/conv1d.py"


@register
class Conv2D(BaseConv):
    class_name = "Conv2D"
    rank = 2
    mirrors = "keras/src/layers/convolutional/conv2d.py"


@register
class Conv3D(BaseConv):
    class_name = "Conv3D"
    rank = 3
    mirrors = "keras/src/layers/convolutional/conv3d.py"
