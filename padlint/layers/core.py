"""Core layers: InputLayer, Dense, EinsumDense, Embedding, Lambda, Masking, Identity.

Mirrors keras/src/layers/core/ (input_layer.py, dense.py, einsum_dense.py,
embedding.py, lambda_layer.py, masking.py, identity.py).

This module also holds what every layer family shares with ``keras.Layer``
itself and that base.py does not have yet:

- Python's own semantics on the plain constants a layer receives
  (:func:`is_plain`, :func:`plain`, :func:`python`): ``int(axis)``,
  ``0 <= rate <= 1`` or ``sorted(axis)`` raise where they raise in Keras;
- the dimension checks of keras/src/backend/common/variables.py
  ``standardize_shape`` that every output shape (a ``KerasTensor``) and every
  weight (``add_weight``) goes through (:func:`standardize_dims`,
  :func:`variable_size`);
- indexing an input shape with an ``axis`` argument (:func:`dim_at`);
- LoRA weights, which Dense, EinsumDense and Embedding add alike (:func:`lora`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from padlint.layers.activations import validate_activation
from padlint.layers.arguments import is_plain, plain, python, require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    PassThrough,
    Unresolved,
    check_rank,
    dims_text,
    format_shape,
    is_int,
    require_known,
    run_checks,
    single_input,
)
from padlint.layers.registry import register
from padlint.layers.weights import standardize_dims, total, variable_size
from padlint.symbolic import Dim, Sym, add, format_dim


def lora(config: LayerConfig, owner: str, kernel: tuple, constraint: str) -> tuple[Dim, bool]:
    """LoRA weights ``enable_lora`` adds in ``build`` when ``lora_rank`` is truthy.

    Dense, EinsumDense and Embedding add ``kernel[:-1] + (rank,)`` and
    ``(rank, kernel[-1])`` and freeze the kernel. Returns the added trainable
    size and whether the kernel became non-trainable.
    """
    rank = plain(config, "lora_rank")
    if not rank:
        return 0, False
    if config.get(constraint) is not None:
        raise LayerError(
            INVALID_CONFIG,
            f"Lora is incompatible with {constraint.split('_')[0]} constraints. In order to enable lora on this layer, "
            f"remove the `{constraint}` argument.",
            argument="lora_rank",
        )
    first = variable_size(owner, "lora_a", (*kernel[:-1], rank))
    second = variable_size(owner, "lora_b", (rank, kernel[-1]))
    return add(first, second), True


def kernel_weights(config: LayerConfig, owner: str, kernel: tuple, constraint: str, bias: tuple | None) -> tuple[Dim, Dim]:
    """(trainable, non-trainable) for a kernel, an optional bias and LoRA."""
    kernel_size = variable_size(owner, "kernel", kernel)
    bias_size = variable_size(owner, "bias", bias) if bias is not None else 0
    adapters, frozen = lora(config, owner, kernel, constraint)
    if frozen:
        return total((bias_size, adapters)), kernel_size
    return total((kernel_size, bias_size)), 0


# ------------------------------------------------------------------ InputLayer


def standardize_shape(value, name: str = "shape") -> tuple:
    """Mirror of keras/src/backend/common/variables.py ``standardize_shape`` for ``Input``.

    Symbolic dimensions (padlint's stand-in for ``None``) are accepted.
    """
    if not isinstance(value, (tuple, list)):
        if is_int(value):
            return (value,)
        raise LayerError(KERAS_ERROR, f"Cannot convert '{value!r}' to a shape.", argument=name)
    shape = []
    for dim in value:
        if dim is None or isinstance(dim, Sym) or (is_int(dim) and dim >= 0):
            shape.append(dim)
        else:
            raise LayerError(KERAS_ERROR, f"Cannot convert '{tuple(value)!r}' to a shape. Found invalid dimension '{dim!r}'.", argument=name)
    return tuple(shape)


@register
class InputLayer(LayerSpec):
    """``keras.Input(shape=...)`` / ``InputLayer(...)``: the model's entry tensor."""

    class_name = "InputLayer"
    signature = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "input_tensor", "optional", "name")
    defaults: ClassVar[dict[str, Any]] = {"shape": None, "batch_size": None, "batch_shape": None}
    mirrors = "keras/src/layers/core/input_layer.py"

    def batch_shape(self, config: LayerConfig) -> tuple:
        shape = config.get("shape")
        if shape is None and config.is_set("input_shape"):
            shape = config.get("input_shape")
        batch_shape = config.get("batch_shape")
        if batch_shape is None and config.is_set("batch_input_shape"):
            batch_shape = config.get("batch_input_shape")
        batch_size = config.get("batch_size")
        if shape is not None and batch_shape is not None:
            raise LayerError(KERAS_ERROR, "You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise LayerError(KERAS_ERROR, "You cannot pass both `batch_size` and `batch_shape` at the same time.")
        if shape is None and batch_shape is None:
            raise LayerError(KERAS_ERROR, "You must pass a `shape` argument.")
        if shape is not None:
            return (batch_size,) + standardize_shape(shape)
        return standardize_shape(batch_shape, "batch_shape")

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.batch_shape(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=[self.batch_shape(config)])


# ----------------------------------------------------------------------- Dense


@register
class Dense(LayerSpec):
    """Fully connected layer acting on the last axis: kernel ``(input_dim, units)``, bias ``(units,)``."""

    class_name = "Dense"
    signature = ("units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                 "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha")
    defaults: ClassVar[dict[str, Any]] = {"activation": None, "use_bias": True, "kernel_constraint": None, "lora_rank": None}
    mirrors = "keras/src/layers/core/dense.py"

    def units(self, config: LayerConfig) -> int:
        """``isinstance(units, int) and units > 0``: unlike most checks, ``True`` passes (as 1)."""
        require_argument(config, "units")
        value = plain(config, "units")
        if not isinstance(value, int) or value <= 0:
            raise LayerError(
                INVALID_CONFIG,
                f"Received an invalid value for `units`, expected a positive integer. Received: units={value!r}",
                argument="units",
            )
        return int(value)

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.units(config), lambda: validate_activation(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, min_ndim=2)
        units = self.units(config)
        input_dim = shape[-1]
        use_bias = config.bool("use_bias")
        trainable, non_trainable = kernel_weights(config, self.class_name, (input_dim, units), "kernel_constraint", (units,) if use_bias else None)
        return LayerResult(
            outputs=[shape[:-1] + (units,)],
            trainable=trainable,
            non_trainable=non_trainable,
            details={"units": units, "input_dim": input_dim},
            explain=[f"kernel {format_dim(input_dim)} x {units}" + (f" + bias {units}" if use_bias else "")],
        )


# ----------------------------------------------------------------- EinsumDense

#: An output size declared ``None`` in ``output_shape``: ``None`` to Keras, which
#: cannot build a weight on it (a Sym is exactly that), unlike an input size
#: padlint does not know. Output shapes show it as ``None`` again.
DECLARED_NONE = Sym.symbol("None")

#: The three equation forms ``_analyze_einsum_string`` accepts, after "..." -> "0":
#: (pattern, the ellipsis is on the left).
EINSUM_FORMS = (
    (re.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


@register
class EinsumDense(LayerSpec):
    """A dense layer given by an einsum equation; kernel and bias shapes follow from it.

    Mirrors ``_analyze_einsum_string`` / ``_analyze_split_string`` line by line,
    including two quirks of its ``compute_output_shape``: an output size
    given as ``None`` stays ``None`` even where the input knows it, and the
    axes a left ``...`` stands for are inserted in reverse order.
    """

    class_name = "EinsumDense"
    signature = ("equation", "output_shape", "activation", "bias_axes", "kernel_initializer", "bias_initializer",
                 "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha")
    defaults: ClassVar[dict[str, Any]] = {"activation": None, "bias_axes": None, "kernel_constraint": None, "lora_rank": None}
    mirrors = "keras/src/layers/core/einsum_dense.py"

    def partial_output_shape(self, config: LayerConfig) -> tuple:
        require_argument(config, "output_shape")
        value = plain(config, "output_shape")
        if isinstance(value, int):
            return (value,)
        return python(lambda: tuple(value), "`output_shape` must be an int or an iterable", argument="output_shape", kind=KERAS_ERROR)

    def validate(self, config: LayerConfig) -> None:
        run_checks(
            lambda: require_argument(config, "equation"),
            lambda: self.partial_output_shape(config),
            lambda: validate_activation(config),
        )

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        equation = plain(config, "equation")
        if not isinstance(equation, str):
            raise LayerError(KERAS_ERROR, f"`equation` must be a string, received {equation!r}", argument="equation")
        bias_axes = plain(config, "bias_axes")
        kernel, bias, output = self.analyze(equation, bias_axes, shape, self.partial_output_shape(config))
        trainable, non_trainable = kernel_weights(config, self.class_name, kernel, "kernel_constraint", bias)
        output = [None if size is DECLARED_NONE else size for size in output]
        return LayerResult(
            outputs=[standardize_dims(output, self.class_name)],
            trainable=trainable,
            non_trainable=non_trainable,
            details={"equation": equation, "kernel_shape": kernel, "bias_shape": bias},
            explain=[f"kernel ({dims_text(kernel)})" + (f" + bias ({dims_text(bias)})" if bias is not None else "")],
        )

    def analyze(self, equation: str, bias_axes: Any, shape: tuple, partial: tuple) -> tuple[tuple, tuple | None, list]:
        """``_analyze_einsum_string``: (kernel shape, bias shape or None, full output shape)."""
        replaced = equation.replace("...", "0")
        found = next(((match, left) for pattern, left in EINSUM_FORMS if (match := pattern.match(replaced))), None)
        if found is None:
            raise LayerError(
                INVALID_CONFIG,
                f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....",
                argument="equation",
            )
        match, left_elided = found
        return python(
            lambda: self.split(*match.groups(), bias_axes, shape, partial, left_elided),
            f"EinsumDense cannot apply '{equation}' to input shape {format_shape(shape)}",
            kind=KERAS_ERROR,
        )

    def split(self, input_spec: str, weight_spec: str, output_spec: str, bias_axes: Any, shape: tuple, partial: tuple, left_elided: bool):
        """``_analyze_split_string``; Python's IndexError / TypeError are Keras' too (see :func:`python`)."""
        elided = len(shape) - len(input_spec)
        output = [shape[0], *(DECLARED_NONE if size is None else size for size in partial)]
        if elided > 0 and left_elided:
            for index in range(1, elided):
                output.insert(1, shape[index])  # sic: reverses the elided axes
        elif elided > 0:
            output.extend(shape[len(shape) - elided:])
        if left_elided:
            input_map = {dim: index + elided - len(shape) for index, dim in enumerate(input_spec)}
            output_map = {dim: index + elided for index, dim in enumerate(output_spec)}
        else:
            input_map = {dim: index for index, dim in enumerate(input_spec)}
            output_map = {dim: index for index, dim in enumerate(output_spec)}
        for dim in input_spec:
            size = shape[input_map[dim]]
            if dim in output_map:
                self.check_shared(dim, size, output[output_map[dim]])
        for dim in output_spec:
            if dim not in input_spec and dim not in weight_spec:
                raise LayerError(INVALID_CONFIG, f"Dimension '{dim}' was specified in the output '{output_spec}' but has no corresponding dim in the input spec '{input_spec}' or weight spec '{weight_spec}'", argument="equation")
        kernel = []
        for dim in weight_spec:
            if dim in output_map:
                kernel.append(output[output_map[dim]])
            elif dim in input_map:
                kernel.append(shape[input_map[dim]])
            else:
                raise LayerError(INVALID_CONFIG, f"Weight dimension '{dim}' did not have a match in either the input spec '{input_spec}' or the output spec '{output_spec}'. For this layer, the weight must be fully specified.", argument="equation")
        return tuple(kernel), self.bias_shape(bias_axes, output_spec, output, elided, left_elided), output

    @staticmethod
    def check_shared(dim: str, size: Dim, declared: Any) -> None:
        """A declared output size must equal the input's on a shared axis (Keras: ``None != 5`` fails too).

        ``declared`` is ``None`` only for the batch axis, copied from the input: ``None`` to Keras too.
        """
        if declared is None or declared is DECLARED_NONE:
            return
        if size is None:
            raise Unresolved(f"input size of the shared einsum dimension '{dim}'")
        if isinstance(size, Sym) and not size.is_keras_none():
            raise Unresolved(f"the run-time size of the shared einsum dimension '{dim}'")
        keras_size = None if isinstance(size, Sym) else size
        if declared != keras_size:
            raise LayerError(
                INVALID_CONFIG,
                f"Input shape and output shape do not match at shared dimension '{dim}'. Input shape is {format_dim(size)}, and output shape is {declared!r}.",
                argument="output_shape",
            )

    @staticmethod
    def bias_shape(bias_axes: Any, output_spec: str, output: list, elided: int, left_elided: bool) -> tuple | None:
        if bias_axes is None:
            return None
        offset = elided if left_elided else 0
        sizes = {char: output[index + offset] for index, char in enumerate(output_spec)}
        for char in bias_axes:
            if char not in output_spec:
                raise LayerError(INVALID_CONFIG, f"Bias dimension '{char}' was requested, but is not part of the output spec '{output_spec}'", argument="bias_axes")
        first = min(output_spec.find(char) for char in bias_axes)
        bias = [sizes[char] if char in bias_axes else 1 for char in output_spec[first:]]
        if not left_elided:
            bias.extend([1] * elided)
        return tuple(bias)


# ------------------------------------------------------------------- Embedding


@register
class Embedding(LayerSpec):
    """Looks up ``output_dim`` vectors: appends an axis, weights ``input_dim x output_dim``.

    Keras 3 pops the Keras 2 argument ``input_length`` with a deprecation
    warning and ignores it: the output shape follows the input, whatever the
    declared length.
    """

    class_name = "Embedding"
    signature = ("input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
                 "mask_zero", "weights", "lora_rank", "lora_alpha")
    defaults: ClassVar[dict[str, Any]] = {"embeddings_constraint": None, "lora_rank": None}
    mirrors = "keras/src/layers/core/embedding.py"

    def positive(self, config: LayerConfig, name: str) -> int:
        """``input_dim`` / ``output_dim``: an int, not a bool, > 0."""
        require_argument(config, name)
        value = plain(config, name)
        if not is_int(value) or value <= 0:
            raise LayerError(
                INVALID_CONFIG,
                f"`{name}` must be a positive integer. Received: {name}={value!r} (of type {type(value).__name__}).",
                argument=name,
            )
        return value

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.positive(config, "input_dim"), lambda: self.positive(config, "output_dim"))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = single_input(inputs)
        rows, columns = self.positive(config, "input_dim"), self.positive(config, "output_dim")
        trainable, non_trainable = kernel_weights(config, self.class_name, (rows, columns), "embeddings_constraint", None)
        return LayerResult(
            outputs=[None if shape is None else (*shape, columns)],
            trainable=trainable,
            non_trainable=non_trainable,
            details={"input_dim": rows, "output_dim": columns, "input_length_ignored": config.is_set("input_length")},
            explain=[f"embeddings {rows} x {columns}"],
        )


# ---------------------------------------------------------------------- Lambda


def is_shape_tuple(value: Any) -> bool:
    """keras/src/tree/optree_impl.py ``map_shape_structure``: a list/tuple of ints and Nones is a leaf."""
    return isinstance(value, (list, tuple)) and all(isinstance(item, int) or item is None for item in value)


def add_batch(batch: Dim, structure: Any) -> list[tuple]:
    """``map_shape_structure(_add_batch, output_shape)``, flattened as ``keras.tree.flatten`` orders it.

    ``(batch_size,) + shape`` only works on tuples: a list leaf, a bare int or
    a float raise Python's TypeError, as in Keras.
    """
    if is_shape_tuple(structure) or not isinstance(structure, (list, tuple, dict)):
        if not isinstance(structure, tuple):
            raise LayerError(
                KERAS_ERROR,
                f'Lambda: can only concatenate tuple (not "{type(structure).__name__}") to tuple: `output_shape` entries '
                f"must be tuples, received {structure!r}",
                argument="output_shape",
            )
        return [(batch, *structure)]
    items = [structure[key] for key in python(lambda: sorted(structure), "Lambda `output_shape` keys", argument="output_shape")] if isinstance(structure, dict) else structure
    return [shape for item in items for shape in add_batch(batch, item)]


@register
class Lambda(LayerSpec):
    """Wraps a function; padlint knows the output only from an ``output_shape`` tuple.

    Keras 3 reads a tuple ``output_shape`` *without* the batch axis and
    prepends the batch size of the first input, so ``output_shape=(None, 10)``
    gives ``(batch, None, 10)``. A nested structure of tuples gives several
    outputs. Without ``output_shape`` Keras traces the function, and with a
    function it calls it: padlint does neither (Unresolved).
    """

    class_name = "Lambda"
    signature = ("function", "output_shape", "mask", "arguments")
    defaults: ClassVar[dict[str, Any]] = {"output_shape": None}
    mirrors = "keras/src/layers/core/lambda_layer.py"

    def validate(self, config: LayerConfig) -> None:
        def function() -> None:
            require_argument(config, "function")
            value = config.get("function")
            if is_plain(value):  # inspect.getfullargspec rejects anything not callable
                raise LayerError(KERAS_ERROR, f"Lambda: unsupported callable {value!r}", argument="function")

        run_checks(function)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        output_shape = config.get("output_shape")
        if output_shape is None:
            raise Unresolved("the output of a Lambda without `output_shape` (Keras traces the function)")
        if not is_plain(output_shape):
            raise Unresolved("the output of a Lambda whose `output_shape` is a function")
        first = inputs[0] if inputs else None
        if first is not None and len(first) == 0:
            raise LayerError(KERAS_ERROR, "Lambda: a rank-0 input has no batch size to prepend to `output_shape`", argument="output_shape")
        batch = None if first is None else first[0]
        outputs = [standardize_dims(shape, self.class_name) for shape in add_batch(batch, output_shape)]
        return LayerResult(outputs=outputs, details={"output_shape": output_shape})


# ------------------------------------------------- shape-preserving core layers


@register
class Masking(PassThrough):
    """Masks timesteps equal to ``mask_value``: its ``compute_mask`` reduces the last axis, so a scalar fails."""

    class_name = "Masking"
    signature = ("mask_value",)
    mirrors = "keras/src/layers/core/masking.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = single_input(inputs)
        if shape is not None and len(shape) == 0:
            raise LayerError(KERAS_ERROR, "Masking: axis -1 is out of bounds for a rank-0 input (compute_mask reduces the last axis)")
        return LayerResult(outputs=[shape])


@register
class Identity(PassThrough):
    """Returns its input (any structure, any rank)."""

    class_name = "Identity"
    mirrors = "keras/src/layers/core/identity.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=list(inputs))
