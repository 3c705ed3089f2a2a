"""How shapes, dimensions and parameter counts are written in every output."""

from __future__ import annotations

from typing import Any

from padlint.symbolic import Dim, Sym, format_dim, json_dim


def format_shapes(shapes: list | None, *, tuple_of_shapes: bool = False) -> str:
    """One shape as Keras' summary prints it; several as a list; ``?`` when unknown.

    ``tuple_of_shapes``: as summary_utils prints ``model.output_shape`` of a nested model with
    several outputs (``format_shape`` of a list): Python tuples inside one pair of parentheses."""
    if shapes is None:
        return "?"
    if len(shapes) == 1:
        return summary_shape(shapes[0])
    if tuple_of_shapes:
        return "(" + ", ".join(python_tuple(shape) for shape in shapes) + ")"
    return "[" + ", ".join(summary_shape(shape) for shape in shapes) + "]"


def python_tuple(shape: Any) -> str:
    """A shape as Python prints the tuple (``(None, 3)``, ``(3,)``)."""
    if shape is None:
        return "None"
    dims = [format_dim(dim) for dim in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def summary_shape(shape: Any) -> str:
    """Mirror of keras/src/utils/summary_utils.py ``format_layer_shape``'s ``format_shape``: the
    dimensions joined inside parentheses, so a rank-1 shape is ``(None)``, not Python's
    ``(None,)`` (error messages keep Python's tuples)."""
    if shape is None:
        return "?"
    return "(" + ", ".join(format_dim(dim) for dim in shape) + ")"


def format_count(count: Dim) -> str:
    """``15,859,968``; a symbolic count as its expression; ``?`` when unknown."""
    if count is None:
        return "?"
    if isinstance(count, Sym):
        return count.text
    return f"{count:,}"


def readable_memory_size(size: float) -> str:
    """Mirror of keras/src/utils/summary_utils.py ``readable_memory_size``."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def json_shape(shape: Any) -> Any:
    return None if shape is None else [json_dim(dim) for dim in shape]


def json_shapes(shapes: list | None) -> Any:
    """A single output's shape, or a list of shapes for a layer with several outputs."""
    if shapes is None:
        return None
    if len(shapes) == 1:
        return json_shape(shapes[0])
    return [json_shape(shape) for shape in shapes]


def json_count(count: Dim) -> Any:
    return json_dim(count)
