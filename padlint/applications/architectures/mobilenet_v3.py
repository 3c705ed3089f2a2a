"""MobileNetV3Small and MobileNetV3Large (Keras: keras/src/applications/mobilenet_v3.py).

Inverted residual blocks as in MobileNetV2, with 3x3 or 5x5 depthwise kernels, ReLU or
hard-swish activations and squeeze-and-excite gates (a hard sigmoid made of keras.ops:
``ReLU6(x + 3) * (1 / 6)``); the ``minimalistic`` variants use 3x3 kernels and ReLU only,
without gates. The input is rescaled to [-1, 1] inside the model unless
``include_preprocessing=False``; its size is free (None) unless given, and at least 32.
"""

import keras
from keras import backend, layers

from ._common import channels_first, check_arguments, correct_pad, image_input, make_divisible, model_inputs, validate_activation

#: (expansion, filters, kernel, stride, squeeze-excite, activation, block id); "k", "se" and
#: "act" are the model's kernel, squeeze-excite ratio and activation (they depend on ``minimalistic``).
SMALL_BLOCKS = (
    (1, 16, 3, 2, "se", "relu"),
    (72.0 / 16, 24, 3, 2, None, "relu"),
    (88.0 / 24, 24, 3, 1, None, "relu"),
    (4, 40, "k", 2, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (6, 40, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (3, 48, "k", 1, "se", "act"),
    (6, 96, "k", 2, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
    (6, 96, "k", 1, "se", "act"),
)
LARGE_BLOCKS = (
    (1, 16, 3, 1, None, "relu"),
    (4, 24, 3, 2, None, "relu"),
    (3, 24, 3, 1, None, "relu"),
    (3, 40, "k", 2, "se", "relu"),
    (3, 40, "k", 1, "se", "relu"),
    (3, 40, "k", 1, "se", "relu"),
    (6, 80, 3, 2, None, "act"),
    (2.5, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"),
    (6, 112, 3, 1, "se", "act"),
    (6, 112, 3, 1, "se", "act"),
    (6, 160, "k", 2, "se", "act"),
    (6, 160, "k", 1, "se", "act"),
    (6, 160, "k", 1, "se", "act"),
)


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x):
    return layers.Activation("hard_swish")(x)


def bn(x, name, axis):
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)(x)


def squeeze_excite(inputs, filters, ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(make_divisible(filters * ratio), kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def inverted_residual(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id, axis):
    shortcut = x
    in_channels = x.shape[axis]
    expanded = make_divisible(in_channels * expansion)
    prefix = "expanded_conv_"
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(expanded, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}expand")(x)
        x = activation(bn(x, f"{prefix}expand_bn", axis))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid", use_bias=False, name=f"{prefix}depthwise")(x)
    x = activation(bn(x, f"{prefix}depthwise_bn", axis))
    if se_ratio:
        x = squeeze_excite(x, expanded, se_ratio, prefix)
    x = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = bn(x, f"{prefix}project_bn", axis)
    if stride == 1 and in_channels == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def input_size(input_shape, input_tensor, first):
    """The input shape: given, else the input tensor's rows and columns (swapped, as Keras
    takes them), else open."""
    if input_shape is not None and input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError("input_tensor is not a Keras tensor")
        if input_tensor.shape[1 if first else 2] != input_shape[1]:
            raise ValueError("input_shape does not match input_tensor")
    if input_shape is None and input_tensor is not None and backend.is_keras_tensor(input_tensor):
        if first:
            return (3, input_tensor.shape[3], input_tensor.shape[2])
        return (input_tensor.shape[2], input_tensor.shape[1], 3)
    if input_shape is None:
        return (3, None, None) if first else (None, None, 3)
    return input_shape


def mobilenet_v3(blocks, last_point_channels, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name):
    check_arguments(weights, include_top, classes)
    first = channels_first()
    input_shape = input_size(input_shape, input_tensor, first)
    rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError("the input must be at least 32x32")
    if weights == "imagenet" and ((not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0)):
        raise ValueError("ImageNet weights need alpha 0.75 or 1.0 (1.0 when minimalistic)")
    image = image_input(input_tensor, input_shape)
    axis = 1 if first else -1
    if minimalistic:
        kernel, activation, se_ratio = 3, relu, None
    else:
        kernel, activation, se_ratio = 5, hard_swish, 0.25
    choices = {"k": kernel, "se": se_ratio, "act": activation, "relu": relu}
    x = image
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(bn(x, "conv_bn", axis))
    for block_id, (expansion, filters, block_kernel, stride, block_se, block_activation) in enumerate(blocks):
        x = inverted_residual(
            x,
            expansion,
            make_divisible(filters * alpha),
            choices.get(block_kernel, block_kernel),
            stride,
            choices.get(block_se, block_se),
            choices[block_activation],
            block_id,
            axis,
        )
    last_conv_channels = make_divisible(x.shape[axis] * 6)
    if alpha > 1.0:
        last_point_channels = make_divisible(last_point_channels * alpha)
    x = layers.Conv2D(last_conv_channels, kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(bn(x, "conv_1_bn", axis))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_channels, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def MobileNetV3Small(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Small"):
    return mobilenet_v3(SMALL_BLOCKS, 1024, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape=None, alpha=1.0, minimalistic=False, include_top=True, weights="imagenet", input_tensor=None, classes=1000, pooling=None, dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True, name="MobileNetV3Large"):
    return mobilenet_v3(LARGE_BLOCKS, 1280, input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes, pooling, dropout_rate, classifier_activation, include_preprocessing, name)
