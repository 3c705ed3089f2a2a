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

from collections.abc import Callable

from padlint.analysis import FileAnalysis, LayerRow, ModelSummary
from padlint.reporters.escape import printable
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


def _connections(row: LayerRow, model_calls: set[int]) -> list[str]:
    """The "Connected to" cell, as lines: the inputs of each of the layer's calls that belong to
    the model, in call order (a shared layer lists them all), as keras/src/utils/summary_utils.py
    ``get_connections`` goes through the layer's inbound nodes."""
    calls = [call for call in getattr(row.operation, "calls", ()) if id(call) in model_calls] or ([row.call] if row.call is not None else [])
    inputs = [tensor for call in calls for tensor in call.inputs]
    if not inputs:
        return ["-"]
    lines = [""]
    for tensor in inputs:
        producer = tensor.node.operation
        node_index = producer.calls.index(tensor.node) if tensor.node in producer.calls else 0
        part = f"{printable(producer.name)}[{node_index}][{tensor.index}]"
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


def connected_to(summary: ModelSummary) -> list[list[str]] | None:
    """Each row's "Connected to" cell, as lines; None when Keras prints no such column."""
    if _is_chain(summary):
        return None
    model_calls = {id(call) for call in summary.calls}
    return [_connections(row, model_calls) for row in summary.rows]


def render_model(summary: ModelSummary, source_location: str, explain: bool = False, line_label: Callable[[int], str] | None = None) -> str:
    if explain:
        return "\n".join([render_model(summary, source_location), *explanation(summary, line_label)])
    headers = ["Layer (type)", "Output Shape", "Param #"]
    connections = connected_to(summary)
    if connections is not None:
        headers.append("Connected to")
    rows = []
    for index, row in enumerate(summary.rows):
        params = format_count(row.params) if row.built else "0 (unbuilt)"
        cells = [[printable(f"{row.name} ({row.class_name})")], [printable(format_shapes(row.output_shapes, tuple_of_shapes=row.tuple_of_shapes))], [params]]
        if connections is not None:
            cells.append(connections[index])
        rows.append(cells)
    widths = [len(header) for header in headers]
    for cells in rows:
        widths = [max(width, *(len(text) for text in cell)) for width, cell in zip(widths, cells)]
    def line(left: str, middle: str, right: str, fill: str) -> str:
        return left + middle.join(fill * (width + 2) for width in widths) + right

    def cells_line(cells: list[str], edge: str) -> str:
        padded = [
            f" {cell.rjust(width)} " if index == 2 else f" {cell.ljust(width)} "
            for index, (cell, width) in enumerate(zip(cells, widths))
        ]
        return edge + edge.join(padded) + edge

    out = [printable(f'Model: "{summary.keras_name}"  ({summary.name}, {source_location}, {summary.kind})')]
    out.append(line("┏", "┳", "┓", "━"))
    out.append(cells_line(headers, "┃"))
    out.append(line("┡", "╇", "┩", "━"))
    for index, cells in enumerate(rows):
        for number in range(max(len(cell) for cell in cells)):
            out.append(cells_line([cell[number] if number < len(cell) else "" for cell in cells], "│"))
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
        out.append(f" Incomplete: {printable(note)}")
    return "\n".join(out)


#: The table's box-drawing characters in ASCII, for a stream that cannot encode them
#: (``PYTHONIOENCODING=latin-1``, an ASCII terminal), as rich falls back to ASCII boxes.
_ASCII_BOXES = str.maketrans({"┏": "+", "┳": "+", "┓": "+", "┡": "+", "╇": "+", "┩": "+", "├": "+", "┼": "+", "┤": "+",
                              "└": "+", "┴": "+", "┘": "+", "━": "=", "─": "-", "┃": "|", "│": "|"})


def ascii_boxes(text: str) -> str:
    """Rendered tables with ASCII borders (``+--+``, ``|``)."""
    return text.translate(_ASCII_BOXES)
#: Where the arithmetic of ``--explain`` starts: under the totals, indented as they are.
EXPLANATION_HEADING = " Arithmetic of each row:"


def explanation(summary: ModelSummary, line_label: Callable[[int], str] | None = None) -> list[str]:
    """``--explain``: the arithmetic of each row, as a block after the table and its totals.

    Inside the box the lines would cut through the columns (they are wider than any
    cell) and the table would stop being one; after it, the table stays exactly what
    ``padlint summary`` prints. Each row's lines follow a reference to the row: its
    first cell, as the table shows it, and the layer's line; per-axis lines name the axis
    (``steps``, ``height``/``width``, ``depth``/``height``/``width``, as Keras names the
    spatial axes of 1D, 2D and 3D layers).
    """
    label = line_label or (lambda line: f"line {line}")
    lines: list[str] = []
    for row in summary.rows:
        if not row.explain:
            continue
        where = f", {label(row.span[0])}" if row.span else ""
        lines.append(f"   {printable(row.name)} ({printable(row.class_name)}){where}:")
        lines.extend(f"     {printable(text)}" for text in row.explain)
    return ["", EXPLANATION_HEADING, *lines] if lines else []


def render_file(analysis: FileAnalysis, explain: bool = False) -> str:
    blocks = []
    for summary in analysis.models:
        location = analysis.source.location(summary.line or 1)
        blocks.append(render_model(summary, location, explain, analysis.source.line_label))
    return "\n\n".join(blocks)
