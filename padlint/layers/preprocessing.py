"""Preprocessing layers users put in models: Rescaling, Normalization, the image layers,
and the text and lookup layers (TextVectorization, StringLookup, IntegerLookup).

Mirrors keras/src/layers/preprocessing/rescaling.py, normalization.py,
keras/src/layers/preprocessing/image_preprocessing/ (base_image_preprocessing_layer.py
and one file per layer, named in each spec's ``mirrors``), index_lookup.py,
string_lookup.py, integer_lookup.py and text_vectorization.py.

The image layers share ``BaseImagePreprocessingLayer.__init__``: it
standardises ``data_format`` and, when the class sets ``_USE_BASE_FACTOR``,
checks the ``factor`` that reaches it against ``_FACTOR_BOUNDS`` (a class
without it rejects any ``factor`` keyword argument it passes on). Each class
then makes its own checks, listed in a table of small check functions.

Their ``compute_output_shape`` is the input shape, except for Resizing,
CenterCrop and RandomCrop, which write ``height`` and ``width`` into it
(unchecked until the result becomes a KerasTensor). None of these layers has
weights but Normalization, whose ``mean``, ``variance`` and ``count`` are
non-trainable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from padlint.evaluation.values import Unknown
from padlint.layers.arguments import is_number, plain, python, require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    RANK_MISMATCH,
    UNDEFINED_SIZE,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    PassThrough,
    Unresolved,
    format_shape,
    is_keras_none,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register
from padlint.layers.weights import dim_at, standardize_dims, total, variable_size
from padlint.symbolic import Dim, Sym, product

Check = Callable[[LayerConfig], object]
Bounds = tuple  # (low, high)

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


# -------------------------------------------------------------------- checks


def invalid(name: str, message: str, value: Any) -> LayerError:
    return LayerError(INVALID_CONFIG, f"{message} Received: {name}={value!r}", argument=name, value=value)


def set_factor(value: Any, bounds: Bounds, name: str = "factor") -> None:
    """``BaseImagePreprocessingLayer._set_factor``: a number within ``bounds``, or a pair.

    A pair is only checked at its ends (``factor[0] <= high`` and
    ``factor[1] >= low``), so ``(-5, 0.5)`` passes for bounds ``(-1, 1)``.
    """
    low, high = bounds
    message = f"The `{name}` argument should be a number (or a list of two numbers) in the range [{low}, {high}]."
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or python(lambda: value[0] > high or value[1] < low, message, argument=name):
            raise invalid(name, message, value)
        python(lambda: sorted(value), message, argument=name)
    elif isinstance(value, (int, float)):
        if python(lambda: value < low or value > high, message, argument=name):
            raise invalid(name, message, value)
    else:
        raise invalid(name, message, value)


def factor(name: str, bounds: Bounds) -> Check:
    """A class calling ``self._set_factor(factor)`` itself (no ``or 0.0``: None is rejected)."""

    def check(config: LayerConfig) -> None:
        set_factor(plain(config, name), bounds, name)

    return check


def axis_factor(name: str, low: float, high: float, *, low_open: bool = False, optional: bool = False) -> Check:
    """RandomZoom / RandomTranslation / RandomShear / Solarization ``_set_factor``: each end in range.

    RandomZoom's range is ``(-1, 1]`` (``low_open``); the others' are closed.
    """

    def in_range(value: Any) -> None:
        below = python(lambda: value <= low if low_open else value < low, f"`{name}`", argument=name)
        if below or python(lambda: value > high, f"`{name}`", argument=name):
            bracket = "(" if low_open else "["
            raise invalid(name, f"The `{name}` argument should be a number (or a list of two numbers) in the range {bracket}{low}, {high}].", value)

    def check(config: LayerConfig) -> None:
        value = plain(config, name)
        if value is None and optional:
            return
        if isinstance(value, (tuple, list)) and len(value) == 2:
            in_range(value[0])
            in_range(value[1])
            python(lambda: sorted(value), f"`{name}`", argument=name)
        elif isinstance(value, (int, float)):
            in_range(value)
        else:
            raise invalid(name, f"The `{name}` argument should be a number (or a list of two numbers).", value)

    return check


def value_range(config: LayerConfig) -> None:
    """``_set_value_range``: a list or tuple of two (then sorted)."""
    value = plain(config, "value_range")
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise invalid("value_range", "The `value_range` argument should be a list of two numbers.", value)
    python(lambda: sorted(value), "`value_range`", argument="value_range")


def one_of(name: str, allowed: tuple[str, ...]) -> Check:
    """``if value not in SUPPORTED: raise NotImplementedError`` (fill_mode, interpolation); case-sensitive."""

    def check(config: LayerConfig) -> None:
        value = plain(config, name)
        if value not in allowed:
            raise invalid(name, f"Unknown `{name}` {value!r}. Expected one of {allowed}.", value)

    return check


def within(name: str, low: float, high: float) -> Check:
    """``if value < low or value > high: raise ValueError`` (RandomGrayscale's factor, RandomPerspective's scale)."""

    def check(config: LayerConfig) -> None:
        value = plain(config, name)
        if python(lambda: value < low or value > high, f"`{name}` must be a number", argument=name):
            raise invalid(name, f"`{name}` should be between {low} and {high}.", value)

    return check


def odd_kernel(config: LayerConfig) -> None:
    """RandomGaussianBlur ``_set_kernel_size``: a number or a pair, each odd (``% 2 != 0``)."""
    value = plain(config, "kernel_size")
    message = "kernel_size must be an odd number."
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise invalid("kernel_size", "The `kernel_size` argument should be a number (or a list of two numbers).", value)
        even = python(lambda: value[0] % 2 == 0 or value[1] % 2 == 0, message, argument="kernel_size")
    elif isinstance(value, (int, float)):
        even = value % 2 == 0
    else:
        even = True
    if even:
        raise invalid("kernel_size", message, value)


# ------------------------------------------------------------- output shapes


def height_width(config: LayerConfig) -> tuple[Any, Any]:
    return plain(config, "height"), plain(config, "width")


def assign(owner: str, shape: tuple, values: dict[int, Any]) -> tuple:
    """``input_shape[axis] = value`` for each (possibly negative) axis; a missing axis is Python's IndexError."""
    for axis in values:
        if not -len(shape) <= axis < len(shape):
            raise LayerError(
                RANK_MISMATCH,
                f"{owner} cannot set axis {axis} of input shape {format_shape(shape)}: list assignment index out of range",
                received_rank=len(shape),
            )
    result = list(shape)
    for axis, value in values.items():
        result[axis] = value
    return standardize_dims(result, owner)


