"""The suite's own guards: it tests this checkout's padlint, in process and in subprocesses,
against a Keras that is there (a missing oracle fails the run, never skips it)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from tests import checkout
from tests.conftest import misplaced_padlint, missing_oracle

TESTS = Path(__file__).resolve().parent


def test_this_process_imports_the_checkouts_padlint():
    assert misplaced_padlint() == []


def test_subprocesses_import_the_checkouts_padlint():
    assert checkout.misplaced(checkout.environment()) == []


def _decoy(root: Path) -> Path:
    """An "installed" padlint somewhere else: what a non-editable install puts in site-packages."""
    package = root / "padlint"
    (package / "rules").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "rules" / "__init__.py").write_text("")
    (package / "flake8_plugin.py").write_text("class Plugin:\n    pass\n")
    (package / "cli.py").write_text("def run():\n    pass\n")
    return root


def test_the_probe_names_every_part_that_resolves_outside_the_checkout(tmp_path):
    decoy = _decoy(tmp_path / "site-packages")
    environment = checkout.environment()
    environment["PYTHONPATH"] = os.pathsep.join([str(decoy), environment["PYTHONPATH"]])
    wrong = checkout.misplaced(environment)
    assert [line.split(":")[0] for line in wrong] == ["padlint", "padlint.rules", "flake8 plugin", "console script"]
    assert all(str(decoy) in line for line in wrong)


def test_the_probe_notices_when_the_entry_points_are_not_the_checkouts(tmp_path):
    """Without the dist-info written from pyproject.toml, flake8 would read an installed copy's entry points."""
    environment = checkout.environment()
    site = environment["PYTHONPATH"].split(os.pathsep)[0]
    environment["PYTHONPATH"] = os.pathsep.join(part for part in environment["PYTHONPATH"].split(os.pathsep) if part != site)
    wrong = checkout.misplaced(environment)
    assert [line.split(":")[0] for line in wrong] == ["distribution"]


def test_a_missing_oracle_is_named():
    assert missing_oracle() == []
    absent = {"tensorflow"}
    assert missing_oracle(lambda name: None if name in absent else object()) == ["tensorflow"]


def _skips_on_a_missing_oracle(path: Path) -> list[int]:
    """Lines of ``pytest.importorskip("keras"/"tensorflow")`` and of skips conditioned on finding them."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("importorskip", "skipif", "skip"):
            text = ast.unparse(node)
            if "keras" in text.lower() or "tensorflow" in text.lower():
                lines.append(node.lineno)
    return lines


def test_no_test_skips_when_keras_is_missing():
    """``pytest.importorskip("keras")`` turned the oracle into skips when the install broke, and the run stayed green."""
    found = {str(path.relative_to(TESTS)): lines for path in sorted(TESTS.rglob("*.py")) if (lines := _skips_on_a_missing_oracle(path))}
    assert found == {}


@pytest.mark.parametrize("text", ['keras = pytest.importorskip("keras")\n', '@pytest.mark.skipif(find_spec("tensorflow") is None, reason="")\ndef test(): pass\n'])
def test_the_scan_finds_skips_on_a_missing_oracle(tmp_path, text):
    path = tmp_path / "test_x.py"
    path.write_text("import pytest\n" + text)
    assert _skips_on_a_missing_oracle(path) != []
