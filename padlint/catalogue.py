"""The rule catalogue: every Rule subclass defined in a module of padlint.rules."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from padlint.rule import Rule


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Rules sorted by code; imported once per process."""
    import padlint.rules as package

    found: list[type[Rule]] = []
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                found.append(value)
    codes = [rule.code for rule in found]
    names = [rule.name for rule in found]
    if len(set(codes)) != len(codes) or len(set(names)) != len(names):
        raise RuntimeError(f"duplicate rule codes or names in padlint.rules: {sorted(codes)}")
    return tuple(sorted(found, key=lambda rule: rule.code))


def rule_by_code(code: str) -> type[Rule] | None:
    wanted = code.upper()
    for rule in all_rules():
        if rule.code == wanted or rule.name == code:
            return rule
    return None
