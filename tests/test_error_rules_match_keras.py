"""The error rules agree with Keras: what they report, Keras really rejects.

For PAD101-PAD107, PAD206 and PAD404 (the rules whose findings are errors Keras
raises), every documented INVALID example and every firing fixture is run in
real Keras and must make Keras raise (a ValueError mostly), at the statement of a line marked
with one of those codes; every VALID example and every fixture that marks no
error must build. PAD207 is a warning about models Keras builds without
complaint: its examples and fixtures must build too.

The snippets are test fixtures, run with runpy under a module name that is
not ``__main__`` (so a realistic script's training block does not run), after
``keras.backend.clear_session()``. padlint itself never executes user code.
"""

from __future__ import annotations

import ast
import os
import re
import runpy
import traceback
import warnings
from pathlib import Path

import keras  # the oracle: missing, it fails the run (tests/conftest.py), never skips it
import pytest

from padlint.catalogue import all_rules
from tests.helpers import FIXTURES
from tests.rule_expectations import expected_findings

ERROR_CODES = ("PAD101", "PAD102", "PAD103", "PAD104", "PAD105", "PAD106", "PAD107", "PAD206", "PAD404")
BUILD_ONLY_CODES = ("PAD207",)
OWNED = tuple(code.lower() for code in ERROR_CODES + BUILD_ONLY_CODES)
RUN_NAME = "padlint_fixture"


def error_lines(text: str) -> set[int]:
    return {line for line, _, code in expected_findings(text) if code in ERROR_CODES}


def statement_span(tree: ast.AST, line: int) -> tuple[int, int]:
    """The first and last line of the innermost statement that contains ``line``."""
    spans = [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    return min(spans, key=lambda span: span[1] - span[0]) if spans else (line, line)


def run_snippet(path: Path) -> BaseException | None:
    """Run one file in a fresh Keras session; the exception it raised, if any."""
    keras.backend.clear_session()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            runpy.run_path(str(path), run_name=RUN_NAME)
        except Exception as error:  # noqa: BLE001 - any failure is the outcome under test
            return error
    return None


def raising_line(error: BaseException, path: Path) -> int | None:
    """The line of ``path`` that was executing when Keras raised (the innermost frame in the file)."""
    target = os.path.realpath(path)
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if os.path.realpath(frame.filename) == target]
    return frames[-1].lineno if frames else None


def raised_by_keras(error: BaseException, path: Path) -> bool:
    """The exception comes from inside Keras (or TensorFlow), called from the snippet.

    Keras rejects most arguments with a ValueError, some with whatever its
    parsing trips on (``padding=1`` fails on ``1.lower()``), so the type alone
    does not tell; where it was raised does.
    """
    if isinstance(error, (ImportError, NameError, SyntaxError)):
        return False
    if isinstance(error, TypeError) and re.match(r"[A-Z]\w*\.__init__\(\) (missing|got|takes) ", str(error)):
        # A layer class's signature refused the arguments (``AveragePooling2D()`` in Keras 3):
        # Python binds them at the call, before any frame inside Keras runs.
        return True
    frames = traceback.extract_tb(error.__traceback__)
    target = os.path.realpath(path)
    positions = [index for index, frame in enumerate(frames) if os.path.realpath(frame.filename) == target]
    if not positions:
        return False
    inside = frames[positions[-1] + 1:]
    return any(f"{os.sep}keras{os.sep}" in frame.filename or f"{os.sep}tensorflow{os.sep}" in frame.filename for frame in inside)


def assert_keras_agrees(path: Path) -> None:
    text = path.read_text()
    marked = error_lines(text)
    error = run_snippet(path)
    if not marked:
        assert error is None, f"{path.name}: Keras raised although nothing is marked: {type(error).__name__}: {error}"
        return
    assert error is not None, f"{path.name}: marked {sorted(marked)} but Keras built the model"
    assert raised_by_keras(error, path), f"{path.name}: the snippet itself failed, not Keras: {type(error).__name__}: {error}"
    line = raising_line(error, path)
    assert line is not None, f"{path.name}: the error was not raised from the snippet: {error}"
    start, end = statement_span(ast.parse(text), line)
    assert any(start <= mark <= end for mark in marked), (
        f"{path.name}: Keras raised at line {line} (statement {start}-{end}), not at a marked line {sorted(marked)}: {error}"
    )


EXAMPLES = [
    pytest.param(rule.code, kind, index, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    if rule.code in ERROR_CODES + BUILD_ONLY_CODES
    for kind, examples in (("invalid", rule.INVALID), ("valid", rule.VALID))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize("code, kind, index, example", EXAMPLES)
def test_documented_example_matches_keras(code, kind, index, example, tmp_path):
    path = tmp_path / f"{code.lower()}_{kind}_{index}.py"
    path.write_text(example)
    if kind == "invalid" and code in ERROR_CODES:
        assert error_lines(example), "an INVALID example of an error rule marks the line Keras rejects"
    assert_keras_agrees(path)


FIXTURE_FILES = sorted(path for path in (FIXTURES / "rules").glob("*.py") if path.name.startswith(OWNED))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_fixture_matches_keras(path):
    assert_keras_agrees(path)


def test_every_error_rule_has_firing_and_clean_fixtures():
    for code in ERROR_CODES + BUILD_ONLY_CODES:
        mine = [path for path in FIXTURE_FILES if path.name.startswith(code.lower())]
        firing = [path for path in mine if any(found == code for _, _, found in expected_findings(path.read_text()))]
        assert len(firing) >= 3, f"{code}: at least three firing fixture files"
        assert len(mine) > len(firing), f"{code}: a clean fixture file"
