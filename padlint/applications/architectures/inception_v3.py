"""InceptionV3 (Keras: keras/src/applications/inception_v3.py).

Every convolution is a bias-free Conv2D, a BatchNormalization without scale and a ReLU,
all three named automatically. After a stem of five convolutions and two poolings come
eleven "mixed" blocks: parallel branches concatenated on the channel axis. A branch is
written here as its steps, in the order Keras builds them (which fixes the automatic
names): ``(filters, rows, cols)`` is a 'same' convolution, a fourth and fifth entry give
another padding and the strides; "avg" is a 3x3 'same' average pooling, "max" a 3x3
stride-2 max pooling; ``("split", name, conv, conv)`` applies two convolutions to the
same tensor and concatenates them.
"""

import keras
from keras import layers

from ._common import batch_norm_axis, check_arguments, classifier, image_input, model_inputs, obtain_input_shape, pooled


def conv_bn(x, filters, rows, cols, padding="same", strides=1):
    x = layers.Conv2D(filters, (rows, cols), strides=(strides, strides), padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization(axis=batch_norm_axis(), scale=False)(x)
    return layers.Activation("relu")(x)


def run_branch(x, steps):
    for step in steps:
        if step == "avg":
            x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
        elif step == "max":
            x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
        elif step[0] == "split":
            parts = [conv_bn(x, *conv) for conv in step[2:]]
            x = layers.concatenate(parts, axis=batch_norm_axis(), name=step[1])
        else:
            x = conv_bn(x, *step)
    return x


def mixed(x, branches, name):
    return layers.concatenate([run_branch(x, steps) for steps in branches], axis=batch_norm_axis(), name=name)


def blocks_35(pool_filters):
    return [[(64, 1, 1)], [(48, 1, 1), (64, 5, 5)], [(64, 1, 1), (96, 3, 3), (96, 3, 3)], ["avg", (pool_filters, 1, 1)]]


def blocks_17(width):
    return [
        [(192, 1, 1)],
        [(width, 1, 1), (width, 1, 7), (192, 7, 1)],
        [(width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)],
        ["avg", (192, 1, 1)],
    ]


def blocks_8(index):
    return [
        [(320, 1, 1)],
        [(384, 1, 1), ("split", f"mixed9_{index}", (384, 1, 3), (384, 3, 1))],
        [(448, 1, 1), (384, 3, 3), ("split", None, (384, 1, 3), (384, 3, 1))],
        ["avg", (192, 1, 1)],
    ]


MIXED = [
    ("mixed0", blocks_35(32)),
    ("mixed1", blocks_35(64)),
    ("mixed2", blocks_35(64)),
    ("mixed3", [[(384, 3, 3, "valid", 2)], [(64, 1, 1), (96, 3, 3), (96, 3, 3, "valid", 2)], ["max"]]),
    ("mixed4", blocks_17(128)),
    ("mixed5", blocks_17(160)),
    ("mixed6", blocks_17(160)),
    ("mixed7", blocks_17(192)),
    ("mixed8", [[(192, 1, 1), (320, 3, 3, "valid", 2)], [(192, 1, 1), (192, 1, 7), (192, 7, 1), (192, 3, 3, "valid", 2)], ["max"]]),
    ("mixed9", blocks_8(0)),
    ("mixed10", blocks_8(1)),
]

STEM = [(32, 3, 3, "valid", 2), (32, 3, 3, "valid"), (64, 3, 3), "max", (80, 1, 1, "valid"), (192, 3, 3, "valid"), "max"]


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="inception_v3"):
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=299, min_size=75, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    x = run_branch(image, STEM)
    for block_name, branches in MIXED:
        x = mixed(x, branches, block_name)
    if include_top:
        x = classifier(x, classes, classifier_activation, weights, pool_name="avg_pool")
    else:
        x = pooled(x, pooling)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)
