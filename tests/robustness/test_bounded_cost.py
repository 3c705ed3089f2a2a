"""A repository's own files cannot make padlint hang, blow up or crash (issue 16).

Ignore patterns that backtracked for minutes, ignore files that never end,
thousands of per-file-ignores compiled again for every file, nesting that costs
libcst gigabytes while under padlint's node limit, a notebook of 96,000 cells,
TOML beyond Python's parser in an unrelated ``pyproject.toml``, workers left alive
by a killed run, and two rules that crashed on valid models. Time limits are
timeouts of the subprocess; memory limits are ``RLIMIT_AS`` set in it.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests import checkout
from tests.robustness.support import KERAS, padlint_command, run_padlint

pytestmark = pytest.mark.timeout(120)

MODEL = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3)])\n"


def limited(memory_mb: int):
    """A ``preexec_fn`` capping the address space (padlint and libcst start in about 450 MB of it)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))

    return apply


def run_limited(arguments: list[str], cwd: Path, memory_mb: int, timeout: float) -> subprocess.CompletedProcess:
    environment = checkout.environment({**os.environ, "PADLINT_NO_CACHE": "1", "NO_COLOR": "1"})  # the checkout's padlint
    try:
        return subprocess.run([*padlint_command(), *arguments], cwd=cwd, preexec_fn=limited(memory_mb), capture_output=True, text=True,
                              timeout=timeout, check=False, env=environment)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"padlint {' '.join(arguments)} did not finish in {timeout} s") from None


# ---------------------------------------------------------------- ignore patterns


