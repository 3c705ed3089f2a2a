"""``padlint diff [REV] [PATH...]``: how the models' architecture changed between a git revision and the working tree.

For a pull request, what a reviewer wants to see of a model change is what
``model.summary()`` would say differently: which models were added or removed,
which layers' output shapes or parameter counts changed, and by how much the
parameter totals moved. This module computes that; the reporter
(:mod:`padlint.reporters.diff_report`) writes it as text, Markdown (for
``$GITHUB_STEP_SUMMARY`` or a pull-request comment) or JSON.

- **Files**: those git says differ between ``REV`` (default ``HEAD``) and the working
  tree (``git diff --name-status -M REV``, so a moved file is compared with its old
  self), plus untracked files git does not ignore; ``.py`` and ``.ipynb`` only,
  within the paths given, less what padlint's configuration excludes. The old
  text is read with ``git show REV:path``. Git runs as a subprocess with list
  arguments (no shell), no external diff or text conversion, and a revision that
  begins with ``-`` is refused, so no argument can become a git option.
- **Analysis**: both versions go through ``padlint summary``'s analysis
  (:class:`padlint.run.SummaryJob`, cached like it), with the settings of the
  working tree's configuration. A version that cannot be read or parsed (on either
  side) is said ("not compared", exit 0: as for ``check``, such a file is not an error
  of the run), and its file's models are not called added or removed; padlint's own
  internal errors are errors (exit 2).
- **Models** are matched by file and name (the variable a model is bound to, as
  ``summary`` names it; a second model of the same name in a file by its order).
  A model found only on one side is added or removed, except that a removed and
  an added model of one file with the same layers (names, classes, shapes and
  counts) are one model **renamed**.
- **Layers** are matched by name within a model, in summary order
  (:func:`difflib.SequenceMatcher`). Keras' automatic names (``conv2d_3``) count the
  layers of a class in order, so inserting one renumbers those after it: such
  layers are matched by class and position instead, and the inserted one shows as
  added. A layer given another explicit name at the same place, of the same class,
  shows as renamed (with its changes, if any); elsewhere as removed and added.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from padlint.config import ConfigError, Resolver
from padlint.evaluation.naming import to_snake_case
from padlint.files import SOURCE_SUFFIXES

#: Seconds one git command may take.
GIT_TIMEOUT = 120


# ------------------------------------------------------------ what changed


@dataclass
class RowChange:
    """One layer row that differs: ``added``, ``removed``, ``changed`` (output shape or parameter
    count) or ``renamed`` (possibly changed too); ``old``/``new`` are summary JSON rows."""

    status: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def name(self) -> str:
        return str((self.new or self.old or {}).get("name"))

    @property
    def class_name(self) -> str:
        return str((self.new or self.old or {}).get("class"))


@dataclass
class ModelChange:
    """A model that is ``added``, ``removed``, ``changed`` or ``renamed``; ``old``/``new`` are summary JSON models."""

    path: str
    status: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    rows: list[RowChange] = field(default_factory=list)
    #: Where the model was before, when its file moved.
    old_path: str | None = None

    @property
    def name(self) -> str:
        return str((self.new or self.old or {}).get("name"))

    @property
    def old_name(self) -> str | None:
        return str(self.old.get("name")) if self.old is not None else None

    @property
    def params(self) -> tuple[Any, Any, Any]:
        """(before, after, delta) of the total parameter count; None where unknown or absent."""
        return totals([self.old] if self.old else [], [self.new] if self.new else [], self.old is None, self.new is None)


@dataclass
class ArchitectureDiff:
    revision: str
    commit: str
    #: The files compared (display paths), and the models found unchanged in them.
    files: list[str] = field(default_factory=list)
    models: list[ModelChange] = field(default_factory=list)
    unchanged: int = 0
    #: Versions (either side) that could not be read, decoded or parsed: said, and their file's
    #: models not compared, but not an error of the run (as ``check`` makes such a file a finding).
    not_compared: list[str] = field(default_factory=list)
    #: padlint's own internal errors (exit 2, as ``check`` does); their files are not compared either.
    errors: list[str] = field(default_factory=list)
    old_models: list[dict[str, Any]] = field(default_factory=list)
    new_models: list[dict[str, Any]] = field(default_factory=list)

    @property
    def params(self) -> tuple[Any, Any, Any]:
        """(before, after, delta) of the parameters of every model in the compared files."""
        return totals(self.old_models, self.new_models, not self.old_models, not self.new_models)


def totals(old: list[dict[str, Any]], new: list[dict[str, Any]], old_absent: bool, new_absent: bool) -> tuple[Any, Any, Any]:
    """Sum of ``total_params`` on each side (0 for an absent side, None if any count is not a number)."""

    def side(models: list[dict[str, Any]], absent: bool) -> int | None:
        counts = [model.get("total_params") for model in models]
        if absent:
            return 0
        return sum(counts) if all(type(count) is int for count in counts) else None

    before, after = side(old, old_absent), side(new, new_absent)
    return before, after, (after - before if before is not None and after is not None else None)


# ------------------------------------------------------------ git


class Git:
    """Git commands in one repository, as list arguments, without a shell, a pager or external helpers."""

    def __init__(self, cwd: str | Path | None = None) -> None:
        self.cwd = Path(cwd or os.getcwd())
        top = self.run("rev-parse", "--show-toplevel", what="find the repository").decode("utf-8", "surrogateescape").strip()
        self.root = Path(top)

    def run(self, *arguments: str, what: str) -> bytes:
        command = ["git", "-c", "core.quotepath=off", "--no-pager", *arguments]
        environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(command, cwd=self.cwd, capture_output=True, check=False, timeout=GIT_TIMEOUT, env=environment, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise ConfigError("padlint diff needs git, which is not installed (or not on PATH)") from None
        except subprocess.TimeoutExpired:
            raise ConfigError(f"git took more than {GIT_TIMEOUT} s to {what}") from None
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConfigError(f"cannot {what}: {reason[-1] if reason else f'git exited with {done.returncode}'}")
        return done.stdout

    def commit(self, revision: str) -> str:
        """The commit a revision names (a revision beginning with ``-`` is refused: git would read an option)."""
        if not revision or revision.startswith("-"):
            raise ConfigError(f"padlint diff: {revision!r} is not a revision")
        return self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", what=f"find the revision {revision!r}").decode().strip()

    def commit_or_none(self, text: str) -> str | None:
        """The commit ``text`` names as a revision, None when it names none (it may be a path)."""
        try:
            return self.commit(text)
        except ConfigError:
            return None

    def changes(self, commit: str, paths: list[str]) -> list[tuple[str | None, str | None]]:
        """(old path, new path) relative to the root, for each file that differs from ``commit``:
        None on the side where it does not exist; untracked files that are not ignored are added."""
        spec = ["--", *paths] if paths else []
        output = self.run("diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M", commit, *spec, what="list the changed files")
        fields = [os.fsdecode(item) for item in output.split(b"\0") if item]
        pairs: list[tuple[str | None, str | None]] = []
        index = 0
        while index < len(fields):
            status = fields[index][:1]
            if status in ("R", "C"):
                old, new = fields[index + 1], fields[index + 2]
                pairs.append((old if status == "R" else None, new))
                index += 3
                continue
            path = fields[index + 1]
            pairs.append((None if status == "A" else path, None if status == "D" else path))
            index += 2
        untracked = self.run("ls-files", "--others", "--exclude-standard", "--full-name", "-z", *spec, what="list the untracked files")
        pairs.extend((None, os.fsdecode(item)) for item in untracked.split(b"\0") if item)
        return pairs

    def show(self, commit: str, path: str) -> bytes:
        """A file's bytes at ``commit`` (``git show REV:path``, never converted)."""
        return self.run("show", "--no-textconv", f"{commit}:{path}", what=f"read {path} at {commit[:12]}")


