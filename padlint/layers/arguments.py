"""Python's own semantics on layer constructor arguments.

Keras runs plain Python on the arguments it receives (``int(axis)``,
``0 <= rate <= 1``, ``sorted(value_range)``); padlint runs the same expression
on the same constants so it fails exactly where Keras fails, and skips checks on
values it does not model (user functions, module attributes, layers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    LayerConfig,
    LayerError,
    Unresolved,
)

T = TypeVar("T")

#: Python constants the evaluator hands over as themselves.
PLAIN_SCALARS = (bool, int, float, complex, str, bytes, type(None))


def is_plain(value: Any) -> bool:
    """A Python constant (possibly nested in tuples, lists, dicts): its behaviour is Python's.

    Anything else (a user function, a module attribute, a layer) may behave in
    ways padlint does not model, so checks on it are skipped.
    """
    if isinstance(value, PLAIN_SCALARS):
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(is_plain(key) and is_plain(item) for key, item in value.items())
    return False


def plain(config: LayerConfig, name: str, default: Any = None) -> Any:
    """``config.get``, but Unresolved unless the value is a plain Python constant."""
    value = config.get(name, default)
    if not is_plain(value):
        raise Unresolved(f"{name} is not a constant padlint can evaluate")
    return value


def python(operation: Callable[[], T], what: str, *, argument: str | None = None, kind: str = INVALID_CONFIG) -> T:
    """Run the Python operation Keras runs on plain values, raising what it raises.

    ``int(axis)``, ``0 <= rate <= 1`` or ``sorted(value_range)`` fail in Keras
    with Python's TypeError or ValueError; running the same expression on the
    same constants fails the same way, without padlint restating Python's rules.
    """
    try:
        return operation()
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:
        raise LayerError(kind, f"{what}: {type(error).__name__}: {error}", argument=argument) from None


def is_number(value: Any) -> bool:
    """Python compares it with ints and floats (``bool`` included, as ``True < 2``)."""
    return isinstance(value, (int, float))


def require_argument(config: LayerConfig, name: str) -> None:
    """Python's TypeError for a required ``__init__`` argument that was not passed.

    (Any argument may hide in ``**kwargs`` of unknown content.)
    """
    if not config.is_set(name) and name not in config.spec.defaults and not config.open_kwargs:
        raise LayerError(
            KERAS_ERROR,
            f"{config.spec.class_name}() needs `{name}`: the argument has no default in Keras 3",
            argument=name,
        )
