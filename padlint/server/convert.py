"""padlint's positions and findings as LSP ranges and diagnostics.

padlint counts columns in characters (code points) and lines from 1; LSP counts
lines from 0 and columns in the code units of the position encoding agreed at
initialisation (UTF-16 unless the client offers UTF-8 or UTF-32). Lines are
split where both split them (``\\n``, ``\\r\\n``, ``\\r``; not at form feeds, which
Python's ``str.splitlines`` would).
"""

from __future__ import annotations

from lsprotocol import types

from padlint.findings import Finding, Severity
from padlint.reporters.common import rule_url

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

#: What the diagnostics say they come from.
SOURCE = "padlint"


def _units(text: str, encoding: str) -> int:
    """The length of a text in the encoding's code units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32 or text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def client_position(lines: list[str], line: int, column: int, encoding: str) -> types.Position:
    """A 1-based line and 0-based character column as an LSP position (clamped to the text)."""
    if line > len(lines):
        return types.Position(line=len(lines), character=0)
    index = max(line, 1) - 1
    text = lines[index] if lines else ""
    return types.Position(line=index, character=_units(text[: max(column, 0)], encoding))


def server_column(lines: list[str], position: types.Position, encoding: str) -> tuple[int, int]:
    """An LSP position as a 1-based line and 0-based character column."""
    if position.line >= len(lines):
        return position.line + 1, 0
    text = lines[position.line]
    if encoding == types.PositionEncodingKind.Utf32 or text.isascii():
        return position.line + 1, min(position.character, len(text))
    units = 0
    for column, character in enumerate(text):
        if units >= position.character:
            return position.line + 1, column
        units += _units(character, encoding)
    return position.line + 1, len(text)


def client_range(lines: list[str], span: tuple[int, int, int, int], encoding: str) -> types.Range:
    """A span (1-based lines, 0-based columns) as an LSP range."""
    start_line, start_column, end_line, end_column = span
    return types.Range(
        start=client_position(lines, start_line, start_column, encoding),
        end=client_position(lines, end_line, end_column, encoding),
    )


def line_end(lines: list[str], line: int, encoding: str) -> types.Position:
    """The end of a 1-based line."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return client_position(lines, line, len(text), encoding)


def finding_range(lines: list[str], finding: Finding, encoding: str) -> types.Range:
    """Where a finding is (its columns are 1-based)."""
    return client_range(lines, (finding.line, finding.column - 1, finding.end_line, finding.end_column - 1), encoding)


def diagnostic(finding: Finding, lines: list[str], uri: str, encoding: str) -> types.Diagnostic:
    """A finding as the editor shows it: severity, code with a link to the rule, the fix as help,
    and the other layers it names as related information."""
    message = finding.message if not finding.fix else f"{finding.message}\nhelp: {finding.fix}"
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri, range=client_range(lines, (item.line, item.column - 1, item.end_line, item.end_column - 1), encoding)),
            message=item.message,
        )
        for item in finding.related
    ]
    return types.Diagnostic(
        range=finding_range(lines, finding, encoding),
        message=message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=SOURCE,
        related_information=related or None,
        data={"name": finding.name},
    )
