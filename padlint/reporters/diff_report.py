"""``padlint diff`` as text, Markdown or JSON (:mod:`padlint.diff` computes it).

Text (one line per model, one per changed layer, ``+`` added, ``-`` removed,
``~`` changed, ``>`` renamed)::

    padlint diff: HEAD (9f13adf) -> working tree, 1 file
    models/cnn.py: model 'model' changed: 110,986 -> 41,994 params (-68,992)
      + batch_normalization (BatchNormalization): (None, 26, 26, 32), 128 params
      ~ conv2d_1 (Conv2D): (None, 24, 24, 64) -> (None, 12, 12, 64)
      ~ dense (Dense): 92,170 -> 23,050 params
    Total params: 110,986 -> 41,994 (-68,992); 1 changed, 0 unchanged.

Markdown: a heading, a line per model, and for each changed model a table of
its changed layers (before and after), for ``$GITHUB_STEP_SUMMARY`` or a pull
request comment. JSON: the same as data (``padlint_version``, ``base``, ``files``,
``models`` with their ``layers``, ``total_params``, ``not_compared`` for the versions
that could not be read or parsed, ``errors`` for padlint's internal errors).

Names, paths and messages come from the user's files: text escapes their control
characters (:func:`printable`); Markdown does too, then backslash-escapes every
ASCII punctuation character, so that a layer named ``[x](https://...)`` or
``<img>`` is shown as written, never as a link, an image or HTML, and a ``|``
cannot end a table cell; JSON escapes as JSON does (:func:`json_safe`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from padlint import __version__
from padlint.diff import ArchitectureDiff, ModelChange, RowChange
from padlint.reporters.common import plural
from padlint.reporters.escape import json_safe, printable

SIGNS = {"added": "+", "removed": "-", "changed": "~", "renamed": ">"}


# ------------------------------------------------------------ values


def shape_text(shape: Any) -> str:
    """A summary JSON shape as Keras prints it: ``(None, 26, 26, 32)``; several as a list; ``?`` unknown."""
    if shape is None:
        return "?"
    if any(isinstance(item, list) for item in shape):
        return "[" + ", ".join(shape_text(item) for item in shape) + "]"
    parts = ["None" if dim is None else str(dim) for dim in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def count_text(count: Any) -> str:
    if type(count) is int:
        return f"{count:,}"
    return "?" if count is None else str(count)


def delta_text(delta: Any) -> str:
    if type(delta) is not int:
        return "?"
    return f"{delta:+,}" if delta else "±0"


def _params_clause(change: ModelChange) -> str:
    before, after, delta = change.params
    if change.status == "added":
        return f"{count_text(after)} params"
    if change.status == "removed":
        return f"{count_text(before)} params"
    if delta == 0:
        return f"{count_text(after)} params"
    return f"{count_text(before)} -> {count_text(after)} params ({delta_text(delta)})"


def _model_line(change: ModelChange) -> str:
    where = printable(change.path)
    if change.old_path:
        where = f"{printable(change.old_path)} -> {where}"
    if change.status == "renamed":
        return f"{where}: model {printable(repr(change.old_name))} renamed to {printable(repr(change.name))}, unchanged: {_params_clause(change)}"
    return f"{where}: model {printable(repr(change.name))} {change.status}: {_params_clause(change)}"


def _row_text(row: RowChange) -> str:
    old, new = row.old or {}, row.new or {}
    label = f"{row.name} ({row.class_name})"
    if row.status == "added":
        return f"{label}: {shape_text(new.get('output_shape'))}, {count_text(new.get('params'))} params"
    if row.status == "removed":
        return f"{label}: {shape_text(old.get('output_shape'))}, {count_text(old.get('params'))} params"
    parts = []
    if row.status == "renamed":
        label = f"{old.get('name')} -> {new.get('name')} ({row.class_name})"
    if old.get("output_shape") != new.get("output_shape"):
        parts.append(f"{shape_text(old.get('output_shape'))} -> {shape_text(new.get('output_shape'))}")
    if old.get("params") != new.get("params"):
        parts.append(f"{count_text(old.get('params'))} -> {count_text(new.get('params'))} params")
    elif old.get("trainable_params") != new.get("trainable_params"):
        parts.append(f"trainable {count_text(old.get('trainable_params'))} -> {count_text(new.get('trainable_params'))}")
    return f"{label}: {', '.join(parts) or 'unchanged'}"


def _closing(diff: ArchitectureDiff) -> str:
    before, after, delta = diff.params
    counts = {status: sum(1 for change in diff.models if change.status == status) for status in SIGNS}
    listed = ", ".join(f"{counts[status]} {status}" for status in ("added", "removed", "changed", "renamed") if counts[status])
    totals = f"Total params: {count_text(before)} -> {count_text(after)} ({delta_text(delta)})"
    return f"{totals}; {listed}, {diff.unchanged} unchanged." if listed else f"{totals}; {plural(diff.unchanged, 'model')} unchanged."


def _heading(diff: ArchitectureDiff) -> str:
    return f"{printable(diff.revision)} ({diff.commit[:7]}) -> working tree, {plural(len(diff.files), 'file')}"


# ------------------------------------------------------------ text


def render_text(diff: ArchitectureDiff) -> str:
    lines = [f"padlint diff: {_heading(diff)}"]
    for change in diff.models:
        lines.append(_model_line(change))
        lines.extend(f"  {SIGNS[row.status]} {printable(_row_text(row))}" for row in change.rows)
    if not diff.models:
        lines.append("No architecture change." if diff.files else "No Python file or notebook changed.")
    lines.append(_closing(diff))  # the versions that could not be compared are said on stderr
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------ Markdown

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """User text shown literally in Markdown: control characters escaped, then every ASCII punctuation."""
    return _PUNCTUATION.sub(r"\\\1", printable(text))


def render_markdown(diff: ArchitectureDiff) -> str:
    lines = [f"### padlint: architecture changes since {markdown_text(diff.revision)} ({diff.commit[:7]})", ""]
    if not diff.models:
        lines.append("No architecture change in " + markdown_text(plural(len(diff.files), "changed file")) + ".")
    for change in diff.models:
        lines.append(f"- **{markdown_text(change.status)}** {markdown_text(_model_line(change))}")
    lines += ["", markdown_text(_closing(diff))]
    for change in diff.models:
        if not change.rows:
            continue
        lines += ["", f"#### {markdown_text(change.path)}: {markdown_text(change.name)}", "",
                  "| | Layer (type) | Output shape | Param # |", "|---|---|---|---:|"]
        for row in change.rows:
            old, new = row.old or {}, row.new or {}
            name = f"{old.get('name')} → {new.get('name')}" if row.status == "renamed" else row.name
            shapes = _before_after(shape_text(old.get("output_shape")) if row.old else None, shape_text(new.get("output_shape")) if row.new else None)
            counts = _before_after(count_text(old.get("params")) if row.old else None, count_text(new.get("params")) if row.new else None)
            lines.append(f"| {markdown_text(SIGNS[row.status])} | {markdown_text(f'{name} ({row.class_name})')} | {shapes} | {counts} |")
    if diff.not_compared or diff.errors:
        lines += ["", "Not compared:", ""]
        lines.extend(f"- {markdown_text(error)}" for error in diff.not_compared + diff.errors)
    return "\n".join(lines) + "\n"


def _before_after(before: str | None, after: str | None) -> str:
    if before is None or after is None or before == after:
        return markdown_text(after if after is not None else before or "")
    return f"{markdown_text(before)} → {markdown_text(after)}"


# ------------------------------------------------------------ JSON


def _row_json(row: RowChange) -> dict[str, Any]:
    def side(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        return {key: values.get(key) for key in ("name", "line", "output_shape", "params", "trainable_params", "non_trainable_params")}

    return {"status": row.status, "name": row.name, "class": row.class_name, "old": side(row.old), "new": side(row.new)}


def _model_json(change: ModelChange) -> dict[str, Any]:
    before, after, delta = change.params
    return {
        "path": change.path,
        "old_path": change.old_path,
        "name": change.name,
        "old_name": change.old_name,
        "status": change.status,
        "line": (change.new or change.old or {}).get("line"),
        "total_params": {"old": before if change.old else None, "new": after if change.new else None, "delta": delta},
        "layers": [_row_json(row) for row in change.rows],
    }


def render_json(diff: ArchitectureDiff) -> str:
    before, after, delta = diff.params
    document = {
        "padlint_version": __version__,
        "base": {"revision": diff.revision, "commit": diff.commit},
        "files": diff.files,
        "models": [_model_json(change) for change in diff.models],
        "unchanged_models": diff.unchanged,
        "total_params": {"old": before, "new": after, "delta": delta},
        "errors": diff.errors,
        "not_compared": diff.not_compared,
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
