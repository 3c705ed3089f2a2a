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


# ------------------------------------------------------- one finding per position


HELPER_108 = """\
import keras
from keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", init="he_normal")(x)
    return layers.BatchNormalization()(x)


inputs = keras.Input(shape=(8, 8, 3))
x = inputs
for _ in range(108):
    x = conv_block(x, 8)
model = keras.Model(inputs, layers.GlobalAveragePooling2D()(x))

stack = keras.Sequential([keras.Input(shape=(4,))])
for _ in range(3):
    stack.add(layers.Dense(8, init="uniform"))
"""


def test_a_helper_called_108_times_is_reported_once():
    """PAD404 on a helper's line: one finding saying in how many calls, not 108 findings."""
    from padlint.checker import check_analysis
    from tests.helpers import analyse_text

    analysis = analyse_text(HELPER_108)
    findings = [finding for finding in check_analysis(analysis) if finding.code == "PAD404"]
    assert [(finding.line, finding.column) for finding in findings] == [(6, 9), (18, 15)]
    assert findings[0].message.startswith("conv2d (Conv2D, line 6): Keras 3 rejects init=")
    assert findings[0].message.endswith("[in 108 calls of conv_block, the first shown]")
    assert findings[1].message.endswith("[for 3 layers built at this line, the first shown]")
    assert len(findings[0].edits) == 1  # the fix renames the keyword once


def test_identical_findings_of_one_layer_count_once():
    """A layer seen through two models (a nested model and the model using it) is one finding,
    with no count."""
    from padlint.checker import check_analysis
    from tests.helpers import analyse_text

    text = """\
import keras
from keras import layers

inner = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, init="uniform")])
outer = keras.Sequential([keras.Input(shape=(4,)), inner, layers.Dense(1)])
"""
    [finding] = [finding for finding in check_analysis(analyse_text(text)) if finding.code == "PAD404"]
    assert "[" not in finding.message
