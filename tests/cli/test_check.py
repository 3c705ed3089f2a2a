"""``padlint [check]`` end to end: exit codes, rule selection, noqa, stdin, output files, messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from padlint import __version__
from tests.cli.conftest import write
from tests.cli.models import (
    BAD_PADDING,
    BAD_PADDING_AT,
    BLOWUP,
    BLOWUP_AT,
    CLEAN,
    SHRINK,
    SHRINK_AT,
    UNKNOWN_INPUT,
    UNKNOWN_INPUT_AT,
    codes,
)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A small project: three files with findings, one without, one that is not Python."""
    return write(tmp_path, {
        "src/shrink.py": SHRINK,
        "src/blowup.py": BLOWUP,
        "src/padding.py": BAD_PADDING,
        "src/clean.py": CLEAN,
        "src/readme.txt": "not python\n",
    })


ALL_FINDINGS = [
    ("src/blowup.py", BLOWUP_AT, "PAD301"),
    ("src/padding.py", BAD_PADDING_AT, "PAD102"),
    ("src/shrink.py", SHRINK_AT, "PAD201"),
]


def test_findings_exit_1_and_ruff_like_lines(padlint, mixed):
    result = padlint("src", cwd=mixed)
    assert result.code == 1, result.stderr
    assert result.stdout.startswith("src/blowup.py:7:5: PAD301 dense (Dense, line 7) after Flatten holds ")
    assert result.lines[-2:] == ["Found 3 findings (1 error, 2 warnings); checked 4 models in 4 files, 1 incomplete: run with -v.", "[*] 1 fixable with the `--fix` option."]
    assert result.stderr == ""


def test_check_is_the_default_command(padlint, mixed):
    assert padlint("check", "--output-format", "concise", "src", cwd=mixed).stdout == padlint("--output-format", "concise", "src", cwd=mixed).stdout


def test_no_path_means_the_current_folder(padlint, mixed):
    assert codes(padlint("--output-format", "concise", cwd=mixed).stdout) == ALL_FINDINGS


def test_clean_file_exits_0(padlint, mixed):
    result = padlint("src/clean.py", cwd=mixed)
    assert (result.code, result.stdout, result.stderr) == (0, "All checks passed! (1 model in 1 file)\n", "")


def test_exit_zero(padlint, mixed):
    result = padlint("--exit-zero", "src", cwd=mixed)
    assert result.code == 0 and "PAD301" in result.stdout


@pytest.mark.parametrize("arguments, message", [
    (["--bogus"], "padlint: error: unrecognized arguments: --bogus"),
    (["--output-format", "xml", "src"], "padlint: error: argument --output-format: invalid choice: 'xml'"),
    (["--select", "E501", "src"], "padlint: error: --select: unknown rule selector 'E501'"),
    (["--per-file-ignores", "PAD301", "src"], "padlint: error: --per-file-ignores: expected PATTERN:CODES"),
    (["--input-shape", "big", "src"], "padlint: error: --input-shape: cannot read 'big'"),
    (["-", "src"], "padlint: error: `-` (stdin) cannot be combined with other paths"),
    (["--config", "nothing-here", "src"], "padlint: error: --config: 'nothing-here' is neither a file nor a TOML KEY = VALUE"),
])
def test_usage_errors_exit_2_with_one_line(padlint, mixed, arguments, message):
    result = padlint(*arguments, cwd=mixed)
    assert result.code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message), result.stderr


@pytest.mark.parametrize("arguments, expected", [
    ([], ALL_FINDINGS),
    (["--select", "ALL"], ALL_FINDINGS),
    (["--select", "PAD301"], ALL_FINDINGS[:1]),
    (["--select", "PAD2,PAD3"], [ALL_FINDINGS[0], ALL_FINDINGS[2]]),
    (["--select", "PAD"], ALL_FINDINGS),
    (["--ignore", "PAD3"], ALL_FINDINGS[1:]),
    (["--ignore", "ALL"], []),
    (["--ignore", "ALL", "--extend-select", "PAD102"], [ALL_FINDINGS[1]]),
    (["--select", "PAD2", "--extend-select", "PAD102"], ALL_FINDINGS[1:]),
    (["--ignore", "PAD", "--select", "PAD201"], [ALL_FINDINGS[2]]),  # the more specific selector wins
    (["--select", "PAD201", "--ignore", "PAD201"], []),  # equal specificity: ignore wins
    (["--select", "pad301"], ALL_FINDINGS[:1]),
])
def test_rule_selection(padlint, mixed, arguments, expected):
    result = padlint("--output-format", "concise", *arguments, "src", cwd=mixed)
    assert codes(result.stdout) == expected
    assert result.code == (1 if expected else 0)


def test_per_file_ignores_on_the_command_line(padlint, mixed):
    result = padlint("--output-format", "concise", "--per-file-ignores", "blowup.py:PAD3,src/shrink.py:PAD201", "src", cwd=mixed)
    assert codes(result.stdout) == [ALL_FINDINGS[1]]
    repeated = padlint("--output-format", "concise", "--per-file-ignores", "src/*.py:PAD1", "--per-file-ignores", "shrink.py:ALL", "src", cwd=mixed)
    assert codes(repeated.stdout) == [ALL_FINDINGS[0]]


