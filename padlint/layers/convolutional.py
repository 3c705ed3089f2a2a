"""Convolution layers: Conv, ConvTranspose, SeparableConv and DepthwiseConv.

Each family mirrors its Keras base class: ``__init__`` checks, ``build``
weights and ``compute_output_shape``:

- keras/src/layers/convolutional/base_conv.py (Conv1D/2D/3D), output sizes from
  keras/src/ops/operation_utils.py ``compute_conv_output_shape``;
- keras/src/layers/convolutional/base_conv_transpose.py (Conv1D/2D/3DTranspose),
  output sizes from keras/src/backend/common/backend_utils.py
  ``compute_conv_transpose_output_shape``;
- keras/src/layers/convolutional/base_separable_conv.py (SeparableConv1D/2D);
- keras/src/layers/convolutional/base_depthwise_conv.py (DepthwiseConv1D/2D).

What the families share lives in :class:`Convolution`; the subclasses only
add their own checks, per-axis arithmetic, output channels and weights.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from padlint.layers.arguments import require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    KERAS_ERROR,
    RANK_MISMATCH,
    UNDEFINED_SIZE,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    channel_axis,
    check_rank,
    count,
    format_shape,
    is_int,
    is_keras_none,
    replace_axes,
    require_known,
    run_checks,
    single_input,
    spatial_axes,
    standardize_padding,
)
from padlint.layers.registry import register
from padlint.layers.windows import (
    over_axes,
    transposed_window,
    window,
)
from padlint.symbolic import Dim, add, floordiv, format_dim, mul

#: The ``__init__`` parameters without a default, in every convolution that has them.
REQUIRED = ("filters", "kernel_size")
Geometry = tuple  # (kernel_size, strides, dilation_rate), each a tuple of `rank` ints
Check = Callable[[], object]
#: Output size per spatial axis, the per-axis window records rules read, the arithmetic.
Spatial = tuple  # tuple[dict[int, Dim], list[windows.Window | windows.TransposedWindow], list[str]]


class Convolution(LayerSpec):
    """What every Keras convolution shares.

    ``__init__`` standardises ``kernel_size``, ``strides`` and ``dilation_rate``
    to positive tuples, the padding string and ``data_format``; ``build`` reads
    the channel axis (Keras fails with a TypeError when it is ``None``) and the
    output shape needs an input of rank ``rank + 2``.
    """

    rank: ClassVar[int]
    #: keras/src/utils/argument_validation.py ``standardize_padding`` accepts
    #: 'causal' only where the class asks for it (Conv1D alone).
    allows_causal: ClassVar[bool] = False
    defaults: ClassVar[dict[str, Any]] = {"strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1, "use_bias": True}

    # ---------------------------------------------------------- arguments

    def geometry(self, config: LayerConfig) -> Geometry:
        rank = self.rank
        return (
            config.tuple("kernel_size", rank),
            config.tuple("strides", rank),
            config.tuple("dilation_rate", rank),
        )

    def padding(self, config: LayerConfig) -> str | tuple | list:
        """The lower-cased mode; lists and tuples pass ``__init__`` as in Keras."""
        return standardize_padding(config.get("padding"), allow_causal=self.allows_causal)

    def checks(self, config: LayerConfig) -> list[Check]:
        """Keras' ``__init__`` checks, each runnable on its own (see run_checks)."""
        rank = self.rank
        return [
            *(lambda name=name: require_argument(config, name) for name in self.signature if name in REQUIRED),
            lambda: config.tuple("kernel_size", rank),
            lambda: config.tuple("strides", rank),
            lambda: config.tuple("dilation_rate", rank),
            lambda: self.padding(config),
            config.data_format,
        ]

    def validate(self, config: LayerConfig) -> None:
        run_checks(*self.checks(config))

    # ------------------------------------------------------- per subclass

    def spatial(self, config: LayerConfig, shape: tuple, data_format: str, geometry: Geometry, padding) -> Spatial:
        """Per spatial axis (compute_conv_output_shape): output sizes, window records, arithmetic."""
        padding = require_mode(padding)
        kernel, strides, dilation = geometry
        return over_axes(
            shape,
            spatial_axes(data_format, len(shape)),
            lambda index, axis, size: window(axis, size, kernel[index], strides[index], dilation[index], padding),
        )

    def check_channels(self, config: LayerConfig, channels: Dim, shape: tuple) -> None:
        """Checks ``build`` makes on the input channels before creating weights."""

    def output_channels(self, config: LayerConfig, channels: Dim) -> Dim:
        return defined(config, "filters")

    def weights(self, config: LayerConfig, kernel: tuple[int, ...], channels: Dim) -> Dim:
        raise NotImplementedError

    def extra_details(self, config: LayerConfig) -> dict:
        return {}

    # ------------------------------------------------------------ compute

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, min_ndim=self.rank + 2)
        data_format = config.data_format()
        geometry = self.geometry(config)
        padding = self.padding(config)
        check_kernel_rank(self.rank, shape)
        channels = self.input_channels(shape, data_format)
        self.check_channels(config, channels, shape)
        outputs, records, explain = self.spatial(config, shape, data_format, geometry, padding)
        outputs[channel_axis(data_format, len(shape))] = self.output_channels(config, channels)
        kernel, strides, dilation = geometry
        return LayerResult(
            outputs=[replace_axes(shape, outputs)],
            trainable=self.weights(config, kernel, channels),
            details={
                "windows": records,
                "padding": padding,
                "padding_explicit": config.is_set("padding"),
                "data_format": data_format,
                "kernel_size": kernel,
                "strides": strides,
                "dilation_rate": dilation,
                "input_channels": channels,
                **self.extra_details(config),
            },
            explain=explain,
        )

    def input_channels(self, shape: tuple, data_format: str) -> Dim:
        """The channel count the kernel is built from.

        An open axis is ``None`` to Keras, whose ``build`` then fails
        (``None % groups``, ``depth_multiplier * None`` or a kernel shape with
        ``None``). A size padlint does not know (``None`` here, or a symbol
        for a run-time number) is known to Keras: the weights are then unknown
        or a formula.
        """
        channels = shape[channel_axis(data_format, len(shape))]
        if is_keras_none(channels):
            raise LayerError(
                UNDEFINED_SIZE,
                f"{self.class_name} needs a defined channel dimension to build its kernel, but the channel axis of "
                f"input shape {format_shape(shape)} is {format_dim(channels)} (None to Keras).",
                channels=channels,
            )
        return channels


