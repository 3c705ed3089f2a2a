"""The sdist and the wheel as PyPI would get them: license, metadata, and a test suite that runs.

Both are built with ``python -m build --no-isolation`` (the test extra holds ``build`` and the
setuptools the ``[build-system]`` asks for), so no index is needed; the wheel is built from the
unpacked sdist, which proves the sdist is complete enough to build.
"""

from __future__ import annotations

import email.parser
import os
import re
import subprocess
import sys
import tarfile
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers import PROJECT

pytestmark = pytest.mark.timeout(600)

PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text())
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
# A small subset that needs conftest.py, tests/helpers.py, tests/cli/conftest.py and the fixture trees.
SUBSET = ["tests/ci/test_pre_commit.py", "tests/test_seeds.py"]


def _build(source: Path, kind: str, out: Path) -> Path:
    process = subprocess.run(
        [sys.executable, "-m", "build", f"--{kind}", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    [artifact] = out.glob("*.tar.gz" if kind == "sdist" else "*.whl")
    return artifact


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    """The unpacked sdist's root folder."""
    work = tmp_path_factory.mktemp("sdist")
    archive = _build(PROJECT, "sdist", work / "dist")
    with tarfile.open(archive) as tar:
        tar.extractall(work / "unpacked", filter="data")
    [root] = (work / "unpacked").iterdir()
    return root


@pytest.fixture(scope="module")
def wheel(sdist, tmp_path_factory) -> zipfile.ZipFile:
    return zipfile.ZipFile(_build(sdist, "wheel", tmp_path_factory.mktemp("wheel")))


def test_sdist_ships_the_license_and_what_the_tests_need(sdist):
    assert (sdist / "LICENSE").read_text() == (PROJECT / "LICENSE").read_text()
    for name in ["tests/conftest.py", "tests/helpers.py", "tests/cli/conftest.py", "tests/ci/action_runner.py",
                 "action.yml", "action/padlint_action.py", ".pre-commit-hooks.yaml", "rules/__init__.py"]:
        assert (sdist / name).is_file(), name
    tracked = subprocess.run(["git", "ls-files", "fixtures", "tests", "docs"], cwd=PROJECT, capture_output=True, text=True, check=True)
    missing = [name for name in tracked.stdout.splitlines() if (PROJECT / name).exists() and not (sdist / name).exists()]
    assert missing == [], f"tracked files the sdist leaves out: {missing[:10]}"
    assert not list(sdist.rglob("__pycache__")) and not list(sdist.rglob(".padlint_cache"))


def test_tests_run_from_the_unpacked_sdist(sdist):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "PADLINT_", "GITHUB_"))}
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q", "-p", "no:randomly", *SUBSET],
        cwd=sdist, capture_output=True, text=True, check=False, env=environment, timeout=300,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    passed = re.search(r"(\d+) passed", process.stdout)
    assert passed and int(passed[1]) >= 5 and " error" not in process.stdout.splitlines()[-1]
    # The tests imported the unpacked tree's helpers and fixtures, not the checkout's.
    probe = subprocess.run([sys.executable, "-c", "import tests.helpers as h; print(h.FIXTURES)"], cwd=sdist,
                           capture_output=True, text=True, check=True, env=environment)
    assert Path(probe.stdout.strip()) == sdist / "fixtures"


def test_wheel_metadata_license_and_classifiers(wheel):
    names = wheel.namelist()
    [metadata_name] = [name for name in names if name.endswith(".dist-info/METADATA")]
    metadata = email.parser.Parser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["License-Expression"] == "MIT"
    assert [name for name in names if name.endswith(".dist-info/licenses/LICENSE")], names
    classifiers = metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3" in classifiers and "Topic :: Software Development :: Quality Assurance" in classifiers
    assert not [name for name in names if name.startswith(("tests/", "fixtures/", "rules/"))], "only padlint/ is installed"
    assert "padlint/rules/__init__.py" in names
    assert f"Project-URL: Repository, {REPOSITORY}" in wheel.read(metadata_name).decode()


def test_readme_links_are_absolute():
    """PyPI renders the README away from the repository: a relative link there is a 404."""
    readme = (PROJECT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)", readme) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", readme, re.MULTILINE)
    assert targets
    relative = [target for target in targets if not re.match(r"https?://", target)]
    assert relative == []
    assert REPOSITORY == PYPROJECT["project"]["urls"]["Homepage"] == "https://github.com/padlint/padlint"


def test_every_padlint_package_is_installed():
    """An installed padlint (the README's ``pip install .``) has every subpackage of the checkout:
    ``padlint.ops`` once missed the list, and only editable installs worked."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(PROJECT).parts) for path in (PROJECT / "padlint").rglob("__init__.py")}
    assert found - listed == set()
    assert (PROJECT / "rules" / "__init__.py").exists() and "padlint.rules" in listed