def test_noqa(padlint, tmp_path):
    write(tmp_path, {
        "coded.py": BLOWUP.replace('Dense(256, activation="relu"),', 'Dense(256, activation="relu"),  # noqa: PAD301'),
        "bare.py": BLOWUP.replace('Dense(256, activation="relu"),', 'Dense(256, activation="relu"),  # noqa'),
        "prefix.py": BLOWUP.replace('Dense(256, activation="relu"),', 'Dense(256, activation="relu"),  # noqa: PAD3'),
        "other.py": BLOWUP.replace('Dense(256, activation="relu"),', 'Dense(256, activation="relu"),  # noqa: PAD201'),
    })
    result = padlint("--output-format", "concise", ".", cwd=tmp_path)
    assert codes(result.stdout) == [("other.py", BLOWUP_AT, "PAD301")]


def test_stdin(padlint, tmp_path):
    result = padlint("-", "--output-format", "concise", cwd=tmp_path, stdin=SHRINK)
    assert codes(result.stdout) == [("-", SHRINK_AT, "PAD201")]
    named = padlint("-", "--stdin-filename", "models/cnn.py", "--output-format", "concise", cwd=tmp_path, stdin=SHRINK)
    assert codes(named.stdout) == [("models/cnn.py", SHRINK_AT, "PAD201")]
    assert named.code == 1
    clean = padlint("-", cwd=tmp_path, stdin=CLEAN)
    assert (clean.code, clean.stdout) == (0, "All checks passed! (1 model in 1 file)\n")


def test_stdin_filename_picks_per_file_ignores_and_notebooks(padlint, tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.padlint]\nper-file-ignores = { "experiments/*" = ["PAD2"] }\n'})
    ignored = padlint("-", "--stdin-filename", "experiments/a.py", cwd=tmp_path, stdin=SHRINK)
    assert (ignored.code, ignored.stdout) == (0, "All checks passed! (1 model in 1 file)\n")
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": SHRINK.splitlines(keepends=True), "metadata": {}, "outputs": [], "execution_count": 1}],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    result = padlint("-", "--stdin-filename", "nb.ipynb", "--output-format", "concise", cwd=tmp_path, stdin=notebook)
    assert result.stdout.startswith("nb.ipynb:cell 1:7:5: PAD201 ")


def test_output_file(padlint, mixed):
    result = padlint("--output-format", "json", "-o", "reports/padlint.json", "src", cwd=mixed)
    assert result.code == 1
    assert result.stdout == ""
    document = json.loads((mixed / "reports" / "padlint.json").read_text())
    assert [(item["path"], f"{item['line']}:{item['column']}", item["code"]) for item in document] == ALL_FINDINGS


def test_output_file_that_cannot_be_written(padlint, mixed):
    (mixed / "taken").write_text("")
    result = padlint("-o", "taken/report.txt", "src", cwd=mixed)
    assert result.code == 2 and len(result.stderr.splitlines()) == 1 and "--output-file" in result.stderr


def test_quiet_and_silent(padlint, mixed):
    quiet = padlint("-q", "--output-format", "concise", "src", cwd=mixed)
    assert len(quiet.lines) == 3 and all(line.startswith("src/") for line in quiet.lines)
    silent = padlint("-s", "src", cwd=mixed)
    assert (silent.code, silent.stdout, silent.stderr) == (1, "", "")


def test_verbose_reports_on_stderr(padlint, mixed):
    result = padlint("-v", "--output-format", "concise", "src", cwd=mixed)
    assert "padlint: checked 4 files in " in result.stderr
    assert codes(result.stdout) == ALL_FINDINGS


def test_statistics(padlint, mixed):
    result = padlint("--statistics", "src", cwd=mixed)
    assert result.lines == [
        "1\tPAD102\t[*] invalid-padding",
        "1\tPAD201\t[ ] valid-padding-shrinkage",
        "1\tPAD301\t[ ] flatten-param-blowup",
        "Found 3 findings (1 error, 2 warnings); checked 4 models in 4 files, 1 incomplete: run with -v.",
        "[*] 1 fixable with the `--fix` option.",
    ]
    as_json = json.loads(padlint("--statistics", "--output-format", "json", "src", cwd=mixed).stdout)
    assert as_json[0] == {"code": "PAD102", "name": "invalid-padding", "count": 1, "fixable": True}


def test_version(padlint, tmp_path):
    assert padlint("--version", cwd=tmp_path).stdout == f"padlint {__version__}\n"


def test_input_shape(padlint, tmp_path):
    write(tmp_path, {"unknown.py": UNKNOWN_INPUT})
    assert padlint("unknown.py", cwd=tmp_path).code == 0
    result = padlint("--output-format", "concise", "--input-shape", "10,10,1", "unknown.py", cwd=tmp_path)
    assert codes(result.stdout) == [("unknown.py", UNKNOWN_INPUT_AT, "PAD201")]