# ------------------------------------------------------------ shared checks


def require_mode(padding) -> str:
    """compute_conv_output_shape rejects the lists and tuples ``__init__`` let through."""
    if isinstance(padding, (tuple, list)):
        raise LayerError(
            INVALID_PADDING,
            f"`padding` must be either `'valid'` or `'same'`. Received {padding!r}.",
            argument="padding",
            value=padding,
        )
    return padding


def check_kernel_rank(rank: int, shape: tuple) -> None:
    """Keras builds a kernel of rank ``rank + 2``; a longer input fails.

    (``compute_conv_output_shape``'s "Kernel shape must have the same length as
    input"; the transposed convolutions fail with an IndexError instead.)
    """
    if len(shape) != rank + 2:
        raise LayerError(
            RANK_MISMATCH,
            f"Kernel shape must have the same length as input, but received kernel of rank {rank + 2} "
            f"and input of shape {format_shape(shape)}.",
            expected=f"ndim={rank + 2}",
            received_rank=len(shape),
        )


def strictly_positive(config: LayerConfig, name: str) -> None:
    """``filters`` / ``depth_multiplier``: ``None`` passes ``__init__``, anything else must be > 0."""
    value = config.get(name)
    if value is not None and (not is_int(value) or value <= 0):
        raise LayerError(
            INVALID_CONFIG,
            f"Invalid value for argument `{name}`. Expected a strictly positive value. Received {name}={value!r}.",
            argument=name,
        )


def defined(config: LayerConfig, name: str) -> int:
    """A size a weight shape needs: ``None`` passes ``__init__`` but not ``build``."""
    value = config.int(name)
    if value is None:
        raise LayerError(
            KERAS_ERROR,
            f"`{name}=None` leaves a weight shape undefined; Keras cannot build the layer.",
            argument=name,
        )
    return value


def strides_without_dilation(config: LayerConfig, rank: int) -> None:
    strides = config.tuple("strides", rank)
    dilation = config.tuple("dilation_rate", rank)
    if max(strides) > 1 and max(dilation) > 1:
        raise LayerError(
            INVALID_CONFIG,
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation}",
            argument="strides",
        )


def with_bias(config: LayerConfig, weights: Dim, size: Dim) -> Dim:
    return add(weights, size) if config.bool("use_bias") else weights


# ------------------------------------------------------------ Conv1D/2D/3D


