"""``--output-format grouped``: findings under their file's name, as ruff groups them.

    models/cnn.py:
      12:5  PAD201 3 'valid' convolutions shrink 20x20 to 8x8 (...)
       9:11 PAD102 [*] padding='Valid': ...
"""

from __future__ import annotations

from padlint.reporters.common import Report, Style, closing_lines, position
from padlint.reporters.escape import printable


def render(report: Report) -> str:
    style = Style(report.colour)
    out = []
    for result in report.results:
        if not result.findings:
            continue
        rows = [position(result, finding.line) for finding in result.findings]
        row_width = max(len(row) for row in rows)
        column_width = max(len(str(finding.column)) for finding in result.findings)
        out.append(f"{style(printable(result.source.path), 'bold', 'underline')}:")
        for row, finding in zip(rows, result.findings):
            marker = f"{style('[*]', 'cyan')} " if report.fixable(finding) else ""
            place = f"{row.rjust(row_width)}{style(':', 'cyan')}{str(finding.column).ljust(column_width)}"
            out.append(f"  {place} {style(finding.code, *style.severity(finding))} {marker}{printable(finding.message)}")
        out.append("")
    return "".join(line + "\n" for line in out + closing_lines(report))