def test_backtracking_ignore_patterns_on_a_deep_path_finish_at_once(tmp_path: Path) -> None:
    """``**/a/**/a/**/a/**/a/**/a/**/b`` and ``*a*a*a*a*a*a*a*a*b`` as backtracking regular
    expressions took more than a minute on 60 nested folders and a 60-letter name."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("**/a/**/a/**/a/**/a/**/a/**/b\n*a*a*a*a*a*a*a*a*b\n")
    deep = tmp_path.joinpath(*["a"] * 60)
    deep.mkdir(parents=True)
    (deep / ("a" * 60 + ".py")).write_text(MODEL)
    (deep / "model.py").write_text(MODEL)
    run = run_padlint("check", "--show-files", ".", cwd=tmp_path, timeout=20)
    assert run.code == 0, run.stderr
    assert [line.rsplit("/", 1)[-1] for line in run.stdout.splitlines()] == ["a" * 60 + ".py", "model.py"]


#: Pattern pieces for the comparison with git: names, wildcards, classes, escapes, anchors.
_PIECES = ["a", "b", "ab", "*", "?", "/", "**", "[ab]", "[!a]", "[^b]", "a*", "*b", "\\*", "\\#", "\\!", "!", "#", " ", "\\ "]
_NAMES = ["a", "b", "ab", "ba", "aa", "x"]


def test_ignore_patterns_mean_what_they_mean_to_git(tmp_path: Path) -> None:
    """Random ignore files and paths (files, and folders with a trailing ``/``), decided by
    ``git check-ignore`` and by padlint.ignore alike (lines of only spaces left out: git's
    check-ignore and its status disagree on those)."""
    from padlint.ignore import IgnoreSpec

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    rng = random.Random(1616)
    compared = 0
    for _ in range(60):
        lines = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 3))]
        if any(line.strip() == "" for line in lines):
            continue
        (tmp_path / ".gitignore").write_text("\n".join(lines) + "\n")
        paths = sorted({"/".join(rng.choice(_NAMES) for _ in range(rng.randint(1, 4))) + rng.choice(["", "", "/"]) for _ in range(12)})
        output = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-v", "-n"], cwd=tmp_path, input="\n".join(paths) + "\n",
                                capture_output=True, text=True, check=False).stdout
        spec = IgnoreSpec.from_lines(lines)
        for line in output.splitlines():
            source, path = line.split("\t")
            ignored_by_git = source != "::" and not source.split(":", 2)[2].startswith("!")
            assert bool(spec.check(path)) == ignored_by_git, (lines, path, source)
            compared += 1
    assert compared > 400


def test_lines_git_rejects_match_nothing_instead_of_stopping_the_run(tmp_path: Path) -> None:
    """``!`` alone and a trailing backslash raised from the pattern library: a traceback for the run."""
    (tmp_path / ".gitignore").write_text("!\nbroken\\\n[unclosed\nskipped.py\n")
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "skipped.py").write_text(MODEL)
    run = run_padlint("check", "--show-files", "--extend-exclude", "!", ".", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["model.py"]


def test_two_thousand_per_file_ignores_are_compiled_once(tmp_path: Path) -> None:
    """Compiled again for each file, they made a 40-file run take 13.5 s instead of 0.36 s."""
    patterns = {f"generated/module_{index}/**": ["PAD103"] for index in range(2000)}
    patterns["skip_*.py"] = ["PAD103"]
    (tmp_path / "pyproject.toml").write_text("[tool.padlint.per-file-ignores]\n" + "".join(f'"{key}" = {json.dumps(value)}\n' for key, value in patterns.items()))
    for index in range(40):
        (tmp_path / f"{'skip' if index % 2 else 'keep'}_{index}.py").write_text(MODEL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = run_padlint("check", "--output-format", "concise", "-q", "-j1", ".", cwd=tmp_path, timeout=60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert run.code == 1, run.stderr
    assert len(run.stdout.splitlines()) == 20  # the keep_ files only
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime  # the machine's load does not count
    assert cpu < 2.5, f"{cpu:.1f} s of CPU (0.4 s without the configuration)"


# ---------------------------------------------------------------- parsing


def test_deeply_nested_calls_under_the_node_limit_are_not_given_to_libcst(tmp_path: Path) -> None:
    """150 lines of 100-deep nested calls: 45,000 nodes, but some 3 GB inside libcst's parser.
    The cost is measured on Python's own tree first, and the file is not analysed, within 1 GB."""
    body = "".join(f"x{index} = " + "f(" * 100 + "1" + ")" * 100 + "\n" for index in range(150))
    (tmp_path / "nested.py").write_text(KERAS + body + MODEL)
    completed = run_limited(["check", "-v", "nested.py"], tmp_path, memory_mb=1024, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "padlint: note: nested.py: too deeply nested for its size" in completed.stderr
    assert "MemoryError" not in completed.stderr and "Traceback" not in completed.stderr


def test_a_notebook_of_96000_cells_is_judged_before_its_cells_are_joined(tmp_path: Path) -> None:
    """Four lines a cell: 9 million characters of code, 1.7 GB inside Python's parser before the
    node count said "too large". Now the tokens are counted cell by cell, within 800 MB."""
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": ["import keras\n", *(f"x{line} = keras.layers.Dense({line})\n" for line in range(3))]} for _ in range(96_000)]
    (tmp_path / "huge.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    completed = run_limited(["summary", "huge.ipynb"], tmp_path, memory_mb=800, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert "padlint: note: huge.ipynb: too large: more than 300,000 tokens of code by cell" in completed.stderr


# ---------------------------------------------------------------- configuration


UNRELATED = {
    "5000-digits": "[project]\nname = 'x'\nversion = " + "9" * 5000 + "\n",
    "nested-arrays": "[project]\ndeep = " + "[" * 3000 + "]" * 3000 + "\n",
    "nested-tables": "[tool.black]\nx = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n",
}


@pytest.mark.parametrize("name", sorted(UNRELATED))
def test_an_unrelated_pyproject_beyond_pythons_parser_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, name: str) -> None:
    """Without a word of padlint in it, it is not padlint's: check and summary run as without it."""
    from padlint.cli import main

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text(UNRELATED[name])
    (tmp_path / "sub" / "model.py").write_text(MODEL)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--no-cache", "-j1", "--output-format", "concise", "-q", "."]) == 1
    assert main(["summary", "--no-cache", "-j1", "."]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("sub/model.py:3:") and "Total params" in out and err == ""


def test_flake8_runs_beside_an_unrelated_pyproject_beyond_pythons_parser(tmp_path: Path) -> None:
    """It aborted the whole flake8 run, every plugin's findings lost."""
    from tests.cli.conftest import run

    (tmp_path / "pyproject.toml").write_text(UNRELATED["5000-digits"] + UNRELATED["nested-tables"])
    (tmp_path / "model.py").write_text(MODEL + "import os\n")
    flake8 = run("--select", "PAD,F401", ".", cwd=tmp_path, program="flake8")
    assert "Traceback" not in flake8.stderr, flake8.stderr
    assert flake8.code == 1 and sorted(line.split(" ")[1] for line in flake8.lines) == ["F401", "PAD103"]


def test_a_padlint_configuration_beyond_pythons_parser_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.padlint]\nselect = ['ALL']\n[project]\nversion = " + "9" * 5000 + "\n")
    (tmp_path / "model.py").write_text(MODEL)
    run = run_padlint("check", ".", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.splitlines() == ["padlint: error: pyproject.toml: cannot read: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"]
    deep = run_padlint("check", "--config", "x = " + "[" * 3000 + "]" * 3000, ".", cwd=tmp_path)
    assert deep.code == 2 and deep.stderr.splitlines() == ["padlint: error: --config: cannot read: nested too deeply for Python's TOML parser"]


# ---------------------------------------------------------------- rules on valid models


def test_dot_layers_and_strides_of_two_to_the_63_do_not_crash_the_rules(tmp_path: Path) -> None:
    """PAD207 read Dot's contracted axes as resampled ones (``'int' object has no attribute 'input'``)
    and tried each of 2**63 output paddings (OverflowError)."""
    (tmp_path / "dot.py").write_text(
        "import keras\nfrom keras import layers\n"
        "a = keras.Input((8,))\nb = keras.Input((8,))\nmodel = keras.Model([a, b], layers.Dot(axes=1)([a, b]))\n"
    )
    (tmp_path / "strides.py").write_text(
        "import keras\nfrom keras import layers\ninputs = keras.Input(shape=(28, 28, 1))\n"
        "x = layers.Conv2D(16, 3, strides=2**63, padding='same')(inputs)\n"
        "model = keras.Model(inputs, layers.Conv2DTranspose(16, 3, strides=2**63, padding='same')(x))\n"
    )
    run = run_padlint("check", ".", cwd=tmp_path)
    assert "internal error" not in run.stderr, run.stderr
    assert [line.split(" ")[1] for line in run.stdout.splitlines() if line.startswith(("dot.py:", "strides.py:"))] == ["PAD204", "PAD207"]
    assert "pass output_padding=27 to restore 28x28" in run.stdout


# ---------------------------------------------------------------- workers


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _eof_within(stream, seconds: float) -> bool:
    """Whether the pipe reaches its end within ``seconds`` (it does once no process holds it)."""
    import select

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], max(deadline - time.monotonic(), 0))
        if ready and not os.read(stream.fileno(), 65536):
            return True
    return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the worker processes through /proc, which only Linux has")
