"""Whole-model oracle: run a model file in real Keras and compare with padlint.

``keras_models_of(path)`` executes a *test fixture* (never user code: padlint
itself never executes anything) in a fresh Keras session and returns, for every
Keras model bound to a module-level variable, the rows ``model.summary()``
prints: name, class, output shape(s), parameter count, and the totals. The
rows are gathered the way keras/src/utils/summary_utils.py gathers them.

``assert_same_models(path)`` compares those with padlint's analysis of the
same file, row by row.
"""

from __future__ import annotations

import math
import runpy
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from padlint.analysis import ModelSummary
from padlint.symbolic import Sym
from tests.helpers import analyse_file
from tests.keras_datasets import offline_datasets


@dataclass
class Row:
    name: str
    class_name: str
    shapes: Any  # list of tuples
    params: Any

    def key(self) -> tuple:
        return (self.name, self.class_name, self.shapes, self.params)


@dataclass
class ModelRows:
    variable: str
    name: str
    rows: list[Row]
    trainable: int
    non_trainable: int


def _keras_rows(model) -> list[Row]:
    import keras
    from keras.src.models import Functional, Sequential

    if isinstance(model, Sequential) or not isinstance(model, Functional):
        layers = model.layers
    else:
        layers = model._operations
    rows = []
    for layer in layers:
        if layer._inbound_nodes:
            outputs = keras.tree.flatten(layer._inbound_nodes[-1].output_tensors)
            shapes = [tuple(tensor.shape) for tensor in outputs]
        else:
            shapes = None
        if not hasattr(layer, "built"):
            params = 0  # a keras.ops operation (``x + y`` on KerasTensors): summary_utils prints 0
        else:
            params = layer.count_params() if layer.built else None
        rows.append(Row(layer.name, type(layer).__name__, shapes, params))
    return rows


def run_fixture(path: str | Path) -> dict[str, Any]:
    """Run the fixture as a script in a fresh Keras session (no command-line arguments, Keras'
    datasets offline); its module namespace."""
    import sys

    import keras

    keras.backend.clear_session()
    data_format = keras.config.image_data_format()
    argv = sys.argv
    sys.argv = [str(path)]  # argparse in a fixture sees a run without arguments, not pytest's
    try:
        with warnings.catch_warnings(), offline_datasets():
            warnings.simplefilter("ignore")
            return runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
        # A fixture may switch to channels_first; later fixtures must not inherit it.
        keras.config.set_image_data_format(data_format)


def keras_models_of(path: str | Path) -> dict[str, ModelRows]:
    """Run the fixture in a fresh Keras session; models by the variable they are bound to."""
    import keras

    namespace = run_fixture(path)
    found = {}
    bound = {id(value) for value in namespace.values() if isinstance(value, keras.Model)}
    for variable, value in namespace.items():
        if variable.startswith("_"):
            continue
        if isinstance(value, keras.Model):
            found[variable] = model_rows(variable, value)
        elif isinstance(value, (list, tuple, dict)) and not isinstance(value, str):
            # Models kept in a list or dict (a builder called in a loop): ``models[0]``, ``models['small']``.
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(item, keras.Model) and id(item) not in bound and isinstance(key, (int, str)):
                    found[f"{variable}[{key!r}]"] = model_rows(f"{variable}[{key!r}]", item)
    return found


def model_rows(variable: str, model) -> ModelRows:
    return ModelRows(
        variable=variable,
        name=model.name,
        rows=_keras_rows(model),
        trainable=sum(math.prod(w.shape) for w in model.trainable_weights),
        non_trainable=sum(math.prod(w.shape) for w in model.non_trainable_weights),
    )


def _plain(dim: Any) -> Any:
    return None if isinstance(dim, Sym) else dim


def padlint_rows(summary: ModelSummary) -> list[Row]:
    return [
        Row(
            row.name,
            row.class_name,
            None if row.output_shapes is None else [None if shape is None else tuple(_plain(d) for d in shape) for shape in row.output_shapes],
            row.params,
        )
        for row in summary.rows
    ]


def assert_rows_match(summary: ModelSummary, keras_model: ModelRows, context: str, *, compare_names: bool = True) -> None:
    """padlint's summary of one model equals Keras' rows and totals."""
    actual_rows = padlint_rows(summary)
    expected_rows = [Row(row.name, row.class_name, row.shapes, row.params) for row in keras_model.rows]
    if not compare_names:
        for row in actual_rows + expected_rows:
            row.name = ""
    assert len(actual_rows) == len(expected_rows), (
        f"{context}: {len(actual_rows)} rows, Keras has {len(expected_rows)}:\n"
        f"padlint {[r.key() for r in actual_rows]}\nkeras   {[r.key() for r in expected_rows]}"
    )
    for index, (mine, theirs) in enumerate(zip(actual_rows, expected_rows)):
        assert mine.key() == theirs.key(), f"{context}: row {index}: padlint {mine.key()} != Keras {theirs.key()}"
    assert summary.weights.trainable == keras_model.trainable, f"{context}: trainable {summary.weights.trainable} != {keras_model.trainable}"
    assert summary.weights.non_trainable == keras_model.non_trainable, f"{context}: non-trainable {summary.weights.non_trainable} != {keras_model.non_trainable}"
    if compare_names:
        assert summary.keras_name == keras_model.name, f"{context}: model name {summary.keras_name} != {keras_model.name}"


def assert_same_models(path: str | Path, *, compare_names: bool = True, variables: list[str] | None = None) -> dict[str, ModelSummary]:
    """Every model bound at module level (or those ``variables`` name): padlint's rows equal Keras' rows."""
    expected = keras_models_of(path)
    if variables is not None:
        assert set(variables) <= set(expected), f"{path}: Keras has no model {sorted(set(variables) - set(expected))}"
        expected = {variable: expected[variable] for variable in variables}
    analysis = analyse_file(path)
    assert not analysis.internal_errors, analysis.internal_errors
    by_variable = {summary.name: summary for summary in analysis.models}
    assert expected, f"{path}: the fixture defines no Keras model"
    for variable, keras_model in expected.items():
        assert variable in by_variable, f"{path}: padlint did not find model {variable!r} (found {sorted(by_variable)})"
        assert_rows_match(by_variable[variable], keras_model, f"{path}: model {variable!r}", compare_names=compare_names)
    return by_variable


def summary_key(summary: ModelSummary) -> tuple:
    """Everything a summary shows except source positions: for comparing two padlint analyses."""
    rows = tuple(
        (row.name, row.class_name, None if row.output_shapes is None else tuple(row.output_shapes), row.params, row.weights.trainable, row.weights.non_trainable)
        for row in summary.rows
    )
    return (summary.name, summary.keras_name, summary.kind, rows, summary.weights.trainable, summary.weights.non_trainable, summary.complete)


def assert_same_padlint_summaries(path: str | Path, twin: str | Path) -> None:
    """Two files that differ only in how they reach Keras give identical summaries."""
    first, second = analyse_file(path), analyse_file(twin)
    assert not first.internal_errors and not second.internal_errors
    assert first.models, f"{path}: padlint found no model"
    assert [summary_key(s) for s in first.models] == [summary_key(s) for s in second.models]
