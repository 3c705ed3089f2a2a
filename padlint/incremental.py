"""Reusing the parse of a document's unchanged top-level statements between its versions.

The language server analyses a document again after every edit, and most of an edit's
cost was libcst parsing the whole text again (and the position pass going over all of
it) although one statement changed. :class:`StatementCache` splits the text at its
top-level statements, as Python's own parser (which runs first anyway,
:func:`padlint.analysis.parse`) found them, parses each piece as a module of its own,
and keeps the pieces of the last version: the next version parses only the pieces whose
text changed. Positions are computed per piece and shifted by the piece's first line.

The module it gives the analysis has the statements a whole parse gives, each parsed
from the same text; only trivia moves: the comment and blank lines before a statement
other than the first are left out (a whole parse keeps them in that statement's
``leading_lines`` or in the block above's ``footer``). Nothing in padlint reads them, and
positions never come from codegen of that module (tests compare the analyses of every
fixture both ways).

``padlint check`` parses every file once and does not use this.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from padlint.positions import Positions, Span


@dataclass
class _Piece:
    """Consecutive lines of the text holding whole top-level statements, parsed on their own."""

    text: str
    module: cst.Module
    positions: Positions = field(init=False)

    def __post_init__(self) -> None:
        self.positions = Positions(self.module)


class PiecewisePositions(Positions):
    """Positions of the nodes of a module assembled from pieces: each piece's own, moved down by
    the lines before it. Lookups mostly come in source order, so the search starts at the piece
    of the last hit."""

    def __init__(self, module: cst.Module, pieces: list[tuple[Positions, int]]) -> None:
        super().__init__(module)
        self._pieces = pieces
        self._last = 0

    def span(self, node: cst.CSTNode | None) -> Span | None:
        if node is None:
            return None
        count = len(self._pieces)
        for step in range(count):
            index = (self._last + step) % count
            positions, lines_before = self._pieces[index]
            found = positions.span(node)
            if found is not None:
                self._last = index
                start_line, start_column, end_line, end_column = found
                return (start_line + lines_before, start_column, end_line + lines_before, end_column)
        return None


class StatementCache:
    """The parsed pieces of one document's last version (one cache per open document)."""

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece] = {}
        self._assembled: tuple[cst.Module, PiecewisePositions] | None = None

    def parse(self, text: str, tree: ast.Module) -> cst.Module | None:
        """The module of ``text`` (whose Python parse is ``tree``), or None where libcst rejects a
        piece (the caller parses the whole text then, and says why it cannot)."""
        pieces = split_statements(text, tree)
        if pieces is None:
            return None
        parsed: list[_Piece] = []
        for piece in pieces:
            known = self._pieces.get(piece)
            if known is None:
                try:
                    known = _Piece(piece, cst.parse_module(piece))
                except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError, MemoryError):
                    self._pieces, self._assembled = {}, None
                    return None
            parsed.append(known)
        self._pieces = {piece.text: piece for piece in parsed}
        first, last = parsed[0].module, parsed[-1].module
        module = cst.Module(
            body=[statement for piece in parsed for statement in piece.module.body],
            header=first.header,
            footer=last.footer,
            encoding=first.encoding,
            default_indent=_first_indent(parsed),
            default_newline=first.default_newline,
            has_trailing_newline=last.has_trailing_newline,
        )
        offsets, lines_before = [], 0
        for piece in parsed:
            offsets.append((piece.positions, lines_before))
            lines_before += piece.text.count("\n")
        self._assembled = (module, PiecewisePositions(module, offsets))
        return module

    def positions(self, module: cst.Module) -> Positions:
        """The positions of a module :meth:`parse` gave last (or of any other module, computed anew)."""
        if self._assembled is not None and self._assembled[0] is module:
            return self._assembled[1]
        return Positions(module)


def split_statements(text: str, tree: ast.Module) -> list[str] | None:
    """``text`` cut after the last line of each top-level statement (statements sharing a line stay
    together; what follows the last statement joins it), or None when it cannot be cut this way:
    no statement, or a carriage return (whose line counting ``ast`` and ``str.split`` might not share)."""
    if not tree.body or "\r" in text:
        return None
    ends: list[int] = []
    for statement in tree.body:
        end = statement.end_lineno or statement.lineno
        if ends and statement.lineno <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            ends.append(end)
    lines = text.split("\n")
    pieces, start = [], 0
    for end in ends[:-1]:
        pieces.append("\n".join(lines[start:end]) + "\n")
        start = end
    pieces.append("\n".join(lines[start:]))
    return pieces


def _first_indent(pieces: list[_Piece]) -> str:
    """The indentation a whole parse would detect: that of the first indented block."""
    for piece in pieces:
        if any(_has_indented_block(statement) for statement in piece.module.body):
            return piece.module.default_indent
    return pieces[0].module.default_indent


def _has_indented_block(node: cst.CSTNode) -> bool:
    """Whether a statement has an indented block: its suite's, or a clause's (``else``,
    ``except``, ``finally``, ``case``) when the suite is on the header's line."""
    if isinstance(node, cst.IndentedBlock):
        return True
    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return False
    return any(_has_indented_block(child) for child in node.children if isinstance(child, _BLOCK_HOLDERS))


_BLOCK_HOLDERS = (cst.BaseSuite, cst.BaseCompoundStatement, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.MatchCase)
