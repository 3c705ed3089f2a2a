"""The server's pure parts, without a process: settings, noqa edits, positions."""

from __future__ import annotations

import pytest
from lsprotocol import types

from padlint.noqa import suppressed
from padlint.server.actions import commentable_lines, line_edits, noqa_edit
from padlint.server.convert import client_position, server_column
from padlint.server.documents import ServerOptions, is_python
from tests.server.support import apply_edits


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    layers.Dense(1),", "    layers.Dense(1),  # noqa: PAD403"),
        ("    layers.Dense(1),   ", "    layers.Dense(1),  # noqa: PAD403"),
        ("    layers.Dense(1),  # the head", "    layers.Dense(1),  # the head  # noqa: PAD403"),
        ("    layers.Dense(1),  # noqa: PAD301", "    layers.Dense(1),  # noqa: PAD301, PAD403"),
        ("    layers.Dense(1),  # noqa:PAD301,PAD2  (why)", "    layers.Dense(1),  # noqa:PAD301,PAD2, PAD403  (why)"),
    ],
)
def test_noqa_is_added_or_extended_so_that_flake8_reads_it(line: str, expected: str) -> None:
    start, end, text = noqa_edit(line, "PAD403")
    edited = line[:start] + text + line[end:]
    assert edited == expected
    assert suppressed("PAD403", edited) and not suppressed("PAD403", line)


def test_a_bare_noqa_needs_nothing_more() -> None:
    assert noqa_edit("x = 1  # noqa", "PAD403") is None


def test_comments_are_offered_only_where_a_line_ends_in_code() -> None:
    text = 'x = f(1,\n      2)\ny = """a\nb"""\nz = 1 + \\\n    2\n'
    assert commentable_lines(text) == frozenset({1, 2, 4, 6})
    assert commentable_lines("x = (\n") == frozenset()  # does not tokenize


def test_line_edits_turn_one_text_into_the_other() -> None:
    before, after = "a\nb\nc", "a\nB\nc\nd\n"
    lines = before.split("\n")
    assert apply_edits(before, line_edits(before, after, lines, "utf-16")) == after


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_columns_go_to_the_client_and_back_in_each_encoding(encoding: str) -> None:
    lines = ["x = '😀é'; y = Dense(1)"]
    column = lines[0].index("Dense")
    position = client_position(lines, 1, column, encoding)
    units = {"utf-8": len(lines[0][:column].encode()), "utf-16": len(lines[0][:column].encode("utf-16-le")) // 2, "utf-32": column}
    assert position == types.Position(line=0, character=units[encoding])
    assert server_column(lines, position, encoding) == (1, column)


def test_client_settings_are_read_at_the_top_or_under_padlint_and_bad_values_are_named() -> None:
    options, problems = ServerOptions().updated({"padlint": {"inlayHints": False, "debounceMs": 50}})
    assert options == ServerOptions(inlay_hints=False, debounce_ms=50) and problems == []
    options, problems = options.updated({"debounceMs": -1, "inlayHints": "yes", "unrelated": 1})
    assert options == ServerOptions(inlay_hints=False, debounce_ms=50)
    assert [problem.split(":")[0] for problem in problems] == ["setting inlayHints", "setting debounceMs"]
    assert ServerOptions().updated(None) == (ServerOptions(), [])


def test_only_python_documents_are_analysed() -> None:
    assert is_python("/a/model.py", "python") and is_python("/a/model.py", None)
    assert not is_python("/a/model.ipynb", None) and not is_python("/a/notes.md", "markdown")
