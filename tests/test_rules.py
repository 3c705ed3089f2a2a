"""Rules: fixture files with inline expectations, and each rule's own documented examples.

Every file under fixtures/rules/ is real Python whose reported lines end with
``# PADnnn``; the test compares the exact set of (line, column, code) for all
rules, so a fixture also proves that nothing else is reported. Each rule's
INVALID and VALID examples (the ones its documentation shows) run here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from padlint.catalogue import all_rules
from tests.helpers import FIXTURES
from tests.rule_expectations import actual_findings, expected_findings

RULE_FIXTURES = sorted((FIXTURES / "rules").rglob("*.py"))


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda path: path.stem)
def test_rule_fixture(path: Path):
    text = path.read_text()
    assert actual_findings(text, path=str(path)) == expected_findings(text)


EXAMPLES = [
    pytest.param(rule, kind, index, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    for kind, examples in (("invalid", rule.INVALID), ("valid", rule.VALID))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize("rule, kind, index, example", EXAMPLES)
def test_documented_example(rule, kind, index, example):
    expected = expected_findings(example, rule.code)
    if kind == "invalid":
        assert expected, "an INVALID example must mark at least one line"
    else:
        assert not expected, "a VALID example must not mark lines"
    assert actual_findings(example, code=rule.code) == expected


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_is_documented(rule):
    documentation = rule.documentation()
    assert rule.code[:3] == "PAD" and len(rule.code) == 6 and rule.code[3:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
    assert rule.severity in ("error", "warning", "info")
    for section in ("## What it does", "## Why is this bad?", "### Example", "### Use instead"):
        assert section in documentation or section.replace("## ", "### ") in documentation, f"{rule.code}: missing {section}"
    assert rule.INVALID and rule.VALID