def resized(owner: str, config: LayerConfig, shape: tuple) -> tuple:
    """Resizing / CenterCrop ``compute_output_shape``.

    Rank 4 is a batch of images; any other rank is taken for one image, so a
    rank-3 input ``(batch, rows, cols)`` gets its *batch* axis replaced.
    """
    height, width = height_width(config)
    first = 1 if len(shape) == 4 else 0
    if config.data_format() == "channels_first":
        first += 1
    return assign(owner, shape, {first: height, first + 1: width})


def cropped(owner: str, config: LayerConfig, shape: tuple) -> tuple:
    """RandomCrop ``compute_output_shape``: height and width at axes -3, -2 (channels_first: -2, -1), any rank."""
    height, width = height_width(config)
    last = -1 if config.data_format() == "channels_first" else -2
    return assign(owner, shape, {last - 1: height, last: width})


def image_rank(owner: str, shape: tuple) -> None:
    if len(shape) not in (3, 4):
        raise LayerError(
            RANK_MISMATCH,
            f"{owner} expects images of rank 3 (single image) or 4 (batch of images). Received: input_shape={format_shape(shape)}",
            expected="ndim=3 or ndim=4",
            received_rank=len(shape),
        )


def center_cropped(owner: str, config: LayerConfig, shape: tuple) -> tuple:
    image_rank(owner, shape)
    return resized(owner, config, shape)


def three_channels(owner: str, config: LayerConfig, shape: tuple) -> tuple:
    """RandomColorDegeneration: rank 3 or 4, and 3 channels when Keras knows the channel count."""
    image_rank(owner, shape)
    channels = shape[-1 if config.data_format() == "channels_last" else -3]
    if channels is None:
        raise Unresolved("the channel count RandomColorDegeneration requires to be 3")
    if not isinstance(channels, Sym) and channels != 3:
        raise LayerError(KERAS_ERROR, f"Input images must have 3 channels, but received images with {channels} channels.", channels=channels)
    return shape


Output = Callable[[str, LayerConfig, tuple], tuple]


# ------------------------------------------------------------- image layers


