"""padlint reproduces every model summary printed in the seed documents.

The seed documents (../shared/seeds) are where padlint comes from; their
printed ``model.summary()`` tables are kept verbatim in fixtures/seeds/expected
and compared row by row (class, output shape, parameter count) and on the
totals with padlint's static summary of the same code (fixtures/seeds/*.py).
Layer names are not compared: the seeds were printed by Keras 2 sessions whose
name counters (``conv2d_28``) depend on what ran before in the notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from padlint.reporters.shapes import format_shapes
from tests.helpers import FIXTURES, SHARED, analyse_file

EXPECTED = sorted((FIXTURES / "seeds" / "expected").glob("*.txt"))
ROW = re.compile(r"^\s*(?P<name>\S+) \((?P<cls>\w+)\)\s+(?P<shape>\(.*?\))\s+(?P<params>[\d,]+)\s*$")
TOTAL = re.compile(r"^(?P<label>Total|Trainable|Non-trainable) params: (?P<count>[\d,]+)\s*$")


def parse_printed_summary(text: str) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    rows, totals = [], {}
    for line in text.splitlines():
        if match := ROW.match(line):
            rows.append((match["cls"], match["shape"], int(match["params"].replace(",", ""))))
        elif match := TOTAL.match(line.strip()):
            totals[match["label"]] = int(match["count"].replace(",", ""))
    return rows, totals


def test_every_printed_seed_summary_has_an_expectation():
    assert len(EXPECTED) == 10


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.stem)
def test_summary_matches_seed(expected: Path):
    fixture_name, index = expected.stem.rsplit(".", 1)
    analysis = analyse_file(FIXTURES / "seeds" / f"{fixture_name}.py")
    model = analysis.models[int(index)]
    rows, totals = parse_printed_summary(expected.read_text())
    assert rows, "the expected summary has rows"
    actual = [(row.class_name, format_shapes(row.output_shapes), row.params) for row in model.rows]
    assert actual == rows
    assert totals["Total"] == model.weights.total
    assert totals["Trainable"] == model.weights.trainable
    if "Non-trainable" in totals:
        assert totals["Non-trainable"] == model.weights.non_trainable
    assert model.complete


def test_seed_fixture_models_count():
    """One model per printed summary, plus the seed 003 AlexNet variants (no printed summary)."""
    counts = {path.name: len(analyse_file(path).models) for path in sorted((FIXTURES / "seeds").glob("*.py"))}
    assert counts == {
        "seed_000_zero_padding.py": 2,
        "seed_001_same.py": 1,
        "seed_001_valid.py": 1,
        "seed_002_padding_and_stride.py": 3,
        "seed_003_alexnet_list_padding.py": 1,
        "seed_003_alexnet_tuple_padding.py": 1,
        "seed_003_alexnet_zero_padding.py": 1,
        "seed_004_same.py": 1,
        "seed_004_valid.py": 1,
        "seed_004_valid_6x6.py": 1,
    }


def test_seed_003_zero_padding_answer_summary():
    """The accepted answer of seed 003 (no printed summary): hand-checked AlexNet numbers."""
    model = analyse_file(FIXTURES / "seeds" / "seed_003_alexnet_zero_padding.py").models[0]
    assert [(format_shapes(row.output_shapes), row.params) for row in model.rows] == [
        ("(None, 55, 55, 96)", 11 * 11 * 3 * 96 + 96),
        ("(None, 59, 59, 96)", 0),
        ("(None, 55, 55, 256)", 5 * 5 * 96 * 256 + 256),
    ]


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.stem)
def test_expected_summaries_are_verbatim_from_the_seeds(expected: Path):
    documents = "\n".join(path.read_text() for path in (SHARED / "seeds").glob("*.txt"))
    assert expected.read_text().rstrip("\n") in documents
