"""Attention layers: MultiHeadAttention, Attention and AdditiveAttention.

Mirrors keras/src/layers/attention/multi_head_attention.py (``build`` creates
four EinsumDense projections, keras/src/layers/core/einsum_dense.py, and
``compute_output_spec`` gives the shapes without tracing the einsums),
attention.py and additive_attention.py (Luong- and Bahdanau-style attention
on a list ``[query, value(, key)]``, whose output shapes Keras computes
without checking that the inputs fit together).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    MERGE_MISMATCH,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Shape,
    Unresolved,
    contains_unknown,
    format_shape,
    is_int,
    require_known,
    run_checks,
)
from padlint.layers.registry import register
from padlint.symbolic import Dim, Sym, add, format_dim, mul, product, provably_different


def undefined_weight(shape: tuple, variable: str) -> LayerError:
    """What ``add_weight`` raises for a shape with ``None`` in it."""
    return LayerError(
        KERAS_ERROR,
        "Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
        f"Received: shape={format_shape(shape)} for variable '{variable}'",
        variable=variable,
    )


def call_flag(inputs: Sequence, name: str) -> bool:
    """A boolean call argument such as ``return_attention_scores`` (``False`` when not passed)."""
    value = getattr(inputs, "kwargs", {}).get(name, False)
    if contains_unknown(value):
        raise Unresolved(f"{name} is not known")
    return bool(value)


def positive_int(config: LayerConfig, name: str, *, optional: bool = False) -> None:
    """MultiHeadAttention's ``not isinstance(value, int) or value <= 0`` checks (bools pass, as in Keras)."""
    value = config.get(name)
    if optional and value is None:
        return
    if not isinstance(value, int) or value <= 0:
        expected = "a positive integer or `None`" if optional else "a positive integer"
        raise LayerError(INVALID_CONFIG, f"Received an invalid value for argument `{name}`, expected {expected}. Received: {name}={value!r}", argument=name)


# ====================================================== MultiHeadAttention


def projection(input_shape: Shape, heads: int, width: int, use_bias: bool, name: str) -> Dim:
    """Weights of a ``(..., d) -> (..., heads, width)`` EinsumDense: ``d*heads*width`` + bias ``heads*width``.

    With fewer than two axes Keras' equation takes the kernel's first axis from
    the batch axis, which is ``None``.
    """
    if len(input_shape) < 2 or input_shape[-1] is None:
        raise undefined_weight((input_shape[-1] if len(input_shape) >= 2 else None, heads, width), f"{name}/kernel")
    kernel = mul(input_shape[-1], heads * width)
    return add(kernel, heads * width) if use_bias else kernel