class ImagePreprocessing(LayerSpec):
    """A subclass of ``BaseImagePreprocessingLayer``: shared ``__init__`` checks, then the class's own."""

    #: ``_USE_BASE_FACTOR``: the base checks the ``factor`` it receives (None counts as 0).
    use_base_factor: ClassVar[bool] = True
    #: ``_FACTOR_BOUNDS``.
    bounds: ClassVar[Bounds] = (-1, 1)
    #: The class passes its own ``factor`` parameter on to the base (else the base gets None).
    passes_factor: ClassVar[bool] = False
    #: ``__init__`` parameters without a default.
    required: ClassVar[tuple[str, ...]] = ()
    checks: ClassVar[tuple[Check, ...]] = ()
    #: ``compute_output_shape`` when it is not the input shape.
    output: ClassVar[Output | None] = None

    def base_factor(self, config: LayerConfig) -> None:
        own = "factor" in self.signature
        value = plain(config, "factor") if (not own or self.passes_factor) and config.is_set("factor") else None
        if self.use_base_factor:
            set_factor(value or 0.0, self.bounds)
        elif value is not None:
            raise invalid("factor", f"Layer {self.class_name} does not take a `factor` argument.", value)

    def validate(self, config: LayerConfig) -> None:
        run_checks(
            *(lambda name=name: require_argument(config, name) for name in self.required),
            config.data_format,
            lambda: self.base_factor(config),
            *(lambda check=check: check(config) for check in self.checks),
        )

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = single_input(inputs)
        if self.output is None:
            return LayerResult(outputs=[shape])
        output = self.output(self.class_name, config, require_known(shape))
        return LayerResult(outputs=[output], details={"data_format": config.data_format()})


def image_layer(
    name: str,
    signature: tuple[str, ...],
    defaults: dict[str, Any],
    *checks: Check,
    required: tuple[str, ...] = (),
    use_base_factor: bool = False,
    bounds: Bounds = (-1, 1),
    passes_factor: bool = False,
    output: Output | None = None,
    module: str,
    doc: str = "",
) -> type[ImagePreprocessing]:
    """Declare and register the spec of one image preprocessing layer."""
    spec = type(
        name,
        (ImagePreprocessing,),
        {
            "__doc__": doc or f"Keras' {name}; output shape {'computed' if output else 'unchanged'}.",
            "class_name": name,
            "signature": signature,
            "defaults": {"data_format": None, **defaults},
            "checks": checks,
            "required": required,
            "use_base_factor": use_base_factor,
            "bounds": bounds,
            "passes_factor": passes_factor,
            "output": staticmethod(output) if output else None,
            "mirrors": f"keras/src/layers/preprocessing/image_preprocessing/{module}.py",
        },
    )
    return register(spec)


AFFINE = (one_of("fill_mode", FILL_MODES), one_of("interpolation", INTERPOLATIONS))

image_layer("RandomFlip", ("mode", "seed", "data_format"), {}, module="random_flip",
            doc="Flips images; ``mode`` is not checked.")
image_layer("RandomRotation", ("factor", "fill_mode", "interpolation", "seed", "fill_value", "data_format"),
            {"fill_mode": "reflect", "interpolation": "bilinear"}, *AFFINE, required=("factor",),
            use_base_factor=True, passes_factor=True, module="random_rotation")
image_layer("RandomZoom", ("height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value", "data_format"),
            {"width_factor": None, "fill_mode": "reflect", "interpolation": "bilinear"},
            axis_factor("height_factor", -1.0, 1.0, low_open=True),
            axis_factor("width_factor", -1.0, 1.0, low_open=True, optional=True), *AFFINE,
            required=("height_factor",), module="random_zoom")
image_layer("RandomTranslation", ("height_factor", "width_factor", "fill_mode", "interpolation", "seed", "fill_value", "data_format"),
            {"fill_mode": "reflect", "interpolation": "bilinear"},
            axis_factor("height_factor", -1.0, 1.0), axis_factor("width_factor", -1.0, 1.0), *AFFINE,
            required=("height_factor", "width_factor"), module="random_translation")
image_layer("RandomShear", ("x_factor", "y_factor", "interpolation", "fill_mode", "fill_value", "data_format", "seed"),
            {"x_factor": 0.0, "y_factor": 0.0, "fill_mode": "reflect", "interpolation": "bilinear"},
            axis_factor("x_factor", 0.0, 1.0), axis_factor("y_factor", 0.0, 1.0), *AFFINE, module="random_shear")
