"""Configuration files: discovery (walking up, nearest wins), precedence, validation (exit 2, one line)."""

from __future__ import annotations

import pytest

from tests.cli.conftest import write
from tests.cli.models import (
    BLOWUP,
    BLOWUP_AT,
    SHRINK,
    SHRINK_AT,
    UNKNOWN_INPUT,
    UNKNOWN_INPUT_AT,
    codes,
)


def concise(padlint, *arguments, cwd):
    return padlint("--output-format", "concise", *arguments, cwd=cwd)


def test_pyproject_found_by_walking_up_from_the_checked_paths(padlint, tmp_path):
    write(tmp_path, {
        "project/pyproject.toml": "[tool.padlint]\nignore = [\"PAD301\"]\n",
        "project/src/deep/blowup.py": BLOWUP,
        "project/src/deep/shrink.py": SHRINK,
    })
    # From outside the project: the configuration is found above the files, not the current folder.
    result = concise(padlint, "project/src", cwd=tmp_path)
    assert codes(result.stdout) == [("project/src/deep/shrink.py", SHRINK_AT, "PAD201")]
    # From inside a subfolder.
    inside = concise(padlint, ".", cwd=tmp_path / "project" / "src" / "deep")
    assert codes(inside.stdout) == [("shrink.py", SHRINK_AT, "PAD201")]


def test_pyproject_without_padlint_table_is_skipped(padlint, tmp_path):
    write(tmp_path, {
        "padlint.toml": "ignore = [\"PAD2\"]\n",
        "sub/pyproject.toml": "[project]\nname = \"x\"\n",
        "sub/shrink.py": SHRINK,
    })
    assert codes(concise(padlint, "sub", cwd=tmp_path).stdout) == []


def test_nearest_configuration_wins_per_file(padlint, tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.padlint]\nselect = [\"PAD3\"]\n",
        "a/blowup.py": BLOWUP,
        "a/shrink.py": SHRINK,
        "b/padlint.toml": "select = [\"PAD2\"]\n",
        "b/blowup.py": BLOWUP,
        "b/shrink.py": SHRINK,
    })
    result = concise(padlint, ".", cwd=tmp_path)
    assert codes(result.stdout) == [("a/blowup.py", BLOWUP_AT, "PAD301"), ("b/shrink.py", SHRINK_AT, "PAD201")]


def test_in_one_folder_padlint_toml_beats_pyproject(padlint, tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.padlint]\nselect = [\"PAD3\"]\n",
        "padlint.toml": "select = [\"PAD2\"]\n",
        "blowup.py": BLOWUP,
        "shrink.py": SHRINK,
    })
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == [("shrink.py", SHRINK_AT, "PAD201")]
    write(tmp_path, {".padlint.toml": "select = [\"PAD301\"]\n"})
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == [("blowup.py", BLOWUP_AT, "PAD301")]


def test_command_line_overrides_configuration(padlint, tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.padlint]\nignore = [\"PAD301\"]\n", "blowup.py": BLOWUP, "shrink.py": SHRINK})
    # --select starts a new layer: the configured ignore no longer applies (ruff's semantics).
    assert codes(concise(padlint, "--select", "PAD301", ".", cwd=tmp_path).stdout) == [("blowup.py", BLOWUP_AT, "PAD301")]
    # --extend-select adds to the configured selection.
    assert len(codes(concise(padlint, "--extend-select", "PAD301", ".", cwd=tmp_path).stdout)) == 2
    # --ignore adds to it.
    assert codes(concise(padlint, "--ignore", "PAD201", ".", cwd=tmp_path).stdout) == []


def test_per_file_ignores_relative_to_the_configuration(padlint, tmp_path):
    write(tmp_path, {
        "project/pyproject.toml": '[tool.padlint.per-file-ignores]\n"experiments/**" = ["PAD2"]\n"blowup.py" = ["PAD301"]\n',
        "project/experiments/a/shrink.py": SHRINK,
        "project/src/shrink.py": SHRINK,
        "project/src/blowup.py": BLOWUP,
    })
    result = concise(padlint, "project", cwd=tmp_path)
    assert codes(result.stdout) == [("project/src/shrink.py", SHRINK_AT, "PAD201")]


def test_exclude_and_extend_exclude(padlint, tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.padlint]\nextend-exclude = ["generated", "/legacy.py"]\n',
        "generated/model.py": SHRINK,
        "legacy.py": SHRINK,
        "src/legacy.py": SHRINK,
        "build/model.py": SHRINK,  # a default exclude
    })
    assert padlint("--show-files", cwd=tmp_path).lines == ["src/legacy.py"]
    # A file named explicitly is checked anyway, unless --force-exclude.
    assert padlint("--show-files", "legacy.py", cwd=tmp_path).lines == ["legacy.py"]
    assert padlint("--show-files", "--force-exclude", "legacy.py", cwd=tmp_path).lines == []
    # exclude replaces the defaults.
    write(tmp_path, {"pyproject.toml": '[tool.padlint]\nexclude = ["src"]\nforce-exclude = true\n'})
    assert padlint("--show-files", cwd=tmp_path).lines == ["build/model.py", "generated/model.py", "legacy.py"]
    assert padlint("--show-files", "src/legacy.py", cwd=tmp_path).lines == []
    # On the command line.
    assert padlint("--show-files", "--exclude", "build,generated", "--extend-exclude", "legacy.py", cwd=tmp_path).lines == []


