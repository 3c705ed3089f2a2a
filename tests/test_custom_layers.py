"""Custom layers and subclassed models: what the oracle comparisons of
tests/test_realistic_models.py do not show by themselves.

Those compare every row with Keras; these pin down how padlint says what it
shows: Keras' own "?" and "0 (unbuilt)" are complete rows (Keras prints
them), what padlint cannot follow is unknown and named, and a Sequential made
inside a layer is part of that layer, not a model of the file.
"""

from __future__ import annotations

import json

from padlint.reporters.summary_json import model_json
from padlint.reporters.summary_text import render_model
from tests.helpers import FIXTURES, analyse_file, analyse_text

MODELS = FIXTURES / "models"

HEADER = "import keras\nfrom keras import layers, ops\nimport tensorflow as tf\n"


def models_of(text: str) -> dict:
    analysis = analyse_text(HEADER + text)
    assert not analysis.internal_errors, analysis.internal_errors
    return {summary.name: summary for summary in analysis.models}


def test_unbuilt_subclassed_model_prints_as_keras_does():
    analysis = analyse_file(MODELS / "subclassed_models.py")
    cnn = {summary.name: summary for summary in analysis.models}["cnn"]
    assert cnn.complete and cnn.kind == "subclassed"
    assert [(row.class_name, row.built, row.output_shapes) for row in cnn.rows] == [
        ("Conv2D", False, None),
        ("MaxPooling2D", True, None),
        ("Conv2D", False, None),
        ("MaxPooling2D", True, None),
        ("Flatten", False, None),
        ("Dropout", True, None),
        ("Dense", False, None),
    ]
    assert cnn.weights.total == 0
    text = render_model(cnn, "subclassed_models.py:1")
    assert text.count("0 (unbuilt)") == 4 and "Incomplete" not in text
    layers = model_json(cnn, analysis)["layers"]
    assert [layer["built"] for layer in layers] == [False, True, False, True, False, True, False]
    assert json.dumps(layers)  # serialisable


def test_eager_call_keeps_the_concrete_batch_size():
    summaries = {summary.name: summary for summary in analyse_file(MODELS / "subclassed_models.py").models}
    eager = summaries["eager"]
    assert [row.output_shapes for row in eager.rows] == [[(2, 64)], [(2, 32)], [(2, 32)], [(2, 1)]]
    assert eager.weights.total == 7 * 64 + 64 + 64 * 32 + 32 + 64 + 33


def test_a_call_padlint_cannot_follow_is_named_and_unknown():
    models = models_of(
        "class Warp(layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.proj = layers.Dense(4)\n"
        "    def call(self, x):\n"
        "        return tf.signal.rfft(self.proj(x))\n"
        "inputs = keras.Input(shape=(8,))\n"
        "model = keras.Model(inputs, layers.Dense(2)(Warp()(inputs)))\n"
    )
    model = models["model"]
    assert not model.complete
    assert model.notes[0].startswith("warp (Warp): the output of Warp.call() is not known"), model.notes
    assert "tensorflow.signal.rfft" in model.notes[0]
    warp = model.rows[1]
    # Its sublayer was reached, so its count is known; its output is not, nor what follows.
    assert warp.output_shapes is None and warp.params == 8 * 4 + 4
    assert model.rows[2].output_shapes is None and model.weights.total is None


def test_weights_made_under_an_undecidable_condition_are_unknown():
    models = models_of(
        "class Maybe(layers.Layer):\n"
        "    def build(self, input_shape):\n"
        "        if USE_BIAS:\n"
        "            self.b = self.add_weight(shape=(input_shape[-1],))\n"
        "    def call(self, x):\n"
        "        return x\n"
        "inputs = keras.Input(shape=(8,))\n"
        "model = keras.Model(inputs, Maybe()(inputs))\n"
    )
    row = models["model"].rows[1]
    assert row.output_shapes == [(None, 8)]
    assert row.params is None


def test_compute_output_shape_is_used_when_defined():
    """Keras uses a class's compute_output_shape instead of tracing call(): so does padlint,
    even when call() could not be followed."""
    models = models_of(
        "class Spectrum(layers.Layer):\n"
        "    def call(self, x):\n"
        "        return tf.abs(tf.signal.rfft(x))\n"
        "    def compute_output_shape(self, input_shape):\n"
        "        return (input_shape[0], input_shape[1] // 2 + 1)\n"
        "inputs = keras.Input(shape=(16,))\n"
        "model = keras.Model(inputs, layers.Dense(3)(Spectrum()(inputs)))\n"
    )
    model = models["model"]
    assert model.complete
    assert [row.output_shapes for row in model.rows] == [[(None, 16)], [(None, 9)], [(None, 3)]]
    assert model.weights.total == 9 * 3 + 3


def test_sequential_made_in_a_layer_is_part_of_it_and_a_model_of_its_own():
    """Keras builds the block's feed-forward Sequential when the block is first called on a
    KerasTensor: it is a model of the program (named after where it is made) as well as the
    block's weights."""
    models = models_of(
        "class Block(layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.ffn = keras.Sequential([layers.Dense(8), layers.Dense(4)])\n"
        "    def call(self, x):\n"
        "        return self.ffn(x)\n"
        "inputs = keras.Input(shape=(4,))\n"
        "model = keras.Model(inputs, Block()(inputs))\n"
    )
    assert list(models) == ["Block.__init__", "model"]
    assert models["model"].rows[1].params == 4 * 8 + 8 + 8 * 4 + 4
    inner = models["Block.__init__"]
    assert [(row.name, row.output_shapes, row.params) for row in inner.rows] == [("dense", [(None, 8)], 4 * 8 + 8), ("dense_1", [(None, 4)], 8 * 4 + 4)]