image_layer("RandomPerspective", ("factor", "scale", "interpolation", "fill_value", "seed", "data_format"),
            {"factor": 1.0, "scale": 1.0, "interpolation": "bilinear"},
            factor("factor", (0, 1)), within("scale", 0.0, 1.0), one_of("interpolation", INTERPOLATIONS),
            module="random_perspective")
image_layer("RandomCrop", ("height", "width", "seed", "data_format", "name"), {}, required=("height", "width"),
            use_base_factor=True, output=cropped, module="random_crop",
            doc="Crops to ``height x width`` at axes -3, -2 (channels_first: -2, -1), whatever the rank.")
image_layer("Resizing", ("height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode",
                         "fill_value", "antialias", "data_format"), {}, required=("height", "width"), output=resized,
            module="resizing", doc="Resizes to ``height x width``; nothing is checked before the output shape.")
image_layer("CenterCrop", ("height", "width", "data_format"), {}, required=("height", "width"), output=center_cropped,
            module="center_crop", doc="Crops the centre to ``height x width``, on images of rank 3 or 4 only.")
image_layer("RandomContrast", ("factor", "value_range", "seed"), {}, factor("factor", (0, 1)), required=("factor",),
            use_base_factor=True, bounds=(0, 1), module="random_contrast")
image_layer("RandomBrightness", ("factor", "value_range", "seed"), {"value_range": (0, 255)}, value_range,
            required=("factor",), use_base_factor=True, passes_factor=True, module="random_brightness")
image_layer("RandomGrayscale", ("factor", "data_format", "seed"), {"factor": 0.5}, within("factor", 0, 1),
            use_base_factor=True, module="random_grayscale")
image_layer("RandomHue", ("factor", "value_range", "data_format", "seed"), {}, factor("factor", (0, 1)),
            required=("factor",), use_base_factor=True, bounds=(0, 1), module="random_hue")
image_layer("RandomSaturation", ("factor", "value_range", "data_format", "seed"), {"value_range": (0, 255)},
            factor("factor", (-1, 1)), value_range, required=("factor",), use_base_factor=True, module="random_saturation")
image_layer("RandomSharpness", ("factor", "value_range", "data_format", "seed"), {"value_range": (0, 255)},
            factor("factor", (0, 1)), value_range, required=("factor",), bounds=(0, 1), module="random_sharpness")
image_layer("RandomInvert", ("factor", "value_range", "seed", "data_format"), {"factor": 1.0},
            factor("factor", (0, 1)), bounds=(0, 1), module="random_invert")
image_layer("RandomColorDegeneration", ("factor", "value_range", "data_format", "seed"), {"value_range": (0, 255)},
            factor("factor", (-1, 1)), value_range, required=("factor",), use_base_factor=True, output=three_channels,
            module="random_color_degeneration", doc="Blends towards grayscale; images of rank 3 or 4 with 3 channels.")
image_layer("RandomPosterization", ("factor", "value_range", "data_format", "seed"), {"value_range": (0, 255)},
            factor("factor", (1, 8)), value_range, required=("factor",), bounds=(1, 8), module="random_posterization")
image_layer("RandomGaussianBlur", ("factor", "kernel_size", "sigma", "value_range", "data_format", "seed"),
            {"factor": 1.0, "kernel_size": 3, "sigma": 1.0}, factor("factor", (0, 1)), odd_kernel,
            factor("sigma", (0, 1)), bounds=(0, 1), module="random_gaussian_blur")
image_layer("Solarization", ("addition_factor", "threshold_factor", "value_range", "seed"),
            {"addition_factor": 0.0, "threshold_factor": 0.0, "value_range": (0, 255)},
            axis_factor("addition_factor", 0.0, 1.0), axis_factor("threshold_factor", 0.0, 1.0), value_range,
            module="solarization")
image_layer("RandomErasing", ("factor", "scale", "fill_value", "value_range", "seed", "data_format"),
            {"factor": 1.0, "scale": (0.02, 0.33)}, factor("factor", (0, 1)), factor("scale", (0, 1)), bounds=(0, 1),
            module="random_erasing")
image_layer("RandomElasticTransform", ("factor", "scale", "interpolation", "fill_mode", "fill_value", "value_range", "seed",
                                       "data_format"),
            {"factor": 1.0, "scale": 1.0, "interpolation": "bilinear", "fill_mode": "reflect"},
            factor("factor", (0, 1)), factor("scale", (0, 1)), one_of("interpolation", INTERPOLATIONS),
            one_of("fill_mode", ("constant", "nearest", "wrap", "mirror", "reflect")), bounds=(0, 1),
            module="random_elastic_transform")
