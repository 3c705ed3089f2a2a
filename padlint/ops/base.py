"""The contract every keras.ops shape function follows, and the helpers they share.

An :class:`OpSpec` is padlint's static twin of one ``keras.ops`` function: its
Python signature (so ``ops.mean(x, 1, True)`` binds ``axis`` and ``keepdims``),
the ``Operation`` class Keras creates on symbolic tensors (whose snake_case name
``model.summary()`` prints: ``reshape``, ``expand_dims_1``) and the shape
function, a transliteration of that class's ``compute_output_spec``.

A shape function receives the bound arguments with every tensor replaced by a
:class:`Tensor` (its ``.shape`` raises Unresolved while unknown) and returns an
output shape, or a :class:`Multi` of them for operations with several outputs
(``split``, ``top_k``, ``moments``). Where Keras raises it raises
:class:`OpError`; where a value it needs is not known, ``Unresolved``.

Dimensions are padlint's (``int``, ``None``, :class:`~padlint.symbolic.Sym`). To
Keras ``None`` and a symbol standing for ``None`` (an open axis of an ``Input``)
are ``None``; a symbol that is a number padlint does not know (a size read from
data) is an int to Keras, so a decision that depends on its value is Unresolved
rather than a guess. Arithmetic on sizes keeps symbolic expressions where the
formula is exact for every value (``H*W``): they print as expressions and are
``None`` to Keras exactly when Keras computes ``None``.
"""

from __future__ import annotations

import ast
import contextvars
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from padlint.evaluation.values import ConstTensor, DynamicSize, Unknown
from padlint.layers.base import KERAS_ERROR, MERGE_MISMATCH, LayerError, Unresolved, format_shape
from padlint.symbolic import Dim, Sym, difference, product, provably_equal

#: The default of a parameter without one.
REQUIRED = object()

#: Set while a shape is computed for an operation inside a traced ``call()``: Keras runs
#: it on the backend's (TensorFlow's) tensors there, whose checks differ in places.
_IN_TRACE: contextvars.ContextVar[bool] = contextvars.ContextVar("padlint_ops_in_trace", default=False)


def in_trace() -> bool:
    """Whether the shape being computed is that of a backend op in a traced ``call()``."""
    return _IN_TRACE.get()


#: Set while an op runs on concrete values only: the backend converts Python numbers and
#: lists to tensors there, so ``ops.sqrt(2.0)`` is a scalar.
_EAGER: contextvars.ContextVar[bool] = contextvars.ContextVar("padlint_ops_eager", default=False)


def eager() -> bool:
    return _EAGER.get()


class OpError(LayerError):
    """What Keras raises (a ValueError or TypeError) for these arguments."""

    def __init__(self, message: str, kind: str = KERAS_ERROR) -> None:
        super().__init__(kind, message)


@dataclass(frozen=True)
class Tensor:
    """A tensor argument as a shape function sees it: a symbolic tensor (a KerasTensor,
    or a backend tensor in a traced ``call()``) or a concrete one."""

    known_shape: tuple | None
    symbolic: bool = True

    @property
    def shape(self) -> tuple:
        if self.known_shape is None:
            raise Unresolved("the shape of an input of the operation")
        return self.known_shape

    @property
    def ndim(self) -> int:
        return len(self.shape)


@dataclass(frozen=True)
class Multi:
    """Several outputs: a list (``split``) or a tuple (``top_k``) of shapes."""

    shapes: tuple
    as_list: bool = False


@dataclass(frozen=True)
class OpSpec:
    """Static model of one keras.ops (or TensorFlow, or Keras 2 backend) function."""

    #: The function's name (``reshape``) and where it lives, for messages.
    name: str
    #: The ``Operation`` class Keras creates on symbolic tensors, as the summary shows it.
    class_name: str
    #: ``(parameter, default)`` in order; ``*name`` takes the remaining positionals.
    parameters: tuple[tuple[str, Any], ...]
    compute: Callable[..., Any]
    #: The keras/src (or TensorFlow) function this mirrors.
    mirrors: str
    #: For several outputs: their structure from the bound arguments, ``("list"|"tuple", n)``,
    #: or None when it cannot be known.
    outputs: Callable[[dict], tuple[str, int] | None] | None = None
    #: Keras makes a graph operation for it on KerasTensors; False for TensorFlow functions,
    #: which raise on KerasTensors (keras/src/backend/common/keras_tensor.py ``__tf_tensor__``).
    keras_symbolic: bool = True
    #: On symbolic tensors the function returns a plain Python value (``ops.shape``).
    plain: bool = False


