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


class DynamicSize(Unknown):
    """A size a traced ``call()`` reads from a backend tensor (``ops.shape(x)[0]``,
    ``tf.shape(x)[0]`` of an axis Keras leaves open): a scalar tensor only the run knows.
    Ops that take it as a size (``tile``, ``broadcast_to``, ``slice``) state None there,
    as TensorFlow's static shape does; anything else treats it as any Unknown."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("a dynamic size")


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@dataclass(frozen=True)
class ModuleRef:
    """A dotted name reached through imports: ``keras.layers.Conv2D``.

    The evaluator never imports anything; a module is only its qualified name,
    which :mod:`padlint.evaluation.keras_api` maps to Keras behaviour.
    """

    qualname: str

    def attribute(self, name: str) -> ModuleRef:
        return ModuleRef(f"{self.qualname}.{name}")


@dataclass(eq=False)
class Closure:
    """A user-defined function or lambda together with its defining scope."""

    node: cst.FunctionDef | cst.Lambda
    scope: Any  # padlint.evaluation.interpreter.Scope
    name: str
    defaults: dict[str, Any] = field(default_factory=dict)
    called: bool = False
    #: The class whose body defines this function (a method), for ``super()``.
    owner: Any = None
    #: ``"function"``, or for methods ``"static"``, ``"class"`` or ``"property"`` (from decorators).
    kind: str = "function"
    #: padlint's own Keras code (padlint.applications), not the user's: a ``raise`` in it
    #: propagates to its caller as in Python (see ``Interpreter.call_library``).
    library: bool = False


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


@dataclass(eq=False)
class Instance:
    """An object of a user class that is not a Keras layer or model (a config
    holder, a model builder): its attributes, set by ``__init__`` and methods."""

    cls: ClassValue
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class SuperProxy:
    """``super()`` inside a method of ``owner`` called on ``instance``."""

    owner: ClassValue
    instance: Any


#: What :func:`class_lookup` returns when a class has no such member.
MISSING = object()


def class_lookup(cls: Any, name: str) -> tuple[Any, Any]:
    """A member of a user class or of its user-class bases (breadth first, a simple MRO),
    and the class that defines it; ``(MISSING, None)`` when none does."""
    seen: set[int] = set()
    queue = [cls]
    while queue:
        current = queue.pop(0)
        if not isinstance(current, ClassValue) or id(current) in seen:
            continue
        seen.add(id(current))
        if name in current.namespace:
            return current.namespace[name], current
        queue.extend(current.bases)
    return MISSING, None


@dataclass(frozen=True)
class ConstTensor:
    """A concrete (not symbolic) tensor of known shape, such as ``keras.ops.arange(0, 200)``
    in a layer's ``call()``: Keras computes with it eagerly, it is never a graph node."""

    shape: tuple
