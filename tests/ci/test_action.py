"""The composite GitHub Action, its steps run as GitHub's runner runs them (tests/ci/action_runner.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from padlint import __version__
from tests.ci.action_runner import INSTALL, load_action, run_action
from tests.cli.conftest import clean_environment, console_script

pytestmark = pytest.mark.timeout(300)

EXIT = "Exit with padlint's code"


def _annotations(run) -> list[str]:
    return [line for line in run.step("Run padlint").stdout.splitlines() if line.startswith("::")]


def test_inputs_reach_scripts_through_env_only():
    action = load_action()
    assert set(action["inputs"]) >= {"paths", "args", "version", "sarif", "sarif-file", "category", "summary"}
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], f"{step['name']}: inputs are pasted into the script"
            assert "eval" not in step["run"].split(), f"{step['name']}: eval"


def test_annotations_come_before_the_sarif_upload_which_cannot_fail_the_job():
    steps = load_action()["runs"]["steps"]
    names = [step["name"] for step in steps]
    upload = steps[names.index("Upload SARIF")]
    assert names.index("Run padlint") < names.index("Write SARIF") < names.index("Upload SARIF")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["continue-on-error"] is True
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    assert load_action()["inputs"]["category"]["default"] == "padlint"


def test_findings_give_annotations_and_exit_1(tree, tmp_path):
    run = run_action(tree, tmp_path / "runner", paths="models notebooks", args="--ignore PAD301 --select PAD1,PAD2")
    assert INSTALL not in run.names and run.names == ["Run padlint", EXIT]  # no SARIF, not a pull request
    lines = _annotations(run)
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert {line.split("title=")[1].split(" ")[0] for line in lines} == {"PAD102", "PAD201"}
    assert run.outputs["annotate"] == {"exit-code": "1"} and run.outputs["action"] == {"exit-code": "1"}
    assert run.failed is not None and run.failed.name == EXIT and run.failed.code == 1
    assert run.summary == ""


def test_args_with_spaces_and_quotes_reach_padlint_as_one_argument(tree, tmp_path):
    """The README's own example: the old action split it into five words and padlint exited 2."""
    args = """--select PAD2 --config "rules.PAD201.max-shrinkage = 0.5" --config 'rules.PAD201.max-shrinkage=0.5'"""
    run = run_action(tree, tmp_path / "runner", paths="models", args=args)
    [annotation] = _annotations(run)
    assert "title=PAD201" in annotation and "over the 50.0%25 limit" in annotation  # the option reached the rule (% is %25 in a workflow command)
    assert run.outputs["annotate"]["exit-code"] == "1"
    relaxed = run_action(tree, tmp_path / "relaxed", paths="models", args='--select PAD2 --config "rules.PAD201.max-shrinkage = 0.7"')
    assert _annotations(relaxed) == [] and relaxed.outputs["annotate"]["exit-code"] == "0" and relaxed.failed is None


def test_quoted_paths_with_spaces_and_no_globbing(tree, tmp_path):
    (tree / "my models").mkdir()
    shutil.copy(tree / "models" / "shrink.py", tree / "my models" / "shrink copy.py")
    run = run_action(tree, tmp_path / "runner", paths='"my models/shrink copy.py" models/*.py')
    lines = _annotations(run)
    assert any(line.startswith("::warning file=my models/shrink copy.py,") and "PAD201" in line for line in lines)
    assert any(line.startswith("::error file=models/*.py,line=1,") and "PAD001" in line for line in lines)  # not globbed


def test_an_unbalanced_quote_is_an_error_not_a_traceback(tree, tmp_path):
    run = run_action(tree, tmp_path / "runner", paths="models", args='--config "rules.PAD201.max-shrinkage = 0.5')
    assert run.failed is not None and run.failed.name == "Run padlint" and run.failed.code == 2
    assert "cannot split the inputs: PADLINT_ARGS: No closing quotation" in run.failed.stderr and "Traceback" not in run.failed.stderr


def test_sarif_is_written_after_the_annotations_and_a_failed_upload_keeps_them(tree, tmp_path):
    run = run_action(
        tree, tmp_path / "runner", paths="models", sarif="true", sarif_file="out/padlint.sarif", category="padlint-models",
        fail_uses="github/codeql-action/upload-sarif@",  # a fork's pull request: no security-events: write
    )
    assert run.names == ["Run padlint", "Write SARIF", "Upload SARIF", EXIT]
    assert run.step("Write SARIF").code == 0, run.step("Write SARIF").stderr
    assert run.step("Upload SARIF").uses == {"sarif_file": "out/padlint.sarif", "category": "padlint-models"}
    assert _annotations(run)
    document = json.loads((tree / "out" / "padlint.sarif").read_text())
    assert document["version"] == "2.1.0" and document["runs"][0]["results"]
    assert run.failed is not None and run.failed.name == EXIT and run.failed.code == 1  # padlint's code, not the upload's


