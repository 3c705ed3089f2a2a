"""``--fix``: apply findings' edits as text-span replacements, keeping the user's formatting.

An edit replaces a span of the analysed text (1-based lines, 0-based columns)
with new text; nothing else of the file changes. A finding's edits are applied
together or not at all; a finding whose edits overlap ones already taken waits
for the next round (the caller analyses again after each round).

In a notebook the analysed text is made of the code cells, so an edit is
carried back into the ``.ipynb`` JSON: the string of the cell's ``source``
holding the line is decoded, edited and written again, and the rest of the
file stays byte for byte as it was. Edits spanning several lines of a notebook
are not applied.

Writing (:func:`write_fixed_file`) never leaves a file half written and never
loses a save: the fixed text goes to a temporary file beside the original,
flushed to disk and renamed over it (:func:`padlint.safefs.replace_file`), only
while the file still holds the bytes padlint read; a file saved meanwhile is left
as its author saved it. A symbolic link is rewritten at its target (the link
stays a link), and only when that target lies inside the folders being checked:
a checkout's ``model.py -> ../../elsewhere.py`` is not padlint's to rewrite.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from padlint.findings import Edit, Finding
from padlint.source import (
    NEWLINE,
    SourceFile,
    cell_line_strings,
    notebook_source,
    source_strings,
)


def fixable(finding: Finding, unsafe: bool) -> bool:
    """Whether ``--fix`` applies the finding's edits (all safe, or unsafe ones allowed)."""
    return bool(finding.edits) and all(edit.safe or unsafe for edit in finding.edits)


def line_starts(text: str) -> list[int]:
    """Offset of the start of each line, lines ending as libcst ends them (``\\n``, ``\\r\\n``, ``\\r``)."""
    return [0] + [match.end() for match in NEWLINE.finditer(text)]


@dataclass(frozen=True)
class _Span:
    """A replacement of ``start:end`` of one text: the file's, or (notebooks) one decoded source string's."""

    start: int
    end: int
    replacement: str
    #: Which text the offsets are in: None for a Python file, the literal's (start, end) in a notebook's JSON.
    text: tuple[int, int] | None = None


def _offsets(edit: Edit, starts: list[int], length: int) -> _Span | None:
    if not (0 < edit.start_line <= len(starts) and 0 < edit.end_line <= len(starts)):
        return None
    start = starts[edit.start_line - 1] + edit.start_column
    end = starts[edit.end_line - 1] + edit.end_column
    if not 0 <= start <= end <= length:
        return None
    return _Span(start, end, edit.replacement)


def _overlap(a: _Span, b: _Span) -> bool:
    return a.text == b.text and (a.start < b.end and b.start < a.end or (a.start, a.end) == (b.start, b.end))


def _choose(groups: list[list[_Span]]) -> list[list[_Span]]:
    """Groups (one per finding) whose spans overlap neither each other nor a span of an earlier chosen group."""
    taken: list[_Span] = []
    chosen = []
    for group in groups:
        if any(_overlap(span, other) for span in group for other in taken):
            continue
        if any(_overlap(a, b) for index, a in enumerate(group) for b in group[index + 1 :]):
            continue
        taken.extend(group)
        chosen.append(group)
    return chosen


def _replace(text: str, spans: list[_Span]) -> str:
    for span in sorted(spans, key=lambda span: (span.start, span.end), reverse=True):
        text = text[: span.start] + span.replacement + text[span.end :]
    return text


def _groups(findings: list[Finding], span_of) -> list[list[_Span]]:
    """One list of spans per finding whose edits can all be placed."""
    groups = []
    for finding in findings:
        spans = [span_of(edit) for edit in finding.edits]
        if all(span is not None for span in spans):
            groups.append(spans)
    return groups


def apply_fixes(source: SourceFile, findings: list[Finding], unsafe: bool = False) -> tuple[SourceFile, int]:
    """The source with the edits of the fixable findings applied, and how many findings were fixed."""
    candidates = [finding for finding in findings if fixable(finding, unsafe)]
    if not candidates:
        return source, 0
    if source.is_notebook:
        return _apply_to_notebook(source, candidates)
    starts = line_starts(source.text)
    chosen = _choose(_groups(candidates, lambda edit: _offsets(edit, starts, len(source.text))))
    if not chosen:
        return source, 0
    text = _replace(source.text, [span for group in chosen for span in group])
    return SourceFile(path=source.path, text=text, encoding=source.encoding, bom=source.bom), len(chosen)


