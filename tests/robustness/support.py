"""Helpers shared by the robustness tests: analyse text, run the command line."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from padlint.analysis import AnalysisOptions, FileAnalysis, ModelSummary, analyse_source
from padlint.source import SourceFile
from tests import checkout
from tests.checkout import padlint_command

#: Every hostile snippet starts with a Keras import: a file without the word ``keras`` is
#: skipped by the pre-filter, and these tests are about what the analysis does.
KERAS = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
#: A model whose layer sizes come from ``n``: hostile code computes ``n``.
DENSE_N = "model = keras.Sequential([keras.Input((4,)), layers.Dense(n)])\n"
#: How long one command-line run of these tests may take before it counts as a hang.
RUN_TIMEOUT = 50


def analyse(text: str, path: str = "hostile.py") -> FileAnalysis:
    return analyse_source(SourceFile(path=path, text=text), AnalysisOptions())


def only_model(analysis: FileAnalysis) -> ModelSummary:
    assert not analysis.internal_errors, analysis.internal_errors
    assert len(analysis.models) == 1, [model.name for model in analysis.models]
    return analysis.models[0]


def assert_incomplete(model: ModelSummary, *fragments: str) -> None:
    """The model is marked incomplete, and one of its notes says each fragment."""
    assert not model.complete, f"{model.name} should be incomplete"
    for fragment in fragments:
        assert any(fragment in note for note in model.notes), f"no note says {fragment!r}: {model.notes}"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_padlint(*arguments: str, cwd: Path, timeout: float = RUN_TIMEOUT, prefix: tuple[str, ...] = (), env: dict | None = None) -> Run:
    """Run the checkout's command line in a fresh process (no cache); a run past ``timeout`` is a hang."""
    environment = checkout.environment({**os.environ, "PADLINT_NO_CACHE": "1", "NO_COLOR": "1", **(env or {})})
    try:
        completed = subprocess.run(
            [*prefix, *padlint_command(), *arguments],
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"padlint {' '.join(arguments)} did not finish in {timeout} s (a hang)") from None
    return Run(completed.returncode, _text(completed.stdout), _text(completed.stderr))


def _text(data: bytes) -> str:
    """Output as text; bytes of file names that are not UTF-8 kept as surrogate escapes."""
    return data.decode("utf-8", errors="surrogateescape")
