"""InceptionResNetV2 (Keras: keras/src/applications/inception_resnet_v2.py).

Inception branches (automatically named bias-free convolutions with a scale-free
BatchNormalization and a ReLU) inside residual blocks: each block concatenates its
branches, projects them back to the block's width with a biased 1x1 convolution and
adds the projection, scaled, to its input (``CustomScaleLayer``). Ten "block35", twenty
"block17" and ten "block8" blocks, separated by the reductions mixed_6a and mixed_7a.
Branch steps: ``(filters, kernel)`` is a 'same' convolution, a third and fourth entry
give the strides and another padding; "avg" and "max" are the blocks' poolings.
"""

import keras
from keras import layers
from keras.src.applications.inception_resnet_v2 import CustomScaleLayer

from ._common import batch_norm_axis, check_arguments, classifier, image_input, model_inputs, obtain_input_shape, pooled


def conv_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None):
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=batch_norm_axis(), scale=False, name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def run_branch(x, steps):
    for step in steps:
        if step == "avg":
            x = layers.AveragePooling2D(3, strides=1, padding="same")(x)
        elif step == "max":
            x = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
        else:
            x = conv_bn(x, *step)
    return x


def concatenated(x, branches, name):
    outputs = [run_branch(x, steps) for steps in branches]
    return layers.Concatenate(axis=batch_norm_axis(), name=name)(outputs)


RESIDUAL_BRANCHES = {
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, [1, 7]), (192, [7, 1])]],
    "block8": [[(192, 1)], [(192, 1), (224, [1, 3]), (256, [3, 1])]],
}


def residual_block(x, kind, index, scale, activation="relu"):
    name = f"{kind}_{index}"
    mixed = concatenated(x, RESIDUAL_BRANCHES[kind], f"{name}_mixed")
    up = conv_bn(mixed, x.shape[batch_norm_axis()], 1, activation=None, use_bias=True, name=f"{name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{name}_ac")(x)
    return x


STEM = [(32, 3, 2, "valid"), (32, 3, 1, "valid"), (64, 3), "max", (80, 1, 1, "valid"), (192, 3, 1, "valid"), "max"]
MIXED_5B = [[(96, 1)], [(48, 1), (64, 5)], [(64, 1), (96, 3), (96, 3)], ["avg", (64, 1)]]
MIXED_6A = [[(384, 3, 2, "valid")], [(256, 1), (256, 3), (384, 3, 2, "valid")], ["max"]]
MIXED_7A = [[(256, 1), (384, 3, 2, "valid")], [(256, 1), (288, 3, 2, "valid")], [(256, 1), (288, 3), (320, 3, 2, "valid")], ["max"]]


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="inception_resnet_v2"):
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=299, min_size=75, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    x = run_branch(image, STEM)
    x = concatenated(x, MIXED_5B, "mixed_5b")
    for index in range(1, 11):
        x = residual_block(x, "block35", index, 0.17)
    x = concatenated(x, MIXED_6A, "mixed_6a")
    for index in range(1, 21):
        x = residual_block(x, "block17", index, 0.1)
    x = concatenated(x, MIXED_7A, "mixed_7a")
    for index in range(1, 10):
        x = residual_block(x, "block8", index, 0.2)
    x = residual_block(x, "block8", 10, 1.0, activation=None)
    x = conv_bn(x, 1536, 1, name="conv_7b")
    if include_top:
        x = classifier(x, classes, classifier_activation, weights, pool_name="avg_pool")
    else:
        x = pooled(x, pooling)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)
