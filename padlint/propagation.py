"""Shape and parameter propagation: annotate every layer application.

This stage only writes annotations (``LayerCall.result`` / ``error`` /
``unresolved``); it never reports. For each node it asks the layer's spec for
the output shapes and weights given the shapes flowing in, records what Keras
would raise as a LayerError, and records why a result is unknown.

A layer's weights are those of its first successful application, as in Keras,
where ``build`` runs on the first call. Weights of a layer constructed with
``trainable=False`` (or whose ``.trainable`` was set to False) count as
non-trainable, as do all weights of a model whose ``trainable`` is False.
keras.ops operations (``x + y``, ``ops.reshape``) get their shapes from the
op tables of padlint.ops (padlint/ops/runtime.py ``op_outputs``) and have no
weights; a custom layer's outputs are those of its traced ``call()`` (or of its
``compute_output_shape``) and its weights are its own variables (``add_weight``)
and those of the layers it holds.

A subclassed model's summary lists its tracked sublayers as
keras/src/utils/summary_utils.py prints them, with Keras' own "?" and
"0 (unbuilt)" (:meth:`Propagator.tracked_row`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from padlint.evaluation.values import Unknown
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
    traces_call,
)
from padlint.layers.base import (
    CallInputs,
    LayerError,
    LayerResult,
    Unresolved,
)
from padlint.layers.building import built_at_init
from padlint.layers.recurrent import TimeDistributed
from padlint.ops.runtime import op_outputs
from padlint.symbolic import Dim, add


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


@dataclass
class TrackedRow:
    """One row of a subclassed model's summary, as summary_utils prints a tracked sublayer.

    ``shapes`` None with ``keras_unknown`` is Keras' own "?" (the layer was never called on
    a KerasTensor and Keras cannot recompute its output shape); ``built`` False is Keras'
    "0 (unbuilt)". ``shapes`` None without ``keras_unknown`` is what padlint does not know.
    """

    call: LayerCall | None
    shapes: list | None
    weights: Weights
    built: bool = True
    keras_unknown: bool = False
    reason: str | None = field(default=None)
    #: Keras prints a nested model's several outputs through ``format_shape(model.output_shape)``:
    #: the shapes as Python tuples inside one pair of parentheses.
    tuple_of_shapes: bool = False
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
        self._eager: dict[int, Weights] = {}
        #: Output shapes of each layer's first build (what ``compute_output_shape`` gives
        #: for the shapes ``build`` received), by layer id.
        self._build_outputs: dict[int, list] = {}
        #: Layers built for a shape padlint does not know (``layer.build(unknown)``).
        self._unknown_builds: set[int] = set()
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
        if call.traced_outputs is not None or call.declared_outputs is not None:
            self._annotate_traced(call)
            return
        if isinstance(call.operation, TracePlaceholder):
            call.result = LayerResult(outputs=shapes[:1] if call.inputs else [call.operation.shape])
            return
        try:
            call.result = self.compute(call.operation, CallInputs(shapes, call.input_names, call.call_kwargs, as_list=call.list_input))
        except LayerError as error:
            call.error = error
        except Unresolved as unresolved:
            call.unresolved = unresolved.what
        if call.result is not None and isinstance(call.operation, LayerObj):
            self._built.setdefault(id(call.operation), Weights(call.result.trainable, call.result.non_trainable))
            self._build_outputs.setdefault(id(call.operation), call.result.outputs)

    def _annotate_traced(self, call: LayerCall) -> None:
        """A custom layer's call: the shapes its traced ``call()`` (or its ``compute_output_shape``) produced."""
        operation = call.operation
        if call.declared_outputs is not None:
            outputs = list(call.declared_outputs)
        elif not call.traced_outputs:
            call.unresolved = call.trace_failure or f"padlint could not follow {operation.class_name}.call()"
            return
        else:
            outputs = [tensor.shape() for tensor in call.traced_outputs]
        if all(shape is None for shape in outputs):
            node = call.traced_outputs[0].node if call.traced_outputs else None
            cause = (node.error.message if node.error is not None else node.unresolved) if node is not None else None
            call.unresolved = f"the output of {operation.class_name}.call() is not known" + (f" ({cause})" if cause else "")
            return
        if isinstance(operation, LayerObj) and operation.custom is None:
            # A traced Lambda: a function has no weights.
            self._built.setdefault(id(operation), Weights())
            self._build_outputs.setdefault(id(operation), outputs)
        weights = self.layer_weights(operation)
        call.result = LayerResult(outputs=outputs, trainable=weights.trainable, non_trainable=weights.non_trainable)

    def custom_layer_weights(self, layer: LayerObj | ModelObj) -> Weights:
        """A custom layer's weights as Keras counts ``layer.weights``: its own variables
        (``add_weight``) and those of the built layers it tracks in attributes (directly, in
        lists, in dicts). Unknown where padlint could not follow the methods that make them."""
        state = layer.custom
        if not state.followed or not isinstance(layer.trainable, bool):
            return UNKNOWN_WEIGHTS
        weights = Weights()
        if getattr(layer, "spec", None) is not None:
            # A subclass of a Keras layer: the weights its Keras base built.
            weights = self._built.get(id(layer), UNKNOWN_WEIGHTS)
        for variable in state.variables:
            weights = weights + (Weights(variable.size, 0) if variable.trainable else Weights(0, variable.size))
        if layer.trainable is False:
            weights = weights.frozen()
        return weights + self._held_weights(tracked_layers(layer.attributes, {id(layer)}))

    def unbuilt_weights(self, operation: Any) -> Weights:
        """What an unbuilt layer already holds: none for a Keras layer, the variables a custom
        layer made in ``__init__`` (and those of its sublayers)."""
        if traces_call(operation):
            return self.custom_layer_weights(operation)
        if isinstance(operation, ModelObj):
            return self._held_weights(model_layers(operation))
        return Weights()

    def _held_weights(self, layers: list) -> Weights:
        """The weights a container holds through these layers: a built layer's as built, an
        unbuilt one's as made so far; unknown when padlint cannot tell whether one is built."""
        weights = Weights()
        for layer in layers:
            built = self.is_built(layer)
            if built is None:
                return UNKNOWN_WEIGHTS
            weights = weights + (self.layer_weights(layer) if built else self.unbuilt_weights(layer))
        return weights

    def is_built(self, operation: Any) -> bool | None:
        """Keras' ``built`` for a layer or model; None when padlint cannot tell (its calls
        could not be computed)."""
        custom = getattr(operation, "custom", None)
        if custom is not None and traces_call(operation):
            return custom.built
        if isinstance(operation, ModelObj):
            return operation.built if operation.kind == "sequential" else True
        if isinstance(operation, LayerObj):
            if built_at_init(operation.class_name) or id(operation) in self._built:
                return True
            return None if operation.calls or id(operation) in self._unknown_builds else False
        return True

    def record_eager_build(self, layer: LayerObj, result: LayerResult) -> None:
        """A layer built by a call on a concrete tensor, or by ``layer.build(shape)`` (no graph node records it)."""
        weights = Weights(result.trainable, result.non_trainable)
        self._eager.setdefault(id(layer), weights)
        self._built.setdefault(id(layer), weights)
        self._build_outputs.setdefault(id(layer), result.outputs)

    def record_unknown_build(self, layer: LayerObj) -> None:
        """A layer Keras builds (``layer.build(shape)``) for a shape padlint does not know."""
        self._unknown_builds.add(id(layer))

    def tracked_row(self, operation: Any, model_followed: bool = True) -> TrackedRow:
        """A tracked sublayer of a subclassed model as summary_utils prints it (``format_layer_shape``
        and ``get_layer_fields``): the output of its last call on KerasTensors (an inbound
        node); else, for a layer built during a traced call or by ``build()``, the output
        ``compute_output_shape`` gives for its build shapes, "?" where Keras has none (a
        layer built at construction, a user class without ``compute_output_shape``, a
        subclassed model); "?" and "0 (unbuilt)" for a layer never built.
        ``model_followed`` False: padlint could not follow the model's own tracing, so a
        layer it did not see built may have been."""
        inbound = [call for call in operation.calls if not call.traced]
        if inbound:
            call = inbound[-1]
            return TrackedRow(call, call.output_shapes, self.layer_weights(operation))
        built = self.is_built(operation)
        if built is None or (built is False and not model_followed):
            return TrackedRow(None, None, UNKNOWN_WEIGHTS, reason="padlint could not follow how Keras built this layer")
        if built is False:
            return TrackedRow(None, None, Weights(), built=False, keras_unknown=True)
        weights = self.layer_weights(operation)
        call = operation.calls[0] if operation.calls else None
        if isinstance(operation, ModelObj):
            if operation.kind == "subclassed":
                return TrackedRow(call, None, weights, keras_unknown=True)
            outputs = self.model_output_shapes(operation)
            return TrackedRow(call, outputs, weights, tuple_of_shapes=outputs is not None and len(outputs) > 1)
        custom = getattr(operation, "custom", None)
        if custom is not None and traces_call(operation):
            from padlint.evaluation.custom_layers import user_method

            if user_method(operation, "compute_output_shape") is None:
                return TrackedRow(call, None, weights, keras_unknown=True)
            return TrackedRow(call, custom.build_outputs, weights, reason=None if custom.build_outputs else "compute_output_shape() could not be followed")
        if built_at_init(operation.class_name):
            return TrackedRow(call, None, weights, keras_unknown=True)
        return TrackedRow(call, self._build_outputs.get(id(operation)), weights)

    def model_output_shapes(self, model: ModelObj) -> list | None:
        """``model.output_shape`` of a Sequential (once built) or Functional model."""
        if model.kind == "sequential":
            chain = model.chain if model.built else None
            return chain[-1].output_shapes if chain and len(chain) > 1 else None
        outputs = [tensor.shape() if isinstance(tensor, TensorRef) else None for tensor in flatten(model.outputs)]
        return None if any(shape is None for shape in outputs) else outputs

    def compute(self, operation: Any, inputs: CallInputs) -> LayerResult:
        """Output shapes and weights of one operation for these input shapes."""
        if isinstance(operation, ModelObj):
            return self.run_model(operation, list(inputs))
        if isinstance(operation, TensorOp):
            try:
                return LayerResult(outputs=op_outputs(operation, list(inputs)))
            except (LayerError, Unresolved):
                raise
            except Exception as bug:  # noqa: BLE001 - a shape function bug must not stop the run
                self.internal_errors.append(f"{operation.class_name}{tuple(inputs)!r}: {type(bug).__name__}: {bug}")
                raise Unresolved(f"padlint could not compute {operation.class_name}") from None
        if isinstance(operation, OpaqueOp) or operation.spec is None or operation.config is None:
            raise Unresolved(operation.unsupported or f"{operation.class_name} is not a layer padlint knows")
        if operation.class_name == "TimeDistributed" and isinstance(operation.config.get("layer"), ModelObj):
            return self.time_distributed_model(operation.config.get("layer"), list(inputs))
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
        """Weights of a layer (from its first build) or of a whole nested model or custom layer.

        The split is that of the variables' own ``trainable`` flags, which Keras' model
        totals add up: a layer's variables are non-trainable when the layer is not
        trainable; the layers inside a container keep their own flags (``trainable=False``
        given to a container's constructor does not reach them; the ``trainable``
        setter does, see KerasRuntime.set_attribute)."""
        if isinstance(operation, ModelObj) and operation.kind == "subclassed":
            return self.custom_layer_weights(operation) if operation.custom is not None else UNKNOWN_WEIGHTS
        if isinstance(operation, ModelObj):
            weights = Weights()
            for layer in model_layers(operation):
                weights = weights + self.layer_weights(layer)
            return weights
        if isinstance(operation, (TensorOp, TracePlaceholder)):
            return Weights()
        if isinstance(operation, LayerObj) and traces_call(operation):
            return self.custom_layer_weights(operation)
        weights = self._built.get(id(operation))
        if weights is None:
            # A layer built at construction has no weights, called or not.
            return Weights() if isinstance(operation, LayerObj) and built_at_init(operation.class_name) else UNKNOWN_WEIGHTS
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

    def time_distributed_model(self, model: ModelObj, input_shapes: list) -> LayerResult:
        """``TimeDistributed(model)``: the model on ``(batch,) + shape[2:]``, its output with the time
        axis put back, and the model's weights (keras/src/layers/rnn/time_distributed.py
        ``compute_output_shape``)."""
        shape = input_shapes[0] if len(input_shapes) == 1 else None
        if shape is None:
            raise Unresolved("the input shape of TimeDistributed is not known")
        result = self.run_model(model, [TimeDistributed.step_shape(shape)])
        if len(result.outputs) != 1 or result.outputs[0] is None:
            raise Unresolved(f"the output of {model.name} inside TimeDistributed is not known")
        output = result.outputs[0]
        return LayerResult(outputs=[(output[0], shape[1], *output[1:])], trainable=result.trainable, non_trainable=result.non_trainable)

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