def test_rule_thresholds(padlint, tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrinkage = 0.7\n", "shrink.py": SHRINK})
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == []
    write(tmp_path, {"pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrinkage = 0.5\n"})
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == [("shrink.py", SHRINK_AT, "PAD201")]
    # --config KEY=VALUE overrides the file.
    overridden = concise(padlint, "--config", "rules.PAD201.max-shrinkage = 0.7", ".", cwd=tmp_path)
    assert codes(overridden.stdout) == []


def test_input_shape_from_configuration(padlint, tmp_path):
    write(tmp_path, {"padlint.toml": "input-shape = [10, 10, 1]\n", "unknown.py": UNKNOWN_INPUT})
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == [("unknown.py", UNKNOWN_INPUT_AT, "PAD201")]
    write(tmp_path, {"padlint.toml": "input-shape = \"100,100,1\"\n"})
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == []
    assert codes(concise(padlint, "--input-shape", "10,10,1", ".", cwd=tmp_path).stdout) == [("unknown.py", UNKNOWN_INPUT_AT, "PAD201")]


def test_output_format_from_configuration(padlint, tmp_path):
    write(tmp_path, {"pyproject.toml": "[tool.padlint]\noutput-format = \"pylint\"\n", "shrink.py": SHRINK})
    assert padlint(".", cwd=tmp_path).lines[0].startswith("shrink.py:7: [PAD201] 3 'valid' convolutions")
    assert padlint("--output-format", "concise", ".", cwd=tmp_path).lines[0].startswith("shrink.py:7:5: PAD201 ")


def test_config_option_with_a_file_and_isolated(padlint, tmp_path):
    write(tmp_path, {
        "pyproject.toml": "[tool.padlint]\nselect = [\"PAD3\"]\n",
        "elsewhere/strict.toml": "select = [\"PAD2\"]\n",
        "shrink.py": SHRINK,
    })
    assert codes(concise(padlint, ".", cwd=tmp_path).stdout) == []
    assert len(codes(concise(padlint, "--config", "elsewhere/strict.toml", ".", cwd=tmp_path).stdout)) == 1
    assert len(codes(concise(padlint, "--isolated", ".", cwd=tmp_path).stdout)) == 1


@pytest.mark.parametrize("files, message", [
    ({"pyproject.toml": "[tool.padlint]\nselct = [\"PAD2\"]\n"},
     "padlint: error: pyproject.toml: [tool.padlint]: unknown key 'selct' (did you mean 'select'?)"),
    ({"pyproject.toml": "[tool.padlint]\nselect = \"PAD2\"\n"},
     "padlint: error: pyproject.toml: [tool.padlint] select: expected a list of strings, got 'PAD2'"),
    ({"pyproject.toml": "[tool.padlint]\nignore = [\"E501\"]\n"},
     "padlint: error: pyproject.toml: [tool.padlint] ignore: unknown rule selector 'E501'"),
    ({"pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrinkage = \"big\"\n"},
     "padlint: error: pyproject.toml: [tool.padlint] rules.PAD201.max-shrinkage: expected a number, got 'big'"),
    ({"pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrink = 0.3\n"},
     "padlint: error: pyproject.toml: [tool.padlint] rules.PAD201.max-shrink: unknown option for PAD201 valid-padding-shrinkage (did you mean 'max-shrinkage'?)"),
    ({"pyproject.toml": "[tool.padlint.rules.PAD999]\nx = 1\n"},
     "padlint: error: pyproject.toml: [tool.padlint] rules.PAD999: unknown rule code"),
    ({"padlint.toml": "respect-gitignore = \"yes\"\n"},
     "padlint: error: padlint.toml: respect-gitignore: expected true or false, got 'yes'"),
    ({"padlint.toml": "input-shape = [0, 3]\n"},
     "padlint: error: padlint.toml: input-shape: expected a shape such as [224, 224, 3]"),
    ({"padlint.toml": "per-file-ignores = [\"a.py:PAD2\"]\n"},
     "padlint: error: padlint.toml: per-file-ignores: expected a table of pattern = [codes]"),
    ({"padlint.toml": "select = [\n"},
     "padlint: error: padlint.toml: invalid TOML: "),
])
def test_bad_configuration_exits_2_with_one_line_naming_the_key(padlint, tmp_path, files, message):
    write(tmp_path, {**files, "shrink.py": SHRINK})
    result = padlint(".", cwd=tmp_path)
    assert result.code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(message), result.stderr


def test_bad_override_names_the_option(padlint, tmp_path):
    write(tmp_path, {"shrink.py": SHRINK})
    result = padlint("--config", "selct = ['PAD2']", ".", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == "padlint: error: --config: unknown key 'selct' (did you mean 'select'?)\n"
    broken = padlint("--config", "select = [", ".", cwd=tmp_path)
    assert broken.code == 2 and len(broken.stderr.splitlines()) == 1


def test_show_settings(padlint, tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.padlint]\nignore = ["PAD3"]\ninput-shape = [32, 32, 3]\n[tool.padlint.rules.PAD201]\nmax-shrinkage = 0.4\n',
        "shrink.py": SHRINK,
    })
    result = padlint("--show-settings", ".", cwd=tmp_path)
    assert result.code == 0
    assert result.lines[:2] == ["Resolved settings for: shrink.py", "Settings path: pyproject.toml"]
    assert "PAD201" in result.stdout.split("enabled-rules = ")[1].splitlines()[0]
    assert "PAD301" not in result.stdout.split("enabled-rules = ")[1].splitlines()[0]
    assert 'input-shape = [32, 32, 3]' in result.lines
    assert "max-shrinkage = 0.4" in result.lines
