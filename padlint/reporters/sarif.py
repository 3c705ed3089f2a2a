"""``--output-format sarif``: SARIF 2.1.0 as GitHub code scanning takes it.

- ``tool.driver.rules``: the rules with results, by code, as ruff lists them (id,
  name, short and full description, help as text and Markdown from
  ``Rule.documentation()``, helpUri into docs/rules.md, default level);
  results point at them by ``ruleIndex``.
- ``results``: ``ruleId``, ``level`` (error, warning, note), the message with
  the fix suggestion, and one location whose ``artifactLocation.uri`` is
  relative to the repository root (``uriBaseId`` ``%SRCROOT%``) with a 1-based region.
- Notebooks: the region's lines are lines of the ``.ipynb`` file holding the
  code (no columns: they would count JSON characters); the result's
  ``properties`` keep ``cell``, ``cellLine`` and ``cellColumn``, and the message
  starts with ``cell N, line L:``.
- Internal errors become ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from padlint import __version__
from padlint.findings import Finding, Severity
from padlint.reporters.common import REPOSITORY_URL, Report, rule_url
from padlint.reporters.escape import json_safe

if TYPE_CHECKING:
    from padlint.rule import Rule
    from padlint.run import FileResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _section(text: str, title: str) -> str:
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#|\Z)", text, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    documentation = rule.documentation()
    summary = rule.summary()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _section(documentation, "What it does") or summary},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "note")},
        "properties": {"tags": ["keras", rule.severity]},
    }


def artifact(path: str, root: Path) -> dict[str, Any]:
    """The file's URI, relative to the root when it is inside. The name's bytes are percent-encoded
    (``os.fsencode``), so a name that is not UTF-8 (``caf\\xe9.py``) is ``caf%E9.py``, as git stores it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(os.fsencode(relative.as_posix())), "uriBaseId": "%SRCROOT%"}


def result_json(result: FileResult, finding: Finding, index: int, root: Path) -> dict[str, Any]:
    source = result.source
    message = finding.message
    properties: dict[str, Any] = {}
    if source.is_notebook:
        region = {"startLine": source.file_line(finding.line), "endLine": source.file_line(finding.end_line)}
        found = source.cell_of(finding.line)
        if found is not None:
            properties = {"cell": found[0].number, "cellLine": found[1], "cellColumn": finding.column}
        message = f"{source.line_label(finding.line)}: {message}"
    else:
        region = {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": max(finding.end_column, finding.column) if finding.end_line == finding.line else finding.end_column,
        }
    if finding.fix:
        message += f" (help: {finding.fix})"
    document: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS.get(finding.severity, "note"),
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact(source.path, root), "region": region}}],
    }
    if properties:
        document["properties"] = properties
    return document


def sarif_document(report: Report) -> dict[str, Any]:
    from padlint.catalogue import rule_by_code

    codes = sorted({finding.code for _, finding in report.entries()})
    rules = [rule for rule in (rule_by_code(code) for code in codes) if rule is not None]
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = (report.root or Path.cwd()).resolve()
    results = [result_json(result, finding, index.get(finding.code, -1), root) for result, finding in report.entries()]
    for item in results:
        if item["ruleIndex"] < 0:
            del item["ruleIndex"]
    invocation: dict[str, Any] = {"executionSuccessful": not report.internal_errors}
    if report.internal_errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": text}} for text in report.internal_errors]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "padlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY_URL,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(report: Report) -> str:
    return json_safe(json.dumps(sarif_document(report), indent=2, ensure_ascii=False)) + "\n"
