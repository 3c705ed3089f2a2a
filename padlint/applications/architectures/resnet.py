"""ResNet50/101/152 and ResNet50V2/101V2/152V2 (Keras: keras/src/applications/resnet.py,
resnet_v2.py).

A 7x7 stride-2 stem, a 3x3 max pooling, four stages of bottleneck blocks (1x1, 3x3,
1x1 with four times the filters) and a global average pooling. Version 1 normalises
after each convolution and adds the shortcut before the last ReLU; version 2
pre-activates each block, strides at the end of a stage instead of its start, and
normalises once more after the last stage.
"""

import keras
from keras import layers

from ._common import batch_norm_axis, check_arguments, classifier, image_input, model_inputs, obtain_input_shape, pooled

EPSILON = 1.001e-5

#: Blocks per stage (filters 64, 128, 256, 512).
DEPTHS = {"50": (3, 4, 6, 3), "101": (3, 4, 23, 3), "152": (3, 8, 36, 3)}
STAGE_FILTERS = (64, 128, 256, 512)


def bn(x, name):
    return layers.BatchNormalization(axis=batch_norm_axis(), epsilon=EPSILON, name=name)(x)


def bottleneck(x, filters, stride, projection, name):
    """Version 1: conv-BN-ReLU twice, conv-BN, then the shortcut is added and activated."""
    if projection:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = bn(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    y = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    y = layers.Activation("relu", name=f"{name}_1_relu")(bn(y, f"{name}_1_bn"))
    y = layers.Conv2D(filters, 3, padding="SAME", name=f"{name}_2_conv")(y)
    y = layers.Activation("relu", name=f"{name}_2_relu")(bn(y, f"{name}_2_bn"))
    y = bn(layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(y), f"{name}_3_bn")
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.Activation("relu", name=f"{name}_out")(y)


def preactivated_bottleneck(x, filters, stride, projection, name):
    """Version 2: BN-ReLU first (the projection shortcut starts there), the stride on the
    3x3 convolution after explicit padding, no normalisation after the last convolution."""
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(bn(x, f"{name}_preact_bn"))
    if projection:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    y = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    y = layers.Activation("relu", name=f"{name}_1_relu")(bn(y, f"{name}_1_bn"))
    y = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(y)
    y = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(y)
    y = layers.Activation("relu", name=f"{name}_2_relu")(bn(y, f"{name}_2_bn"))
    y = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(y)
    return layers.Add(name=f"{name}_out")([shortcut, y])


def stages_v1(x, depths):
    for stage, (blocks, filters) in enumerate(zip(depths, STAGE_FILTERS), start=2):
        for block in range(1, blocks + 1):
            stride = 2 if block == 1 and stage > 2 else 1
            x = bottleneck(x, filters, stride, block == 1, f"conv{stage}_block{block}")
    return x


def stages_v2(x, depths):
    for stage, (blocks, filters) in enumerate(zip(depths, STAGE_FILTERS), start=2):
        for block in range(1, blocks + 1):
            stride = 2 if block == blocks and stage < 5 else 1
            x = preactivated_bottleneck(x, filters, stride, block == 1, f"conv{stage}_block{block}")
    return x


def resnet(depth, preact, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=224, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(image)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not preact:
        x = layers.Activation("relu", name="conv1_relu")(bn(x, "conv1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    if preact:
        x = stages_v2(x, DEPTHS[depth])
        x = layers.Activation("relu", name="post_relu")(bn(x, "post_bn"))
    else:
        x = stages_v1(x, DEPTHS[depth])
    if include_top:
        x = classifier(x, classes, classifier_activation, weights, pool_name="avg_pool")
    else:
        x = pooled(x, pooling, avg_name="avg_pool", max_name="max_pool")
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    return resnet("50", False, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    return resnet("101", False, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    return resnet("152", False, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    return resnet("50", True, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet101v2"):
    return resnet("101", True, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="resnet152v2"):
    return resnet("152", True, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
