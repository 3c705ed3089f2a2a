"""The contract every layer's static model follows.

A :class:`LayerSpec` is padlint's static twin of one Keras layer class: the
positional parameters of its ``__init__`` (so ``Conv2D(32, 3)`` binds 32 to
``filters``), the defaults, the checks Keras makes in ``__init__``
(:meth:`LayerSpec.validate`) and, mirroring ``compute_output_shape`` and
``build``, the output shapes and parameter counts for given input shapes
(:meth:`LayerSpec.compute`).

Where Keras raises, a spec raises :class:`LayerError` with a ``kind`` that the
rules map to findings. Where a value needed for the answer is not statically
known, it raises :class:`Unresolved` and the output becomes unknown: padlint
never guesses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from padlint.evaluation.values import Unknown
from padlint.symbolic import Dim, Sym, format_dim

Shape = tuple  # tuple[Dim, ...], batch axis first
MaybeShape = "Shape | None"

# Kinds of LayerError; rules select on these.
NON_POSITIVE_DIMENSION = "non-positive-dimension"
INVALID_PADDING = "invalid-padding"
RANK_MISMATCH = "rank-mismatch"
MERGE_MISMATCH = "merge-shape-mismatch"
#: A layer that merges a list of tensors called on one tensor (``Add()(x)``).
MERGE_NOT_A_LIST = "merge-not-a-list"
RESHAPE_MISMATCH = "reshape-size-mismatch"
INVALID_CONFIG = "invalid-layer-config"
#: A weight would be sized by an axis the model leaves open (None to Keras).
UNDEFINED_SIZE = "undefined-size"
KERAS_ERROR = "keras-error"


class LayerError(Exception):
    """What Keras raises for this configuration or these inputs."""

    def __init__(self, kind: str, message: str, *, argument: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.argument = argument
        self.details = details


class Unresolved(Exception):
    """A value the computation needs is not statically known."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class LayerResult:
    """What propagation records on a graph node for one layer application."""

    outputs: list  # list[Shape | None], one per output tensor
    trainable: Dim = 0
    non_trainable: Dim = 0
    #: Resolved configuration rules read (kernel_size, strides, padding, ...).
    details: dict[str, Any] = field(default_factory=dict)
    #: Human-readable arithmetic for ``padlint summary --explain``.
    explain: list[str] = field(default_factory=list)


class CallInputs(list):
    """Input shapes of one layer call, in the order of the spec's ``call_signature``.

    ``names`` gives the call parameter each shape was passed as (for layers with
    several tensor arguments, such as MultiHeadAttention's query/value/key);
    ``kwargs`` holds the call's non-tensor arguments (``return_sequences`` is a
    constructor argument, but ``return_attention_scores`` or ``training`` are
    call arguments). ``as_list`` is False when a layer that takes a list of
    tensors was given one tensor (``Add()(x)``), which Keras rejects.
    """

    def __init__(self, shapes=(), names=None, kwargs=None, *, as_list: bool = True) -> None:
        super().__init__(shapes)
        self.names: list[str] = list(names) if names is not None else ["inputs"] * len(self)
        self.kwargs: dict[str, Any] = dict(kwargs or {})
        self.as_list = as_list

    def named(self, name: str) -> Shape | None:
        """The shape passed as ``name``; Unresolved if that argument was not passed."""
        if name not in self.names:
            raise KeyError(name)
        return self[self.names.index(name)]


