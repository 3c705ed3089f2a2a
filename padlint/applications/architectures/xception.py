"""Xception (Keras: keras/src/applications/xception.py).

Entry flow: two 'valid' 3x3 convolutions, then three blocks of two separable
convolutions and a strided max pooling, each added to a strided 1x1 projection of its
input. Middle flow: eight residual blocks of three separable convolutions at 728
filters. Exit flow: one more projected block (728 then 1024 filters) and two separable
convolutions of 1536 and 2048 filters.
"""

import keras
from keras import layers

from ._common import channels_first, check_arguments, classifier, image_input, model_inputs, obtain_input_shape, pooled


def separable(x, filters, name, axis):
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=axis, name=f"{name}_bn")(x)


def projected_block(x, block, filters, axis, first_activation=True):
    """Two separable convolutions (``filters`` is a pair) and a max pooling, plus the
    projected input (made first). Block 2 starts without a ReLU: its input has just had one."""
    residual = layers.Conv2D(filters[1], (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    residual = layers.BatchNormalization(axis=axis)(residual)
    prefix = f"block{block}"
    if first_activation:
        x = layers.Activation("relu", name=f"{prefix}_sepconv1_act")(x)
    x = separable(x, filters[0], f"{prefix}_sepconv1", axis)
    x = layers.Activation("relu", name=f"{prefix}_sepconv2_act")(x)
    x = separable(x, filters[1], f"{prefix}_sepconv2", axis)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{prefix}_pool")(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=299, min_size=71, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    axis = 1 if channels_first() else -1
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(image)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = projected_block(x, 2, (128, 128), axis, first_activation=False)
    x = projected_block(x, 3, (256, 256), axis)
    x = projected_block(x, 4, (728, 728), axis)
    for block in range(5, 13):
        residual = x
        for number in (1, 2, 3):
            x = layers.Activation("relu", name=f"block{block}_sepconv{number}_act")(x)
            x = separable(x, 728, f"block{block}_sepconv{number}", axis)
        x = layers.add([x, residual])
    x = projected_block(x, 13, (728, 1024), axis)
    for number, filters in ((1, 1536), (2, 2048)):
        x = separable(x, filters, f"block14_sepconv{number}", axis)
        x = layers.Activation("relu", name=f"block14_sepconv{number}_act")(x)
    if include_top:
        x = classifier(x, classes, classifier_activation, weights, pool_name="avg_pool")
    else:
        x = pooled(x, pooling)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)
