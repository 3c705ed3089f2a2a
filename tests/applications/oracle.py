"""Keras as the oracle for keras.applications, made fast enough to build them all.

``keras.applications.X(weights=None, ...)`` creates every weight with its initializer:
random numbers for 5 to 350 million parameters, which is most of the time of a build and
none of what a summary shows. :func:`fast_keras` lets Keras create each variable with
its own shape and dtype but leaves its value uninitialised, as Keras itself does inside
a ``StatelessScope`` (``KerasVariable.value`` then gives a placeholder of that shape,
"only ever used during shape inference"). Pretrained weights (``weights="imagenet"``,
which changes some graphs) are neither downloaded nor loaded: the architecture code
runs exactly as it does before loading them.

:func:`keras_application_rows` builds one application that way and returns the rows its
``summary()`` prints; :func:`padlint_application` analyses the same call with padlint;
:func:`same_models` compares a fixture's models, run by Keras that way, with padlint's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from padlint.analysis import ModelSummary
from tests.helpers import FIXTURES, analyse_file, analyse_text
from tests.keras_models import ModelRows, assert_rows_match, keras_models_of, model_rows


@contextmanager
def fast_keras() -> Iterator[None]:
    """Variables without initial values, and ImageNet weights neither fetched nor loaded."""
    import tensorflow as tf
    from keras.src.backend.tensorflow import core
    from keras.src.models.model import Model
    from keras.src.utils import file_utils

    def uninitialised(variable, initializer):
        variable._value = None
        variable._initializer = lambda shape, dtype: tf.zeros(shape, dtype=dtype)

    saved = (core.Variable._initialize_with_initializer, file_utils.get_file, Model.load_weights)
    core.Variable._initialize_with_initializer = uninitialised
    file_utils.get_file = lambda *args, **kwargs: "weights-not-loaded.h5"
    Model.load_weights = lambda self, *args, **kwargs: None
    try:
        yield
    finally:
        core.Variable._initialize_with_initializer, file_utils.get_file, Model.load_weights = saved


#: A pseudo-argument of the test cases: the image data format the application is built in.
DATA_FORMAT = "data_format"


def call_text(name: str, arguments: dict[str, Any]) -> str:
    """``keras.applications.Name(weights=None, ...)`` as source (weights None unless given)."""
    arguments = {"weights": None, **{key: value for key, value in arguments.items() if key != DATA_FORMAT}}
    return f"keras.applications.{name}({', '.join(f'{key}={value!r}' for key, value in arguments.items())})"


def keras_application_rows(name: str, arguments: dict[str, Any]) -> ModelRows:
    """The rows and totals of the application's ``summary()``, built by Keras in a fresh session."""
    import keras

    keras.backend.clear_session()
    data_format = keras.config.image_data_format()
    keras.config.set_image_data_format(arguments.get(DATA_FORMAT, data_format))
    try:
        with fast_keras():
            model = getattr(keras.applications, name)(**{"weights": None, **{key: value for key, value in arguments.items() if key != DATA_FORMAT}})
    finally:
        keras.config.set_image_data_format(data_format)
    return model_rows("model", model)


def padlint_application(name: str, arguments: dict[str, Any]) -> ModelSummary:
    """padlint's summary of ``model = keras.applications.Name(...)``."""
    setting = f"keras.config.set_image_data_format({arguments[DATA_FORMAT]!r})\n" if DATA_FORMAT in arguments else ""
    analysis = analyse_text(f"import keras\n{setting}\nmodel = {call_text(name, arguments)}\n")
    assert not analysis.internal_errors, analysis.internal_errors
    by_name = {summary.name: summary for summary in analysis.models}
    assert "model" in by_name, f"padlint found no model in {call_text(name, arguments)} ({analysis.notes})"
    return by_name["model"]


def same_models(fixture: str | Path) -> dict[str, ModelSummary]:
    """Keras' module-level models of the fixture (a file of fixtures/models, or a path) are
    exactly padlint's, row by row."""
    path = fixture if isinstance(fixture, Path) else FIXTURES / "models" / fixture
    with fast_keras():
        expected = keras_models_of(path)
    analysis = analyse_file(path)
    assert not analysis.internal_errors, analysis.internal_errors
    found = {summary.name: summary for summary in analysis.models}
    assert sorted(found) == sorted(expected), f"padlint lists {sorted(found)}, Keras has {sorted(expected)}"
    for variable, keras_model in expected.items():
        assert found[variable].complete, (variable, found[variable].notes)
        assert_rows_match(found[variable], keras_model, f"{fixture}: model {variable!r}")
    return found