# ------------------------------------------------------------ comparing


def split_arguments(arguments: list[str], git: Git) -> tuple[str, str, list[str]]:
    """``[REV] [PATH...]`` as (revision, its commit, paths): the first argument is the revision when git
    knows it as one and no file of that name exists (both: an error, as git says; ``./NAME`` is the
    path, ``NAME^{commit}`` the revision). Each revision is resolved once."""
    if not arguments:
        return "HEAD", git.commit("HEAD"), []
    first = arguments[0]
    exists = os.path.lexists(first)
    commit = None if first.startswith("-") else git.commit_or_none(first)
    if commit is None:
        return "HEAD", git.commit("HEAD"), arguments
    if exists:
        raise ConfigError(f"padlint diff: {first!r} is both a revision and a path: write ./{first} for the path, or {first}^{{commit}} for the revision")
    return first, commit, arguments[1:]


def architecture_diff(arguments: list[str], resolver: Resolver, cache: Any = None, cwd: str | Path | None = None) -> ArchitectureDiff:
    """The change of every model between the revision and the working tree (see the module's docstring)."""
    git = Git(cwd)
    revision, commit, paths = split_arguments(arguments, git)
    result = ArchitectureDiff(revision=revision, commit=commit)
    for old_path, new_path in git.changes(commit, paths):
        if not any(path is not None and path.endswith(SOURCE_SUFFIXES) and not _excluded(resolver, git.root / path, git.root) for path in (old_path, new_path)):
            continue
        _compare_file(result, git, resolver, cache, commit, old_path, new_path)
    result.models.sort(key=lambda change: (change.path, (change.new or change.old or {}).get("line") or 0, change.name))
    return result


