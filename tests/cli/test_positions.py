"""Every output format puts each finding where it is, by positions computed without padlint.

The snapshots of tests/cli/snapshots hold padlint's own output: regenerated after a
bug, they would hold the bug. Here the expected positions come from elsewhere:

- a finding about a layer sits on the layer's call (SPEC section 4, "the position is
  that of the layer call the finding is about"): ``Conv2D(...)`` in a Sequential list,
  ``Conv2D(...)(x)`` in a functional model; the files below mark each such line with
  ``# <- CODE``, and Python's ``ast`` gives the call's span (columns
  converted from UTF-8 bytes to characters, as SARIF's ``unicodeCodePoints`` counts);
- a file Python cannot parse is reported where ``compile`` puts the SyntaxError, a
  notebook that is not JSON where ``json.loads`` puts the error;
- in a notebook, the cell is counted among all cells from 1, the line inside the cell,
  and the line of the ``.ipynb`` file is found by searching the file for the line's JSON.

Each format is then parsed by its own documented layout (ruff's, pylint's, GitHub's
workflow commands, SARIF 2.1.0, flake8's) and must give exactly these positions.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.conftest import run, write

#: A marker comment: the finding ``CODE`` is about the layer call that starts on this line.
MARKER = re.compile(r"# <- (PAD\d{3})")
TAB = 4  # the full format shows tabs as 4 columns

SEQUENTIAL = '''\
"""Pooling layers with padding modes Keras 3 rejects, one call spread over lines."""
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, padding="Same"),
    layers.MaxPooling2D(2, padding="Valid"),  # <- PAD102
    layers.Conv2D(16, 3, padding="same"),
    layers.AveragePooling2D(  # <- PAD102
        pool_size=2,
        padding="SAME",
    ),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
'''

# Characters outside ASCII before and inside the call: columns count characters, not bytes.
FUNCTIONAL = '''\
import tensorflow as tf

entrée = tf.keras.Input(shape=(64, 64, 3))
x = tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu")(entrée)
x = tf.keras.layers.Flatten()(x)
é = tf.keras.layers.Dense(512, activation="relu", name="dense_é")(x)  # <- PAD301
outputs = tf.keras.layers.Dense(10, activation="softmax")(é)
model = tf.keras.Model(entrée, outputs)
'''

# A tab before the call: one column in positions, four in the full format's picture.
SHRINK = '''\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten

model = Sequential([
    Conv2D(32, kernel_size=(3, 3), input_shape=(20, 20, 3)),
    Conv2D(64, kernel_size=(5, 5)),
\tConv2D(128, kernel_size=(7, 7)),  # <- PAD201
    Flatten(),
    Dense(2, activation="softmax"),
])
'''

SYNTAX_ERROR = '''\
import keras

model = keras.Sequential([
    keras.layers.Dense(4),
'''

NOTEBOOK_CELLS = [
    ("markdown", "# Pooling\n\nA notebook whose model is built in its fourth cell."),
    ("code", "import keras\nfrom keras import layers"),
    ("markdown", "The model:"),
    ("code", 'model = keras.Sequential([\n    layers.Input(shape=(32, 32, 3)),\n    layers.MaxPooling2D(2, padding="Valid"),  # <- PAD102\n    layers.Flatten(),\n])'),
]

NOT_JSON = '{\n "cells": [\n  {"cell_type": "code", "source": ["import keras\\n"]}\n  {"cell_type": "code"}\n ]\n}\n'


def _notebook() -> str:
    cells = [
        {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True), **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for kind, text in NOTEBOOK_CELLS
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


FILES = {
    "models/sequential.py": SEQUENTIAL,
    "models/functional.py": FUNCTIONAL,
    "models/shrink.py": SHRINK,
    "broken/syntax_error.py": SYNTAX_ERROR,
    "notebooks/pooling.ipynb": _notebook(),
    "broken/not_json.ipynb": NOT_JSON,
}


@dataclass(frozen=True)
class Place:
    """Where a finding is, 1-based, end column exclusive; in a notebook, inside the cell."""

    path: str
    code: str
    line: int
    column: int
    end_line: int
    end_column: int
    cell: int | None = None
    #: The lines of the file on disk holding the start and the end (differ from line in notebooks).
    file_line: int = 0
    file_end_line: int = 0
    #: The columns there: in a notebook, characters of the .ipynb file's JSON line.
    file_column: int = 0
    file_end_column: int = 0

    @property
    def text_line(self) -> tuple:
        return (self.path, self.cell, self.line, self.code)


def _characters(line: str, byte_column: int) -> int:
    return len(line.encode("utf-8")[:byte_column].decode("utf-8"))


def _layer_call(tree: ast.AST, line: int) -> ast.Call:
    """The layer call starting on ``line``: ``Conv2D(...)`` in a Sequential list, the application
    ``Conv2D(...)(x)`` in a functional model (the call of the layer, where its input is known)."""
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    constructors = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and node.lineno == line and not isinstance(node.func, ast.Call)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", ""))[:1].isupper()
    ]
    assert len(constructors) == 1, f"line {line}: {len(constructors)} layer constructors"
    call = constructors[0]
    while isinstance(parent := parents.get(id(call)), ast.Call) and parent.func is call:
        call = parent
    return call


def marked_places(path: str, text: str, cell: int | None = None) -> list[Place]:
    lines = text.splitlines()
    tree = ast.parse(text)
    places = []
    for number, line in enumerate(lines, 1):
        marker = MARKER.search(line)
        if marker:
            call = _layer_call(tree, number)
            places.append(Place(
                path, marker.group(1), call.lineno, _characters(lines[call.lineno - 1], call.col_offset) + 1,
                call.end_lineno, _characters(lines[call.end_lineno - 1], call.end_col_offset) + 1, cell,
            ))
    return places


def expected_places() -> list[Place]:
    places = []
    for path, text in FILES.items():
        if path.endswith(".py"):
            try:
                compile(text, path, "exec")
            except SyntaxError as error:
                places.append(Place(path, "PAD001", error.lineno, error.offset, error.lineno, error.offset))
            else:
                places += marked_places(path, text)
            continue
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            places.append(Place(path, "PAD001", error.lineno, error.colno, error.lineno, error.colno))
            continue
        file_lines = text.splitlines()
        for number, cell in enumerate(document["cells"], 1):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            for place in marked_places(path, source, cell=number):
                def on_disk(line: int, column: int) -> tuple[int, int]:
                    """The .ipynb file's (line, column) of a cell's (line, column): the JSON string
                    of the cell line, its opening quote, then the escaped characters before the column."""
                    text_line = source.splitlines(keepends=True)[line - 1]
                    encoded = json.dumps(text_line)
                    [found] = [index for index, raw in enumerate(file_lines, 1) if encoded in raw]
                    start = file_lines[found - 1].index(encoded)
                    return found, start + 1 + len(json.dumps(text_line[: column - 1])) - 2 + 1

                (file_line, file_column), (file_end_line, file_end_column) = on_disk(place.line, place.column), on_disk(place.end_line, place.end_column)
                places.append(Place(**{**place.__dict__, "file_line": file_line, "file_end_line": file_end_line, "file_column": file_column, "file_end_column": file_end_column}))
    return sorted(places, key=lambda place: (place.path, place.cell or 0, place.line))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("positions"), FILES)


@pytest.fixture(scope="module")
def places() -> list[Place]:
    found = expected_places()
    assert [place.code for place in found] == ["PAD001", "PAD001", "PAD301", "PAD102", "PAD102", "PAD201", "PAD102"]
    return found


def output(project: Path, fmt: str) -> str:
    result = run("--isolated", "--output-format", fmt, ".", cwd=project)
    assert result.code == 1, result.stderr
    return result.stdout


def _source_lines(project: Path, path: str) -> list[str]:
    return (project / path).read_text(encoding="utf-8").splitlines()


HEADER = re.compile(r"^(?P<path>[^\s:]+):(?:cell (?P<cell>\d+):)?(?P<line>\d+):(?P<column>\d+): (?P<code>PAD\d{3}) ")


def _from_header(match: re.Match) -> tuple:
    return (match["path"], int(match["cell"]) if match["cell"] else None, int(match["line"]), int(match["column"]), match["code"])


def _starts(places: list[Place]) -> list[tuple]:
    return [(place.path, place.cell, place.line, place.column, place.code) for place in places]


def test_concise(project, places):
    found = [_from_header(match) for line in output(project, "concise").splitlines() if (match := HEADER.match(line))]
    assert found == _starts(places)


def test_full_headers_and_carets(project, places):
    """The header gives the start; under the finding's line (numbered in the gutter) the carets
    run from the start to the end column, or to the end of the line when the call goes on."""
    blocks = [block for block in output(project, "full").split("\n\n") if HEADER.match(block)]
    assert [_from_header(HEADER.match(block)) for block in blocks] == _starts(places)
    for block, place in zip(blocks, places):
        rows = [re.match(r"^ *(\d*) \| ?(.*)$", row) for row in block.splitlines()[1:] if " | " in row or row.rstrip().endswith("|")]
        [(shown, carets)] = [(rows[index - 1], row) for index, row in enumerate(rows) if row and not row[1] and "^" in row[2]]
        assert int(shown[1]) == place.line
        if place.cell is None:
            source_line = _source_lines(project, place.path)[place.line - 1]
        else:
            source_line = "".join(json.loads((project / place.path).read_text())["cells"][place.cell - 1]["source"]).splitlines()[place.line - 1]
        assert shown[2] == source_line.expandtabs(TAB).rstrip()
        stop = place.end_column - 1 if place.end_line == place.line else len(source_line.rstrip())
        start = len(source_line[: place.column - 1].expandtabs(TAB))
        width = max(len(source_line[:stop].expandtabs(TAB)) - start, 1)
        assert carets[2] == " " * start + "^" * width + " " + place.code


def test_grouped(project, places):
    found, path = [], None
    for line in output(project, "grouped").splitlines():
        if line.endswith(":") and not line.startswith(" "):
            path = line[:-1]
        elif match := re.match(r"^  +(?:cell (\d+):)?(\d+):(\d+) +(PAD\d{3}) ", line):
            found.append((path, int(match[1]) if match[1] else None, int(match[2]), int(match[3]), match[4]))
    assert found == _starts(places)


def test_pylint(project, places):
    pattern = re.compile(r"^([^\s:]+):(?:cell (\d+):)?(\d+): \[(PAD\d{3})\] ")
    found = [(match[1], int(match[2]) if match[2] else None, int(match[3]), match[4]) for line in output(project, "pylint").splitlines() if (match := pattern.match(line))]
    assert found == [place.text_line for place in places]


def _json_places(items: list[dict]) -> list[tuple]:
    return [(item["path"], item["cell"], item["line"], item["column"], item["end_line"], item["end_column"], item["code"]) for item in items]


def _full_places(places: list[Place]) -> list[tuple]:
    return [(place.path, place.cell, place.line, place.column, place.end_line, place.end_column, place.code) for place in places]


def test_json(project, places):
    assert _json_places(json.loads(output(project, "json"))) == _full_places(places)


def test_json_lines(project, places):
    assert _json_places([json.loads(line) for line in output(project, "json-lines").splitlines()]) == _full_places(places)


def test_github(project, places):
    """Annotations on the file GitHub shows: in a notebook, lines of the .ipynb file and no column."""
    found = []
    for line in output(project, "github").splitlines():
        properties = dict(item.split("=", 1) for item in line.split(" ", 1)[1].split("::", 1)[0].split(","))
        found.append((properties["file"], properties["title"].split(" ")[0], properties["line"], properties.get("col"), properties["endLine"], properties.get("endColumn")))
    expected = []
    for place in places:
        if place.cell is None:
            expected.append((place.path, place.code, str(place.line), str(place.column), str(place.end_line), str(place.end_column)))
        else:
            expected.append((place.path, place.code, str(place.file_line), None, str(place.file_end_line), None))
    assert sorted(found) == sorted(expected)  # errors are written first


def test_sarif(project, places):
    run_ = json.loads(output(project, "sarif"))["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    found = []
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        found.append((location["artifactLocation"]["uri"], result["ruleId"], region, result.get("properties")))
    expected = []
    for place in places:
        if place.cell is None:
            region = {"startLine": place.line, "startColumn": place.column, "endLine": place.end_line, "endColumn": place.end_column}
            expected.append((place.path, place.code, region, None))
        else:
            region = {"startLine": place.file_line, "startColumn": place.file_column, "endLine": place.file_end_line, "endColumn": place.file_end_column}
            expected.append((place.path, place.code, region, {"cell": place.cell, "cellLine": place.line, "cellColumn": place.column}))
    assert found == expected


def test_flake8(project, places):
    """flake8 reads .py files only, and reports its own E999 for a file that does not parse."""
    result = run("--isolated", "--select", "PAD,E999", ".", cwd=project, program="flake8")
    pattern = re.compile(r"^\./([^\s:]+):(\d+):(\d+): ((?:PAD|E)\d{3}) ")
    found = sorted((match[1], int(match[2]), int(match[3]), match[4]) for line in result.stdout.splitlines() if (match := pattern.match(line)))
    expected = sorted((place.path, place.line, place.column, "E999" if place.code == "PAD001" else place.code) for place in places if place.path.endswith(".py"))
    # flake8's E999 column is its own (it counts from 1 past the token); only its line is compared.
    assert [item for item in found if item[3] != "E999"] == [item for item in expected if item[3] != "E999"]
    assert [item[:2] for item in found if item[3] == "E999"] == [item[:2] for item in expected if item[3] == "E999"]
