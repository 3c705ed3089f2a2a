"""Running per-file work on several processes (``-j``/``--jobs``), results in a fixed order.

Work comes as a list of tasks and a *job*: a picklable callable that turns one
task into one result (it must not raise; :meth:`Job.failed` is the result of a
task whose job raised anyway). :func:`execute` returns the results in the
order of the tasks, however many processes ran them.

Small runs stay in this process: starting workers costs more than it saves
when there is little to do (a few files, or files that the pre-filter skips).
Otherwise tasks are packed into chunks of roughly equal estimated cost (a file
that may hold a model costs some thirty times what one that cannot does),
the most expensive first so no worker is left with a large file at the end,
and the chunks go to a process pool. On Linux the workers are forked: they
start at once and inherit the configuration already read. A worker that dies
(killed, out of memory) does not lose the run: the tasks it had not finished
are done in this process.

Workers die with the process that started them: killed (``kill -9``, a CI
job's time-out), it cannot stop them, and forked workers would live on, holding
the output pipe open (so whatever reads padlint's output waits forever). On
Linux each worker asks the kernel for SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread in each worker watches the
parent's process id and exits when it changes.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

#: Below this estimated cost (milliseconds of analysis), the run stays in-process.
MIN_PARALLEL_MS = 150.0
#: Estimated cost of a chunk sent to a worker, in milliseconds: large enough that
#: sending it is cheap, small enough that the workers finish together.
CHUNK_MS = 40.0
#: Rough costs per kilobyte of source, in milliseconds (measured by benchmarks/run.py's repository).
MODEL_MS_PER_KB = 7.0
PLAIN_MS_PER_KB = 0.25


class Job(Protocol):
    def __call__(self, task: Any) -> Any: ...

    def failed(self, task: Any, error: BaseException) -> Any: ...


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_jobs(requested: int | None) -> int:
    """``-j N``; ``None`` or 0 (the default): every core this process may use."""
    if requested is None or requested <= 0:
        return available_cores()
    return requested


def estimate_ms(size: int, may_hold_model: bool) -> float:
    return max(size, 1) / 1024 * (MODEL_MS_PER_KB if may_hold_model else PLAIN_MS_PER_KB)


#: Told how many more tasks are done (a progress line: :mod:`padlint.progress`).
Advance = Callable[[int], None]


def _nothing(count: int) -> None:
    pass


def execute(tasks: Sequence[Any], job: Job, jobs: int, costs: Sequence[float], progress: Advance = _nothing) -> tuple[list[Any], int]:
    """Run ``job`` on every task: the results in task order, and how many processes ran them.
    ``progress`` is called as tasks finish (in this process: each task; from workers: each chunk)."""
    total = sum(costs)
    if jobs <= 1 or len(tasks) < 2 or total < MIN_PARALLEL_MS:
        return _in_process(tasks, job, progress), 1
    chunks = _chunks(costs, total, jobs)
    workers = min(jobs, len(chunks))
    if workers <= 1:
        return _in_process(tasks, job, progress), 1
    return _pool(tasks, job, workers, chunks, progress), workers


def _in_process(tasks: Sequence[Any], job: Job, progress: Advance = _nothing) -> list[Any]:
    global _JOB
    previous, _JOB = _JOB, job
    try:
        results = []
        for task in tasks:
            results.append(_call(job, task))
            progress(1)
        return results
    finally:
        _JOB = previous


def _call(job: Job, task: Any) -> Any:
    try:
        return job(task)
    except Exception as error:  # noqa: BLE001 - a bug on one file must not stop the run
        return job.failed(task, error)


def _chunks(costs: Sequence[float], total: float, jobs: int) -> list[list[int]]:
    """Task indices grouped into chunks of about CHUNK_MS (smaller when the run is small), costliest first."""
    target = min(CHUNK_MS, total / (jobs * 4))
    order = sorted(range(len(costs)), key=lambda index: (-costs[index], index))
    chunks: list[list[int]] = []
    current: list[int] = []
    current_cost = 0.0
    for index in order:
        current.append(index)
        current_cost += costs[index]
        if current_cost >= target:
            chunks.append(current)
            current, current_cost = [], 0.0
    if current:
        chunks.append(current)
    return chunks


_JOB: Job | None = None


#: PR_SET_PDEATHSIG, from <linux/prctl.h>.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker end when ``parent`` does (see the module's docstring)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass  # no libc to ask: watch instead

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, name="padlint-parent-watch", daemon=True).start()


def _initialise(job: Job, parent: int | None = None) -> None:
    global _JOB
    if parent is not None:
        _die_with_parent(parent)
    _JOB = job


def _run_chunk(tasks: list[Any]) -> list[Any]:
    assert _JOB is not None
    return [_call(_JOB, task) for task in tasks]


def _context():
    import multiprocessing

    # fork: workers start at once and share what is already loaded. Not on macOS,
    # where system libraries make it unsafe (Python's own default there is spawn).
    if sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _pool(tasks: Sequence[Any], job: Job, workers: int, chunks: list[list[int]], progress: Advance = _nothing) -> list[Any]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    results: list[Any] = [None] * len(tasks)
    done = [False] * len(tasks)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_initialise, initargs=(job, os.getpid())) as pool:
            futures = {pool.submit(_run_chunk, [tasks[index] for index in chunk]): chunk for chunk in chunks}
            for future in as_completed(futures):
                chunk = futures[future]
                try:
                    chunk_results = future.result()
                except BrokenProcessPool:
                    raise
                except Exception:  # noqa: BLE001 - a result that could not be sent back: the chunk is redone here
                    chunk_results = None
                for index, result in zip(chunk, chunk_results or ()):
                    results[index] = result
                    done[index] = True
                progress(len(chunk_results or ()))
    except (BrokenProcessPool, OSError):
        pass  # a worker died, or processes cannot be started here: finish in this process
    missing = [index for index, finished in enumerate(done) if not finished]
    if missing:
        for index, result in zip(missing, _in_process([tasks[index] for index in missing], job, progress)):
            results[index] = result
    return results