class BaseConv(Convolution):
    """Conv1D, Conv2D and Conv3D (keras/src/layers/convolutional/base_conv.py)."""

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
    defaults: ClassVar[dict[str, Any]] = {**Convolution.defaults, "groups": 1}
    mirrors = "keras/src/layers/convolutional/base_conv.py"

    def checks(self, config: LayerConfig) -> list[Check]:
        def groups() -> None:
            value = config.int("groups")
            if value is None:
                # Keras compares ``self.groups <= 0`` in __init__.
                raise LayerError(KERAS_ERROR, "TypeError: '<=' not supported between instances of 'NoneType' and 'int' (groups=None)", argument="groups")
            if value <= 0:
                raise LayerError(INVALID_CONFIG, f"The number of groups must be a positive integer. Received: groups={value}.", argument="groups")
            filters = config.get("filters")
            if is_int(filters) and filters % value != 0:
                raise LayerError(
                    INVALID_CONFIG,
                    f"The number of filters must be evenly divisible by the number of groups. Received: groups={value}, filters={filters}.",
                    argument="groups",
                )

        return super().checks(config) + [
            lambda: strictly_positive(config, "filters"),
            groups,
            lambda: strides_without_dilation(config, self.rank),
        ]

    def check_channels(self, config: LayerConfig, channels: Dim, shape: tuple) -> None:
        groups = config.int("groups")
        if is_int(channels) and is_int(groups) and groups > 0 and channels % groups != 0:
            raise LayerError(
                INVALID_CONFIG,
                f"The number of input channels must be evenly divisible by the number of groups. Received groups={groups}, "
                f"but the input has {channels} channels (full input shape is {format_shape(shape)}).",
                argument="groups",
            )

    def weights(self, config: LayerConfig, kernel: tuple[int, ...], channels: Dim) -> Dim:
        filters = defined(config, "filters")
        return with_bias(config, count(*kernel, floordiv(channels, config.int("groups")), filters), filters)

    def extra_details(self, config: LayerConfig) -> dict:
        return {"filters": config.int("filters"), "groups": config.int("groups")}


@register
class Conv1D(BaseConv):
    class_name = "Conv1D"
    rank = 1
    allows_causal = True
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


# --------------------------------------------------- Conv1D/2D/3DTranspose


class BaseConvTranspose(Convolution):
    """Conv1DTranspose, Conv2DTranspose and Conv3DTranspose.

    Mirrors keras/src/layers/convolutional/base_conv_transpose.py; the kernel is
    ``kernel_size + (filters, input_channels)``.
    """

    signature = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "output_padding",
        "data_format",
        "dilation_rate",
        "activation",
        "use_bias",
    )
    defaults: ClassVar[dict[str, Any]] = {**Convolution.defaults, "output_padding": None}
    mirrors = "keras/src/layers/convolutional/base_conv_transpose.py"

    def output_padding(self, config: LayerConfig) -> tuple[int, ...] | None:
        """``None`` or a tuple of values >= 0, each strictly below its stride."""
        value = config.get("output_padding")
        if value is None:
            return None
        output_padding = config.tuple("output_padding", self.rank, allow_zero=True)
        strides = config.tuple("strides", self.rank)
        for index, (extra, stride) in enumerate(zip(output_padding, strides)):
            if extra >= stride:
                raise LayerError(
                    INVALID_CONFIG,
                    "`output_padding` must be strictly less than `strides` for all dimensions. "
                    f"At dimension {index}, `output_padding` is {extra} but `strides` is {stride}. "
                    f"Received: output_padding={output_padding}, strides={strides}",
                    argument="output_padding",
                )
        return output_padding

    def checks(self, config: LayerConfig) -> list[Check]:
        return super().checks(config) + [
            lambda: strictly_positive(config, "filters"),
            lambda: self.output_padding(config),
            lambda: strides_without_dilation(config, self.rank),
        ]

    def spatial(self, config: LayerConfig, shape: tuple, data_format: str, geometry: Geometry, padding) -> Spatial:
        """Per axis ``compute_conv_transpose_output_shape``.

        Keras checks the padding mode only for an axis whose size it knows, so
        list/tuple padding on inputs whose spatial sizes are all ``None`` to
        Keras (unknown or symbolic here) passes ``build`` and leaves them ``None``.
        """
        kernel, strides, dilation = geometry
        output_padding = self.output_padding(config)
        axes = spatial_axes(data_format, len(shape))
        if isinstance(padding, (tuple, list)):
            if any(is_int(shape[axis]) for axis in axes):
                require_mode(padding)
            note = f"padding {padding!r} is neither 'valid' nor 'same'; Keras rejects it only once a spatial size is known"
            return {axis: None for axis in axes}, [], [note]

        def arithmetic(index: int, axis: int, size: Dim) -> tuple:
            extra = None if output_padding is None else output_padding[index]
            return transposed_window(axis, size, kernel[index], strides[index], dilation[index], padding, extra)

        return over_axes(shape, axes, arithmetic)

    def weights(self, config: LayerConfig, kernel: tuple[int, ...], channels: Dim) -> Dim:
        filters = defined(config, "filters")
        return with_bias(config, count(*kernel, filters, channels), filters)

    def extra_details(self, config: LayerConfig) -> dict:
        return {"filters": config.int("filters"), "output_padding": self.output_padding(config), "transposed": True}


