"""Proof that padlint never runs, imports or evaluates the code it reads (SPEC §5).

Every snippet here would leave a trace if Python ran it: a marker file, a connection to a
listening socket, a module in ``sys.modules``. Each is put in a file (and a notebook) with
the Keras import that makes padlint analyse it, padlint is run on them (``check`` and
``summary``, in one process and on two, and in this process), and no trace may appear.
The snippets reach the places padlint evaluates: module level, helper functions it
calls, layer arguments, default arguments, decorators, class bodies, a custom layer's
``call()`` and a ``Lambda`` it traces.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from padlint.analysis import AnalysisOptions, analyse_source
from padlint.source import read_source
from tests.robustness.support import KERAS, run_padlint

pytestmark = pytest.mark.timeout(120)

#: The module a snippet imports: importing it writes its marker.
SIDE_EFFECT_MODULE = "padlint_side_effect_module"

#: Name -> code. ``MARK`` is the path of the snippet's marker file, ``PORT`` the port of a
#: listening socket, ``PAYLOAD`` a pickle that runs ``touch MARK`` when loaded.
SNIPPETS: dict[str, str] = {
    "open_write": "open(MARK, 'w').write('ran')\nn = 8\n",
    "with_open": "with open(MARK, 'w') as handle:\n    handle.write('ran')\nn = 8\n",
    "os_system": "import os\nos.system('touch ' + MARK)\nn = 8\n",
    "os_popen": "import os\nos.popen('touch ' + MARK).read()\nn = 8\n",
    "subprocess": "import subprocess\nsubprocess.run(['touch', MARK])\nsubprocess.check_call(['touch', MARK])\nn = 8\n",
    "dunder_import": "__import__('os').system('touch ' + MARK)\nn = 8\n",
    "getattr_import": "import os\ngetattr(os, 'system')('touch ' + MARK)\nn = 8\n",
    "exec": "exec(\"open(MARK, 'w').write('ran')\")\nn = 8\n",
    "eval": "n = eval(\"open(MARK, 'w').write('ran') or 8\")\n",
    "compile": "code = compile(\"open(MARK, 'w').write('ran')\", 'x', 'exec')\nexec(code)\nn = 8\n",
    "import_module": "import importlib\nimportlib.import_module(MODULE)\nn = 8\n",
    "import_statement": f"import {SIDE_EFFECT_MODULE}\nn = 8\n",
    "from_import": f"from {SIDE_EFFECT_MODULE} import value as n\n",
    "pickle": "import pickle\nn = pickle.loads(PAYLOAD) or 8\n",
    "socket": "import socket\nsocket.create_connection(('127.0.0.1', PORT)).sendall(b'ran')\nn = 8\n",
    "in_a_helper": "import os\n\ndef width():\n    os.system('touch ' + MARK)\n    return 8\n\nn = width()\n",
    "in_an_uncalled_builder": "import os\n\ndef build():\n    os.system('touch ' + MARK)\n    return keras.Sequential([keras.Input((4,)), layers.Dense(8)])\n\nn = 8\n",
    "in_a_layer_argument": "import os\nn = 8\nextra = layers.Dense(os.system('touch ' + MARK) or 8)\n",
    "in_a_default_argument": "import os\n\ndef width(size=os.system('touch ' + MARK) or 8):\n    return size\n\nn = width()\n",
    "in_a_decorator": "import os\n\ndef mark(function):\n    os.system('touch ' + MARK)\n    return function\n\n@mark\ndef width():\n    return 8\n\nn = width()\n",
    "in_a_class_body": "import os\n\nclass Config:\n    os.system('touch ' + MARK)\n    units = 8\n\nn = Config.units\n",
    "in_a_lambda": "import os\nn = (lambda: os.system('touch ' + MARK) or 8)()\n",
    "in_a_comprehension": "import os\nn = len([os.system('touch ' + MARK) for _ in range(8)])\n",
    "in_an_fstring": "import os\nname = f\"{os.system('touch ' + MARK)}\"\nn = 8\n",
    "in_a_traced_lambda_layer": "import os\nn = 8\nlayer = layers.Lambda(lambda x: os.system('touch ' + MARK) or x)\nlayer(keras.Input((4,)))\n",
    "in_a_custom_call": (
        "import os\nn = 8\n\nclass Marker(layers.Layer):\n    def call(self, x):\n        os.system('touch ' + MARK)\n        return x\n\n"
        "Marker()(keras.Input((4,)))\n"
    ),
    "main_guard": "import os\nif __name__ == '__main__':\n    os.system('touch ' + MARK)\nn = 8\n",
}
#: The model every snippet ends with: ``n`` is what padlint makes of the snippet.
MODEL = "model = keras.Sequential([keras.Input((4,)), layers.Dense(n)])\n"
#: Notebook cells that IPython would run as shell commands or other scripts.
NOTEBOOK_CELLS: dict[str, list[str]] = {
    "notebook_shell": ["!touch MARK\n", "n = 8\n"],
    "notebook_assigned_shell": ["files = !touch MARK\n", "n = 8\n"],
    "notebook_system_magic": ["%system touch MARK\n", "n = 8\n"],
    "notebook_run": ["%run RUN_SCRIPT\n", "n = 8\n"],
    "notebook_cell_magic": ["%%bash\n", "touch MARK\n"],
    "notebook_cell_script": ["%%script sh\n", "touch MARK\n"],
}
#: A padding comment: enough bytes that ``-j2`` really starts two worker processes.
PADDING = "# " + "padding " * 160 + "\n"


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A socket listening on localhost: a snippet that ran would connect to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, listener: socket.socket) -> Path:
    """A folder with one file per snippet, one notebook per cell kind, and the module
    whose import writes a marker (importable from the folder, as on PYTHONPATH)."""
    root = tmp_path_factory.mktemp("no_execution")
    marks = root / "marks"
    marks.mkdir()
    (root / f"{SIDE_EFFECT_MODULE}.py").write_text(f"open({str(marks / 'imported')!r}, 'w').write('ran')\nvalue = 8\n")
    (root / "run_me.py").write_text(f"open({str(marks / 'run_script')!r}, 'w').write('ran')\n")
    port = listener.getsockname()[1]
    for name, code in SNIPPETS.items():
        mark = marks / name
        payload = b"cos\nsystem\n(S'touch " + str(mark).encode() + b"'\ntR."
        header = f"MARK = {str(mark)!r}\nPORT = {port}\nMODULE = {SIDE_EFFECT_MODULE!r}\nPAYLOAD = {payload!r}\n"
        _path(root, name).write_text(PADDING + KERAS + header + code + MODEL)
    for name, cells in NOTEBOOK_CELLS.items():
        lines = [line.replace("MARK", str(marks / name)).replace("RUN_SCRIPT", str(root / "run_me.py")) for line in cells]
        setup = [KERAS]
        document = {
            "cells": [
                {"cell_type": "markdown", "source": [PADDING]},
                {"cell_type": "code", "source": setup},
                {"cell_type": "code", "source": lines},
                {"cell_type": "code", "source": ["n = 8\n", MODEL]},
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        _path(root, name).write_text(json.dumps(document))
    return root


def _path(project: Path, name: str) -> Path:
    """Where a snippet is. (Not ``pickle.py`` or ``socket.py``: with the folder on PYTHONPATH,
    any Python program importing those modules would run such files; see the test below.)"""
    return project / f"snippet_{name}{'.ipynb' if name in NOTEBOOK_CELLS else '.py'}"


def _assert_no_trace(project: Path, listener: socket.socket) -> None:
    marks = sorted(path.name for path in (project / "marks").iterdir())
    assert marks == [], f"code was executed: markers {marks}"
    with pytest.raises(BlockingIOError):
        listener.accept()  # no connection is waiting


def _pickle_payload_really_runs(tmp_path: Path) -> None:
    """The pickle payload is not a dud: loaded by Python it does run ``touch``."""
    mark = tmp_path / "pickle_check"
    pickle.loads(b"cos\nsystem\n(S'touch " + str(mark).encode() + b"'\ntR.")
    assert mark.exists()


#: Snippets that need no Keras to run: the control experiment runs them with Python.
CONTROLS = ("open_write", "os_system", "import_statement", "in_a_helper", "in_a_default_argument", "in_a_decorator", "in_a_class_body", "main_guard")


def test_the_snippets_leave_traces_when_python_runs_them(project: Path, tmp_path: Path) -> None:
    """The control experiment: run by Python (without the Keras lines, with markers of their
    own), these snippets do leave their marker; so no marker after padlint means it ran nothing."""
    _pickle_payload_really_runs(tmp_path)
    marks = project / "marks"
    module = (project / f"{SIDE_EFFECT_MODULE}.py").read_text().replace(str(marks), str(tmp_path))
    (tmp_path / f"{SIDE_EFFECT_MODULE}.py").write_text(module)
    for name in CONTROLS:
        code = _path(project, name).read_text().replace(str(marks), str(tmp_path))
        script = tmp_path / f"{name}_run.py"
        script.write_text(code.split(KERAS)[1].replace(MODEL, ""))
        subprocess.run([sys.executable, str(script)], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=True, timeout=60)
    left = {path.name for path in tmp_path.iterdir()}
    assert {*CONTROLS, "imported"} - {"import_statement"} <= left


@pytest.mark.parametrize("command", ["check", "summary"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_line_runs_none_of_the_code(project: Path, listener: socket.socket, command: str, jobs: str) -> None:
    environment = {"PYTHONPATH": os.pathsep.join([str(project), os.environ.get("PYTHONPATH", "")])}
    run = run_padlint(command, "-v", "-j", jobs, ".", cwd=project, env=environment, timeout=100)
    assert run.code in (0, 1), run.stderr
    assert f"on {jobs} process" in run.stderr  # -j2 really used two workers
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    _assert_no_trace(project, listener)


def _tripwires(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any call of the functions the snippets name, should padlint ever make one."""
    calls: list[str] = []

    def tripwire(name: str):
        def called(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"padlint called {name}")

        return called

    import importlib

    real_import_module = importlib.import_module

    def import_module(name: str, package: str | None = None):
        if SIDE_EFFECT_MODULE in name:
            calls.append(f"importlib.import_module({name})")
        return real_import_module(name, package)

    for owner, name in ((os, "system"), (os, "popen"), (subprocess, "Popen"), (pickle, "loads"), (socket, "create_connection")):
        monkeypatch.setattr(owner, name, tripwire(f"{owner.__name__}.{name}"))
    monkeypatch.setattr(importlib, "import_module", import_module)
    return calls


