"""``--output-format pylint``: ``path:line: [CODE] message``, as ruff writes pylint's parseable format."""

from __future__ import annotations

from padlint.reporters.common import Report, position


def render(report: Report) -> str:
    return "".join(f"{result.source.path}:{position(result, finding.line)}: [{finding.code}] {finding.message}\n" for result, finding in report.entries())
