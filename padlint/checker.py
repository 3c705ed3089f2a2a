"""Run the enabled rules over one file's analysis, report each source position once, apply ``# noqa``."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

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
        for finding in merge_repeats(findings, analysis)
        if not (0 < finding.line <= len(lines) and suppressed(finding.code, lines[finding.line - 1]))
    ]
    return sorted(kept, key=Finding.sort_key)


def merge_repeats(findings: list[Finding], analysis: FileAnalysis) -> list[Finding]:
    """One finding per rule and source position.

    A helper called for every stage (``conv_block`` called 108 times) builds its layers at one
    line, and a rule finds the same thing at each call: the first is kept, and its message says
    how many calls share it. Identical findings (one layer seen through two models) count once.
    """
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        key = (finding.code, finding.line, finding.column, finding.end_line, finding.end_column)
        group = groups.setdefault(key, [])
        if all(finding.message != other.message for other in group):
            group.append(finding)
    scopes: Scopes | None = None
    merged = []
    for group in groups.values():
        first = group[0]
        if len(group) > 1:
            scopes = scopes or Scopes(analysis)
            first = replace(first, message=f"{first.message} [{scopes.repeats(first, len(group))}, the first shown]")
        merged.append(first)
    return merged


class Scopes:
    """The functions and loops of a module, to say why one line was reported several times."""

    LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)

    def __init__(self, analysis: FileAnalysis) -> None:
        self.entries: list[tuple[tuple[int, int, int, int], str, str]] = []
        if analysis.module is None or analysis.positions is None:
            return
        positions = analysis.positions
        entries = self.entries

        class Collector(cst.CSTVisitor):
            def __init__(self) -> None:
                self.names: list[str] = []

            def visit_ClassDef(self, node: cst.ClassDef) -> None:
                self.names.append(node.name.value)

            def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
                self.names.pop()

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.names.append(node.name.value)
                span = positions.span(node)
                if span is not None:
                    entries.append((span, "function", ".".join(self.names)))

            def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
                self.names.pop()

            def on_visit(self, node: cst.CSTNode) -> bool:
                if isinstance(node, Scopes.LOOPS):
                    span = positions.span(node)
                    if span is not None:
                        entries.append((span, "loop", ""))
                return super().on_visit(node)

        try:
            analysis.module.visit(Collector())
        except RecursionError:  # a module nested too deeply to walk: say it plainly
            self.entries = []

    def repeats(self, finding: Finding, count: int) -> str:
        """``in 108 calls of conv_block``, ``for 3 layers built at this line`` or ``3 times at this line``."""
        position = (finding.line, finding.column - 1)
        enclosing = [(span, kind, name) for span, kind, name in self.entries if (span[0], span[1]) <= position < (span[2], span[3])]
        # Innermost last: a scope that starts later (or at the same place and ends sooner) is inside.
        enclosing.sort(key=lambda entry: ((entry[0][0], entry[0][1]), (-entry[0][2], -entry[0][3])))
        if enclosing and enclosing[-1][1] == "function":
            return f"in {count} calls of {enclosing[-1][2]}"
        if enclosing:
            return f"for {count} layers built at this line"
        return f"{count} times at this line"