def test_unreadable_files_are_findings_and_the_run_goes_on(padlint, tmp_path):
    write(tmp_path, {"good.py": SHRINK, "broken.py": "def f(:\n", "broken.ipynb": '{"cells": [\n'})
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02")
    result = padlint("--output-format", "concise", ".", cwd=tmp_path)
    assert result.code == 1
    assert [line.split(" PAD001 ")[0] for line in result.lines if " PAD001 " in line] == ["binary.py:1:1:", "broken.ipynb:2:1:", "broken.py:1:7:"]
    assert "invalid notebook JSON" in result.stdout
    assert ("good.py", SHRINK_AT, "PAD201") in codes(result.stdout)


def test_missing_path_is_reported(padlint, tmp_path):
    result = padlint("--output-format", "concise", "nowhere.py", cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0] == "nowhere.py:1:1: PAD001 cannot read: No such file or directory"
    assert "= help: check that the path exists and can be read" in padlint("nowhere.py", cwd=tmp_path).stdout


def test_colour_only_on_request_or_terminal(padlint, mixed):
    from tests.cli.conftest import clean_environment

    plain = padlint("src", cwd=mixed)
    assert "\x1b[" not in plain.stdout
    forced = padlint("src", cwd=mixed, env=clean_environment(FORCE_COLOR="1"))
    assert "\x1b[1;33mPAD301\x1b[0m" in forced.stdout
    assert "\x1b[" not in padlint("src", cwd=mixed, env=clean_environment(FORCE_COLOR="1", NO_COLOR="1")).stdout


def test_output_format_from_the_environment(padlint, mixed):
    from tests.cli.conftest import clean_environment

    result = padlint("src", cwd=mixed, env=clean_environment(PADLINT_OUTPUT_FORMAT="pylint"))
    assert result.lines[0].startswith("src/blowup.py:7: [PAD301] ")


def test_show_files(padlint, mixed):
    assert padlint("--show-files", "src", cwd=mixed).lines == ["src/blowup.py", "src/clean.py", "src/padding.py", "src/shrink.py"]


def test_rule_and_rules_commands(padlint, tmp_path):
    rule = padlint("rule", "PAD201", cwd=tmp_path)
    assert rule.code == 0
    assert rule.stdout.startswith("## PAD201 valid-padding-shrinkage (warning)")
    assert "### Example" in rule.stdout and "max-shrinkage" in rule.stdout
    assert padlint("rule", "valid-padding-shrinkage", cwd=tmp_path).stdout == rule.stdout
    unknown = padlint("rule", "PAD999", cwd=tmp_path)
    assert unknown.code == 2 and unknown.stderr.startswith("padlint: error: unknown rule 'PAD999'")
    listing = padlint("rules", cwd=tmp_path)
    assert listing.code == 0
    assert any(line.startswith("PAD301  flatten-param-blowup") for line in listing.lines)
    documents = json.loads(padlint("rules", "--output-format", "json", cwd=tmp_path).stdout)
    assert {"PAD001", "PAD102", "PAD201", "PAD203", "PAD301"} <= {item["code"] for item in documents}


def test_summary_command_still_works(padlint, tmp_path):
    write(tmp_path, {"shrink.py": SHRINK})
    text = padlint("summary", "shrink.py", cwd=tmp_path)
    assert text.code == 0 and "conv2d_2 (Conv2D)" in text.stdout and "(None, 8, 8, 128)" in text.stdout
    document = json.loads(padlint("summary", "--output-format", "json", "shrink.py", cwd=tmp_path).stdout)
    assert document["files"][0]["models"][0]["outputs"] == [[None, 2]]
    explained = padlint("summary", "--explain", "shrink.py", cwd=tmp_path)
    assert "floor(" in explained.stdout


def test_internal_errors_name_the_file_and_exit_2(padlint, tmp_path):
    """A rule that crashes (simulated with a plugin module on PYTHONPATH) is reported per file; the run goes on."""
    from tests.cli.conftest import clean_environment

    write(tmp_path, {
        "good.py": SHRINK,
        "crash.py": CLEAN,
        "plugins/sitecustomize.py": (
            "import padlint.checker as checker\n"
            "original = checker.check_analysis\n"
            "def check_analysis(analysis, settings=None):\n"
            "    if analysis.source.path.endswith('crash.py'):\n"
            "        raise RuntimeError('boom')\n"
            "    return original(analysis, settings)\n"
            "checker.check_analysis = check_analysis\n"
        ),
    })
    result = padlint("--output-format", "concise", ".", cwd=tmp_path, env=clean_environment(PYTHONPATH=str(tmp_path / "plugins")))
    assert result.code == 2
    assert f"padlint: internal error in crash.py (padlint {__version__}): RuntimeError: boom" in result.stderr
    assert ("good.py", SHRINK_AT, "PAD201") in codes(result.stdout)
