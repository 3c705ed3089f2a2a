"""Code actions: the rules' own fixes (``Finding.edits``, what ``--fix`` applies), ``# noqa``, and fix-all.

- one quick fix per finding with edits, named after its suggestion, marked when
  the fix is unsafe (may change behaviour), preferred when it is safe;
- "Add ``# noqa: PADnnn``" on the finding's line, or the code added to the
  line's ``# noqa: ...`` list; offered only where a comment can go (not when
  the line ends inside a string or with a backslash);
- ``source.fixAll.padlint``: every safe fix at once, as one round of ``--fix``.
"""

from __future__ import annotations

import difflib
import io
import re
import tokenize
from functools import lru_cache

from lsprotocol import types

from padlint.findings import Finding
from padlint.fixes import apply_fixes, fixable
from padlint.noqa import NOQA, noqa_codes, suppressed
from padlint.server.convert import client_position, client_range, diagnostic, line_end
from padlint.server.documents import Snapshot
from padlint.source import split_lines

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.padlint"
#: Longest fix suggestion shown in an action's title.
MAX_TITLE = 90


def wanted(kind: str, only: list[str] | None) -> bool:
    """Whether the client asked for this kind (a requested ``source`` covers ``source.fixAll.padlint``)."""
    return not only or any(kind == item or kind.startswith(f"{item}.") for item in only)


def code_actions(snapshot: Snapshot, uri: str, first_line: int, last_line: int, encoding: str, only: list[str] | None) -> list[types.CodeAction]:
    """The actions for the findings on lines ``first_line..last_line`` (1-based), and fix-all."""
    actions: list[types.CodeAction] = []
    if wanted(types.CodeActionKind.QuickFix.value, only):
        noqa_done: set[tuple[int, str]] = set()
        for finding in snapshot.findings:
            if finding.line > last_line or finding.end_line < first_line:
                continue
            shown = diagnostic(finding, snapshot.lines, uri, encoding)
            if finding.edits:
                actions.append(_fix(finding, shown, snapshot, uri, encoding))
            if (finding.line, finding.code) not in noqa_done:
                noqa_done.add((finding.line, finding.code))
                action = _noqa(finding, shown, snapshot, uri, encoding)
                if action is not None:
                    actions.append(action)
    if wanted(FIX_ALL, only):
        action = _fix_all(snapshot, uri, encoding)
        if action is not None:
            actions.append(action)
    return actions


def _title(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 3].rstrip() + "..."


def _fix(finding: Finding, shown: types.Diagnostic, snapshot: Snapshot, uri: str, encoding: str) -> types.CodeAction:
    safe = fixable(finding, unsafe=False)
    edits = [
        types.TextEdit(range=client_range(snapshot.lines, (edit.start_line, edit.start_column, edit.end_line, edit.end_column), encoding), new_text=edit.replacement)
        for edit in finding.edits
    ]
    title = _title(f"Fix {finding.code}: {finding.fix or finding.name}")
    return types.CodeAction(
        title=title if safe else f"{title} (unsafe fix)",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[shown],
        edit=types.WorkspaceEdit(changes={uri: edits}),
        is_preferred=safe,
    )


def noqa_edit(line: str, code: str) -> tuple[int, int, str] | None:
    """How to silence ``code`` on a line: (start column, end column, new text); None when it already is."""
    codes = noqa_codes(line)
    if codes is not None:
        match = NOQA.search(line)
        if not codes or match is None:
            return None  # a bare ``# noqa`` silences everything already
        end = match.end("codes")
        return end, end, f", {code}"
    content = line.rstrip()
    return len(content), len(line), f"  # noqa: {code}"


@lru_cache(maxsize=8)
def commentable_lines(text: str) -> frozenset[int]:
    """Lines (1-based) whose end is code, where a comment can be appended (none when the text does not tokenize)."""
    inside: set[int] = set()
    last = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            last = max(last, token.end[0])
            if token.start[0] < token.end[0] and token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.DEDENT, tokenize.INDENT):
                inside.update(range(token.start[0], token.end[0]))  # a string spanning lines
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        return frozenset()
    lines = split_lines(text)
    return frozenset(
        number for number in range(1, last + 1)
        if number not in inside and number <= len(lines) and not lines[number - 1].rstrip().endswith("\\")
    )


def _noqa(finding: Finding, shown: types.Diagnostic, snapshot: Snapshot, uri: str, encoding: str) -> types.CodeAction | None:
    if not snapshot.parsed or not 0 < finding.line <= len(snapshot.lines) or finding.line not in commentable_lines(snapshot.text):
        return None
    line = snapshot.lines[finding.line - 1]
    found = noqa_edit(line, finding.code)
    if found is None:
        return None
    start, end, text = found
    if not suppressed(finding.code, line[:start] + text + line[end:]):
        return None
    adding = "Add" if noqa_codes(line) is None else "Add to"
    return types.CodeAction(
        title=f"{adding} `# noqa: {finding.code}`" if adding == "Add" else f"Add {finding.code} to this line's `# noqa`",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[shown],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=client_range(snapshot.lines, (finding.line, start, finding.line, end), encoding), new_text=text)]}),
    )


def _fix_all(snapshot: Snapshot, uri: str, encoding: str) -> types.CodeAction | None:
    if not snapshot.parsed:
        return None
    fixed, count = apply_fixes(snapshot.source, snapshot.findings, unsafe=False)
    if not count:
        return None
    edits = line_edits(snapshot.text, fixed.text, snapshot.lines, encoding)
    return types.CodeAction(
        title=f"Fix all safe padlint fixes ({count})",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def line_edits(before: str, after: str, lines: list[str], encoding: str) -> list[types.TextEdit]:
    """The edits that turn ``before`` into ``after``, whole lines at a time (the rest of the text stays put)."""
    old, new = _with_ends(before), _with_ends(after)

    def start_of(index: int) -> types.Position:
        if index < len(old) or not old or old[-1].endswith(("\n", "\r")):
            return client_position(lines, index + 1, 0, encoding)
        return line_end(lines, len(lines), encoding)  # the end of a last line without a line break

    edits = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag != "equal":
            edits.append(types.TextEdit(range=types.Range(start=start_of(first), end=start_of(last)), new_text="".join(new[new_first:new_last])))
    return edits


def _with_ends(text: str) -> list[str]:
    """The lines of a text with their line breaks, cut where :func:`split_lines` cuts them."""
    return LINE.findall(text)


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
