"""Keras' bundled datasets and data utilities, as shapes: ``keras.datasets.mnist.load_data()``,
``keras.utils.to_categorical``, ``pad_sequences``, ``keras.utils.normalize``.

The arrays ``load_data()`` returns have documented, fixed shapes and dtypes: they
are facts, not data, so ``input_shape=x_train.shape[1:]`` is known. Each entry
below mirrors the dataset's loader in keras/src/datasets/ (the sample counts,
the split ``int(len(x) * (1 - test_split))`` of the housing and Reuters loaders,
CIFAR's transpose to channels_last, IMDB and Reuters' object arrays of
variable-length word-index lists, whose count a ``maxlen`` filter makes data).
A dtype padlint is not sure of is None.

Label arrays carry ``classes`` when their values are exactly ``0 .. n - 1`` with
every class present (MNIST's digits, CIFAR's classes, IMDB's two sentiments):
``to_categorical(y_train)`` then has ``n`` columns, as ``np.max(y) + 1`` gives
it. A split whose class coverage is not certain (Reuters' 46 topics over an
80/20 split, anything filtered by ``maxlen``) has no ``classes``: unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from padlint.evaluation import arrays
from padlint.evaluation.arrays import UNKNOWN_DIM, ArrayValue, is_int
from padlint.evaluation.numpy_api import argument, as_array, dtype_of
from padlint.evaluation.values import Unknown

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter

Implementation = Callable[["Interpreter", list, dict], Any]


@dataclass(frozen=True)
class ImageDataset:
    """An image dataset of fixed size (keras/src/datasets/mnist.py, fashion_mnist.py, cifar10.py, cifar100.py)."""

    train: int
    test: int
    image: tuple  # channels_last, without the channel axis for greyscale
    label_shape: tuple  # after the sample axis: () or (1,)
    label_dtype: str | None
    classes: int
    #: Transposed to channels_last only when Keras' image_data_format is channels_last (CIFAR).
    follows_data_format: bool = False

    def images(self, count: int, data_format: str) -> ArrayValue:
        shape = self.image
        if self.follows_data_format and data_format == "channels_first":
            shape = (shape[-1], *shape[:-1])
        return ArrayValue((count, *shape), "uint8")

    def labels(self, count: int, classes: int | None) -> ArrayValue:
        return ArrayValue((count, *self.label_shape), self.label_dtype, classes)


MNIST = ImageDataset(60000, 10000, (28, 28), (), "uint8", 10)
CIFAR10 = ImageDataset(50000, 10000, (32, 32, 3), (1,), "uint8", 10, follows_data_format=True)
#: cifar100.py reshapes the label lists with np.reshape: int64 arrays; 100 fine or 20 coarse classes.
CIFAR100 = ImageDataset(50000, 10000, (32, 32, 3), (1,), "int64", 100, follows_data_format=True)
CIFAR100_COARSE_CLASSES = 20


def _images(dataset: ImageDataset) -> Implementation:
    def load_data(interp: Interpreter, args: list, kwargs: dict) -> Any:
        data_format = interp.keras.image_data_format
        return (
            (dataset.images(dataset.train, data_format), dataset.labels(dataset.train, dataset.classes)),
            (dataset.images(dataset.test, data_format), dataset.labels(dataset.test, dataset.classes)),
        )

    return load_data


def _cifar100(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``cifar100.load_data(label_mode="fine")``: 100 fine or 20 coarse classes (another mode raises)."""
    mode = argument(args, kwargs, 0, "label_mode", "fine")
    if isinstance(mode, str) and mode not in ("fine", "coarse"):
        return Unknown("cifar100.load_data raises for that label_mode")
    classes = {"fine": CIFAR100.classes, "coarse": CIFAR100_COARSE_CLASSES}.get(mode) if isinstance(mode, str) else None
    data_format = interp.keras.image_data_format
    return (
        (CIFAR100.images(CIFAR100.train, data_format), CIFAR100.labels(CIFAR100.train, classes)),
        (CIFAR100.images(CIFAR100.test, data_format), CIFAR100.labels(CIFAR100.test, classes)),
    )


def _split(samples: int, test_split: Any) -> tuple[Any, Any]:
    """``int(len(x) * (1 - test_split))`` training samples, the rest for testing
    (boston_housing.py, california_housing.py, reuters.py); unknown for an unknown split."""
    if not isinstance(test_split, (int, float)) or isinstance(test_split, bool) or not 0 <= test_split < 1:
        return UNKNOWN_DIM, UNKNOWN_DIM
    train = int(samples * (1 - test_split))
    return train, samples - train


