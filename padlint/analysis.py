"""The per-file pipeline: parse, evaluate, finish the graph, propagate, summarise.

:func:`analyse_source` is what every front end (summary, rules, flake8) calls.
Its result, :class:`FileAnalysis`, holds for each model the rows Keras'
``model.summary()`` would print and the model's layer graph; rules read it,
reporters format it. Nothing here reports.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst
import networkx as nx

from padlint.evaluation.budget import Budget
from padlint.evaluation.interpreter import Interpreter
from padlint.evaluation.keras_api import KerasRuntime, is_input_layer
from padlint.graph import (
    LayerCall,
    LayerObj,
    ModelObj,
    TensorRef,
    flatten,
    functional_layout,
)
from padlint.layers.base import LayerError, LayerResult
from padlint.positions import Positions, Span
from padlint.propagation import Weights, model_layers
from padlint.source import SourceFile
from padlint.symbolic import Dim

PRAGMA = re.compile(r"#\s*padlint:\s*input_shape\s*=\s*(?P<shape>[\[(][^#]*[\])])")


@dataclass
class LayerRow:
    """One row of a model summary."""

    name: str
    class_name: str
    operation: Any
    call: LayerCall | None
    output_shapes: list | None
    weights: Weights
    span: Span | None
    #: What Keras raises when this layer is constructed (bad arguments), even if it is never applied.
    construction_error: LayerError | None = None

    @property
    def params(self) -> Dim:
        return self.weights.total

    @property
    def explain(self) -> list[str]:
        result = self.call.result if self.call is not None else None
        return result.explain if result is not None else []

    def reason_unknown(self) -> str | None:
        """Why this row's shape is unknown, if it is."""
        if self.output_shapes is not None:
            return None
        if self.call is None:
            return "the layer is never applied to a tensor of known shape"
        if self.call.error is not None:
            return self.call.error.message
        return self.call.unresolved or "input shape unknown"


@dataclass
class ModelSummary:
    """What ``model.summary()`` would print, plus the model's graph for rules."""

    name: str
    keras_name: str
    kind: str
    span: Span | None
    inputs: list
    outputs: list
    rows: list[LayerRow]
    weights: Weights
    calls: list[LayerCall]
    graph: nx.DiGraph
    notes: list[str] = field(default_factory=list)
    model: ModelObj | None = None

    @property
    def complete(self) -> bool:
        return not self.notes

    @property
    def line(self) -> int | None:
        return self.span[0] if self.span else None


@dataclass
class SyntaxProblem:
    message: str
    line: int
    column: int


@dataclass
class FileAnalysis:
    source: SourceFile
    models: list[ModelSummary] = field(default_factory=list)
    syntax_error: SyntaxProblem | None = None
    notes: list[str] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    positions: Positions | None = None
    module: cst.Module | None = None


@dataclass(frozen=True)
class AnalysisOptions:
    #: Input shape (without batch axis) for models whose input padlint cannot determine.
    default_input_shape: tuple | None = None
    budget: Budget | None = None


