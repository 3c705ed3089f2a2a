"""The base class of every rule, and what a rule is given to read.

A rule lives in its own file under the top-level ``rules/`` folder (installed
as ``padlint.rules``), in the style of Fixit: the class docstring is the
documentation, in ruff's sections ("What it does", "Why is this bad?"), and
the class carries ``INVALID`` and ``VALID`` examples. The first of each become
the documentation's "Example" and "Use instead"; all of them run as tests, so
the documentation cannot drift from the behaviour. In an INVALID example the
lines that must be reported end with a ``# PADnnn`` comment.

Rules only read the analysis (models, rows, annotated layer calls); they never
compute shapes themselves. Where a needed value is unknown or symbolic, a rule
stays silent unless its finding holds for every value.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

from padlint.analysis import FileAnalysis, LayerRow, ModelSummary
from padlint.findings import Edit, Finding, Related
from padlint.graph import LayerCall
from padlint.positions import Span


@dataclass(frozen=True)
class Option:
    """A configurable threshold of a rule (``[tool.padlint.rules.PAD201] max-shrinkage = 0.3``)."""

    default: Any
    description: str


class RuleContext:
    """One file's analysis, as one rule sees it (with its effective options)."""

    def __init__(self, rule: Rule, analysis: FileAnalysis, options: dict[str, Any]) -> None:
        self.rule = rule
        self.analysis = analysis
        self.options = options

    @property
    def models(self) -> list[ModelSummary]:
        return self.analysis.models

    @property
    def path(self) -> str:
        return self.analysis.source.path

    def span_of(self, subject: LayerCall | cst.CSTNode | Any | None) -> Span | None:
        """Where a layer call (or a layer, or a libcst node) is in the source."""
        if self.analysis.positions is None or subject is None:
            return None
        node = subject
        if isinstance(subject, LayerCall):
            node = subject.site if subject.site is not None else getattr(subject.operation, "site", None)
        elif not isinstance(subject, cst.CSTNode):
            node = getattr(subject, "site", None)
        return self.analysis.positions.span(node)

    def line_of(self, subject: Any) -> int | None:
        span = self.span_of(subject)
        return span[0] if span else None

    def finding(
        self,
        subject: Any,
        message: str,
        fix: str | None,
        *,
        span: Span | None = None,
        edits: Iterable[Edit] = (),
        related: Iterable[tuple[Any, str]] = (),
    ) -> Finding | None:
        """A finding of this context's rule at a layer call, layer or node (None when it has no position).

        ``related`` are the other layer calls (or layers, or nodes) the message names, each
        with what it is: an editor shows them beside the finding (those without a position are left out).
        """
        span = span or self.span_of(subject)
        if span is None:
            return None
        start_line, start_column, end_line, end_column = span
        return Finding(
            path=self.path,
            line=start_line,
            column=start_column + 1,
            end_line=end_line,
            end_column=end_column + 1,
            code=self.rule.code,
            name=self.rule.name,
            severity=self.rule.severity,
            message=message,
            fix=fix,
            edits=tuple(edits),
            related=tuple(self._related(related)),
        )

    def _related(self, related: Iterable[tuple[Any, str]]) -> Iterator[Related]:
        for subject, message in related:
            place = self.span_of(subject)
            if place is not None:
                yield Related(place[0], place[1] + 1, place[2], place[3] + 1, message)


