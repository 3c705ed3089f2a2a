"""No output carries a raw control character from the user's files (issue 16).

A layer, model or file name holding ``\\n::error file=...::`` would start a GitHub
workflow command of its own in a CI log; ``\\x1b]0;...`` retitles a terminal, CSI
sequences (``\\x1b[2J``, C1 ``\\x9b``) clear or move it; a lone surrogate
(``name="\\ud800"``) cannot be written as UTF-8 at all. Each format of each command
runs on a tree holding all of them, in this process (the in-process streams are
strict UTF-8, as a pipe is), and every line must be one padlint wrote: no raw control
character, no line beginning with ``::`` but padlint's own annotations.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from padlint.cli import main
from tests.robustness.support import run_padlint

pytestmark = pytest.mark.timeout(120)

#: What the hostile names hold, written as Python escapes in the source: a GitHub workflow
#: command on a line of its own, a terminal title change, a C1 CSI clearing the screen, a
#: line separator, a right-to-left override and a lone surrogate.
PAYLOAD = r"x\n::error file=pwned.py,line=1::INJECTED\x1b]0;TITLE\x07\x9b2J\u2028\u202e\ud800"
#: The same as the text padlint's evaluator gives the layer.
PAYLOAD_TEXT = "x\n::error file=pwned.py,line=1::INJECTED\x1b]0;TITLE\x07\x9b2J\u2028\u202e\ud800"
#: A file name holding a newline, a workflow command and an escape sequence.
EVIL_NAME = "evil\n::error file=pwned.py::INJECTED\x1b[2J.py"
#: A file name with a C1 byte (not UTF-8: it reaches padlint as the surrogate escape U+DC9B).
C1_NAME = b"c1\x9bname.py"

#: Characters no text output may hold (tabs only where padlint puts them: --statistics).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ud800-\udfff]")


def _model(index: int) -> str:
    """A model whose Conv1D sees a rank-2 input (PAD103, an error), its layer and model named hostilely."""
    return (
        f'model_{index} = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3, name="{PAYLOAD}{index}")], name="m{PAYLOAD}")\n'
    )


HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
#: Twelve errors in one file: two past GitHub's 10 annotations per level.
MANY = HEADER + "".join(_model(index) for index in range(12))
ONE = HEADER + _model(0)
#: Nested past padlint's limit: a note names the file (``padlint: note: PATH: ...``).
DEEP = HEADER + "x = " + "-" * 700 + "1\n" + "y = keras.layers.Dense(2)\n"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "many.py").write_text(MANY)
    (tmp_path / EVIL_NAME).write_text(ONE)
    (tmp_path / ("deep" + EVIL_NAME)).write_text(DEEP)
    descriptor = os.open(os.path.join(os.fsencode(tmp_path), C1_NAME), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(descriptor, ONE.encode())
    os.close(descriptor)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def _run(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, str, str]:
    code = main([*arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clean(text: str, allowed_commands: int = 0, tabs: bool = False) -> None:
    """No raw control character, and no line a GitHub runner would take as a command but padlint's own."""
    checked = text.replace("\t", " ") if tabs else text
    found = RAW_CONTROL.search(checked)
    assert found is None, f"raw {found.group()!r} at {found.start()}: {text[max(found.start() - 80, 0):found.start() + 40]!r}"
    commands = [line for line in text.splitlines() if line.lstrip().startswith("::")]
    ours = [line for line in commands if re.match(r"::(error|warning|notice) (file=[^,]*,line=\d+|title=padlint)", line)]
    assert commands == ours and len(commands) == allowed_commands, commands
    assert not any(line.startswith(("INJECTED", "::error file=pwned")) for line in text.splitlines())


TEXT_FORMATS = ["full", "concise", "grouped", "pylint"]


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
def test_text_formats_escape_names_messages_and_paths(hostile: Path, capsys: pytest.CaptureFixture, output_format: str) -> None:
    code, out, err = _run(capsys, "check", "--no-cache", "-j1", "-v", "--output-format", output_format, ".")
    assert code == 1, err
    assert_clean(out)
    assert_clean(err)
    assert "INJECTED" in out and r"\x1b]0;TITLE\x07" in out and r"\ud800" in out and r"\x9b2J" in out
    assert "c1\\x9bname.py" in out  # the C1 byte of the name, shown escaped
    assert r"evil\n::error file=pwned.py::INJECTED\x1b[2J.py" in out
    assert r"padlint: note: deepevil\n::error" in err  # the -v note names the file, escaped


def test_github_annotations_and_the_lines_past_the_limit_are_escaped(hostile: Path, capsys: pytest.CaptureFixture) -> None:
    """14 errors: 10 annotations, 4 plain log lines, one closing notice."""
    code, out, _ = _run(capsys, "check", "--no-cache", "-j1", "--output-format", "github", ".")
    assert code == 1
    assert_clean(out, allowed_commands=11)
    lines = out.splitlines()
    assert len(lines) == 15
    assert sum("INJECTED" in line for line in lines[10:14]) == 4  # the overflow lines, escaped, not dropped


