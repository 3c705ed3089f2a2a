"""Which files to analyse: the paths given, folders walked recursively.

Folders are walked in a stable (sorted) order. A symbolic link to a folder is
followed only when the folder it leads to lies inside the folders being walked
and is not already on the current path: a checkout's ``root -> /`` or
``data -> ~/datasets`` is not walked (it is not the project's), and link loops
cannot trap the walk. Every file is yielded once (by its real path).

What is skipped while walking:
- ``.gitignore`` files, as git reads them: the ones from the repository root
  (the nearest folder above with a ``.git``) down to each folder, plus
  ``.git/info/exclude``; deeper files override shallower ones and ``!``
  re-includes. Outside a repository, the ``.gitignore`` files inside the
  walked folder still apply. As git, a ``.gitignore`` that is a symbolic link is
  not read; neither is one that is not a regular file (``-> /dev/zero`` never
  ends, a named pipe never answers) or is larger than MAX_IGNORE_BYTES. Patterns
  are matched without backtracking (:mod:`padlint.ignore`).
- what the ``excluded`` callback says (configured ``exclude`` patterns; by
  default the folder names in :data:`DEFAULT_EXCLUDE`).

Files and folders named explicitly are always included (a folder git ignores is
walked with only its own ignore files) unless ``force_exclude`` is set
(as ruff's ``--force-exclude``, useful when pre-commit passes every file).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from padlint.ignore import IgnoreSpec
from padlint.safefs import inside, read_regular

SOURCE_SUFFIXES = (".py", ".ipynb")
#: Folders never worth walking into (ruff's default ``exclude``, plus padlint's cache).
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache",
    ".nox", ".padlint_cache", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache", ".svn",
    ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules",
    "site-packages", "venv",
)

#: ``excluded(path, is_directory)``: whether configuration excludes a path.
Excluder = Callable[[str, bool], bool]


#: Largest ignore file read (a generated one of tens of thousands of lines is some 1 MB).
MAX_IGNORE_BYTES = 1024 * 1024


@dataclass
class _Ignore:
    """The patterns of one ignore file, relative to ``base`` (a folder)."""

    base: str
    spec: IgnoreSpec

    def check(self, path: str, is_directory: bool, ancestors: bool = False) -> bool | None:
        """True: ignored, False: re-included by ``!``, None: no pattern matches (the walk has
        already left out ignored folders, so only the path itself is matched unless ``ancestors``)."""
        relative = os.path.relpath(path, self.base).replace(os.sep, "/")
        if relative.startswith("../") or relative == "..":
            return None
        if is_directory:
            relative += "/"
        return self.spec.check(relative, ancestors=ancestors)


def _load_ignore(file: str, base: str, follow_symlinks: bool = False) -> _Ignore | None:
    try:
        data = read_regular(file, MAX_IGNORE_BYTES, follow_symlinks=follow_symlinks)
    except OSError:
        return None  # missing, a link, not a regular file, too large, unreadable: not an ignore file
    spec = IgnoreSpec.from_lines(data.decode("utf-8", errors="replace").splitlines())
    return _Ignore(base, spec) if spec.patterns else None


def _repository_root(folder: str) -> str | None:
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


class _GitIgnores:
    """The ignore files that apply in each folder, loaded once per folder."""

    def __init__(self, confined_to: str | None = None) -> None:
        self._by_folder: dict[str, list[_Ignore]] = {}
        #: Only the ignore files in this folder and below apply (a walk of an ignored folder).
        self.confined_to = os.path.abspath(confined_to) if confined_to else None

    def for_folder(self, folder: str, walk_root: str) -> list[_Ignore]:
        """Ignore files applying in ``folder``, deepest first."""
        folder = os.path.abspath(folder)
        if folder in self._by_folder:
            return self._by_folder[folder]
        parent = os.path.dirname(folder)
        repository = None if self.confined_to else _repository_root(folder)
        top = self.confined_to or repository or os.path.abspath(walk_root)
        if folder != top and parent != folder and (folder.startswith(top + os.sep) or top == os.sep):
            inherited = self.for_folder(parent, walk_root)
        else:
            inherited = []
            if repository is not None and folder == repository:
                exclude = _load_ignore(os.path.join(folder, ".git", "info", "exclude"), folder, follow_symlinks=True)
                inherited = [exclude] if exclude else []
        own = _load_ignore(os.path.join(folder, ".gitignore"), folder)
        result = ([own] if own else []) + inherited
        self._by_folder[folder] = result
        return result

    def ignored(self, path: str, is_directory: bool, walk_root: str, ancestors: bool = False) -> bool:
        for ignore in self.for_folder(os.path.dirname(os.path.abspath(path)), walk_root):
            decision = ignore.check(os.path.abspath(path), is_directory, ancestors)
            if decision is not None:
                return decision
        return False


def discover(
    paths: list[str],
    excluded: Excluder | None = None,
    *,
    respect_gitignore: bool | Callable[[str], bool] = True,
    force_exclude: bool = False,
    on_error: Callable[[str, OSError], None] | None = None,
) -> Iterator[str]:
    """Source files under the given paths, each once, in a stable order.

    ``respect_gitignore`` may be a callback deciding per folder (configuration
    may differ between folders); ``on_error`` hears of each folder that cannot
    be listed (the walk goes on without it).
    """
    if excluded is None:
        excluded = _default_excluded
    seen: set[str] = set()
    gitignores = _GitIgnores()
    roots = [Path(os.path.realpath(given)) for given in paths if os.path.isdir(given)]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            if force_exclude and excluded is not None and excluded(str(path), True):
                continue
            candidates = _walk(str(path), excluded, respect_gitignore, gitignores, on_error, roots)
        else:
            if force_exclude and excluded is not None and excluded(str(path), False):
                continue
            candidates = iter([str(path)])
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate


def _default_excluded(path: str, is_directory: bool) -> bool:
    return os.path.basename(os.path.normpath(path)) in DEFAULT_EXCLUDE


def _walk(
    root: str,
    excluded: Excluder | None,
    respect_gitignore: bool | Callable[[str], bool],
    gitignores: _GitIgnores,
    on_error: Callable[[str, OSError], None] | None = None,
    roots: list[Path] | None = None,
) -> Iterator[str]:
    roots = roots if roots is not None else [Path(os.path.realpath(root))]

    def gitignore_applies(folder: str) -> bool:
        return respect_gitignore(folder) if callable(respect_gitignore) else bool(respect_gitignore)

    if gitignore_applies(root) and gitignores.ignored(root, True, root, ancestors=True):
        # A folder named explicitly is walked even when git ignores it (as ruff and ripgrep
        # do); the ignore files inside it still apply.
        gitignores = _GitIgnores(confined_to=root)

    def skipped(path: str, is_directory: bool) -> bool:
        if excluded is not None and excluded(path, is_directory):
            return True
        return gitignore_applies(os.path.dirname(path) or ".") and gitignores.ignored(path, is_directory, root)

    def visit(folder: str, ancestors: frozenset[str]) -> Iterator[str]:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            if on_error is not None:
                on_error(folder, error)
            return
        for entry in entries:
            path = os.path.join(folder, entry.name) if folder != "." else entry.name
            try:
                is_directory = entry.is_dir()  # follows symbolic links
                is_file = entry.is_file()
            except OSError:
                continue
            if is_directory:
                real = os.path.realpath(path)
                if real in ancestors or (entry.is_symlink() and not inside(real, roots)):
                    continue  # a loop, or a link out of the project (``-> /``, ``-> ~/data``)
                if not skipped(path, True):
                    yield from visit(path, ancestors | {real})
            elif is_file and entry.name.endswith(SOURCE_SUFFIXES) and not skipped(path, False):
                yield path

    yield from visit(root, frozenset({os.path.realpath(root)}))