def parse(text: str) -> cst.Module | SyntaxProblem | None:
    """The module, a syntax error, or None when only libcst (not Python) rejects the file."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        return python_syntax_error(text)
    except (RecursionError, MemoryError):
        return SyntaxProblem(message="too deeply nested to parse", line=1, column=1)


def python_syntax_error(text: str) -> SyntaxProblem | None:
    """Python's own diagnosis (``ast.parse`` only parses), whose positions are exact."""
    try:
        ast.parse(text)
    except SyntaxError as error:
        return SyntaxProblem(message=error.msg, line=error.lineno or 1, column=error.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        return SyntaxProblem(message="too deeply nested to parse", line=1, column=1)
    return None


def analyse_source(source: SourceFile, options: AnalysisOptions | None = None) -> FileAnalysis:
    options = options or AnalysisOptions()
    analysis = FileAnalysis(source=source)
    parsed = parse(source.text)
    if isinstance(parsed, SyntaxProblem):
        analysis.syntax_error = parsed
        return analysis
    if parsed is None:
        analysis.notes.append("libcst cannot parse this file although Python can; it was not analysed")
        return analysis
    analysis.module = parsed
    positions = Positions(parsed)
    analysis.positions = positions
    budget = options.budget or Budget()
    interpreter = Interpreter(parsed, _fresh(budget), text=source.text)
    interpreter.run()
    runtime = interpreter.keras
    if not runtime.models:
        analysis.notes = list(interpreter.budget.notes)
        analysis.internal_errors = list(runtime.propagator.internal_errors)
        return analysis
    overrides = _input_overrides(runtime, source, positions, options)
    if overrides.inputs:
        # Stated input shapes change what the code computes from shapes (a custom layer's
        # traced call(), ``x.shape[-1]``): evaluate again with them from the start.
        interpreter = Interpreter(parsed, _fresh(budget), input_overrides=overrides.inputs, text=source.text)
        interpreter.run()
        runtime = interpreter.keras
    for model in runtime.models:
        shape = overrides.builds.get(model.site)
        if shape is not None and model.kind == "sequential" and not model.built and model.layers:
            runtime.sequential_build(model, (None, *shape))
    analysis.notes = list(interpreter.budget.notes)
    for model in runtime.models:
        if not model.internal:
            analysis.models.append(_summarise(model, runtime, positions, analysis.notes, _count_models(runtime.models, model)))
    analysis.internal_errors = list(runtime.propagator.internal_errors)
    return analysis


# ------------------------------------------------------------ input shapes


def pragma_shapes(text: str) -> dict[int, list[tuple]]:
    """``# padlint: input_shape=(224, 224, 3)`` comments by line (a list for several inputs)."""
    found: dict[int, list[tuple]] = {}
    if "padlint:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = PRAGMA.search(line)
        if match is None:
            continue
        shapes = []
        for group in re.findall(r"\(([^()]*)\)", match.group("shape")) or [match.group("shape").strip("[]")]:
            dims = [None if item.strip() == "None" else int(item) for item in re.findall(r"-?\d+|None", group)]
            shapes.append(tuple(dims))
        found[number] = shapes
    return found


@dataclass
class InputOverrides:
    """Input shapes stated by pragmas or ``--input-shape``: by the call site of the
    InputLayer they replace, and by the site of unbuilt Sequentials they build."""

    inputs: dict = field(default_factory=dict)
    builds: dict = field(default_factory=dict)


def _fresh(budget: Budget) -> Budget:
    """The same limits, nothing used yet (one budget per evaluation)."""
    return replace(budget, steps=0, call_depth=0, started=time.monotonic(), notes=[])


def _input_overrides(runtime: KerasRuntime, source: SourceFile, positions: Positions, options: AnalysisOptions) -> InputOverrides:
    """Pragmas on an ``Input(...)``'s or a model's line (or the line above), then the
    default input shape for inputs whose shape is unknown."""
    pragmas = pragma_shapes(source.text)
    overrides = InputOverrides()

    def state(layer: Any, shape: tuple, explicit: bool) -> None:
        if not is_input_layer(layer) or layer.site is None or not layer.calls:
            return
        if explicit or layer.calls[0].output_shapes is None or layer.calls[0].output_shapes[0] is None:
            overrides.inputs.setdefault(layer.site, tuple(shape))

    if pragmas:
        for layer in runtime.layers:
            if is_input_layer(layer):
                line = positions.line(layer.site)
                shapes = (pragmas.get(line) or pragmas.get(line - 1)) if line is not None else None
                if shapes is not None and len(shapes) == 1:
                    state(layer, shapes[0], True)
    for model in runtime.models:
        shapes = None
        if pragmas:
            line = positions.line(model.site)
            if line is not None:
                shapes = pragmas.get(line) or pragmas.get(line - 1)
        explicit = shapes is not None
        if shapes is None and options.default_input_shape is not None:
            shapes = [tuple(options.default_input_shape)]
        if shapes is None:
            continue
        if model.kind == "sequential":
            if model.layers and is_input_layer(model.layers[0]):
                state(model.layers[0], shapes[0], explicit)
            elif model.layers and model.site is not None:
                overrides.builds.setdefault(model.site, tuple(shapes[0]))
        elif model.kind == "functional":
            inputs = flatten(model.inputs)
            if len(shapes) == 1 and len(inputs) > 1:
                continue
            for tensor, shape in zip(inputs, shapes):
                if isinstance(tensor, TensorRef):
                    state(tensor.node.operation, shape, explicit)
    return overrides


# --------------------------------------------------------------- summaries


def _count_models(models: list[ModelObj], model: ModelObj) -> int:
    return sum(1 for other in models if other.function is not None and other.function == model.function)


def display_name(model: ModelObj, models_in_function: int) -> str:
    """The variable a model is bound to, else the builder function's name, else Keras' name."""
    if model.variable:
        return model.variable
    if model.function:
        if model.returned_from == model.function or models_in_function == 1 or not model.local_variable:
            return model.function
        return f"{model.function}.{model.local_variable}"
    return model.local_variable or model.name


def _summarise(model: ModelObj, runtime: KerasRuntime, positions: Positions, file_notes: list[str], models_in_function: int) -> ModelSummary:
    propagator = runtime.propagator
    notes = list(model.uncertain) + list(file_notes)
    calls: list[LayerCall] = []
    if model.kind == "sequential":
        operations = model_layers(model)
        chain = runtime.ensure_chain(model) or []
        calls = list(chain)
        inputs = [chain[0].output_shapes[0] if chain and chain[0].output_shapes else None]
        outputs = [chain[-1].output_shapes[0] if len(chain) > 1 and chain[-1].output_shapes else None]
        if not chain:
            notes.append("the model's input shape is not known (add `# padlint: input_shape=(...)` or pass --input-shape)")
    elif model.kind == "functional":
        input_tensors = [t for t in flatten(model.inputs) if isinstance(t, TensorRef)]
        output_tensors = [t for t in flatten(model.outputs) if isinstance(t, TensorRef)]
        layout = functional_layout(input_tensors, output_tensors)
        operations = list(layout.operations)
        calls = list(layout.nodes)
        inputs = [tensor.shape() for tensor in input_tensors]
        outputs = [tensor.shape() for tensor in output_tensors]
        if layout.disconnected:
            notes.append("the outputs are not connected to the inputs")
    else:
        operations, inputs, outputs = model_layers(model), [], []
    rows = []
    for operation in operations:
        call = operation.calls[-1] if operation.calls else None
        weights = propagator.layer_weights(operation)
        row = LayerRow(
            name=operation.name,
            class_name=operation.class_name,
            operation=operation,
            call=call,
            output_shapes=call.output_shapes if call is not None else None,
            weights=weights,
            span=positions.span(_row_site(operation, call)),
            construction_error=propagator.construction_error(operation) if isinstance(operation, LayerObj) else None,
        )
        rows.append(row)
    total = Weights()
    for operation in model_layers(model):
        total = total + propagator.layer_weights(operation)
    if model.trainable is False:
        total = total.frozen()
    for row in rows:
        reason = row.reason_unknown()
        if reason is not None or row.weights.trainable is None:
            notes.append(f"{row.name} ({row.class_name}): {reason or 'parameter count unknown'}")
            break
    return ModelSummary(
        name=display_name(model, models_in_function),
        keras_name=model.name,
        kind=model.kind,
        span=positions.span(model.site),
        inputs=inputs,
        outputs=outputs,
        rows=rows,
        weights=total,
        calls=calls,
        graph=runtime.graph.subgraph(calls),
        notes=_unique(notes),
        model=model,
    )


def _row_site(operation: Any, call: LayerCall | None) -> cst.CSTNode | None:
    if call is not None and call.site is not None:
        return call.site
    return getattr(operation, "site", None)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


__all__ = ["AnalysisOptions", "FileAnalysis", "LayerResult", "LayerRow", "ModelSummary", "SyntaxProblem", "analyse_source"]
