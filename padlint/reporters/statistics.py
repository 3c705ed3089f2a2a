"""``--statistics``: how many findings of each rule, most frequent first (ruff's layout, or JSON)."""

from __future__ import annotations

import json

from padlint.reporters.common import Report, closing_lines
from padlint.reporters.escape import printable


def counts(report: Report) -> list[dict]:
    table: dict[str, dict] = {}
    for _, finding in report.entries():
        entry = table.setdefault(finding.code, {"code": finding.code, "name": finding.name, "count": 0, "fixable": False})
        entry["count"] += 1
        entry["fixable"] = entry["fixable"] or report.fixable(finding)
    return sorted(table.values(), key=lambda entry: (-entry["count"], entry["code"]))


def render(report: Report, as_json: bool = False) -> str:
    rows = counts(report)
    if as_json:
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(row["count"])) for row in rows), default=1)
    lines = [f"{str(row['count']).rjust(width)}\t{row['code']}\t{'[*]' if row['fixable'] else '[ ]'} {printable(row['name'])}" for row in rows]
    return "".join(line + "\n" for line in lines + closing_lines(report))
