"""``--output-format concise``: one line per finding, ``path:line:col: CODE [*] message`` (flake8's layout)."""

from __future__ import annotations

from padlint.reporters.common import Report, Style, closing_lines, header


def render(report: Report) -> str:
    style = Style(report.colour)
    lines = [header(result, finding, style, report) for result, finding in report.entries()]
    return "".join(line + "\n" for line in lines + closing_lines(report))
