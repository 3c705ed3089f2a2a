"""The pre-commit hook and the composite GitHub Action, run as their YAML says."""

from __future__ import annotations

import json
import shlex
import subprocess

import yaml

from tests.cli.conftest import clean_environment, console_script
from tests.helpers import PROJECT


def test_pre_commit_hook_runs_padlint_on_the_staged_files(tree):
    [hook] = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "padlint" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    (tree / "padlint.toml").write_text('extend-exclude = ["broken"]\n')
    # pre-commit appends the staged files to the entry.
    command = shlex.split(hook["entry"]) + ["models/shrink.py", "broken/syntax_error.py", "notebooks/pooling.ipynb"]
    command[0] = console_script(command[0])
    process = subprocess.run(command, cwd=tree, capture_output=True, text=True, env=clean_environment(), check=False)
    assert process.returncode == 1
    reported = sorted({line.split(":")[0] for line in process.stdout.splitlines() if ": PAD" in line})
    assert reported == ["models/shrink.py", "notebooks/pooling.ipynb"]  # the excluded file is skipped


def _action():
    return yaml.safe_load((PROJECT / "action.yml").read_text())


def test_action_inputs_and_steps():
    action = _action()
    assert set(action["inputs"]) >= {"paths", "args", "version", "sarif"}
    assert action["runs"]["using"] == "composite"
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    assert steps["Upload SARIF"]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert steps["Upload SARIF"]["if"] == steps["Write SARIF"]["if"] == "inputs.sarif == 'true'"
    for step in steps.values():
        if "run" in step:
            assert "${{" not in step["run"], "inputs reach scripts through env, never pasted into them"


def _run_step(name: str, cwd, **inputs: str) -> subprocess.CompletedProcess:
    action = _action()
    [step] = [step for step in action["runs"]["steps"] if step["name"] == name]
    defaults = {key: str(value.get("default", "")) for key, value in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = clean_environment(PADLINT_BIN=console_script("padlint"))
    for key, expression in step.get("env", {}).items():
        input_name = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = values[input_name]
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True, env=env, check=False)


def test_action_run_step_prints_annotations(tree):
    process = _run_step("Run padlint", tree, paths="models notebooks", args="--ignore PAD301 --select PAD1,PAD2")
    assert process.returncode == 1
    lines = process.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert {line.split("title=")[1].split(" ")[0] for line in lines} == {"PAD102", "PAD201"}


def test_action_paths_are_not_globbed(tree):
    process = _run_step("Run padlint", tree, paths="models/*.py")
    assert process.returncode == 1
    assert process.stdout.startswith("::error file=models/*.py,line=1,col=1,endLine=1,endColumn=1,title=PAD001 syntax-error::cannot read: No such file")


def test_action_sarif_step(tree):
    process = _run_step("Write SARIF", tree, paths="models", **{"sarif-file": "out/padlint.sarif"})
    assert process.returncode == 0, process.stderr
    document = json.loads((tree / "out" / "padlint.sarif").read_text())
    assert document["version"] == "2.1.0" and document["runs"][0]["results"]
