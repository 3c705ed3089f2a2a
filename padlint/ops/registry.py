"""The tables from function names to op specs: ``keras.ops`` (by the module Keras
exports each function from), TensorFlow's tensor functions and the Keras 2 backend.

Keras exports the functions of keras/src/ops/numpy.py as ``keras.ops.X`` and
``keras.ops.numpy.X``, those of nn.py as ``keras.ops.X`` and ``keras.ops.nn.X``,
linalg.py's as ``keras.ops.X`` and ``keras.ops.linalg.X``, core.py's and
math.py's as ``keras.ops.X`` only, and image.py's as ``keras.ops.image.X`` only:
:func:`keras_op` resolves a path inside ``keras.ops`` the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from padlint.ops.base import OpSpec, parse_parameters

#: The modules of padlint.ops that register specs, imported on first lookup.
FAMILIES = ("numpy", "nn", "core", "math", "image", "linalg", "tensorflow", "legacy_backend")

#: keras/src/ops modules and whether Keras exports their functions at ``keras.ops`` too.
KERAS_MODULES = {"numpy": True, "nn": True, "linalg": True, "core": True, "math": True, "image": False}
#: Of those, the ones that are also public submodules (``keras.ops.numpy``).
PUBLIC_SUBMODULES = frozenset(["numpy", "nn", "linalg", "image"])

_BY_MODULE: dict[tuple[str, str], OpSpec] = {}
_TOP_LEVEL: dict[str, OpSpec] = {}
_TENSORFLOW: dict[str, OpSpec] = {}
_BACKEND: dict[str, OpSpec] = {}
_loaded = False


def op(
    module: str,
    names: str | tuple[str, ...],
    class_name: str | None,
    parameters: str,
    *,
    outputs: Callable[[dict], Any] | None = None,
    plain: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register a shape function for ``keras.ops`` function(s) of keras/src/ops/<module>.py.

    ``class_name`` is the Operation class Keras creates (its snake_case is the name the
    summary shows); by default the CamelCase of the function name.
    """
    names = (names,) if isinstance(names, str) else names

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            spec = OpSpec(
                name=f"keras.ops.{name}",
                class_name=class_name or camel_case(name),
                parameters=parse_parameters(parameters),
                compute=function,
                mirrors=f"keras/src/ops/{module}.py {class_name or camel_case(name)}",
                outputs=outputs,
                plain=plain,
            )
            register_keras(module, name, spec)
        return function

    return decorator


def register_keras(module: str, name: str, spec: OpSpec) -> None:
    key = (module, name)
    if key in _BY_MODULE:
        raise RuntimeError(f"keras.ops spec {module}.{name} registered twice")
    _BY_MODULE[key] = spec
    if KERAS_MODULES[module]:
        _TOP_LEVEL.setdefault(name, spec)


def register_tensorflow(path: str, spec: OpSpec) -> None:
    """A TensorFlow function by its path under ``tensorflow`` (``reshape``, ``nn.softmax``)."""
    if path in _TENSORFLOW:
        raise RuntimeError(f"TensorFlow spec {path} registered twice")
    _TENSORFLOW[path] = spec


def register_backend(name: str, spec: OpSpec) -> None:
    """A Keras 2 backend function (keras/src/legacy/backend.py) by its name."""
    if name in _BACKEND:
        raise RuntimeError(f"backend spec {name} registered twice")
    _BACKEND[name] = spec


def function_table(register: Callable[[str, OpSpec], None], prefix: str, mirrors: str) -> Callable[..., Callable[[Callable[..., Any]], Callable[..., Any]]]:
    """A decorator factory for a table of functions that are not Keras Operations (TensorFlow's,
    the Keras 2 backend's): ``@decorator("name other.name", "x, axis=None")`` registers one
    spec per space-separated name, ``prefix + name`` in messages, no graph naming in Keras."""

    def table_op(names: str, parameters: str, *, outputs: Callable[[dict], Any] | None = None, plain: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            for name in names.split():
                spec = OpSpec(
                    name=f"{prefix}{name}",
                    class_name=f"{prefix}{name}",
                    parameters=parse_parameters(parameters),
                    compute=function,
                    mirrors=f"{mirrors} {name}",
                    outputs=outputs,
                    keras_symbolic=False,
                    plain=plain,
                )
                register(name, spec)
            return function

        return decorator

    return table_op


def camel_case(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) or name


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for family in FAMILIES:
        importlib.import_module(f"padlint.ops.{family}")


def keras_op(path: tuple[str, ...]) -> OpSpec | None:
    """The spec for a path inside ``keras.ops``: ``("reshape",)``, ``("numpy", "reshape")``,
    ``("image", "resize")``; None when padlint does not model it."""
    _load()
    if len(path) == 1:
        return _TOP_LEVEL.get(path[0])
    if len(path) == 2 and path[0] in PUBLIC_SUBMODULES:
        return _BY_MODULE.get((path[0], path[1]))
    return None


def keras_op_by_module(module: str, name: str) -> OpSpec | None:
    _load()
    return _BY_MODULE.get((module, name))


def tensorflow_op(path: str) -> OpSpec | None:
    """The spec for ``tensorflow.<path>`` (``reshape``, ``math.reduce_mean``, ``image.resize``)."""
    _load()
    return _TENSORFLOW.get(path)


def backend_op(name: str) -> OpSpec | None:
    """The spec for a Keras 2 backend function (``K.mean``)."""
    _load()
    return _BACKEND.get(name)


def all_keras_ops() -> dict[tuple[str, str], OpSpec]:
    _load()
    return dict(_BY_MODULE)


def all_tensorflow_ops() -> dict[str, OpSpec]:
    _load()
    return dict(_TENSORFLOW)


def all_backend_ops() -> dict[str, OpSpec]:
    _load()
    return dict(_BACKEND)
