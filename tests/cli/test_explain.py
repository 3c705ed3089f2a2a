"""``padlint summary --explain``: the table stays the table, and the arithmetic after it names
each row and each axis, with the sizes Keras computes."""

from __future__ import annotations

import json
import re
from padlint.reporters.summary_text import render_file
from tests.cli.conftest import write
from tests.helpers import PROJECT, analyse_file
from tests.keras_models import keras_models_of

# Spatial layers of every rank, in both data formats; Reshape and Permute move between ranks.
EXPLAINED = '''\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(3, 30, 20)),
    layers.Conv2D(4, (3, 5), strides=(1, 2), data_format="channels_first"),
    layers.ZeroPadding2D(((1, 0), (2, 1)), data_format="channels_first"),
    layers.MaxPooling2D(2, padding="same", data_format="channels_first"),
    layers.Reshape((4, 90)),
    layers.Permute((2, 1)),
    layers.Conv1D(6, 4, padding="causal", dilation_rate=2),
    layers.AveragePooling1D(3),
    layers.UpSampling1D(2),
    layers.Reshape((5, 6, 2, 6)),
    layers.Conv3D(2, (2, 3, 1), padding="same", strides=(2, 1, 1)),
    layers.Cropping3D(((1, 0), (1, 2), (0, 0))),
    layers.Flatten(),
    layers.Dense(3),
])

functional_in = keras.Input(shape=(12, 12, 1))
functional = keras.Model(functional_in, layers.Conv2D(2, 3, strides=2)(functional_in))
'''
CHANNELS_FIRST = {"conv2d", "zero_padding2d", "max_pooling2d"}
#: Keras' documentation names the spatial axes of a 1D, 2D and 3D layer's input so.
AXES = {1: ["steps"], 2: ["height", "width"], 3: ["depth", "height", "width"]}
AXIS_LINE = re.compile(r"^     (?P<axis>[a-z]+): +(?P<size>\d+) -> .* = (?P<output>\d+)(?:,|$)")


def test_explain_prints_the_same_table_then_the_arithmetic(padlint, tmp_path):
    write(tmp_path, {"model.py": EXPLAINED})
    plain = padlint("summary", "model.py", cwd=tmp_path).stdout
    explained = padlint("summary", "--explain", "model.py", cwd=tmp_path).stdout
    tables, blocks = plain.rstrip("\n").split("\n\n"), explained.rstrip("\n").split("\n\n")
    assert len(tables) == 2 and len(blocks) == 4
    for table, (after, arithmetic) in zip(tables, [blocks[0:2], blocks[2:4]]):
        assert after == table  # byte for byte, totals included
        lines = arithmetic.splitlines()
        assert lines[0] == " Arithmetic of each row:"
        # Every line is a row's reference (as the table's first column shows it, with its line) or under one.
        references = [line for line in lines[1:] if not line.startswith("     ")]
        assert all(re.fullmatch(r"   \S+ \(\w+\), line \d+:", line) for line in references), references
        assert all(f"│ {line.strip().rsplit(', line', 1)[0]} " in table for line in references)


def test_each_axis_line_names_its_axis_with_the_sizes_keras_computes(tmp_path):
    path = write(tmp_path, {"model.py": EXPLAINED}) / "model.py"
    [keras_rows] = [model.rows for name, model in keras_models_of(path).items() if name == "model"]
    analysis = analyse_file(path)
    text = render_file(analysis, explain=True).split("\n\n")[1]
    by_row: dict[str, list[re.Match]] = {}
    current = None
    for line in text.splitlines()[1:]:
        if not line.startswith("     "):
            current = line.strip().split(" ")[0]
            by_row[current] = []
        elif match := AXIS_LINE.match(line):
            by_row[current].append(match)
    shapes = [(None, 3, 30, 20)] + [row.shapes[0] for row in keras_rows]
    checked = 0
    for index, row in enumerate(keras_rows):
        matches = by_row.get(row.name, [])
        if not matches:
            continue
        before, after = shapes[index], shapes[index + 1]
        rank = len(before) - 2
        axes = range(2, rank + 2) if row.name in CHANNELS_FIRST else range(1, rank + 1)
        assert [match["axis"] for match in matches] == AXES[rank], row.name
        assert [int(match["size"]) for match in matches] == [before[axis] for axis in axes], row.name
        assert [int(match["output"]) for match in matches] == [after[axis] for axis in axes], row.name
        checked += 1
    assert checked == 8  # every spatial layer of the model


def test_the_readme_example_is_what_padlint_prints(padlint):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    command = "padlint summary --explain fixtures/seeds/seed_004_valid.py"
    example = readme.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    assert padlint(*command.split()[1:], "--no-cache", cwd=PROJECT).stdout == example


def test_in_a_notebook_a_row_names_its_cell_and_line(padlint, tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A model"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["import keras\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["model = keras.Sequential([\n", "    keras.Input(shape=(9, 9, 1)),\n", "    keras.layers.Conv2D(2, 3),\n", "])\n"]},
    ]
    write(tmp_path, {"nb.ipynb": json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})})
    lines = padlint("summary", "--explain", "nb.ipynb", cwd=tmp_path).stdout.splitlines()
    start = lines.index(" Arithmetic of each row:")
    assert lines[start + 1:] == [
        "   conv2d (Conv2D), cell 3, line 3:",
        "     height: 9 -> floor((9 - 3) / 1) + 1 = 7, valid",
        "     width:  9 -> floor((9 - 3) / 1) + 1 = 7, valid",
    ]
