"""NASNetMobile and NASNetLarge (Keras: keras/src/applications/nasnet.py).

NASNet-A: a strided stem, two reduction cells, then three stacks of normal cells
separated by reduction cells. Each cell combines its input ``ip`` with the previous
cell's output ``p`` (first adjusted to the same size and width: a factorised
reduction when the sizes differ, a 1x1 projection when only the widths do) through
five pairs of separable convolutions, poolings and identities, added pairwise and
concatenated. Many ReLUs, paddings and additions are named automatically, so the
cells are built in exactly Keras' order. Channels-last only.
"""

import keras
from keras import layers

from ._common import channels_first, check_arguments, correct_pad, image_input, model_inputs, obtain_input_shape, pooled, validate_activation


def bn(x, name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def separable_block(x, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """ReLU and separable convolution twice (the first strided, after explicit padding)."""
    x = layers.Activation("relu")(x)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size), name=f"separable_conv_1_pad_{block_id}")(x)
        padding = "valid"
    else:
        padding = "same"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}", padding=padding, use_bias=False)(x)
    x = bn(x, f"separable_conv_1_bn_{block_id}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same", use_bias=False)(x)
    return bn(x, f"separable_conv_2_bn_{block_id}")


def adjust(p, ip, filters, block_id):
    """``p`` brought to ``ip``'s size (two offset strided halves) or to ``filters`` channels."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_1_{block_id}")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_2_{block_id}")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=f"adjust_conv_projection_{block_id}", use_bias=False)(p)
        return bn(p, f"adjust_bn_{block_id}")
    return p


def squeezed(ip, filters, kind, block_id):
    """The cell's own input: ReLU, a 1x1 convolution to ``filters`` and BatchNormalization."""
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", name=f"{kind}_conv_1_{block_id}", use_bias=False)(h)
    return bn(h, f"{kind}_bn_1_{block_id}")


def average(x, name, strides=(1, 1), padding="same"):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)(x)


def normal_cell(ip, p, filters, block_id):
    p = adjust(p, ip, filters, block_id)
    h = squeezed(ip, filters, "normal", block_id)
    x1 = layers.add([separable_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"), separable_block(p, filters, block_id=f"normal_right1_{block_id}")], name=f"normal_add_1_{block_id}")
    x2 = layers.add([separable_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"), separable_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")], name=f"normal_add_2_{block_id}")
    x3 = layers.add([average(h, f"normal_left3_{block_id}"), p], name=f"normal_add_3_{block_id}")
    x4 = layers.add([average(p, f"normal_left4_{block_id}"), average(p, f"normal_right4_{block_id}")], name=f"normal_add_4_{block_id}")
    x5 = layers.add([separable_block(h, filters, block_id=f"normal_left5_{block_id}"), h], name=f"normal_add_5_{block_id}")
    return layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}"), ip


def reduction_cell(ip, p, filters, block_id):
    p = adjust(p, ip, filters, block_id)
    h = squeezed(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1_1 = separable_block(h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}")
    x1 = layers.add([x1_1, separable_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}")], name=f"reduction_add_1_{block_id}")
    x2_1 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3)
    x2 = layers.add([x2_1, separable_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}")], name=f"reduction_add_2_{block_id}")
    x3_1 = average(h3, f"reduction_left3_{block_id}", strides=(2, 2), padding="valid")
    x3 = layers.add([x3_1, separable_block(p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}")], name=f"reduction_add3_{block_id}")
    x4 = layers.add([x2, average(x1, f"reduction_left4_{block_id}")])
    x5_1 = separable_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}")
    x5_2 = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3)
    x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
    return layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}"), ip


def nasnet(input_shape, penultimate_filters, num_blocks, stem_filters, skip_reduction, filter_multiplier, include_top, weights, input_tensor, pooling, classes, default_size, classifier_activation, name):
    if channels_first():
        raise ValueError("NASNet does not support the channels_first image data format")
    check_arguments(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError("NASNet with ImageNet weights needs a static input shape")
    input_shape = obtain_input_shape(input_shape, default_size=default_size, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    if penultimate_filters % (24 * filter_multiplier**2) != 0:
        raise ValueError("penultimate_filters must be a multiple of 24 * filter_multiplier ** 2")
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1")(image)
    x = bn(x, "stem_bn1")
    x, p = reduction_cell(x, None, filters // filter_multiplier**2, "stem_1")
    x, p = reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    for stack in range(3):
        if stack:
            x, reduced = reduction_cell(x, p, filters * filter_multiplier**stack, f"reduce_{stack * num_blocks}")
            p = p if skip_reduction else reduced
        for index in range(num_blocks):
            x, p = normal_cell(x, p, filters * filter_multiplier**stack, f"{stack * num_blocks + index + (1 if stack else 0)}")
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_mobile"):
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return nasnet(input_shape, 1056, 4, 32, False, 2, include_top, weights, input_tensor, pooling, classes, 224, classifier_activation, name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name="nasnet_large"):
    return nasnet(input_shape, 4032, 6, 96, True, 2, include_top, weights, input_tensor, pooling, classes, 331, classifier_activation, name)
