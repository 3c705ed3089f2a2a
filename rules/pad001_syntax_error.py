from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.rule import Rule, RuleContext


class SyntaxErrorRule(Rule):
    """The file cannot be parsed, so padlint cannot analyse it.

    ## What it does
    Reports a file that is not valid Python 3, at the position the parser stopped.

    ## Why is this bad?
    Nothing in the file can be checked, and Python will refuse to run it. Other
    files are still analysed.
    """

    code = "PAD001"
    name = "syntax-error"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        "import keras\nmodel = keras.Sequential([  # PAD001@26\n",
    ]
    VALID: ClassVar[list[str]] = [
        "import keras\nmodel = keras.Sequential([])\n",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        problem = context.analysis.syntax_error
        if problem is None:
            return
        line = max(problem.line, 1)
        yield context.finding(
            None,
            f"cannot parse the file: {problem.message} (line {line}, column {problem.column})",
            "fix the syntax error; padlint analyses the file once it parses",
            span=(line, max(problem.column - 1, 0), line, max(problem.column - 1, 0)),
        )