def test_github_overflow_lines_never_begin_a_workflow_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """A file named ``::error file=x::y.py``: its findings past the limit are printed as plain
    lines that begin with the path, which the runner must not take for a command."""
    (tmp_path / "::error file=pwned.py::INJECTED.py").write_text(MANY)
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run(capsys, "check", "--no-cache", "-j1", "--output-format", "github", ".")
    assert code == 1
    assert_clean(out, allowed_commands=11)


@pytest.mark.parametrize("output_format", ["json", "json-lines", "sarif"])
def test_json_formats_keep_every_name_and_encode_as_utf8(hostile: Path, capsys: pytest.CaptureFixture, output_format: str) -> None:
    code, out, err = _run(capsys, "check", "--no-cache", "-j1", "--output-format", output_format, ".")
    assert code == 1, err
    out.encode("utf-8")  # strict: no lone surrogate
    assert RAW_CONTROL.search(out) is None
    documents = [json.loads(line) for line in out.splitlines()] if output_format == "json-lines" else json.loads(out)
    text = json.dumps(documents)
    assert json.dumps(PAYLOAD_TEXT)[1:-1] in text  # the layer name, exactly, once decoded
    if output_format == "sarif":
        uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in documents["runs"][0]["results"]}
        assert "c1%9Bname.py" in uris and "evil%0A%3A%3Aerror%20file%3Dpwned.py%3A%3AINJECTED%1B%5B2J.py" in uris


@pytest.mark.parametrize("as_json", [False, True])
def test_statistics_are_clean(hostile: Path, capsys: pytest.CaptureFixture, as_json: bool) -> None:
    arguments = ["--output-format", "json"] if as_json else []
    code, out, _ = _run(capsys, "check", "--no-cache", "-j1", "--statistics", *arguments, ".")
    assert code == 1
    assert_clean(out, tabs=True)
    assert "PAD103" in out


@pytest.mark.parametrize("arguments", [(), ("--explain",), ("--output-format", "json")])
def test_summaries_escape_layer_and_model_names(hostile: Path, capsys: pytest.CaptureFixture, arguments: tuple[str, ...]) -> None:
    code, out, err = _run(capsys, "summary", "--no-cache", "-j1", *arguments, ".")
    assert code == 0, err
    assert_clean(out)
    assert_clean(err)
    if arguments == ("--output-format", "json"):
        names = [layer["name"] for file in json.loads(out)["files"] for model in file["models"] for layer in model["layers"]]
        assert PAYLOAD_TEXT + "0" in names
    else:
        assert r"m x\n::error".replace(" ", "") in out.replace(" ", "")
        assert r"padlint: note: deepevil\n::error" in err


def test_show_files_escapes_names(hostile: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = _run(capsys, "check", "--show-files", ".")
    assert code == 0
    assert_clean(out)
    assert len(out.splitlines()) == 4


def test_the_flake8_plugin_yields_escaped_messages(tmp_path: Path) -> None:
    from padlint.flake8_plugin import Plugin

    path = tmp_path / "named.py"
    path.write_text(ONE)
    messages = [message for _, _, message, _ in Plugin(None, str(path), ONE.splitlines(keepends=True)).run()]
    assert messages and all(message.startswith("PAD103 ") for message in messages)
    for message in messages:
        assert RAW_CONTROL.search(message) is None and "\n" not in message, ascii(message)


def test_flake8_itself_runs_on_a_lone_surrogate_name(tmp_path: Path) -> None:
    """The whole flake8 run once stopped with a traceback (flake8 writes UTF-8)."""
    from tests.cli.conftest import run

    (tmp_path / "named.py").write_text(ONE)
    result = run("--isolated", "--select", "PAD", ".", cwd=tmp_path, program="flake8")
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert_clean(result.stdout)
    assert len(result.lines) == 1 and " PAD103 " in result.lines[0]


def test_summary_on_a_stdout_that_cannot_encode_its_table(hostile: Path) -> None:
    """``PYTHONIOENCODING=latin-1`` (or an ASCII terminal): no box-drawing characters there, no traceback."""
    for encoding in ("latin-1", "ascii"):
        run = run_padlint("summary", "many.py", cwd=hostile, env={"PYTHONIOENCODING": encoding})
        assert run.code == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert "Total params:" in run.stdout and "+--" in run.stdout


def test_sarif_on_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """The name's bytes become a percent-encoded URI; the document stays UTF-8 JSON."""
    descriptor = os.open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.py"), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(descriptor, ONE.encode())
    os.close(descriptor)
    run = run_padlint("check", "--output-format", "sarif", ".", cwd=tmp_path)
    assert run.code == 1, run.stderr
    run.stdout.encode("utf-8")
    document = json.loads(run.stdout)
    (result,) = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.py"
