"""Reading the files padlint analyses: Python sources and Jupyter notebooks.

A notebook becomes one Python text made of its code cells in order (IPython
magics and shell escapes blanked, so line numbers stay put); a cell map turns a
line of that text back into ``(cell number, line in cell)`` for reports.

Cells are numbered from 1 among *all* cells of the notebook, markdown included,
so ``cell 3`` is ``cells[2]`` of the notebook's JSON and the third cell an editor
shows. For annotations on the file itself (GitHub, SARIF) a line of the text
also maps to the line of the ``.ipynb`` file that holds it (:meth:`SourceFile.file_line`).
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path


class SourceError(Exception):
    """The file cannot be read or decoded; the message says why, and where when known.

    ``text`` is what could be decoded (a broken notebook's JSON), to show the place;
    ``hint`` says what to do about it.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1, text: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.text = text
        self.hint = hint


@dataclass(frozen=True)
class Cell:
    """A code cell of a notebook: its 1-based number among all cells and its first line in the text."""

    number: int
    first_line: int
    line_count: int


@dataclass
class SourceFile:
    path: str
    text: str
    cells: list[Cell] = field(default_factory=list)
    #: Notebooks: the ``.ipynb`` JSON as read, for positions in the file and for fixes.
    raw: str | None = None
    #: Python files: the encoding the file was decoded with, and whether it began with a BOM.
    encoding: str = "utf-8"
    bom: bool = False
    #: The bytes as read, kept only for ``--fix`` (a file is rewritten only if it still holds them).
    data: bytes | None = field(default=None, repr=False, compare=False)
    #: Why the source is not analysed at all, found while reading it (a notebook with more code
    #: than padlint analyses: its cells are not joined, and ``text`` is empty).
    not_analysed: str | None = None
    _file_lines: list[int] | None = field(default=None, repr=False, compare=False)

    @property
    def is_notebook(self) -> bool:
        return self.raw is not None

    def cell_of(self, line: int) -> tuple[Cell, int] | None:
        """The cell holding a line of the text and the line's number inside the cell."""
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + cell.line_count:
                return cell, line - cell.first_line + 1
        return None

    def position(self, line: int, column: int | None = None) -> str:
        """``12:5`` in a Python file, ``cell 3:4:5`` in a notebook (``12`` / ``cell 3:4`` without column)."""
        found = self.cell_of(line) if self.cells else None
        where = f"cell {found[0].number}:{found[1]}" if found is not None else str(line)
        return where if column is None else f"{where}:{column}"

    def location(self, line: int) -> str:
        """``path:line`` for Python files, ``path:cell N:line`` for notebooks."""
        return f"{self.path}:{self.position(line)}"

    def line_label(self, line: int) -> str:
        """How a message names a line: ``line 12``, or ``cell 3, line 4`` in a notebook."""
        found = self.cell_of(line) if self.cells else None
        return f"cell {found[0].number}, line {found[1]}" if found is not None else f"line {line}"

    def lines(self) -> list[str]:
        """The lines of the text, cut where Python and libcst cut them (not at form feeds)."""
        return split_lines(self.text)

    def line_text(self, line: int) -> str:
        lines = self.lines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def file_line(self, line: int) -> int:
        """The line of the file on disk holding a line of the text (differs only in notebooks)."""
        if self.raw is None:
            return line
        if self._file_lines is None:
            self._file_lines = notebook_file_lines(self.raw, len(self.text.splitlines()))
        return self._file_lines[line - 1] if 0 < line <= len(self._file_lines) else 1


NEWLINE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines as Python counts them: ``\n``, ``\r\n`` and ``\r`` end a line; a final newline adds no line."""
    lines = NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


#: IPython syntax that is not Python: magics, shell escapes, help, ``files = !ls``.
_MAGIC = re.compile(r"^\s*(%|!|\?)|^\s*\w[\w.]*\?\s*$|^\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[!%]")


_BINARY_HINT = "if this is not Python source, exclude it (`extend-exclude`)"
_ENCODING_HINT = "save the file as UTF-8, or declare its encoding in a `# -*- coding: ... -*-` line"
#: A lone surrogate: no Unicode text holds one, and nothing can print one as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_python(data: bytes) -> tuple[str, str]:
    """Decode Python source the way Python does (PEP 263 coding cookie, BOM, UTF-8 default): text and encoding."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Before decoding: the first bytes of a binary file rarely make a valid coding line.
        raise SourceError("binary file (contains NUL bytes)", hint=_BINARY_HINT)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError, ValueError) as error:
        raise SourceError(f"cannot decode: {error}", hint=_ENCODING_HINT) from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise SourceError("binary file (contains NUL bytes)", hint=_BINARY_HINT)
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        line, column = _line_column(text, surrogate.start())
        raise SourceError(f"cannot decode: a lone surrogate (U+{ord(surrogate.group()):04X}) is not text", line, column, hint=_ENCODING_HINT)
    return text, encoding


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset of the text."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset) + 1, offset - line_start + 1


