"""``padlint summary``: Keras 3's ``model.summary()`` table, computed statically.

The layout follows keras/src/utils/summary_utils.py: a row per layer with
"Layer (type)", "Output Shape" and "Param #" ("Connected to" for functional
models that are not a simple chain), then total, trainable and non-trainable
counts with their float32 memory size. An incomplete model's totals never look
exact: "at least N" where its known rows add up to N > 0, else "?" (Keras' own
summary of a partly unbuilt model counts only what is built, as if that were
all). ``--explain`` adds the arithmetic of each row beneath it.
"""

from __future__ import annotations

from padlint.analysis import FileAnalysis, LayerRow, ModelSummary
from padlint.reporters.shapes import format_count, format_shapes, readable_memory_size
from padlint.symbolic import Dim


def _memory(count: Dim) -> str:
    return f" ({readable_memory_size(count * 4)})" if isinstance(count, int) else ""


def _lower_bound(known: int) -> str:
    """A total of an incomplete model: what its known rows add up to, never as if exact."""
    return f"at least {format_count(known)}{_memory(known)}" if known > 0 else "?"


#: Widest "Connected to" line: longer lists wrap after a comma, as Keras' table wraps them
#: (a merge of many tensors would otherwise make one line, and every row, that long).
CONNECTIONS_WIDTH = 60


def _connections(row: LayerRow) -> list[str]:
    """The "Connected to" cell, as lines."""
    if row.call is None or not row.call.inputs:
        return ["-"]
    lines = [""]
    for tensor in row.call.inputs:
        producer = tensor.node.operation
        node_index = producer.calls.index(tensor.node) if tensor.node in producer.calls else 0
        part = f"{producer.name}[{node_index}][{tensor.index}]"
        if not lines[-1]:
            lines[-1] = part
        elif len(lines[-1]) + len(part) + 2 <= CONNECTIONS_WIDTH:
            lines[-1] += ", " + part
        else:
            lines[-1] += ","
            lines.append(part)
    return lines


def _is_chain(summary: ModelSummary) -> bool:
    """Keras prints "Connected to" unless the functional model is a plain chain."""
    if summary.kind != "functional":
        return True
    seen = set()
    for call in summary.calls:
        if len(call.inputs) > 1 or id(call.operation) in seen:
            return False
        seen.add(id(call.operation))
    consumers: dict[int, int] = {}
    for call in summary.calls:
        for tensor in call.inputs:
            consumers[tensor.node.id] = consumers.get(tensor.node.id, 0) + 1
    return all(count <= 1 for count in consumers.values())


def render_model(summary: ModelSummary, source_location: str, explain: bool = False) -> str:
    headers = ["Layer (type)", "Output Shape", "Param #"]
    chain = _is_chain(summary)
    if not chain:
        headers.append("Connected to")
    rows = []
    for row in summary.rows:
        cells = [[f"{row.name} ({row.class_name})"], [format_shapes(row.output_shapes)], [format_count(row.params)]]
        if not chain:
            cells.append(_connections(row))
        rows.append((cells, row.explain if explain else []))
    widths = [len(header) for header in headers]
    for cells, _ in rows:
        widths = [max(width, *(len(text) for text in cell)) for width, cell in zip(widths, cells)]
    def line(left: str, middle: str, right: str, fill: str) -> str:
        return left + middle.join(fill * (width + 2) for width in widths) + right

    def cells_line(cells: list[str], edge: str) -> str:
        padded = [
            f" {cell.rjust(width)} " if index == 2 else f" {cell.ljust(width)} "
            for index, (cell, width) in enumerate(zip(cells, widths))
        ]
        return edge + edge.join(padded) + edge

    out = [f'Model: "{summary.keras_name}"  ({summary.name}, {source_location}, {summary.kind})']
    out.append(line("┏", "┳", "┓", "━"))
    out.append(cells_line(headers, "┃"))
    out.append(line("┡", "╇", "┩", "━"))
    for index, (cells, explanation) in enumerate(rows):
        for number in range(max(len(cell) for cell in cells)):
            out.append(cells_line([cell[number] if number < len(cell) else "" for cell in cells], "│"))
        for text in explanation:
            out.append("│   " + text)
        out.append(line("├", "┼", "┤", "─") if index < len(rows) - 1 else line("└", "┴", "┘", "─"))
    if not rows:
        out.append(line("└", "┴", "┘", "─"))
    if summary.complete:
        weights = summary.weights
        counts = [weights.total, weights.trainable, weights.non_trainable]
        cells = [f"{format_count(count)}{_memory(count)}" for count in counts]
    else:
        known = summary.known_weights
        cells = [_lower_bound(count) for count in (known.total, known.trainable, known.non_trainable)]
    out.append(f" Total params: {cells[0]}")
    out.append(f" Trainable params: {cells[1]}")
    out.append(f" Non-trainable params: {cells[2]}")
    for note in summary.notes:
        out.append(f" Incomplete: {note}")
    return "\n".join(out)


def render_file(analysis: FileAnalysis, explain: bool = False) -> str:
    blocks = []
    for summary in analysis.models:
        location = analysis.source.location(summary.line or 1)
        blocks.append(render_model(summary, location, explain))
    return "\n\n".join(blocks)