def test_workers_die_when_the_run_is_killed(tmp_path: Path) -> None:
    """SIGKILL of a ``-j2`` run left its workers alive (20 of 25 times), holding the output pipe:
    whatever read padlint's output waited for ever."""
    body = "".join(f"m{index} = keras.Sequential([keras.Input((32, 32, 3)), " + "layers.Conv2D(4, 3), " * 30 + "])\n" for index in range(12))
    for index in range(24):
        (tmp_path / f"model_{index}.py").write_text(KERAS + body)
    workers: list[int] = []
    try:
        for attempt in range(3):
            process = subprocess.Popen([*padlint_command(), "check", "--no-cache", "-j2", "."], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       env=checkout.environment())
            deadline = time.monotonic() + 30
            workers = []
            while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
                workers = _children(process.pid)
                time.sleep(0.01)
            assert len(workers) >= 2, f"attempt {attempt}: no workers started"
            process.send_signal(signal.SIGKILL)
            process.wait()
            assert _eof_within(process.stdout, 5), f"attempt {attempt}: the output pipe is still held"
            process.stdout.close()
            time.sleep(0.2)
            assert [pid for pid in workers if _alive(pid)] == [], f"attempt {attempt}: workers outlived their parent"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)  # this test's own leftovers (on code that does not clean up)
