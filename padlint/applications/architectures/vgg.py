"""VGG16 and VGG19 (Keras: keras/src/applications/vgg16.py, vgg19.py).

Five blocks of 3x3 'same' convolutions with ReLU, each closed by a 2x2 max pooling of
stride 2; the classifier flattens and has two 4096-unit layers before "predictions".
"""

from keras import layers

from ._common import check_arguments, image_input, model_inputs, obtain_input_shape, pooled, validate_activation

import keras

#: Convolutions per block, and their filters.
VGG16_BLOCKS = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))
VGG19_BLOCKS = ((2, 64), (2, 128), (4, 256), (4, 512), (4, 512))


def vgg(blocks, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name):
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=224, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    x = image
    for block, (convolutions, filters) in enumerate(blocks, start=1):
        for number in range(1, convolutions + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{number}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling)
    return keras.Model(model_inputs(input_tensor, image), x, name=name)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    return vgg(VGG16_BLOCKS, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    return vgg(VGG19_BLOCKS, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
