"""EfficientNetB0 to B7 (Keras: keras/src/applications/efficientnet.py).

The input is rescaled to [0, 1] and normalised inside the model (a Normalization layer
with its own mean and variance; with ImageNet weights a Rescaling by the channels'
deviations follows). Seven stages of mobile inverted bottlenecks (MBConv: expansion,
depthwise convolution, squeeze-and-excite, projection; a residual with drop-connect
where the shape allows) follow a strided stem; each model scales the widths and the
repeats of the B0 stages by its coefficients.
"""

import math

import keras
from keras import layers

from ._common import batch_norm_axis, channels_first, check_arguments, correct_pad, image_input, make_divisible, model_inputs, obtain_input_shape, pooled, validate_activation

#: B0's stages: (kernel, repeats, filters in, filters out, expansion, strides); squeeze-excite 0.25.
STAGES = ((3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2), (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1))
SE_RATIO = 0.25
DROP_CONNECT_RATE = 0.2
IMAGENET_STDDEV_RGB = (0.229, 0.224, 0.225)
LETTERS = "abcdefghijklmnopqrstuvwxyz"

#: Width and depth coefficients, default input size and top dropout of each model.
SCALING = {
    "B0": (1.0, 1.0, 224, 0.2),
    "B1": (1.0, 1.1, 240, 0.2),
    "B2": (1.1, 1.2, 260, 0.3),
    "B3": (1.2, 1.4, 300, 0.3),
    "B4": (1.4, 1.8, 380, 0.4),
    "B5": (1.6, 2.2, 456, 0.4),
    "B6": (1.8, 2.6, 528, 0.5),
    "B7": (2.0, 3.1, 600, 0.5),
}


def mbconv(inputs, activation, drop_rate, name, filters_in, filters_out, kernel_size, strides, expand_ratio):
    axis = batch_norm_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if strides == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding="same" if strides != 2 else "valid", use_bias=False, name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((filters, 1, 1) if channels_first() else (1, 1, filters), name=f"{name}se_reshape")(se)
    se = layers.Conv2D(max(1, int(filters_in * SE_RATIO)), 1, padding="same", activation=activation, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=f"{name}se_expand")(se)
    x = layers.multiply([x, se], name=f"{name}se_excite")
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def efficientnet(variant, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    width, depth, default_size, dropout_rate = SCALING[variant]
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    axis = batch_norm_axis()
    x = layers.Rescaling(1.0 / 255.0)(image)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(make_divisible(32 * width), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    repeats = [int(math.ceil(depth * stage[1])) for stage in STAGES]
    total = float(sum(repeats))
    done = 0
    for stage, (kernel, _, filters_in, filters_out, expansion, strides) in enumerate(STAGES):
        filters_in, filters_out = make_divisible(filters_in * width), make_divisible(filters_out * width)
        for block in range(repeats[stage]):
            if block > 0:
                strides, filters_in = 1, filters_out
            x = mbconv(x, "swish", DROP_CONNECT_RATE * done / total, f"block{stage + 1}{LETTERS[block]}_", filters_in, filters_out, kernel, strides, expansion)
            done += 1
    x = layers.Conv2D(make_divisible(1280 * width), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, avg_name="avg_pool", max_name="max_pool")
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def EfficientNetB0(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb0"):
    return efficientnet("B0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB1(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb1"):
    return efficientnet("B1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb2"):
    return efficientnet("B2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb3"):
    return efficientnet("B3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB4(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb4"):
    return efficientnet("B4", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB5(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb5"):
    return efficientnet("B5", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB6(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb6"):
    return efficientnet("B6", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def EfficientNetB7(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="efficientnetb7"):
    return efficientnet("B7", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
