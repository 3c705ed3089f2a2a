"""Shape functions of keras/src/ops/image.py: ``resize``, ``extract_patches``,
``pad_images``, ``crop_images`` and the colour conversions.

Images are rank 3 (one image) or rank 4 (a batch); ``data_format=None`` is the
file's image data format when the op is applied.
"""

from __future__ import annotations

from typing import Any

from padlint.layers.base import Unresolved
from padlint.ops.base import OpError, Tensor, is_known, is_none, static
from padlint.ops.nn import conv_output_shape
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import op
from padlint.symbolic import Dim, add, mul, sub


def _image_axes(shape: tuple, data_format: str) -> tuple[int, int]:
    if len(shape) not in (3, 4):
        raise OpError(f"Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received input with shape: images.shape={shape}")
    return (-3, -2) if data_format == "channels_last" else (-2, -1)


@op("image", "resize", "Resize", "images, size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None")
def resize(images: Tensor, size: Any, interpolation: Any = "bilinear", antialias: Any = False, crop_to_aspect_ratio: Any = False, pad_to_aspect_ratio: Any = False, fill_mode: Any = "constant", fill_value: Any = 0.0, data_format: Any = None) -> tuple:
    """``resize`` (its argument checks) and ``Resize.compute_output_spec``."""
    size = static(size, "size")
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise OpError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    if not all(is_known(dim) for dim in size):
        raise Unresolved("the size of a resize")
    if size[0] <= 0 or size[1] <= 0:
        raise OpError(f"`size` must have positive height and width. Received: size={size}")
    shape = list(tensor_shape(images))
    height, width = _image_axes(tuple(shape), static(data_format, "data_format"))
    if static(pad_to_aspect_ratio, "pad_to_aspect_ratio") and static(crop_to_aspect_ratio, "crop_to_aspect_ratio"):
        raise OpError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    shape[height], shape[width] = size[0], size[1]
    return tuple(shape)


@op("image", "extract_patches", "ExtractPatches", "images, size, strides=None, dilation_rate=1, padding='valid', data_format=None")
def extract_patches(images: Tensor, size: Any, strides: Any = None, dilation_rate: Any = 1, padding: Any = "valid", data_format: Any = None) -> tuple:
    """``extract_patches`` and ``ExtractPatches.compute_output_spec``: a convolution whose
    filters are every pixel of a patch (``size[0] * size[1] * channels``)."""
    size = static(size, "size")
    if not isinstance(size, int):
        if not isinstance(size, (tuple, list)):
            raise OpError(f"Invalid `size` argument. Expected an int or a tuple. Received: size={size} of type {type(size).__name__}")
        if len(size) not in (2, 3):
            raise OpError(f"Invalid `size` argument. Expected a tuple of length 2 or 3. Received: size={size} with length {len(size)}")
    return _patches(images, (size, size) if isinstance(size, int) else tuple(size), strides, dilation_rate, padding, data_format)


def _patches(images: Tensor, size: tuple, strides: Any, dilation_rate: Any, padding: Any, data_format: Any) -> tuple:
    data_format = static(data_format, "data_format")
    strides = size if static(strides, "strides") is None else strides
    shape = list(tensor_shape(images))
    original = len(shape)
    three_d = len(size) == 3
    if original < (4 if three_d else 3):
        raise OpError(f"extract_patches: images of shape {tuple(shape)} have too few axes for patches of size {size}")
    if data_format == "channels_last":
        channels = shape[-1]
    else:
        channels = shape[-4] if three_d else shape[-3]
    if is_none(channels):
        raise OpError("unsupported operand type(s) for *: 'int' and 'NoneType' (the number of channels is not known)")
    if original == (4 if three_d else 3):
        shape = [1] + shape
    filters = mul(mul(size[0], size[1]), size[2] if three_d else 1)
    filters = mul(filters, channels)
    padding = static(padding, "padding")
    if padding not in ("valid", "same", "causal"):
        raise OpError(f"`padding` must be either `'valid'` or `'same'`. Received {padding}.")
    output = conv_output_shape(tuple(shape), filters, tuple(size), strides, padding, data_format, dilation_rate)
    return output[1:] if original == (4 if three_d else 3) else output


@op("image", "extract_patches_3d", "ExtractPatches", "volumes, size, strides=None, dilation_rate=1, padding='valid', data_format=None")
def extract_patches_3d(volumes: Tensor, size: Any, strides: Any = None, dilation_rate: Any = 1, padding: Any = "valid", data_format: Any = None) -> tuple:
    size = static(size, "size")
    size = (size,) * 3 if isinstance(size, int) else tuple(size)
    if len(size) != 3:
        raise OpError(f"Invalid `size` argument. Expected an int or a tuple of length 3. Received: size={size}")
    return _patches(volumes, size, strides, dilation_rate, padding, data_format)


def _non_negative(value: Any, name: str) -> None:
    if value is not None and value < 0:
        raise OpError(f"{name} must be >= 0. Received: {name}={value}")


def _two_of_three(first: Any, second: Any, target: Any, names: tuple[str, str, str]) -> None:
    if [first, second, target].count(None) != 1:
        raise OpError(f"Must specify exactly two of {', '.join(names)}. Received: {names[0]}={first}, {names[1]}={second}, {names[2]}={target}")


