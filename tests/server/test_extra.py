"""Linting needs nothing of the server extra: the CLI imports pygls only for ``padlint server``,
which without the extra says how to install it (exit code 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from padlint.server import MISSING_EXTRA

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "seed_000_zero_padding.py"


def test_padlint_check_never_imports_pygls() -> None:
    probe = (
        "import sys\nfrom padlint.cli import main\n"
        f"code = main(['check', '--no-cache', {str(SEED)!r}])\n"
        "print(code, sorted(name for name in sys.modules if name.split('.')[0] in ('pygls', 'lsprotocol')))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert run.stdout.strip().splitlines()[-1] == "1 []", run.stderr


def test_padlint_server_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    for package in ("pygls", "lsprotocol"):  # importing either fails, as when they are not installed
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(f"raise ImportError('No module named {package}')\n")
    run = subprocess.run([sys.executable, "-m", "padlint", "server"], capture_output=True, text=True, check=False,
                         env={"PYTHONPATH": str(tmp_path), "PATH": ""}, stdin=subprocess.DEVNULL, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == MISSING_EXTRA and "pip install 'padlint[server]'" in run.stderr
    assert run.stdout == ""
