"""``--output-format json`` and ``json-lines``: the fields of ../shared/SPEC.md section 4, and a few more.

Each finding is an object with ``path``, ``line``, ``column``, ``end_line``,
``end_column`` (1-based), ``code``, ``name``, ``severity``, ``message`` and
``fix`` (the suggestion, or null), then:

- ``cell``: in a notebook, the 1-based number of the cell among all the
  notebook's cells (``cells[cell - 1]`` of its JSON), and the positions count
  lines and columns inside that cell; null in a Python file (as ruff does);
- ``edits``: the text replacements ``--fix`` would make (same position rules,
  1-based columns, ``applicability`` ``safe`` or ``unsafe``);
- ``url``: the rule's documentation.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from padlint.findings import Finding
from padlint.reporters.common import Report, rule_url
from padlint.reporters.escape import json_safe

if TYPE_CHECKING:
    from padlint.run import FileResult


def _place(result: FileResult, line: int) -> tuple[int | None, int]:
    """(cell number or None, line in the cell or in the file)."""
    found = result.source.cell_of(line) if result.source.cells else None
    return (found[0].number, found[1]) if found is not None else (None, line)


def finding_json(result: FileResult, finding: Finding) -> dict[str, Any]:
    document = finding.as_json()
    cell, line = _place(result, finding.line)
    _, end_line = _place(result, finding.end_line)
    document.update(line=line, end_line=end_line, cell=cell)
    document["edits"] = [
        {
            "line": _place(result, edit.start_line)[1],
            "column": edit.start_column + 1,
            "end_line": _place(result, edit.end_line)[1],
            "end_column": edit.end_column + 1,
            "content": edit.replacement,
            "applicability": "safe" if edit.safe else "unsafe",
        }
        for edit in finding.edits
    ]
    document["url"] = rule_url(finding.code)
    return document


def render(report: Report) -> str:
    return json_safe(json.dumps([finding_json(result, finding) for result, finding in report.entries()], indent=2, ensure_ascii=False)) + "\n"


def render_lines(report: Report) -> str:
    return "".join(json_safe(json.dumps(finding_json(result, finding), ensure_ascii=False)) + "\n" for result, finding in report.entries())