#: Most tokens (outside strings and comments) of a text padlint parses: Python's ``ast`` needs
#: about 1 kB per node, and ordinary code has about one node per token, so twice the
#: analysis' node limit (padlint.analysis.MAX_NODES), which such a text exceeds anyway.
MAX_SYNTAX_TOKENS = 300_000
#: Tokens, roughly: a comment or a string literal (whatever it holds) is one, a word or number
#: is one, any other character one. Each string alternative always succeeds once it starts
#: (an unclosed string runs to the end of its line, or of the text), so nothing backtracks and a
#: long string costs one scan (no possessive quantifiers: Python 3.10 has none).
_TOKEN = re.compile(
    r"""
    \#[^\r\n]*
  | [rRbBuUfF]{0,2}(?:
        '''(?:[^'\\]+|\\.|'(?!''))*(?:'''|\\?\Z)
      | \"\"\"(?:[^"\\]+|\\.|"(?!""))*(?:\"\"\"|\\?\Z)
      | '(?:[^'\\\r\n]+|\\.)*'?
      | "(?:[^"\\\r\n]+|\\.)*"?)
  | \w+
  | [^\s\w]
""",
    re.VERBOSE | re.DOTALL,
)


def syntax_tokens(text: str, limit: int) -> int:
    """An estimate of the tokens of Python text (an upper bound, as operators count per
    character), counting no further than just past ``limit``: C-speed, before any parser
    spends memory on the text."""
    count = 0
    for _ in _TOKEN.finditer(text):
        count += 1
        if count > limit:
            break
    return count


def _cell_text(cell: dict) -> str:
    body = cell.get("source", "")
    if isinstance(body, list):
        return "".join(item for item in body if isinstance(item, str))
    return body if isinstance(body, str) else ""


_NOTEBOOK_HINT = "repair the notebook's JSON (Jupyter re-saves a notebook it can open), or exclude it"


def notebook_source(path: str, data: bytes) -> SourceFile:
    """The code cells of an nbformat 4 notebook as one text, with a cell map."""
    try:
        raw = data.decode("utf-8-sig")
        document = json.loads(raw)
    except UnicodeDecodeError as error:
        raise SourceError(f"invalid notebook: not UTF-8: {error}", hint=_NOTEBOOK_HINT) from None
    except json.JSONDecodeError as error:
        raise SourceError(f"invalid notebook JSON: {error.msg}", error.lineno, error.colno, raw, _NOTEBOOK_HINT) from None
    except RecursionError:
        raise SourceError("invalid notebook JSON: nested too deeply", text=raw, hint=_NOTEBOOK_HINT) from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise SourceError("invalid notebook: no list of cells", text=raw, hint=_NOTEBOOK_HINT)
    lines: list[str] = []
    cells: list[Cell] = []
    tokens = 0
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        body = _cell_text(cell)
        tokens += syntax_tokens(body, MAX_SYNTAX_TOKENS - tokens)
        if tokens > MAX_SYNTAX_TOKENS:
            # Judged before the cells are joined and parsed: past this, Python's parser alone
            # would need gigabytes (96,000 cells took 1.7 GB to be found too large).
            reason = f"too large: more than {MAX_SYNTAX_TOKENS:,} tokens of code by cell {number} of {len(document['cells']):,} (padlint analyses up to {MAX_SYNTAX_TOKENS:,}); not analysed"
            return SourceFile(path=path, text="", raw=raw, not_analysed=reason)
        surrogate = _SURROGATE.search(body)
        if surrogate is not None:
            # JSON can escape one (``"\ud800"``); Python's text cannot be printed with it.
            escape = re.search(re.escape(f"\\u{ord(surrogate.group()):04x}"), raw, re.IGNORECASE)
            line, column = _line_column(raw, escape.start()) if escape else (1, 1)
            raise SourceError(f"invalid notebook: cell {number} holds a lone surrogate (U+{ord(surrogate.group()):04X}), which is not text", line, column, raw, _NOTEBOOK_HINT)
        cell_lines = body.splitlines() or [""]
        if cell_lines[0].lstrip().startswith("%%"):
            cell_lines = [""] * len(cell_lines)
        cell_lines = ["" if _MAGIC.match(line) else line for line in cell_lines]
        cells.append(Cell(number=number, first_line=len(lines) + 1, line_count=len(cell_lines)))
        lines.extend(cell_lines)
    return SourceFile(path=path, text="\n".join(lines) + "\n", cells=cells, raw=raw)


