"""What every application does around its own layers, restated.

The input shape rules, the input tensor, the checks on ``weights``, ``classes`` and
``classifier_activation``, the padding before strided convolutions and the heads, as
keras/src/applications/imagenet_utils.py (``obtain_input_shape``, ``correct_pad``,
``validate_activation``) and the opening and closing lines of each application define
them. A check Keras makes becomes a ``raise``: padlint's evaluator turns the model into
"unknown" there, as Keras would fail there.
"""

from keras import backend, layers, utils


def channels_first():
    return backend.image_data_format() == "channels_first"


def check_arguments(weights, include_top, classes):
    """``weights`` is None, "imagenet" or a weights file (taken to exist); ImageNet weights
    with the classifier mean 1000 classes."""
    if not (weights is None or weights == "imagenet" or isinstance(weights, str)):
        raise ValueError("weights must be None, 'imagenet' or the path of a weights file")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("ImageNet weights with include_top=True need classes=1000")


def obtain_input_shape(input_shape, default_size, min_size, require_flatten, weights=None):
    """The input shape (without the batch axis) Keras gives the model: the default size
    when a classifier is included or none is given, else the user's shape, checked."""
    first = channels_first()
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if first else input_shape[-1]
    else:
        channels = 3
    default_shape = (channels, default_size, default_size) if first else (default_size, default_size, channels)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and input_shape != default_shape:
            raise ValueError("ImageNet weights with include_top=True need the default input shape")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError("input_shape must have three entries")
        if weights == "imagenet" and (input_shape[0] if first else input_shape[-1]) != 3:
            raise ValueError("ImageNet weights need 3 input channels")
        rows, cols = (input_shape[1], input_shape[2]) if first else (input_shape[0], input_shape[1])
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError("the input is smaller than the model's minimum size")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("include_top=True needs a static input shape")
    return input_shape


def image_input(input_tensor, input_shape):
    """The tensor the network starts from: a new Input, or the user's tensor."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        raise ValueError("input_tensor must be a Keras tensor")
    return input_tensor


def model_inputs(input_tensor, image):
    """The model's inputs: the Input made here, or the inputs the user's tensor comes from."""
    if input_tensor is None:
        return image
    return utils.get_source_inputs(input_tensor)


def validate_activation(classifier_activation, weights):
    """Pretrained weights only go with a softmax (or linear) classifier."""
    if weights is not None and classifier_activation not in (None, "softmax", "linear"):
        raise ValueError("pretrained weights need classifier_activation None or 'softmax'")


def classifier(x, classes, classifier_activation, weights, pool_name=None):
    """Global average pooling and the Dense layer named "predictions"."""
    x = layers.GlobalAveragePooling2D(name=pool_name)(x)
    validate_activation(classifier_activation, weights)
    return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)


def pooled(x, pooling, avg_name=None, max_name=None):
    """The ``pooling`` argument without a classifier: None, "avg" or "max"."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def batch_norm_axis():
    return 1 if channels_first() else 3


def correct_pad(x, kernel_size):
    """The ZeroPadding2D before a stride-2 'valid' convolution that makes it act as 'same'
    would on TensorFlow: one row and column less before when the size is even."""
    first_axis = 2 if channels_first() else 1
    rows, cols = x.shape[first_axis], x.shape[first_axis + 1]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    before = (1, 1) if rows is None else (1 - rows % 2, 1 - cols % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - before[0], half[0]), (half[1] - before[1], half[1]))


def make_divisible(value, divisor=8, min_value=None):
    """The nearest multiple of ``divisor`` (at least ``min_value``), never 10% below ``value``."""
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return rounded
