"""``--output-format sarif``: SARIF 2.1.0 as GitHub code scanning takes it.

- ``tool.driver.rules``: the rules that ran (those selected for some checked file,
  whether they found anything or not: GitHub closes the alerts of a rule that ran
  and found nothing, and only then), by code, as ruff lists them (id, name, short
  and full description, help as text and Markdown from ``Rule.documentation()``,
  helpUri into docs/rules.md, default level); results point at them by ``ruleIndex``.
- ``results``: ``ruleId``, ``level`` (error, warning, note), the message with
  the fix suggestion, one location whose ``artifactLocation.uri`` is relative to
  the repository root (``uriBaseId`` ``%SRCROOT%``) with a 1-based region,
  ``partialFingerprints.primaryLocationLineHash`` (:mod:`padlint.reporters.fingerprints`:
  GitHub needs it to match alerts across runs), and ``relatedLocations`` for the
  other layers a finding names (:class:`padlint.findings.Related`), each linked
  from the message as SARIF embeds links (``[line 10](1)``; the message's own
  square brackets are then escaped with a backslash, as the format requires).
- Notebooks: the region's lines and columns are those of the ``.ipynb`` file
  holding the code (columns count the characters of the file's JSON line, where
  the code's line sits inside a string), so GitHub marks the right characters of
  the file it shows; the result's ``properties`` keep ``cell``, ``cellLine`` and
  ``cellColumn``, and the message starts with ``cell N, line L:``.
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
from padlint.reporters.fingerprints import fingerprints
from padlint.source import SourceFile, cell_line_strings, source_strings

if TYPE_CHECKING:
    from padlint.findings import Related
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


class Places:
    """Where the lines and columns of a source's text are in its file: the same in a Python file; in
    a notebook, the line of the ``.ipynb`` JSON holding the code and the column there (the code's
    characters sit inside a JSON string, escapes and all)."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self._strings: dict | None = None

    def region(self, line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
        if not self.source.is_notebook:
            return {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": max(end_column, column) if end_line == line else end_column,
            }
        start, end = self.file_position(line, column), self.file_position(end_line, end_column)
        if start is None or end is None or end < start:
            return {"startLine": self.source.file_line(line), "endLine": self.source.file_line(end_line)}
        return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}

    def file_position(self, line: int, column: int) -> tuple[int, int] | None:
        """The (line, column) of the ``.ipynb`` file holding column ``column`` of line ``line`` of the
        notebook's text (both 1-based); None where that cannot be told (a blanked magic line)."""
        source = self.source
        found = source.cell_of(line)
        raw = source.raw or ""
        if found is None:
            return None
        if self._strings is None:
            self._strings = source_strings(raw)
        per_line = cell_line_strings(self._strings.get(found[0].number, []))
        if not 0 < found[1] <= len(per_line):
            return None
        string, offset = per_line[found[1] - 1]
        text = source.line_text(line)
        wanted = offset + column - 1
        if string.value[offset : offset + len(text)] != text or not offset <= wanted <= offset + len(text):
            return None
        index = _raw_index(raw, string.start, string.end, wanted)
        if index is None:
            return None
        return string.file_line, index - (raw.rfind("\n", 0, string.start) + 1) + 1


def _raw_index(raw: str, start: int, end: int, wanted: int) -> int | None:
    """The offset in ``raw`` of the ``wanted``-th decoded character of the JSON string ``raw[start:end]``."""
    index, decoded = start + 1, 0  # past the opening quote
    while index < end - 1:
        if decoded == wanted:
            return index
        if raw[index] != "\\":
            index += 1
        elif raw[index + 1] != "u":
            index += 2
        elif 0xD800 <= int(raw[index + 2 : index + 6], 16) <= 0xDBFF and raw[index + 6 : index + 8] == "\\u":
            index += 12  # a surrogate pair: one character
        else:
            index += 6
        decoded += 1
    return index if decoded == wanted else None


def escape_brackets(text: str) -> str:
    """A message's literal square brackets, escaped as SARIF's embedded links require (section 3.11.6)."""
    return text.replace("[", "\\[").replace("]", "\\]")


def result_json(result: FileResult, finding: Finding, index: int, root: Path, places: Places, fingerprint: str) -> dict[str, Any]:
    source = result.source
    message = finding.message
    properties: dict[str, Any] = {}
    if source.is_notebook:
        found = source.cell_of(finding.line)
        if found is not None:
            properties = {"cell": found[0].number, "cellLine": found[1], "cellColumn": finding.column}
        message = f"{source.line_label(finding.line)}: {message}"
    if finding.fix:
        message += f" (help: {finding.fix})"
    location = artifact(source.path, root)
    document: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS.get(finding.severity, "note"),
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": places.region(finding.line, finding.column, finding.end_line, finding.end_column)}}],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    if finding.related:
        document["relatedLocations"] = [related_json(place, number, location, places) for number, place in enumerate(finding.related, start=1)]
        links = ", ".join(f"[{source.line_label(place.line)}]({number})" for number, place in enumerate(finding.related, start=1))
        document["message"]["text"] = f"{escape_brackets(message)} (related: {links})"
    if properties:
        document["properties"] = properties
    return document


def related_json(place: Related, number: int, location: dict[str, Any], places: Places) -> dict[str, Any]:
    return {
        "id": number,
        "physicalLocation": {"artifactLocation": location, "region": places.region(place.line, place.column, place.end_line, place.end_column)},
        "message": {"text": place.message},
    }


def sarif_document(report: Report) -> dict[str, Any]:
    from padlint.catalogue import rule_by_code

    codes = sorted({*(report.rules or ()), *(finding.code for _, finding in report.entries())})
    rules = [rule for rule in (rule_by_code(code) for code in codes) if rule is not None]
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = (report.root or Path.cwd()).resolve()
    places = {id(result): Places(result.source) for result in report.results}
    results = [
        result_json(result, finding, index.get(finding.code, -1), root, places[id(result)], fingerprint)
        for (result, finding), fingerprint in zip(report.entries(), fingerprints(report, root))
    ]
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
