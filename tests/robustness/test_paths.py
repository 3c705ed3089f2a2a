"""Paths a repository may hold: loops, duplicates, unreadable or special files, odd names.

The real console script runs on each in a fresh process, with a timeout (a run past it
is a hang). Every file must get one outcome, once: a finding per problem, PAD001 for a
file that cannot be read, and never the same file twice (SPEC §5: "follows folders
recursively without following symlink loops").

Unreadable files: ``chmod 000`` denies nothing to root, and CI often runs as root. Then
padlint runs under ``setpriv`` without the two capabilities that let root read anything
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the permission bits apply to it as to anyone.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness.support import KERAS, Run, run_padlint

pytestmark = pytest.mark.timeout(120)

#: A file with one finding: Conv1D on a rank-2 input (PAD103), line 3.
ONE_FINDING = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3)])\n"


def findings_by_file(run: Run) -> Counter:
    """How many findings each file got, from ``--output-format concise`` lines."""
    assert "Traceback" not in run.stderr, run.stderr
    return Counter(line.split(":", 1)[0] for line in run.stdout.splitlines() if ": PAD" in line)


def check(folder: Path, *arguments: str, prefix: tuple[str, ...] = (), timeout: float = 50) -> Run:
    return run_padlint("check", "--output-format", "concise", "-q", *arguments, cwd=folder, prefix=prefix, timeout=timeout)


def _can_deny_reading() -> tuple[str, ...] | None:
    """The command prefix under which ``chmod 000`` denies reading, or None if none exists here."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search")
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"padlint-probe-{os.getpid()}"
    probe.write_text("secret")
    probe.chmod(0)
    try:
        denied = subprocess.run([*prefix, "cat", str(probe)], capture_output=True, timeout=30, check=False).returncode != 0
    finally:
        probe.unlink()
    return prefix if denied else None


@pytest.fixture(scope="module")
def unprivileged() -> tuple[str, ...]:
    prefix = _can_deny_reading()
    if prefix is None:
        pytest.skip("running as root without setpriv (or setpriv may not drop CAP_DAC_OVERRIDE here): chmod 000 denies root nothing")
    return prefix


@pytest.fixture
def restore_permissions(tmp_path: Path) -> Iterator[None]:
    """Give every path back its permissions, so the temporary folder can be removed."""
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if not path.is_symlink():
            path.chmod(stat.S_IRWXU)


# ---------------------------------------------------------------- loops and duplicates


def test_symlink_loops_are_not_followed_and_each_file_is_checked_once(tmp_path: Path) -> None:
    """``sub/up -> ..`` and ``self -> .`` lead back to folders on the current path."""
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "top.py").write_text(ONE_FINDING)
    (tree / "sub" / "deep.py").write_text(ONE_FINDING)
    (tree / "sub" / "up").symlink_to("..")
    (tree / "self").symlink_to(".")
    run = check(tmp_path, "tree")
    assert run.code == 1
    assert findings_by_file(run) == {"tree/top.py": 1, "tree/sub/deep.py": 1}


