"""``--fix``, ``--unsafe-fixes`` and ``--diff``: text-span edits that keep the rest of the file byte for byte."""

from __future__ import annotations

import json

from padlint.findings import Edit, Finding
from padlint.fixes import apply_fixes
from padlint.source import SourceFile, notebook_source
from tests.cli.conftest import write
from tests.cli.models import BAD_PADDING, SHRINK, codes

#: Odd formatting the fix must keep: comments, quotes, spacing, CRLF line ends.
MESSY = (
    "# -*- coding: utf-8 -*-\r\n"
    "from keras import layers, models  # the usual\r\n"
    "\r\n"
    "model = models.Sequential([\r\n"
    "    layers.Input(shape=(28, 28, 1)),\r\n"
    "    layers.MaxPooling2D( 2 ,padding = 'Valid' ),   # odd spacing\r\n"
    "    layers.AveragePooling2D(2, padding=\"SAME\"),\r\n"
    "])\r\n"
)


def test_fix_rewrites_only_the_spans(padlint, tmp_path):
    (tmp_path / "messy.py").write_bytes(MESSY.encode())
    result = padlint("--fix", "--output-format", "concise", "messy.py", cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    assert result.lines == ["Found 2 findings (2 fixed, 0 remaining); checked 1 model in 1 file."]
    assert (tmp_path / "messy.py").read_bytes() == MESSY.replace("'Valid'", "'valid'").replace('"SAME"', '"same"').encode()


def test_fix_keeps_a_bom_and_a_declared_encoding(padlint, tmp_path):
    with_bom = b"\xef\xbb\xbf" + BAD_PADDING.encode()
    latin = ("# -*- coding: latin-1 -*-\n# caf\u00e9\n" + BAD_PADDING).encode("latin-1")
    (tmp_path / "bom.py").write_bytes(with_bom)
    (tmp_path / "latin.py").write_bytes(latin)
    assert padlint("--fix", ".", cwd=tmp_path).code == 0
    assert (tmp_path / "bom.py").read_bytes() == with_bom.replace(b'"Valid"', b'"valid"')
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(b'"Valid"', b'"valid"')


def test_fix_reports_what_remains_and_exits_1(padlint, tmp_path):
    write(tmp_path, {"padding.py": BAD_PADDING, "shrink.py": SHRINK})
    result = padlint("--fix", "--output-format", "concise", ".", cwd=tmp_path)
    assert result.code == 1
    assert [code for _, _, code in codes(result.stdout)] == ["PAD201"]
    assert result.lines[-1] == "Found 2 findings (1 fixed, 1 remaining); checked 2 models in 2 files."
    assert 'padding="valid"' in (tmp_path / "padding.py").read_text()
    assert (tmp_path / "shrink.py").read_text() == SHRINK


def test_diff_prints_and_does_not_write(padlint, tmp_path):
    write(tmp_path, {"padding.py": BAD_PADDING, "shrink.py": SHRINK})
    result = padlint("--diff", ".", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout == (
        "--- padding.py\n"
        "+++ padding.py\n"
        "@@ -2,6 +2,6 @@\n"
        " \n"
        " model = models.Sequential([\n"
        "     layers.Input(shape=(28, 28, 1)),\n"
        '-    layers.MaxPooling2D(2, padding="Valid"),\n'
        '+    layers.MaxPooling2D(2, padding="valid"),\n'
        '     layers.Conv2D(8, 3, padding="same"),\n'
        " ])\n"
        "\n"
    )
    assert result.stderr == "Would fix 1 finding.\n"
    assert (tmp_path / "padding.py").read_text() == BAD_PADDING
    nothing = padlint("--diff", "shrink.py", cwd=tmp_path)
    assert (nothing.code, nothing.stdout, nothing.stderr) == (0, "", "No fixes available.\n")


def test_fix_from_stdin_writes_the_source_to_stdout(padlint, tmp_path):
    result = padlint("--fix", "-", "--stdin-filename", "padding.py", cwd=tmp_path, stdin=BAD_PADDING)
    assert result.code == 0
    assert result.stdout == BAD_PADDING.replace('"Valid"', '"valid"')
    assert "1 fixed, 0 remaining" in result.stderr
    unchanged = padlint("--fix", "-", "--stdin-filename", "shrink.py", cwd=tmp_path, stdin=SHRINK)
    assert (unchanged.code, unchanged.stdout) == (1, SHRINK)
    assert "PAD201" in unchanged.stderr


def test_fix_in_a_notebook_keeps_the_json_as_it_was(padlint, tree):
    before = (tree / "notebooks" / "pooling.ipynb").read_text()
    result = padlint("--fix", "--output-format", "concise", "notebooks", cwd=tree)
    after = (tree / "notebooks" / "pooling.ipynb").read_text()
    # Only the one line of the cell changed.
    changed = [(old, new) for old, new in zip(before.splitlines(), after.splitlines()) if old != new]
    assert changed == [('    "    layers.MaxPooling2D(2, padding=\\"Valid\\"),\\n",', '    "    layers.MaxPooling2D(2, padding=\\"valid\\"),\\n",')]
    assert len(before.splitlines()) == len(after.splitlines())
    json.loads(after)
    # The fix lets the analysis go further: the odd size pooled by 2 is now reported.
    assert result.stdout.startswith("notebooks/pooling.ipynb:cell 5:4:5: PAD203 ")
    assert result.code == 1


def _finding(line: int, start: int, end: int, replacement: str, safe: bool = True, end_line: int | None = None) -> Finding:
    edit = Edit(line, start, end_line or line, end, replacement, safe)
    return Finding("x.py", line, start + 1, line, end + 1, "PAD999", "test", "warning", "m", "f", (edit,))


def test_unsafe_edits_need_unsafe_fixes():
    source = SourceFile(path="x.py", text="a = 1\nb = 2\n")
    unsafe = _finding(1, 4, 5, "10", safe=False)
    assert apply_fixes(source, [unsafe]) == (source, 0)
    fixed, count = apply_fixes(source, [unsafe], unsafe=True)
    assert (fixed.text, count) == ("a = 10\nb = 2\n", 1)


def test_overlapping_edits_wait_for_the_next_round():
    source = SourceFile(path="x.py", text="value = 12345\n")
    fixed, count = apply_fixes(source, [_finding(1, 8, 11, "x"), _finding(1, 10, 13, "y"), _finding(1, 0, 5, "name")])
    assert (fixed.text, count) == ("name = x45\n", 2)


def test_multiline_edit_in_a_python_file():
    source = SourceFile(path="x.py", text="f(a,\n  b)\nrest\n")
    fixed, count = apply_fixes(source, [_finding(1, 2, 3, "x", end_line=2)])
    assert (fixed.text, count) == ("f(x)\nrest\n", 1)


def test_notebook_edit_across_lines_is_not_applied():
    raw = json.dumps({"cells": [{"cell_type": "code", "source": ["a = (1,\n", " 2)\n"], "metadata": {}, "outputs": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    source = notebook_source("nb.ipynb", raw.encode())
    assert apply_fixes(source, [_finding(1, 4, 3, "x", end_line=2)]) == (source, 0)
    fixed, count = apply_fixes(source, [_finding(2, 1, 2, "3")])
    assert count == 1 and json.loads(fixed.raw)["cells"][0]["source"] == ["a = (1,\n", " 3)\n"]


def test_notebook_edit_in_a_cell_given_as_one_string():
    raw = json.dumps({"cells": [
        {"cell_type": "markdown", "source": "# title", "metadata": {}},
        {"cell_type": "code", "source": "x = 'é'\ny = 'Valid'\n", "metadata": {}, "outputs": []},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, ensure_ascii=False)
    source = notebook_source("nb.ipynb", raw.encode())
    fixed, count = apply_fixes(source, [_finding(2, 4, 11, "'valid'")])
    assert count == 1
    assert json.loads(fixed.raw)["cells"][1]["source"] == "x = 'é'\ny = 'valid'\n"
    assert fixed.raw == raw.replace("'Valid'", "'valid'")
