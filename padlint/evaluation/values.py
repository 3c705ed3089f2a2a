"""Values the static evaluator manipulates besides plain Python constants.

Plain ``int``, ``float``, ``str``, ``bool``, ``None``, ``tuple``, ``list`` and
``dict`` values stand for themselves. Everything padlint cannot know is an
:class:`Unknown`; imported modules and names it has not resolved further are
:class:`ModuleRef`; user functions are :class:`Closure`. Keras objects (layers,
tensors, models) live in :mod:`padlint.graph` because the graph owns them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst


class Unknown:
    """A value padlint cannot determine statically.

    ``reason`` says why, for messages such as "input shape unknown: x_train.shape".
    Any operation on an Unknown yields an Unknown; rules stay silent on them.
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})" if self.reason else "Unknown()"

    def __bool__(self) -> bool:  # pragma: no cover - guard against accidental truth tests
        raise TypeError("the truth of an Unknown value is undecidable")


UNKNOWN = Unknown()


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@dataclass(frozen=True)
class ModuleRef:
    """A dotted name reached through imports: ``keras.layers.Conv2D``.

    The evaluator never imports anything; a module is only its qualified name,
    which :mod:`padlint.evaluation.keras_api` maps to Keras behaviour.
    """

    qualname: str

    def attribute(self, name: str) -> "ModuleRef":
        return ModuleRef(f"{self.qualname}.{name}")


@dataclass(eq=False)
class Closure:
    """A user-defined function or lambda together with its defining scope."""

    node: cst.FunctionDef | cst.Lambda
    scope: Any  # padlint.evaluation.interpreter.Scope
    name: str
    defaults: dict[str, Any] = field(default_factory=dict)
    called: bool = False


@dataclass(eq=False)
class ClassValue:
    """A user-defined class: padlint only needs its name and Keras base classes."""

    node: cst.ClassDef
    name: str
    bases: tuple[Any, ...]
    namespace: dict[str, Any]


@dataclass(eq=False)
class BoundMethod:
    """``obj.method`` for an evaluator-level object; calling it dispatches."""

    receiver: Any
    name: str