class Rule:
    """Base class: subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    #: Selected by default. An opt-in rule (False) runs only when a ``select`` or
    #: ``extend-select`` names its exact code: ``ALL`` and prefixes such as ``PAD2``
    #: select the default rules only (as ruff's ``explicit-preview-rules``), so that
    #: what is on by default stays what an expert wants reported, and the pedantic
    #: remainder of a rule is there for who asks for it.
    default: ClassVar[bool] = True
    options: ClassVar[dict[str, Option]] = {}
    #: Code that must be reported; the reported lines end with ``# PADnnn``.
    INVALID: ClassVar[list[str]] = []
    #: Code that must not be reported.
    VALID: ClassVar[list[str]] = []

    def check(self, context: RuleContext) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def summary(cls) -> str:
        """The one-line description: the first line of the docstring."""
        return inspect.cleandoc(cls.__doc__ or "").splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def documentation(cls) -> str:
        """Markdown documentation: docstring sections, examples, options."""
        text = inspect.cleandoc(cls.__doc__ or "")
        body = text.split("\n", 1)[1].strip() if "\n" in text else ""
        parts = [f"## {cls.code} {cls.name} ({cls.severity})", "", cls.summary(), ""]
        if not cls.default:
            parts += [
                f"*Opt-in: not selected by default, nor by `ALL` or a prefix; enable it by its code "
                f"(`--extend-select {cls.code}`, or `extend-select = [\"{cls.code}\"]` in `[tool.padlint]`).*",
                "",
            ]
        if body:
            parts += [body, ""]
        if cls.INVALID:
            parts += ["### Example", "", "```python", textwrap.dedent(cls.INVALID[0]).strip("\n"), "```", ""]
        if cls.VALID:
            parts += ["### Use instead", "", "```python", textwrap.dedent(cls.VALID[0]).strip("\n"), "```", ""]
        if cls.options:
            parts += ["### Options", ""]
            for key, option in cls.options.items():
                parts.append(f"- `{key}` (default `{option.default}`): {option.description}")
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"


def layer_label(call: LayerCall) -> str:
    """``conv2d_1 (Conv2D)`` as in the summary."""
    operation = call.operation
    return f"{operation.name} ({operation.class_name})"


def windowed_calls(model: ModelSummary) -> Iterator[tuple[LayerCall, list]]:
    """The model's convolution and pooling calls with their per-axis windows."""
    for call in model.calls:
        details = call.result.details if call.result is not None else {}
        windows = details.get("windows")
        if windows:
            yield call, windows


AXIS_NAMES = {1: ("step", "steps"), 2: ("row", "rows"), 3: ("column", "columns")}


def axis_words(axis: int, rank: int, data_format: str = "channels_last") -> tuple[str, str]:
    """Singular and plural names of a spatial axis: rows, columns, steps, slices."""
    spatial = list(range(1, rank - 1)) if data_format == "channels_last" else list(range(2, rank))
    if axis not in spatial:
        return ("element", "elements")
    position = spatial.index(axis)
    count = len(spatial)
    if count == 1:
        return ("step", "steps")
    names = [("row", "rows"), ("column", "columns")] if count == 2 else [("slice", "slices"), ("row", "rows"), ("column", "columns")]
    return names[position] if position < len(names) else ("element", "elements")


def axis_dimension(axis: int, rank: int, data_format: str = "channels_last") -> str:
    """height, width, length, depth."""
    singular, _ = axis_words(axis, rank, data_format)
    return {"row": "height", "column": "width", "step": "length", "slice": "depth"}.get(singular, f"axis {axis}")


def describe(subject: Any, context: RuleContext) -> str:
    """``conv2d_1 (Conv2D, line 10)``: a layer call (or a layer) as the summary names it,
    and where (``cell 3, line 4`` in a notebook)."""
    operation = subject.operation if isinstance(subject, LayerCall) else subject
    line = context.line_of(subject)
    where = f", {context.analysis.source.line_label(line)}" if line else ""
    return f"{operation.name} ({operation.class_name}{where})"


def producer(call: LayerCall) -> LayerCall | None:
    """The layer call that produced a single-input call's input."""
    return call.inputs[0].node if len(call.inputs) == 1 else None


def is_shape_preserving(call: LayerCall) -> bool:
    """One input, one output, the same shape (BatchNormalization, Activation, Dropout, ...)."""
    if len(call.inputs) != 1 or call.output_shapes is None or len(call.output_shapes) != 1:
        return False
    return call.output_shapes[0] == call.inputs[0].shape()


def percent(share: float) -> str:
    return f"{share * 100:.1f}%" if share < 0.9995 else f"{share * 100:.2f}%"


# ------------------------------------------------ helpers for graph-walking rules


def sizes_text(values: Iterable[Any]) -> str:
    """``28x28`` (symbolic sizes as their expression, unknown ones as ``?``)."""
    from padlint.symbolic import format_dim

    return "x".join(format_dim(value) for value in values)


def construction_call(operation: Any) -> cst.Call | None:
    """The ``Conv2D(...)`` call that created a layer (not the ``(x)`` that applied it)."""
    site = getattr(operation, "site", None)
    while isinstance(site, cst.Call) and isinstance(site.func, cst.Call):
        site = site.func
    return site if isinstance(site, cst.Call) else None


def written_name(call: cst.Call | None) -> str | None:
    """The class name as written at the construction: ``Convolution2D`` in ``layers.Convolution2D(...)``."""
    if call is None:
        return None
    if isinstance(call.func, cst.Name):
        return call.func.value
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value
    return None


