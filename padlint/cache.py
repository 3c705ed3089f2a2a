"""The results cache: ``.padlint_cache/`` at the project root (``--cache-dir``, ``PADLINT_CACHE_DIR``).

The project root is the nearest folder, from the checked paths up, that holds a
configuration file (``.padlint.toml``, ``padlint.toml``, ``pyproject.toml``) or a
``.git``, as ruff and mypy keep theirs with the project, never the current folder
as such: ``padlint /tmp/x.py`` run from ``/`` makes no ``/.padlint_cache``. Where no
folder above is a project, nothing is cached (unless a folder is given).

An entry holds what one file's analysis gave (for ``check``: what *every* rule
found, ``# noqa`` applied, and the internal errors; for ``summary``: the tables)
under a key that hashes everything that result depends on:

- the file's bytes, and the path it is reported under (findings carry it);
- what the analysis depends on besides them (:meth:`padlint.config.Resolver.analysis_key`):
  the input shape and the rules' options, but not which rules are selected: the
  selection, ignores and per-file ignores apply after the cache
  (:func:`padlint.settings.select_findings`), so ``--select PAD2`` after a full run
  is answered from the cache;
- padlint itself: its version, the size and modification time of each of its
  source files (so an edited checkout never serves stale results), the format
  of the entries, and Python's version (which decides what parses).

Entries are JSON (never pickle: a cache folder may come from anywhere), one
file each under ``<cache>/<version>/<2 hex>/<key>.json``, written to a
temporary name and renamed, so concurrent runs never see half an entry. An
entry that cannot be read, is not valid, or does not hold its own key is a
miss; a cache that cannot be written is skipped silently. ``padlint clean``
removes the folder.

The cache is pruned as ruff's and mypy's users wish theirs were: an entry records
the day it was written, and one used again a week or more later is written anew,
so an entry's age on disk says when it was last needed; once a day a run removes
the entries not needed for 30 days (those of older padlint versions among them),
then the oldest ones while the whole is over 256 MB (:func:`prune`).

The folder may come with the checkout, so nothing in it is trusted to be what
padlint made: a cache folder that is a symbolic link is refused (it would fill
``~/Documents`` with entries and a CACHEDIR.TAG that backups then skip), and
inside it every folder is entered and every file read or created without
following a link (:class:`padlint.safefs.Folder`): a committed
``.padlint_cache/.gitignore -> ~/.config/git/ignore`` is left alone, not written.
Pruning walks the folder with :func:`os.fwalk`, which enters no link either.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from padlint import __version__
from padlint.findings import Edit, Finding, Related
from padlint.safefs import Folder

DIRECTORY_NAME = ".padlint_cache"
#: Bumped when the layout of entries changes (2: every rule's findings, with related places).
FORMAT = 2
#: https://bford.info/cachedir/ : backup tools skip folders holding this file.
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by padlint.\n"
#: Markers written once in the cache folder (never over an existing name).
MARKERS = ((".gitignore", "# Created by padlint: everything here can be deleted.\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG))
#: Largest entry read back (an entry is a file's findings or summary tables, JSON).
MAX_ENTRY_BYTES = 64 * 1024 * 1024


#: What marks a project root (the cache's home): a configuration file or a git checkout.
ROOT_MARKERS = (".padlint.toml", "padlint.toml", "pyproject.toml", ".git")
#: Pruning: entries not needed for this many days are removed, then the oldest while the cache is
#: larger than MAX_BYTES; an entry used again REFRESH_DAYS after it was written is written anew.
MAX_AGE_DAYS = 30
REFRESH_DAYS = 7
MAX_BYTES = 256 * 1024 * 1024
#: The file (in the cache folder) holding the day of the last pruning.
PRUNED = "pruned"
DAY = 86400


def project_root(paths: Iterable[str | os.PathLike] = (".",)) -> Path | None:
    """The nearest folder holding a configuration file or ``.git``, from the checked paths'
    common folder up; None when there is none."""
    folders = []
    for path in paths:
        absolute = os.path.abspath(path)
        folders.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    if not folders:
        folders = [os.getcwd()]
    try:
        start = Path(os.path.commonpath(folders))
    except ValueError:  # paths on several drives (Windows)
        start = Path(folders[0])
    for folder in (start, *start.parents):
        if any(os.path.lexists(folder / marker) for marker in ROOT_MARKERS):
            return folder
    return None


def default_directory(option: str | None = None, paths: Iterable[str | os.PathLike] = (".",)) -> Path | None:
    """``--cache-dir``, else ``PADLINT_CACHE_DIR``, else ``.padlint_cache`` at the project root of the
    checked paths (None: they are in no project, and nothing is cached)."""
    chosen = option or os.environ.get("PADLINT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    root = project_root(paths)
    if root is None:
        return None
    return Path(display_folder(root / DIRECTORY_NAME))


def display_folder(path: Path) -> str:
    """A path relative to the current folder when it is inside (as ``-v`` and ``clean`` show it)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """padlint's version, its source files (size and mtime) and Python's version, hashed."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{__version__}\0{FORMAT}\0{sys.version_info[0]}.{sys.version_info[1]}\0".encode())
        for folder in _source_folders():
            for root, folders, files in os.walk(folder):
                folders[:] = sorted(name for name in folders if name != "__pycache__")
                for name in sorted(files):
                    if name.endswith(".py"):
                        try:
                            status = os.stat(os.path.join(root, name))
                        except OSError:
                            continue
                        digest.update(f"{os.path.relpath(os.path.join(root, name), folder)}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


def _source_folders() -> list[str]:
    import importlib.util

    import padlint

    folders = [os.path.dirname(os.path.abspath(padlint.__file__))]
    try:
        spec = importlib.util.find_spec("padlint.rules")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        location = os.path.abspath(location)
        if not location.startswith(folders[0] + os.sep):
            folders.append(location)  # a checkout's top-level rules/ folder
    return folders


def entry_key(kind: str, shown: str, settings_key: str, data: bytes, extra: str = "") -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{kind}\0{code_fingerprint()}\0{shown}\0{settings_key}\0{extra}\0".encode("utf-8", "surrogateescape"))
    digest.update(data)
    return digest.hexdigest()


class Cache:
    """One cache folder; every failure to read or write it is a miss or a skipped write."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0
        self._prepared = False

    def _bucket(self, key: str, create: bool = False) -> Folder:
        """``<cache>/<version>/<2 hex>``, each part entered without following a link."""
        with Folder.open(self.directory, create=create) as top, top.child(__version__, create=create) as version:
            return version.child(key[:2], create=create)

    def load(self, key: str) -> dict[str, Any] | None:
        try:
            with self._bucket(key) as bucket:
                entry = json.loads(bucket.read(f"{key[2:]}.json", MAX_ENTRY_BYTES))
        except (OSError, ValueError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or entry.get("key") != key:
            self.misses += 1
            return None
        self.hits += 1
        day = entry.pop("day", None)
        if type(day) is not int or today() - day >= REFRESH_DAYS:
            self.store(key, {name: value for name, value in entry.items() if name != "key"})  # needed again: it stays
        return entry

    def prepare(self) -> bool:
        """Create the folder, marked as a cache (``.gitignore``, CACHEDIR.TAG); False when that fails
        (or when the folder is a symbolic link)."""
        if self._prepared:
            return True
        try:
            with Folder.open(self.directory, create=True) as top:
                top.child(__version__, create=True).close()
                for name, text in MARKERS:
                    top.create(name, text.encode("utf-8"))
        except OSError:
            return False
        self._prepared = True
        return True

    def store(self, key: str, entry: dict[str, Any]) -> None:
        try:
            data = json.dumps({**entry, "key": key, "day": today()}, separators=(",", ":")).encode("utf-8")
            with self._bucket(key, create=True) as bucket:
                bucket.replace(f"{key[2:]}.json", data, unique=f"{os.getpid()}.{os.urandom(4).hex()}")
        except (OSError, ValueError, TypeError):
            pass


    def catalogue(self) -> tuple[tuple[str, ...], frozenset[str]] | None:
        """The rule codes and the opt-in ones, as this padlint stored them (:meth:`store_catalogue`):
        a run answered from the cache resolves the selection without importing the rules."""
        entry = self.load(entry_key("catalogue", "", "", b""))
        codes, opt_in = (strings(entry.get("codes")), strings(entry.get("opt_in"))) if entry is not None else (None, None)
        if codes is None or opt_in is None:
            return None
        return tuple(codes), frozenset(opt_in)

    def store_catalogue(self, codes: tuple[str, ...], opt_in: frozenset[str]) -> None:
        self.store(entry_key("catalogue", "", "", b""), {"codes": list(codes), "opt_in": sorted(opt_in)})

    def prune_daily(self) -> None:
        """:func:`prune`, at most once a day (the day of the last pruning is kept in the folder)."""
        day = today()
        try:
            with Folder.open(self.directory) as top:
                try:
                    last = int(top.read(PRUNED, 64).decode("ascii"))
                except (OSError, ValueError, UnicodeDecodeError):
                    last = None
                if last == day:
                    return
                top.replace(PRUNED, str(day).encode("ascii"), unique=f"{os.getpid()}.{os.urandom(4).hex()}")
        except OSError:
            return
        prune(self.directory)


def today() -> int:
    return int(time.time() // DAY)


def prune(directory: str | Path, max_age_days: int = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES, now: float | None = None) -> int:
    """Remove the entries not needed for ``max_age_days`` (any padlint version's), then the oldest
    while the entries hold more than ``max_bytes``, then the folders left empty; returns how many
    entries went. Only regular ``.json`` (and stale ``.tmp``) files of the cache's own layout
    (``<version>/<2 hex>/``) are removed, by walks that enter no symbolic link (:func:`os.fwalk`,
    each removal relative to its folder's handle); any failure stops it quietly."""
    if not hasattr(os, "fwalk") or not os.path.isdir(directory) or os.path.islink(directory):
        return 0
    cutoff = (time.time() if now is None else now) - max_age_days * DAY
    try:
        entries = {place: status for place, status in _entries(directory)}
        old = {place for place, status in entries.items() if status.st_mtime < cutoff}
        young = sorted((status.st_mtime, place) for place, status in entries.items() if place not in old and place[1].endswith(".json"))
        total = sum(entries[place].st_size for _, place in young)
        goal = max_bytes * 0.8  # room for a while before the next pruning
        for _, place in young if total > max_bytes else ():
            if total <= goal:
                break
            old.add(place)
            total -= entries[place].st_size
        removed = sum(1 for _ in _entries(directory, remove=old)) if old else 0
        for root, folders, _, descriptor in os.fwalk(directory, topdown=False, follow_symlinks=False):
            if len(Path(root).relative_to(directory).parts) < 2:
                for name in folders:
                    try:
                        os.rmdir(name, dir_fd=descriptor)  # only when empty
                    except OSError:
                        pass
    except OSError:
        return 0
    return removed


def _entries(directory: str | Path, remove: set[tuple[str, str]] | None = None) -> Iterable[tuple[tuple[str, str], os.stat_result]]:
    """The regular files of the buckets (``<version>/<2 hex>/<name>``) as ``((bucket, name), status)``;
    with ``remove``, those listed are unlinked (and only those yielded)."""
    for root, folders, files, descriptor in os.fwalk(directory, follow_symlinks=False):
        depth = len(Path(root).relative_to(directory).parts)
        if depth >= 2:
            folders[:] = []  # a bucket holds entries only
        if depth != 2:
            continue
        for name in files:
            place = (root, name)
            if not name.endswith((".json", ".tmp")) or (remove is not None and place not in remove):
                continue
            try:
                status = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
                if not stat.S_ISREG(status.st_mode):
                    continue
                if remove is not None:
                    os.unlink(name, dir_fd=descriptor)
            except OSError:
                continue
            yield place, status


def clean(directory: str | Path) -> str | None:
    """Remove a cache folder; what was done (None: there was none). Refuses a folder that is not
    padlint's cache, and a symbolic link (whatever it points to is not removed)."""
    directory = Path(directory)
    if not os.path.lexists(directory):
        return None
    if directory.is_symlink():
        raise ValueError(f"{directory} is a symbolic link; not removed")
    if not directory.is_dir() or not ((directory / "CACHEDIR.TAG").is_file() or directory.name == DIRECTORY_NAME):
        raise ValueError(f"{directory} does not look like a padlint cache (no CACHEDIR.TAG); not removed")
    shutil.rmtree(directory)
    return str(directory)


# ------------------------------------------------------------ findings as JSON


def findings_to_json(findings: list[Finding]) -> list[list]:
    return [
        [f.path, f.line, f.column, f.end_line, f.end_column, f.code, f.name, f.severity, f.message, f.fix,
         [[e.start_line, e.start_column, e.end_line, e.end_column, e.replacement, e.safe] for e in f.edits],
         [[r.line, r.column, r.end_line, r.end_column, r.message] for r in f.related]]
        for f in findings
    ]


def findings_from_json(items: Any) -> list[Finding] | None:
    """The findings of an entry; None when the entry is not what padlint wrote."""
    try:
        findings = []
        for path, line, column, end_line, end_column, code, name, severity, message, fix, edits, related in items:
            numbers = (line, column, end_line, end_column)
            texts = (path, code, name, severity, message)
            if not all(type(value) is int for value in numbers) or not all(type(value) is str for value in texts):
                return None
            if fix is not None and type(fix) is not str:
                return None
            parsed = []
            for start_line, start_column, stop_line, stop_column, replacement, safe in edits:
                if not all(type(value) is int for value in (start_line, start_column, stop_line, stop_column)):
                    return None
                if type(replacement) is not str or type(safe) is not bool:
                    return None
                parsed.append(Edit(start_line, start_column, stop_line, stop_column, replacement, safe))
            places = []
            for place_line, place_column, place_end_line, place_end_column, text in related:
                if not all(type(value) is int for value in (place_line, place_column, place_end_line, place_end_column)) or type(text) is not str:
                    return None
                places.append(Related(place_line, place_column, place_end_line, place_end_column, text))
            findings.append(Finding(path, line, column, end_line, end_column, code, name, severity, message, fix, tuple(parsed), tuple(places)))
        return findings
    except (TypeError, ValueError):
        return None


def strings(items: Any) -> list[str] | None:
    if isinstance(items, list) and all(type(item) is str for item in items):
        return items
    return None
