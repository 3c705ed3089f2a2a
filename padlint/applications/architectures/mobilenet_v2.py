"""MobileNetV2 (Keras: keras/src/applications/mobilenet_v2.py).

A strided 3x3 convolution, seventeen inverted residual blocks (a 1x1 expansion, a 3x3
depthwise convolution, a linear 1x1 projection; added to the input when the shape
allows) and a 1x1 convolution to 1280 channels (more when ``alpha > 1``). Widths are
``alpha`` times the paper's, rounded to multiples of 8. The model's name gives ``alpha``
and the input rows (224 when ImageNet weights are asked for another size).
"""

import keras
from keras import backend, layers

from ._common import channels_first, check_arguments, classifier, correct_pad, image_input, make_divisible, model_inputs, obtain_input_shape, pooled

#: (filters, stride, expansion) of the seventeen blocks.
BLOCKS = (
    (16, 1, 1),
    (24, 2, 6), (24, 1, 6),
    (32, 2, 6), (32, 1, 6), (32, 1, 6),
    (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6),
    (96, 1, 6), (96, 1, 6), (96, 1, 6),
    (160, 2, 6), (160, 1, 6), (160, 1, 6),
    (320, 1, 6),
)  # fmt: skip
WEIGHT_SIZES = (96, 128, 160, 192, 224)


def bn(x, name, axis):
    return layers.BatchNormalization(axis=axis, epsilon=1e-3, momentum=0.999, name=name)(x)


def inverted_residual(inputs, filters, alpha, stride, expansion, block_id, axis):
    in_channels = inputs.shape[axis]
    out_channels = make_divisible(int(filters * alpha), 8)
    x = inputs
    if block_id:
        prefix = f"block_{block_id}_"
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=f"{prefix}expand")(x)
        x = bn(x, f"{prefix}expand_BN", axis)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False, padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(x)
    x = bn(x, f"{prefix}depthwise_BN", axis)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(out_channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=f"{prefix}project")(x)
    x = bn(x, f"{prefix}project_BN", axis)
    if in_channels == out_channels and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def input_rows(input_shape, input_tensor, first):
    """The rows and columns the default size is chosen from: the input shape's, else the input tensor's."""
    if input_shape is not None:
        return (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    if input_tensor is not None and backend.is_keras_tensor(input_tensor):
        return (input_tensor.shape[2], input_tensor.shape[3]) if first else (input_tensor.shape[1], input_tensor.shape[2])
    return (None, None)


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    check_arguments(weights, include_top, classes)
    first = channels_first()
    if input_shape is not None and input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError("input_tensor is not a Keras tensor")
        if input_tensor.shape[1 if first else 2] != input_shape[1]:
            raise ValueError("input_shape does not match input_tensor")
    rows, cols = input_rows(input_shape, input_tensor, first)
    default_size = rows if rows == cols and rows in WEIGHT_SIZES else 224
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=32, require_flatten=include_top, weights=weights)
    rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
    if weights == "imagenet":
        if alpha not in (0.35, 0.5, 0.75, 1.0, 1.3, 1.4):
            raise ValueError("ImageNet weights need alpha 0.35, 0.5, 0.75, 1.0, 1.3 or 1.4")
        if rows != cols or rows not in WEIGHT_SIZES:
            rows = 224
    image = image_input(input_tensor, input_shape)
    axis = 1 if first else -1
    x = layers.Conv2D(make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(image)
    x = bn(x, "bn_Conv1", axis)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = inverted_residual(x, filters, alpha, stride, expansion, block_id, axis)
    last_filters = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = bn(x, "Conv_1_bn", axis)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = classifier(x, classes, classifier_activation, weights)
    else:
        x = pooled(x, pooling)
    if name is None:
        name = "mobilenetv2_{:0.2f}_{}".format(alpha, rows)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)
