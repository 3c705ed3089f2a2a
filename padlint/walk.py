"""A read-only walk over libcst trees, several times cheaper than ``node.visit(visitor)``.

libcst's visitors rebuild every node they pass (``visit`` goes through
``_visit_and_replace_children`` even when nothing changes), which made the
interpreter's questions about a function body ("does it call anything?", "is
it a generator?", "what may it assign?") a quarter of the time of analysing a
model file. Answering them needs only the nodes, so this walk reads each
node's dataclass fields and never builds anything. Whitespace, commas,
brackets and the other formatting nodes are not walked: nothing padlint asks
about lives in them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import libcst as cst

#: Field names that hold only formatting (whitespace, punctuation, comments, blank lines).
_FORMATTING_FIELDS = frozenset(
    ["lpar", "rpar", "comma", "semicolon", "colon", "equal", "dot", "star", "leading_lines", "lines_after_decorators",
     "header", "footer", "newline", "indent", "trailing_whitespace", "lbracket", "rbracket", "lbrace", "rbrace",
     "operator", "whitespace", "asynchronous", "default_indent", "default_newline", "encoding"]
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        names = tuple(
            field.name
            for field in dataclasses.fields(kind)
            if field.name not in _FORMATTING_FIELDS and not field.name.startswith("whitespace")
        )
        _CHILD_FIELDS[kind] = names
    return names


def walk(root: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
    """Every node under ``root`` (``root`` first), depth-first in source order.

    A node for which ``prune`` is true is yielded, but what is inside it is not.
    """
    stack = [root]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        yield node
        if prune is not None and prune(node):
            continue
        children: list[cst.CSTNode] = []
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                children.append(value)
            elif isinstance(value, (tuple, list)):
                children.extend(item for item in value if isinstance(item, cst.CSTNode))
        children.reverse()
        extend(children)
