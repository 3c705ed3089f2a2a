"""Inlay hints: at the end of each line that applies a layer, the output shape (``-> (None, 26, 26, 32)``).

A line with several layer calls (``Dense(10)(Flatten()(x))``) shows their
shapes in the order the layers run. A site applied several times (a helper's
convolution, once per stage) shows each distinct shape, up to a few; unknown
shapes are ``?``, and a line whose shapes are all unknown shows nothing.
"""

from __future__ import annotations

from collections import defaultdict

from lsprotocol import types

from padlint.reporters.shapes import format_shapes
from padlint.server.convert import line_end
from padlint.server.documents import Snapshot

#: Distinct shapes shown for one site before "...".
MAX_SHAPES = 3


def site_label(shapes: list[str]) -> str | None:
    """``(None, 26, 26, 32)``, ``(None, 32, 32, 16) | (None, 16, 16, 32)``; None when nothing is known."""
    distinct = list(dict.fromkeys(shapes))
    if all(shape == "?" for shape in distinct):
        return None
    label = " | ".join(distinct[:MAX_SHAPES])
    return label + " | ..." if len(distinct) > MAX_SHAPES else label


def inlay_hints(snapshot: Snapshot, first_line: int, last_line: int, encoding: str) -> list[types.InlayHint]:
    """Hints for the lines ``first_line..last_line`` (1-based, inclusive)."""
    if not snapshot.parsed:
        return []
    index = snapshot.index
    by_line: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for span, calls in index.sites.items():
        end_line = span[2]
        if not first_line <= end_line <= last_line:
            continue
        label = site_label([format_shapes(call.output_shapes) for call in calls])
        if label is not None:
            by_line[end_line].append((calls[0].id, label))
    hints = []
    for line in sorted(by_line):
        labels = [label for _, label in sorted(by_line[line])]
        hints.append(
            types.InlayHint(
                position=line_end(snapshot.lines, line, encoding),
                label="-> " + " -> ".join(labels),
                kind=types.InlayHintKind.Type,
                padding_left=True,
            )
        )
    return hints