def _apply_to_notebook(source: SourceFile, findings: list[Finding]) -> tuple[SourceFile, int]:
    raw = source.raw or ""
    strings = source_strings(raw)
    values = {(string.start, string.end): string.value for cell in strings.values() for string in cell}
    lines = source.lines()
    chosen = _choose(_groups(findings, lambda edit: _notebook_span(source, strings, lines, edit)))
    if not chosen:
        return source, 0
    by_string: dict[tuple[int, int], list[_Span]] = {}
    for span in (span for group in chosen for span in group):
        by_string.setdefault(span.text, []).append(span)
    literals = [_Span(start, end, json.dumps(_replace(values[(start, end)], spans), ensure_ascii=False)) for (start, end), spans in by_string.items()]
    return notebook_source(source.path, _replace(raw, literals).encode("utf-8")), len(chosen)


def _notebook_span(source: SourceFile, strings: dict, lines: list[str], edit: Edit) -> _Span | None:
    """The edit as a span of the decoded source string holding its line (None when it cannot be placed)."""
    if edit.start_line != edit.end_line or "\n" in edit.replacement or "\r" in edit.replacement:
        return None
    found = source.cell_of(edit.start_line)
    if found is None or not 0 < edit.start_line <= len(lines):
        return None
    cell, inner = found
    per_line = cell_line_strings(strings.get(cell.number, []))
    if not 0 < inner <= len(per_line):
        return None
    string, offset = per_line[inner - 1]
    line = lines[edit.start_line - 1]
    if not 0 <= edit.start_column <= edit.end_column <= len(line) or string.value[offset : offset + len(line)] != line:
        return None  # a blanked magic, or a line cut across two strings
    return _Span(offset + edit.start_column, offset + edit.end_column, edit.replacement, (string.start, string.end))


class NotWritten(Exception):
    """A fixed file that was not written, and why; ``warning``: nothing failed, the file was left alone on purpose."""

    def __init__(self, message: str, warning: bool) -> None:
        super().__init__(message)
        self.warning = warning


def file_bytes(source: SourceFile) -> bytes:
    """The bytes a source is written as: the notebook's JSON, or the text in its encoding (with its BOM)."""
    if source.is_notebook:
        return (source.raw or "").encode("utf-8")
    data = source.text.encode(source.encoding)  # utf-8-sig writes the BOM back itself
    return b"\xef\xbb\xbf" + data if source.bom and not data.startswith(b"\xef\xbb\xbf") else data


def checked_roots(paths: list[str]) -> list[Path]:
    """The folders a run may rewrite files in: each folder given, and the folder of each file given
    (a file's own last part is not resolved: a named link is judged by where it points)."""
    roots = []
    for given in paths or ["."]:
        folder = given if os.path.isdir(given) else os.path.dirname(os.path.abspath(given))
        roots.append(Path(os.path.realpath(folder)))
    return roots


def write_fixed_file(path: str, original: SourceFile, fixed: SourceFile, roots: list[Path] | None) -> None:
    """Write the fixed source over ``path`` atomically, if the file still holds ``original.data``
    and (with ``roots``) resolves inside them; :class:`NotWritten` says why not."""
    from padlint.safefs import Changed, inside, replace_file

    real = os.path.realpath(path)
    if roots is not None and not inside(real, roots):
        raise NotWritten(f"{path}: a symbolic link to {real}, outside the checked folders; not fixed", warning=True)
    if original.data is None:
        raise NotWritten(f"{path}: cannot write the fixes: the bytes read were not kept", warning=False)
    try:
        replace_file(real, file_bytes(fixed), original.data, unique=f"{os.getpid()}.{os.urandom(3).hex()}")
    except Changed:
        raise NotWritten(f"{path}: changed since padlint read it; not fixed (run padlint again)", warning=True) from None
    except FileExistsError:
        raise NotWritten(f"{path}: cannot write the fixes: a temporary file of another padlint run is in the way", warning=False) from None
    except (OSError, UnicodeEncodeError, LookupError) as error:
        raise NotWritten(f"{path}: cannot write the fixes: {getattr(error, 'strerror', None) or error}", warning=False) from None


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file, as ``ruff --diff`` prints it.

    The file name is escaped (:func:`printable`); the lines are the file's own text, byte for
    byte, as a patch must be to apply."""
    from padlint.reporters.escape import printable

    shown = printable(path)
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=shown, tofile=shown)
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)
