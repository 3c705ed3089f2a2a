"""The pre-commit hook (.pre-commit-hooks.yaml), its fields and its entry run as pre-commit runs it.

A real ``pre-commit try-repo`` cannot run offline: pre-commit installs a ``language: python``
hook into a fresh virtualenv of its own, with pip resolving padlint's dependencies (libcst,
networkx) and the build backend from an index, whatever the test environment already holds.
So pre-commit is not a test dependency; these tests check the manifest's fields against
what pre-commit documents and run the entry with the staged files appended, as pre-commit does.
"""

from __future__ import annotations

import shlex
import subprocess

import yaml

from tests.cli.conftest import clean_environment, console_script
from tests.helpers import PROJECT


def _hook() -> dict:
    [hook] = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    return hook


def test_hook_fields():
    hook = _hook()
    assert hook["id"] == hook["name"] == "padlint" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    # One process for all the files, as ruff's and black's hooks: pre-commit otherwise splits
    # the files over one process per CPU, each printing its own summary and writing the cache.
    assert hook["require_serial"] is True
    assert shlex.split(hook["entry"])[:2] == ["padlint", "check"]
    assert "pass_filenames" not in hook or hook["pass_filenames"] is True


def test_pre_commit_hook_runs_padlint_on_the_staged_files(tree):
    hook = _hook()
    (tree / "padlint.toml").write_text('extend-exclude = ["broken"]\n')
    # pre-commit appends the staged files to the entry (all of them in one call: require_serial).
    command = shlex.split(hook["entry"]) + ["models/shrink.py", "broken/syntax_error.py", "notebooks/pooling.ipynb"]
    command[0] = console_script(command[0])
    process = subprocess.run(command, cwd=tree, capture_output=True, text=True, env=clean_environment(), check=False)
    assert process.returncode == 1
    reported = sorted({line.split(":")[0] for line in process.stdout.splitlines() if ": PAD" in line})
    assert reported == ["models/shrink.py", "notebooks/pooling.ipynb"]  # the excluded file is skipped
    findings = [line for line in process.stdout.splitlines() if ": PAD" in line]
    [closing] = [line for line in process.stdout.splitlines() if line.startswith("Found ")]
    assert closing.startswith(f"Found {len(findings)} findings") and "in 2 files" in closing
