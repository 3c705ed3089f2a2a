"""Run the real ``padlint`` console script (and flake8) in subprocesses, on copies of fixture trees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import FIXTURES

BIN = Path(sys.executable).parent
TREE = FIXTURES / "cli" / "tree"


def console_script(name: str) -> str:
    """The installed console script beside this interpreter (the venv's), else on PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"the {name!r} console script is not installed (pip install -e '.[test]')")
    return found


def clean_environment(**extra: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PADLINT_", "FORCE_COLOR", "NO_COLOR", "GITHUB_"))}
    environment.update(extra)
    return environment


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run(*arguments: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None, program: str = "padlint") -> Completed:
    process = subprocess.run(
        [console_script(program), *arguments],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env or clean_environment(),
        timeout=300,
    )
    return Completed(process.returncode, process.stdout, process.stderr)


@pytest.fixture
def padlint():
    """``padlint(*args, cwd=..., stdin=...)`` -> Completed."""
    return run


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of fixtures/cli/tree, so fixes and added files never touch the checkout."""
    target = tmp_path / "tree"
    shutil.copytree(TREE, target)
    return target


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
