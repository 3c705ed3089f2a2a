"""MobileNet (Keras: keras/src/applications/mobilenet.py).

A strided 3x3 convolution, then thirteen depthwise-separable blocks (a 3x3 depthwise
convolution and a 1x1 pointwise one, each with BatchNormalization and ReLU6); strided
blocks pad by one row and column at the end and convolve 'valid'. ``alpha`` scales every
width, ``depth_multiplier`` the depthwise convolutions. The classifier is a 1x1
convolution on the pooled features. The model's name gives ``alpha`` and the input rows
(224 when ImageNet weights are asked for another size, as those weights are loaded).
"""

import keras
from keras import layers

from ._common import channels_first, check_arguments, image_input, model_inputs, obtain_input_shape, pooled, validate_activation

#: Pointwise filters and strides of the thirteen blocks.
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1))
WEIGHT_SIZES = (128, 160, 192, 224)


def separable_block(x, filters, alpha, depth_multiplier, stride, block_id, axis):
    if stride == 1:
        padding = "same"
    else:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
        padding = "valid"
    x = layers.DepthwiseConv2D((3, 3), padding=padding, depth_multiplier=depth_multiplier, strides=(stride, stride), use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=axis, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    check_arguments(weights, include_top, classes)
    first = channels_first()
    default_size = 224
    if input_shape is not None:
        rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
        if rows == cols and rows in WEIGHT_SIZES:
            default_size = rows
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=32, require_flatten=include_top, weights=weights)
    rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("ImageNet weights need depth_multiplier=1")
        if alpha not in (0.25, 0.5, 0.75, 1.0):
            raise ValueError("ImageNet weights need alpha 0.25, 0.5, 0.75 or 1.0")
        if rows != cols or rows not in WEIGHT_SIZES:
            rows = 224
    image = image_input(input_tensor, input_shape)
    axis = 1 if first else -1
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(image)
    x = layers.BatchNormalization(axis=axis, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(BLOCKS, start=1):
        x = separable_block(x, filters, alpha, depth_multiplier, stride, block_id, axis)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling)
    if name is None:
        name = "mobilenet_{:0.2f}_{}".format(alpha, rows)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)
