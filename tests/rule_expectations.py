"""Expected findings written in source, flake8-bugbear style.

A line that must be reported ends with a comment naming the code:
``x = layers.Conv2D(8, 5)(x)  # PAD101``. The expected column is the start of
the first class-like call on the line (``layers.Conv2D(``), or the first
non-blank character; ``# PAD101@12`` states it explicitly. Several codes may
share a line: ``# PAD201 PAD203``.

The findings compared are those of the default selection, plus every opt-in rule
(``Rule.default`` False) the text marks somewhere: a file that expects PAD208
runs PAD208 too, and then shows every PAD208 finding.
"""

from __future__ import annotations

import re

from padlint.analysis import AnalysisOptions, analyse_source
from padlint.catalogue import rule_by_code
from padlint.checker import check_analysis
from padlint.settings import Settings
from padlint.source import SourceFile

MARKER = re.compile(r"\b(PAD\d{3})(?:@(\d+))?")
CLASS_CALL = re.compile(r"[A-Za-z_][\w.]*\(")


def default_column(line: str) -> int:
    for match in CLASS_CALL.finditer(line.split("#", 1)[0]):
        name = match.group(0)[:-1].rsplit(".", 1)[-1]
        if name[:1].isupper():
            return match.start() + 1
    return len(line) - len(line.lstrip()) + 1


def expected_findings(text: str, code: str | None = None) -> set[tuple[int, int, str]]:
    expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for found, column in MARKER.findall(comment):
            if code is None or found == code:
                expected.add((number, int(column) if column else default_column(line), found))
    return expected


def marked_settings(text: str) -> Settings:
    """The default selection and the opt-in rules the text's marks name."""
    marked = sorted({found for found, _ in MARKER.findall(text)})
    opt_in = [code for code in marked if (rule := rule_by_code(code)) is not None and not rule.default]
    return Settings(select=("ALL", *opt_in))


def actual_findings(text: str, path: str = "example.py", code: str | None = None, settings: Settings | None = None) -> set[tuple[int, int, str]]:
    analysis = analyse_source(SourceFile(path=path, text=text), AnalysisOptions())
    findings = check_analysis(analysis, settings or marked_settings(text))
    assert not analysis.internal_errors, analysis.internal_errors
    return {(f.line, f.column, f.code) for f in findings if code is None or f.code == code}
