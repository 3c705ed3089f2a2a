"""Shapes of weights and of tensors as Keras standardises them, and their sizes.

Mirrors keras/src/backend/common/variables.py ``standardize_shape`` and what
``add_weight`` accepts: a weight sized by an axis Keras sees as ``None`` is an
error, one sized by a number padlint cannot know is a formula or unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from padlint.layers.arguments import is_plain
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    UNDEFINED_SIZE,
    LayerError,
    Unresolved,
    count,
    dims_text,
    format_shape,
    is_keras_none,
)
from padlint.symbolic import Dim, Sym, add, format_dim


def standardize_dims(dims: Sequence[Any], owner: str) -> tuple:
    """Mirror of keras/src/backend/common/variables.py ``standardize_shape``.

    Every output shape (a KerasTensor) and every weight shape passes through
    it: ``None`` stays, strings and floats are rejected even when integral,
    ``True`` becomes 1, negative sizes are rejected. padlint's own dimensions
    (Sym) pass as they are.
    """
    def invalid(reason: str) -> LayerError:
        text = ", ".join(repr(item) if isinstance(item, (str, float)) else format_dim(item) for item in dims)
        return LayerError(KERAS_ERROR, f"{owner}: cannot convert '({text})' to a shape. {reason}", shape=tuple(dims))

    standardized = []
    for dim in dims:
        if dim is None or isinstance(dim, Sym):
            standardized.append(dim)
        elif not is_plain(dim):
            raise Unresolved(f"a dimension of {owner} is not a constant")
        elif not isinstance(dim, int):
            raise invalid(f"Found invalid dimension {dim!r} of type '{type(dim).__name__}'.")
        elif dim < 0:
            raise invalid("Negative dimensions are not allowed.")
        else:
            standardized.append(int(dim))
    return tuple(standardized)


def variable_size(owner: str, weight: str, dims: Sequence[Any]) -> Dim:
    """Number of entries of a weight of shape ``dims`` (``add_weight``).

    Keras rejects a shape with a ``None`` dimension ("Shapes used to initialize
    variables must be fully-defined"); a symbol for an open axis is ``None`` to
    Keras, so it is rejected too. A size padlint does not know leaves the count
    unknown (``None``) or a formula (a symbol for a run-time number).
    """
    shape = standardize_dims(dims, f"{owner} weight `{weight}`")
    if any(is_keras_none(dim) for dim in shape):
        raise LayerError(
            UNDEFINED_SIZE,
            f"{owner} cannot create its weight `{weight}` of shape ({dims_text(shape)}): Keras sees None for "
            "the symbolic sizes, and shapes used to initialize variables must be fully-defined.",
            weight=weight,
            shape=shape,
        )
    if any(dim is None for dim in shape):
        return None
    return count(*shape)


def total(sizes: Iterable[Dim]) -> Dim:
    """Sum of weight sizes; unknown if one is."""
    result: Dim = 0
    for size in sizes:
        result = add(result, size)
    return result


def dim_at(shape: tuple, axis: Any, owner: str, argument: str = "axis") -> Dim:
    """``input_shape[axis]`` as ``build`` indexes it: ints (and bools) only, within the rank."""
    if not is_plain(axis):
        raise Unresolved(f"{argument} is not a constant")
    if not isinstance(axis, int):
        raise LayerError(INVALID_CONFIG, f"{owner}: tuple indices must be integers, but `{argument}` is {axis!r}", argument=argument)
    if not -len(shape) <= axis < len(shape):
        raise LayerError(
            INVALID_CONFIG,
            f"{owner}: `{argument}={axis!r}` is out of range for an input of rank {len(shape)}: {format_shape(shape)}",
            argument=argument,
        )
    return shape[axis]
