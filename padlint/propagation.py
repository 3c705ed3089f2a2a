"""Shape and parameter propagation: annotate every layer application.

This stage only writes annotations (``LayerCall.result`` / ``error`` /
``unresolved``); it never reports. For each node it asks the layer's spec for
the output shapes and weights given the shapes flowing in, records what Keras
would raise as a LayerError, and records why a result is unknown.

A layer's weights are those of its first successful application, as in Keras,
where ``build`` runs on the first call. Weights of a layer constructed with
``trainable=False`` (or whose ``.trainable`` was set to False) count as
non-trainable, as do all weights of a model whose ``trainable`` is False.
keras.ops operations (``x + y``) broadcast their operands' shapes as
keras/src/ops/operation_utils.py does and have no weights; a custom layer's
outputs are those of its traced ``call()`` and its weights those of the
layers it holds (unknown when it makes its own with ``add_weight``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from padlint.evaluation.values import ConstTensor, Unknown
from padlint.graph import (
    LayerCall,
    LayerGraph,
    LayerObj,
    ModelObj,
    OpaqueOp,
    TensorOp,
    TensorRef,
    TracePlaceholder,
    flatten,
    functional_layout,
    tensors_of,
)
from padlint.layers.base import (
    MERGE_MISMATCH,
    CallInputs,
    LayerError,
    LayerResult,
    Unresolved,
    format_shape,
)
from padlint.symbolic import Dim, Sym, add, provably_equal


@dataclass
class Weights:
    trainable: Dim = 0
    non_trainable: Dim = 0
    #: The count when only the split is unknown (a ``trainable`` flag set under a condition
    #: padlint cannot decide): ``trainable`` and ``non_trainable`` are then None.
    unsplit: Dim = None

    @property
    def total(self) -> Dim:
        if self.unsplit is not None:
            return self.unsplit
        return add(self.trainable, self.non_trainable)

    def __add__(self, other: Weights) -> Weights:
        if self.unsplit is not None or other.unsplit is not None:
            return Weights(None, None, add(self.total, other.total))
        return Weights(add(self.trainable, other.trainable), add(self.non_trainable, other.non_trainable))

    def frozen(self) -> Weights:
        return Weights(0, self.total)


UNKNOWN_WEIGHTS = Weights(None, None)


def with_trainable(weights: Weights, trainable: Any) -> Weights:
    """A layer's weights as its ``trainable`` flag counts them: all non-trainable when False;
    an unknown flag (set under a condition padlint cannot decide) leaves the split unknown,
    not the count, unless nothing could move."""
    if trainable is False:
        return weights.frozen()
    if isinstance(trainable, Unknown) and weights.trainable != 0:
        return Weights(None, None, weights.total) if weights.total is not None else UNKNOWN_WEIGHTS
    return weights


class Propagator:
    """Computes and records shapes for the nodes of one file's layer graph."""

    def __init__(self, graph: LayerGraph) -> None:
        self.graph = graph
        self._validated: dict[int, LayerError | None] = {}
        self._built: dict[int, Weights] = {}
        self._own_weights: dict[int, bool] = {}
        self._eager: dict[int, Weights] = {}
        #: Internal failures of a spec (bugs in padlint), reported by the CLI.
        self.internal_errors: list[str] = []

    # ------------------------------------------------------------ validation

    def construction_error(self, layer: LayerObj) -> LayerError | None:
        """What Keras raises when this layer is constructed, cached per layer."""
        key = id(layer)
        if key not in self._validated:
            error = None
            if layer.spec is not None and layer.config is not None:
                try:
                    layer.spec.validate(layer.config)
                except LayerError as raised:
                    error = raised
                except Unresolved:
                    error = None
                except Exception as bug:  # noqa: BLE001 - a spec bug must not stop the run
                    self.internal_errors.append(f"{layer.class_name}.validate: {type(bug).__name__}: {bug}")
            self._validated[key] = error
        return self._validated[key]

    # ------------------------------------------------------------ annotation

    def annotate(self, call: LayerCall) -> None:
        """(Re)compute one node from the current shapes of its inputs."""
        call.result, call.error, call.unresolved = None, None, None
        shapes = [tensor.shape() for tensor in call.inputs]
        if call.traced_outputs is not None:
            self._annotate_traced(call)
            return
        if isinstance(call.operation, TracePlaceholder):
            call.result = LayerResult(outputs=shapes[:1])
            return
        try:
            call.result = self.compute(call.operation, CallInputs(shapes, call.input_names, call.call_kwargs, as_list=call.list_input))
        except LayerError as error:
            call.error = error
        except Unresolved as unresolved:
            call.unresolved = unresolved.what
        if call.result is not None and isinstance(call.operation, LayerObj):
            self._built.setdefault(id(call.operation), Weights(call.result.trainable, call.result.non_trainable))

    def _annotate_traced(self, call: LayerCall) -> None:
        """A custom layer's call: the shapes its traced ``call()`` produced."""
        if not call.traced_outputs:
            call.unresolved = call.trace_failure or f"padlint could not follow {call.operation.class_name}.call()"
            return
        outputs = [tensor.shape() for tensor in call.traced_outputs]
        if all(shape is None for shape in outputs):
            call.unresolved = f"the output of {call.operation.class_name}.call() is not known"
            return
        operation = call.operation
        if isinstance(operation, LayerObj) and operation.user_class is None:
            # A traced Lambda: a function has no weights.
            self._built.setdefault(id(operation), Weights())
        weights = self.layer_weights(operation)
        call.result = LayerResult(outputs=outputs, trainable=weights.trainable, non_trainable=weights.non_trainable)

    def custom_layer_weights(self, layer: LayerObj | ModelObj) -> Weights:
        """A custom layer's weights: those of the layers it holds as attributes (Keras tracks
        them), unknown when the class makes weights of its own (``build``/``add_weight``)."""
        key = id(layer.user_class)
        if key not in self._own_weights:
            self._own_weights[key] = _makes_own_weights(layer.user_class)
        if self._own_weights[key]:
            return UNKNOWN_WEIGHTS
        weights = Weights()
        for sublayer in tracked_layers(layer.attributes, {id(layer)}):
            if isinstance(sublayer, LayerObj) and sublayer.user_class is None and not sublayer.calls and id(sublayer) not in self._eager:
                continue  # never called, never built: no weights in Keras either
            weights = weights + self.layer_weights(sublayer)
        return weights

    def record_eager_build(self, layer: LayerObj, result: LayerResult) -> None:
        """A layer built by a call on a concrete tensor (no graph node records it)."""
        weights = Weights(result.trainable, result.non_trainable)
        self._eager.setdefault(id(layer), weights)
        self._built.setdefault(id(layer), weights)

    def annotate_all(self) -> None:
        """Recompute every node in creation order (a topological order), weights afresh."""
        self._built.clear()
        self._built.update(self._eager)
        for call in self.graph.calls():
            self.annotate(call)

    def compute(self, operation: Any, inputs: CallInputs) -> LayerResult:
        """Output shapes and weights of one operation for these input shapes."""
        if isinstance(operation, ModelObj):
            return self.run_model(operation, list(inputs))
        if isinstance(operation, TensorOp):
            return LayerResult(outputs=[tensor_op_shape(operation, list(inputs))])
        if isinstance(operation, OpaqueOp) or operation.spec is None or operation.config is None:
            raise Unresolved(operation.unsupported or f"{operation.class_name} is not a layer padlint knows")
        error = self.construction_error(operation)
        if error is not None:
            raise error
        try:
            return operation.spec.compute(operation.config, inputs)
        except (LayerError, Unresolved):
            raise
        except Exception as bug:  # noqa: BLE001 - a spec bug must not stop the run
            self.internal_errors.append(f"{operation.class_name}.compute{tuple(inputs)!r}: {type(bug).__name__}: {bug}")
            raise Unresolved(f"padlint could not compute {operation.class_name}") from None

    # ---------------------------------------------------------------- weights

    def layer_weights(self, operation: Any) -> Weights:
        """Weights of a layer (from its first build) or of a whole nested model."""
        if isinstance(operation, ModelObj) and operation.kind == "subclassed":
            return with_trainable(self.custom_layer_weights(operation), operation.trainable)
        if isinstance(operation, ModelObj):
            weights = Weights()
            for layer in model_layers(operation):
                weights = weights + self.layer_weights(layer)
            return with_trainable(weights, operation.trainable)
        if isinstance(operation, (TensorOp, TracePlaceholder)):
            return Weights()
        if isinstance(operation, LayerObj) and operation.user_class is not None:
            return with_trainable(self.custom_layer_weights(operation), operation.trainable)
        weights = self._built.get(id(operation))
        if weights is None:
            return UNKNOWN_WEIGHTS
        return with_trainable(weights, operation.trainable)

    def weights_after_scratch_build(self, operation: Any, result: LayerResult) -> None:
        if isinstance(operation, LayerObj):
            self._built.setdefault(id(operation), Weights(result.trainable, result.non_trainable))

    # ------------------------------------------------------------ sub-models

    def run_model(self, model: ModelObj, input_shapes: list) -> LayerResult:
        """A model used as a layer: its outputs for these inputs, and its weights."""
        if model.kind == "functional":
            outputs = self._run_functional(model, input_shapes)
        elif model.kind == "sequential":
            outputs = self._run_sequential(model, input_shapes)
        else:
            raise Unresolved(f"{model.class_name} is a subclassed model")
        weights = self.layer_weights(model)
        return LayerResult(outputs=outputs, trainable=weights.trainable, non_trainable=weights.non_trainable)

    def _run_sequential(self, model: ModelObj, input_shapes: list) -> list:
        if len(input_shapes) != 1:
            raise Unresolved("a Sequential model takes one input")
        shape = input_shapes[0]
        for layer in model.layers:
            if isinstance(layer, LayerObj) and layer.class_name == "InputLayer":
                continue
            result = self.compute(layer, CallInputs([shape]))
            self.weights_after_scratch_build(layer, result)
            if len(result.outputs) != 1:
                raise Unresolved(f"{layer.name} has several outputs inside a Sequential model")
            shape = result.outputs[0]
        return [shape]

    def _run_functional(self, model: ModelObj, input_shapes: list) -> list:
        inputs = flatten(model.inputs)
        outputs = flatten(model.outputs)
        if not all(isinstance(tensor, TensorRef) for tensor in inputs + outputs):
            raise Unresolved(f"the inputs or outputs of {model.name} are not known")
        if len(inputs) != len(input_shapes):
            raise Unresolved(f"{model.name} expects {len(inputs)} inputs, received {len(input_shapes)}")
        if [tensor.shape() for tensor in inputs] == list(input_shapes):
            return [tensor.shape() for tensor in outputs]
        layout = functional_layout(inputs, outputs)
        known: dict[tuple[int, int], Any] = {tensor.key(): shape for tensor, shape in zip(inputs, input_shapes)}
        for call in layout.nodes:
            if not call.inputs:
                continue
            shapes = [known.get(tensor.key()) for tensor in call.inputs]
            result = self.compute(call.operation, CallInputs(shapes, call.input_names, call.call_kwargs, as_list=call.list_input))
            for index, shape in enumerate(result.outputs):
                known[(call.id, index)] = shape
        return [known.get(tensor.key()) for tensor in outputs]