def test_sequential_a_layer_never_calls_is_not_a_model():
    """Unbuilt (no Input, never called), Keras cannot summarise it either."""
    models = models_of(
        "class Block(layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.ffn = keras.Sequential([layers.Dense(8), layers.Dense(4)])\n"
        "    def call(self, x):\n"
        "        return x\n"
        "inputs = keras.Input(shape=(4,))\n"
        "model = keras.Model(inputs, Block()(inputs))\n"
    )
    assert list(models) == ["model"]


def test_functional_subclass_is_a_functional_model_named_after_its_class():
    models = models_of(
        "class Tower(keras.Model):\n"
        "    def __init__(self):\n"
        "        inputs = keras.Input(shape=(3,))\n"
        "        super().__init__(inputs, layers.Dense(2)(inputs))\n"
        "tower = Tower()\n"
    )
    tower = models["tower"]
    assert (tower.kind, tower.keras_name, tower.complete) == ("functional", "tower", True)
    assert [row.class_name for row in tower.rows] == ["InputLayer", "Dense"]


def test_pragma_calls_a_subclassed_model_nothing_builds(tmp_path):
    """``# padlint: input_shape=(5,)`` on a subclassed model the code never calls: padlint calls it
    on an Input of that shape, and its summary is Keras' for that call (a twin makes it)."""
    from tests.keras_models import assert_rows_match, keras_models_of

    body = (
        "import keras\nfrom keras import layers\n\n"
        "class MLP(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.hidden = [layers.Dense(8, activation='relu'), layers.Dropout(0.1)]\n"
        "        self.out = layers.Dense(2)\n"
        "    def call(self, x):\n"
        "        for layer in self.hidden:\n"
        "            x = layer(x)\n"
        "        return self.out(x)\n\n"
    )
    stated = analyse_text(body + "model = MLP()  # padlint: input_shape=(5,)\n")
    twin = tmp_path / "twin.py"
    twin.write_text(body + "model = MLP()\nmodel(keras.Input(shape=(5,)))\n")
    summary = stated.models[0]
    assert summary.complete and summary.rows[0].output_shapes == [(None, 8)]
    assert_rows_match(summary, keras_models_of(twin)["model"], "pragma twin")
    unstated = analyse_text(body + "model = MLP()\n").models[0]
    assert [row.built for row in unstated.rows] == [False, True, False]


def test_training_on_known_data_builds_a_subclassed_model_as_keras_does():
    """fit/evaluate/train_on_batch call an unbuilt subclassed model on the first batch: every row
    (batch axis of full and partial batches, a nested custom layer and Sequential) is Keras'."""
    from tests.keras_models import assert_exact_models

    summaries = assert_exact_models(MODELS / "fit_builds_subclassed.py")
    assert summaries["convnet"].rows[0].output_shapes == [(32, 10, 10, 4)]
    assert summaries["stacked"].rows[-1].output_shapes == [(None, 2)]
    assert summaries["declared"].weights.total == 6 * 16 + 16 + 17


#: A subclassed model with one Dense, which Keras builds on the first batch it is called on.
MLP_SOURCE = (
    "class MLP(keras.Model):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.out = layers.Dense(2)\n"
    "    def call(self, x):\n"
    "        return self.out(x)\n"
)


def test_training_on_data_of_an_unknown_shape_leaves_a_subclassed_model_unknown():
    """No guessed batch: an unknown feature size or batch size leaves the model unknown, and so does
    a model built before on data padlint does not know (Keras' fit then builds nothing more)."""
    models = models_of(
        "import numpy as np\n"
        + MLP_SOURCE
        + "features = np.zeros((64, width))\n"
        "wide = MLP()\n"
        "wide.fit(features, features, epochs=1)\n"
        "batched = MLP()\n"
        "batched.fit(np.zeros((64, 3)), np.zeros((64, 2)), batch_size=size)\n"
        "called = MLP()\n"
        "called(inputs)\n"
        "called.fit(np.zeros((64, 3)), np.zeros((64, 2)))\n"
    )
    for name in ("wide", "batched", "called"):
        summary = models[name]
        assert not summary.complete, name
        assert summary.rows[0].output_shapes is None and summary.weights.total is None, name


def test_a_subclassed_model_fitted_on_unknown_data_is_not_called_unbuilt():
    models = models_of(
        MLP_SOURCE
        + "fitted = MLP()\n"
        "fitted.compile(optimizer='adam', loss='mse')\n"
        "fitted.fit(x_train, y_train, epochs=2)\n"
        "called = MLP()\n"
        "called(x_train[:1])\n"
    )
    for name in ("fitted", "called"):
        summary = models[name]
        assert not summary.complete, name
        assert summary.rows[0].output_shapes is None and summary.rows[0].params is None
        assert summary.weights.total is None
