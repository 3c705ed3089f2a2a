"""Which rules run and with which thresholds: selection, ignores, rule options."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

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