def model_layers(model: ModelObj) -> list:
    """The layers Keras lists in ``model.layers`` (without the Sequential InputLayer)."""
    if model.kind == "sequential":
        return [layer for layer in model.layers if not (isinstance(layer, LayerObj) and layer.class_name == "InputLayer")]
    if model.kind == "functional":
        layout = functional_layout(tensors_of(model.inputs), tensors_of(model.outputs))
        return list(layout.operations)
    # Subclassed: the layers its methods assigned as attributes, as Keras tracks them.
    return tracked_layers(model.attributes, {id(model)})


# ------------------------------------------------------------ keras.ops operations


def tensor_op_shape(operation: TensorOp, input_shapes: list) -> Any:
    """The output shape Keras' ``compute_output_spec`` gives a keras.ops operation.

    Operands that are not tensors count as Keras counts them: a Python number
    has shape ``()`` (``getattr(x, "shape", [])``); anything padlint does not
    know (an array, an unknown value) makes the output unknown.
    """
    if operation.kind == "opaque":
        raise Unresolved(operation.unsupported or operation.class_name)
    remaining = iter(input_shapes)
    shapes = []
    for operand in operation.operands:
        if isinstance(operand, TensorRef):
            shape = next(remaining, None)
        elif isinstance(operand, (int, float)) and not isinstance(operand, Sym):
            shape = ()
        elif isinstance(operand, ConstTensor):
            shape = operand.shape
        else:
            raise Unresolved(f"an operand of {operation.name} is not a tensor or a number padlint knows")
        if shape is None:
            raise Unresolved("input shape")
        shapes.append(tuple(shape))
    if operation.kind == "unary":
        return shapes[0]
    if operation.kind == "getitem":
        return getitem_shape(shapes[0], operation.key)
    if operation.kind == "stack":
        return stack_shape(shapes, operation.key)
    result: tuple = ()
    for shape in shapes:
        result = broadcast_shapes(result, shape)
    return result


