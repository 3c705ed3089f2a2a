"""The flake8 plugin: ``flake8 --select PAD`` in a subprocess reports what ``padlint --output-format concise`` does."""

from __future__ import annotations

import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from padlint import __version__

from tests.cli.conftest import clean_environment, run, write
from tests.cli.models import BLOWUP, BLOWUP_AT, SHRINK, SHRINK_AT
from tests.helpers import FIXTURES, PROJECT


def flake8(*arguments: str, cwd):
    return run("--isolated", "--select", "PAD", *arguments, cwd=cwd, program="flake8")


def _normalise(lines: list[str]) -> list[str]:
    """flake8 prefixes ``./`` when given ``.``; padlint marks fixable findings with ``[*]``."""
    return sorted(line.removeprefix("./").replace(" [*] ", " ", 1) for line in lines)


def test_flake8_reports_padlint_findings(tmp_path):
    write(tmp_path, {"shrink.py": SHRINK, "blowup.py": BLOWUP})
    result = flake8(".", cwd=tmp_path)
    assert result.code == 1, result.stderr
    assert [line.split(" ", 2)[:2] for line in sorted(result.lines)] == [
        [f"./blowup.py:{BLOWUP_AT}:", "PAD301"],
        [f"./shrink.py:{SHRINK_AT}:", "PAD201"],
    ]


def test_flake8_noqa_applies(tmp_path):
    write(tmp_path, {
        "coded.py": SHRINK.replace('Conv2D(128, kernel_size=(7, 7)),', 'Conv2D(128, kernel_size=(7, 7)),  # noqa: PAD201'),
        "bare.py": SHRINK.replace('Conv2D(128, kernel_size=(7, 7)),', 'Conv2D(128, kernel_size=(7, 7)),  # noqa'),
        "other.py": SHRINK.replace('Conv2D(128, kernel_size=(7, 7)),', 'Conv2D(128, kernel_size=(7, 7)),  # noqa: E501'),
    })
    result = flake8(".", cwd=tmp_path)
    assert [line.split(": ")[0] for line in result.lines] == [f"./other.py:{SHRINK_AT}"]
    assert flake8("--extend-ignore", "PAD201", ".", cwd=tmp_path).code == 0


def test_flake8_select_and_other_plugins_unaffected(tmp_path):
    write(tmp_path, {"shrink.py": SHRINK + "import os\n"})
    only_pyflakes = run("--isolated", "--select", "F401", ".", cwd=tmp_path, program="flake8")
    assert [line.split(" ")[1] for line in only_pyflakes.lines] == ["F401"]
    both = run("--isolated", "--select", "F401,PAD", ".", cwd=tmp_path, program="flake8")
    assert sorted(line.split(" ")[1] for line in both.lines) == ["F401", "PAD201"]


def test_flake8_matches_padlint_concise_on_the_fixtures():
    """The Python fixtures of the project (flake8 reads .py files only)."""
    folders = ["seeds", "models", "cli/tree/models", "cli/tree/broken"]
    flake8_lines = flake8("--extend-select", "E999", *folders, cwd=FIXTURES).lines
    padlint_lines = run("--output-format", "concise", "-q", "--isolated", *folders, cwd=FIXTURES).lines
    padlint_python = [line for line in padlint_lines if ".py:" in line]
    # flake8 reports its own E999 for a syntax error (and runs no plugin on that file); padlint says PAD001.
    assert _normalise([line for line in flake8_lines if " E999 " not in line]) == _normalise([line for line in padlint_python if " PAD001 " not in line])
    assert len(padlint_python) >= 10
    def places(lines: list[str], code: str) -> list[str]:
        return [line.rsplit(":", 1)[0] for line in (line.split(": ")[0] for line in lines if f" {code} " in line)]

    assert places(flake8_lines, "E999") == places(padlint_python, "PAD001") == ["cli/tree/broken/syntax_error.py:3"]


def test_plugin_import_is_light_and_never_imports_tensorflow():
    code = (
        "import sys\n"
        "import padlint.flake8_plugin as plugin\n"
        "assert 'libcst' not in sys.modules, 'the engine is imported lazily'\n"
        "lines = open(sys.argv[1]).readlines()\n"
        "found = list(plugin.Plugin(None, sys.argv[1], lines).run())\n"
        "assert found and found[0][2].startswith('PAD201 '), found\n"
        "heavy = [name for name in sys.modules if name.split('.')[0] in ('tensorflow', 'keras', 'jax', 'torch')]\n"
        "assert not heavy, heavy\n"
    )
    path = FIXTURES / "seeds" / "seed_000_zero_padding.py"
    process = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=clean_environment(), timeout=120, check=False)
    assert process.returncode == 0, process.stderr


def test_plugin_is_registered_under_the_pad_prefix(tmp_path):
    """pyproject.toml declares the plugin, and flake8 (in a subprocess) lists padlint among its plugins."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["flake8.extension"] == {"PAD": "padlint.flake8_plugin:Plugin"}
    version = run("--version", cwd=tmp_path, program="flake8")
    assert f"padlint: {__version__}" in version.stdout, version.stdout


def test_flake8_plugin_reads_padlint_thresholds(tmp_path):
    write(tmp_path, {"shrink.py": SHRINK, "pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrinkage = 0.7\n"})
    assert flake8(".", cwd=tmp_path).lines == []
    write(tmp_path, {"pyproject.toml": "[tool.padlint.rules.PAD201]\nmax-shrinkage = \"x\"\n"})
    # A bad configuration is reported once per file, and the defaults apply.
    config_error, finding = flake8(".", cwd=tmp_path).lines
    assert finding.startswith(f"./shrink.py:{SHRINK_AT}: PAD201 ")
    assert config_error.startswith("./shrink.py:1:1: PAD000 padlint configuration: pyproject.toml: [tool.padlint] rules.PAD201.max-shrinkage: expected a number")