#: Largest file padlint reads (a notebook with its outputs may be tens of megabytes; the
#: analysis itself stops at 10 million characters of code).
MAX_FILE_BYTES = 200 * 1024 * 1024
_READ_HINT = "check that the path exists and can be read"


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file, never blocking: SourceError for what cannot be read or
    is not a regular file (a named pipe ``x.py`` would wait for a writer forever, a device
    such as ``/dev/zero`` never ends) or is larger than MAX_FILE_BYTES."""
    from padlint.safefs import NotRegular, TooLarge, read_regular

    try:
        return read_regular(path, MAX_FILE_BYTES)
    except IsADirectoryError:
        raise SourceError("cannot read: Is a directory", hint=_READ_HINT) from None
    except NotRegular as error:
        if "a folder" in str(error):
            raise SourceError("cannot read: Is a directory", hint=_READ_HINT) from None
        raise SourceError(f"cannot read: {error}", hint="padlint reads regular files only; exclude this path") from None
    except TooLarge:
        raise SourceError(f"too large to read: more than {MAX_FILE_BYTES // 2**20} MB", hint="if this is generated data, exclude it (`extend-exclude`)") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}", hint=_READ_HINT) from None


def read_source(path: str | Path, display_path: str | None = None, data: bytes | None = None, keep_bytes: bool = False) -> SourceFile:
    """Read a ``.py`` or ``.ipynb`` file (or its bytes, for stdin); raises SourceError when that is impossible.

    With ``keep_bytes`` the source holds the bytes read (:attr:`SourceFile.data`), for ``--fix``."""
    file_path = Path(path)
    shown = display_path or str(path)
    if data is None:
        data = read_bytes(file_path)
    if file_path.suffix == ".ipynb":
        source = notebook_source(shown, data)
    else:
        text, encoding = decode_python(data)
        source = SourceFile(path=shown, text=text, encoding=encoding, bom=data.startswith(b"\xef\xbb\xbf"))
    if keep_bytes:
        source.data = data
    return source


# ------------------------------------------------------- positions in the .ipynb file


@dataclass(frozen=True)
class SourceString:
    """One JSON string of a cell's ``source``: where it is in the file and what it holds."""

    file_line: int
    start: int
    end: int
    value: str


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:\n]')


def source_strings(raw: str) -> dict[int, list[SourceString]]:
    """The strings of each cell's ``source`` (cells by 1-based number), found by scanning the JSON text.

    ``json`` keeps no positions, so a small scanner follows the document's
    structure (objects, arrays, keys) and records the strings found at
    ``cells[i].source`` or ``cells[i].source[j]`` with their line in the file.
    """
    found: dict[int, list[SourceString]] = {}
    stack: list[list] = []  # [kind, key or index, expecting a key]
    line = 1
    for match in _JSON_TOKEN.finditer(raw):
        token = match.group()
        if token == "\n":
            line += 1
        elif token == "{":
            stack.append(["object", None, True])
        elif token == "[":
            stack.append(["array", 0, False])
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ":":
            if stack:
                stack[-1][2] = False
        elif token == ",":
            if stack and stack[-1][0] == "object":
                stack[-1][2] = True
            elif stack:
                stack[-1][1] += 1
        elif stack and stack[-1][0] == "object" and stack[-1][2]:
            stack[-1][1] = json.loads(token)
        else:
            keys = [frame[1] for frame in stack]
            if len(keys) in (3, 4) and keys[0] == "cells" and isinstance(keys[1], int) and keys[2] == "source":
                found.setdefault(keys[1] + 1, []).append(SourceString(line, match.start(), match.end(), json.loads(token)))
    return found


def cell_line_strings(strings: list[SourceString]) -> list[tuple[SourceString, int]]:
    """For each line of a cell (as ``splitlines`` cuts it): the string holding its start, and the offset in it."""
    result = []
    text = "".join(string.value for string in strings)
    offset = 0
    index = 0
    consumed = 0  # characters of the text before strings[index]
    for piece in text.splitlines(keepends=True) or [""]:
        while index < len(strings) - 1 and offset >= consumed + len(strings[index].value):
            consumed += len(strings[index].value)
            index += 1
        if strings:
            result.append((strings[index], offset - consumed))
        offset += len(piece)
    return result


def notebook_file_lines(raw: str, line_count: int) -> list[int]:
    """The ``.ipynb`` file line of each line of the notebook's text (1 where it cannot be found)."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return [1] * line_count
    strings = source_strings(raw)
    result: list[int] = []
    for number, cell in enumerate(document.get("cells", []), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        count = len(_cell_text(cell).splitlines()) or 1
        mapped = [string.file_line for string, _ in cell_line_strings(strings.get(number, []))]
        result.extend((mapped + [mapped[-1] if mapped else 1] * count)[:count])
    return (result + [1] * line_count)[:line_count]
