"""Test-wide setup: keep TensorFlow quiet and deterministic when a test imports it, and refuse
to run a suite that would test something else than this checkout against Keras.

Two ways the suite could stay green while proving nothing, both checked before any test runs:

- the padlint imported here is not this checkout's (``--import-mode=importlib`` or a
  ``PYTHONPATH`` putting an installed copy first): every in-process test would test that copy;
- Keras, the oracle, cannot be found: the test extra installs TensorFlow, and the
  differential tests compare padlint with it. Were they skipped instead, the run would
  pass with no oracle at all, so a missing Keras stops the run with a message saying so.

(Subprocesses are made to run the checkout by :mod:`tests.checkout`.)
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = Path(__file__).resolve().parent.parent
#: The oracle's modules: the test extra (pyproject.toml) installs them with tensorflow-cpu.
ORACLE_MODULES = ("keras", "tensorflow")


def misplaced_padlint() -> list[str]:
    """What of padlint this process imports from outside the checkout (nothing, normally)."""
    try:
        import padlint
        import padlint.rules
    except ImportError as error:
        return [f"padlint cannot be imported from here ({error})"]

    expected = {"padlint": ROOT / "padlint" / "__init__.py", "padlint.rules": ROOT / "rules" / "__init__.py"}
    found = {"padlint": padlint.__file__, "padlint.rules": padlint.rules.__file__}
    return [f"{name} is {found[name]}, not {path}" for name, path in expected.items() if Path(found[name]).resolve() != path.resolve()]


def missing_oracle(find_spec: Callable = importlib.util.find_spec) -> list[str]:
    """The oracle's modules that cannot be found (found without importing them: TensorFlow takes seconds)."""
    return [name for name in ORACLE_MODULES if find_spec(name) is None]


def pytest_configure(config: pytest.Config) -> None:
    wrong = misplaced_padlint()
    if wrong:
        raise pytest.UsageError(
            "the tests would test another padlint than this checkout's: " + "; ".join(wrong)
            + ". Run `python -m pytest` from the checkout's root, with the default import mode."
        )
    missing = missing_oracle()
    if missing:
        raise pytest.UsageError(
            f"{' and '.join(missing)} not installed: the Keras oracle the differential tests compare padlint with "
            "is missing. The test extra installs it: pip install '.[test]'. (The oracle tests fail rather than skip, "
            "so that a broken install cannot pass.)"
        )
