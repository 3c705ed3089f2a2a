"""Preprocessing specs against real Keras, plus hand-checked and symbolic examples.

The differential tests draw, for every image layer padlint models, factors
inside and outside each class's bounds (numbers, pairs, wrong lengths,
strings, None), ``value_range``, ``fill_mode`` and ``interpolation`` values,
a ``factor`` passed to layers that do not take one, bad ``data_format``, and
inputs of rank 2 to 5 with known, unknown and symbolic sizes; Resizing,
CenterCrop and RandomCrop get heights and widths Keras rejects only when it
builds the output shape (negative, float, string). Normalization gets axes
(None, repeated, out of range, on the batch axis) and explicit
``mean``/``variance`` that do and do not broadcast. padlint must raise
exactly where Keras raises and otherwise agree.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerError, Unresolved
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    RANK_MISMATCH,
    UNDEFINED_SIZE,
)
from padlint.symbolic import Sym
from tests.keras_oracle import (
    assert_case_matches_keras,
    assert_matches_keras,
    differential,
    mostly,
    padlint_result,
)

B, H, W = (Sym.symbol(name) for name in "BHW")
DATA_FORMATS = [None, None, "channels_last", "channels_first"]


def factor(bounds=(-1, 1)) -> st.SearchStrategy:
    low, high = bounds
    inside = st.sampled_from([low, high, (low + high) / 2, (low, high), [low, (low + high) / 2]])
    return mostly(inside, high + 0.5, low - 0.5, (high + 1, high), (low, low - 1), (low - 5, high), (0.1, 0.2, 0.3), "0.1", None, odds=5)


def value_range() -> st.SearchStrategy:
    return mostly(st.sampled_from([(0, 255), [0, 1], (1, 0)]), 255, (0, 1, 2), (0, "a"), odds=6)


def choice(options, *bad) -> st.SearchStrategy:
    return mostly(st.sampled_from(options), *bad, odds=8)


FILL = choice(["reflect", "wrap", "constant", "nearest"], "Reflect", "mirror")
INTERPOLATION = choice(["nearest", "bilinear"], "bicubic", "Bilinear")
AXIS_FACTOR = mostly(st.sampled_from([0.1, -0.3, 1.0, (-0.2, 0.3), [0.5, -0.5]]), -1.0, 1.5, (0.1,), "a", odds=6)
POSITIVE_AXIS_FACTOR = mostly(st.sampled_from([0.0, 0.2, 1.0, (0.1, 0.4)]), -0.1, 1.1, (0.5, 2), odds=6)

#: Per class: argument name -> strategy of its value (each drawn or left out).
IMAGE_ARGUMENTS = {
    "RandomFlip": {"mode": st.sampled_from(["horizontal", "vertical", "horizontal_and_vertical", "bogus"])},
    "RandomRotation": {"factor": factor(), "fill_mode": FILL, "interpolation": INTERPOLATION},
    "RandomZoom": {"height_factor": AXIS_FACTOR, "width_factor": mostly(AXIS_FACTOR, None), "fill_mode": FILL, "interpolation": INTERPOLATION},
    "RandomTranslation": {"height_factor": AXIS_FACTOR, "width_factor": AXIS_FACTOR, "fill_mode": FILL, "interpolation": INTERPOLATION},
    "RandomShear": {"x_factor": POSITIVE_AXIS_FACTOR, "y_factor": POSITIVE_AXIS_FACTOR, "fill_mode": FILL, "interpolation": INTERPOLATION},
    "RandomPerspective": {"factor": factor((0, 1)), "scale": choice([0.0, 0.5, 1.0], -0.5, 2), "interpolation": INTERPOLATION},
    "RandomContrast": {"factor": factor((0, 1)), "value_range": value_range()},
    "RandomBrightness": {"factor": factor(), "value_range": value_range()},
    "RandomGrayscale": {"factor": choice([0, 0.5, 1], -0.1, 1.5, "a")},
    "RandomHue": {"factor": factor((0, 1)), "value_range": value_range()},
    "RandomSaturation": {"factor": factor(), "value_range": value_range()},
    "RandomSharpness": {"factor": factor((0, 1)), "value_range": value_range()},
    "RandomInvert": {"factor": factor((0, 1)), "value_range": value_range()},
    "RandomColorDegeneration": {"factor": factor(), "value_range": value_range()},
    "RandomPosterization": {"factor": factor((1, 8)), "value_range": value_range()},
    "RandomGaussianBlur": {"factor": factor((0, 1)), "kernel_size": choice([1, 3, 5, (3, 5), 3.0], 2, (3, 4), (3,), "3"), "sigma": factor((0, 1))},
    "Solarization": {"addition_factor": POSITIVE_AXIS_FACTOR, "threshold_factor": POSITIVE_AXIS_FACTOR, "value_range": value_range()},
    "RandomErasing": {"factor": factor((0, 1)), "scale": factor((0, 1)), "value_range": value_range()},
    "RandomElasticTransform": {"factor": factor((0, 1)), "scale": factor((0, 1)), "interpolation": INTERPOLATION,
                               "fill_mode": choice(["constant", "nearest", "wrap", "mirror", "reflect"], "Mirror")},
    "CutMix": {"factor": factor((0, 1))},
    "MixUp": {"alpha": st.sampled_from([0.2, -1.0, "x"])},
    "AutoContrast": {"value_range": value_range()},
    "Equalization": {"value_range": value_range(), "bins": st.just(64)},
    "RandomCrop": {},
    "Resizing": {"interpolation": st.just("bilinear"), "crop_to_aspect_ratio": st.booleans()},
    "CenterCrop": {},
}
#: Arguments Keras requires, drawn (almost) always.
REQUIRED = {
    "RandomRotation": ("factor",), "RandomZoom": ("height_factor",), "RandomTranslation": ("height_factor", "width_factor"),
    "RandomContrast": ("factor",), "RandomBrightness": ("factor",), "RandomHue": ("factor",), "RandomSaturation": ("factor",),
    "RandomSharpness": ("factor",), "RandomColorDegeneration": ("factor",), "RandomPosterization": ("factor",),
    "RandomCrop": ("height", "width"), "Resizing": ("height", "width"), "CenterCrop": ("height", "width"),
}  # fmt: skip
SIZE = mostly(st.integers(1, 10), 0, -1, None, 2.5, True, "4", odds=6)


def dim(none_ok: bool = True) -> st.SearchStrategy:
    return mostly(st.integers(1, 10), H, W, *([None] if none_ok else []), odds=5)


@st.composite
def image_shape(draw, channels: int | None = None) -> tuple:
    """Mostly a batch of images (rank 4), now and then rank 2, 3 or 5; ``channels`` last if given.

    With ``channels`` (RandomColorDegeneration, which checks them) no size is
    unknown to padlint: Keras would know it.
    """
    rank = draw(mostly(st.just(4), 2, 3, 5, odds=4))
    shape = [None, *(draw(dim(none_ok=channels is None)) for _ in range(rank - 1))]
    if channels:
        shape[-1] = channels
    return tuple(shape)


@st.composite
def image_case(draw):
    class_name = draw(st.sampled_from(sorted(IMAGE_ARGUMENTS)))
    kwargs = {}
    for name, strategy in IMAGE_ARGUMENTS[class_name].items():
        if draw(st.booleans()):
            kwargs[name] = draw(strategy)
    for name in REQUIRED.get(class_name, ()):
        if draw(mostly(st.just(True), False, odds=30)):
            kwargs[name] = draw(SIZE if name in ("height", "width") else IMAGE_ARGUMENTS[class_name][name])
    if draw(st.integers(0, 2)) == 0:
        kwargs["data_format"] = draw(mostly(st.sampled_from(DATA_FORMATS), "channels_middle", odds=10))
    if "factor" not in IMAGE_ARGUMENTS[class_name] and draw(st.integers(0, 9)) == 0:
        kwargs["factor"] = draw(st.sampled_from([None, 0.5, 2.0]))  # a factor for the base class
    channels = draw(st.sampled_from([3, 3, 3, 0])) if class_name == "RandomColorDegeneration" else None
    return class_name, kwargs, [draw(image_shape(channels))]


@differential(700)
@given(image_case(), st.integers(0, 3))
def test_image_layers_match_keras(case, positional):
    assert_case_matches_keras(case, positional)


@st.composite
def normalization_case(draw):
    rank = draw(st.integers(2, 4))
    shape = (B, *(draw(mostly(st.integers(1, 5), H, odds=12)) for _ in range(rank - 1)))
    kwargs = {}
    if draw(st.integers(0, 3)):
        kwargs["axis"] = draw(mostly(st.sampled_from([-1, 1, (1, -1), [1, 2], None, ()]), 0, 5, -6, (-1, rank - 1), (1.0,), "ab", odds=6))
    if draw(st.integers(0, 2)) == 0:
        kwargs["mean"], kwargs["variance"] = draw(
            mostly(
                st.sampled_from([(0.5, 2.0), ([0.0] * shape[-1] if isinstance(shape[-1], int) else 0.0, 1.0), ([1, 2, 3], [1, 2, 3]), ([[1, 2]], [[1, 2]])]),
                (None, 1.0), ([1, 2], [1, 2, 3]), ([[1, 2], [3]], [[1, 2], [3]]), odds=6,
            )
        )
    return "Normalization", kwargs, [shape]


@differential(250)
@given(normalization_case(), st.integers(0, 3))
def test_normalization_layer_matches_keras(case, positional):
    assert_case_matches_keras(case, positional)


@st.composite
def rescaling_case(draw):
    shape = (None, *(draw(dim()) for _ in range(draw(st.integers(0, 3)))))
    return "Rescaling", {"scale": draw(st.sampled_from([1 / 255, 2, "x", None])), "offset": draw(st.sampled_from([0.0, -1]))}, [shape]


@differential(40)
@given(rescaling_case(), st.integers(0, 3))
def test_rescaling_matches_keras(case, positional):
    assert_case_matches_keras(case, positional)


# ------------------------------------------------------- hand-checked numbers


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "output"),
    [
        ("Resizing", (64, 48), {}, (None, 128, 96, 3), (None, 64, 48, 3)),
        ("Resizing", (64, 48), {"data_format": "channels_first"}, (None, 3, 128, 96), (None, 3, 64, 48)),
        ("Resizing", (64, 48), {}, (None, 128, 96), (64, 48, 96)),  # rank 3 is one image: the batch axis is resized
        ("CenterCrop", (20, 30), {}, (None, 128, 96, 3), (None, 20, 30, 3)),
        ("CenterCrop", (200, 30), {}, (None, 128, 96, 3), (None, 200, 30, 3)),  # larger than the image: not checked
        ("RandomCrop", (20, 30), {}, (None, 128, 96, 3), (None, 20, 30, 3)),
        ("RandomCrop", (20, 30), {}, (None, 8, 128, 96, 3), (None, 8, 20, 30, 3)),  # axes -3, -2 of any rank
        ("RandomCrop", (20, 30), {"data_format": "channels_first"}, (None, 3, 128, 96), (None, 3, 20, 30)),
        ("Resizing", (None, 48), {}, (None, 128, 96, 3), (None, None, 48, 3)),
        ("RandomFlip", (), {}, (None, 32, 32, 3), (None, 32, 32, 3)),
        ("RandomRotation", (0.2,), {}, (None, 32, 32, 3), (None, 32, 32, 3)),
        ("Rescaling", (1 / 255,), {}, (None, 32, 32, 3), (None, 32, 32, 3)),
    ],
)
def test_hand_checked_shapes(class_name, args, kwargs, shape, output):
    result = padlint_result(class_name, shape, *args, **kwargs)
    assert result.outputs == [output]
    assert (result.trainable, result.non_trainable) == (0, 0)
    assert_matches_keras(class_name, kwargs, [shape], args=args)


@pytest.mark.parametrize(
    ("kwargs", "shape", "non_trainable"),
    [
        ({}, (None, 8, 8, 3), 7),  # mean 3 + variance 3 + count 1
        ({"axis": None}, (None, 8, 8, 3), 3),  # scalar mean and variance
        ({"axis": (1, 2)}, (None, 8, 8, 3), 129),
        ({"mean": [1.0, 2.0, 3.0], "variance": [1.0, 1.0, 1.0]}, (None, 8, 3), 0),  # constants, not weights
    ],
)
def test_normalization_weights(kwargs, shape, non_trainable):
    result = padlint_result("Normalization", shape, **kwargs)
    assert (result.trainable, result.non_trainable) == (0, non_trainable)
    assert_matches_keras("Normalization", kwargs, [shape])


@pytest.mark.parametrize(
    ("class_name", "args", "kwargs", "shape", "kind"),
    [
        ("RandomRotation", (1.5,), {}, (None, 8, 8, 3), INVALID_CONFIG),
        ("RandomRotation", (0.1,), {"fill_mode": "mirror"}, (None, 8, 8, 3), INVALID_CONFIG),
        ("RandomZoom", (-1.0,), {}, (None, 8, 8, 3), INVALID_CONFIG),  # (-1, 1]: -1 is out
        ("RandomContrast", (-0.2,), {}, (None, 8, 8, 3), INVALID_CONFIG),  # bounds (0, 1)
        ("RandomBrightness", (0.2,), {"value_range": 255}, (None, 8, 8, 3), INVALID_CONFIG),
        ("RandomFlip", (), {"factor": 0.5}, (None, 8, 8, 3), INVALID_CONFIG),  # takes no factor
        ("CenterCrop", (4, 4), {}, (None, 2, 8, 8, 3), RANK_MISMATCH),
        ("RandomCrop", (4, 4), {}, (None, 8), RANK_MISMATCH),
        ("Resizing", (-4, 4), {}, (None, 8, 8, 3), KERAS_ERROR),  # a negative output size
        ("Resizing", (4.0, 4), {}, (None, 8, 8, 3), KERAS_ERROR),  # floats are not sizes
        ("RandomColorDegeneration", (0.2,), {}, (None, 8, 8, 1), KERAS_ERROR),  # 3 channels only
        ("Normalization", (), {"axis": 0}, (B, 8), UNDEFINED_SIZE),  # the batch axis has no size
        ("Normalization", (), {"axis": (-1, 2)}, (None, 8, 3), KERAS_ERROR),  # axis 2 kept twice
        ("Normalization", (), {"mean": [1, 2], "variance": [1, 2]}, (None, 8, 3), KERAS_ERROR),
    ],
)
def test_error_kinds(class_name, args, kwargs, shape, kind):
    with pytest.raises(LayerError) as raised:
        padlint_result(class_name, shape, *args, **kwargs)
    assert raised.value.kind == kind
    assert assert_matches_keras(class_name, kwargs, [shape], args=args).raised


# ------------------------------------------------------------ symbolic sizes


def test_symbolic_sizes():
    assert padlint_result("Resizing", (None, H, W, 3), 64, 64).outputs == [(None, 64, 64, 3)]
    assert padlint_result("RandomCrop", (None, H, W, 3), 32, 32).outputs == [(None, 32, 32, 3)]
    assert padlint_result("RandomFlip", (None, H, W, 3)).outputs == [(None, H, W, 3)]
    assert padlint_result("RandomColorDegeneration", (None, H, W, W), 0.5).outputs == [(None, H, W, W)]
    assert padlint_result("Normalization", (None, H, 3)).non_trainable == 7
    with pytest.raises(LayerError):
        padlint_result("Normalization", (None, 3, H))  # the kept axis is None to Keras


def test_unknown_sizes():
    assert padlint_result("RandomRotation", None, 0.1).outputs == [None]
    with pytest.raises(Unresolved):
        padlint_result("Normalization", (None, 3, None))
    with pytest.raises(Unresolved):
        padlint_result("RandomColorDegeneration", (None, 8, 8, None), 0.5)
