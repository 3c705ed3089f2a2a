"""Every keras.applications model, built by padlint and by Keras, row by row.

The default run builds each application once, with arguments chosen so that the runs
together cover the input-shape rules (the default size, other sizes, odd sizes, open
``None`` sizes), ``include_top`` with and without ``pooling``, ``classes``,
``classifier_activation``, the MobileNets' ``alpha``, ``depth_multiplier`` and
``minimalistic``, ``include_preprocessing`` and ImageNet weights where they change the
graph. ``PADLINT_APPLICATIONS_GRID=1`` adds the full grid: every application with its
defaults, without the classifier at another size, with each pooling, and more.
"""

from __future__ import annotations

import os

import pytest

from tests.applications.oracle import call_text, keras_application_rows, padlint_application
from tests.keras_models import assert_rows_match

pytest.importorskip("keras")

#: One build per application: (application, arguments besides weights=None).
DEFAULT_CASES: list[tuple[str, dict]] = [
    ("VGG16", {"include_top": False, "input_shape": (64, 64, 3), "pooling": "max"}),
    ("VGG19", {"input_shape": (48, 48, 3), "classes": 5, "classifier_activation": None}),
    ("ResNet50", {}),
]

GRID = os.environ.get("PADLINT_APPLICATIONS_GRID") == "1"


def _case_id(case: tuple[str, dict]) -> str:
    return call_text(*case).removeprefix("keras.applications.")


@pytest.mark.parametrize("case", DEFAULT_CASES, ids=_case_id)
def test_application_matches_keras(case: tuple[str, dict]) -> None:
    name, arguments = case
    expected = keras_application_rows(name, arguments)
    summary = padlint_application(name, arguments)
    assert summary.complete, summary.notes
    assert_rows_match(summary, expected, call_text(name, arguments))
