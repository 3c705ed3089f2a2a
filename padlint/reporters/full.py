"""``--output-format full`` (the default): ruff's layout.

    models/cnn.py:12:5: PAD201 3 'valid' convolutions shrink 20x20 to 8x8 (...)
       |
    10 |     Conv2D(32, kernel_size=(3,3), padding='valid'),
    11 |     Conv2D(64, kernel_size=(5,5), padding='valid'),
    12 |     Conv2D(128, kernel_size=(7,7), padding='valid'),
       |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ PAD201
    13 |     Flatten(),
       |
       = help: pass padding='same' to keep 20x20, or downsample on purpose with pooling or strides

In a notebook the header reads ``path:cell 3:4:5`` and the gutter numbers the
lines of the cell; the context never leaves the cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from padlint.findings import Finding
from padlint.reporters.common import Report, Style, closing_lines, header
from padlint.reporters.escape import printable

if TYPE_CHECKING:
    from padlint.run import FileResult

CONTEXT = 2
TAB = 4


def render(report: Report) -> str:
    style = Style(report.colour)
    blocks = [block(result, finding, style, report) for result, finding in report.entries()]
    out = "".join(text + "\n\n" for text in blocks)
    return out + "".join(line + "\n" for line in closing_lines(report))


def block(result: FileResult, finding: Finding, style: Style, report: Report) -> str:
    lines = [header(result, finding, style, report)]
    snippet = _snippet(result, finding, style)
    width = max((len(label) for label, _ in snippet if label), default=1)
    gutter = " " * width
    bar = style("|", "blue", "bold")
    if snippet:
        lines.append(f"{gutter} {bar}")
        for label, text in snippet:
            number = style(label.rjust(width), "blue", "bold") if label else gutter
            lines.append(f"{number} {bar} {text}".rstrip())
        lines.append(f"{gutter} {bar}")
    if finding.fix:
        lines.append(f"{gutter} {style('=', 'blue', 'bold')} {style('help', 'bold')}: {printable(finding.fix)}")
    return "\n".join(lines)


def _snippet(result: FileResult, finding: Finding, style: Style) -> list[tuple[str | None, str]]:
    """(line number, text) rows: the context, the finding's line, and the underline row (no number)."""
    source = result.source
    all_lines = source.lines()
    if not 0 < finding.line <= len(all_lines):
        return []
    first, last = 1, len(all_lines)
    offset = 0  # shown number = line - offset
    found = source.cell_of(finding.line) if source.cells else None
    if found is not None:
        cell, _ = found
        first, last = cell.first_line, cell.first_line + cell.line_count - 1
        offset = cell.first_line - 1
    start = max(first, finding.line - CONTEXT)
    end = min(last, finding.line + CONTEXT)
    while start < finding.line and not all_lines[start - 1].strip():
        start += 1
    while end > finding.line and not all_lines[end - 1].strip():
        end -= 1
    rows: list[tuple[str | None, str]] = []
    for number in range(start, end + 1):
        text = all_lines[number - 1]
        rows.append((str(number - offset), _shown(text)))
        if number == finding.line:
            rows.append((None, _underline(text, finding, style)))
    return rows


def _shown(text: str) -> str:
    """A source line as printed: tabs expanded, control characters (an ESC in a string literal) escaped."""
    return printable(text.expandtabs(TAB))


def _underline(text: str, finding: Finding, style: Style) -> str:
    column = max(finding.column - 1, 0)
    prefix = _shown(text[:column])
    if finding.end_line == finding.line:
        stop = max(finding.end_column - 1, column + 1)
    else:
        stop = max(len(text.rstrip()), column + 1)
    width = max(len(_shown(text[:stop])) - len(prefix), 1)
    return " " * len(prefix) + style("^" * width + " " + finding.code, *style.severity(finding))
