"""An open document's analysis, and the settings the server runs with (no LSP here).

Each analysis is a :class:`Snapshot` of one version of the document's text: the
same in-process pipeline ``padlint check`` runs on a file (:func:`padlint.run.analyse`:
pre-filter, analysis, rules, ``# noqa``), with the settings ``[tool.padlint]`` gives
the document's path (:class:`padlint.config.Resolver`, as on the command line). A
snapshot never changes once made, so the features read it while the next
version is being analysed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from padlint.config import ConfigError, Overrides, Resolver
from padlint.findings import Finding
from padlint.source import SourceFile, split_lines

if TYPE_CHECKING:
    from padlint.analysis import FileAnalysis
    from padlint.incremental import StatementCache
    from padlint.run import Skipped
    from padlint.server.symbols import SourceIndex

#: Longest debounce accepted from the client (a typo of seconds for milliseconds).
MAX_DEBOUNCE_MS = 5_000


@dataclass(frozen=True)
class ServerOptions:
    """What the client configures (``initializationOptions`` or ``workspace/didChangeConfiguration``,
    either at the top level or under a ``padlint`` key)."""

    #: Show each layer line's output shape as an inlay hint.
    inlay_hints: bool = True
    #: How long the document must stay unchanged before it is analysed again.
    debounce_ms: int = 200

    #: Client key -> (field, type).
    KEYS: ClassVar[dict[str, tuple[str, type]]] = {"inlayHints": ("inlay_hints", bool), "debounceMs": ("debounce_ms", int)}

    def updated(self, settings: Any) -> tuple[ServerOptions, list[str]]:
        """These options with the client's values, and what was wrong with the values ignored."""
        if isinstance(settings, dict) and isinstance(settings.get("padlint"), dict):
            settings = settings["padlint"]
        if not isinstance(settings, dict):
            return self, []
        changes: dict[str, Any] = {}
        problems = []
        for key, (name, kind) in self.KEYS.items():
            if key not in settings:
                continue
            value = settings[key]
            valid = type(value) is kind and not (kind is int and not 0 <= value <= MAX_DEBOUNCE_MS)
            if valid:
                changes[name] = value
            else:
                expected = "true or false" if kind is bool else f"milliseconds from 0 to {MAX_DEBOUNCE_MS}"
                problems.append(f"setting {key}: expected {expected}, got {value!r}")
        return replace(self, **changes), problems


def is_python(path: str | None, language_id: str | None) -> bool:
    """Documents the server analyses: Python sources (notebooks are left to ``padlint check``)."""
    if language_id is not None:
        return language_id == "python"
    return path is not None and path.endswith(".py")


@dataclass(frozen=True)
class Snapshot:
    """One analysed version of a document."""

    version: int | None
    text: str
    source: SourceFile
    analysis: FileAnalysis | Skipped | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Why the document was not analysed: a configuration error, or a path the configuration excludes.
    problem: str | None = None
    excluded: bool = False

    @cached_property
    def lines(self) -> list[str]:
        """The lines as LSP counts them (``\\n``, ``\\r\\n`` and ``\\r`` end a line), as padlint does."""
        return split_lines(self.text)

    @property
    def parsed(self) -> bool:
        """Whether the shapes of this version are known (the text parses and was analysed)."""
        analysis = self.analysis
        return analysis is not None and analysis.syntax_error is None and bool(analysis.models)

    @cached_property
    def index(self) -> SourceIndex:
        """Where the layers and models are in the text (built on the first hover or inlay request)."""
        from padlint.server.symbols import SourceIndex

        return SourceIndex(self.analysis if self.parsed else None)

    @property
    def notes(self) -> list[str]:
        """Why the analysis stopped short (a file beyond padlint's limits, a budget spent)."""
        return list(self.analysis.file_notes) if self.analysis is not None else []

    @property
    def internal_errors(self) -> list[str]:
        return list(self.analysis.internal_errors) if self.analysis is not None else []


class Workspace:
    """The configuration of the documents: a :class:`Resolver` rooted at the workspace folder,
    made anew when a configuration file changes."""

    def __init__(self, root: str | None) -> None:
        self.root = Path(root).resolve() if root else Path(os.getcwd()).resolve()
        self.resolver = Resolver(Overrides(), cwd=self.root)

    def reload(self) -> None:
        """Forget every configuration file read so far (one was edited)."""
        self.resolver = Resolver(Overrides(), cwd=self.root)

    def path_for(self, path: str | None, uri: str) -> str:
        """The path settings are resolved for: the file's, or (an unsaved buffer) one in the workspace root."""
        if path:
            return path
        name = uri.rsplit("/", 1)[-1] or "untitled"
        return str(self.root / (name if name.endswith(".py") else f"{name}.py"))

    def shown(self, path: str) -> str:
        """How findings name the file: relative to the workspace root when it is inside it."""
        try:
            relative = os.path.relpath(path, self.root)
        except ValueError:
            return path
        return path if relative.startswith("..") else relative

    def analyse(self, path: str, text: str, version: int | None, statements: StatementCache | None = None) -> Snapshot:
        """Analyse and check one version of a document, as ``padlint check`` would the file.

        Never raises for what the user wrote: a bad configuration is the snapshot's
        problem, an internal failure of padlint is recorded in the analysis.
        """
        from padlint.run import analyse, load_engine

        resolver = self.resolver
        source = SourceFile(path=self.shown(path), text=text)
        try:
            if resolver.excluded(path, False):
                return Snapshot(version, text, source, excluded=True)
            settings = resolver.settings_for(path)
        except ConfigError as error:
            return Snapshot(version, text, source, problem=f"padlint: error: {error}")
        load_engine()
        analysis, findings = analyse(source, settings, statements=statements)
        return Snapshot(version, text, source, analysis, findings)


__all__ = ["ServerOptions", "Snapshot", "Workspace", "is_python"]
