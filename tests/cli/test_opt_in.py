"""Opt-in rules (``Rule.default = False``): off by default, on when their code is selected.

PAD208, PAD209 and PAD210 hold the pedantic remainder of PAD203, PAD201 and PAD202.
``ALL`` and prefixes select the default rules only (ruff's ``explicit-preview-rules``);
the exact code, in ``select`` or ``extend-select`` of the command line or the
configuration, turns an opt-in rule on; an ignore of it (or of a prefix) turns it off.
"""

from __future__ import annotations

import pytest

from padlint.catalogue import all_rules
from padlint.config import Layer, resolve_selection
from padlint.rules.pad208_inner_dropped_border import InnerDroppedBorder
from tests.cli.conftest import run, write
from tests.cli.models import codes

#: The Keras MNIST convnet: its 11 -> 5 pooling is PAD208's (the line marked there), and nothing is PAD203's.
MNIST = InnerDroppedBorder.INVALID[0]
MNIST_POOL = ("mnist.py", "9:5", "PAD208")


@pytest.mark.parametrize("arguments, expected", [
    ([], []),
    (["--select", "ALL"], []),
    (["--select", "PAD2"], []),
    (["--select", "PAD208"], [MNIST_POOL]),
    (["--extend-select", "PAD208"], [MNIST_POOL]),
    (["--extend-select", "pad208"], [MNIST_POOL]),
    (["--extend-select", "PAD208", "--ignore", "PAD2"], [MNIST_POOL]),  # the more specific selector wins
    (["--extend-select", "PAD208", "--ignore", "PAD208"], []),
])
def test_opt_in_selection_on_the_command_line(tmp_path, arguments, expected):
    write(tmp_path, {"mnist.py": MNIST})
    result = run("--output-format", "concise", *arguments, "mnist.py", cwd=tmp_path)
    assert codes(result.stdout) == expected, result.stdout + result.stderr


def test_opt_in_selection_in_the_configuration(tmp_path):
    write(tmp_path, {"mnist.py": MNIST, "pyproject.toml": '[tool.padlint]\nextend-select = ["PAD208"]\n'})
    result = run("--output-format", "concise", "mnist.py", cwd=tmp_path)
    assert codes(result.stdout) == [MNIST_POOL]
    settings = run("--show-settings", "mnist.py", cwd=tmp_path).stdout
    assert '"PAD208"' in settings and '"PAD209"' not in settings
    flake8 = run("--select", "PAD", "mnist.py", cwd=tmp_path, program="flake8")
    assert [line.split(": ")[1].split()[0] for line in flake8.lines] == ["PAD208"]


def test_the_default_selection_leaves_out_exactly_the_opt_in_rules():
    codes_ = [rule.code for rule in all_rules()]
    opt_in = frozenset(rule.code for rule in all_rules() if not rule.default)
    assert opt_in == {"PAD208", "PAD209", "PAD210"}
    assert resolve_selection([], codes_, opt_in) == frozenset(codes_) - opt_in
    assert resolve_selection([Layer(select=("ALL",))], codes_, opt_in) == frozenset(codes_) - opt_in
    assert resolve_selection([Layer(extend_select=("PAD209",))], codes_, opt_in) == (frozenset(codes_) - opt_in) | {"PAD209"}


def test_rules_listing_marks_opt_in_rules(tmp_path):
    listing = run("rules", cwd=tmp_path).lines
    assert any(line.startswith("PAD208  inner-dropped-border") and line.endswith("(opt-in)") for line in listing)
    assert not any("opt-in" in line for line in listing if line.startswith("PAD203"))
    documentation = run("rule", "PAD208", cwd=tmp_path).stdout
    assert "*Opt-in: not selected by default" in documentation and "--extend-select PAD208" in documentation
