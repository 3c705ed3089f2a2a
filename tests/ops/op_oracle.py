"""The op oracle: apply one keras.ops (or TensorFlow, or Keras 2 backend) function in real
Keras and with padlint's shape function, and compare.

A case is a function path and arguments in which :class:`Sym_` placeholders stand
for symbolic tensors of a given shape (KerasTensors, or TensorFlow placeholders
inside a traced layer) and :class:`Const` for concrete arrays. Keras either
raises, and then padlint must report an error or an unknown shape (never a
shape), or gives shapes, and then padlint's are equal (padlint's symbols are
``None`` to Keras) and the Operation class Keras created is the one padlint
names the node after.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from padlint.layers.base import LayerError, Unresolved
from padlint.ops.base import BindError, Multi, Tensor, bind, run_spec
from padlint.ops.registry import backend_op, keras_op, tensorflow_op
from padlint.symbolic import Sym


@dataclass(frozen=True)
class Sym_:
    """A symbolic tensor argument of this batch shape."""

    shape: tuple
    dtype: str = "float32"


@dataclass(frozen=True)
class Const:
    """A concrete tensor argument (zeros) of this shape."""

    shape: tuple


@dataclass
class OpOutcome:
    error: str | None = None
    shapes: list | None = None
    class_name: str | None = None
    unknown: str | None = None


def _plain(shape: tuple) -> tuple:
    return tuple(None if isinstance(dim, Sym) else dim for dim in shape)


def _map(value: Any, leaf) -> Any:
    if isinstance(value, (Sym_, Const)):
        return leaf(value)
    if isinstance(value, list):
        return [_map(item, leaf) for item in value]
    if isinstance(value, tuple):
        return tuple(_map(item, leaf) for item in value)
    return value


def keras_function(namespace: str, path: str):
    """The real function: ``keras.ops.<path>``, ``tf.<path>`` or ``tf.keras.backend.<path>``."""
    import keras
    import tensorflow as tf

    root = {"keras": keras.ops, "tf": tf, "backend": tf.keras.backend}[namespace]
    for part in path.split("."):
        root = getattr(root, part)
    return root


def outcome_of_keras(namespace: str, path: str, args: tuple, kwargs: dict, *, traced: bool = False) -> OpOutcome:
    """Run the function on KerasTensors (or, ``traced``, inside a layer's ``call()``)."""
    import keras
    import numpy as np

    function = keras_function(namespace, path)
    placeholders = [leaf for leaf in _leaves((args, kwargs)) if isinstance(leaf, Sym_)]
    inputs = [keras.Input(batch_shape=_plain(leaf.shape), dtype=leaf.dtype) for leaf in placeholders]

    def concrete(leaf: Any) -> Any:
        return np.zeros(leaf.shape, dtype="float32")

    def call(*tensors: Any) -> Any:
        remaining = iter(tensors)
        real_args = _map(args, lambda leaf: next(remaining) if isinstance(leaf, Sym_) else concrete(leaf))
        real_kwargs = {key: _map(value, lambda leaf: next(remaining) if isinstance(leaf, Sym_) else concrete(leaf)) for key, value in kwargs.items()}
        return function(*real_args, **real_kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if traced:
                outputs = _TracedLayer(call)(inputs)
            else:
                outputs = call(*inputs)
        except Exception as error:  # noqa: BLE001 - any Keras failure is an outcome
            return OpOutcome(error=f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    flat = keras.tree.flatten(outputs)
    if not all(hasattr(tensor, "shape") for tensor in flat):
        return OpOutcome(error=f"not tensors: {outputs!r}")
    history = getattr(flat[0], "_keras_history", None)
    operation = type(history.operation).__name__ if history is not None and not traced else None
    return OpOutcome(shapes=[tuple(tensor.shape) for tensor in flat], class_name=operation)


class _TracedLayer:
    """A custom layer whose ``call()`` runs the function on backend tensors."""

    def __new__(cls, function):
        import keras

        class Traced(keras.layers.Layer):
            def call(self, inputs):
                return function(*inputs)

        return Traced()


def _leaves(value: Any) -> list:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def spec_of(namespace: str, path: str):
    if namespace == "keras":
        return keras_op(tuple(path.split(".")))
    if namespace == "tf":
        return tensorflow_op(path)
    return backend_op(path)


def outcome_of_padlint(namespace: str, path: str, args: tuple, kwargs: dict, *, traced: bool = False) -> OpOutcome:
    spec = spec_of(namespace, path)
    assert spec is not None, f"padlint has no spec for {namespace} {path}"

    def tensor(leaf: Any) -> Tensor:
        return Tensor(tuple(leaf.shape), symbolic=isinstance(leaf, Sym_))

    try:
        bound = bind(spec, list(_map(args, tensor)), {key: _map(value, tensor) for key, value in kwargs.items()})
    except BindError as error:
        return OpOutcome(unknown=f"bind: {error}")
    if not spec.name.startswith("tf.") and bound.get("data_format", 0) is None:
        bound["data_format"] = "channels_last"
    if spec.plain:
        first = next(iter(bound.values()))
        return OpOutcome(shapes=[first.shape])
    try:
        concrete_only = not any(isinstance(leaf, Sym_) for leaf in _leaves((args, kwargs)))
        result = run_spec(spec, bound, traced=traced, concrete_only=concrete_only)
    except LayerError as error:
        return OpOutcome(error=f"{error.kind}: {error.message}")
    except Unresolved as unresolved:
        return OpOutcome(unknown=unresolved.what)
    shapes = list(result.shapes) if isinstance(result, Multi) else [result]
    return OpOutcome(shapes=[_plain(shape) for shape in shapes], class_name=spec.class_name)


def assert_op_matches_keras(namespace: str, path: str, args: tuple = (), kwargs: dict | None = None, *, traced: bool = False, unknown_ok: bool = False) -> OpOutcome:
    """padlint raises (or does not know) where Keras raises, and otherwise gives Keras' shapes."""
    kwargs = kwargs or {}
    expected = outcome_of_keras(namespace, path, args, kwargs, traced=traced)
    actual = outcome_of_padlint(namespace, path, args, kwargs, traced=traced)
    context = f"{namespace}.{path}(*{args!r}, **{kwargs!r}){' traced' if traced else ''}"
    if expected.error is not None:
        assert actual.shapes is None, f"{context}: Keras raised {expected.error}, padlint gave {actual.shapes}"
        return expected
    assert actual.error is None, f"{context}: Keras gave {expected.shapes}, padlint raised {actual.error}"
    if actual.unknown is not None:
        # In a traced call() an axis out of range is TensorFlow's run-time error, unknown statically.
        unknown_ok = unknown_ok or (traced and "out of range" in actual.unknown)
        assert unknown_ok, f"{context}: Keras gave {expected.shapes}, padlint does not know ({actual.unknown})"
        return expected
    assert actual.shapes == expected.shapes, f"{context}: padlint {actual.shapes} != Keras {expected.shapes}"
    if expected.class_name is not None and namespace == "keras":
        assert actual.class_name == expected.class_name, f"{context}: padlint names the op {actual.class_name}, Keras made {expected.class_name}"
    return expected
