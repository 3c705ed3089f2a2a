"""``--output-format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array with one issue per finding, with the fields GitLab requires
(https://docs.gitlab.com/ci/testing/code_quality/, "Code Quality report format"):
``description`` (the code and message, as ruff writes it), ``check_name`` (the
rule's code), ``fingerprint`` (stable across runs, so that the merge request widget
tells new issues from fixed ones: :mod:`padlint.reporters.fingerprints`),
``severity`` (error: ``critical``, warning: ``major``, info: ``minor``),
``location.path`` (relative to the repository root, as GitLab resolves it) and
``location.lines.begin`` (and ``end``); also ``type`` and ``categories``, as the
Code Climate format GitLab's is a subset of has them. In a notebook the lines are those of the ``.ipynb`` file holding
the code, and the description starts with ``cell N, line L:``.

JSON escapes the control characters of names and paths, and :func:`json_safe`
those JSON allows raw.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from padlint.findings import Severity
from padlint.reporters.common import Report
from padlint.reporters.escape import json_safe
from padlint.reporters.fingerprints import fingerprints, relative_path

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "minor"}


def render(report: Report) -> str:
    root = (report.root or Path.cwd()).resolve()
    issues: list[dict[str, Any]] = []
    for (result, finding), fingerprint in zip(report.entries(), fingerprints(report, root)):
        source = result.source
        message = finding.message if not source.is_notebook else f"{source.line_label(finding.line)}: {finding.message}"
        begin, end = source.file_line(finding.line), source.file_line(finding.end_line)
        issues.append({
            "type": "issue",
            "check_name": finding.code,
            "description": f"{finding.code}: {message}",
            "categories": ["Bug Risk"],
            "fingerprint": hashlib.md5(fingerprint.encode("ascii"), usedforsecurity=False).hexdigest(),
            "severity": SEVERITIES.get(finding.severity, "info"),
            "location": {"path": relative_path(source.path, root), "lines": {"begin": begin, "end": end}},
        })
    return json_safe(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
