"""The commands action.yml runs, with its inputs split the way a shell would, never evaluated.

GitHub hands a composite action's inputs over as strings. Pasting ``${{ inputs.args }}`` into a
``run:`` script lets a pull request's workflow inject shell, and expanding an unquoted variable
splits ``--config "rules.PAD201.max-shrinkage = 0.4"`` into five words (padlint then exits 2).
So the steps pass the inputs through the environment and this script splits them with
:func:`shlex.split` (POSIX rules: quotes group, no globbing, no substitution) and runs padlint
with an argument list. It uses the standard library only: it runs under the runner's python3,
whatever padlint version the action installed.

Usage: ``python3 padlint_action.py annotate|sarif|summary``. Environment:

- ``PADLINT_BIN``: the padlint executable (the install step writes it to ``$GITHUB_ENV``);
- ``PADLINT_ARGS``, ``PADLINT_PATHS``: the ``args`` and ``paths`` inputs;
- ``PADLINT_SARIF``: the ``sarif-file`` input (``sarif``);
- ``PADLINT_BASE_SHA``: the pull request's base commit (``summary``);
- ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``: the files GitHub reads back.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections import Counter

#: Findings listed one by one in the job summary; the rest are counted.
LISTED = 50


def _words(variable: str) -> list[str]:
    return shlex.split(os.environ.get(variable, ""))


def _check(*options: str) -> list[str]:
    return [os.environ["PADLINT_BIN"], "check", *options, *_words("PADLINT_ARGS"), *_words("PADLINT_PATHS")]


def _append(variable: str, text: str) -> None:
    """Append to one of the files GitHub reads after the step (no-op outside Actions)."""
    target = os.environ.get(variable)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)


def annotate() -> int:
    """Print the findings as workflow commands (annotations) and record padlint's exit code.

    The step itself succeeds so that the SARIF upload and the job summary still run; the
    action's last step exits with the recorded code.
    """
    code = subprocess.run(_check("--output-format", "github"), check=False).returncode
    _append("GITHUB_OUTPUT", f"exit-code={code}\n")
    return 0


def sarif() -> int:
    target = os.environ.get("PADLINT_SARIF") or "padlint.sarif"
    return subprocess.run(_check("--output-format", "sarif", "--exit-zero", "--output-file", target), check=False).returncode


def _where(finding: dict) -> str:
    """``path:line``; a notebook's line counts within its cell, as padlint's terminal output says."""
    cell = f" cell {finding['cell']}" if finding.get("cell") is not None else ""
    return f"{finding['path']}{cell}:{finding['line']}"


def _findings_summary() -> str:
    process = subprocess.run(_check("--output-format", "json", "--exit-zero"), capture_output=True, text=True, check=False)
    if process.returncode != 0:
        return f"### padlint\n\n`padlint check` exited {process.returncode}:\n\n```\n{process.stderr.strip()}\n```\n"
    findings = json.loads(process.stdout or "[]")
    if not findings:
        return "### padlint: no findings\n"
    severities = Counter(finding["severity"] for finding in findings)
    files = {finding["path"] for finding in findings}
    counts = ", ".join(f"{count} {severity}{'s' if count > 1 else ''}" for severity, count in sorted(severities.items()))
    lines = [f"### padlint: {len(findings)} finding{'s' if len(findings) > 1 else ''} ({counts}) in {len(files)} file{'s' if len(files) > 1 else ''}", ""]
    lines += ["| rule | severity | count |", "| --- | --- | ---: |"]
    by_rule = Counter((finding["code"], finding["name"], finding["severity"]) for finding in findings)
    for (code, name, severity), count in sorted(by_rule.items()):
        lines.append(f"| {code} `{name}` | {severity} | {count} |")
    lines += ["", "| where | rule | message |", "| --- | --- | --- |"]
    for finding in findings[:LISTED]:
        where = _where(finding)
        message = finding["message"].replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{where}` | {finding['code']} | {message} |")
    if len(findings) > LISTED:
        lines.append(f"\n{len(findings) - LISTED} more in the annotations and the log.")
    return "\n".join(lines) + "\n"


def _have_commit(revision: str) -> bool:
    probe = subprocess.run(["git", "cat-file", "-e", f"{revision}^{{commit}}"], capture_output=True, check=False)
    return probe.returncode == 0


def _diff_summary(base: str) -> str:
    """``padlint diff --output-format markdown BASE``, or a note saying why there is none.

    It fails soft: a padlint without the ``diff`` command (an older ``version`` input), a
    shallow checkout without the base commit, or any error leaves a note, never a failed job.
    """
    if not base:
        return ""
    if not _have_commit(base):
        # actions/checkout fetches one commit by default: try to fetch the base alone.
        subprocess.run(["git", "fetch", "--quiet", "--no-tags", "--depth=1", "origin", base], capture_output=True, check=False)
    if not _have_commit(base):
        return f"\n_padlint diff: the base commit {base[:12]} is not in the checkout (use actions/checkout with `fetch-depth: 0`)._\n"
    padlint = os.environ["PADLINT_BIN"]
    # A padlint without the command reads `diff` as a path to check: ask for its usage line.
    probe = subprocess.run([padlint, "diff", "--help"], capture_output=True, text=True, check=False)
    if not probe.stdout.startswith("usage: padlint diff"):
        version = subprocess.run([padlint, "--version"], capture_output=True, text=True, check=False).stdout.strip()
        return f"\n_padlint diff is not available here: {version or 'this padlint'} has no `diff` command._\n"
    command = [padlint, "diff", "--output-format", "markdown", base, *_words("PADLINT_PATHS")]
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        reason = (process.stderr.strip().splitlines() or [f"exit code {process.returncode}"])[-1]
        return f"\n_padlint diff failed: {reason}_\n"
    return "\n" + process.stdout


def summary() -> int:
    _append("GITHUB_STEP_SUMMARY", _findings_summary() + _diff_summary(os.environ.get("PADLINT_BASE_SHA", "")))
    return 0


COMMANDS = {"annotate": annotate, "sarif": sarif, "summary": summary}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(f"usage: padlint_action.py {'|'.join(COMMANDS)}", file=sys.stderr)
        return 2
    for variable in ("PADLINT_ARGS", "PADLINT_PATHS"):
        try:
            _words(variable)
        except ValueError as error:  # an unbalanced quote
            print(f"padlint action: cannot split the inputs: {variable}: {error}", file=sys.stderr)
            return 2
    return COMMANDS[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
