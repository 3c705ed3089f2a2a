"""Reporters: turn analyses and findings into text, JSON, SARIF and annotations. They only format.

``padlint check`` formats (each a module with ``render(report) -> str``):
full, concise, grouped, pylint, json, json-lines, github, sarif, gitlab, junit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

#: --output-format name -> (module, function).
FINDINGS_FORMATS = {
    "full": ("full", "render"),
    "concise": ("concise", "render"),
    "grouped": ("grouped", "render"),
    "pylint": ("pylint", "render"),
    "json": ("json_findings", "render"),
    "json-lines": ("json_findings", "render_lines"),
    "github": ("github", "render"),
    "sarif": ("sarif", "render"),
    "gitlab": ("gitlab", "render"),
    "junit": ("junit", "render"),
}


def findings_renderer(name: str) -> Callable:
    module, function = FINDINGS_FORMATS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)
