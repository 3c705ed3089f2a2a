"""Hover text: a layer's output shape, parameters and arithmetic; a model's summary table.

The numbers are the analysis' (the rows ``padlint summary`` prints, the
arithmetic of ``padlint summary --explain``), written as markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from padlint.reporters.shapes import format_count, format_shapes
from padlint.reporters.summary_text import render_model

if TYPE_CHECKING:
    from padlint.graph import LayerCall
    from padlint.server.symbols import SourceIndex, Subject
    from padlint.source import SourceFile

#: Applications of one site shown in full (a helper called for every stage of a network).
MAX_CALLS = 6
#: Models shown for one site (a builder called many times).
MAX_MODELS = 3


def hover_markdown(subject: Subject, index: SourceIndex, source: SourceFile) -> str:
    if subject.models:
        return _models(subject, source)
    calls = list(subject.calls)
    shown = [_call(call, index) for call in calls[:MAX_CALLS]]
    if len(calls) > 1:
        shapes = {format_shapes(call.output_shapes) for call in calls}
        shown.insert(0, f"Applied {len(calls)} times here ({len(shapes)} output shape{'s' if len(shapes) != 1 else ''}).")
    if len(calls) > MAX_CALLS:
        shown.append(f"... and {len(calls) - MAX_CALLS} more (`padlint summary` lists them all).")
    return "\n\n---\n\n".join(shown)


def _models(subject: Subject, source: SourceFile) -> str:
    blocks = [
        "```text\n" + render_model(summary, source.location(summary.line or 1)) + "\n```" for summary in subject.models[:MAX_MODELS]
    ]
    if len(subject.models) > MAX_MODELS:
        blocks.append(f"... and {len(subject.models) - MAX_MODELS} more models built here (`padlint summary` lists them all).")
    return "\n\n".join(blocks)


def _call(call: LayerCall, index: SourceIndex) -> str:
    """One application: what it is and where, its output, its weights, why Keras would fail, the arithmetic."""
    operation = call.operation
    models = ", ".join(f"`{model.name}`" for model in index.models_of.get(call.id, []))
    lines = [f"**{operation.name}** ({operation.class_name})" + (f" in {models}" if models else "")]
    if call.output_shapes is not None:
        lines.append(f"Output shape: `{format_shapes(call.output_shapes)}`")
    else:
        why = call.error.message if call.error is not None else call.unresolved or "the input shape is unknown"
        lines.append(f"Output shape: unknown ({why})")
    row = index.rows.get(id(operation))
    if row is not None:
        weights = row.weights
        lines.append(
            f"Params: {format_count(weights.total)} "
            f"(trainable: {format_count(weights.trainable)}, non-trainable: {format_count(weights.non_trainable)})"
        )
    text = "  \n".join(lines)
    explain = call.result.explain if call.result is not None else []
    if explain:
        text += "\n\n```text\n" + "\n".join(explain) + "\n```"
    return text