def test_the_analysis_in_this_process_runs_none_of_the_code(project: Path, listener: socket.socket, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, with the project on ``sys.path``: no marker, no new module, no call of
    the functions the snippets use; and what the code would compute is unknown."""
    monkeypatch.syspath_prepend(str(project))
    calls = _tripwires(monkeypatch)
    before = set(sys.modules)
    analyses = {path.stem.removeprefix("snippet_"): analyse_source(read_source(path), AnalysisOptions()) for path in sorted(project.glob("*.*")) if path.suffix in (".py", ".ipynb")}
    assert calls == []
    assert SIDE_EFFECT_MODULE not in sys.modules and not {name for name in set(sys.modules) - before if "side_effect" in name or name == "run_me"}
    _assert_no_trace(project, listener)
    for name, analysis in analyses.items():
        if name in SNIPPETS or name in NOTEBOOK_CELLS:
            assert not analysis.internal_errors, (name, analysis.internal_errors)
            assert [model.name for model in analysis.models if model.name == "model"] == ["model"], name


@pytest.mark.parametrize("name", ["eval", "from_import", "pickle", "in_a_lambda", "in_a_default_argument"])
def test_a_size_only_running_the_code_would_give_is_unknown(project: Path, name: str) -> None:
    """``n`` comes out of the call padlint does not make: the Dense size is unknown."""
    analysis = analyse_source(read_source(_path(project, name)), AnalysisOptions())
    (model,) = analysis.models
    assert not model.complete and model.weights.total is None


@pytest.mark.parametrize("name", ["os_system", "subprocess", "in_a_helper", "in_a_decorator", "in_a_class_body", "notebook_shell", "notebook_run"])
def test_a_size_the_side_effect_does_not_touch_is_still_computed(project: Path, name: str) -> None:
    """The side effect is skipped, the rest is analysed: Dense(8) on 4 inputs, 4 * 8 + 8 weights."""
    analysis = analyse_source(read_source(_path(project, name)), AnalysisOptions())
    (model,) = [model for model in analysis.models if model.name == "model"]
    assert model.weights.total == 40


#: Standard modules padlint, or the modules it imports on the way, load after start-up.
SHADOWED = ("json", "pickle", "socket", "subprocess", "selectors", "queue", "signal", "threading", "tempfile", "struct", "copyreg", "fnmatch", "difflib")


def _shadowing_project(root: Path) -> Path:
    """A project whose files are named like standard modules, each leaving a marker if imported,
    and enough model files that ``-j2`` starts workers (which import more modules)."""
    for name in SHADOWED:
        (root / f"{name}.py").write_text(f"open({str(root / ('MARK_' + name))!r}, 'w').write('ran')\nimport keras\n")
    for index in range(30):
        (root / f"model_{index}.py").write_text(PADDING * 2 + KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n")
    return root


@pytest.mark.parametrize("command", ["check", "summary"])
def test_files_named_like_standard_modules_are_not_imported_by_the_console_script(tmp_path: Path, command: str) -> None:
    project = _shadowing_project(tmp_path)
    run = run_padlint(command, "-v", "-j", "2", ".", cwd=project)
    assert run.code == 0 and "on 2 processes" in run.stderr, run.stderr
    assert sorted(path.name for path in project.glob("MARK_*")) == []


def test_files_named_like_standard_modules_are_not_imported_by_python_dash_m(tmp_path: Path) -> None:
    project = _shadowing_project(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "padlint", "check", "--no-cache", "-j", "2", "."],
        cwd=project,
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert sorted(path.name for path in project.glob("MARK_*")) == [], completed.stderr[-2000:]
