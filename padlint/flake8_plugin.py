"""padlint as a flake8 plugin: ``flake8 --select PAD``.

Registered in the ``flake8.extension`` entry-point group under the prefix
``PAD``. flake8 hands over the file's lines; the plugin runs padlint's own
analysis and checker on them (every rule, with the thresholds and input shape
of the padlint configuration that governs the file) and yields the findings;
flake8 then applies its selection, ``# noqa`` and output formats as for any
plugin. Importing this module is cheap: padlint's engine is imported on the
first file, and TensorFlow never. Messages quote the user's names: their control
characters and lone surrogates are escaped (flake8 prints them as they come).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from padlint import __version__


class Plugin:
    name = "padlint"
    version = __version__

    def __init__(self, tree: Any, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from padlint.reporters.escape import printable
        from padlint.run import analyse
        from padlint.source import SourceFile

        settings, problem = _settings_for(self.filename)
        if problem:
            yield 1, 0, printable(f"PAD000 padlint configuration: {problem}"), type(self)
        source = SourceFile(path=self.filename, text="".join(self.lines))
        analysis, findings = analyse(source, settings)
        for message in analysis.internal_errors:
            yield 1, 0, printable(f"PAD000 internal error in padlint {__version__}: {message}"), type(self)
        for finding in findings:
            yield finding.line, finding.column - 1, printable(f"{finding.code} {finding.message}"), type(self)


_resolver = None


def _settings_for(filename: str):
    """Every default rule (flake8 selects) and the opt-in ones the padlint configuration enables,
    with the options of the padlint configuration for this file.

    A bad configuration gives the defaults and the error message to report.
    """
    global _resolver
    from padlint.config import ConfigError, Resolver
    from padlint.settings import Settings

    try:
        if _resolver is None:
            _resolver = Resolver()
        settings = _resolver.settings_for(filename if filename not in ("-", "stdin") else "stdin.py")
    except ConfigError as error:
        return Settings(), str(error)
    # Opt-in rules are not selected by ALL: those the padlint configuration enables are passed on.
    opt_in = tuple(code for code in settings.select if not _is_default(code))
    return Settings(select=("ALL", *opt_in), rule_options=settings.rule_options, input_shape=settings.input_shape), None


def _is_default(code: str) -> bool:
    from padlint.catalogue import rule_by_code

    rule = rule_by_code(code)
    return rule is None or rule.default
