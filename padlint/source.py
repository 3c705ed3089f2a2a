"""Reading the files padlint analyses: Python sources and Jupyter notebooks.

A notebook becomes one Python text made of its code cells in order (IPython
magics and shell escapes blanked, so line numbers stay put); a cell map turns a
line of that text back into ``(cell number, line in cell)`` for reports.
"""

from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path


class SourceError(Exception):
    """The file cannot be read or decoded; the message says why."""


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

    @property
    def is_notebook(self) -> bool:
        return bool(self.cells)

    def cell_of(self, line: int) -> tuple[Cell, int] | None:
        """The cell holding a line of the text and the line's number inside the cell."""
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + cell.line_count:
                return cell, line - cell.first_line + 1
        return None

    def location(self, line: int) -> str:
        """``path:line`` for Python files, ``path:cell N:line`` for notebooks."""
        if self.cells:
            found = self.cell_of(line)
            if found is not None:
                cell, inner = found
                return f"{self.path}:cell {cell.number}:{inner}"
        return f"{self.path}:{line}"

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


_MAGIC = re.compile(r"^\s*(%|!|\?)|^\s*\w[\w.]*\?\s*$")


def decode_python(data: bytes) -> str:
    """Decode Python source the way Python does (PEP 263 coding cookie, BOM, UTF-8 default)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise SourceError(f"cannot decode: {error}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise SourceError("binary file (contains NUL bytes)")
    return text


def notebook_source(path: str, data: bytes) -> SourceFile:
    """The code cells of an nbformat 4 notebook as one text, with a cell map."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"invalid notebook JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise SourceError("invalid notebook: no list of cells")
    lines: list[str] = []
    cells: list[Cell] = []
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        body = cell.get("source", "")
        text = "".join(body) if isinstance(body, list) else body if isinstance(body, str) else ""
        cell_lines = text.splitlines() or [""]
        if cell_lines[0].lstrip().startswith("%%"):
            cell_lines = [""] * len(cell_lines)
        cell_lines = ["" if _MAGIC.match(line) else line for line in cell_lines]
        cells.append(Cell(number=number, first_line=len(lines) + 1, line_count=len(cell_lines)))
        lines.extend(cell_lines)
    return SourceFile(path=path, text="\n".join(lines) + "\n", cells=cells)


def read_source(path: str | Path, display_path: str | None = None) -> SourceFile:
    """Read a ``.py`` or ``.ipynb`` file; raises SourceError when that is impossible."""
    file_path = Path(path)
    shown = display_path or str(path)
    try:
        data = file_path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    if file_path.suffix == ".ipynb":
        return notebook_source(shown, data)
    return SourceFile(path=shown, text=decode_python(data))
