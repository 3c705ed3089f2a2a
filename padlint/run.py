"""One ``padlint check`` run: find the files, analyse and check each, fix, collect the results.

Every per-file failure stays with its file: a file that cannot be read, decoded
or parsed becomes a PAD001 finding; an internal error (a bug in padlint) is
recorded with the file's name and padlint's version, and the run goes on.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from padlint import __version__
from padlint.config import Resolver
from padlint.findings import Finding
from padlint.source import SourceError, SourceFile, read_source

if TYPE_CHECKING:
    from padlint.analysis import FileAnalysis
    from padlint.settings import Settings

#: Rounds of fixing and analysing again before giving up on more fixes.
FIX_ROUNDS = 10


@dataclass
class FileResult:
    source: SourceFile
    findings: list[Finding]
    internal_errors: list[str] = field(default_factory=list)
    #: Findings fixed (``--fix``) or that would be (``--diff``).
    fixed: int = 0
    #: The text before fixing, when fixes changed it.
    original: SourceFile | None = None

    @property
    def changed(self) -> bool:
        return self.original is not None


@dataclass(frozen=True)
class FixMode:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False

    @property
    def active(self) -> bool:
        return self.fix or self.diff


def display_path(path: str) -> str:
    """Paths under the current folder are shown relative to it, as ruff does; others as given."""
    if not os.path.isabs(path):
        return os.path.normpath(path)
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def analyse(source: SourceFile, settings: Settings) -> tuple[FileAnalysis, list[Finding]]:
    """Analyse and check one source; an exception in padlint becomes an internal error of the file."""
    from padlint.analysis import AnalysisOptions, FileAnalysis, analyse_source
    from padlint.checker import check_analysis

    analysis = FileAnalysis(source=source)
    try:
        analysis = analyse_source(source, AnalysisOptions(default_input_shape=settings.input_shape))
        return analysis, check_analysis(analysis, settings)
    except Exception as bug:  # noqa: BLE001 - one file's internal error must not stop the run
        analysis.internal_errors.append(f"{type(bug).__name__}: {bug}")
        return analysis, []


def unreadable(path: str, error: SourceError, settings: Settings) -> list[Finding]:
    """A file padlint cannot read, decode or take as a notebook: one PAD001 finding where the error is."""
    from padlint.catalogue import rule_by_code

    rule = rule_by_code("PAD001")
    if rule is None or not settings.enabled(rule, path):
        return []
    line, column = max(error.line, 1), max(error.column, 1)
    return [Finding(path, line, column, line, column, rule.code, rule.name, rule.severity, str(error), error.hint or None)]


def check_source(source: SourceFile, settings: Settings, mode: FixMode = FixMode()) -> FileResult:
    analysis, findings = analyse(source, settings)
    result = FileResult(source=source, findings=findings, internal_errors=list(analysis.internal_errors))
    if not mode.active or analysis.internal_errors:
        return result
    from padlint.fixes import apply_fixes

    current = source
    for _ in range(FIX_ROUNDS):
        fixed_source, count = apply_fixes(current, findings, mode.unsafe)
        if not count:
            break
        analysis, findings = analyse(fixed_source, settings)
        if analysis.internal_errors:
            break  # keep the last text padlint could check
        current = fixed_source
        result.fixed += count
        result.findings = findings
    if current is not source:
        result.original = source
        result.source = current
    return result


def check_path(path: str, resolver: Resolver, mode: FixMode = FixMode(), data: bytes | None = None, shown: str | None = None) -> FileResult:
    """Check one file (``data``: its bytes when they come from stdin)."""
    settings = resolver.settings_for(shown or path)
    shown = display_path(shown or path)
    try:
        source = read_source(path if data is None else shown, display_path=shown, data=data)
    except SourceError as error:
        return FileResult(source=SourceFile(path=shown, text=error.text), findings=unreadable(shown, error, settings))
    return check_source(source, settings, mode)


def write_fixed(result: FileResult) -> str | None:
    """Write a fixed file back; the error message when that fails."""
    source = result.source
    try:
        if source.is_notebook:
            data = (source.raw or "").encode("utf-8")
        else:
            data = source.text.encode(source.encoding)  # utf-8-sig writes the BOM back itself
            if source.bom and not data.startswith(b"\xef\xbb\xbf"):
                data = b"\xef\xbb\xbf" + data
        with open(source.path, "r+b") as handle:
            handle.write(data)
            handle.truncate()
    except (OSError, UnicodeEncodeError, LookupError) as error:
        return f"{source.path}: cannot write the fixes: {getattr(error, 'strerror', None) or error}"
    return None


def internal_error_line(path: str, message: str) -> str:
    return f"padlint: internal error in {path} (padlint {__version__}): {message}; please report it"


def repository_root(start: str | Path | None = None) -> Path:
    """The nearest folder above with a ``.git`` (the current folder when there is none)."""
    current = Path(start or os.getcwd()).resolve()
    for folder in (current, *current.parents):
        if (folder / ".git").exists():
            return folder
    return current


def stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()
