"""ConvNeXtTiny, Small, Base, Large and XLarge (Keras: keras/src/applications/convnext.py).

A patchifying stem (4x4 stride-4 convolution, LayerNormalization) and three
downsampling steps, each a small Sequential model, between four stages of ConvNeXt
blocks: a 7x7 depthwise convolution (a grouped Conv2D), LayerNormalization, a Dense
expansion to four times the width with GELU, a Dense projection back, a LayerScale,
and the residual addition (a keras.ops ``add``: ``inputs + layer(x)``). The input is
normalised with ImageNet's statistics inside the model (``include_preprocessing``).
Channels-last only.
"""

import keras
from keras import layers, utils
from keras.src.applications.convnext import LayerScale, StochasticDepth

from ._common import channels_first, check_arguments, image_input, obtain_input_shape, validate_activation

#: Blocks per stage and their widths.
CONFIGURATIONS = {
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)),
    "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
    "base": ((3, 3, 27, 3), (128, 256, 512, 1024)),
    "large": ((3, 3, 27, 3), (192, 384, 768, 1536)),
    "xlarge": ((3, 3, 27, 3), (256, 512, 1024, 2048)),
}
EPSILON = 1e-6


def convnext_block(inputs, width, drop_path_rate, layer_scale, name):
    x = layers.Conv2D(filters=width, kernel_size=7, padding="same", groups=width, name=f"{name}_depthwise_conv")(inputs)
    x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * width, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(width, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale is not None:
        x = LayerScale(layer_scale, width, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        last = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
    else:
        last = layers.Activation("linear", name=f"{name}_identity")
    return inputs + last(x)


def downsampling(widths, name):
    """The stem and the three downsampling steps, made before any is used."""
    steps = [keras.Sequential([layers.Conv2D(widths[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"), layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_stem_layernorm")], name=f"{name}_stem")]
    for index in range(3):
        normalization = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_downsampling_layernorm_{index}")
        convolution = layers.Conv2D(widths[index + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{index}")
        steps.append(keras.Sequential([normalization, convolution], name=f"{name}_downsampling_block_{index}"))
    return steps


def convnext(size, include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name, drop_path_rate=0.0, layer_scale=1e-6):
    depths, widths = CONFIGURATIONS[size]
    if channels_first():
        raise ValueError("ConvNeXt does not support the channels_first image data format")
    check_arguments(weights, include_top, classes)
    input_shape = obtain_input_shape(input_shape, default_size=224, min_size=32, require_flatten=include_top, weights=weights)
    image = image_input(input_tensor, input_shape)
    inputs = image if input_tensor is None else utils.get_source_inputs(input_tensor)[0]
    x = image
    if include_preprocessing and input_shape[2] == 3:
        mean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
        variance = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]
        x = layers.Normalization(mean=mean, variance=variance, name=f"{name}_prestem_normalization")(x)
    steps = downsampling(widths, name)
    block = 0
    for stage in range(4):
        x = steps[stage](x)
        for number in range(depths[stage]):
            rate = drop_path_rate * (block + number) / max(sum(depths) - 1, 1)
            x = convnext_block(x, widths[stage], rate, layer_scale, f"{name}_stage_{stage}_block_{number}")
        block += depths[stage]
    if include_top:
        validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=EPSILON, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=EPSILON)(x)
    model = keras.Model(inputs=inputs, outputs=x, name=name)
    if weights == "imagenet" and f"convnext_{size}" not in name:
        raise ValueError("with ImageNet weights the model's name must contain the variant (convnext_tiny, ...)")
    return model


def ConvNeXtTiny(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_tiny"):
    return convnext("tiny", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ConvNeXtSmall(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_small"):
    return convnext("small", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ConvNeXtBase(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_base"):
    return convnext("base", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ConvNeXtLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_large"):
    return convnext("large", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)


def ConvNeXtXLarge(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None, classes=1000, classifier_activation="softmax", name="convnext_xlarge"):
    return convnext("xlarge", include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name)