def _int_or_none(value: Any, name: str) -> Any:
    value = static(value, name)
    if value is not None and not is_known(value):
        raise Unresolved(f"{name} padlint does not know")
    return value


def _border_arguments(images: Tensor, values: tuple, word: str, data_format: Any) -> tuple[list, int, int, list]:
    """What PadImages and CropImages check first (``_validate_pad_images_args`` and
    ``_validate_crop_images_args``): the image rank, exactly two of the three sizes per
    axis, none negative. Returns the shape, the two axes and the six values."""
    names = (f"top_{word}", f"left_{word}", f"bottom_{word}", f"right_{word}", "target_height", "target_width")
    top, left, bottom, right, height_goal, width_goal = (_int_or_none(value, name) for value, name in zip(values, names))
    shape = list(tensor_shape(images))
    if len(shape) not in (3, 4):
        raise OpError(f"Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received: images.shape={shape}")
    _two_of_three(top, bottom, height_goal, (names[0], names[2], names[4]))
    _two_of_three(left, right, width_goal, (names[1], names[3], names[5]))
    for value, name in zip((top, left, bottom, right, height_goal, width_goal), names):
        _non_negative(value, name)
    height_axis, width_axis = _image_axes(tuple(shape), static(data_format, "data_format"))
    return shape, height_axis, width_axis, [top, left, bottom, right, height_goal, width_goal]


@op("image", "pad_images", "PadImages", "images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None, target_height=None, target_width=None, data_format=None")
def pad_images(images: Tensor, top_padding: Any = None, left_padding: Any = None, bottom_padding: Any = None, right_padding: Any = None, target_height: Any = None, target_width: Any = None, data_format: Any = None) -> tuple:
    """``PadImages.compute_output_spec``."""
    values = (top_padding, left_padding, bottom_padding, right_padding, target_height, target_width)
    shape, height_axis, width_axis, (top, left, bottom, right, height_goal, width_goal) = _border_arguments(images, values, "padding", data_format)
    shape[height_axis] = _padded(shape[height_axis], top, bottom, height_goal, "top_padding", "bottom_padding")
    shape[width_axis] = _padded(shape[width_axis], left, right, width_goal, "left_padding", "right_padding")
    return tuple(shape)


def _padded(size: Dim, before: Any, after: Any, goal: Any, *names: str) -> Dim:
    """One axis of PadImages: the target size, checking the paddings where the size is known."""
    if goal is None:
        return None if size is None else add(add(size, before), after)
    if is_known(size):
        before = goal - size - after if before is None else before
        after = goal - size - before if after is None else after
        for value, name in ((before, names[0]), (after, names[1])):
            _non_negative(value, name)
    elif not is_none(size):
        raise Unresolved("whether the padding fits the image")
    return goal


@op("image", "crop_images", "CropImages", "images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None, target_height=None, target_width=None, data_format=None")
def crop_images(images: Tensor, top_cropping: Any = None, left_cropping: Any = None, bottom_cropping: Any = None, right_cropping: Any = None, target_height: Any = None, target_width: Any = None, data_format: Any = None) -> tuple:
    """``CropImages.compute_output_spec``."""
    values = (top_cropping, left_cropping, bottom_cropping, right_cropping, target_height, target_width)
    shape, height_axis, width_axis, (top, left, bottom, right, height_goal, width_goal) = _border_arguments(images, values, "cropping", data_format)
    shape[height_axis] = _cropped(shape[height_axis], top, bottom, height_goal, "height", ("top_cropping", "bottom_cropping", "target_height"))
    shape[width_axis] = _cropped(shape[width_axis], left, right, width_goal, "width", ("left_cropping", "right_cropping", "target_width"))
    return tuple(shape)


def _cropped(size: Dim, before: Any, after: Any, goal: Any, axis: str, names: tuple[str, str, str]) -> Dim:
    """One axis of CropImages: the target size, checking the croppings where the size is known."""
    if is_none(size) and goal is None:
        raise OpError(f"When the {axis} of the images is unknown, `{names[2]}` must be specified.")
    if goal is None:
        goal = sub(sub(size, before), after)
    if is_known(size):
        before = size - goal - after if before is None else before
        after = size - goal - before if after is None else after
        for value, name in ((before, names[0]), (after, names[1]), (goal, names[2])):
            _non_negative(value, name)
    elif not is_none(size):
        raise Unresolved("whether the cropping fits the image")
    return goal


@op("image", "rgb_to_grayscale", "RGBToGrayscale", "images, data_format=None")
def rgb_to_grayscale(images: Tensor, data_format: Any = None) -> tuple:
    shape = list(tensor_shape(images))
    _image_axes(tuple(shape), static(data_format, "data_format"))
    channels_axis = -1 if data_format == "channels_last" else -3
    channels = shape[channels_axis]
    if not is_none(channels) and not (is_known(channels) and channels in (1, 3)):
        if is_known(channels):
            raise OpError(f"Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: images.shape={tuple(shape)}")
        raise Unresolved("the number of channels")
    shape[channels_axis] = 1
    return tuple(shape)


@op("image", "gaussian_blur", "GaussianBlur", "images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None")
def gaussian_blur(images: Tensor, kernel_size: Any = (3, 3), sigma: Any = (1.0, 1.0), data_format: Any = None) -> tuple:
    shape = tensor_shape(images)
    _image_axes(shape, static(data_format, "data_format"))
    return shape