@register
class Conv1DTranspose(BaseConvTranspose):
    class_name = "Conv1DTranspose"
    rank = 1
    mirrors = "keras/src/layers/convolutional/conv1d_transpose.py"


@register
class Conv2DTranspose(BaseConvTranspose):
    class_name = "Conv2DTranspose"
    rank = 2
    mirrors = "keras/src/layers/convolutional/conv2d_transpose.py"


@register
class Conv3DTranspose(BaseConvTranspose):
    class_name = "Conv3DTranspose"
    rank = 3
    mirrors = "keras/src/layers/convolutional/conv3d_transpose.py"
    # Unlike Conv1D/2DTranspose, Keras puts data_format before output_padding here.
    signature = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "output_padding",
        "dilation_rate",
        "activation",
        "use_bias",
    )


# ------------------------------------------------------ SeparableConv1D/2D


class BaseSeparableConv(Convolution):
    """SeparableConv1D and SeparableConv2D.

    Mirrors keras/src/layers/convolutional/base_separable_conv.py: a depthwise
    kernel ``kernel_size + (channels, depth_multiplier)``, a pointwise kernel
    ``(1,)*rank + (channels * depth_multiplier, filters)`` and a bias of
    ``filters``. Keras does not reject strides with dilation here, nor groups.
    """

    signature = (
        "filters",
        "kernel_size",
        "strides",
        "padding",
        "data_format",
        "dilation_rate",
        "depth_multiplier",
        "activation",
        "use_bias",
    )
    defaults: ClassVar[dict[str, Any]] = {**Convolution.defaults, "depth_multiplier": 1}
    mirrors = "keras/src/layers/convolutional/base_separable_conv.py"

    def checks(self, config: LayerConfig) -> list[Check]:
        return super().checks(config) + [
            lambda: strictly_positive(config, "depth_multiplier"),
            lambda: strictly_positive(config, "filters"),
        ]

    def weights(self, config: LayerConfig, kernel: tuple[int, ...], channels: Dim) -> Dim:
        multiplier = defined(config, "depth_multiplier")
        filters = defined(config, "filters")
        depthwise = count(*kernel, channels, multiplier)
        pointwise = count(channels, multiplier, filters)
        return with_bias(config, add(depthwise, pointwise), filters)

    def extra_details(self, config: LayerConfig) -> dict:
        return {"filters": config.int("filters"), "depth_multiplier": config.int("depth_multiplier")}


@register
class SeparableConv1D(BaseSeparableConv):
    class_name = "SeparableConv1D"
    rank = 1
    mirrors = "keras/src/layers/convolutional/separable_conv1d.py"


@register
class SeparableConv2D(BaseSeparableConv):
    class_name = "SeparableConv2D"
    rank = 2
    mirrors = "keras/src/layers/convolutional/separable_conv2d.py"


# ------------------------------------------------------ DepthwiseConv1D/2D


class BaseDepthwiseConv(Convolution):
    """DepthwiseConv1D and DepthwiseConv2D.

    Mirrors keras/src/layers/convolutional/base_depthwise_conv.py: each input
    channel gets ``depth_multiplier`` filters, so the output has
    ``channels * depth_multiplier`` channels; kernel
    ``kernel_size + (channels, depth_multiplier)``, bias of the output channels.
    """

    signature = (
        "kernel_size",
        "strides",
        "padding",
        "depth_multiplier",
        "data_format",
        "dilation_rate",
        "activation",
        "use_bias",
    )
    defaults: ClassVar[dict[str, Any]] = {**Convolution.defaults, "depth_multiplier": 1}
    mirrors = "keras/src/layers/convolutional/base_depthwise_conv.py"

    def checks(self, config: LayerConfig) -> list[Check]:
        return super().checks(config) + [lambda: strictly_positive(config, "depth_multiplier")]

    def output_channels(self, config: LayerConfig, channels: Dim) -> Dim:
        return mul(channels, defined(config, "depth_multiplier"))

    def weights(self, config: LayerConfig, kernel: tuple[int, ...], channels: Dim) -> Dim:
        multiplier = defined(config, "depth_multiplier")
        return with_bias(config, count(*kernel, channels, multiplier), mul(channels, multiplier))

    def extra_details(self, config: LayerConfig) -> dict:
        return {"depth_multiplier": config.int("depth_multiplier")}


@register
class DepthwiseConv1D(BaseDepthwiseConv):
    class_name = "DepthwiseConv1D"
    rank = 1
    mirrors = "keras/src/layers/convolutional/depthwise_conv1d.py"


@register
class DepthwiseConv2D(BaseDepthwiseConv):
    class_name = "DepthwiseConv2D"
    rank = 2
    mirrors = "keras/src/layers/convolutional/depthwise_conv2d.py"
