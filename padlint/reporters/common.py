"""What every findings reporter shares: the report, positions, colours, the closing lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from padlint.findings import Finding, Severity
from padlint.fixes import fixable
from padlint.reporters.escape import printable

if TYPE_CHECKING:
    from padlint.run import FileResult

#: Where each rule's documentation lives (docs/rules.md, rendered from Rule.documentation()).
REPOSITORY_URL = "https://github.com/padlint/padlint"
RULES_URL = f"{REPOSITORY_URL}/blob/main/docs/rules.md"


@dataclass
class Report:
    """The results of a run, as every reporter receives them (files sorted by path)."""

    results: list[FileResult]
    colour: bool = False
    #: ``--unsafe-fixes``: unsafe fixes count as available.
    unsafe_fixes: bool = False
    #: ``--fix`` ran: the closing line counts what was fixed.
    fixing: bool = False
    quiet: bool = False
    #: ``-v``: the files and models left unanalysed are listed on stderr (no pointer to ``-v``).
    verbose: bool = False
    #: The repository root that SARIF paths are relative to.
    root: Path | None = None
    internal_errors: list[str] = field(default_factory=list)
    #: The codes of the rules that ran, in some checked file (SARIF lists them); None: unknown.
    rules: tuple[str, ...] | None = None

    def entries(self) -> Iterator[tuple[FileResult, Finding]]:
        for result in self.results:
            for finding in result.findings:
                yield result, finding

    @property
    def count(self) -> int:
        return sum(len(result.findings) for result in self.results)

    def fixable(self, finding: Finding) -> bool:
        return fixable(finding, self.unsafe_fixes)


def rule_anchor(code: str) -> str:
    """The GitHub anchor of a rule's heading in docs/rules.md (``## PAD201 valid-padding-shrinkage (warning)``)."""
    from padlint.catalogue import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        return code.lower()
    heading = f"{rule.code} {rule.name} ({rule.severity})"
    return "".join(char for char in heading.lower().replace(" ", "-") if char.isalnum() or char in "-_")


def rule_url(code: str) -> str:
    return f"{RULES_URL}#{rule_anchor(code)}"


class Style:
    """ANSI styles, or plain text when colour is off."""

    CODES: ClassVar[dict[str, str]] = {"bold": "1", "red": "31", "yellow": "33", "blue": "34", "cyan": "36", "green": "32", "dim": "2", "underline": "4"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles or not text:
            return text
        return "\x1b[" + ";".join(self.CODES[style] for style in styles) + "m" + text + "\x1b[0m"

    def severity(self, finding: Finding) -> tuple[str, ...]:
        return {Severity.ERROR: ("bold", "red"), Severity.WARNING: ("bold", "yellow")}.get(finding.severity, ("bold", "cyan"))


def position(result: FileResult, line: int, column: int | None = None) -> str:
    """``12:5``, or ``cell 3:4:5`` in a notebook."""
    return result.source.position(line, column)


def header(result: FileResult, finding: Finding, style: Style, report: Report) -> str:
    """``path:line:col: CODE [*] message``: ruff's concise line (path and message escaped)."""
    colon = style(":", "cyan")
    where = colon.join(style(part, "bold") if index == 0 else part for index, part in enumerate(_parts(result, finding)))
    marker = f" {style('[*]', 'cyan')}" if report.fixable(finding) else ""
    return f"{where}{colon} {style(finding.code, *style.severity(finding))}{marker} {printable(finding.message)}"


def _parts(result: FileResult, finding: Finding) -> list[str]:
    return [printable(result.source.path), *position(result, finding.line, finding.column).split(":")]


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def closing_lines(report: Report) -> list[str]:
    """``Found 3 findings (1 error, 2 warnings); checked 4 models in 2 files.`` and what ``--fix``
    could do, as ruff ends; a run that found no finding says what it analysed, so that a clean
    model and one padlint never understood do not look alike."""
    if report.quiet:
        return []
    count = report.count
    fixed = sum(result.fixed for result in report.results)
    if count == 0 and fixed == 0:
        return [passed_line(report)]
    if report.fixing and fixed:
        lines = [f"Found {plural(count + fixed, 'finding')} ({fixed} fixed, {count} remaining); {analysed_clause(report)}."]
    elif count == 0:
        lines = [f"Fixed {plural(fixed, 'finding')}; {analysed_clause(report)}."]
    else:
        by_severity = {severity: 0 for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for _, finding in report.entries():
            by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
        detail = ", ".join(plural(number, severity) for severity, number in by_severity.items() if number)
        lines = [f"Found {plural(count, 'finding')} ({detail}); {analysed_clause(report)}."]
    available = sum(1 for _, finding in report.entries() if fixable(finding, report.unsafe_fixes))
    hidden = sum(1 for _, finding in report.entries() if not report.unsafe_fixes and finding.edits and not fixable(finding, False))
    hint = f" ({plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if available:
        lines.append(f"[*] {available} fixable with the `--fix` option{hint}.")
    elif hidden:
        lines.append(f"No fixes available{hint}.")
    return lines


@dataclass(frozen=True)
class Coverage:
    """What the run analysed: models, the files holding them, the incomplete models, and the
    files that use Keras without a model padlint found."""

    models: int
    files: int
    incomplete: int
    without_model: int

    @classmethod
    def of(cls, report: Report) -> Coverage:
        results = report.results
        return cls(
            models=sum(result.models for result in results),
            files=sum(1 for result in results if result.models),
            incomplete=sum(len(result.incomplete) for result in results),
            without_model=sum(1 for result in results if result.keras and not result.models),
        )

    def gaps(self, verbose: bool) -> str:
        """``1 incomplete, 1 file without a model: run with -v`` (empty when nothing is missing)."""
        parts = []
        if self.incomplete:
            parts.append(f"{self.incomplete} incomplete")
        if self.without_model and self.models:
            parts.append(f"{plural(self.without_model, 'file')} without a model")
        if not parts:
            return ""
        return ", ".join(parts) + ("" if verbose else ": run with -v")


def passed_line(report: Report) -> str:
    """``All checks passed! (3 models in 2 files)``; with no model, why nothing was checked."""
    coverage = Coverage.of(report)
    if not coverage.models:
        if coverage.without_model:
            uses = "uses" if coverage.without_model == 1 else "use"
            where = f"{plural(coverage.without_model, 'file')} that {uses} Keras"
            return f"No Keras model found in {where}: nothing to check{'' if report.verbose else ' (run with -v)'}."
        return "No Keras model found: no file uses Keras."
    scope = f"{plural(coverage.models, 'model')} in {plural(coverage.files, 'file')}"
    gaps = coverage.gaps(report.verbose)
    return f"All checks passed! ({scope}{'; ' + gaps if gaps else ''})"


def analysed_clause(report: Report) -> str:
    """``checked 3 models in 2 files, 1 incomplete: run with -v``, for the line that counts findings."""
    coverage = Coverage.of(report)
    if not coverage.models:
        return "no Keras model found" + ("" if report.verbose or not coverage.without_model else " (run with -v)")
    gaps = coverage.gaps(report.verbose)
    return f"checked {plural(coverage.models, 'model')} in {plural(coverage.files, 'file')}{', ' + gaps if gaps else ''}"
