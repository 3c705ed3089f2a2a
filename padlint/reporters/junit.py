"""``--output-format junit``: JUnit XML, laid out as ruff writes it, for CI systems that show test reports.

One ``<testsuite>`` per file with findings (named by its path, ``package="org.padlint"``),
one failing ``<testcase>`` per finding (``name="org.padlint.PAD201"``, ``classname``
the path without its extension, ``line`` and ``column`` attributes), whose
``<failure message="...">`` holds the message and whose text says
``line L, col C, message``; a run without findings is one suite ``padlint`` with
one passing case, "No errors found". In a notebook the line is that of the
``.ipynb`` file holding the code, with no column, and the message starts with
``cell N, line L:``.

XML 1.0 cannot hold most control characters at all, not even as character
references: what comes from the user's files is escaped by
:func:`padlint.reporters.escape.printable` first (``\\x1b``), lone surrogates are
written as ``\\udcxx``, and then ``&``, ``<``, ``>`` and quotes become entities.
"""

from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape, quoteattr

from padlint.reporters.common import Report
from padlint.reporters.escape import printable

#: What printable() keeps but XML 1.0 or UTF-8 cannot carry: lone surrogates (a file name's bytes).
_SURROGATES = re.compile("[\ud800-\udfff]")


def xml_text(text: str) -> str:
    """User text made safe for XML character data (then :func:`escape` or :func:`quoteattr`)."""
    return _SURROGATES.sub(lambda match: f"\\u{ord(match.group()):04x}", printable(text))


def render(report: Report) -> str:
    suites: list[tuple[str, list[str]]] = []
    for result in report.results:
        if not result.findings:
            continue
        source = result.source
        path = source.path.replace(os.sep, "/")
        stem, _ = os.path.splitext(path)
        cases = []
        for finding in result.findings:
            message = finding.message
            if source.is_notebook:
                message = f"{source.line_label(finding.line)}: {message}"
                line, column = source.file_line(finding.line), 0
            else:
                line, column = finding.line, finding.column
            body = xml_text(message)
            cases.append(
                f"        <testcase name=\"org.padlint.{finding.code}\" classname={quoteattr(xml_text(stem))} line=\"{line}\" column=\"{column}\">\n"
                f"            <failure message={quoteattr(body)}>{escape(f'line {line}, col {column}, {body}')}</failure>\n"
                f"        </testcase>\n"
            )
        suites.append((xml_text(path), cases))
    count = sum(len(cases) for _, cases in suites)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<testsuites name="padlint" tests="{max(count, 1)}" failures="{count}" errors="0">\n']
    if not suites:
        lines.append('    <testsuite name="padlint" tests="1" disabled="0" errors="0" failures="0" package="org.padlint">\n')
        lines.append('        <testcase name="No errors found" classname="padlint" />\n')
        lines.append("    </testsuite>\n")
    for name, cases in suites:
        lines.append(f'    <testsuite name={quoteattr(name)} tests="{len(cases)}" disabled="0" errors="0" failures="{len(cases)}" package="org.padlint">\n')
        lines.extend(cases)
        lines.append("    </testsuite>\n")
    lines.append("</testsuites>\n")
    return "".join(lines)
