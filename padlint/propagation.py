"""Shape and parameter propagation: annotate every layer application.

This stage only writes annotations (``LayerCall.result`` / ``error`` /
``unresolved``); it never reports. For each node it asks the layer's spec for
the output shapes and weights given the shapes flowing in, records what Keras
would raise as a LayerError, and records why a result is unknown.

A layer's weights are those of its first successful application, as in Keras,
where ``build`` runs on the first call. Weights of a layer constructed with
``trainable=False`` (or whose ``.trainable`` was set to False) count as
non-trainable, as do all weights of a model whose ``trainable`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from padlint.graph import LayerCall, LayerGraph, LayerObj, ModelObj, OpaqueOp, flatten, functional_layout
from padlint.layers.base import CallInputs, LayerError, LayerResult, Unresolved
from padlint.symbolic import Dim, add


@dataclass
class Weights:
    trainable: Dim = 0
    non_trainable: Dim = 0

    @property
    def total(self) -> Dim:
        return add(self.trainable, self.non_trainable)

    def __add__(self, other: "Weights") -> "Weights":
        return Weights(add(self.trainable, other.trainable), add(self.non_trainable, other.non_trainable))

    def frozen(self) -> "Weights":
        return Weights(0, self.total)


UNKNOWN_WEIGHTS = Weights(None, None)


class Propagator:
    """Computes and records shapes for the nodes of one file's layer graph."""

    def __init__(self, graph: LayerGraph) -> None:
        self.graph = graph
        self._validated: dict[int, LayerError | None] = {}
        self._built: dict[int, Weights] = {}
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
        try:
            call.result = self.compute(call.operation, CallInputs(shapes, call.input_names, call.call_kwargs))
        except LayerError as error:
            call.error = error
        except Unresolved as unresolved:
            call.unresolved = unresolved.what
        if call.result is not None and isinstance(call.operation, LayerObj):
            self._built.setdefault(id(call.operation), Weights(call.result.trainable, call.result.non_trainable))

    def annotate_all(self) -> None:
        """Recompute every node in creation order (a topological order), weights afresh."""
        self._built.clear()
        for call in self.graph.calls():
            self.annotate(call)

    def compute(self, operation: Any, inputs: CallInputs) -> LayerResult:
        """Output shapes and weights of one operation for these input shapes."""
        if isinstance(operation, ModelObj):
            return self.run_model(operation, list(inputs))
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
        if isinstance(operation, ModelObj):
            weights = Weights()
            for layer in model_layers(operation):
                weights = weights + self.layer_weights(layer)
            return weights.frozen() if operation.trainable is False else weights
        weights = self._built.get(id(operation))
        if weights is None:
            return UNKNOWN_WEIGHTS
        return weights.frozen() if operation.trainable is False else weights

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
            result = self.compute(call.operation, CallInputs(shapes, call.input_names, call.call_kwargs))
            for index, shape in enumerate(result.outputs):
                known[(call.id, index)] = shape
        return [known.get(tensor.key()) for tensor in outputs]


def model_layers(model: ModelObj) -> list:
    """The layers Keras lists in ``model.layers`` (without the Sequential InputLayer)."""
    if model.kind == "sequential":
        return [layer for layer in model.layers if not (isinstance(layer, LayerObj) and layer.class_name == "InputLayer")]
    if model.kind == "functional":
        layout = functional_layout(flatten(model.inputs), flatten(model.outputs))
        return list(layout.operations)
    return list(model.layers)
