"""The results cache: ``.padlint_cache/`` in the current folder (``--cache-dir``, ``PADLINT_CACHE_DIR``).

An entry holds what one file gave (its findings and internal errors for
``check``; its summary tables for ``summary``) under a key that hashes
everything the result depends on:

- the file's bytes, and the path it is reported under (findings carry it);
- the settings that apply to it (rule selection after per-file ignores, rule
  options, input shape: :meth:`padlint.config.Resolver.settings_key`);
- padlint itself: its version, the size and modification time of each of its
  source files (so an edited checkout never serves stale results), the format
  of the entries, and Python's version (which decides what parses).

Entries are JSON (never pickle: a cache folder may come from anywhere), one
file each under ``<cache>/<version>/<2 hex>/<key>.json``, written to a
temporary name and renamed, so concurrent runs never see half an entry. An
entry that cannot be read, is not valid, or does not hold its own key is a
miss; a cache that cannot be written is skipped silently. ``padlint clean``
removes the folder.

The folder may come with the checkout, so nothing in it is trusted to be what
padlint made: a cache folder that is a symbolic link is refused (it would fill
``~/Documents`` with entries and a CACHEDIR.TAG that backups then skip), and
inside it every folder is entered and every file read or created without
following a link (:class:`padlint.safefs.Folder`): a committed
``.padlint_cache/.gitignore -> ~/.config/git/ignore`` is left alone, not written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from padlint import __version__
from padlint.findings import Edit, Finding
from padlint.safefs import Folder

DIRECTORY_NAME = ".padlint_cache"
#: Bumped when the layout of entries changes.
FORMAT = 1
#: https://bford.info/cachedir/ : backup tools skip folders holding this file.
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by padlint.\n"
#: Markers written once in the cache folder (never over an existing name).
MARKERS = ((".gitignore", "# Created by padlint: everything here can be deleted.\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG))
#: Largest entry read back (an entry is a file's findings or summary tables, JSON).
MAX_ENTRY_BYTES = 64 * 1024 * 1024


def default_directory(option: str | None = None) -> Path:
    """``--cache-dir``, else ``PADLINT_CACHE_DIR``, else ``.padlint_cache`` in the current folder."""
    chosen = option or os.environ.get("PADLINT_CACHE_DIR") or DIRECTORY_NAME
    return Path(chosen)


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
            data = json.dumps({**entry, "key": key}, separators=(",", ":")).encode("utf-8")
            with self._bucket(key, create=True) as bucket:
                bucket.replace(f"{key[2:]}.json", data, unique=f"{os.getpid()}.{os.urandom(4).hex()}")
        except (OSError, ValueError, TypeError):
            pass


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
         [[e.start_line, e.start_column, e.end_line, e.end_column, e.replacement, e.safe] for e in f.edits]]
        for f in findings
    ]


def findings_from_json(items: Any) -> list[Finding] | None:
    """The findings of an entry; None when the entry is not what padlint wrote."""
    try:
        findings = []
        for path, line, column, end_line, end_column, code, name, severity, message, fix, edits in items:
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
            findings.append(Finding(path, line, column, end_line, end_column, code, name, severity, message, fix, tuple(parsed)))
        return findings
    except (TypeError, ValueError):
        return None


def strings(items: Any) -> list[str] | None:
    if isinstance(items, list) and all(type(item) is str for item in items):
        return items
    return None