#: Rows and features of the housing datasets (boston_housing.py: 506 x 13; california_housing.py:
#: 20,640 x 8, or its first 600 rows with version="small").
BOSTON = (506, 13)
CALIFORNIA = {"large": (20640, 8), "small": (600, 8)}


def _tabular(rows: Any, features: int, test_split: Any, dtype: str | None) -> Any:
    train, test = _split(rows, test_split) if is_int(rows) else (UNKNOWN_DIM, UNKNOWN_DIM)
    return (
        (ArrayValue((train, features), dtype), ArrayValue((train,), dtype)),
        (ArrayValue((test, features), dtype), ArrayValue((test,), dtype)),
    )


def _boston(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``boston_housing.load_data(path, test_split=0.2, seed=113)``: float64 features and prices."""
    return _tabular(BOSTON[0], BOSTON[1], argument(args, kwargs, 1, "test_split", 0.2), "float64")


def _california(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``california_housing.load_data(version="large", path, test_split=0.2, seed=113)``."""
    version = argument(args, kwargs, 0, "version", "large")
    if isinstance(version, str) and version not in CALIFORNIA:
        return Unknown("california_housing.load_data raises for that version")
    rows = CALIFORNIA[version][0] if isinstance(version, str) else UNKNOWN_DIM
    return _tabular(rows, 8, argument(args, kwargs, 2, "test_split", 0.2), None)


def _sequences(count: Any, classes: int | None) -> tuple[ArrayValue, ArrayValue]:
    """Word-index sequences of varying length (an object array: one axis) and their labels."""
    return ArrayValue((count,), "object"), ArrayValue((count,), None, classes)


#: IMDB: 25,000 reviews for training and 25,000 for testing, labels 0 and 1 (imdb.py).
IMDB_SAMPLES = 25000
#: Reuters: 11,228 newswires over 46 topics, split by ``test_split`` (reuters.py).
REUTERS_SAMPLES = 11228


def _filtered(kwargs: dict, args: list, position: int) -> bool | None:
    """Whether ``maxlen`` drops sequences (it keeps those shorter than it): None when not known."""
    maxlen = argument(args, kwargs, position, "maxlen")
    if maxlen is None or maxlen == 0:
        return False
    return True if isinstance(maxlen, int) else None


def _imdb(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``imdb.load_data(path, num_words, skip_top, maxlen, ...)``: num_words changes values only."""
    filtered = _filtered(kwargs, args, 3)
    count: Any = IMDB_SAMPLES if filtered is False else UNKNOWN_DIM
    classes = 2 if filtered is False else None
    return _sequences(count, classes), _sequences(count, classes)


def _reuters(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``reuters.load_data(path, num_words, skip_top, maxlen, test_split=0.2, ...)``."""
    filtered = _filtered(kwargs, args, 3)
    if filtered is False:
        train, test = _split(REUTERS_SAMPLES, argument(args, kwargs, 4, "test_split", 0.2))
    else:
        train, test = UNKNOWN_DIM, UNKNOWN_DIM
    return _sequences(train, None), _sequences(test, None)


LOADERS: dict[str, Implementation] = {
    "mnist": _images(MNIST),
    "fashion_mnist": _images(MNIST),
    "cifar10": _images(CIFAR10),
    "cifar100": _cifar100,
    "boston_housing": _boston,
    "california_housing": _california,
    "imdb": _imdb,
    "reuters": _reuters,
}


# -------------------------------------------------------------- utilities


def to_categorical(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """Mirror of keras/src/utils/numerical_utils.py ``to_categorical`` on NumPy input: a last
    axis of 1 is dropped (rank > 1), a float64 axis of ``num_classes`` added; without
    ``num_classes`` it is ``max(x) + 1``, known only for labels whose classes are known. A
    NumPy integer (``np.max(y) + 1``) is a size as a Python int is; a float or a 1-d array
    makes ``np.zeros`` raise there."""
    value = argument(args, kwargs, 0, "x")
    num_classes = argument(args, kwargs, 1, "num_classes")
    labels = as_array(value)
    if labels is None:
        return Unknown("to_categorical of values padlint does not know")
    shape = labels.shape
    if len(shape) > 1:
        last = shape[-1]
        if not arrays.is_known(last):
            return Unknown("to_categorical of labels whose last axis is not known")
        if last == 1:
            shape = shape[:-1]
    if isinstance(num_classes, ArrayValue):
        if num_classes.shape or not arrays.is_integer_dtype(num_classes.dtype):
            return Unknown("to_categorical with a num_classes NumPy cannot use as a size")
        num_classes = num_classes.value if num_classes.value is not None else UNKNOWN_DIM
    if isinstance(num_classes, Unknown):
        classes: Any = UNKNOWN_DIM
    elif num_classes is None or num_classes == 0:
        classes = labels.classes if labels.classes is not None else _literal_classes(value)
    elif is_int(num_classes) and num_classes > 0:
        classes = num_classes
    else:
        return Unknown("to_categorical with a num_classes padlint does not model")
    return ArrayValue((*shape, classes), "float64")


def _literal_classes(value: Any) -> Any:
    """``max(x) + 1`` of a list of Python ints (``to_categorical([0, 2, 1])``); else unknown."""
    items: list = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif is_int(item) and item >= 0:
            items.append(item)
        else:
            return UNKNOWN_DIM
    return max(items) + 1 if items else UNKNOWN_DIM


def pad_sequences(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """Mirror of keras/src/utils/sequence_utils.py ``pad_sequences``: ``(len(sequences), maxlen)``
    plus the shape of one element of a sequence; ``maxlen=None`` is the longest length (data,
    unless every length is known). Object arrays (the IMDB and Reuters sequences) hold
    lists of word indices."""
    sequences = argument(args, kwargs, 0, "sequences")
    maxlen = argument(args, kwargs, 1, "maxlen")
    dtype = dtype_of(argument(args, kwargs, 2, "dtype", "int32"))
    if not (maxlen is None or (is_int(maxlen) and maxlen >= 0)):
        return Unknown("pad_sequences with a maxlen padlint does not know")
    if isinstance(sequences, ArrayValue):
        if not sequences.shape:
            return Unknown("pad_sequences of a 0-d array")
        if sequences.dtype == "object":
            if sequences.ndim != 1:
                return Unknown("pad_sequences of an object array padlint does not model")
            count, longest, sample = sequences.shape[0], UNKNOWN_DIM, ()
        elif sequences.ndim >= 2:
            count, longest, sample = sequences.shape[0], sequences.shape[1], sequences.shape[2:]
        else:
            return Unknown("pad_sequences of numbers raises")
    elif isinstance(sequences, (list, tuple)):
        found = _list_sequences(sequences)
        if found is None:
            return Unknown("pad_sequences of sequences padlint does not know")
        count, longest, sample = found
    else:
        return Unknown("pad_sequences of sequences padlint does not know")
    return ArrayValue((count, maxlen if maxlen is not None else longest, *sample), dtype)


def _list_sequences(sequences: list | tuple) -> tuple[int, Any, tuple] | None:
    """Count, longest length and element shape of a list of known sequences (lists of numbers)."""
    lengths = []
    for sequence in sequences:
        if isinstance(sequence, ArrayValue) and sequence.ndim == 1:
            lengths.append(sequence.shape[0])
        elif isinstance(sequence, (list, tuple)) and all(isinstance(item, (int, float)) for item in sequence):
            lengths.append(len(sequence))
        else:
            return None
    if not lengths:
        return None
    longest: Any = max(lengths) if all(arrays.is_known(length) for length in lengths) else UNKNOWN_DIM
    return len(lengths), longest, ()


def normalize(interp: Interpreter, args: list, kwargs: dict) -> Any:
    """``keras.utils.normalize(x, axis=-1, order=2)`` on NumPy input: ``x / norm``, same shape."""
    source = as_array(argument(args, kwargs, 0, "x"))
    if source is None:
        return Unknown("normalize of values padlint does not know")
    return ArrayValue(source.shape, arrays.float_result(source.dtype))


#: Keras' data utilities by their path inside Keras (every spelling through keras_path).
UTILITIES: dict[tuple[str, ...], Implementation] = {
    ("utils", "to_categorical"): to_categorical,
    ("utils", "np_utils", "to_categorical"): to_categorical,
    ("utils", "numerical_utils", "to_categorical"): to_categorical,
    ("utils", "pad_sequences"): pad_sequences,
    ("preprocessing", "sequence", "pad_sequences"): pad_sequences,
    ("utils", "sequence_utils", "pad_sequences"): pad_sequences,
    ("utils", "normalize"): normalize,
    ("utils", "np_utils", "normalize"): normalize,
}


def data_function(path: tuple[str, ...]) -> Implementation | None:
    """The implementation of a Keras data function, by its path inside Keras
    (``("datasets", "mnist", "load_data")``), or None."""
    if len(path) == 3 and path[0] == "datasets" and path[2] == "load_data":
        return LOADERS.get(path[1])
    return UTILITIES.get(path)
