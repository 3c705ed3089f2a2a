"""``--output-format pylint``: ``path:line: [CODE] message``, as ruff writes pylint's parseable format."""

from __future__ import annotations

from padlint.reporters.common import Report, position
from padlint.reporters.escape import printable


def render(report: Report) -> str:
    return "".join(
        f"{printable(result.source.path)}:{position(result, finding.line)}: [{finding.code}] {printable(finding.message)}\n" for result, finding in report.entries()
    )