@register
class MultiHeadAttention(LayerSpec):
    """Scaled dot-product attention over ``num_heads`` projections of query, key and value."""

    class_name = "MultiHeadAttention"
    signature = (
        "num_heads", "key_dim", "value_dim", "dropout", "use_bias", "output_shape", "attention_axes",
        "sliding_window", "flash_attention", "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "use_gate", "seed",
    )  # fmt: skip
    defaults: ClassVar[dict[str, Any]] = {
        "value_dim": None,
        "dropout": 0.0,
        "use_bias": True,
        "output_shape": None,
        "attention_axes": None,
        "sliding_window": None,
        "flash_attention": None,
        "use_gate": False,
    }
    call_signature = ("query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask")
    mirrors = "keras/src/layers/attention/multi_head_attention.py"

    def validate(self, config: LayerConfig) -> None:
        def output_shape() -> None:
            self.output_shape(config)

        def attention_axes() -> None:
            axes = config.get("attention_axes")
            if axes and not isinstance(axes, (int, list, tuple)):
                raise LayerError(INVALID_CONFIG, f"`attention_axes` must be an int, list, or tuple.Received: attention_axes={axes!r}", argument="attention_axes")

        def sliding_window() -> None:
            window = config.get("sliding_window")
            if window is not None and (not isinstance(window, int) or window <= 0):
                raise LayerError(INVALID_CONFIG, f"`sliding_window` must be `None` or a positive integer. Received: sliding_window={window!r}", argument="sliding_window")

        def flash_dropout() -> None:
            if not config.get("flash_attention"):
                return
            rate = config.get("dropout")
            if isinstance(rate, bool) or not isinstance(rate, (int, float)):
                raise LayerError(KERAS_ERROR, f"`dropout` must be a number, received {rate!r}", argument="dropout")
            if rate > 0.0:
                raise LayerError(
                    INVALID_CONFIG,
                    "Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 to use flash attention.",
                    argument="dropout",
                )

        run_checks(
            lambda: positive_int(config, "num_heads"),
            lambda: positive_int(config, "key_dim"),
            lambda: positive_int(config, "value_dim", optional=True),
            output_shape,
            attention_axes,
            sliding_window,
            flash_dropout,
        )

    @staticmethod
    def output_shape(config: LayerConfig) -> tuple | None:
        """``output_shape`` as ``__init__`` keeps it: None when falsy, an int made a 1-tuple."""
        value = config.get("output_shape")
        if not value:
            return None
        if isinstance(value, int):
            return (value,)
        try:
            return tuple(value)
        except TypeError:
            raise LayerError(
                INVALID_CONFIG,
                f"Invalid `output_shape`: {value!r}. When specified, the `output_shape` should be of type tuple, list, or int.",
                argument="output_shape",
            ) from None

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        arguments = bind_call(inputs, self.call_signature)
        if "query" not in arguments or "value" not in arguments:
            raise LayerError(KERAS_ERROR, "MultiHeadAttention needs `query` and `value` tensors")
        query = require_known(arguments["query"], "query shape")
        value = require_known(arguments["value"], "value shape")
        key = require_known(arguments["key"], "key shape") if arguments.get("key") is not None else value
        return_scores = call_flag(inputs, "return_attention_scores")
        check_value_and_key(value, key)
        trainable, explain = self.build(config, query, value, key)
        output_shape = self.output_shape(config)
        output = tuple(query[:-1]) + output_shape if output_shape else tuple(query)
        outputs = [output]
        if return_scores:
            heads = config.get("num_heads")
            outputs.append((query[0], heads, query[1], query[1]))
        return LayerResult(
            outputs=outputs,
            trainable=trainable,
            details={"num_heads": config.get("num_heads"), "key_dim": config.get("key_dim"), "value_dim": self.value_dim(config)},
            explain=explain,
        )

    @staticmethod
    def value_dim(config: LayerConfig) -> int:
        return config.get("value_dim") or config.get("key_dim")

    def build(self, config: LayerConfig, query: Shape, value: Shape, key: Shape) -> tuple[Dim, list[str]]:
        """``build``: query, key, (gate,) value and output projections, in Keras' order."""
        heads, key_dim, value_dim = config.get("num_heads"), config.get("key_dim"), self.value_dim(config)
        use_bias = bool(config.get("use_bias"))
        projections = [("query", query, key_dim), ("key", key, key_dim)]
        if config.get("use_gate"):
            projections.append(("gate", query, value_dim))
        projections.append(("value", value, value_dim))
        total: Dim = 0
        explain = []
        for name, shape, width in projections:
            weights = projection(shape, heads, width, use_bias, name)
            total = add(total, weights)
            explain.append(f"{name}: {format_dim(shape[-1])} x {heads} x {width}" + (f" + {heads} x {width}" if use_bias else "") + f" = {format_dim(weights)}")
        check_attention_axes(config.get("attention_axes"), len(value) + 1)
        output_dims = self.output_shape(config) or (query[-1],)
        kernel = (heads, value_dim, *output_dims)
        if None in output_dims:
            raise undefined_weight(kernel, "attention_output/kernel")
        if any(not isinstance(dim, Sym) and (not is_int(dim) or dim < 0) for dim in output_dims):
            raise LayerError(INVALID_CONFIG, f"Cannot convert '{format_shape(kernel)}' to a shape for the output projection", argument="output_shape")
        units = product(output_dims)
        weights = mul(heads * value_dim, units)
        weights = add(weights, units) if use_bias else weights
        explain.append(f"attention_output: {heads} x {value_dim} x {format_dim(units)}" + (f" + {format_dim(units)}" if use_bias else "") + f" = {format_dim(weights)}")
        return add(total, weights), explain


def bind_call(inputs: Sequence, signature: tuple[str, ...]) -> dict[str, Any]:
    """Call arguments by name; positional shapes without names follow the call signature."""
    names = list(getattr(inputs, "names", None) or [])
    bound: dict[str, Any] = {}
    for position, shape in enumerate(inputs):
        name = names[position] if position < len(names) and names[position] in signature else None
        if name is None:
            name = next((candidate for candidate in signature if candidate not in bound), None)
        if name is not None:
            bound[name] = shape
    return bound