image_layer("CutMix", ("factor", "seed", "data_format"), {"factor": 1.0}, factor("factor", (0, 1)), bounds=(0, 1),
            module="cut_mix")
image_layer("MixUp", ("alpha", "data_format", "seed"), {}, use_base_factor=True, module="mix_up",
            doc="Mixes images of a batch; ``alpha`` is not checked.")
image_layer("AutoContrast", ("value_range",), {"value_range": (0, 255)}, value_range, module="auto_contrast")
image_layer("Equalization", ("value_range", "bins", "data_format"), {"value_range": (0, 255)}, value_range,
            use_base_factor=True, module="equalization")


# ------------------------------------------------------------------ Rescaling


@register
class Rescaling(PassThrough):
    """``inputs * scale + offset``; nothing is checked, any rank."""

    class_name = "Rescaling"
    signature = ("scale", "offset")
    mirrors = "keras/src/layers/preprocessing/rescaling.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: require_argument(config, "scale"))


# -------------------------------------------------------------- Normalization


def array_shape(value: Any, name: str) -> tuple:
    """``np.shape`` of a nested list of numbers; ragged nesting or non-numbers fail in Keras."""
    if isinstance(value, (list, tuple)):
        shapes = {array_shape(item, name) for item in value}
        if len(shapes) > 1:
            raise LayerError(INVALID_CONFIG, f"`{name}` is a ragged nested sequence: {value!r}", argument=name)
        return (len(value), *(shapes.pop() if shapes else ()))
    if not is_number(value):
        raise LayerError(INVALID_CONFIG, f"`{name}` must hold numbers, received {value!r}", argument=name)
    return ()


