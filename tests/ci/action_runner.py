"""Run action.yml's steps the way GitHub's runner does, in a temporary folder.

Each ``run:`` step is executed with ``bash --noprofile --norc -eo pipefail`` (GitHub's
command for ``shell: bash``), its ``env:`` mapping resolved from the inputs (defaults
applied, values as strings) and the ``github``/``steps`` contexts, a fresh
``GITHUB_OUTPUT`` and ``GITHUB_ENV`` file per step read back afterwards, one
``GITHUB_STEP_SUMMARY`` file for the job. ``if:`` conditions are evaluated for the few
forms action.yml uses (``a == 'b'`` joined by ``&&``); any other form fails the test, so
a condition cannot silently stop being checked. ``uses:`` steps are recorded, not run;
``fail_uses`` makes one fail, as the SARIF upload does without ``security-events: write``.
The install step is checked for syntax only: ``PADLINT_BIN`` points at this checkout's
console script instead, as the install step's ``$GITHUB_ENV`` line would.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import clean_environment, console_script
from tests.helpers import PROJECT

INSTALL = "Install padlint"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
COMPARISON = re.compile(r"^([\w.-]+) == '([^']*)'$")


def load_action() -> dict:
    return yaml.safe_load((PROJECT / "action.yml").read_text())


@dataclass
class StepRun:
    name: str
    code: int | None  # None: a `uses:` step, recorded only
    stdout: str = ""
    stderr: str = ""
    uses: dict | None = None


@dataclass
class ActionRun:
    steps: list[StepRun]
    summary: str
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def step(self, name: str) -> StepRun:
        [found] = [step for step in self.steps if step.name == name]
        return found

    @property
    def failed(self) -> StepRun | None:
        """The step that failed the job (GitHub stops at it), if any."""
        last = self.steps[-1] if self.steps else None
        return last if last is not None and last.code not in (0, None) else None


def _read_key_values(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, separator, value = line.partition("=")
        assert separator, f"{path.name}: not KEY=VALUE: {line!r}"
        values[key] = value
    return values


class _Context:
    def __init__(self, inputs: dict[str, str], github: dict[str, str]) -> None:
        self.inputs = inputs
        self.github = github
        self.outputs: dict[str, dict[str, str]] = {}

    def value(self, expression: str) -> str:
        if expression.startswith("inputs."):
            return self.inputs[expression.removeprefix("inputs.")]
        if expression.startswith("github."):
            return self.github.get(expression.removeprefix("github."), "")
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match[1], {}).get(match[2], "")
        pytest.fail(f"action.yml: an expression this runner does not know: {expression!r}")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: self.value(match[1]), str(text))

    def condition(self, text: str) -> bool:
        result = True
        for part in text.split("&&"):
            match = COMPARISON.match(part.strip())
            if match is None:
                pytest.fail(f"action.yml: an if: this runner does not evaluate: {text!r}")
            result = result and self.value(match[1]) == match[2]
        return result


def run_action(
    cwd: Path,
    scratch: Path,
    *,
    event: str = "push",
    base_sha: str = "",
    fail_uses: str | None = None,
    padlint_bin: str | None = None,
    **inputs: str,
) -> ActionRun:
    """Run every step of action.yml in ``cwd``; ``inputs`` use the input names with ``-`` as ``_``."""
    action = load_action()
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for key, value in inputs.items():
        name = key.replace("_", "-")
        assert name in values, f"action.yml has no input {name!r}"
        values[name] = value
    github = {"action_path": str(PROJECT), "event_name": event, "event.pull_request.base.sha": base_sha, "workspace": str(cwd)}
    context = _Context(values, github)
    scratch.mkdir(parents=True, exist_ok=True)
    summary = scratch / "step_summary.md"
    summary.write_text("")
    job_env = clean_environment(
        PADLINT_BIN=padlint_bin or console_script("padlint"),
        RUNNER_TEMP=str(scratch),
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_NAME=event,
        GITHUB_ACTION_PATH=str(PROJECT),
        GITHUB_WORKSPACE=str(cwd),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    runs: list[StepRun] = []
    for index, step in enumerate(action["runs"]["steps"]):
        name = step["name"]
        if "if" in step and not context.condition(step["if"]):
            continue
        if "uses" in step:
            failed = fail_uses is not None and step["uses"].startswith(fail_uses)
            runs.append(StepRun(name, None, uses={key: context.substitute(value) for key, value in step.get("with", {}).items()}))
            if failed and not step.get("continue-on-error", False):
                runs[-1].code = 1
                break
            continue
        assert step.get("shell") == "bash", f"{name}: composite run steps need shell: bash"
        if name == INSTALL:
            syntax = subprocess.run(["bash", "-n", "-c", step["run"]], capture_output=True, text=True, check=False)
            assert syntax.returncode == 0, syntax.stderr
            continue
        output, env_file = scratch / f"output_{index}", scratch / f"env_{index}"
        output.write_text("")
        env_file.write_text("")
        env = {**job_env, **{key: context.substitute(value) for key, value in step.get("env", {}).items()}}
        env.update(GITHUB_OUTPUT=str(output), GITHUB_ENV=str(env_file))
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300,
        )
        runs.append(StepRun(name, process.returncode, process.stdout, process.stderr))
        if "id" in step:
            context.outputs[step["id"]] = _read_key_values(output)
        job_env.update(_read_key_values(env_file))
        if process.returncode != 0 and not step.get("continue-on-error", False):
            break
    outputs = {name: context.substitute(spec["value"]) for name, spec in action.get("outputs", {}).items()}
    return ActionRun(runs, summary.read_text(), {"action": outputs, **context.outputs})
