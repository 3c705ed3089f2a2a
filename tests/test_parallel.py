"""Parallel workers (-j): the same output as one process, in the same order, whatever happens to a worker."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import padlint.parallel
from padlint.cli import main
from padlint.parallel import _chunks, execute, resolve_jobs
from tests.helpers import FIXTURES


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fixture models, seeds, notebooks and broken files, with plain Python beside them."""
    for name in ("PADLINT_CACHE_DIR", "PADLINT_NO_CACHE", "PADLINT_OUTPUT_FORMAT", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / "cli" / "tree", root)
    shutil.copytree(FIXTURES / "models", root / "models_more")
    shutil.copytree(FIXTURES / "seeds", root / "seeds", ignore=shutil.ignore_patterns("expected"))
    shutil.copytree(FIXTURES / "notebooks", root / "notebooks_more")
    for index in range(30):
        (root / "plain" / f"m{index:02d}.py").parent.mkdir(exist_ok=True)
        (root / "plain" / f"m{index:02d}.py").write_text(f"def f{index}(x):\n    return x * {index}\n")
    (root / ".git").mkdir()  # a project root: where the cache goes
    monkeypatch.chdir(root)
    return root


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(padlint.parallel, "MIN_PARALLEL_MS", 0.0)


@pytest.mark.parametrize("output_format", ["full", "json", "concise"])
def test_jobs_give_the_output_of_one_process(tree, capsys, always_parallel, output_format):
    one = run(capsys, "--no-cache", "-j1", "--output-format", output_format, "-v", ".")
    assert "on 1 process," in one[2]
    for jobs in ("2", "3"):
        many = run(capsys, "--no-cache", f"-j{jobs}", "--output-format", output_format, "-v", ".")
        assert f"on {jobs} processes" in many[2]
        assert many[:2] == one[:2]
        assert [line for line in many[2].splitlines() if "checked" not in line] == [line for line in one[2].splitlines() if "checked" not in line]


def test_jobs_give_the_same_summaries_in_the_same_order(tree, capsys, always_parallel):
    for options in ([], ["--output-format", "json"], ["--explain"]):
        one = run(capsys, "summary", "--no-cache", "-j1", *options, ".")
        many = run(capsys, "summary", "--no-cache", "-j2", *options, ".")
        assert many == one
        assert one[1]


def test_workers_fill_the_cache_the_next_run_reads(tree, capsys, always_parallel):
    cold = run(capsys, "-j2", "-v", "--output-format", "json", ".")
    assert "on 2 processes" in cold[2] and "0 from the cache" in cold[2]
    warm = run(capsys, "-j2", "-v", "--output-format", "json", ".")
    assert "(0 analysed" in warm[2]
    assert warm[:2] == cold[:2]


def test_fixes_in_workers(tree, capsys, always_parallel):
    diff = run(capsys, "-j2", "--diff", ".")
    assert run(capsys, "-j1", "--diff", ".") == diff
    assert diff[1].count("+++ ") >= 2


def test_small_runs_stay_in_process(tree, capsys):
    assert "on 1 process," in run(capsys, "--no-cache", "-j2", "-v", "seeds/seed_000_zero_padding.py")[2]


def test_bad_jobs_value(tree, capsys):
    code, _, err = run(capsys, "-j", "-1", ".")
    assert code == 2 and "expected a number of processes" in err
    assert resolve_jobs(0) == resolve_jobs(None) >= 1
    assert resolve_jobs(3) == 3


# ------------------------------------------------------------ the executor


class Square:
    def __call__(self, task: int) -> tuple[int, int]:
        return task, task * task

    def failed(self, task: int, error: BaseException) -> tuple[int, str]:
        return task, type(error).__name__


class Failing(Square):
    def __call__(self, task: int):
        if task % 7 == 3:
            raise ValueError("bug")
        return super().__call__(task)


class Dying(Square):
    """Kills the worker that gets task 5 (as the kernel's OOM killer would), never this process."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def __call__(self, task: int):
        if task == 5 and os.getpid() != self.parent:
            os._exit(1)
        return super().__call__(task)


def test_results_come_in_task_order(always_parallel):
    tasks = list(range(60))
    costs = [float((index * 37) % 11 + 1) for index in tasks]  # shuffled by cost for the pool
    results, workers = execute(tasks, Square(), 2, costs)
    assert workers == 2
    assert results == [(task, task * task) for task in tasks]


def test_a_failing_task_gives_its_failed_result(always_parallel):
    results, _ = execute(list(range(20)), Failing(), 2, [1.0] * 20)
    assert results == [(task, "ValueError") if task % 7 == 3 else (task, task * task) for task in range(20)]
    assert execute(list(range(20)), Failing(), 1, [1.0] * 20)[0] == results


def test_a_dead_worker_does_not_lose_tasks(always_parallel):
    results, _ = execute(list(range(12)), Dying(), 2, [5.0] * 12)
    assert results == [(task, task * task) for task in range(12)]


def test_chunks_cover_every_task_once_costliest_first():
    costs = [1.0, 50.0, 0.5, 3.0, 90.0, 0.2] * 10
    chunks = _chunks(costs, sum(costs), 2)
    flat = [index for chunk in chunks for index in chunk]
    assert sorted(flat) == list(range(len(costs)))
    assert costs[flat[0]] == 90.0
    assert len(chunks) > 2