class LayerConfig:
    """The arguments of one layer construction, bound to parameter names.

    Values are whatever the evaluator produced: Python constants, Unknown, or
    other evaluator objects (an inner layer for wrappers). Accessors apply the
    spec's defaults and raise :class:`Unresolved` for unknown values.
    """

    def __init__(
        self,
        spec: LayerSpec,
        arguments: dict[str, Any],
        image_data_format: str = "channels_last",
        *,
        open_kwargs: bool = False,
    ) -> None:
        self.spec = spec
        self.arguments = arguments
        self.image_data_format = image_data_format
        #: ``**kwargs`` of unknown content were passed: any argument may be set.
        self.open_kwargs = open_kwargs

    def is_set(self, name: str) -> bool:
        return name in self.arguments

    def raw(self, name: str, default: Any = None) -> Any:
        if name in self.arguments:
            return self.arguments[name]
        if self.open_kwargs:
            return Unknown(f"{name} may be set through **kwargs")
        return self.spec.defaults.get(name, default)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.raw(name, default)
        if contains_unknown(value):
            raise Unresolved(f"{name} is not known")
        return value

    def int(self, name: str, default: Any = None) -> int | None:
        value = self.get(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise LayerError(KERAS_ERROR, f"`{name}` must be an integer, received {value!r}", argument=name)
        return value

    def bool(self, name: str, default: Any = None) -> bool:
        return bool(self.get(name, default))

    def tuple(self, name: str, n: int, *, allow_zero: bool = False, default: Any = None) -> tuple[int, ...]:
        return standardize_tuple(self.get(name, default), n, name, allow_zero=allow_zero)

    def data_format(self) -> str:
        return standardize_data_format(self.get("data_format"), self.image_data_format)

    def layer(self, name: str) -> LayerConfig:
        """The configuration of a layer passed as an argument (wrappers such as
        Bidirectional(LSTM(...)) or TimeDistributed(Dense(...))).

        The evaluator passes layer objects that carry ``.config``; an unknown or
        custom inner layer makes the wrapper's output unknown.
        """
        value = self.get(name)
        inner = getattr(value, "config", None)
        if not isinstance(inner, LayerConfig):
            raise Unresolved(f"{name} is not a layer padlint knows")
        return inner


class LayerSpec:
    """Static model of one Keras layer class. Subclasses are registered in the table."""

    #: The Keras 3 class name, as ``model.summary()`` prints it.
    class_name: ClassVar[str]
    #: Positional parameters of ``__init__``, in order.
    signature: ClassVar[tuple[str, ...]] = ()
    #: Defaults of parameters the computation reads.
    defaults: ClassVar[dict[str, Any]] = {}
    #: ``__call__`` takes a list of tensors (merge layers, attention).
    takes_list: ClassVar[bool] = False
    #: Parameters of ``call()`` that carry tensors, in order.
    call_signature: ClassVar[tuple[str, ...]] = ("inputs",)
    #: The file in keras/src this spec mirrors.
    mirrors: ClassVar[str] = ""

    def validate(self, config: LayerConfig) -> None:
        """Raise LayerError for what Keras rejects in ``__init__``."""

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        """Output shapes and weights for these input shapes (``None`` = unknown)."""
        raise NotImplementedError


class PassThrough(LayerSpec):
    """A layer whose ``compute_output_shape`` returns its input shape and that has no weights."""

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=[single_input(inputs)])


# ------------------------------------------------------- argument validation


def contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, (tuple, list)):
        return any(contains_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(contains_unknown(item) for item in value.values())
    return False


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """Mirror of keras/src/utils/argument_validation.py ``standardize_tuple``."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}"
    if is_int(value):
        values = (value,) * n
    elif isinstance(value, (tuple, list)):
        values = tuple(value)
        if len(values) != n or not all(is_int(item) for item in values):
            raise LayerError(INVALID_CONFIG, message, argument=name)
    else:
        raise LayerError(INVALID_CONFIG, message, argument=name)
    bad = [item for item in values if (item < 0 if allow_zero else item <= 0)]
    if bad:
        requirement = ">= 0" if allow_zero else "> 0"
        raise LayerError(INVALID_CONFIG, f"{message}, including values {set(bad)} that do not satisfy `value {requirement}`", argument=name)
    return values


def standardize_padding(value: Any, allow_causal: bool = False) -> str | tuple | list:
    """Mirror of keras/src/utils/argument_validation.py ``standardize_padding``.

    Lists and tuples pass here, as in Keras; the layers that cannot use them
    reject them later (conv: in ``compute_output_shape``).
    """
    if isinstance(value, (tuple, list)):
        return value
    if not isinstance(value, str):
        raise LayerError(INVALID_PADDING, f"The `padding` argument must be a string, received {value!r}", argument="padding", value=value)
    padding = value.lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise LayerError(
            INVALID_PADDING,
            f"The `padding` argument must be a list/tuple or one of {set(allowed)}. Received: {padding}",
            argument="padding",
            value=value,
        )
    return padding


def standardize_data_format(value: Any, default: str = "channels_last") -> str:
    """Mirror of keras/src/backend/config.py ``standardize_data_format``."""
    if value is None:
        return default
    data_format = str(value).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise LayerError(
            INVALID_CONFIG,
            f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. Received: data_format={value}",
            argument="data_format",
        )
    return data_format


# ------------------------------------------------------------ shape helpers


def single_input(inputs: Sequence) -> Shape | None:
    """The one input shape of a single-input layer."""
    if len(inputs) != 1:
        raise LayerError(KERAS_ERROR, f"expected a single input tensor, received {len(inputs)}")
    return inputs[0]


def require_known(shape: Shape | None, what: str = "input shape") -> Shape:
    if shape is None:
        raise Unresolved(f"its {what} is not known")
    return shape


def check_rank(class_name: str, shape: Shape, *, ndim: int | None = None, min_ndim: int | None = None, max_ndim: int | None = None) -> None:
    """Mirror of keras/src/layers/input_spec.py ``assert_input_compatibility`` (rank part)."""
    rank = len(shape)
    expected = None
    if ndim is not None and rank != ndim:
        expected = f"ndim={ndim}"
    elif min_ndim is not None and rank < min_ndim:
        expected = f"min_ndim={min_ndim}"
    elif max_ndim is not None and rank > max_ndim:
        expected = f"max_ndim={max_ndim}"
    if expected:
        raise LayerError(
            RANK_MISMATCH,
            f"Input 0 of layer \"{class_name}\" is incompatible with the layer: expected {expected}, found ndim={rank}. Full shape received: {format_shape(shape)}",
            expected=expected,
            received_rank=rank,
        )


def count(*dims: Dim) -> Dim:
    """Product of weight dimensions (a parameter count), symbolic if need be."""
    from padlint.symbolic import product

    return product(dims)


def format_shape(shape: Shape | None) -> str:
    """Keras' notation: ``(None, 26, 26, 32)``; ``?`` when unknown."""
    if shape is None:
        return "?"
    if len(shape) == 1:
        return f"({format_dim(shape[0])},)"
    return "(" + ", ".join(format_dim(dim) for dim in shape) + ")"


def channel_axis(data_format: str, rank: int) -> int:
    return rank - 1 if data_format == "channels_last" else 1


def spatial_axes(data_format: str, rank: int) -> list[int]:
    return list(range(1, rank - 1)) if data_format == "channels_last" else list(range(2, rank))


def replace_axes(shape: Shape, values: dict[int, Dim]) -> Shape:
    return tuple(values.get(axis, dim) for axis, dim in enumerate(shape))


def dims_text(values: Iterable[Dim]) -> str:
    return ", ".join(format_dim(value) for value in values)


def is_symbolic(dim: Dim) -> bool:
    return isinstance(dim, Sym)


def is_keras_none(dim: Dim) -> bool:
    """``None`` to Keras (an open axis of an input), so a weight cannot be sized by it."""
    return isinstance(dim, Sym) and dim.is_keras_none()


def run_checks(*checks) -> None:
    """Run independent ``__init__`` checks; raise the first LayerError found.

    A check whose inputs are unknown (Unresolved) is skipped rather than
    stopping the others, so ``Conv2D(n, 3, padding=(2, 2))`` with an unknown
    ``n`` still reports the padding.
    """
    for check in checks:
        try:
            check()
        except Unresolved:
            continue


def bind_arguments(spec: LayerSpec, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Bind positional arguments to the spec's ``__init__`` parameter names.

    Extra positional arguments beyond the signature are kept under ``*args``
    (Keras would raise a TypeError; padlint reports it through validation).
    """
    bound: dict[str, Any] = {}
    for name, value in zip(spec.signature, args):
        bound[name] = value
    if len(args) > len(spec.signature):
        bound["*args"] = tuple(args[len(spec.signature):])
    for name, value in kwargs.items():
        if name in bound:
            raise LayerError(KERAS_ERROR, f"{spec.class_name}() gets `{name}` twice, by position and by keyword", argument=name)
        bound[name] = value
    return bound


def effective_kernel(kernel: int, dilation: int) -> int:
    """The span a dilated kernel covers: ``dilation * (kernel - 1) + 1``."""
    return dilation * (kernel - 1) + 1
