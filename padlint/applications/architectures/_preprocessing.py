"""``preprocess_input`` on a symbolic tensor (Keras: keras/src/applications/imagenet_utils.py).

Each mode is a few keras.ops operations, which a functional model lists as rows:
"tf" scales to [-1, 1] (``x / 127.5 - 1``), "torch" scales to [0, 1] and standardises
each channel, "caffe" reorders RGB to BGR (three slices stacked again) and subtracts
the ImageNet mean. The mean and the deviations are constants of shape ``(3,)`` reshaped
to broadcast over the channel axis; their values never matter to a shape, so tensors
of the same shapes stand for them here.
"""

from keras import backend, ops

BGR = (2, 1, 0)


def preprocess_input(x, data_format=None, mode="caffe"):
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError("mode must be 'caffe', 'tf' or 'torch'")
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in ("channels_first", "channels_last"):
        raise ValueError("data_format must be 'channels_first' or 'channels_last'")
    rank = len(x.shape)
    first = data_format == "channels_first"
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
    elif first and rank == 3:
        x = ops.stack([x[channel, ...] for channel in BGR], axis=0)
    elif first:
        x = ops.stack([x[:, channel, :] for channel in BGR], axis=1)
    else:
        x = ops.stack([x[..., channel] for channel in BGR], axis=-1)
    if not first:
        mean_shape = (1,) * (rank - 1) + (3,)
    elif rank == 3:
        mean_shape = (3, 1, 1)
    else:
        mean_shape = (1, 3) + (1,) * (rank - 2)
    x += ops.zeros(mean_shape)
    if mode == "torch":
        x /= ops.ones((3, 1, 1) if first else (3,))
    return x


def caffe(x, data_format=None):
    return preprocess_input(x, data_format=data_format, mode="caffe")


def tf(x, data_format=None):
    return preprocess_input(x, data_format=data_format, mode="tf")


def torch(x, data_format=None):
    return preprocess_input(x, data_format=data_format, mode="torch")


def identity(x, data_format=None):
    return x
