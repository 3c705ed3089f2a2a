"""Whole-model oracle: run a model file in real Keras and compare with padlint.

``keras_models_of(path)`` executes a *test fixture* (never user code: padlint
itself never executes anything) in a fresh Keras session and returns, for every
Keras model bound to a module-level variable, the rows ``model.summary()``
prints: name, class, output shape(s), parameter count, and the totals. The
rows are gathered the way keras/src/utils/summary_utils.py gathers them, and
the table ``model.summary()`` really prints is captured too (``print_fn``):
for a subclassed model, whose rows Keras shows with its own "?" shapes and
"0 (unbuilt)" counts, that printed table is what padlint is compared with.

``assert_same_models(path)`` compares those with padlint's analysis of the
same file, row by row.
"""

from __future__ import annotations

import math
import os
import re
import runpy
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from padlint.analysis import ModelSummary
from padlint.reporters.shapes import format_count, format_shapes
from padlint.reporters.summary_text import connected_to
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
class PrintedRow:
    """One row of the table ``model.summary()`` prints: the texts of its first three cells, and its
    "Connected to" cell without spaces (a long one wraps; None: the table has no such column)."""

    name: str
    class_name: str
    shape: str
    params: str
    connected_to: str | None = None

    def key(self) -> tuple:
        return (self.name, self.class_name, self.shape, self.params, self.connected_to)


@dataclass
class ModelRows:
    variable: str
    name: str
    rows: list[Row]
    trainable: int
    non_trainable: int
    #: The table Keras printed, and whether the model is subclassed (neither Functional nor Sequential).
    printed: list[PrintedRow] | None = None
    subclassed: bool = False


#: Wide enough that no cell of a fixture's summary wraps (rich wraps cells to the console width).
PRINT_WIDTH = 400
_ROW_CELL = re.compile(r"^(?P<name>.*) \((?P<class_name>[^()]*)\)$")


def printed_rows(model) -> list[PrintedRow] | None:
    """Run ``model.summary(print_fn=...)`` and read the rows of the table it prints (None when
    Keras cannot print one)."""
    lines: list[str] = []
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(PRINT_WIDTH + 10)  # rich sizes its console from COLUMNS
    try:
        model.summary(line_length=PRINT_WIDTH, print_fn=lambda text, line_break=True: lines.append(text))
    except ValueError:
        return None
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    rows = []
    for line in "\n".join(lines).splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        connected = "".join(cells[3].split()) if len(cells) > 3 else None
        if rows and not any(cells[:3]):
            if connected:  # the "Connected to" list of the row above, wrapped onto another line
                rows[-1].connected_to = (rows[-1].connected_to or "") + connected
            continue
        match = _ROW_CELL.match(cells[0])
        assert match is not None and len(cells) >= 3, f"cannot read the summary row {line!r}"
        rows.append(PrintedRow(match["name"], match["class_name"], cells[1], cells[2], connected))
    return rows


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
    """What ``model.summary()`` shows of a Keras model: its rows, its printed table and its totals."""
    from keras.src.models import Functional, Sequential

    return ModelRows(
        variable=variable,
        name=model.name,
        rows=_keras_rows(model),
        trainable=sum(math.prod(w.shape) for w in model.trainable_weights),
        non_trainable=sum(math.prod(w.shape) for w in model.non_trainable_weights),
        printed=printed_rows(model),
        subclassed=not isinstance(model, (Functional, Sequential)),
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


def padlint_printed_rows(summary: ModelSummary) -> list[PrintedRow]:
    """padlint's rows as the texts Keras prints (a symbolic size is None to Keras)."""
    connections = connected_to(summary)
    return [
        PrintedRow(
            row.name,
            row.class_name,
            format_shapes(
                None if row.output_shapes is None else [None if shape is None else tuple(_plain(d) for d in shape) for shape in row.output_shapes],
                tuple_of_shapes=row.tuple_of_shapes,
            ),
            format_count(row.params) if row.built else "0 (unbuilt)",
            None if connections is None else "".join("".join(connections[index]).split()),
        )
        for index, row in enumerate(summary.rows)
    ]


def assert_printed_rows_match(summary: ModelSummary, keras_model: ModelRows, context: str, *, compare_names: bool = True) -> None:
    """padlint's table equals the one ``model.summary()`` printed, cell by cell."""
    assert keras_model.printed is not None, f"{context}: Keras printed no summary"
    actual = padlint_printed_rows(summary)
    expected = list(keras_model.printed)
    if not compare_names:
        actual = [PrintedRow("", row.class_name, row.shape, row.params) for row in actual]
        expected = [PrintedRow("", row.class_name, row.shape, row.params) for row in expected]
    assert [row.key() for row in actual] == [row.key() for row in expected], (
        f"{context}: padlint prints\n{[row.key() for row in actual]}\nKeras prints\n{[row.key() for row in expected]}"
    )


def assert_rows_match(summary: ModelSummary, keras_model: ModelRows, context: str, *, compare_names: bool = True) -> None:
    """padlint's summary of one model equals Keras' rows (for a subclassed model, the table
    Keras prints) and totals."""
    if keras_model.subclassed:
        assert summary.kind == "subclassed", f"{context}: padlint sees a {summary.kind} model, Keras a subclassed one"
        assert_printed_rows_match(summary, keras_model, context, compare_names=compare_names)
        _assert_totals(summary, keras_model, context, compare_names=compare_names)
        return
    if keras_model.printed is not None:
        assert_printed_rows_match(summary, keras_model, context, compare_names=compare_names)
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
    _assert_totals(summary, keras_model, context, compare_names=compare_names)


def _assert_totals(summary: ModelSummary, keras_model: ModelRows, context: str, *, compare_names: bool) -> None:
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


def assert_exact_models(path: str | Path) -> dict[str, ModelSummary]:
    """:func:`assert_same_models`, and every model padlint finds in the file is complete: a
    fixture of a style padlint must understand whole."""
    summaries = assert_same_models(path)
    incomplete = {name: summary.notes for name, summary in summaries.items() if not summary.complete}
    assert not incomplete, f"{path}: incomplete models {incomplete}"
    return summaries


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
