"""The README's benchmark command works end to end (on a small repository; no timing is asserted).

The figures themselves are machine-dependent and are read by people from the
table; what this test holds is that every measurement runs, that padlint's
output on the generated code is what it should be (a warm run repeats the cold
run's report; every layer of the scaling models has its row), and that the
inputs are generated as described.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import checkout

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_every_measurement_and_writes_its_figures(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--files", "20", "--rounds", "1", "--repo-rounds", "1", "--no-tensorflow", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=checkout.environment(),  # the benchmark runs this checkout's padlint, whatever is installed
    )
    assert run.returncode in (0, 1), run.stderr[-3000:]  # 1: a target missed, which a 20-file repository may
    figures = json.loads((tmp_path / "results.json").read_text())

    assert figures["inputs"]["files"] == 20 and figures["inputs"]["model_files"] == 4  # one in five
    modules = [path for path in (tmp_path / "repo").rglob("*.py") if path.name != "__init__.py"]  # plus empty package markers
    assert len(modules) == 20
    repository = figures["repository"]
    assert repository["warm_output_equals_cold"] is True
    assert repository["padlint_cold_peak_mb"][0] > 0 and repository["flake8_s"][0] > 0
    for layers in ("50", "500", "5000"):
        assert figures["scaling"][layers]["summary_rows"] == int(layers)
    for name, summary in figures["summaries"].items():
        assert summary["padlint_totals"], name
        assert "--no-tensorflow" in summary["skipped"]
    assert figures["summaries"]["resnet50_functional.py"]["padlint_totals"] == [25_636_712]
    assert figures["verdicts"]["summary_speedup"] is None  # skipped, not passed
    assert set(figures["verdicts"]) == set(figures["targets"])
    server = figures["server"]  # the test extra installs the server extra
    assert server["edits"] == 20 and len(server["change_to_diagnostics_s"]) == 20
    assert 0 < server["median_s"] <= server["p95_s"] <= max(server["change_to_diagnostics_s"])
    for measurement in ("cold run, 20 files", "warm re-run (cache)", "one model file", "summary, the 400-line model file", "5000 layers",
                        "peak memory", "server: didChange -> diagnostics ("):
        assert measurement in run.stdout, measurement
