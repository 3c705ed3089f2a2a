"""``padlint summary --output-format json``, exactly as ../shared/SPEC.md section 4 describes."""

from __future__ import annotations

from typing import Any

from padlint.analysis import FileAnalysis, ModelSummary
from padlint.reporters.shapes import json_count, json_shape, json_shapes


def model_json(summary: ModelSummary, analysis: FileAnalysis) -> dict[str, Any]:
    return {
        "name": summary.name,
        "kind": summary.kind,
        "line": summary.line,
        "inputs": [json_shape(shape) for shape in summary.inputs],
        "outputs": [json_shape(shape) for shape in summary.outputs],
        "layers": [
            {
                "name": row.name,
                "class": row.class_name,
                "line": row.span[0] if row.span else None,
                "output_shape": json_shapes(row.output_shapes),
                "params": json_count(row.params),
                "trainable_params": json_count(row.weights.trainable),
                "non_trainable_params": json_count(row.weights.non_trainable),
                "built": row.built,
            }
            for row in summary.rows
        ],
        **_totals(summary),
        "complete": summary.complete,
    }


def _totals(summary: ModelSummary) -> dict[str, Any]:
    """The counts, numeric only when exact: an incomplete model has them null, and
    ``total_params_at_least`` (and the trainable and non-trainable bounds) is what its
    known rows add up to."""
    weights, known = summary.weights, summary.known_weights
    if summary.complete:
        return {
            "total_params": json_count(weights.total),
            "trainable_params": json_count(weights.trainable),
            "non_trainable_params": json_count(weights.non_trainable),
        }
    return {
        "total_params": None,
        "trainable_params": None,
        "non_trainable_params": None,
        "total_params_at_least": known.total,
        "trainable_params_at_least": known.trainable,
        "non_trainable_params_at_least": known.non_trainable,
    }
