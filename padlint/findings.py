"""A finding: one thing a rule reports, at a position, with the numbers and a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


class Severity:
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    ORDER: ClassVar[dict[str, int]] = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Edit:
    """A source replacement for ``--fix``: 1-based line, 0-based columns, as in the span."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str
    safe: bool = True


@dataclass(frozen=True)
class Related:
    """Another place a finding names (a convolution of a PAD201 run, the other side of a
    PAD206 skip): 1-based lines and columns, as in the finding, and what it is there.

    Editors show it as the diagnostic's related information, SARIF as the result's
    ``relatedLocations``; the text reports keep naming these places in the message.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    message: str


@dataclass(frozen=True)
class Finding:
    """Positions are 1-based lines and columns (columns count characters)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fix: str | None = None
    edits: tuple[Edit, ...] = field(default=(), compare=False)
    #: Other places the message names (optional: rules fill it where it is cheap).
    related: tuple[Related, ...] = field(default=(), compare=False)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
        }