@register
class Normalization(LayerSpec):
    """Standardises with a per-feature mean and variance along the kept ``axis``.

    Without ``mean``/``variance`` it creates non-trainable ``mean`` and
    ``variance`` of the kept axes' sizes and a scalar ``count``; with them it
    creates no weight but checks they broadcast to the kept axes. The kept
    axes must have known sizes, and an axis given twice makes ``build``
    fail unless its size is 1 (``finalize_state`` reshapes a ``(C, C)`` mean
    to the ``C``-entry broadcast shape).
    """

    class_name = "Normalization"
    signature = ("axis", "mean", "variance", "invert")
    defaults: ClassVar[dict[str, Any]] = {"axis": -1, "mean": None, "variance": None}
    mirrors = "keras/src/layers/preprocessing/normalization.py"

    def axes(self, config: LayerConfig) -> tuple:
        axis = plain(config, "axis")
        if axis is None:
            return ()
        if isinstance(axis, int):
            return (axis,)
        return python(lambda: tuple(axis), "`axis` must be None, an int or an iterable", argument="axis")

    def statistics(self, config: LayerConfig) -> tuple | None:
        """``__init__``'s checks on ``mean`` and ``variance``; the shape of ``mean`` if given."""
        mean, variance = plain(config, "mean"), plain(config, "variance")
        if (mean is None) != (variance is None):
            raise LayerError(INVALID_CONFIG, f"When setting values directly, both `mean` and `variance` must be set. Received: mean={mean!r} and variance={variance!r}", argument="mean")
        if mean is None:
            return None
        mean_shape, variance_shape = array_shape(mean, "mean"), array_shape(variance, "variance")
        if mean_shape != variance_shape:
            raise LayerError(INVALID_CONFIG, f"When setting values directly, `mean` and `variance` must have the same shape. Received: mean shape {mean_shape} and variance shape {variance_shape}", argument="mean")
        axes = self.axes(config)
        if len(mean_shape) > len(axes):
            raise LayerError(INVALID_CONFIG, f"The rank of `mean` must be less than or equal to the number of axes ({len(axes)}). Received: mean shape {mean_shape} for axis {axes}", argument="mean")
        return mean_shape

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.axes(config), lambda: self.statistics(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        axes, mean_shape = self.axes(config), self.statistics(config)
        ndim = len(shape)
        if python(lambda: any(axis < -ndim or axis >= ndim for axis in axes), "`axis`", argument="axis"):
            raise LayerError(INVALID_CONFIG, f"All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim={ndim}, while axis={axes}", argument="axis")
        keep = python(lambda: tuple(sorted(axis if axis >= 0 else axis + ndim for axis in axes)), "`axis`", argument="axis")
        sizes = tuple(self.kept_size(shape, axis, axes) for axis in keep)
        broadcast = [shape[axis] if axis in keep else 1 for axis in range(ndim)]
        if mean_shape is not None:
            self.check_broadcast(mean_shape, keep, broadcast)
            return LayerResult(outputs=[shape], details={"kept_axes": keep})
        if product(sizes) != product(broadcast):
            raise LayerError(
                KERAS_ERROR,
                f"Normalization keeps axis {keep}: its statistics of shape {sizes} cannot be reshaped to the broadcast shape {tuple(broadcast)}.",
                argument="axis",
            )
        statistics = total(variable_size(self.class_name, name, sizes) for name in ("mean", "variance"))
        return LayerResult(outputs=[shape], non_trainable=total((statistics, 1)), details={"kept_axes": keep})

    def kept_size(self, shape: tuple, axis: int, axes: tuple) -> Dim:
        size = dim_at(shape, axis, self.class_name)
        if size is None:
            raise Unresolved(f"the size of kept axis {axis}")
        if is_keras_none(size):
            raise LayerError(
                UNDEFINED_SIZE,
                f"All `axis` values to be kept must have a known shape. Received axis={axes}, inputs.shape={format_shape(shape)}, "
                f"with unknown axis at index {axis} ({size} is None to Keras)",
                argument="axis",
            )
        return size

    @staticmethod
    def check_broadcast(mean_shape: tuple, keep: tuple, broadcast: list) -> None:
        """``build`` with ``mean`` given: reshape it onto the kept axes, then ``broadcast_to`` the input."""
        if not mean_shape:
            return
        expanded = [1] * len(broadcast)
        for index in range(1, len(mean_shape) + 1):
            expanded[keep[-index]] = mean_shape[-index]
        if product(expanded) != product(mean_shape) or any(size not in (1, target) for size, target in zip(expanded, broadcast)):
            raise LayerError(
                KERAS_ERROR,
                f"Normalization: `mean` of shape {mean_shape} does not broadcast to the kept axes {keep} of shape {tuple(broadcast)}.",
                argument="mean",
            )


# ------------------------------------------------------------ text and lookup layers


LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
#: Deprecated names ``__init__`` maps to the current ones.
MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
#: What ``adapt(data)`` leaves behind: a vocabulary whose size is the data's (Keras records
#: it as ``_frozen_vocab_size``, which the hidden ``vocabulary_size`` argument also sets).
ADAPTED = "vocabulary_size"


def output_mode(config: LayerConfig) -> str:
    mode = plain(config, "output_mode")
    mode = MODE_ALIASES.get(mode, mode)
    if mode not in LOOKUP_MODES:
        raise invalid("output_mode", f"Unknown `output_mode` {mode!r}. Expected one of {LOOKUP_MODES}.", mode)
    return mode


class Lookup(LayerSpec):
    """Mirror of keras/src/layers/preprocessing/index_lookup.py, the base of StringLookup,
    IntegerLookup and the lookup inside TextVectorization.

    The vocabulary size is ``_token_start_index()`` (the mask token, counted only in
    "int" mode, then ``num_oov_indices`` OOV tokens) plus the tokens of a literal
    ``vocabulary`` (without the special tokens when it starts with them). After
    ``adapt(data)`` it is the data's, which padlint does not know. No weights.
    """

    defaults: ClassVar[dict[str, Any]] = {
        "max_tokens": None, "num_oov_indices": 1, "mask_token": None, "output_mode": "int",
        "pad_to_max_tokens": False, "vocabulary": None, "idf_weights": None, "invert": False,
    }
    oov_token: ClassVar[Any] = "[UNK]"

    def mode(self, config: LayerConfig) -> str:
        return output_mode(config)

    def mask_token(self, config: LayerConfig) -> Any:
        return plain(config, "mask_token")

    def token_start(self, config: LayerConfig) -> int:
        """``_token_start_index``: the mask token (in "int" mode) and the OOV tokens come first."""
        oov_start = 1 if self.mask_token(config) is not None and self.mode(config) == "int" else 0
        return oov_start + config.int("num_oov_indices")

    def special_tokens(self, config: LayerConfig) -> list:
        """The tokens ``get_vocabulary()`` lists before the vocabulary's own (the mask token in
        "int" mode, then the OOV tokens), which a literal ``vocabulary`` may also start with."""
        oov_start = self.token_start(config) - config.int("num_oov_indices")
        return [self.mask_token(config)] * oov_start + [self.oov_token] * config.int("num_oov_indices")

    def tokens(self, config: LayerConfig) -> list | None:
        """The tokens of a literal ``vocabulary`` (special tokens at its start left out), None without one."""
        vocabulary = plain(config, "vocabulary")
        if vocabulary is None:
            return None
        if isinstance(vocabulary, str):
            raise Unresolved("a vocabulary read from a file")
        if not isinstance(vocabulary, (list, tuple)):
            raise Unresolved("the vocabulary is not a literal list")
        vocabulary = list(vocabulary)
        start = self.token_start(config)
        return vocabulary[start:] if vocabulary[:start] == self.special_tokens(config) else vocabulary

    def vocabulary_size(self, config: LayerConfig) -> int:
        """``vocabulary_size()``: the special tokens and the vocabulary's tokens."""
        if config.is_set(ADAPTED):
            config.get(ADAPTED)  # Unresolved: the data decides
        tokens = self.tokens(config)
        return self.token_start(config) + (len(tokens) if tokens is not None else 0)

    def depth(self, config: LayerConfig) -> Dim:
        """The size of a one-hot / multi-hot / count output: ``max_tokens`` when padded to it,
        else the vocabulary size recorded when it was set (None before any)."""
        if config.bool("pad_to_max_tokens"):
            return config.int("max_tokens")
        if config.is_set(ADAPTED):
            return config.get(ADAPTED)
        return self.vocabulary_size(config) if self.tokens(config) is not None else None

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.check(config))

    def check(self, config: LayerConfig) -> None:
        """IndexLookup.__init__ and set_vocabulary's checks on what is known."""
        max_tokens = plain(config, "max_tokens")
        if max_tokens is not None and python(lambda: max_tokens <= 1, "`max_tokens`", argument="max_tokens"):
            raise invalid("max_tokens", "If set, `max_tokens` must be greater than 1.", max_tokens)
        if plain(config, "pad_to_max_tokens") and max_tokens is None:
            raise invalid("pad_to_max_tokens", "If pad_to_max_tokens is True, must set `max_tokens`.", True)
        if python(lambda: config.int("num_oov_indices") < 0, "`num_oov_indices`", argument="num_oov_indices"):
            raise invalid("num_oov_indices", "`num_oov_indices` must be greater than or equal to 0.", config.int("num_oov_indices"))
        mode = self.mode(config)
        if plain(config, "invert") and mode != "int":
            raise invalid("output_mode", "`output_mode` must be `'int'` when `invert` is true.", mode)
        if plain(config, "idf_weights") is not None and mode != "tf_idf":
            raise invalid("idf_weights", "`idf_weights` should only be set if `output_mode` is `'tf_idf'`.", plain(config, "idf_weights"))
        tokens = self.tokens(config)
        if tokens is None:
            return
        if mode == "tf_idf" and plain(config, "idf_weights") is None:
            raise invalid("idf_weights", "`idf_weights` must be set if output_mode is 'tf_idf'.", None)
        if not tokens and not plain(config, "vocabulary"):
            raise invalid("vocabulary", "Cannot set an empty vocabulary.", [])
        repeated = sorted({str(token) for token in tokens if tokens.count(token) > 1})
        if repeated:
            raise invalid("vocabulary", f"The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: {repeated}", tokens)
        size = self.token_start(config) + len(tokens)
        if max_tokens is not None and size > max_tokens:
            raise invalid("vocabulary", f"Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is {size}; `max_tokens` is {max_tokens}.", tokens)

    def lookup_shape(self, config: LayerConfig, shape: tuple) -> tuple:
        """``IndexLookup.compute_output_shape``."""
        mode = self.mode(config)
        if mode == "int":
            return shape
        depth = self.depth(config)
        if mode == "one_hot":
            if len(shape) > 1 and shape[-1] == 1:
                return shape[:-1] + (depth,)
            return shape + (depth,)
        return shape[:-1] + (depth,)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = tuple(require_known(single_input(inputs)))
        return LayerResult(outputs=[self.lookup_shape(config, shape)])

    def layer_method(self, config: LayerConfig, name: str, args: list, kwargs: dict) -> Any:
        """``adapt``, ``set_vocabulary``, ``vocabulary_size``, ``get_vocabulary`` (NotImplemented otherwise)."""
        if name == "adapt":
            config.arguments[ADAPTED] = Unknown("the vocabulary is learnt from the data adapt() reads")
            return None
        if name == "set_vocabulary":
            config.arguments["vocabulary"] = args[0] if args else kwargs.get("vocabulary", Unknown("set_vocabulary()"))
            config.arguments.pop(ADAPTED, None)
            return None
        try:
            if name == "vocabulary_size":
                return self.vocabulary_size(config)
            if name == "get_vocabulary":
                special = self.special_tokens(config)
                tokens = self.tokens(config) if not config.is_set(ADAPTED) else config.get(ADAPTED)
                return special + list(tokens or [])
        except (Unresolved, LayerError) as unknown:
            return Unknown(f"{self.class_name}.{name}(): {getattr(unknown, 'what', getattr(unknown, 'message', ''))}")
        return NotImplemented


