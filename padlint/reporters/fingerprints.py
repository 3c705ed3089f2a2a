"""Stable identities of findings across runs, for code scanning (SARIF) and GitLab Code Quality.

GitHub matches the alerts of one upload with those of the last by
``partialFingerprints.primaryLocationLineHash``: a hash of the reported line's
text and the number of the occurrence (``39fa2ee980eb94b0:1``), so that an alert
keeps its identity when lines are added above it. Its upload action computes one
when the SARIF has none; an upload through the API does not, and the alerts are
then duplicated. padlint computes it the same way from what is stable about a
finding: its rule, the file (as a path relative to the repository root), and the
text of its line with all whitespace removed (re-indenting a block keeps its
alerts); the occurrence counts the findings before it in the same file with the
same three, from 1. The message is left out: its numbers change with the model.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from padlint.reporters.common import Report


def relative_path(path: str, root: Path) -> str:
    """The path as the repository names it (``/`` separated, relative to ``root`` when inside)."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def fingerprints(report: Report, root: Path) -> list[str]:
    """``hash:occurrence`` for each finding of the report, in :meth:`Report.entries` order."""
    seen: dict[tuple[str, str, str], int] = {}
    found = []
    for result, finding in report.entries():
        line = "".join(result.source.line_text(finding.line).split())
        key = (finding.code, relative_path(result.source.path, root), line)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256("\0".join(key).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        found.append(f"{digest}:{seen[key]}")
    return found
