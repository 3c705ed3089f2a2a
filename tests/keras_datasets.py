"""Keras' datasets without the network, for the oracle (tests/keras_models.py).

The CI machine cannot download, so while a fixture runs in Keras every
``keras.datasets.<name>.load_data`` returns arrays of the documented shapes and
dtypes instead (keras/src/datasets/*.py: the ``assert x_train.shape == ...``
lines of their docstrings, the sample counts they state, and the split
``int(len(x) * (1 - test_split))`` their code makes). Images are zeros; labels
cycle through every class, so ``np.max(y) + 1`` is the class count, as on the
real data; IMDB and Reuters are object arrays of lists of word indices of
varying length. This table is the tests' own reading of Keras' documentation,
independent of padlint's (padlint/evaluation/datasets.py).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import numpy as np

#: name -> (train samples, test samples, image shape (channels_last), label axes, label dtype, classes)
IMAGES = {
    "mnist": (60000, 10000, (28, 28), (), "uint8", 10),
    "fashion_mnist": (60000, 10000, (28, 28), (), "uint8", 10),
    "cifar10": (50000, 10000, (32, 32, 3), (1,), "uint8", 10),
}
#: cifar100's documented shapes; its labels are reshaped Python lists (int64).
CIFAR100 = (50000, 10000, (32, 32, 3), (1,), "int64")
BOSTON_ROWS, BOSTON_FEATURES = 506, 13
CALIFORNIA_ROWS = {"large": 20640, "small": 600}
IMDB_REVIEWS = 25000
REUTERS_NEWSWIRES, REUTERS_TOPICS = 11228, 46


def _labels(count: int, axes: tuple, dtype: str, classes: int) -> np.ndarray:
    return (np.arange(count) % classes).astype(dtype).reshape((count, *axes))


def _images(count: int, image: tuple) -> np.ndarray:
    import keras

    if len(image) == 3 and keras.config.image_data_format() == "channels_first":
        image = (image[-1], *image[:-1])
    return np.zeros((count, *image), dtype="uint8")


def _image_loader(name: str):
    train, test, image, axes, dtype, classes = IMAGES[name]

    def load_data(*args, **kwargs):
        return (_images(train, image), _labels(train, axes, dtype, classes)), (_images(test, image), _labels(test, axes, dtype, classes))

    return load_data


def _cifar100(label_mode="fine"):
    if label_mode not in ("fine", "coarse"):
        raise ValueError(label_mode)
    train, test, image, axes, dtype = CIFAR100
    classes = 100 if label_mode == "fine" else 20
    return (_images(train, image), _labels(train, axes, dtype, classes)), (_images(test, image), _labels(test, axes, dtype, classes))


def _split(rows: int, test_split: float) -> int:
    return int(rows * (1 - test_split))


def _tabular(rows: int, features: int, test_split: float):
    train = _split(rows, test_split)
    x, y = np.zeros((rows, features)), np.zeros((rows,))
    return (x[:train], y[:train]), (x[train:], y[train:])


def _boston(path="boston_housing.npz", test_split=0.2, seed=113):
    return _tabular(BOSTON_ROWS, BOSTON_FEATURES, test_split)


def _california(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    return _tabular(CALIFORNIA_ROWS[version], 8, test_split)


def _sequences(count: int, maxlen: int | None, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Word-index lists of lengths 5 .. 404 (``maxlen`` keeps the shorter ones, as the loaders do)."""
    lengths = [5 + (index * 37) % 400 for index in range(count)]
    kept = [index for index, length in enumerate(lengths) if not maxlen or length < maxlen]
    sequences = np.empty(len(kept), dtype="object")
    for position, index in enumerate(kept):
        sequences[position] = [1] + [4 + (index + step) % 50 for step in range(lengths[index] - 1)]
    labels = np.array([index % classes for index in kept], dtype="int64")
    return sequences, labels


def _imdb(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, *args, **kwargs):
    return _sequences(IMDB_REVIEWS, maxlen, 2), _sequences(IMDB_REVIEWS, maxlen, 2)


def _reuters(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, *args, **kwargs):
    sequences, labels = _sequences(REUTERS_NEWSWIRES, maxlen, REUTERS_TOPICS)
    train = _split(len(sequences), test_split)
    return (sequences[:train], labels[:train]), (sequences[train:], labels[train:])


LOADERS = {
    **{name: _image_loader(name) for name in IMAGES},
    "cifar100": _cifar100,
    "boston_housing": _boston,
    "california_housing": _california,
    "imdb": _imdb,
    "reuters": _reuters,
}


@contextlib.contextmanager
def offline_datasets() -> Iterator[None]:
    """Every spelling of ``keras.datasets.<name>.load_data`` (``tf.keras.datasets`` is the same
    module in Keras 3) returns the documented arrays while the block runs."""
    import importlib

    patched = []
    for name, loader in LOADERS.items():
        for module_name in (f"keras.datasets.{name}", f"keras.src.datasets.{name}"):
            module = sys.modules.get(module_name) or importlib.import_module(module_name)
            patched.append((module, module.load_data))
            module.load_data = loader
    try:
        yield
    finally:
        for module, original in patched:
            module.load_data = original
