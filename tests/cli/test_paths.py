"""Which files a run checks: recursion, .gitignore as git reads it, symbolic links, duplicates."""

from __future__ import annotations

import os
import subprocess

import pytest

from padlint.files import discover
from tests.cli.conftest import write
from tests.cli.models import SHRINK


def test_recurses_into_folders_and_reads_py_and_ipynb_only(padlint, tmp_path):
    write(tmp_path, {"a/b/c/model.py": "", "a/nb.ipynb": "{}", "a/notes.md": "", "a/script.pyw": "", "a/.hidden/x.py": ""})
    assert padlint("--show-files", "a", cwd=tmp_path).lines == ["a/.hidden/x.py", "a/b/c/model.py", "a/nb.ipynb"]


def test_gitignore_rules(padlint, tmp_path):
    write(tmp_path, {
        ".gitignore": "generated/\n*_pb2.py\n/top_only.py\n!keep_pb2.py\n",
        "generated/model.py": SHRINK,
        "src/generated/model.py": SHRINK,
        "src/service_pb2.py": SHRINK,
        "src/keep_pb2.py": SHRINK,
        "top_only.py": SHRINK,
        "src/top_only.py": SHRINK,
        "src/.gitignore": "local.py\n",
        "src/local.py": SHRINK,
        "local.py": SHRINK,
    })
    assert padlint("--show-files", cwd=tmp_path).lines == ["local.py", "src/keep_pb2.py", "src/top_only.py"]
    assert padlint("--show-files", "--no-respect-gitignore", cwd=tmp_path).lines == [
        "generated/model.py", "local.py", "src/generated/model.py", "src/keep_pb2.py", "src/local.py",
        "src/service_pb2.py", "src/top_only.py", "top_only.py",
    ]


def test_gitignore_of_the_repository_applies_below_the_checked_folder(padlint, tmp_path):
    """Checking a subfolder of a repository still honours the root .gitignore and .git/info/exclude."""
    write(tmp_path, {".gitignore": "scratch/\n", "pkg/scratch/a.py": "", "pkg/b.py": "", "pkg/c.py": "", ".git/info/exclude": "c.py\n"})
    assert padlint("--show-files", "pkg", cwd=tmp_path).lines == ["pkg/b.py"]
    # Outside a repository, only the .gitignore files inside the checked folder count.
    (tmp_path / ".git" / "info" / "exclude").unlink()
    (tmp_path / ".git" / "info").rmdir()
    (tmp_path / ".git").rmdir()
    assert padlint("--show-files", "pkg", cwd=tmp_path).lines == ["pkg/b.py", "pkg/c.py", "pkg/scratch/a.py"]


def test_gitignore_can_be_turned_off_in_configuration(padlint, tmp_path):
    write(tmp_path, {".gitignore": "*.py\n", "padlint.toml": "respect-gitignore = false\n", "a.py": ""})
    assert padlint("--show-files", cwd=tmp_path).lines == ["a.py"]


def test_gitignored_file_named_explicitly_is_checked(padlint, tmp_path):
    write(tmp_path, {".gitignore": "a.py\n", "a.py": SHRINK})
    assert padlint("--show-files", "a.py", cwd=tmp_path).lines == ["a.py"]


def test_gitignored_folder_named_explicitly_is_walked(padlint, tmp_path):
    """As ruff and ripgrep do: the folder asked for is checked, with only its own .gitignore files."""
    write(tmp_path, {
        ".gitignore": "out/\n*_pb2.py\n",
        ".git/info/exclude": "",
        "out/repo/a.py": SHRINK,
        "out/repo/b_pb2.py": SHRINK,
        "out/repo/.gitignore": "skipped.py\n",
        "out/repo/skipped.py": SHRINK,
    })
    assert padlint("--show-files", cwd=tmp_path).lines == []
    assert padlint("--show-files", "out/repo", cwd=tmp_path).lines == ["out/repo/a.py", "out/repo/b_pb2.py"]
    assert padlint("--show-files", ".", cwd=tmp_path / "out" / "repo").lines == ["a.py", "b_pb2.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are not available on this platform")
def test_symlink_loops_and_duplicates(padlint, tmp_path):
    write(tmp_path, {"pkg/sub/model.py": SHRINK, "other/extra.py": ""})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "sub" / "loop")  # a loop back up
    os.symlink(tmp_path / "other", tmp_path / "pkg" / "linked")  # a link to a folder outside pkg
    os.symlink(tmp_path / "pkg" / "sub" / "model.py", tmp_path / "pkg" / "alias.py")  # the same file twice
    result = padlint("--show-files", "pkg", "pkg/sub/model.py", "pkg/sub", cwd=tmp_path)
    assert result.code == 0
    assert result.lines == ["pkg/alias.py"]  # the link leads out of the checked folders: not walked (issue 16)
    both = padlint("--show-files", "pkg", "other", cwd=tmp_path)
    assert both.lines == ["pkg/alias.py", "pkg/linked/extra.py"]  # inside them: walked, each file once


def test_discover_is_stable_and_lazy(tmp_path):
    write(tmp_path, {"b.py": "", "a/z.py": "", "a/a.py": "", "c.ipynb": ""})
    found = discover([str(tmp_path)])
    assert [os.path.relpath(path, tmp_path) for path in found] == ["a/a.py", "a/z.py", "b.py", "c.ipynb"]


def test_a_real_git_repository(padlint, tmp_path):
    """With git itself: what `git ls-files --others --exclude-standard` lists is what padlint checks."""
    try:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not installed")
    write(tmp_path, {
        ".gitignore": "build*/\n**/cache/*.py\n!**/cache/keep.py\nnotebooks/*.ipynb\n!notebooks/main.ipynb\n",
        "src/m.py": "", "src/cache/x.py": "", "src/cache/keep.py": "", "build1/y.py": "",
        "notebooks/main.ipynb": "{}", "notebooks/scratch.ipynb": "{}", "deep/a/b/cache/z.py": "",
    })
    listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=tmp_path, capture_output=True, text=True, check=True)
    expected = sorted(line for line in listed.stdout.splitlines() if line.endswith((".py", ".ipynb")))
    assert padlint("--show-files", cwd=tmp_path).lines == expected
