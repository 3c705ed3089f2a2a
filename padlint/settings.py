"""Which rules run and with which thresholds: selection, ignores, rule options."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from padlint.findings import Finding

if TYPE_CHECKING:  # not at run time: a run answered from the cache never loads the rules' engine
    from padlint.rule import Rule


@dataclass
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    #: Glob pattern -> codes or prefixes ignored in matching files.
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Rule code -> option name -> value.
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Input shape (no batch axis) for models whose input padlint cannot determine.
    input_shape: tuple | None = None

    def enabled(self, rule: type[Rule], path: str | None = None) -> bool:
        """Selected and not ignored; an opt-in rule (``Rule.default`` False) only by its exact code."""
        selectors = self.select + self.extend_select
        selected = rule.code in (selector.upper() for selector in selectors) if not rule.default else _matches(rule.code, selectors)
        ignored = _matches(rule.code, self.ignore)
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if _path_matches(path, pattern) and _matches(rule.code, codes):
                    ignored = True
        return selected and not ignored

    def options_for(self, rule: type[Rule]) -> dict[str, Any]:
        values = {key: option.default for key, option in rule.options.items()}
        values.update(self.rule_options.get(rule.code, {}))
        return values


def _matches(code: str, selectors: tuple[str, ...]) -> bool:
    return any(selector == "ALL" or code.startswith(selector.upper()) for selector in selectors)


def _path_matches(path: str, pattern: str) -> bool:
    normalized = path.replace("\\", "/")
    return fnmatch.fnmatch(normalized, pattern) or fnmatch.fnmatch(normalized.rsplit("/", 1)[-1], pattern) or fnmatch.fnmatch(normalized, f"*/{pattern}")


def select_findings(findings: list[Finding], enabled: Container[str]) -> list[Finding]:
    """The findings of the ``enabled`` rule codes.

    Applied after the analysis and after the cache, which keeps what every rule found (``# noqa``
    is applied before: it depends only on the file's text, which the cache key holds), so that
    another ``--select``, ``--ignore`` or per-file ignore needs no new analysis.
    """
    return [finding for finding in findings if finding.code in enabled]


#: An internal error of one rule (``rule PAD203: ValueError: ...``, :func:`padlint.checker.check_analysis`).
_RULE_ERROR = re.compile(r"rule (PAD\d+): ")


def select_errors(errors: list[str], enabled: Container[str]) -> list[str]:
    """The internal errors that concern the run: those of rules left out of the selection are dropped."""
    kept = []
    for error in errors:
        match = _RULE_ERROR.match(error)
        if match is None or match.group(1) in enabled:
            kept.append(error)
    return kept
