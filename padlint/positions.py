"""Source positions of libcst nodes, computed in one lean pass.

libcst's ``PositionProvider`` needs a ``MetadataWrapper`` (which deep-copies the
module unless told not to) and records a ``CodeRange`` for every node; measured
on Keras' own application sources it costs 2.3-3.7x the parse itself. padlint
only needs positions for the few nodes it reports, and only for files that
define models, so it runs libcst's code generator once with a minimal state
that tracks line and column (about 0.4x the parse) and keeps positions as
plain tuples. The result equals ``PositionProvider``'s (a test checks this).
"""

from __future__ import annotations

import libcst as cst
from libcst._nodes.internal import CodegenState

#: (start_line, start_column, end_line, end_column): lines 1-based, columns 0-based.
Span = tuple[int, int, int, int]


class _PositionState(CodegenState):
    """A CodegenState that records syntactic positions instead of keeping tokens."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line = 1
        self.column = 0
        #: ``id(node) -> ((start line, start column), (end line, end column))``; the module
        #: keeps every node alive, so ids stay unique (and hashing ids is cheaper than nodes).
        self.spans: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {}

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        newlines = value.count("\n")
        if newlines:
            self.line += newlines
            self.column = len(value) - value.rfind("\n") - 1
        else:
            self.column += len(value)

    def pop_trailing_newline(self) -> None:
        """Positions are already recorded; nothing to remove."""

    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Recording:
        return _Recording(self, node, start_node, end_node)


class _Recording:
    """``with state.record_syntactic_position(node):`` records the node's span on the way out.

    A plain context manager object: libcst's own is a generator-based ``contextmanager``,
    whose overhead was a third of the pass (it runs for every node).
    """

    __slots__ = ("end_node", "node", "start", "start_node", "state")

    def __init__(self, state: _PositionState, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None) -> None:
        self.state = state
        self.node = node
        self.start = (state.line, state.column)
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exception: object) -> None:
        state = self.state
        spans = state.spans
        start, end = self.start, (state.line, state.column)
        # Hoisted bounds come from children; a child without a syntactic
        # position of its own (ImportStar, say) ends where the parent does.
        if self.start_node is not None and id(self.start_node) in spans:
            start = spans[id(self.start_node)][0]
        if self.end_node is not None and id(self.end_node) in spans:
            end = spans[id(self.end_node)][1]
        spans[id(self.node)] = (start, end)


class Positions:
    """Positions of the nodes of one module, computed on first use."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._spans: dict | None = None

    def span(self, node: cst.CSTNode | None) -> Span | None:
        if node is None:
            return None
        if self._spans is None:
            state = _PositionState(self._module)
            self._module._codegen(state)
            self._spans = state.spans
        found = self._spans.get(id(node))
        if found is None:
            return None
        (start_line, start_column), (end_line, end_column) = found
        return (start_line, start_column, end_line, end_column)

    def line(self, node: cst.CSTNode | None) -> int | None:
        span = self.span(node)
        return span[0] if span else None
