"""EfficientNetV2B0 to B3, S, M and L (Keras: keras/src/applications/efficientnet_v2.py).

The early stages use fused MBConv blocks (one full convolution where MBConv has an
expansion and a depthwise convolution), the later ones MBConv with squeeze-and-excite.
The input is rescaled inside the model (the B models also normalise with ImageNet's
mean and variance). Keras looks the stages up by the model's ``name``, so another name
fails there, and padlint says "unknown".
"""

import math

import keras
from keras import layers

from ._common import batch_norm_axis, channels_first, check_arguments, image_input, model_inputs, obtain_input_shape, pooled, validate_activation

DIVISOR = 8
LETTERS = "abcdefghijklmnopqrstuvwxyz"
FUSED, MBCONV = 1, 0

#: Stages: (kernel, repeats, filters in, filters out, expansion, squeeze-excite, strides, block type).
B_STAGES = (
    (3, 1, 32, 16, 1, 0, 1, FUSED),
    (3, 2, 16, 32, 4, 0, 2, FUSED),
    (3, 2, 32, 48, 4, 0, 2, FUSED),
    (3, 3, 48, 96, 4, 0.25, 2, MBCONV),
    (3, 5, 96, 112, 6, 0.25, 1, MBCONV),
    (3, 8, 112, 192, 6, 0.25, 2, MBCONV),
)
STAGES = {
    "efficientnetv2-s": (
        (3, 2, 24, 24, 1, 0, 1, FUSED),
        (3, 4, 24, 48, 4, 0, 2, FUSED),
        (3, 4, 48, 64, 4, 0, 2, FUSED),
        (3, 6, 64, 128, 4, 0.25, 2, MBCONV),
        (3, 9, 128, 160, 6, 0.25, 1, MBCONV),
        (3, 15, 160, 256, 6, 0.25, 2, MBCONV),
    ),
    "efficientnetv2-m": (
        (3, 3, 24, 24, 1, 0, 1, FUSED),
        (3, 5, 24, 48, 4, 0, 2, FUSED),
        (3, 5, 48, 80, 4, 0, 2, FUSED),
        (3, 7, 80, 160, 4, 0.25, 2, MBCONV),
        (3, 14, 160, 176, 6, 0.25, 1, MBCONV),
        (3, 18, 176, 304, 6, 0.25, 2, MBCONV),
        (3, 5, 304, 512, 6, 0.25, 1, MBCONV),
    ),
    "efficientnetv2-l": (
        (3, 4, 32, 32, 1, 0, 1, FUSED),
        (3, 7, 32, 64, 4, 0, 2, FUSED),
        (3, 7, 64, 96, 4, 0, 2, FUSED),
        (3, 10, 96, 192, 4, 0.25, 2, MBCONV),
        (3, 19, 192, 224, 6, 0.25, 1, MBCONV),
        (3, 25, 224, 384, 6, 0.25, 2, MBCONV),
        (3, 7, 384, 640, 6, 0.25, 1, MBCONV),
    ),
    "efficientnetv2-b0": B_STAGES,
    "efficientnetv2-b1": B_STAGES,
    "efficientnetv2-b2": B_STAGES,
    "efficientnetv2-b3": B_STAGES,
}

#: Width and depth coefficients and default input size.
SCALING = {"B0": (1.0, 1.0, 224), "B1": (1.0, 1.1, 240), "B2": (1.1, 1.2, 260), "B3": (1.2, 1.4, 300), "S": (1.0, 1.0, 384), "M": (1.0, 1.0, 480), "L": (1.0, 1.0, 480)}


def round_filters(filters, width):
    return int(max(DIVISOR, int(filters * width + DIVISOR / 2) // DIVISOR * DIVISOR))


def squeeze_excite(x, filters, input_filters, ratio, name):
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((filters, 1, 1) if channels_first() else (1, 1, filters), name=f"{name}se_reshape")(se)
    se = layers.Conv2D(max(1, int(input_filters * ratio)), 1, padding="same", activation="swish", name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def residual(x, inputs, input_filters, output_filters, strides, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def block(inputs, fused, input_filters, output_filters, expansion, kernel, strides, se_ratio, survival_probability, name):
    """An MBConv or fused MBConv block."""
    axis = batch_norm_axis()
    filters = input_filters * expansion
    x = inputs
    if expansion != 1:
        size, step = (kernel, strides) if fused else (1, 1)
        x = layers.Conv2D(filters, kernel_size=size, strides=step, padding="same", use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation("swish", name=f"{name}expand_activation")(x)
    if not fused:
        x = layers.DepthwiseConv2D(kernel_size=kernel, strides=strides, padding="same", use_bias=False, name=f"{name}dwconv2")(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
        x = layers.Activation("swish", name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, input_filters, se_ratio, name)
    size, step = (kernel, strides) if fused and expansion == 1 else (1, 1)
    x = layers.Conv2D(output_filters, kernel_size=size, strides=step, padding="same", use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if fused and expansion == 1:
        x = layers.Activation("swish", name=f"{name}project_activation")(x)
    return residual(x, inputs, input_filters, output_filters, strides, survival_probability, name)


def efficientnet_v2(variant, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name):
    width, depth, default_size = SCALING[variant]
    if name not in STAGES:
        raise KeyError(name)
    stages = STAGES[name]
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    axis = batch_norm_axis()
    x = image
    if include_preprocessing:
        if name.split("-")[-1].startswith("b") and input_shape[axis - 1] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2], axis=axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = layers.Conv2D(round_filters(stages[0][2], width), kernel_size=3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    total = float(sum(stage[1] for stage in stages))
    done = 0
    for index, (kernel, repeats, input_filters, output_filters, expansion, se_ratio, strides, kind) in enumerate(stages):
        input_filters, output_filters = round_filters(input_filters, width), round_filters(output_filters, width)
        for number in range(int(math.ceil(depth * repeats))):
            if number > 0:
                strides, input_filters = 1, output_filters
            name_prefix = f"block{index + 1}{LETTERS[number]}_"
            x = block(x, kind == FUSED, input_filters, output_filters, expansion, kernel, strides, se_ratio, 0.2 * done / total, name_prefix)
            done += 1
    x = layers.Conv2D(round_filters(1280, width), kernel_size=1, strides=1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(0.2, name="top_dropout")(x)
        validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, avg_name="avg_pool", max_name="max_pool")
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def EfficientNetV2B0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b0"):
    return efficientnet_v2("B0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2B1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b1"):
    return efficientnet_v2("B1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2B2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b2"):
    return efficientnet_v2("B2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2B3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-b3"):
    return efficientnet_v2("B3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2S(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-s"):
    return efficientnet_v2("S", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2M(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-m"):
    return efficientnet_v2("M", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)


def EfficientNetV2L(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", include_preprocessing=True, name="efficientnetv2-l"):
    return efficientnet_v2("L", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, include_preprocessing, name)
