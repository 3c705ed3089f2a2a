"""Subprocesses run this checkout's padlint, whatever copy of padlint is installed.

CI installs padlint as the README says, ``pip install '.[test]'``: not editable. A
fresh process that runs the ``padlint`` console script, ``flake8``, or
``python -c 'import padlint'`` then loads the copy in site-packages, and a test
of the command line passes or fails on what was installed, not on the code in
front of it (a planted ``# noqa`` bug once passed ``test_noqa`` that way).

What makes a subprocess load the checkout:

- ``PYTHONPATH`` starts with the checkout's root, so ``import padlint`` finds
  ``<root>/padlint`` before site-packages. ``padlint.rules`` is not below it
  (setuptools' ``package-dir`` maps the top-level ``rules/`` folder to it);
  ``padlint/__init__.py`` registers that sibling folder when padlint is
  imported from a source checkout.
- Before the root comes a folder holding only a ``padlint-<version>.dist-info``
  written from the checkout's ``pyproject.toml``: its entry points (the console
  script, flake8's ``PAD`` plugin) are the checkout's, and ``importlib.metadata``
  (which flake8 reads, keeping the first distribution of a name) finds it first.
- The ``padlint`` command is a console script written from the same
  ``pyproject.toml``, as pip writes one: this interpreter, then the entry point.

:func:`environment` checks all this once per process in a probe subprocess and
fails the test loudly when padlint, padlint.rules, the flake8 plugin or the
distribution's metadata resolve anywhere else.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: padlint depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent

#: Printed by the probe: where a fresh process imports padlint's parts from.
PROBE = """\
import importlib.metadata as metadata, json, sys
import padlint, padlint.rules, padlint.flake8_plugin
[plugin] = [entry for entry in metadata.entry_points(group="flake8.extension") if entry.name == "PAD"]
[script] = [entry for entry in metadata.entry_points(group="console_scripts") if entry.name == "padlint"]
print(json.dumps({
    "padlint": padlint.__file__,
    "padlint.rules": padlint.rules.__file__,
    "flake8 plugin": sys.modules[plugin.load().__module__].__file__,
    "console script": sys.modules[script.load().__module__].__file__,
    "distribution": str(metadata.distribution("padlint").locate_file("")),
}))
"""


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _write_distribution(site: Path, project: dict) -> None:
    """A dist-info carrying the checkout's name, version and entry points, and no code."""
    info = site / f"{project['name']}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    groups = {"console_scripts": project.get("scripts", {}), **project.get("entry-points", {})}
    text = "".join(f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items()) + "\n" for group, entries in groups.items())
    (info / "entry_points.txt").write_text(text)


def _write_console_scripts(bin_dir: Path, project: dict) -> None:
    """Console scripts as pip writes them: this interpreter runs ``module:function``."""
    bin_dir.mkdir(parents=True)
    for name, value in project.get("scripts", {}).items():
        module, _, function = value.partition(":")
        script = bin_dir / name
        script.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            f"from {module} import {function}\n"
            "if __name__ == '__main__':\n"
            f"    sys.exit({function}())\n"
        )
        script.chmod(0o755)


@cache
def _shims() -> tuple[Path, Path]:
    """(site folder with the dist-info, bin folder with the console scripts), once per process."""
    folder = Path(tempfile.mkdtemp(prefix="padlint-checkout-"))
    atexit.register(shutil.rmtree, folder, True)
    project = _project()
    _write_distribution(folder / "site", project)
    _write_console_scripts(folder / "bin", project)
    return folder / "site", folder / "bin"


def _with_checkout_path(environment: dict[str, str]) -> dict[str, str]:
    site, _ = _shims()
    inherited = [part for part in environment.get("PYTHONPATH", "").split(os.pathsep) if part and part not in (str(site), str(ROOT))]
    return {**environment, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT), *inherited])}


def _expected() -> dict[str, Path]:
    site, _ = _shims()
    return {
        "padlint": ROOT / "padlint" / "__init__.py",
        "padlint.rules": ROOT / "rules" / "__init__.py",
        "flake8 plugin": ROOT / "padlint" / "flake8_plugin.py",
        "console script": ROOT / "padlint" / "cli.py",
        "distribution": site,
    }


def misplaced(environment: dict[str, str]) -> list[str]:
    """What a fresh process with ``environment`` imports from outside the checkout (nothing, normally)."""
    _, bin_dir = _shims()
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=bin_dir,  # as a console script starts: its own folder first on sys.path
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if probe.returncode != 0:
        return [f"the probe could not import padlint: {probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else probe.returncode}"]
    found = json.loads(probe.stdout)
    return [f"{name}: {found[name]} (expected {path})" for name, path in _expected().items() if Path(found[name]).resolve() != path.resolve()]


@cache
def _verified() -> None:
    """Probe the environment subprocesses get; fail loudly unless everything is the checkout's."""
    checked = _with_checkout_path(dict(os.environ))
    wrong = misplaced(checked)
    if wrong:
        pytest.fail(
            "subprocesses would not run this checkout's padlint, so command-line and flake8 tests would test another copy:\n  "
            + "\n  ".join(wrong) + f"\n(PYTHONPATH={checked['PYTHONPATH']})",
            pytrace=False,
        )


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the checkout first on PYTHONPATH, checked."""
    _verified()
    return _with_checkout_path(dict(os.environ) if base is None else base)


def console_script(name: str) -> str:
    """The checkout's console script ``name`` (``padlint``); other programs from this interpreter's venv or PATH."""
    _, bin_dir = _shims()
    script = bin_dir / name
    if script.exists():
        return str(script)
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.fail(f"the {name!r} program is not installed (pip install '.[test]')", pytrace=False)
    return on_path


def padlint_command() -> list[str]:
    return [console_script("padlint")]


def flake8_command() -> list[str]:
    """flake8 run by this interpreter (the test extra installs it), reading the checkout's entry points."""
    return [sys.executable, "-m", "flake8"]
