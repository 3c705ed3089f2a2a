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
        "total_params": json_count(summary.weights.total),
        "trainable_params": json_count(summary.weights.trainable),
        "non_trainable_params": json_count(summary.weights.non_trainable),
        "complete": summary.complete,
    }
