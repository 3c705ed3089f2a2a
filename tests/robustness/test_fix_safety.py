"""``--fix`` never corrupts, never loses a save, never writes outside the project (issue 16).

A rewrite in place (open, write, truncate) killed midway leaves a file that is
neither the old text nor the new one; a file saved while padlint analysed it was
overwritten with the fixed *old* text; a ``model.py -> ../victim.py`` link made
padlint rewrite a file outside the folder it was asked to check. Each case runs
the real command line.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from padlint.cli import main
from tests.robustness.support import padlint_command, run_padlint

pytestmark = pytest.mark.timeout(120)

#: A stack of 'same' convolutions with one left at 'valid': PAD202, whose (unsafe) fix inserts
#: ``, padding="same"`` and so moves every later byte of the file.
MODEL = '''\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, padding="same"),
    layers.Conv2D(8, 3, padding="same"),
    layers.Conv2D(8, 3),
    layers.Conv2D(8, 3, padding="same"),
])
'''
FIXED = MODEL.replace("layers.Conv2D(8, 3),", 'layers.Conv2D(8, 3, padding="same"),')
FIX = ("check", "--fix", "--unsafe-fixes", "-j1", "--no-cache", "--output-format", "concise")


def big(text: str, kilobytes: int) -> bytes:
    """The model followed by a docstring of ``kilobytes`` of data: large to write, cheap to analyse."""
    line = "0123456789abcdef" * 8 + "\n"
    return (text + '"""\n' + line * (kilobytes * 1024 // len(line)) + '"""\n').encode()


def test_a_fixed_file_is_whole_after_a_kill_at_any_moment(tmp_path: Path) -> None:
    """Sixteen runs cut short (at least six within 15 s on a loaded machine): SIGKILL, at a random
    moment or once the first file starts changing, alternating with a write that fails at a random
    byte of the file (a file-size limit, as a full disk would: in the middle of a file, every
    time). Each file is then, byte for byte, what it was or what a complete run makes of it; at
    most a temporary file is left beside it."""
    old = {f"m{index}.py": big(MODEL, 512) for index in range(3)}
    new = {name: data.replace(MODEL.encode(), FIXED.encode()) for name, data in old.items()}
    command = [*padlint_command(), *FIX, "."]
    environment = {**os.environ, "NO_COLOR": "1"}
    rng = random.Random(16)
    kills = 0
    deadline = time.monotonic() + 15
    while kills < 16 and (time.monotonic() < deadline or kills < 6):
        for leftover in tmp_path.iterdir():
            leftover.unlink()
        for name, data in old.items():
            (tmp_path / name).write_bytes(data)
        before = {name: os.stat(tmp_path / name) for name in old}
        if kills % 2:
            size = rng.randrange(1, len(old["m0.py"]))
            process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
                                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY)))
            process.wait(timeout=60)  # Python ignores SIGXFSZ: the write fails with EFBIG, padlint exits with 2
        else:
            process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
            if kills % 4 == 0:
                time.sleep(rng.uniform(0, 0.5))  # anywhere, analysis included
            else:
                _wait_for_a_write(tmp_path, before, process)
                time.sleep(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
        kills += 1
        for name in old:
            data = (tmp_path / name).read_bytes()
            assert data in (old[name], new[name]), f"kill {kills}: {name} is neither old nor new ({len(data)} bytes)"
        extra = sorted(path.name for path in tmp_path.iterdir() if path.name not in old)
        assert all(name.startswith(".m") and name.endswith(".tmp") for name in extra), extra


def _wait_for_a_write(folder: Path, before: dict[str, os.stat_result], process: subprocess.Popen) -> None:
    """Until a file changes or a new one appears (the writing has begun), or the run ends."""
    names = set(before)
    while process.poll() is None:
        entries = {entry.name: entry.stat() for entry in os.scandir(folder)}
        if set(entries) != names or any(
            (entries[name].st_ino, entries[name].st_mtime_ns, entries[name].st_size) != (status.st_ino, status.st_mtime_ns, status.st_size)
            for name, status in before.items()
        ):
            return
        time.sleep(0.0005)


def test_a_file_saved_during_the_run_is_left_as_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """The user saves while padlint analyses: the save stands, a warning says the file was not
    fixed, and the closing line counts no fix."""
    import padlint.run

    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "other.py").write_text(MODEL)
    saved = MODEL + "# saved by the user meanwhile\n"
    analyse = padlint.run.check_source

    def check_then_save(source, *arguments, **keywords):
        result = analyse(source, *arguments, **keywords)
        if source.path == "model.py":
            (tmp_path / "model.py").write_text(saved)
        return result

    monkeypatch.setattr(padlint.run, "check_source", check_then_save)
    monkeypatch.chdir(tmp_path)
    code = main([*FIX, "."])
    out, err = capsys.readouterr()
    assert (tmp_path / "model.py").read_text() == saved
    assert (tmp_path / "other.py").read_text() == FIXED
    assert "padlint: warning: model.py: changed since padlint read it; not fixed (run padlint again)" in err.splitlines()
    assert "Found 2 findings (1 fixed, 1 remaining); checked 2 models in 2 files." in out.splitlines()
    assert out.splitlines()[0].startswith("model.py:7:5: PAD202")
    assert code == 1


def test_a_link_out_of_the_checked_folder_is_not_rewritten(tmp_path: Path) -> None:
    """``project/model.py -> ../outside/victim.py``: checked, but its target is not padlint's to rewrite."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "project").mkdir()
    victim = tmp_path / "outside" / "victim.py"
    victim.write_text(MODEL)
    (tmp_path / "project" / "model.py").symlink_to("../outside/victim.py")
    for arguments in ((".",), ("model.py",)):
        run = run_padlint(*FIX, *arguments, cwd=tmp_path / "project")
        assert victim.read_text() == MODEL
        assert (tmp_path / "project" / "model.py").is_symlink()
        assert f"padlint: warning: model.py: a symbolic link to {os.path.realpath(victim)}, outside the checked folders; not fixed" in run.stderr.splitlines()
        assert "Found 1 finding (1 warning); checked 1 model in 1 file." in run.stdout.splitlines()  # reported, not counted as fixed
        assert run.code == 1


def test_a_link_inside_the_checked_folder_is_fixed_at_its_target_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.py").write_text(MODEL)
    (tmp_path / "alias.py").symlink_to("real.py")
    (tmp_path / "real.py").chmod(0o640)
    run = run_padlint(*FIX, ".", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert (tmp_path / "real.py").read_text() == FIXED
    assert (tmp_path / "alias.py").is_symlink() and os.readlink(tmp_path / "alias.py") == "real.py"
    assert stat.S_IMODE((tmp_path / "real.py").stat().st_mode) == 0o640  # the mode is kept
    assert sorted(path.name for path in tmp_path.iterdir()) == ["alias.py", "real.py"]  # no temporary file left