def argument_node(operation: Any, name: str) -> cst.Arg | None:
    """The argument that set ``name`` at the layer's construction, by keyword or position.

    None when it was not written there (default, ``**kwargs``) or when a ``*args``
    before its position makes the binding unknowable.
    """
    call = construction_call(operation)
    if call is None:
        return None
    for argument in call.args:
        if argument.keyword is not None and argument.keyword.value == name:
            return argument
    spec = getattr(getattr(operation, "config", None), "spec", None)
    signature = tuple(getattr(spec, "signature", ()) or ())
    if name not in signature:
        return None
    index = signature.index(name)
    positional = []
    for argument in call.args:
        if argument.keyword is not None or argument.star == "**":
            break
        if argument.star == "*":
            return None
        positional.append(argument)
    return positional[index] if index < len(positional) else None


def model_consumers(model: ModelSummary) -> dict[int, list[LayerCall]]:
    """For each call of the model, the calls of the same model that read its outputs."""
    members = {call.id for call in model.calls}
    consumers: dict[int, list[LayerCall]] = {call.id: [] for call in model.calls}
    for call in model.calls:
        for tensor in call.inputs:
            if tensor.node.id in members and call not in consumers[tensor.node.id]:
                consumers[tensor.node.id].append(call)
    return consumers


def output_nodes(model: ModelSummary) -> set[int]:
    """Ids of the calls whose outputs are the model's outputs."""
    from padlint.graph import TensorRef, flatten

    if model.kind == "sequential":
        return {model.calls[-1].id} if model.calls else set()
    outputs = getattr(model.model, "outputs", None)
    return {tensor.node.id for tensor in flatten(outputs) if isinstance(tensor, TensorRef)}


def origin(tensor: Any, context: RuleContext) -> str:
    """Where a tensor comes from: ``flatten (Flatten, line 6)`` or ``the model input (line 4)``."""
    node = getattr(tensor, "node", None)
    if node is None:
        return "an unknown layer"
    if node.operation.class_name == "InputLayer":
        line = context.line_of(node)
        return f"the model input (line {line})" if line else "the model input"
    index = getattr(tensor, "index", 0)
    suffix = f", output {index}" if index else ""
    return describe(node, context) + suffix


def reported_inside(call: LayerCall, context: RuleContext) -> bool:
    """A nested model's call whose error is that of one of its own layers, which is reported there."""
    if not getattr(call.operation, "is_model", False) or call.error is None:
        return False
    for model in context.models:
        for other in model.calls:
            if (
                other is not call
                and other.error is not None
                and not getattr(other.operation, "is_model", False)
                and (other.error.kind, other.error.message) == (call.error.kind, call.error.message)
            ):
                return True
    return False


def unique_calls(context: RuleContext) -> Iterator[LayerCall]:
    """Every layer call of the file's models once (a call can belong to nested models)."""
    seen: set[int] = set()
    for model in context.models:
        for call in model.calls:
            if call.id not in seen:
                seen.add(call.id)
                yield call


def erroneous_calls(context: RuleContext, kind: str) -> Iterator[LayerCall]:
    """Calls where Keras raises an error of ``kind``, once each, skipping a nested model's
    call whose error is one of its own layers' (reported there)."""
    for call in unique_calls(context):
        if call.error is not None and call.error.kind == kind and call.inputs and not reported_inside(call, context):
            yield call


def unique_layers(context: RuleContext) -> Iterator[LayerRow]:
    """Every configured layer of the file's models once, as the summary row that shows it."""
    seen: set[int] = set()
    for model in context.models:
        for row in model.rows:
            operation = row.operation
            if id(operation) not in seen and getattr(operation, "config", None) is not None:
                seen.add(id(operation))
                yield row


#: Errors whose cause can lie in the sizes upstream: a window larger than what is left,
#: a merge whose inputs were resized differently.
SIZE_FAILURES = ("non-positive-dimension", "merge-shape-mismatch")


def failing_descendant(model: ModelSummary, call: LayerCall) -> LayerCall | None:
    """A later layer of the model, fed by ``call``, that Keras rejects for its input sizes
    (a 'valid' window with nothing left to read, a skip connection that cannot merge)."""
    failing = [other for other in model.calls if other.error is not None and other.error.kind in SIZE_FAILURES]
    if not failing:
        return None
    after = model.descendants(call)
    return next((other for other in failing if other.id in after), None)