def test_a_file_given_several_ways_is_checked_once(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(ONE_FINDING)
    (tmp_path / "link.py").symlink_to("model.py")
    run = check(tmp_path, "model.py", "model.py", "./model.py", str(tmp_path / "model.py"), "link.py", ".", "../" + tmp_path.name)
    assert run.code == 1
    assert sum(findings_by_file(run).values()) == 1


def test_a_folder_named_like_a_python_file_is_walked(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "inner.py").write_text(ONE_FINDING)
    for arguments in (("x.py",), (".",)):
        run = check(tmp_path, *arguments)
        assert run.code == 1 and findings_by_file(run) == {"x.py/inner.py": 1}


# ---------------------------------------------------------------- what cannot be read


def test_a_dangling_symlink_found_by_walking_is_skipped(tmp_path: Path) -> None:
    """It is no file (ruff and git skip it too); the run goes on."""
    (tmp_path / "dangling.py").symlink_to("missing.py")
    (tmp_path / "model.py").write_text(ONE_FINDING)
    run = check(tmp_path, ".")
    assert run.code == 1 and findings_by_file(run) == {"model.py": 1}


def test_a_dangling_symlink_named_on_the_command_line_is_one_pad001(tmp_path: Path) -> None:
    (tmp_path / "dangling.py").symlink_to("missing.py")
    run = check(tmp_path, "dangling.py")
    assert run.code == 1
    assert run.stdout.splitlines() == ["dangling.py:1:1: PAD001 cannot read: No such file or directory"]


def test_a_named_pipe_found_by_walking_is_skipped_without_waiting(tmp_path: Path) -> None:
    """Opening a FIFO to read waits for a writer: it is not a regular file, never opened."""
    os.mkfifo(tmp_path / "x.py")
    (tmp_path / "model.py").write_text(ONE_FINDING)
    run = check(tmp_path, ".", timeout=20)
    assert run.code == 1 and findings_by_file(run) == {"model.py": 1}


def test_a_named_pipe_named_on_the_command_line_is_one_pad001_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.py")
    run = check(tmp_path, "x.py", timeout=8)
    assert run.stdout.splitlines() == ["x.py:1:1: PAD001 cannot read: not a regular file (a named pipe)"]


def test_a_device_named_on_the_command_line_is_never_read(tmp_path: Path) -> None:
    """``/dev/zero`` never ends: read_source refuses what is not a regular file."""
    from padlint.source import SourceError, read_source

    with pytest.raises(SourceError, match="not a regular file"):
        read_source("/dev/zero")


def test_a_file_without_read_permission_is_one_pad001(tmp_path: Path, unprivileged: tuple[str, ...], restore_permissions: None) -> None:
    (tmp_path / "secret.py").write_text(ONE_FINDING)
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "model.py").write_text(ONE_FINDING)
    run = check(tmp_path, ".", prefix=unprivileged)
    assert run.code == 1
    assert [line for line in run.stdout.splitlines() if line.startswith("secret.py")] == ["secret.py:1:1: PAD001 cannot read: Permission denied"]
    assert findings_by_file(run) == {"secret.py": 1, "model.py": 1}
    summary = run_padlint("summary", ".", cwd=tmp_path, prefix=unprivileged)
    assert summary.code == 2 and "padlint: error: secret.py: cannot read: Permission denied" in summary.stderr.splitlines()


def test_an_unreadable_folder_does_not_stop_the_run(tmp_path: Path, unprivileged: tuple[str, ...], restore_permissions: None) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.py").write_text(ONE_FINDING)
    (tmp_path / "locked").chmod(0)
    (tmp_path / "model.py").write_text(ONE_FINDING)
    run = check(tmp_path, ".", prefix=unprivileged)
    assert run.code == 1 and findings_by_file(run) == {"model.py": 1}


def test_an_unreadable_folder_is_named_in_an_error(tmp_path: Path, unprivileged: tuple[str, ...], restore_permissions: None) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.py").write_text(ONE_FINDING)
    (tmp_path / "locked").chmod(0)
    run = check(tmp_path, ".", prefix=unprivileged)
    assert "locked" in run.stderr and "Permission denied" in run.stderr


# ---------------------------------------------------------------- names


def _write_bytes_name(folder: Path, name: bytes, text: str) -> None:
    descriptor = os.open(os.path.join(os.fsencode(folder), name), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, text.encode())
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_a_file_name_that_is_not_utf8_is_checked_and_shown(tmp_path: Path, locale: str) -> None:
    """``b'caf\\xe9.py'`` (Latin-1 on disk): found, checked once, its name written back as the
    bytes it has, whatever the locale; JSON reports stay valid JSON."""
    _write_bytes_name(tmp_path, b"caf\xe9.py", ONE_FINDING)
    environment = {"LC_ALL": locale, "LANG": locale}
    run = run_padlint("check", "--output-format", "concise", "-q", ".", cwd=tmp_path, env=environment)
    assert run.code == 1, run.stderr
    assert findings_by_file(run) == {os.fsdecode(b"caf\xe9.py"): 1}
    as_json = run_padlint("check", "--output-format", "json", ".", cwd=tmp_path, env=environment)
    assert as_json.code == 1, as_json.stderr
    (finding,) = json.loads(as_json.stdout)
    assert finding["code"] == "PAD103"
    summary = run_padlint("summary", ".", cwd=tmp_path, env=environment)
    assert summary.code == 0 and "caf" in summary.stdout