def _excluded(resolver: Resolver, path: Path, root: Path) -> bool:
    """Whether padlint's configuration excludes the file or a folder above it (up to the root)."""
    if resolver.excluded(path, False):
        return True
    return any(resolver.excluded(folder, True) for folder in path.parents if folder != root and root in folder.parents)


def _summarise(resolver: Resolver, cache: Any, path: Path, data: bytes) -> tuple[list[dict[str, Any]] | None, list[str], list[str]]:
    """The summary JSON models of one version of a file, or None with why: (models, what could not be
    read or parsed, padlint's internal errors)."""
    from padlint.run import SummaryJob, Task, cached_summary, display_path, internal_error_line

    shown = display_path(str(path))
    key = None
    if cache is not None:
        key, cached = cached_summary(cache, resolver, path, shown, data, explain=False)
        if cached is not None and not cached.errors and not cached.internal_errors:
            return cached.models, [], []
    job = SummaryJob(resolver, False, cache if cache is not None and cache.prepare() else None)
    summary = job(Task(path=str(path), shown=shown, data=data, settings_path=str(path), key=key))
    internal = [error for error in summary.errors if error.startswith("padlint: internal error")]
    internal += [internal_error_line(shown, message) for message in summary.internal_errors]
    unanalysable = [error for error in summary.errors if not error.startswith("padlint: internal error")]
    if internal or unanalysable:
        return None, unanalysable, internal
    return summary.models, [], []


def _compare_file(result: ArchitectureDiff, git: Git, resolver: Resolver, cache: Any, commit: str, old_path: str | None, new_path: str | None) -> None:
    from padlint.run import display_path
    from padlint.source import SourceError, read_bytes

    shown = display_path(str(git.root / (new_path or old_path or "")))
    old_shown = display_path(str(git.root / old_path)) if old_path and old_path != new_path else None
    old_models: list[dict[str, Any]] | None = []
    new_models: list[dict[str, Any]] | None = []
    if old_path is not None and old_path.endswith(SOURCE_SUFFIXES):
        data = git.show(commit, old_path)
        old_models, unanalysable, internal = _summarise(resolver, cache, git.root / (new_path or old_path), data)
        result.not_compared += [f"padlint: not compared: {problem.removeprefix('padlint: error: ')} (at {result.revision})" for problem in unanalysable]
        result.errors += [f"{problem} (at {result.revision})" for problem in internal]
    if new_path is not None and new_path.endswith(SOURCE_SUFFIXES):
        try:
            data = read_bytes(git.root / new_path)
        except SourceError as error:
            new_models, unanalysable, internal = None, [f"{shown}: {error}"], []
        else:
            new_models, unanalysable, internal = _summarise(resolver, cache, git.root / new_path, data)
        result.not_compared += [f"padlint: not compared: {problem.removeprefix('padlint: error: ')}" for problem in unanalysable]
        result.errors += internal
    result.files.append(shown)
    if old_models is None or new_models is None:
        return  # unknown stays silent: no model of this file is called added or removed
    result.old_models.extend(old_models)
    result.new_models.extend(new_models)
    changes, unchanged = compare_models(shown, old_models, new_models)
    for change in changes:
        change.old_path = old_shown
    result.models.extend(changes)
    result.unchanged += unchanged


