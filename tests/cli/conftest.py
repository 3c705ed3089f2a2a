"""Run the checkout's ``padlint`` console script (and flake8) in subprocesses, on copies of fixture trees.

The commands and their environment come from :mod:`tests.checkout`: whatever copy of
padlint is installed, a subprocess runs the code of this checkout (or the test fails
saying what it would have run instead).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import checkout
from tests.checkout import console_script
from tests.helpers import FIXTURES

TREE = FIXTURES / "cli" / "tree"

__all__ = ["Completed", "clean_environment", "console_script", "run", "write"]


def clean_environment(**extra: str) -> dict[str, str]:
    """This environment without padlint's, colour and GitHub variables, plus ``extra``; the checkout first on PYTHONPATH."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PADLINT_", "FORCE_COLOR", "NO_COLOR", "GITHUB_"))}
    environment.update(extra)
    return checkout.environment(environment)


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run(*arguments: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None, program: str = "padlint") -> Completed:
    """Run ``padlint`` (or ``flake8``) with ``arguments``; ``env`` is built by :func:`clean_environment`."""
    command = checkout.flake8_command() if program == "flake8" else [console_script(program)]
    process = subprocess.run(
        [*command, *arguments],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=clean_environment() if env is None else checkout.environment(env),
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
