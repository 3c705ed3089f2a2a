"""Small helpers shared by tests: run padlint's analysis on a file or a snippet."""

from __future__ import annotations

from pathlib import Path

from padlint.analysis import AnalysisOptions, FileAnalysis, analyse_source
from padlint.source import SourceFile, read_source

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT / "fixtures"
SHARED = PROJECT.parent / "shared"


def analyse_file(path: str | Path, **options) -> FileAnalysis:
    return analyse_source(read_source(path), AnalysisOptions(**options))


def analyse_text(text: str, path: str = "snippet.py", **options) -> FileAnalysis:
    return analyse_source(SourceFile(path=path, text=text), AnalysisOptions(**options))