def _unknown_dim(dim: Dim) -> bool:
    return dim is None or isinstance(dim, Sym)


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
        elif _unknown_dim(left):
            if right == 1:
                output.append(left)
            elif _unknown_dim(right):
                output.append(left if left is not None and right is not None and provably_equal(left, right) else None)
            else:
                output.append(right)
        elif right == 1 or _unknown_dim(right) or right == left:
            output.append(left)
        else:
            raise LayerError(
                MERGE_MISMATCH,
                f"Cannot broadcast shape, the failure dim has value {left}, which cannot be broadcasted to {right}. "
                f"Input shapes are: {format_shape(first)} and {format_shape(second)}.",
                shapes=[first, second],
            )
    return tuple(output)


def stack_shape(shapes: list, axis: Any) -> tuple:
    """Mirror of keras/src/ops/numpy.py ``Stack.compute_output_spec``: equal shapes, one new axis."""
    first = shapes[0]
    if not (isinstance(axis, int) and not isinstance(axis, bool)) or not -len(first) - 1 <= axis <= len(first):
        raise Unresolved("the axis of keras.ops.stack")
    for shape in shapes:
        if len(shape) != len(first) or any(not (_unknown_dim(a) or _unknown_dim(b) or a == b) for a, b in zip(shape, first)):
            raise LayerError("keras-error", f"Every value in `x` must have the same shape. But found element of shape {format_shape(shape)}, which is different from the first element's shape {format_shape(first)}.")
    output = list(first)
    output.insert(axis if axis >= 0 else axis + len(first) + 1, len(shapes))
    return tuple(output)