@functools.lru_cache(maxsize=None)
def parse_parameters(text: str) -> tuple[tuple[str, Any], ...]:
    """``"x, axis=None, keepdims=False"`` -> ``(("x", REQUIRED), ("axis", None), ...)``;
    ``"*operands"`` stays ``("*operands", REQUIRED)``. This is padlint's own table text,
    never user code; it is split by hand because compiling 400 signatures at every
    start-up would cost a tenth of a one-file run."""
    parameters: list[tuple[str, Any]] = []
    for part in _top_level_parts(text):
        name, equals, default = part.partition("=")
        parameters.append((name.strip(), _literal(default.strip()) if equals else REQUIRED))
    return tuple(parameters)


_SIMPLE_LITERALS = {"None": None, "True": True, "False": False}


def _literal(text: str) -> Any:
    if text in _SIMPLE_LITERALS:
        return _SIMPLE_LITERALS[text]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" and text[0] not in text[1:-1]:
        return text[1:-1]
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    return ast.literal_eval(text)


def _top_level_parts(text: str) -> list[str]:
    """The comma-separated parts of a signature, commas inside parentheses kept."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        depth += char in "(["
        depth -= char in ")]"
        current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


class BindError(Exception):
    """Python's TypeError for a call that does not fit the signature."""


def bind(spec: OpSpec, args: list, kwargs: dict) -> dict:
    """Bind a call's arguments to the spec's parameters as Python does (defaults filled in)."""
    bound: dict[str, Any] = {}
    remaining = list(args)
    names = [name for name, _ in spec.parameters]
    for name, default in spec.parameters:
        if name.startswith("*"):
            bound[name[1:]] = tuple(remaining)
            remaining = []
            continue
        if remaining:
            bound[name] = remaining.pop(0)
    if remaining:
        raise BindError(f"{spec.name}() takes {len(names)} positional arguments but {len(args)} were given")
    for key, value in kwargs.items():
        if key not in names or key in bound:
            raise BindError(f"{spec.name}() got an unexpected or repeated argument '{key}'")
        bound[key] = value
    for name, default in spec.parameters:
        if name.startswith("*"):
            continue
        if name not in bound:
            if default is REQUIRED:
                raise BindError(f"{spec.name}() missing required argument: '{name}'")
            bound[name] = default
    return bound


# ------------------------------------------------------------------ dimensions


def is_none(dim: Dim) -> bool:
    """``None`` to Keras: unknown, or a symbol of an axis the model leaves open."""
    return dim is None or (isinstance(dim, Sym) and dim.is_keras_none())


def is_known(dim: Dim) -> bool:
    return isinstance(dim, int) and not isinstance(dim, bool)


def equals(a: Dim, b: Dim) -> bool:
    """Keras' ``a == b`` on two sizes (``None == None`` is True, ``None == 3`` False);
    Unresolved when it depends on a number padlint does not know."""
    if is_none(a) or is_none(b):
        return is_none(a) and is_none(b)
    if is_known(a) and is_known(b):
        return a == b
    gap = difference(a, b)
    if gap is None:
        raise Unresolved("a size padlint does not know")
    return gap == 0


def decide(value: Any) -> Any:
    """A size compared with a number: the size, which must be an int (Unresolved if it is not known)."""
    if not is_known(value):
        raise Unresolved("a size padlint does not know")
    return value


def shape_equal(first: tuple, second: tuple, axis: Any = None, allow_none: bool = True) -> bool:
    """Mirror of keras/src/ops/numpy.py ``shape_equal``."""
    if len(first) != len(second):
        return False
    skipped = set()
    if axis is not None:
        skipped = {canonicalize_axis(ax, len(first)) if ax < 0 else ax for ax in ([axis] if isinstance(axis, int) else axis)}
    for index, (a, b) in enumerate(zip(first, second)):
        if index in skipped:
            continue
        if allow_none and (is_none(a) or is_none(b)):
            continue
        if not equals(a, b):
            return False
    return True


