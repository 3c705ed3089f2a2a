"""The pre-filter never drops a file with a model: with and without it, the same models and findings."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from padlint.prefilter import can_skip, may_define_model, parses
from padlint.reporters.summary_json import model_json
from padlint.run import Skipped, analyse
from padlint.settings import Settings
from padlint.source import SourceError, SourceFile, read_source
from tests.helpers import FIXTURES, PROJECT


def readable(path: Path) -> SourceFile | None:
    try:
        return read_source(path, display_path=str(path.relative_to(PROJECT)))
    except SourceError:
        return None


#: Fixtures padlint can read (the unreadable ones are reported before any analysis or pre-filter).
SOURCES = sorted(
    path
    for path in FIXTURES.rglob("*")
    if path.suffix in (".py", ".ipynb") and ".padlint_cache" not in path.parts and readable(path) is not None
)


def outcome(source: SourceFile, prefilter: bool) -> tuple[list, list]:
    analysis, findings = analyse(source, Settings(), prefilter=prefilter)
    return [model_json(model, analysis) for model in analysis.models], findings


def test_there_are_fixtures_with_and_without_models():
    assert len(SOURCES) > 100


@pytest.mark.parametrize("path", SOURCES, ids=[str(path.relative_to(FIXTURES)) for path in SOURCES])
def test_same_models_and_findings_with_and_without_the_prefilter(path):
    source = readable(path)
    full = outcome(source, prefilter=False)
    assert outcome(source, prefilter=True) == full
    if full[0]:
        assert not can_skip(source.text)


@pytest.mark.parametrize("path", SOURCES, ids=[str(path.relative_to(FIXTURES)) for path in SOURCES])
def test_without_the_marker_no_model_is_found(path):
    """The safety argument itself: take ``keras`` out of a file (every import and attribute path
    renamed consistently) and the full analysis finds no model and nothing but a syntax error,
    unless the file then reads as a snippet (``Sequential`` unbound once its import is gone),
    which the pre-filter does not skip."""
    source = readable(path)
    renamed = SourceFile(path=source.path, text=source.text.replace("keras", "kernel_lib").replace("Keras", "Kernel_lib"))
    analysis, findings = analyse(renamed, Settings(), prefilter=False)
    if analysis.models or findings:
        assert not can_skip(renamed.text)
        return
    for name in ("Sequential", "Model"):
        renamed = SourceFile(path=source.path, text=renamed.text.replace(name, "Kernel" + name))
    analysis, findings = analyse(renamed, Settings(), prefilter=False)
    assert analysis.models == []
    assert {finding.code for finding in findings} <= {"PAD001"}


CASES = {
    "keras import": ("import keras\n", False),
    "tf.keras": ("import tensorflow as tf\nm = tf.keras.Sequential()\n", False),
    "keras in a comment only": ("# keras\nx = 1\n", False),
    "fullwidth identifier (NFKC)": ("import ｋｅｒａｓ\n", False),
    "syntax error without keras": ("def f(:\n    pass\n", False),
    "symbol-table error": ("nonlocal x\n", False),
    "too deep to judge": ("x = " + "(" * 500 + ")" * 500 + "\n", False),
    "plain python": ("import os\n\ndef f(x):\n    return os.path.join(x, 'y')\n", True),
    "snippet without imports": ("model = Sequential()\nmodel.add(Dense(3, input_shape=(4,)))\n", False),
    "snippet subclassing Model": ("class Net(Model):\n    pass\n", False),
    "fullwidth snippet (NFKC)": ("model = Ｓｅｑｕｅｎｔｉａｌ()\n", False),
    "Django model": ("from django.db import models\n\nclass Author(models.Model):\n    name = models.CharField(max_length=9)\n", True),
    "model names inside identifiers": ("BaseModel = object\nSequentialRunner = Modelling = 1\n", True),
    "plain python, non-ASCII": ("texte = 'été'\n", True),
    "invalid escape (no warning printed)": ("pattern = '\\d+'\n", True),
    "empty": ("", True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cases(name, capsys, recwarn):
    text, skippable = CASES[name]
    assert can_skip(text) is skippable
    assert capsys.readouterr().err == ""
    source = SourceFile(path="case.py", text=text)
    assert outcome(source, True) == outcome(source, False)


def test_skipped_analysis_looks_like_an_empty_one():
    analysis, findings = analyse(SourceFile(path="p.py", text="x = 1\n"), Settings())
    assert isinstance(analysis, Skipped) and findings == []
    assert (analysis.models, analysis.internal_errors, analysis.syntax_error) == ([], [], None)


def test_helpers():
    assert may_define_model("from tensorflow import keras") and not may_define_model("import torch")
    assert parses("x = 1\n") and not parses("x = \n")


def _generator():
    spec = importlib.util.spec_from_file_location("padlint_benchmark_generate", PROJECT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_generated_benchmark_files():
    """The benchmark's synthetic files: model files are analysed and give models, plain files are skipped;
    the results are the same as without the pre-filter."""
    generate = _generator()
    rng = random.Random(7)
    for index in range(12):
        model = SourceFile(path=f"m{index}.py", text=generate.model_file(rng, 150))
        plain = SourceFile(path=f"p{index}.py", text=generate.plain_file(rng, 150))
        assert not can_skip(model.text) and can_skip(plain.text)
        full = outcome(model, False)
        assert full[0], "a generated model file defines a model"
        assert outcome(model, True) == full
        assert outcome(plain, False) == ([], [])
