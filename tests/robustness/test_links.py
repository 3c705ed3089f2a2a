"""Symbolic links a checkout may hold never make padlint write or walk outside the project (issue 16).

The cache folder comes with the checkout when someone commits it: a link in it
(or the folder itself a link) once made padlint write ``*`` into the user's global
git ignore, or a CACHEDIR.TAG into ``~/Documents`` (backup tools then skip the whole
folder). A link to ``/`` made the file walk cover the whole file system, ``/proc``
included.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from padlint import __version__
from padlint.cache import Cache, clean
from tests.robustness.support import KERAS, run_padlint

pytestmark = pytest.mark.timeout(120)

MODEL = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3)])\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "model.py").write_text(MODEL)
    (folder / "pyproject.toml").write_text("")  # the project root: the cache lives beside it
    (tmp_path / "outside").mkdir()
    return folder


def _check(project: Path, *arguments: str):
    return run_padlint("check", "--output-format", "concise", *arguments, ".", cwd=project, env={"PADLINT_NO_CACHE": ""})


def test_a_cache_folder_that_is_a_link_is_not_used(project: Path) -> None:
    """``.padlint_cache -> ../outside`` (think ``~/Documents``): nothing is written there."""
    outside = project.parent / "outside"
    (project / ".padlint_cache").symlink_to(outside)
    run = _check(project)
    assert run.code == 1 and "PAD103" in run.stdout, run.stderr
    assert list(outside.iterdir()) == []


def test_a_link_committed_inside_the_cache_is_never_written_through(project: Path) -> None:
    """``.padlint_cache/.gitignore -> ../../outside/ignore`` (the user's global git ignore) and
    ``.padlint_cache/CACHEDIR.TAG`` likewise: the targets are not created."""
    outside = project.parent / "outside"
    cache = project / ".padlint_cache"
    cache.mkdir()
    (cache / ".gitignore").symlink_to(outside / "ignore")
    (cache / "CACHEDIR.TAG").symlink_to(outside / "tag")
    run = _check(project)
    assert run.code == 1, run.stderr
    assert list(outside.iterdir()) == []
    assert (cache / ".gitignore").is_symlink() and (cache / __version__).is_dir()  # the entries are written beside
    assert _check(project).stdout == run.stdout  # and read back


def test_a_link_for_the_version_folder_or_a_bucket_is_not_followed(project: Path) -> None:
    outside = project.parent / "outside"
    cache = project / ".padlint_cache"
    cache.mkdir()
    (cache / __version__).symlink_to(outside)
    assert _check(project).code == 1
    assert list(outside.iterdir()) == []
    (cache / __version__).unlink()
    (cache / __version__).mkdir()
    for bucket in (f"{index:02x}" for index in range(256)):
        (cache / __version__ / bucket).symlink_to(outside)
    assert _check(project).code == 1
    assert list(outside.iterdir()) == []


def test_cache_entries_that_are_links_to_devices_are_misses(tmp_path: Path) -> None:
    """A committed entry ``-> /dev/zero`` would never end: it is not read."""
    cache = Cache(tmp_path / "cache")
    key = "ab" + "0" * 38
    cache.store(key, {"findings": []})
    assert cache.load(key) is not None
    entry = tmp_path / "cache" / __version__ / "ab" / f"{key[2:]}.json"
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert cache.load(key) is None


def test_clean_refuses_a_linked_cache(project: Path) -> None:
    outside = project.parent / "outside"
    (outside / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    (outside / "keep.txt").write_text("mine")
    (project / ".padlint_cache").symlink_to(outside)
    with pytest.raises(ValueError, match="symbolic link"):
        clean(project / ".padlint_cache")
    assert (outside / "keep.txt").exists()


def test_a_link_to_the_root_of_the_file_system_is_not_walked(project: Path) -> None:
    """``root -> /`` in the checkout: only the project's own files are listed, at once."""
    (project / "root").symlink_to("/")
    (project / "data").symlink_to(project.parent / "outside")
    (project.parent / "outside" / "theirs.py").write_text(MODEL)
    run = run_padlint("check", "--show-files", ".", cwd=project, timeout=20)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["model.py"]


def test_a_link_to_a_folder_of_the_project_is_walked_once(project: Path) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "inner.py").write_text(MODEL)
    (project / "again").symlink_to("pkg")
    (project / "loop").symlink_to(".")
    run = run_padlint("check", "--show-files", ".", cwd=project, timeout=20)
    assert sorted(run.stdout.splitlines()) == ["again/inner.py", "model.py"]


def test_a_linked_ignore_file_is_not_read(project: Path) -> None:
    """As git (2.32+): a ``.gitignore`` that is a link is not followed, wherever it leads."""
    (project.parent / "outside" / "rules").write_text("model.py\n")
    (project / ".gitignore").symlink_to(project.parent / "outside" / "rules")
    run = run_padlint("check", "--show-files", ".", cwd=project, timeout=20)
    assert run.stdout.splitlines() == ["model.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes (os.mkfifo) exist only on POSIX systems")
def test_ignore_files_that_never_end_or_never_answer_are_skipped(project: Path) -> None:
    """``.gitignore`` a named pipe (no writer: reading blocks forever), ``.git/info/exclude`` a link to
    ``/dev/zero`` (reading never ends): both are passed over at once."""
    os.mkfifo(project / ".gitignore")
    (project / ".git" / "info").mkdir(parents=True)
    (project / ".git" / "info" / "exclude").symlink_to("/dev/zero")
    (project / "sub").mkdir()
    (project / "sub" / ".gitignore").symlink_to("/dev/stdin")
    (project / "sub" / "inner.py").write_text(MODEL)
    run = run_padlint("check", "--show-files", ".", cwd=project, timeout=15)
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == ["model.py", "sub/inner.py"]
