"""Notebooks: the seed notebooks give what their .py versions give; cells, magics, noqa and positions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from padlint.analysis import AnalysisOptions, analyse_source
from padlint.checker import check_analysis
from padlint.reporters.summary_json import model_json
from padlint.source import SourceError, SourceFile, notebook_source, read_source
from tests.cli.conftest import write
from tests.helpers import FIXTURES

NOTEBOOKS = FIXTURES / "notebooks"
SEED_NOTEBOOKS = sorted(NOTEBOOKS.glob("seed_*.ipynb"))


def test_the_seed_notebooks_exist():
    assert {path.stem for path in SEED_NOTEBOOKS} >= {"seed_000_zero_padding", "seed_004_valid"}


def _cells(path: Path) -> list[dict]:
    document = json.loads(path.read_text())
    assert document["nbformat"] == 4 and document["nbformat_minor"] >= 4
    for cell in document["cells"]:
        assert {"cell_type", "metadata", "source"} <= set(cell)
        if cell["cell_type"] == "code":
            assert {"outputs", "execution_count"} <= set(cell)
    return document["cells"]


@pytest.mark.parametrize("notebook", SEED_NOTEBOOKS, ids=lambda path: path.stem)
def test_seed_notebook_holds_the_py_fixture_code_in_several_cells(notebook: Path):
    """Provenance: the code cells, minus IPython magics, are the .py fixture's code (its first comment aside)."""
    cells = [cell for cell in _cells(notebook) if cell["cell_type"] == "code"]
    code = ["".join(cell["source"]) for cell in cells if not "".join(cell["source"]).lstrip().startswith(("!", "%"))]
    python = (FIXTURES / "seeds" / f"{notebook.stem}.py").read_text()
    body = python.split("\n", 1)[1] if python.startswith("# Seed") else python
    assert re.sub(r"\n+", "\n", "\n".join(code)).strip() == re.sub(r"\n+", "\n", body).strip()
    assert len(_cells(notebook)) > 1


def _line_texts(source: SourceFile, text: str) -> str:
    """Replace ``line N`` (and ``cell C, line L``) in a message by the text of that line, for comparing across files."""
    def replace(match: re.Match) -> str:
        if match.group("cell"):
            cell = next(cell for cell in source.cells if cell.number == int(match.group("cell")))
            line = cell.first_line + int(match.group("line")) - 1
        else:
            line = int(match.group("line"))
        return f"`{source.line_text(line).strip()}`"

    return re.sub(r"(?:cell (?P<cell>\d+), )?line (?P<line>\d+)", replace, text)


def _comparable_findings(source: SourceFile) -> list[tuple]:
    analysis = analyse_source(source, AnalysisOptions())
    return [
        (f.code, source.line_text(f.line).strip(), f.column, f.end_column, f.severity, _line_texts(source, f.message), f.fix)
        for f in check_analysis(analysis)
    ]


def _comparable_summary(source: SourceFile) -> list[dict]:
    analysis = analyse_source(source, AnalysisOptions())
    document = [model_json(summary, analysis) for summary in analysis.models]
    for model in document:
        model["line"] = source.line_text(model["line"]).strip()
        for layer in model["layers"]:
            layer["line"] = source.line_text(layer["line"]).strip() if layer["line"] else None
    return document


@pytest.mark.parametrize("notebook", SEED_NOTEBOOKS, ids=lambda path: path.stem)
def test_seed_notebook_gives_the_findings_and_summaries_of_its_py_version(notebook: Path):
    as_notebook = read_source(notebook)
    as_python = read_source(FIXTURES / "seeds" / f"{notebook.stem}.py")
    assert _comparable_findings(as_notebook) == _comparable_findings(as_python)
    assert _comparable_summary(as_notebook) == _comparable_summary(as_python)
    assert _comparable_summary(as_notebook), "the notebook defines models"


def test_seed_notebook_findings_as_the_spec_says(padlint):
    """SPEC section 6 on the notebook versions: seed 000 gives PAD201, seed 004 'Valid' PAD203, 'Same' nothing."""
    result = padlint("--output-format", "concise", "-q", ".", cwd=NOTEBOOKS)
    assert [line.split(": ")[0] + ": " + line.split(": ")[1].split()[0] for line in result.lines] == [
        "seed_000_zero_padding.ipynb:cell 3:5:5: PAD201",
        "seed_002_padding_and_stride.ipynb:cell 7:9:5: PAD301",
        "seed_002_padding_and_stride.ipynb:cell 8:9:5: PAD301",
        "seed_004_valid.ipynb:cell 3:8:11: PAD203",
    ]


def test_seed_notebook_summary_is_located_by_cell(padlint):
    result = padlint("summary", "seed_004_same.ipynb", cwd=NOTEBOOKS)
    assert result.code == 0
    assert result.lines[0] == 'Model: "sequential"  (model, seed_004_same.ipynb:cell 3:6, sequential)'
    assert "(None, 3, 3, 24)" in result.stdout


def _notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True), **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, text in cells
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1)


