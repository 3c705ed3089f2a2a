"""Running a batch of generated programs against Keras, shared by the random differential tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path


def assert_batch_matches(programs: Iterable[tuple[int, str]], check_program: Callable[[int, str, Path], None], tmp_path: Path, noun: str) -> None:
    """Check every program of the batch (not only up to the first difference), then fail with how
    many differ and the first one's message: a batch that differs in one program still says so."""
    failures = []
    count = 0
    for index, text in programs:
        count += 1
        try:
            check_program(index, text, tmp_path)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, f"{len(failures)} of {count} {noun} differ; first:\n" + failures[0]