def check_value_and_key(value: Shape, key: Shape) -> None:
    """``value_shape[1:-1] != key_shape[1:-1]`` raises; a symbol only where provably different."""
    left, right = value[1:-1], key[1:-1]
    mismatch = len(left) != len(right) or any(dims_differ(a, b) for a, b in zip(left, right))
    if mismatch:
        raise LayerError(
            MERGE_MISMATCH,
            "All dimensions of `value` and `key`, except the last one, must be equal. "
            f"Received: value_shape={format_shape(value)} and key_shape={format_shape(key)}",
            shapes=[value, key],
        )


def dims_differ(a: Dim, b: Dim) -> bool:
    """Keras' tuple ``!=`` on one axis: ``None`` equals only ``None``; symbols when provably different."""
    if a is None or b is None:
        return (a is None) != (b is None) and (isinstance(a, int) or isinstance(b, int))
    return provably_different(a, b)


def check_attention_axes(axes: Any, rank: int) -> None:
    """``_build_attention``: negative axes count from ``rank - 1``; ``np.delete`` rejects the rest."""
    if axes is None:
        return
    if isinstance(axes, int):
        axes = (axes,)
    for axis in axes:
        if not is_int(axis):
            raise LayerError(INVALID_CONFIG, f"`attention_axes` must hold integers, received {axes!r}", argument="attention_axes")
        index = axis if axis >= 0 else (rank - 1) + axis
        if not -rank <= index < rank:
            raise LayerError(
                INVALID_CONFIG,
                f"`attention_axes={tuple(axes)}` is out of range: axis {axis} gives index {index}, out of bounds for the {rank} axes of the projected inputs",
                argument="attention_axes",
            )


# ================================================== Attention, AdditiveAttention


class BaseAttention(LayerSpec):
    """Attention on ``[query, value]`` or ``[query, value, key]``: output ``(*query[:-1], value[-1])``."""

    takes_list = True
    call_signature = ("inputs", "mask")

    def validate(self, config: LayerConfig) -> None:
        def score_mode() -> None:
            mode = config.get("score_mode", "dot")
            if mode not in ["dot", "concat"]:
                raise LayerError(INVALID_CONFIG, f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. Received: score_mode={mode!r}", argument="score_mode")

        def dropout() -> None:
            rate = config.get("dropout", 0.0)
            if isinstance(rate, bool) or not isinstance(rate, (int, float)):
                raise LayerError(KERAS_ERROR, f"`dropout` must be a number, received {rate!r}", argument="dropout")

        run_checks(dropout, score_mode)

    def weights(self, config: LayerConfig, query: Shape) -> Dim:
        raise NotImplementedError

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        if not 2 <= len(inputs) <= 3:
            raise LayerError(
                KERAS_ERROR,
                f"{self.class_name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. Received length: {len(inputs)}.",
            )
        query = require_known(inputs[0], "query shape")
        value = require_known(inputs[1], "value shape")
        trainable = self.weights(config, query)
        outputs = [tuple(query[:-1]) + (value[-1],)]
        if call_flag(inputs, "return_attention_scores"):
            # Only the scores read the key (its length); the output does not.
            key = require_known(inputs[2], "key shape") if len(inputs) > 2 else value
            if len(key) < 2:
                raise LayerError(KERAS_ERROR, f"The attention scores need a key with a time axis; received key shape {format_shape(key)}")
            outputs.append(tuple(query[:-1]) + (key[-2],))
        return LayerResult(outputs=outputs, trainable=trainable, details={"score_mode": config.get("score_mode", "dot")})


@register
class Attention(BaseAttention):
    """Dot-product (Luong) attention; ``use_scale`` and ``score_mode='concat'`` add one scalar each."""

    class_name = "Attention"
    signature = ("use_scale", "score_mode", "dropout", "seed")
    defaults: ClassVar[dict[str, Any]] = {"use_scale": False, "score_mode": "dot", "dropout": 0.0}
    mirrors = "keras/src/layers/attention/attention.py"

    def weights(self, config: LayerConfig, query: Shape) -> Dim:
        return int(bool(config.get("use_scale"))) + int(config.get("score_mode") == "concat")


@register
class AdditiveAttention(BaseAttention):
    """Additive (Bahdanau) attention; ``use_scale`` learns one scale per query feature."""

    class_name = "AdditiveAttention"
    signature = ("use_scale", "dropout")
    defaults: ClassVar[dict[str, Any]] = {"use_scale": True, "dropout": 0.0, "score_mode": "dot"}
    mirrors = "keras/src/layers/attention/additive_attention.py"

    def weights(self, config: LayerConfig, query: Shape) -> Dim:
        if not config.get("use_scale"):
            return 0
        if query[-1] is None:
            raise undefined_weight((None,), "additive_attention/scale")
        return query[-1]

