"""``padlint check`` says what it analysed: a clean model and one padlint never understood differ.

The closing line counts the models and the files holding them, and how many models are
incomplete (a shape padlint could not determine) or files use Keras without a model
padlint found; ``-v`` lists each on stderr with the reason and how to help padlint
(the ``# padlint: input_shape=(...)`` pragma, ``--input-shape``). Machine formats (JSON,
SARIF) carry findings only and stay as they are.
"""

from __future__ import annotations

import json

from tests.cli.conftest import write
from tests.cli.models import CLEAN, SHRINK, UNKNOWN_INPUT

#: Uses Keras, builds no model of its own (its builder lives in another module).
NO_MODEL = """\
import keras
from models.zoo import build_classifier

model = build_classifier(keras.Input(shape=(32, 32, 3)))
model.fit(x_train, y_train)
"""


def test_a_clean_run_counts_its_models(padlint, tmp_path):
    write(tmp_path, {"a.py": CLEAN, "b.py": CLEAN + "\nsecond = " + CLEAN.split("model = ", 1)[1], "notes.py": "x = 1\n"})
    result = padlint(".", cwd=tmp_path)
    assert (result.code, result.stdout, result.stderr) == (0, "All checks passed! (3 models in 2 files)\n", "")


def test_an_incomplete_model_is_counted_and_explained_under_v(padlint, tmp_path):
    write(tmp_path, {"clean.py": CLEAN, "unknown.py": UNKNOWN_INPUT})
    result = padlint(".", cwd=tmp_path)
    assert (result.code, result.stdout) == (0, "All checks passed! (2 models in 2 files; 1 incomplete: run with -v)\n")
    verbose = padlint("-v", ".", cwd=tmp_path)
    assert verbose.stdout == "All checks passed! (2 models in 2 files; 1 incomplete)\n"
    [note] = [line for line in verbose.stderr.splitlines() if line.startswith("padlint: note: ")]
    assert note.startswith("padlint: note: unknown.py:4: model 'model' is incomplete: ")
    assert "# padlint: input_shape=(...)" in note and "--input-shape" in note
    stated = padlint("--input-shape", "32,32,1", ".", cwd=tmp_path)
    assert stated.stdout == "All checks passed! (2 models in 2 files)\n"


def test_a_file_without_a_model_never_passes_silently(padlint, tmp_path):
    write(tmp_path, {"train.py": NO_MODEL})
    result = padlint("train.py", cwd=tmp_path)
    assert result.code == 0
    assert "All checks passed!" not in result.stdout
    assert result.stdout == "No Keras model found in 1 file that uses Keras: nothing to check (run with -v).\n"
    verbose = padlint("-v", "train.py", cwd=tmp_path)
    assert "padlint: note: train.py: uses Keras, but padlint found no model built here" in verbose.stderr
    assert "imported from other files" in verbose.stderr
    write(tmp_path, {"util.py": "def helper():\n    return 1\n"})
    assert padlint("util.py", cwd=tmp_path).stdout == "No Keras model found: no file uses Keras.\n"


def test_files_without_a_model_are_counted_beside_models(padlint, tmp_path):
    write(tmp_path, {"clean.py": CLEAN, "train.py": NO_MODEL})
    result = padlint(".", cwd=tmp_path)
    assert result.stdout == "All checks passed! (1 model in 1 file; 1 file without a model: run with -v)\n"


def test_findings_line_counts_what_was_checked(padlint, tmp_path):
    write(tmp_path, {"shrink.py": SHRINK, "unknown.py": UNKNOWN_INPUT})
    result = padlint("--output-format", "concise", ".", cwd=tmp_path)
    assert result.lines[-1] == "Found 1 finding (1 warning); checked 2 models in 2 files, 1 incomplete: run with -v."


def test_the_cache_keeps_what_was_analysed(padlint, tmp_path):
    write(tmp_path, {"clean.py": CLEAN, "unknown.py": UNKNOWN_INPUT, "train.py": NO_MODEL, "pyproject.toml": ""})
    first = padlint(".", cwd=tmp_path)
    second = padlint("-v", ".", cwd=tmp_path)
    assert "2 from the cache" not in first.stderr
    assert "3 from the cache" in second.stderr
    assert first.stdout == "All checks passed! (2 models in 2 files; 1 incomplete, 1 file without a model: run with -v)\n"
    assert second.stdout == "All checks passed! (2 models in 2 files; 1 incomplete, 1 file without a model)\n"
    assert second.stderr.count("padlint: note: ") == 2


def test_machine_formats_carry_findings_only(padlint, tmp_path):
    write(tmp_path, {"unknown.py": UNKNOWN_INPUT, "train.py": NO_MODEL})
    result = padlint("--output-format", "json", ".", cwd=tmp_path)
    assert (result.code, json.loads(result.stdout), result.stderr) == (0, [], "")
    sarif = json.loads(padlint("--output-format", "sarif", ".", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["results"] == []
