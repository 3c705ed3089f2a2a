"""Run the enabled rules over one file's analysis and apply ``# noqa``."""

from __future__ import annotations

from padlint.analysis import FileAnalysis
from padlint.catalogue import all_rules
from padlint.findings import Finding
from padlint.noqa import suppressed
from padlint.rule import RuleContext
from padlint.settings import Settings


def check_analysis(analysis: FileAnalysis, settings: Settings | None = None) -> list[Finding]:
    """Findings for one file, sorted by position; rule failures go to ``analysis.internal_errors``."""
    settings = settings or Settings()
    findings: list[Finding] = []
    path = analysis.source.path
    for rule_class in all_rules():
        if not settings.enabled(rule_class, path):
            continue
        rule = rule_class()
        context = RuleContext(rule, analysis, settings.options_for(rule_class))
        try:
            findings.extend(finding for finding in rule.check(context) if finding is not None)
        except Exception as bug:  # noqa: BLE001 - one rule's bug must not stop the others
            analysis.internal_errors.append(f"rule {rule_class.code}: {type(bug).__name__}: {bug}")
    lines = analysis.source.lines()
    kept = [
        finding
        for finding in findings
        if not (0 < finding.line <= len(lines) and suppressed(finding.code, lines[finding.line - 1]))
    ]
    return sorted(set(kept), key=Finding.sort_key)