def _git(repo: Path, *arguments: str) -> str:
    environment = clean_environment(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *arguments], cwd=repo, capture_output=True, text=True, check=True, env=environment).stdout.strip()


@pytest.fixture
def pull_request(tree):
    """``tree`` as a git repository with a base commit and a working-tree change (a layer added)."""
    _git(tree, "init", "-q")
    _git(tree, "add", "-A")
    _git(tree, "commit", "-q", "-m", "base")
    shrink = tree / "models" / "shrink.py"
    shrink.write_text(shrink.read_text().replace("    Flatten(),\n", "    Conv2D(16, kernel_size=(1, 1)),\n    Flatten(),\n"))
    return tree, _git(tree, "rev-parse", "HEAD")


def _has_diff_command() -> bool:
    """Whether this padlint has the ``diff`` command (without it, ``diff`` reads as a path to check)."""
    probe = subprocess.run([console_script("padlint"), "diff", "--help"], capture_output=True, text=True, check=False, env=clean_environment())
    return probe.stdout.startswith("usage: padlint diff")


def test_pull_request_summary_lists_findings_and_the_architecture_diff(pull_request, tmp_path):
    repo, base = pull_request
    run = run_action(repo, tmp_path / "runner", event="pull_request", base_sha=base, paths="models notebooks")
    assert run.names == ["Run padlint", "Job summary", EXIT] and run.step("Job summary").code == 0
    findings = json.loads(subprocess.run(
        [console_script("padlint"), "check", "--output-format", "json", "--exit-zero", "models", "notebooks"],
        cwd=repo, capture_output=True, text=True, check=True, env=clean_environment(),
    ).stdout)
    files = {finding["path"] for finding in findings}
    assert run.summary.startswith(f"### padlint: {len(findings)} findings (")
    assert f" in {len(files)} files\n" in run.summary.splitlines(keepends=True)[0]
    assert any(finding["cell"] is not None for finding in findings)
    for finding in findings:
        cell = "" if finding["cell"] is None else f" cell {finding['cell']}"
        assert f"| `{finding['path']}{cell}:{finding['line']}` | {finding['code']} |" in run.summary
    if _has_diff_command():  # padlint diff lands in a parallel branch: then its markdown is in the summary
        diff = subprocess.run(
            [console_script("padlint"), "diff", "--output-format", "markdown", base, "models", "notebooks"],
            cwd=repo, capture_output=True, text=True, check=True, env=clean_environment(),
        ).stdout
        assert diff.strip() and diff in run.summary
    else:
        assert f"_padlint diff is not available here: padlint {__version__} has no `diff` command._" in run.summary


def test_a_base_commit_missing_from_a_shallow_checkout_leaves_a_note(pull_request, tmp_path):
    repo, _ = pull_request
    run = run_action(repo, tmp_path / "runner", event="pull_request", base_sha="0" * 40, paths="models")
    assert run.step("Job summary").code == 0
    assert "is not in the checkout (use actions/checkout with `fetch-depth: 0`)" in run.summary


def test_no_summary_on_push_or_when_turned_off(pull_request, tmp_path):
    repo, base = pull_request
    assert run_action(repo, tmp_path / "push", event="push", base_sha=base, paths="models").summary == ""
    off = run_action(repo, tmp_path / "off", event="pull_request", base_sha=base, paths="models", summary="false")
    assert "Job summary" not in off.names and off.summary == ""


def test_the_summary_passes_the_base_commit_and_the_paths_to_padlint_diff(pull_request, tmp_path):
    """With a padlint that has ``diff`` (a stand-in here, whatever this branch's padlint has)."""
    repo, base = pull_request
    stand_in = tmp_path / "padlint"
    stand_in.write_text(
        "#!/bin/bash\n"
        'if [ "$1" = diff ]; then\n'
        '  if [ "$2" = --help ]; then echo "usage: padlint diff [REV] [PATH...]"; exit 0; fi\n'
        '  printf "#### architecture change\\n"; printf "arg=%s\\n" "$@"; exit 0\n'
        "fi\n"
        f'exec {console_script("padlint")} "$@"\n'
    )
    stand_in.chmod(0o755)
    run = run_action(repo, tmp_path / "runner", event="pull_request", base_sha=base, paths='models "my notebooks"', padlint_bin=str(stand_in))
    assert run.step("Job summary").code == 0
    expected = ["diff", "--output-format", "markdown", base, "models", "my notebooks"]
    assert "\n#### architecture change\n" + "".join(f"arg={word}\n" for word in expected) in run.summary