MODEL_CELL = (
    "model = models.Sequential([\n"
    "    layers.Input(shape=(64, 64, 3)),\n"
    "    layers.Conv2D(32, 3, padding='same'),\n"
    "    layers.Flatten(),\n"
    "    layers.Dense(256),{comment}\n"
    "    layers.Dense(10),\n"
    "])\n"
)


def test_models_across_cells_magics_and_noqa(padlint, tmp_path):
    write(tmp_path, {
        "found.ipynb": _notebook(("markdown", "# A"), ("code", "%load_ext autoreload\n!pip install keras\nfrom keras import layers, models"),
                                 ("code", "files = !ls\nx = 1"), ("code", MODEL_CELL.format(comment=""))),
        "silenced.ipynb": _notebook(("code", "from keras import layers, models"), ("code", MODEL_CELL.format(comment="  # noqa: PAD301"))),
        "magic_cell.ipynb": _notebook(("code", "%%bash\necho hi\nfor x in 1 2; do echo $x; done"), ("code", "from keras import layers, models"),
                                      ("code", MODEL_CELL.format(comment="  # noqa"))),
    })
    result = padlint("--output-format", "concise", "-q", ".", cwd=tmp_path)
    assert result.code == 1
    assert [line.split(" dense")[0] for line in result.lines] == ["found.ipynb:cell 4:5:5: PAD301"]


def test_notebook_positions_in_json(padlint, tmp_path):
    write(tmp_path, {"nb.ipynb": _notebook(("markdown", "# A"), ("code", "from keras import layers, models"), ("code", MODEL_CELL.format(comment="")))})
    [finding] = json.loads(padlint("--output-format", "json", "nb.ipynb", cwd=tmp_path).stdout)
    assert (finding["cell"], finding["line"], finding["column"], finding["end_line"]) == (3, 5, 5, 5)
    document = json.loads((tmp_path / "nb.ipynb").read_text())
    assert "".join(document["cells"][finding["cell"] - 1]["source"]).splitlines()[finding["line"] - 1].startswith("    layers.Dense(256)")


def test_file_line_maps_to_the_line_of_the_ipynb(tmp_path):
    text = _notebook(("markdown", "# A\nB"), ("code", "a = 1\nb = 2"), ("code", "c = 3"))
    source = notebook_source("nb.ipynb", text.encode())
    raw_lines = text.splitlines()
    for line, expected in ((1, '"a = 1\\n"'), (2, '"b = 2"'), (3, '"c = 3"')):
        assert raw_lines[source.file_line(line) - 1].strip().rstrip(",") == expected
    assert source.line_label(3) == "cell 3, line 1"
    assert source.position(2, 4) == "cell 2:2:4"


def test_file_line_of_minified_and_single_string_sources():
    minified = json.dumps({"cells": [{"cell_type": "code", "source": "a = 1\nb = 2\n", "metadata": {}, "outputs": []}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    source = notebook_source("nb.ipynb", minified.encode())
    assert [source.file_line(line) for line in (1, 2)] == [1, 1]
    spread = '{\n"cells": [\n{"cell_type": "code",\n"metadata": {"x": [1, "y"]},\n"source":\n"a = 1\\nb = 2\\n",\n"outputs": []}\n],\n"metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    assert [notebook_source("nb.ipynb", spread.encode()).file_line(line) for line in (1, 2)] == [6, 6]


@pytest.mark.parametrize("data, message", [
    (b'{"cells": [}', "invalid notebook JSON: Expecting value"),
    (b"\xff\xfe not utf-8", "invalid notebook: not UTF-8"),
    (b'{"nbformat": 4}', "invalid notebook: no list of cells"),
    (b"[1, 2]", "invalid notebook: no list of cells"),
])
def test_broken_notebooks(data, message):
    with pytest.raises(SourceError, match=re.escape(message)):
        notebook_source("nb.ipynb", data)


def test_broken_notebook_is_one_finding_and_the_run_goes_on(padlint, tmp_path):
    write(tmp_path, {"bad.ipynb": '{\n "cells": [\n  {"cell_type": "code" "source": []}\n ]\n}\n',
                     "good.ipynb": _notebook(("code", "from keras import layers, models\n" + MODEL_CELL.format(comment="")))})
    result = padlint("--output-format", "concise", "-q", ".", cwd=tmp_path)
    assert result.lines[0] == "bad.ipynb:3:24: PAD001 invalid notebook JSON: Expecting ',' delimiter"
    assert result.lines[1].startswith("good.ipynb:cell 1:6:5: PAD301 ")
    full = padlint("bad.ipynb", cwd=tmp_path)
    assert '3 |   {"cell_type": "code" "source": []}' in full.stdout
    assert "\n  |                        ^ PAD001\n" in full.stdout


def test_syntax_error_in_a_cell_is_located_by_cell(padlint, tmp_path):
    write(tmp_path, {"nb.ipynb": _notebook(("code", "import keras"), ("markdown", "x"), ("code", "a = 1\nb = (2,\n"))})
    result = padlint("--output-format", "concise", "-q", "nb.ipynb", cwd=tmp_path)
    assert result.lines[0].startswith("nb.ipynb:cell 3:2:5: PAD001 cannot parse the file: '(' was never closed")
