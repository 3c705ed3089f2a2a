"""The rules catalogue in docs/rules.md is generated from the rules and kept in sync.

After changing a rule (docstring, examples, options, a new rule), regenerate it:

    python -m padlint.docs > docs/rules.md
"""

from __future__ import annotations

import difflib

from padlint.catalogue import all_rules
from padlint.docs import REGENERATE, anchor, heading, render_catalogue
from tests.helpers import PROJECT

CATALOGUE = PROJECT / "docs" / "rules.md"


def test_catalogue_is_up_to_date():
    expected = render_catalogue()
    assert CATALOGUE.exists(), f"docs/rules.md is missing; generate it with `{REGENERATE}`"
    actual = CATALOGUE.read_text()
    if actual != expected:
        diff = "".join(
            list(difflib.unified_diff(actual.splitlines(True), expected.splitlines(True), "docs/rules.md", "render_catalogue()"))[:60]
        )
        raise AssertionError(f"docs/rules.md is out of date; regenerate it with `{REGENERATE}`\n{diff}")


def test_catalogue_lists_and_documents_every_rule():
    text = render_catalogue()
    for rule in all_rules():
        assert f"| [{rule.code}](#{anchor(heading(rule))}) | `{rule.name}` | {rule.severity} |" in text
        assert f"\n## {heading(rule)}\n" in text
        section = text.split(f"\n## {heading(rule)}\n", 1)[1].split("\n## ", 1)[0]
        for part in ("### What it does", "### Why is this bad?", "### Example", "### Use instead"):
            assert part in section, f"{rule.code}: {part} missing from its catalogue section"


def test_anchor_matches_github():
    assert anchor("## PAD201 valid-padding-shrinkage (warning)") == "pad201-valid-padding-shrinkage-warning"
