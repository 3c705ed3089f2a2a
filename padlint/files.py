"""Which files to analyse: the paths given, folders walked recursively."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

SOURCE_SUFFIXES = (".py", ".ipynb")
#: Folders never worth walking into.
SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".padlint_cache", "node_modules", ".ipynb_checkpoints"})


def discover(paths: list[str]) -> Iterator[str]:
    """Source files under the given paths, each once, in a stable order.

    Files named explicitly are always included; folders are walked without
    following symbolic links (so link loops cannot trap the walk).
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _walk(path)
        else:
            candidates = iter([str(path)])
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(root: Path) -> Iterator[str]:
    for directory, subdirectories, files in os.walk(root, followlinks=False):
        subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.join(directory, name)
