"""padlint's speed benchmark: ``python benchmarks/run.py`` (``--help`` for the options).

It generates, deterministically, a synthetic repository (2,000 Python files by
default, one in five defining Keras models; benchmarks/generate.py), one
400-line model file and three scaling models (50, 500 and 5,000 layers), then
measures in one run, with the same number of processes for padlint and flake8:

- cold ``padlint`` (no cache) vs ``flake8`` (its default plugins) on the repository;
- a warm re-run (nothing changed, results cached) vs the cold run;
- ``padlint file.py`` vs ``flake8 file.py`` on the 400-line model file (process wall time);
- ``padlint summary model.py`` vs importing TensorFlow, building the same models
  and calling ``model.summary()``, on the 400-line file (four models) and on
  ResNet50 as the project's fixture writes it (skipped, saying so, without
  TensorFlow); the target must hold on both;
- time per layer of the 50-, 500- and 5,000-layer models (in-process analysis
  and rules, after warm-up), and the process wall time of each;
- the language server (``padlint server``, benchmarks/lsp_latency.py): the time from
  ``didChange`` to the diagnostics of that version on the 400-line model file (median
  and 95th percentile, the debounce set to 0), against the cold ``padlint check`` of
  the same file measured in this run (skipped, saying so, without the server extra);
- the peak memory of padlint's runs: the largest sum of the resident set
  sizes of the process and its workers, sampled every 10 ms. Sampling costs
  CPU beside the process (some 3% of a 0.25 s run on two cores), so the
  sampled runs are extra runs, and no timed run is sampled.

Each figure is the median of several runs; runs of the things compared are
interleaved, so a noisy neighbour slows both. It prints a table and writes
everything to benchmarks/out/results.json (benchmarks/out/ is git-ignored).

Processes run with the environment of this one, except that Python may write
bytecode (an installed package has its ``.pyc`` files; ``PYTHONDONTWRITEBYTECODE``
would make every run compile padlint anew) and ``PADLINT_*`` variables are dropped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate

PYTHON = sys.executable
TARGETS = {
    "cold_ratio": 0.5,  # padlint cold / flake8
    "warm_ratio": 0.1,  # padlint warm / padlint cold
    "single_ratio": 2.0,  # padlint one file / flake8 one file
    "summary_speedup": 10.0,  # TensorFlow / padlint summary
    "scaling_ratio": 2.0,  # per-layer time, 5,000 layers / 50 layers
    "memory_mb": 300.0,  # peak memory on the repository
    "server_median_ms": 50.0,  # padlint server: didChange -> diagnostics, median, the 400-line file
}


# ------------------------------------------------------------------ measuring processes


def child_environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PADLINT_") and key != "PYTHONDONTWRITEBYTECODE"}
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    environment["NO_COLOR"] = "1"
    return environment


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _rss(current)
        stack += _children(current)
    return total


class Result:
    def __init__(self, seconds: float, peak: int, code: int, stdout: str, stderr: str) -> None:
        self.seconds, self.peak, self.code, self.stdout, self.stderr = seconds, peak, code, stdout, stderr


def measure(command: list[str], cwd: Path, memory: bool = False) -> Result:
    """Wall time of a process; with ``memory``, the peak RSS of its process tree (when /proc allows),
    and then the time is not one to report (the sampler competes for the CPU)."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=child_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory and os.path.isdir("/proc"):
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if sampler.is_alive():
        sampler.join()
    return Result(seconds, peak[0], process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))


def padlint(*arguments: str) -> list[str]:
    """The ``padlint`` console script beside this Python (what users run), else ``python -m padlint``."""
    script = Path(PYTHON).parent / "padlint"
    return [str(script), *arguments] if script.exists() else [PYTHON, "-m", "padlint", *arguments]


def flake8(*arguments: str) -> list[str]:
    return [PYTHON, str(HERE / "flake8_default.py"), *arguments]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def check_exit(result: Result, what: str, allowed: tuple[int, ...] = (0, 1)) -> None:
    if result.code not in allowed:
        raise SystemExit(f"benchmark: {what} exited with {result.code}:\n{result.stderr[-3000:]}")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the inputs