@register
class StringLookup(Lookup):
    """Strings to indices (or one-hot / multi-hot / count encodings)."""

    class_name = "StringLookup"
    signature = ("max_tokens", "num_oov_indices", "mask_token", "oov_token", "vocabulary", "idf_weights", "invert",
                 "output_mode", "pad_to_max_tokens", "sparse", "encoding", "name")
    mirrors = "keras/src/layers/preprocessing/string_lookup.py"


@register
class IntegerLookup(Lookup):
    """Integers to indices; the OOV token is -1."""

    class_name = "IntegerLookup"
    signature = ("max_tokens", "num_oov_indices", "mask_token", "oov_token", "output_mode", "pad_to_max_tokens",
                 "vocabulary", "vocabulary_dtype", "idf_weights", "invert", "sparse", "name")
    mirrors = "keras/src/layers/preprocessing/integer_lookup.py"
    oov_token = -1


@register
class TextVectorization(Lookup):
    """Strings to token indices: ``(batch, output_sequence_length)`` in "int" mode, else the
    lookup's encoding of the split tokens. Its StringLookup has ``mask_token=""`` and one
    OOV index (keras/src/layers/preprocessing/text_vectorization.py)."""

    class_name = "TextVectorization"
    signature = ("max_tokens", "standardize", "split", "ngrams", "output_mode", "output_sequence_length",
                 "pad_to_max_tokens", "vocabulary", "idf_weights", "sparse", "ragged", "encoding", "name")
    defaults: ClassVar[dict[str, Any]] = {
        **Lookup.defaults, "standardize": "lower_and_strip_punctuation", "split": "whitespace", "ngrams": None,
        "output_sequence_length": None, "ragged": False,
    }
    mirrors = "keras/src/layers/preprocessing/text_vectorization.py"

    def mask_token(self, config: LayerConfig) -> Any:
        return ""

    def token_start(self, config: LayerConfig) -> int:
        return (1 if self.mode(config) == "int" else 0) + 1

    def check(self, config: LayerConfig) -> None:
        mode = self.mode(config)
        length = plain(config, "output_sequence_length")
        if mode == "int" and not (length is None or (isinstance(length, int) and not isinstance(length, bool))):
            raise invalid("output_sequence_length", "`output_sequence_length` must be either None or an integer when `output_mode` is 'int'.", length)
        if mode != "int" and length is not None:
            raise invalid("output_sequence_length", "`output_sequence_length` must not be set if `output_mode` is not 'int'.", length)
        if plain(config, "ragged") and mode != "int":
            raise invalid("ragged", "`ragged` must not be true if `output_mode` is `'int'`.", True)
        for name, allowed in (("standardize", ("lower_and_strip_punctuation", "lower", "strip_punctuation")), ("split", ("whitespace", "character"))):
            value = config.raw(name)
            if isinstance(value, str) and value not in allowed:
                raise invalid(name, f"Unkown value for `{name}` argument of layer TextVectorization. Allowed values are: {allowed}.", value)
        super().check(config)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = tuple(require_known(single_input(inputs)))
        if self.mode(config) == "int":
            return LayerResult(outputs=[(shape[0], plain(config, "output_sequence_length"))])
        split = config.raw("split")
        if split is None:
            shape = shape + (1,) if len(shape) <= 1 else shape
        else:
            shape = shape + (None,)
        return LayerResult(outputs=[self.lookup_shape(config, shape)])