def canonicalize_axis(axis: Any, ndim: int) -> int:
    """Mirror of keras/src/backend/common/backend_utils.py ``canonicalize_axis``."""
    axis = static_int(axis, "axis")
    if not -ndim <= axis < ndim:
        if in_trace():
            # TensorFlow checks many axes only when the graph runs; its static shape is no
            # shape padlint can state.
            raise Unresolved(f"axis {axis} out of range for rank {ndim} in a traced call()")
        raise OpError(f"axis {axis} is out of bounds for an array with dimension {ndim}.")
    return axis + ndim if axis < 0 else axis


def canonicalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """Mirror of backend_utils.py ``canonicalize_axes``."""
    if isinstance(axis, (tuple, list)):
        return tuple(canonicalize_axis(item, ndim) for item in axis)
    return (canonicalize_axis(axis, ndim),)


def to_tuple_or_list(value: Any) -> Any:
    """Mirror of backend_utils.py ``to_tuple_or_list``."""
    if value is None:
        return None
    value = static(value)
    if isinstance(value, bool) or not isinstance(value, (int, tuple, list)):
        raise OpError(f"`value` must be an integer, tuple or list. Received: value={value}")
    return (value,) if isinstance(value, int) else value


def static(value: Any, what: str = "an argument", *, run_time_sizes: bool = False) -> Any:
    """A non-tensor argument whose value the shape depends on: Unresolved if padlint does not know
    it. ``run_time_sizes``: the argument holds sizes, and a :class:`DynamicSize` among them is
    allowed (the caller reads it with :func:`size_or_none`)."""
    if _contains_unknown(value, run_time_sizes):
        raise Unresolved(f"{what} is not known")
    return value


def is_run_time(value: Any) -> bool:
    """A size only the run knows (a traced ``ops.shape(x)[0]``)."""
    return isinstance(value, DynamicSize)


def static_int(value: Any, what: str = "an argument") -> int:
    """An argument that must be a Python int (a bool is one, as ``operator.index`` takes it)."""
    value = static(value, what)
    if isinstance(value, Sym):
        raise Unresolved(f"{what} is a size padlint does not know")
    if not isinstance(value, int):
        if isinstance(value, Tensor):
            raise Unresolved(f"{what} is a tensor")
        raise OpError(f"'{type(value).__name__}' object cannot be interpreted as an integer ({what})")
    return int(value)


def _contains_unknown(value: Any, run_time_sizes: bool = False) -> bool:
    if isinstance(value, Unknown):
        return not (run_time_sizes and isinstance(value, DynamicSize))
    if isinstance(value, (tuple, list)):
        return any(_contains_unknown(item, run_time_sizes) for item in value)
    return False


# ------------------------------------------------------------------ operands


def shape_or_scalar(value: Any) -> tuple:
    """``getattr(x, "shape", [])``: a tensor's shape; ``()`` for a Python number (or None)."""
    if isinstance(value, Tensor):
        return value.shape
    if eager() and isinstance(value, (list, tuple)):
        return array_shape(value)
    if isinstance(value, (Unknown, list, tuple, dict, str)):
        # A list has no ``shape`` either, but Keras resolves its dtype as ``type(x)`` and fails.
        raise Unresolved("an operand of the operation is not a tensor or a number")
    return ()


def array_shape(value: Any) -> tuple:
    """``np.array(value).shape`` (or a tensor's shape): nested lists of numbers have the
    shape of their nesting."""
    if isinstance(value, Tensor):
        return value.shape
    if isinstance(value, Unknown) or isinstance(value, Sym):
        raise Unresolved("an operand of the operation is not known")
    if isinstance(value, (tuple, list)):
        if not value:
            return (0,)
        shapes = {array_shape(item) for item in value}
        if len(shapes) != 1:
            raise Unresolved("a ragged list")
        return (len(value), *shapes.pop())
    if value is None or isinstance(value, (int, float, bool, complex)):
        return ()
    raise Unresolved("an operand padlint does not model")