def prepare(out: Path, files: int, seed: int) -> dict:
    """Generate the inputs unless the same ones are already there."""
    stamp = {"files": files, "seed": seed, "generator": _digest(Path(generate.__file__).read_bytes() + Path(__file__).read_bytes())}
    stamp_file = out / "inputs.json"
    repository = out / "repo"
    if stamp_file.exists() and repository.is_dir():
        try:
            saved = json.loads(stamp_file.read_text())
            if saved.get("stamp") == stamp:
                return saved["repository"]
        except (ValueError, KeyError):
            pass
    if repository.exists():
        shutil.rmtree(repository)
    say(f"generating {files} files in {repository} ...")
    facts = generate.generate_repository(repository, files=files, seed=seed)
    (out / "model_400.py").write_text(generate.large_model_file())
    for layers in (50, 500, 5000):
        (out / f"scaling_{layers}.py").write_text(generate.scaling_model(layers))
    stamp_file.write_text(json.dumps({"stamp": stamp, "repository": facts}, indent=2))
    return facts


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()[:16]


# ------------------------------------------------------------------ the measurements


def bench_repository(out: Path, jobs: int, rounds: int) -> dict:
    repository = out / "repo"
    cache = out / "cache_repo"
    listed = measure(padlint("check", "--show-files", "."), repository).stdout.split()
    python_files = [path for path in repository.rglob("*.py") if ".git" not in path.parts]
    if len(listed) != len(python_files):
        raise SystemExit(f"benchmark: padlint would check {len(listed)} of the {len(python_files)} files in {repository}")
    cold, warm, lint = [], [], []
    shutil.rmtree(cache, ignore_errors=True)
    cold_memory = measure(padlint("check", "-j", str(jobs), "--cache-dir", str(cache), "."), repository, memory=True)
    warm_memory = measure(padlint("check", "-j", str(jobs), "--cache-dir", str(cache), "."), repository, memory=True)
    check_exit(cold_memory, "padlint (cold, memory)")
    check_exit(warm_memory, "padlint (warm, memory)")
    for number in range(rounds):
        shutil.rmtree(cache, ignore_errors=True)
        result = measure(padlint("check", "-j", str(jobs), "--cache-dir", str(cache), "."), repository)
        check_exit(result, "padlint (cold)")
        cold.append(result)
        result = measure(padlint("check", "-j", str(jobs), "--cache-dir", str(cache), "."), repository)
        check_exit(result, "padlint (warm)")
        warm.append(result)
        result = measure(flake8("-j", str(jobs), "."), repository)
        check_exit(result, "flake8")
        lint.append(result)
        say(f"  round {number + 1}/{rounds}: padlint cold {cold[-1].seconds:.2f}s, warm {warm[-1].seconds:.3f}s, flake8 {lint[-1].seconds:.2f}s")
    same = cold[0].stdout == warm[0].stdout
    findings = sum(1 for line in cold[0].stdout.splitlines() if re.match(r"^\S+:\d+:\d+: PAD\d{3} ", line))
    return {
        "padlint_cold_s": [r.seconds for r in cold],
        "padlint_warm_s": [r.seconds for r in warm],
        "flake8_s": [r.seconds for r in lint],
        "padlint_cold_peak_mb": [cold_memory.peak / 2**20],
        "padlint_warm_peak_mb": [warm_memory.peak / 2**20],
        "warm_output_equals_cold": same,
        "padlint_findings": findings,
        "flake8_findings": len(lint[0].stdout.splitlines()),
    }


def bench_single(out: Path, rounds: int) -> dict:
    path = "model_400.py"
    mine, theirs = [], []
    for _ in range(rounds):
        result = measure(padlint("check", "--no-cache", path), out)
        check_exit(result, "padlint on one file")
        mine.append(result)
        result = measure(flake8(path), out)
        check_exit(result, "flake8 on one file")
        theirs.append(result)
    memory = measure(padlint("check", "--no-cache", path), out, memory=True)
    check_exit(memory, "padlint on one file (memory)")
    return {
        "lines": (out / path).read_text().count("\n"),
        "padlint_s": [r.seconds for r in mine],
        "flake8_s": [r.seconds for r in theirs],
        "padlint_peak_mb": [memory.peak / 2**20],
    }


def _totals(text: str) -> list[int]:
    return [int(value.replace(",", "")) for value in re.findall(r"Total params: ([\d,]+)", text)]


#: The files ``padlint summary`` is compared on: (name in the table, folder, file).
SUMMARY_FILES = (
    ("the 400-line model file", None, "model_400.py"),
    ("ResNet50 (fixtures/models)", HERE.parent / "fixtures" / "models", "resnet50_functional.py"),
)


