"""``--output-format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=models/cnn.py,line=12,col=5,endLine=12,endColumn=40,title=PAD102 invalid-padding::message

GitHub shows at most 10 annotations of each level (error, warning, notice) per
step and drops the rest, so errors come first, at most 10 of each level are
written as annotations, the findings left out are printed as plain lines (they
stay in the log), and a last ``::notice::`` says how many were left out (one
notice slot is kept free for it).

Escaping follows the runner's own toolkit (@actions/core): in the message
``%``, CR and LF; in property values also ``:`` and ``,``. Before that, what
comes from the user's files (names, paths) has its control characters escaped
(:func:`padlint.reporters.escape.printable`), in the annotations and in the
plain lines past the limit alike; a plain line that would begin with ``::``
(a file named ``::error file=x::y.py``) is prefixed with ``./`` so that the
runner never takes it for a command.

In a notebook, ``line``/``endLine`` are lines of the ``.ipynb`` file holding the
code (so the annotation lands on the right line of the file GitHub shows), no
column is given, and the message starts with ``cell N, line L:``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from padlint.findings import Finding, Severity
from padlint.reporters.common import Report, plural
from padlint.reporters.escape import printable

if TYPE_CHECKING:
    from padlint.run import FileResult

LIMIT = 10
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(result: FileResult, finding: Finding) -> str:
    source = result.source
    properties = {"file": printable(source.path.replace(os.sep, "/"))}
    message = printable(finding.message)
    if source.is_notebook:
        properties["line"] = str(source.file_line(finding.line))
        properties["endLine"] = str(source.file_line(finding.end_line))
        message = f"{source.line_label(finding.line)}: {message}"
    else:
        properties.update(line=str(finding.line), col=str(finding.column), endLine=str(finding.end_line), endColumn=str(finding.end_column))
    properties["title"] = f"{finding.code} {finding.name}"
    if finding.fix:
        message += f"\nhelp: {printable(finding.fix)}"
    level = LEVELS.get(finding.severity, "notice")
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {listed}::{escape_data(message)}"


def plain_line(result: FileResult, finding: Finding) -> str:
    """A finding left out of the annotations, as a log line (never one the runner reads as a command)."""
    line = printable(f"{result.source.path}:{result.source.position(finding.line, finding.column)}: {finding.code} {finding.message}")
    return "./" + line if line.lstrip().startswith("::") else line


def render(report: Report) -> str:
    by_level: dict[str, list[tuple[FileResult, Finding]]] = {level: [] for level in LEVELS.values()}
    for result, finding in report.entries():
        by_level[LEVELS.get(finding.severity, "notice")].append((result, finding))
    overflow = sum(max(len(items) - LIMIT, 0) for items in by_level.values())
    limits = {level: LIMIT for level in by_level}
    if overflow or len(by_level["notice"]) > LIMIT:
        limits["notice"] = LIMIT - 1  # room for the closing notice
    lines, left_out = [], []
    for level in ("error", "warning", "notice"):
        items = by_level[level]
        lines.extend(command(result, finding) for result, finding in items[: limits[level]])
        left_out.extend(items[limits[level] :])
    if left_out:
        lines.extend(plain_line(result, finding) for result, finding in left_out)
        note = (
            f"padlint: {plural(len(left_out), 'more finding')} not shown as annotations "
            f"(GitHub shows at most {LIMIT} per level in a step); they are listed in the log above"
        )
        lines.append(f"::notice title=padlint::{escape_data(note)}")
    return "".join(line + "\n" for line in lines)