def broadcast_shapes(first: tuple, second: tuple) -> tuple:
    """Mirror of keras/src/ops/operation_utils.py ``broadcast_shapes``; a symbolic
    dimension is Keras' None, kept when both sides provably agree."""
    shape1, shape2 = list(first), list(second)
    if len(shape1) > len(shape2):
        shape2 = [1] * (len(shape1) - len(shape2)) + shape2
    if len(shape1) < len(shape2):
        shape1 = [1] * (len(shape2) - len(shape1)) + shape1
    output: list = []
    for left, right in zip(shape1, shape2):
        if left == 1:
            output.append(right)
        elif left is None or isinstance(left, Sym):
            if right == 1:
                output.append(left)
            elif right is None or isinstance(right, Sym):
                output.append(left if left is not None and right is not None and provably_equal(left, right) else None)
            else:
                output.append(right)
        elif right == 1 or right is None or isinstance(right, Sym) or right == left:
            output.append(left)
        else:
            raise LayerError(
                MERGE_MISMATCH,
                f"Cannot broadcast shape, the failure dim has value {left}, which cannot be broadcasted to {right}. "
                f"Input shapes are: {format_shape(first)} and {format_shape(second)}.",
                shapes=[first, second],
            )
    return tuple(output)


def reduce_shape(shape: tuple, axis: Any = None, keepdims: Any = False) -> tuple:
    """Mirror of operation_utils.py ``reduce_shape``."""
    shape = list(shape)
    keepdims = static(keepdims, "keepdims")
    axis = static(axis, "axis")
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    if isinstance(axis, int):
        axis = (axis,)
    axes = tuple(canonicalize_axis(a, len(shape)) for a in axis)
    if keepdims:
        for ax in axes:
            shape[ax] = 1
        return tuple(shape)
    for ax in sorted(set(axes), reverse=True):
        del shape[ax]
    if len(set(axes)) != len(axes):
        # ``del`` runs once per listed axis in Keras: a repeated axis removes a second one.
        raise Unresolved("a reduction over a repeated axis")
    return tuple(shape)


def flat_size(shape: tuple) -> Dim:
    """``math.prod(shape)`` where Keras computes it (no ``None`` in the shape), else None."""
    if any(dim is None for dim in shape):
        return None
    return product(shape)


def check_shape(shape: Any) -> tuple:
    """An output shape as ``KerasTensor`` accepts it (standardize_shape rejects negative sizes)."""
    shape = tuple(shape)
    for dim in shape:
        if is_known(dim) and dim < 0:
            raise OpError(f"Negative dimensions are not allowed. Received: shape={format_shape(shape)}")
    return shape


def leaves(structure: Any) -> Iterator[Any]:
    """The values of nested lists and tuples, in order."""
    if isinstance(structure, (list, tuple)):
        for item in structure:
            yield from leaves(item)
    else:
        yield structure


@dataclass
class OpCall:
    """One application of an op: the spec and its bound arguments (symbolic tensors as the
    evaluator's TensorRefs, concrete ones as ConstTensor). ``traced``: made on the backend
    tensors of a traced ``call()``."""

    spec: OpSpec
    arguments: dict
    traced: bool = False
    #: Set when the shapes are computed for an op with several outputs: ``("list"|"tuple", n)``.
    structure: tuple[str, int] | None = None


def run_spec(spec: OpSpec, arguments: dict, *, traced: bool, concrete_only: bool = False) -> Any:
    """Call the shape function with the trace (and eager) flags set; the result as a shape or a Multi."""
    token = _IN_TRACE.set(traced)
    eager_token = _EAGER.set(concrete_only)
    try:
        result = spec.compute(**arguments)
    except (IndexError, ZeroDivisionError, TypeError) as failure:
        # Arguments of a form the shape function does not expect (Keras, whose code it
        # mirrors, fails on most of them too): unknown, never a guess.
        raise Unresolved(f"{spec.name}() with arguments padlint does not model ({type(failure).__name__})") from None
    finally:
        _IN_TRACE.reset(token)
        _EAGER.reset(eager_token)
    if isinstance(result, Multi):
        return Multi(tuple(check_shape(shape) for shape in result.shapes), result.as_list)
    return check_shape(result)


def concrete(value: Any) -> Any:
    """A ConstTensor as the Tensor a shape function takes (in nested lists too)."""
    if isinstance(value, ConstTensor):
        return Tensor(tuple(value.shape), symbolic=False)
    if isinstance(value, list):
        return [concrete(item) for item in value]
    if isinstance(value, tuple):
        return tuple(concrete(item) for item in value)
    return value
