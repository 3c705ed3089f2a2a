"""What the editor shows (inlay hints, hover) equals what Keras builds, layer by layer.

fixtures/server/classifier.py names every layer, so each layer's line is found
by its name in the text; Keras runs the same file once (a fixture, never user
code) and gives each named layer's output shape and
weights, and each model's totals.
"""

from __future__ import annotations

import math
import re
import runpy
import shutil
from pathlib import Path

import pytest

from tests.keras_models import ModelRows, _keras_rows
from tests.server.support import Session, utf16_column

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "server" / "classifier.py"


def _layers_of_keras(model) -> dict:
    """Every layer of a Keras model and of the models nested in it, by name."""
    found = {}
    for layer in model.layers:
        found[layer.name] = layer
        if hasattr(layer, "layers"):
            found.update(_layers_of_keras(layer))
    return found


@pytest.fixture(scope="module")
def keras_truth() -> dict:
    """Keras' answer for the fixture, from one build: per layer name, (output shape text, params,
    trainable, non-trainable); per model variable, its summary rows and totals."""
    import keras

    keras.backend.clear_session()
    namespace = runpy.run_path(str(FIXTURE), run_name="__main__")
    layers, models = {}, {}
    for variable, model in namespace.items():
        if not isinstance(model, keras.Model):
            continue
        models[variable] = ModelRows(variable, model.name, _keras_rows(model), _count(model.trainable_weights), _count(model.non_trainable_weights))
        for name, layer in _layers_of_keras(model).items():
            trainable, non_trainable = _count(layer.trainable_weights), _count(layer.non_trainable_weights)
            layers[name] = (str(tuple(layer.output.shape)), trainable + non_trainable, trainable, non_trainable)
    return {"layers": layers, "models": models}


def _count(weights) -> int:
    return sum(math.prod(weight.shape) for weight in weights)


@pytest.fixture(scope="module")
def document(session: Session) -> tuple[str, str]:
    path = session.root / "classifier.py"
    shutil.copy(FIXTURE, path)
    uri = session.open(path)
    session.diagnostics(uri, 1)
    return uri, path.read_text()


def _names_on_lines(text: str) -> dict[int, list[str]]:
    """Which layers each line builds, read from the text: literal names, the helper's prefixed names
    (one per call of the helper, in call order) and the nested model applied by name."""
    prefixes = re.findall(r'conv_block\(x, \d+, "(\w+)"\)', text)
    found: dict[int, list[str]] = {}
    for number, line in enumerate(text.splitlines()):
        literal = re.search(r'name="(\w+)"\)', line)
        helper = re.search(r'name=prefix \+ "(\w+)"', line)
        applied = re.match(r"\s*\w+ = (head)\(x\)", line)
        if helper:
            found[number] = [prefix + helper.group(1) for prefix in prefixes]
        elif applied:
            found[number] = [applied.group(1)]
        elif literal and "Sequential" not in line and "Model" not in line:
            found[number] = [literal.group(1)]
    return found


def test_inlay_hints_show_the_shapes_keras_computes_on_every_layer_line(session: Session, document: tuple[str, str], keras_truth: dict) -> None:
    uri, text = document
    lines = text.splitlines()
    expected = {}
    for number, names in _names_on_lines(text).items():
        shapes = list(dict.fromkeys(keras_truth["layers"][name][0] for name in names))
        expected[number] = "-> " + " | ".join(shapes)
    hints = session.inlay_hints(uri)
    shown = {hint.position.line: hint.label for hint in hints}
    assert shown == expected
    for hint in hints:  # at the end of the line, as the editor counts columns
        assert hint.position.character == utf16_column(lines[hint.position.line], len(lines[hint.position.line]))


def test_hover_on_each_layer_gives_its_shape_and_weights_as_keras_counts_them(session: Session, document: tuple[str, str], keras_truth: dict) -> None:
    uri, text = document
    for number, names in _names_on_lines(text).items():
        line = text.splitlines()[number]
        # On the layer's class (``layers.Conv2D``, ``keras.Input``), or on the call of the nested model.
        column = line.index("(x)") if "head(x)" in line else re.search(r"(layers|keras)\.\w+\(", line).end() - 2
        hover = session.hover(uri, number, column)
        assert hover is not None, line
        value = hover.contents.value
        for name in names:
            shape, total, trainable, non_trainable = keras_truth["layers"][name]
            assert f"**{name}**" in value, (line, value)
            section = value.split(f"**{name}**", 1)[1].split("---", 1)[0]
            assert f"Output shape: `{shape}`" in section, (name, section)
            assert f"Params: {total:,} (trainable: {trainable:,}, non-trainable: {non_trainable:,})" in section, (name, section)


def test_hover_on_a_model_variable_gives_its_summary_with_keras_totals(session: Session, document: tuple[str, str], keras_truth: dict) -> None:
    uri, text = document
    for variable, rows in keras_truth["models"].items():
        number = next(index for index, line in enumerate(text.splitlines()) if line.startswith(f"{variable} = "))
        hover = session.hover(uri, number, 1)
        assert hover is not None, variable
        value = hover.contents.value
        assert value.startswith("```text\n") and f'Model: "{rows.name}"' in value
        assert f"Total params: {rows.trainable + rows.non_trainable:,} " in value
        assert f"Trainable params: {rows.trainable:,} " in value
        assert f"Non-trainable params: {rows.non_trainable:,} " in value
        for row in rows.rows:
            assert f"{row.name} ({row.class_name})" in value, row.name