def bench_summary(out: Path, rounds: int, with_tensorflow: bool, folder: Path | None = None, path: str = "model_400.py") -> dict:
    folder = folder or out
    mine, theirs = [], []
    skipped = None
    if with_tensorflow:
        probe = subprocess.run([PYTHON, "-c", "import tensorflow"], capture_output=True, env=child_environment(), check=False)
        if probe.returncode != 0:
            skipped = "TensorFlow is not installed here (pip install tensorflow-cpu): the comparison with model.summary() is skipped"
    else:
        skipped = "--no-tensorflow: the comparison with model.summary() is skipped"
    for _ in range(rounds):
        result = measure(padlint("summary", "--no-cache", path), folder)
        check_exit(result, "padlint summary", (0,))
        mine.append(result)
        if skipped is None:
            result = measure([PYTHON, str(HERE / "tf_summary.py"), path], folder)
            check_exit(result, "the TensorFlow script", (0,))
            theirs.append(result)
    memory = measure(padlint("summary", "--no-cache", path), folder, memory=True)
    check_exit(memory, "padlint summary (memory)", (0,))
    figures = {
        "padlint_s": [r.seconds for r in mine],
        "padlint_peak_mb": [memory.peak / 2**20],
        "padlint_totals": _totals(mine[0].stdout),
    }
    if skipped is not None:
        figures["skipped"] = skipped
    else:
        figures["tensorflow_s"] = [r.seconds for r in theirs]
        figures["tensorflow_totals"] = _totals(theirs[0].stdout)
        figures["totals_agree"] = figures["padlint_totals"] == figures["tensorflow_totals"]
    return figures


INNER = r"""
import json, statistics, sys, time
from padlint.config import Resolver
from padlint.run import check_files
path, repeat = sys.argv[1], int(sys.argv[2])
resolver = Resolver()
check_files([path], resolver)  # warm-up: imports, caches of the engine
times = []
for _ in range(repeat):
    started = time.perf_counter()
    results = check_files([path], resolver)
    times.append(time.perf_counter() - started)
print(json.dumps({"seconds": times, "findings": len(results[0].findings), "internal_errors": results[0].internal_errors}))
"""


