"""The oracle: build a layer in real Keras and in padlint, and compare.

Keras is imported lazily, only by tests; padlint itself never imports it.
``outcome_of_keras`` and ``outcome_of_padlint`` describe the same thing (an
error, or output shapes with trainable/non-trainable weight counts) so a test
can assert that padlint raises exactly where Keras raises and otherwise agrees
on every number.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

from padlint.layers import LayerConfig, LayerError, Unresolved, lookup
from padlint.layers.base import CallInputs, bind_arguments
from padlint.symbolic import Sym


@dataclass
class NestedLayer:
    """A layer passed as an argument (``Bidirectional(layer=...)``), built on both sides."""

    class_name: str
    kwargs: dict

    def for_keras(self):
        return getattr(keras_module().layers, self.class_name)(**_keras_kwargs(self.kwargs))

    def for_padlint(self):
        spec = lookup(self.class_name)
        assert spec is not None, f"padlint has no spec for {self.class_name}"
        return _PadlintLayer(LayerConfig(spec, _padlint_kwargs(self.kwargs)))


@dataclass
class _PadlintLayer:
    config: LayerConfig


def _nested(value: Any, build: str) -> Any:
    """Build NestedLayers, also inside a list of layers (``RNN(cell=[cell, cell])``)."""
    if isinstance(value, NestedLayer):
        return getattr(value, build)()
    if isinstance(value, list) and any(isinstance(item, NestedLayer) for item in value):
        return [_nested(item, build) for item in value]
    return value


def _keras_kwargs(kwargs: dict) -> dict:
    return {k: _nested(v, "for_keras") for k, v in kwargs.items()}


def _padlint_kwargs(kwargs: dict) -> dict:
    return {k: _nested(v, "for_padlint") for k, v in kwargs.items()}


@dataclass
class Outcome:
    error: str | None = None
    shapes: list | None = None
    trainable: int | None = None
    non_trainable: int | None = None

    @property
    def raised(self) -> bool:
        return self.error is not None


def _plain_dim(dim: Any) -> Any:
    return None if isinstance(dim, Sym) else dim


def _plain_shape(shape: Any) -> Any:
    return None if shape is None else tuple(_plain_dim(dim) for dim in shape)


def keras_module():
    import keras

    return keras


def outcome_of_keras(
    class_name: str,
    kwargs: dict,
    input_shapes: list,
    *,
    takes_list: bool = False,
    args: tuple = (),
    input_names: list | None = None,
    call_kwargs: dict | None = None,
    single_tensor: bool = False,
) -> Outcome:
    """Construct the Keras layer, call it on symbolic inputs, collect shapes and weights.

    Inputs are passed as one list (``takes_list``, unless ``single_tensor`` asks for
    the mistake of passing a list-taking layer one tensor), as named call arguments
    (``input_names``), or as the single positional input. Symbolic dimensions
    (padlint's Sym) are ``None`` to Keras.
    """
    keras = keras_module()
    layer_class = getattr(keras.layers, class_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer = layer_class(*args, **_keras_kwargs(kwargs))
            inputs = [keras.Input(batch_shape=_plain_shape(shape)) for shape in input_shapes]
            if takes_list and not single_tensor:
                outputs = layer(inputs, **(call_kwargs or {}))
            elif input_names:
                outputs = layer(**dict(zip(input_names, inputs)), **(call_kwargs or {}))
            else:
                outputs = layer(inputs[0], **(call_kwargs or {}))
        except Exception as error:  # noqa: BLE001 - any Keras failure is an outcome
            return Outcome(error=f"{type(error).__name__}: {error}")
    flat = keras.tree.flatten(outputs)
    return Outcome(
        shapes=[tuple(tensor.shape) for tensor in flat],
        trainable=sum(math.prod(w.shape) for w in layer.trainable_weights),
        non_trainable=sum(math.prod(w.shape) for w in layer.non_trainable_weights),
    )


def outcome_of_padlint(
    class_name: str,
    kwargs: dict,
    input_shapes: list,
    *,
    args: tuple = (),
    input_names: list | None = None,
    call_kwargs: dict | None = None,
    single_tensor: bool = False,
) -> Outcome:
    """Validate and compute the same layer with padlint's static spec."""
    spec = lookup(class_name)
    assert spec is not None, f"padlint has no spec for {class_name}"
    shapes = [tuple(shape) for shape in input_shapes]
    names = input_names or [spec.call_signature[0]] * len(shapes)
    try:
        config = LayerConfig(spec, bind_arguments(spec, args, _padlint_kwargs(kwargs)))
        spec.validate(config)
        result = spec.compute(config, CallInputs(shapes, names, call_kwargs, as_list=not single_tensor))
    except LayerError as error:
        return Outcome(error=f"{error.kind}: {error.message}")
    except Unresolved as unresolved:  # nothing in these tests is unknown
        raise AssertionError(f"padlint could not resolve {unresolved.what}") from unresolved
    return Outcome(
        shapes=[_plain_shape(shape) for shape in result.outputs],
        trainable=result.trainable,
        non_trainable=result.non_trainable,
    )


def assert_matches_keras(
    class_name: str,
    kwargs: dict,
    input_shapes: list,
    *,
    args: tuple = (),
    input_names: list | None = None,
    call_kwargs: dict | None = None,
    single_tensor: bool = False,
) -> Outcome:
    """Assert padlint and Keras agree; returns Keras' outcome for further checks."""
    spec = lookup(class_name)
    expected = outcome_of_keras(
        class_name,
        kwargs,
        input_shapes,
        takes_list=bool(spec and spec.takes_list),
        args=args,
        input_names=input_names,
        call_kwargs=call_kwargs,
        single_tensor=single_tensor,
    )
    actual = outcome_of_padlint(
        class_name, kwargs, input_shapes, args=args, input_names=input_names, call_kwargs=call_kwargs, single_tensor=single_tensor
    )
    context = f"{class_name}(*{args!r}, **{kwargs!r}) on {input_shapes!r} names={input_names} call_kwargs={call_kwargs} single_tensor={single_tensor}"
    if expected.raised or actual.raised:
        assert expected.raised == actual.raised, (
            f"{context}: Keras {'raised ' + expected.error if expected.raised else 'accepted it'}, "
            f"padlint {'raised ' + actual.error if actual.raised else 'accepted it'}"
        )
        return expected
    assert actual.shapes == expected.shapes, f"{context}: shapes {actual.shapes} != Keras {expected.shapes}"
    assert actual.trainable == expected.trainable, f"{context}: trainable {actual.trainable} != Keras {expected.trainable}"
    assert actual.non_trainable == expected.non_trainable, f"{context}: non-trainable {actual.non_trainable} != Keras {expected.non_trainable}"
    return expected


# ------------------------------------------------- helpers for spec tests


def padlint_result(class_name: str, input_shape: tuple, *args, **kwargs):
    """padlint alone on one input of any dims (Sym included): validate, then compute.

    Returns the LayerResult; a LayerError propagates, for tests of error kinds.
    """
    spec = lookup(class_name)
    assert spec is not None, f"padlint has no spec for {class_name}"
    config = LayerConfig(spec, bind_arguments(spec, args, _padlint_kwargs(kwargs)))
    spec.validate(config)
    return spec.compute(config, CallInputs([input_shape]))


def differential(max_examples: int):
    """Hypothesis settings for a deterministic (derandomized) run of ``max_examples`` comparisons."""
    from hypothesis import HealthCheck, settings

    return settings(derandomize=True, deadline=None, max_examples=max_examples, suppress_health_check=[HealthCheck.too_slow])


def mostly(good, *bad, odds: int = 16):
    """The strategy ``good``, except that one draw in ``odds`` is one of the ``bad`` values.

    For configurations Keras may reject: drawn rarely enough that most cases
    still reach shape computation. (A list is sampled rather than an integer
    range because Hypothesis favours the bounds of ranges.)
    """
    from hypothesis import strategies as st

    return st.sampled_from([False] * (odds - 1) + [True]).flatmap(lambda rare: st.sampled_from(bad) if rare else good)


def leading_positional(class_name: str, kwargs: dict, count: int) -> tuple[tuple, dict]:
    """Pass up to ``count`` leading ``__init__`` parameters positionally, as far as ``kwargs`` sets them.

    Only an unbroken prefix of the spec's ``signature`` moves (no defaults are
    filled in), so the call means the same to Keras if the signature is right
    and something else, caught by the comparison, if it is not.
    """
    spec = lookup(class_name)
    assert spec is not None, f"padlint has no spec for {class_name}"
    names = []
    for name in spec.signature[:count]:
        if name not in kwargs:
            break
        names.append(name)
    rest = {name: value for name, value in kwargs.items() if name not in names}
    return tuple(kwargs[name] for name in names), rest


def assert_case_matches_keras(case: tuple, positional: int = 0) -> Outcome:
    """``assert_matches_keras`` on a drawn ``(class_name, kwargs, input_shapes)``, with
    up to ``positional`` leading arguments passed positionally (see :func:`leading_positional`)."""
    class_name, kwargs, input_shapes = case
    args, kwargs = leading_positional(class_name, kwargs, positional)
    return assert_matches_keras(class_name, kwargs, input_shapes, args=args)