def getitem_shape(shape: tuple, key: Any) -> tuple:
    """Mirror of keras/src/ops/numpy.py ``GetItem.compute_output_spec``."""
    if isinstance(key, int) and not isinstance(key, bool):
        remaining_key = [key]
    elif isinstance(key, (tuple, list)):
        remaining_key = list(key)
    else:
        raise Unresolved("the index of a tensor subscript")
    if not all(item is None or item is Ellipsis or isinstance(item, slice) or (isinstance(item, int) and not isinstance(item, bool)) for item in remaining_key):
        raise Unresolved("the index of a tensor subscript")
    if sum(1 for item in remaining_key if item is Ellipsis) > 1:
        raise LayerError("keras-error", f"Slice should only have one ellipsis. Received: `{key}`")
    if Ellipsis not in remaining_key:
        remaining_key.append(Ellipsis)
    remaining_shape = list(shape)
    new_shape: list = []
    while remaining_key:
        subkey = remaining_key.pop(0)
        if subkey is Ellipsis:
            needed = len(remaining_key) - sum(1 for item in remaining_key if item is None)
            consumed = len(remaining_shape) - needed
            new_shape += remaining_shape[:consumed]
            remaining_shape = remaining_shape[consumed:]
            continue
        if subkey is None:
            new_shape.append(1)
            continue
        if not remaining_shape:
            raise LayerError("keras-error", f"Array has shape {format_shape(shape)} but slice has to many indices. Received: `{key}`")
        length = remaining_shape.pop(0)
        if isinstance(subkey, int):
            if isinstance(length, int):
                index = subkey if subkey >= 0 else subkey + length
                if index < 0 or index >= length:
                    raise LayerError("keras-error", f"Array has shape {format_shape(shape)} but out-of-bounds index {key} was requested.")
        elif isinstance(length, int):
            new_shape.append(len(range(*subkey.indices(length))))
        elif subkey == slice(None):
            new_shape.append(length)
        else:
            new_shape.append(None)
    return tuple(new_shape)


def tracked_layers(value: Any, seen: set[int]) -> list:
    """Layers and models held in attributes (directly, or in lists, tuples and dicts), once each."""
    found: list = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        elif isinstance(item, (LayerObj, ModelObj)) and id(item) not in seen:
            seen.add(id(item))
            found.append(item)
    return found


def _makes_own_weights(cls: Any) -> bool:
    """Whether a user class (or a user base) defines ``build`` or calls ``add_weight``."""
    import libcst as cst

    from padlint.evaluation.values import ClassValue
    from padlint.walk import walk

    queue = [cls]
    while queue:
        current = queue.pop()
        if not isinstance(current, ClassValue):
            continue
        if "build" in current.namespace:
            return True
        if any(isinstance(node, cst.Attribute) and node.attr.value in ("add_weight", "add_variable") for node in walk(current.node)):
            return True
        queue.extend(current.bases)
    return False