def bench_scaling(out: Path, rounds: int) -> dict:
    figures = {}
    for layers in (50, 500, 5000):
        path = f"scaling_{layers}.py"
        repeat = max(3, rounds) if layers < 5000 else max(2, rounds // 2)
        inner = subprocess.run([PYTHON, "-c", INNER, path, str(repeat)], cwd=out, env=child_environment(), capture_output=True, text=True, check=False)
        if inner.returncode != 0:
            raise SystemExit(f"benchmark: scaling {layers} failed:\n{inner.stderr[-3000:]}")
        timing = json.loads(inner.stdout)
        if timing["internal_errors"]:
            raise SystemExit(f"benchmark: scaling {layers}: internal errors {timing['internal_errors']}")
        processes = [measure(padlint("summary", "--no-cache", path), out) for _ in range(max(1, rounds // 2))]
        memory = measure(padlint("summary", "--no-cache", path), out, memory=True)
        for process in (*processes, memory):
            check_exit(process, f"padlint summary on {layers} layers", (0,))
        rows = len(re.findall(r"^│ ", processes[0].stdout, re.MULTILINE))
        figures[str(layers)] = {
            "layers": layers,
            "summary_rows": rows,
            "analysis_s": timing["seconds"],
            "per_layer_ms": median(timing["seconds"]) * 1000 / layers,
            "process_s": [p.seconds for p in processes],
            "process_peak_mb": [memory.peak / 2**20],
        }
        say(f"  {layers} layers: {median(timing['seconds']) * 1000:.1f} ms in process ({figures[str(layers)]['per_layer_ms']:.3f} ms per layer)")
    return figures


def bench_server(out: Path, rounds: int) -> dict:
    """``didChange`` to published diagnostics, one process serving every edit (as in an editor)."""
    probe = subprocess.run([PYTHON, "-c", "import pygls, lsprotocol"], capture_output=True, env=child_environment(), check=False)
    if probe.returncode != 0:
        return {"skipped": "the server extra is not installed here (pip install 'padlint[server]'): the language server is not measured"}
    edits = max(20, 10 * rounds)
    run = subprocess.run([PYTHON, str(HERE / "lsp_latency.py"), "model_400.py", str(edits)], cwd=out, env=child_environment(),
                         capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0:
        raise SystemExit(f"benchmark: the language server measurement failed:\n{run.stderr[-3000:]}")
    timing = json.loads(run.stdout)
    if timing["exit_code"] != 0:
        raise SystemExit(f"benchmark: padlint server exited with {timing['exit_code']} after shutdown and exit")
    seconds = sorted(timing["seconds"])
    return {"edits": len(seconds), "change_to_diagnostics_s": seconds, "median_s": median(seconds), "p95_s": percentile(seconds, 0.95)}


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return values[max(math.ceil(share * len(values)) - 1, 0)] if values else float("nan")


# ------------------------------------------------------------------ report


def summarise(figures: dict) -> tuple[list[list[str]], dict]:
    rows: list[list[str]] = []
    verdicts: dict[str, bool | None] = {}
    repo = figures["repository"]
    jobs = figures["machine"]["jobs"]
    cold, warm, lint = median(repo["padlint_cold_s"]), median(repo["padlint_warm_s"]), median(repo["flake8_s"])
    files = figures["inputs"]["files"]
    verdicts["cold_ratio"] = cold / lint <= TARGETS["cold_ratio"]
    rows.append([f"cold run, {files} files, -j{jobs}", f"{cold:.2f} s", f"flake8 {lint:.2f} s", f"{cold / lint:.3f}x", f"<= {TARGETS['cold_ratio']}x", _ok(verdicts["cold_ratio"])])
    verdicts["warm_ratio"] = warm / cold <= TARGETS["warm_ratio"]
    rows.append(["warm re-run (cache)", f"{warm:.3f} s", f"padlint cold {cold:.2f} s", f"{warm / cold:.3f}x", f"<= {TARGETS['warm_ratio']}x", _ok(verdicts["warm_ratio"])])
    single = figures["single_file"]
    mine, theirs = median(single["padlint_s"]), median(single["flake8_s"])
    verdicts["single_ratio"] = mine / theirs <= TARGETS["single_ratio"]
    rows.append([f"one model file ({single['lines']} lines)", f"{mine:.3f} s", f"flake8 {theirs:.3f} s", f"{mine / theirs:.2f}x", f"<= {TARGETS['single_ratio']}x", _ok(verdicts["single_ratio"])])
    summary = figures["summaries"]["model_400.py"]
    speedups: list[bool] = []
    for name, _, path in SUMMARY_FILES:
        entry = figures["summaries"][path]
        mine = median(entry["padlint_s"])
        if "tensorflow_s" in entry:
            theirs = median(entry["tensorflow_s"])
            speedups.append(theirs / mine >= TARGETS["summary_speedup"])
            agree = "" if entry.get("totals_agree") else " (totals differ!)"
            rows.append([f"summary, {name}", f"{mine:.3f} s", f"TensorFlow {theirs:.2f} s{agree}", f"{theirs / mine:.1f}x faster", f">= {TARGETS['summary_speedup']}x", _ok(speedups[-1])])
        else:
            rows.append([f"summary, {name}", f"{mine:.3f} s", entry["skipped"], "-", f">= {TARGETS['summary_speedup']}x", "skipped"])
    verdicts["summary_speedup"] = all(speedups) if speedups else None
    scaling = figures["scaling"]
    base = scaling["50"]["per_layer_ms"]
    for key in ("50", "500", "5000"):
        entry = scaling[key]
        ratio = entry["per_layer_ms"] / base
        verdict = ratio <= TARGETS["scaling_ratio"]
        if key == "5000":
            verdicts["scaling_ratio"] = verdict
        rows.append([
            f"{key} layers: analysis per layer",
            f"{entry['per_layer_ms']:.3f} ms",
            f"{median(entry['analysis_s']) * 1000:.0f} ms in process, {median(entry['process_s']):.2f} s process",
            f"{ratio:.2f}x the 50-layer",
            f"<= {TARGETS['scaling_ratio']}x",
            _ok(verdict) if key != "50" else "",
        ])
    server = figures["server"]
    cold_check = median(single["padlint_s"])
    if "skipped" in server:
        verdicts["server_median_ms"] = None
        rows.append(["server: didChange -> diagnostics", "-", server["skipped"], "-", f"<= {TARGETS['server_median_ms']:.0f} ms", "skipped"])
    else:
        latency, p95 = server["median_s"], server["p95_s"]
        verdicts["server_median_ms"] = latency * 1000 <= TARGETS["server_median_ms"]
        rows.append([
            f"server: didChange -> diagnostics ({single['lines']} lines)",
            f"{latency * 1000:.1f} ms (p95 {p95 * 1000:.1f} ms)",
            f"padlint check cold {cold_check:.3f} s",
            f"{latency / cold_check:.3f}x",
            f"<= {TARGETS['server_median_ms']:.0f} ms",
            _ok(verdicts["server_median_ms"]),
        ])
    peaks = {
        "repository, cold": max(repo["padlint_cold_peak_mb"]),
        "repository, warm": max(repo["padlint_warm_peak_mb"]),
        "one model file": max(single["padlint_peak_mb"]),
        "summary of the model file": max(summary["padlint_peak_mb"]),
        **{f"summary of {key} layers": max(scaling[key]["process_peak_mb"]) for key in ("50", "500", "5000")},
    }
    verdicts["memory_mb"] = max(peaks["repository, cold"], peaks["repository, warm"]) < TARGETS["memory_mb"]
    for name, peak in peaks.items():
        on_repository = name.startswith("repository")
        rows.append([f"peak memory: {name}", f"{peak:.0f} MB", "RSS of the process tree", "", f"< {TARGETS['memory_mb']:.0f} MB" if on_repository else "", _ok(peak < TARGETS["memory_mb"]) if on_repository else ""])
    return rows, verdicts


def _ok(value: bool | None) -> str:
    return "yes" if value else "NO"


def table(rows: list[list[str]]) -> str:
    headers = ["measurement", "padlint", "compared with", "ratio", "target", "holds"]
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (width + 2) for width in widths) + "|", *(line(row) for row in rows)])


def versions() -> dict:
    def version(module: str) -> str | None:
        probe = subprocess.run([PYTHON, "-c", f"import importlib.metadata as m; print(m.version('{module}'))"], capture_output=True, text=True, check=False)
        return probe.stdout.strip() or None

    return {name: version(name) for name in ("padlint", "flake8", "libcst", "networkx", "tensorflow", "tensorflow-cpu")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="padlint's speed benchmark (see the module docstring).")
    parser.add_argument("--files", type=int, default=2000, help="files in the synthetic repository (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=0, help="processes for padlint and flake8 (default: every core)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each quick measurement (the repository runs: --repo-rounds)")
    parser.add_argument("--repo-rounds", type=int, default=3, help="runs of each measurement on the repository (flake8 takes minutes)")
    parser.add_argument("--no-tensorflow", action="store_true", help="skip the TensorFlow comparison")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where inputs and results go (default benchmarks/out)")
    arguments = parser.parse_args(argv)

    out = arguments.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE.parent))
    from padlint.parallel import resolve_jobs

    jobs = resolve_jobs(arguments.jobs)
    facts = prepare(out, arguments.files, arguments.seed)
    figures: dict = {
        "machine": {"cores": os.cpu_count(), "jobs": jobs, "python": platform.python_version(), "platform": platform.platform(), **versions()},
        "inputs": facts,
        "targets": TARGETS,
    }
    say("warming up (bytecode, file system cache) ...")
    for command, cwd in ((padlint("--version"), out), (flake8("--version"), out), (padlint("check", "--no-cache", "model_400.py"), out)):
        measure(command, cwd)
    started = time.perf_counter()
    say("one model file ...")
    figures["single_file"] = bench_single(out, arguments.rounds)
    say("summary vs TensorFlow ...")
    figures["summaries"] = {
        path: bench_summary(out, arguments.rounds, not arguments.no_tensorflow, folder, path) for _, folder, path in SUMMARY_FILES
    }
    say("language server ...")
    figures["server"] = bench_server(out, arguments.rounds)
    say("scaling ...")
    figures["scaling"] = bench_scaling(out, arguments.rounds)
    say(f"repository ({arguments.repo_rounds} rounds of padlint cold, warm and flake8) ...")
    figures["repository"] = bench_repository(out, jobs, arguments.repo_rounds)
    figures["benchmark_seconds"] = time.perf_counter() - started
    rows, verdicts = summarise(figures)
    figures["verdicts"] = verdicts
    figures["table"] = rows
    (out / "results.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(table(rows))
    print(f"\n{facts['files']} files ({facts['model_files']} with models, {facts['model_lines'] + facts['plain_lines']:,} lines), "
          f"{jobs} processes, medians of {arguments.rounds} runs ({arguments.repo_rounds} on the repository); "
          f"padlint {figures['machine']['padlint']}, flake8 {figures['machine']['flake8']}, Python {figures['machine']['python']}.")
    print(f"Figures: {out / 'results.json'}")
    failed = [name for name, verdict in verdicts.items() if verdict is False]
    if failed:
        print(f"Targets missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
