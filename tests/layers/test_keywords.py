"""The table of keyword arguments each layer accepts is Keras' own.

padlint/layers/keywords.py is generated from Keras (tools/generate_keywords.py);
here it is regenerated from the installed Keras and compared, and a sample of
layers is built with a keyword outside the table to see Keras reject it, and
with every keyword of a Keras 1 table entry's replacement to see it accepted.
"""

from __future__ import annotations

import importlib.util
import warnings

import keras  # the oracle: missing, it fails the run (tests/conftest.py), never skips it
import pytest

from padlint.layers.keywords import ACCEPTED_KEYWORDS
from tests.helpers import PROJECT


def _generator():
    spec = importlib.util.spec_from_file_location("generate_keywords", PROJECT / "tools" / "generate_keywords.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_is_generated_from_installed_keras():
    generator = _generator()
    assert ACCEPTED_KEYWORDS == {name: frozenset(words) for name, words in generator.table().items()}, (
        "regenerate with: python tools/generate_keywords.py > padlint/layers/keywords.py"
    )


MINIMAL = {
    "Conv2D": {"filters": 4, "kernel_size": 3},
    "Dense": {"units": 4},
    "LSTM": {"units": 4},
    "Dropout": {"rate": 0.5},
    "BatchNormalization": {},
    "MaxPooling2D": {},
    "Embedding": {"input_dim": 10, "output_dim": 4},
    "SpatialDropout1D": {"rate": 0.5},
}


OUTSIDE = [
    (class_name, keyword)
    for class_name in sorted(MINIMAL)
    for keyword in ("border_mode", "kernal_size", "output_dim", "subsample", "init")
    if keyword not in ACCEPTED_KEYWORDS[class_name]
]


@pytest.mark.parametrize("class_name, keyword", OUTSIDE)
def test_keywords_outside_the_table_are_rejected_by_keras(class_name, keyword):
    with warnings.catch_warnings(), pytest.raises((TypeError, ValueError), match=r"(?i)unrecognized|unexpected keyword"):
        warnings.simplefilter("ignore")
        getattr(keras.layers, class_name)(**MINIMAL[class_name], **{keyword: 1})


@pytest.mark.parametrize("class_name", sorted(MINIMAL))
def test_keywords_in_the_table_are_accepted_by_keras(class_name):
    """Every common keyword the table lists for the class builds the layer."""
    common = {"name": "layer", "dtype": "float32", "trainable": False, "input_shape": (4, 4, 4), "input_length": 4}
    keywords = {key: value for key, value in common.items() if key in ACCEPTED_KEYWORDS[class_name]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(keras.layers, class_name)(**MINIMAL[class_name], **keywords)


def test_keras_2_names_keras_still_tolerates_are_in_the_table():
    assert "input_length" in ACCEPTED_KEYWORDS["Embedding"]
    assert "batch_input_shape" in ACCEPTED_KEYWORDS["InputLayer"]
    assert "trainable" not in ACCEPTED_KEYWORDS["SpatialDropout1D"]