def compare_models(path: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[list[ModelChange], int]:
    """The changed models of one file, and how many are unchanged."""
    old_by_key, new_by_key = _keyed(old), _keyed(new)
    changes: list[ModelChange] = []
    unchanged = 0
    for key, before in old_by_key.items():
        after = new_by_key.get(key)
        if after is None:
            continue
        rows = compare_rows(before.get("layers") or [], after.get("layers") or [])
        if rows or before.get("total_params") != after.get("total_params"):
            changes.append(ModelChange(path, "changed", before, after, rows))
        else:
            unchanged += 1
    removed = [model for key, model in old_by_key.items() if key not in new_by_key]
    added = [model for key, model in new_by_key.items() if key not in old_by_key]
    for before in list(removed):
        twin = next((after for after in added if _same_layers(before, after)), None)
        if twin is not None:
            removed.remove(before)
            added.remove(twin)
            changes.append(ModelChange(path, "renamed", before, twin))
    changes.extend(ModelChange(path, "removed", model, None) for model in removed)
    changes.extend(ModelChange(path, "added", None, model) for model in added)
    return changes, unchanged


def _keyed(models: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Models by (name, how many of that name came before)."""
    seen: dict[str, int] = {}
    keyed = {}
    for model in models:
        name = str(model.get("name"))
        seen[name] = seen.get(name, 0) + 1
        keyed[(name, seen[name])] = model
    return keyed


#: What a layer row is compared on (its line may move freely).
ROW_FIELDS = ("class", "output_shape", "params", "trainable_params", "non_trainable_params")


def _row(row: dict[str, Any]) -> tuple:
    return tuple(repr(row.get(name)) for name in ("name", *ROW_FIELDS))


def _same_layers(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return [_row(row) for row in old.get("layers") or []] == [_row(row) for row in new.get("layers") or []] and old.get("total_params") == new.get("total_params")


def auto_named(row: dict[str, Any]) -> bool:
    """Whether the row's name is one Keras makes up (``conv2d``, ``conv2d_3``) rather than one given."""
    name, stem = str(row.get("name")), to_snake_case(str(row.get("class")))
    return name == stem or re.fullmatch(re.escape(stem) + r"_\d+", name) is not None


def _match_key(row: dict[str, Any]) -> tuple[str, str]:
    return ("class", str(row.get("class"))) if auto_named(row) else ("name", str(row.get("name")))


def compare_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[RowChange]:
    """The rows that differ, in the new model's order (removed ones where they were)."""
    changes: list[RowChange] = []
    matcher = difflib.SequenceMatcher(None, [_match_key(row) for row in old], [_match_key(row) for row in new], autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        before, after = old[old_start:old_end], new[new_start:new_end]
        paired = len(before) if tag == "equal" else 0
        # in a replaced stretch, another explicit name at the same place, of the same class: a renamed layer
        while tag != "equal" and paired < min(len(before), len(after)) and before[paired].get("class") == after[paired].get("class"):
            paired += 1
        for a, b in zip(before[:paired], after[:paired]):
            change = _paired(a, b)
            if change.status == "renamed" or _differs(a, b):
                changes.append(change)
        changes.extend(RowChange("removed", row, None) for row in before[paired:])
        changes.extend(RowChange("added", None, row) for row in after[paired:])
    return changes


def _differs(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(old.get(name) != new.get(name) for name in ROW_FIELDS)


def _paired(old: dict[str, Any], new: dict[str, Any]) -> RowChange:
    if old.get("name") != new.get("name") and not (auto_named(old) and auto_named(new)):
        return RowChange("renamed", old, new)
    return RowChange("changed", old, new)


__all__ = ["ArchitectureDiff", "Git", "ModelChange", "RowChange", "architecture_diff", "compare_models", "compare_rows"]
