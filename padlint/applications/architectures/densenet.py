"""DenseNet121/169/201 (Keras: keras/src/applications/densenet.py).

After a 7x7 stride-2 stem and a max pooling, four dense blocks: each layer adds 32
channels (BN-ReLU-1x1 convolution to 128, BN-ReLU-3x3 convolution to 32) concatenated
to everything before it; transitions between blocks halve the channels with a 1x1
convolution and the size with a 2x2 average pooling. Channels-last only.
"""

import keras
from keras import layers

from ._common import channels_first, check_arguments, classifier, image_input, model_inputs, obtain_input_shape, pooled

EPSILON = 1.001e-5
GROWTH = 32
BLOCKS = {"121": (6, 12, 24, 16), "169": (6, 12, 32, 32), "201": (6, 12, 48, 32)}


def bn_relu(x, name):
    x = layers.BatchNormalization(axis=3, epsilon=EPSILON, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def dense_layer(x, name):
    y = bn_relu(x, f"{name}_0")
    y = layers.Conv2D(4 * GROWTH, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = bn_relu(y, f"{name}_1")
    y = layers.Conv2D(GROWTH, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=3, name=f"{name}_concat")([x, y])


def transition(x, name):
    x = bn_relu(x, name)
    x = layers.Conv2D(int(x.shape[3] * 0.5), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def densenet(depth, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    if channels_first():
        raise ValueError("DenseNet does not support the channels_first image data format")
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=224, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(image)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, layer_count in enumerate(BLOCKS[depth], start=2):
        for number in range(1, layer_count + 1):
            x = dense_layer(x, f"conv{stage}_block{number}")
        if stage < 5:
            x = transition(x, f"pool{stage}")
    x = layers.BatchNormalization(axis=3, epsilon=EPSILON, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = classifier(x, classes, classifier_activation, weights, pool_name="avg_pool")
    else:
        x = pooled(x, pooling, avg_name="avg_pool", max_name="max_pool")
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet121"):
    return densenet("121", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet169"):
    return densenet("169", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="densenet201"):
    return densenet("201", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
