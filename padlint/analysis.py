"""The per-file pipeline: parse, evaluate, finish the graph, propagate, summarise.

:func:`analyse_source` is what every front end (summary, rules, flake8) calls.
Its result, :class:`FileAnalysis`, holds for each model the rows Keras'
``model.summary()`` would print and the model's layer graph; rules read it,
reporters format it. Nothing here reports.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import time
import tokenize
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.budget import Budget
from padlint.evaluation.interpreter import Interpreter, assumption_notes
from padlint.evaluation.keras_api import KerasRuntime, is_input_layer
from padlint.graph import (
    LayerCall,
    LayerGraph,
    LayerObj,
    ModelObj,
    TensorRef,
    flatten,
    functional_layout,
)
from padlint.layers.base import LayerError, LayerResult
from padlint.positions import Positions, Span
from padlint.propagation import Weights, model_layers, with_trainable
from padlint.source import MAX_SYNTAX_TOKENS, SourceFile, syntax_tokens
from padlint.symbolic import Dim

if TYPE_CHECKING:
    import networkx as nx

    from padlint.incremental import StatementCache

#: Longest number a pragma's shape may hold (a size beyond 10**18 is no tensor's).
MAX_PRAGMA_DIGITS = 18
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
    #: Keras' ``built`` (False: it prints "0 (unbuilt)"), and whether Keras itself prints "?"
    #: for the output shape (a subclassed model's sublayer; see Propagator.tracked_row).
    built: bool = True
    keras_unknown_shape: bool = False
    #: Several output shapes printed as one tuple of Python tuples (see Propagator.tracked_row).
    tuple_of_shapes: bool = False
    #: Why padlint does not know this row, when the graph does not say.
    unknown_reason: str | None = None

    @property
    def params(self) -> Dim:
        return self.weights.total

    @property
    def explain(self) -> list[str]:
        result = self.call.result if self.call is not None else None
        return result.explain if result is not None else []

    def reason_unknown(self) -> str | None:
        """Why this row's shape is unknown, if it is."""
        if self.output_shapes is not None or self.keras_unknown_shape:
            return None
        if self.unknown_reason is not None:
            return self.unknown_reason
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
    #: The file's layer graph, from which :attr:`graph` is built.
    layer_graph: LayerGraph = field(repr=False, compare=False)
    notes: list[str] = field(default_factory=list)
    model: ModelObj | None = None
    #: The parameters of the layers whose count is a known number: a lower bound of the
    #: totals when the model is incomplete (the rest is unknown, never negative).
    known_weights: Weights = field(default_factory=Weights)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The model's layer graph (its calls and the tensors between them), built on first use."""
        return self.layer_graph.subgraph(self.calls)

    def ancestors(self, call: LayerCall) -> set[int]:
        """Ids of the model's calls whose outputs flow into ``call`` (empty when it is not the model's)."""
        import networkx as nx

        return nx.ancestors(self.graph, call.id) if call.id in self.graph else set()

    def descendants(self, call: LayerCall) -> set[int]:
        """Ids of the model's calls that ``call``'s outputs flow into (empty when it is not the model's)."""
        import networkx as nx

        return nx.descendants(self.graph, call.id) if call.id in self.graph else set()

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
    #: Whether a time budget cut the analysis short (on a faster machine it would go further).
    timed_out: bool = False
    #: What padlint took for granted (a snippet's missing imports: "Sequential is not imported;
    #: taken as keras.Sequential"), said under ``-v``; the models stay complete.
    assumptions: list[str] = field(default_factory=list)

    @property
    def file_notes(self) -> list[str]:
        """Why the analysis stopped short, for the notes no model's summary already carries
        (a file not analysed at all, a budget spent before any model, models left out)."""
        shown = {note for summary in self.models for note in summary.notes}
        return [note for note in self.notes if note not in shown]


@dataclass(frozen=True)
class AnalysisOptions:
    #: Input shape (without batch axis) for models whose input padlint cannot determine.
    default_input_shape: tuple | None = None
    budget: Budget | None = None
    #: The parse of the document's last version, reused for its unchanged statements (the server).
    statements: StatementCache | None = None


#: Deepest nesting padlint analyses (syntax levels as Python's ``ast`` counts them; a chain
#: ``a and b and c`` counts one level per operand, as libcst nests it). libcst's time and
#: memory grow with the square of the nesting (its native parser overflows the stack past a
#: few thousand levels), and padlint's own walks recurse; real code stays below 50.
MAX_NESTING = 500
#: Largest file padlint analyses, in syntax nodes once big constant literals are set aside
#: (about 1 MB of ordinary code; libcst needs about 50 µs and 4 kB per node).
MAX_NODES = 150_000
#: A literal made only of constants (a list of numbers, a table of data) with at least this
#: many nodes is not given to libcst: it is data, not a model, and libcst is slow on big ones.
#: Its value becomes unknown (a list of 1,000 class names keeps its length).
ELIDE_LITERAL_NODES = 10_000
#: What an elided literal becomes: an undefined name, so its value is unknown.
ELIDED_NAME = "__padlint_elided__"
#: Most models of one file padlint summarises (a loop can make thousands; each is summarised
#: with its nested models, so the cost grows faster than their number).
MAX_MODELS = 1_000
#: Largest text padlint parses at all (Python's ``ast`` needs about 120 bytes per character).
MAX_CHARACTERS = 10_000_000
#: Most of libcst's parse cost (:func:`_measure`) padlint accepts: about 600 MB, what an ordinary
#: file of MAX_NODES nodes needs (its cost is some 2.7 per node).
MAX_PARSE_COST = 400_000
#: Texts longer than this have their tokens counted before Python parses them (:func:`parse`).
COUNT_TOKENS_FROM = 256 * 1024


@dataclass
class NotAnalysed:
    """The file is valid Python but beyond what padlint analyses (too deep, too large)."""

    reason: str


def parse(text: str, statements: StatementCache | None = None) -> cst.Module | SyntaxProblem | NotAnalysed:
    """The module, a syntax error, or why a valid file is not analysed.

    Python's own parser goes first: it is several times faster than libcst, its
    positions are exact, and it bounds the nesting (more than 200 brackets, or a
    few thousand levels of anything, is an error for Python too) before libcst,
    which would take minutes or crash on such files, sees them. Then the measures
    above are checked, and libcst parses the text (with big constant literals
    replaced by a name of the same length, so every position stays put): all of
    it, or with ``statements`` only the top-level statements the last version did
    not have.
    """
    if len(text) > MAX_CHARACTERS:
        return NotAnalysed(f"too large: {len(text):,} characters (padlint analyses up to {MAX_CHARACTERS:,}); not analysed")
    if len(text) > COUNT_TOKENS_FROM and syntax_tokens(text, MAX_SYNTAX_TOKENS) > MAX_SYNTAX_TOKENS:
        return NotAnalysed(f"too large: more than {MAX_SYNTAX_TOKENS:,} tokens (padlint analyses up to {MAX_SYNTAX_TOKENS:,}); not analysed")
    try:
        tree = _python_parse(text)
    except SyntaxError as error:
        problem = SyntaxProblem(message=error.msg, line=error.lineno or 1, column=error.offset or 1)
        return _newer_syntax(text, problem) or problem
    except (RecursionError, MemoryError):
        # (Python 3.11's parser reports its own stack overflow, thousands of nested unary
        # operators, as MemoryError; the text is at most MAX_CHARACTERS long.)
        return SyntaxProblem(message="too deeply nested: Python cannot compile it either", line=1, column=1)
    except (ValueError, OverflowError) as error:
        return SyntaxProblem(message=str(error), line=1, column=1)
    shape = _measure(tree, text)
    if shape.depth > MAX_NESTING:
        return NotAnalysed(f"nested {shape.depth} levels deep (padlint analyses up to {MAX_NESTING}); not analysed")
    if shape.nodes > MAX_NODES:
        return NotAnalysed(f"too large: {shape.nodes:,} syntax nodes (padlint analyses up to {MAX_NODES:,}); not analysed")
    if shape.cost > MAX_PARSE_COST:
        return NotAnalysed(f"too deeply nested for its size: parsing it would take some {shape.cost * 1.5 / 1024:,.0f} MB (padlint parses up to {MAX_PARSE_COST * 1.5 / 1024:,.0f} MB); not analysed")
    if shape.elided:
        text = _elide(text, shape.elided)
    reused = statements.parse(text, tree) if statements is not None else None
    return reused if reused is not None else _libcst_parse(text)


def python_syntax_error(text: str) -> SyntaxProblem | None:
    """Python's own diagnosis (``ast.parse`` only parses), whose positions are exact."""
    try:
        _python_parse(text)
    except SyntaxError as error:
        return SyntaxProblem(message=error.msg, line=error.lineno or 1, column=error.offset or 1)
    except (RecursionError, MemoryError, ValueError, OverflowError):
        return SyntaxProblem(message="too deeply nested: Python cannot compile it either", line=1, column=1)
    return None


def _python_parse(text: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences and the like: not padlint's to say
        return ast.parse(text)


def _libcst_parse(text: str) -> cst.Module | SyntaxProblem | NotAnalysed:
    try:
        return cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError):
        return NotAnalysed("libcst cannot parse this file although Python can; not analysed")
    except (RecursionError, MemoryError):
        return NotAnalysed("too deeply nested for libcst to parse; not analysed")


#: What Python 3.11 says of the syntax newer versions added (``type X = ...``, ``def f[T]()``,
#: PEP 701 f-strings): only these errors are retried with libcst. Others are errors in
#: every version, some of which libcst accepts (``"\N{bogus}"``, ``[*a for a in b]``).
_NEWER_GRAMMAR_ERRORS = ("invalid syntax", "f-string", "expected ")


def _newer_syntax(text: str, problem: SyntaxProblem) -> cst.Module | None:
    """A file Python rejects may be valid for a newer Python (``type X = ...``, PEP 701
    f-strings on Python 3.11): libcst, which knows newer grammars, decides then. Its
    parser is only given text whose nesting is bounded, measured on the tokens."""
    if sys.version_info >= (3, 12) or not problem.message.startswith(_NEWER_GRAMMAR_ERRORS):
        return None
    if _token_nesting(text) > MAX_NESTING:
        return None
    parsed = _libcst_parse(text)
    return parsed if isinstance(parsed, cst.Module) else None


#: Tokens that can open a level of nesting: operators (not commas, colons or closing brackets)
#: and the keywords of nested expressions.
_NESTING_KEYWORDS = frozenset(["lambda", "if", "else", "not", "and", "or", "await", "elif"])
_FLAT_OPERATORS = frozenset([",", ":", ";", ")", "]", "}", "=", "->"])


def _token_nesting(text: str) -> int:
    """An upper bound of the nesting of the text, from its tokens: the most nesting tokens in
    one logical line, or all the ``elif`` of the file (each one nests in libcst); more than
    the limit when the text does not tokenize."""
    longest = run = elifs = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                longest, run = max(longest, run), 0
            elif (token.type == tokenize.OP and token.string not in _FLAT_OPERATORS) or (
                token.type == tokenize.NAME and token.string in _NESTING_KEYWORDS
            ):
                run += 1
                elifs += token.string == "elif"
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        return MAX_NESTING + 1
    return max(longest, run, elifs) + 100  # and up to 100 levels of indented blocks


@dataclass
class _Shape:
    depth: int = 0
    nodes: int = 0
    #: What libcst's memory grows with (:func:`_measure`).
    cost: int = 0
    #: Constant literals to set aside: (line, byte column, end line, end byte column).
    elided: list[tuple[int, int, int, int]] = field(default_factory=list)


_SEQUENCES = (ast.List, ast.Tuple, ast.Set)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


class _Lines:
    """Source text by line and byte column (``ast`` positions), for the few constants whose
    text must be looked at again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def segment(self, node: ast.AST) -> str | None:
        if node.end_lineno is None or node.end_col_offset is None:
            return None
        return self.text[self.offset(node.lineno, node.col_offset) : self.offset(node.end_lineno, node.end_col_offset)]

    def offset(self, line: int, byte_column: int) -> int:
        """The text offset of a line (from 1) and byte column (from 0)."""
        if self._starts is None:
            from padlint.source import NEWLINE

            self._starts = [0, *(match.end() for match in NEWLINE.finditer(self.text))]
        starts = self._starts
        if line - 1 >= len(starts):
            return len(self.text)
        start = starts[line - 1]
        content = self.text[start : starts[line]] if line < len(starts) else self.text[start:]
        return start + len(content.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def adjacent_literals(self, node: ast.AST, enough: int) -> int:
        """How many string literals make up the constant (1 unless its text could hold
        ``enough`` of them: each takes at least two characters)."""
        single_line = node.lineno == node.end_lineno
        if single_line and (node.end_col_offset or 0) - node.col_offset < 2 * max(enough, 1):
            return 1
        segment = self.segment(node)
        if segment is None or len(segment) < 2 * max(enough, 1):
            return 1
        count = 0
        try:
            for token in tokenize.generate_tokens(io.StringIO(f"({segment})").readline):
                count += token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_START", -1)
        except (tokenize.TokenError, SyntaxError):
            return 1
        return max(count, 1)
#: Only collections with this many elements are examined for elision (smaller ones are cheap).
_ELIDE_MIN_ELEMENTS = 100


def _measure(tree: ast.AST, text: str) -> _Shape:
    """Nesting depth and size of the tree, and the big constant literals in it (without recursion).

    ``cost`` adds up each node's depth inside its statement: libcst's parser keeps a copy of
    every expression it has parsed at each level it tried, so its memory grows with that sum
    (about 1.5 kB per unit), not with the node count: 150 lines of 100-deep nested calls are
    45,000 nodes but need 3 GB.
    """
    shape = _Shape()
    deepest = nodes = cost = 0
    lines = _Lines(text)
    stack: list[tuple[ast.AST, int, bool, int]] = [(tree, 1, False, 0)]
    pop, push = stack.pop, stack.append
    statement = ast.stmt
    while stack:
        node, depth, in_fstring, inner = pop()
        nodes += 1
        cost += inner
        deepest = max(deepest, depth)
        kind = type(node)
        if kind is ast.BoolOp:
            count = len(node.values)  # libcst nests ``a and b and c`` as ``(a and b) and c``
            for position, value in enumerate(node.values):
                push((value, depth + count - position, in_fstring, inner + count - position))
            continue
        if kind in _COMPREHENSIONS:
            # libcst nests each ``for`` clause in the one before: ``[x for a in b for c in d]``.
            count = len(node.generators)
            for position, generator in enumerate(node.generators):
                push((generator, depth + 1 + position, in_fstring, inner + 1 + position))
            for element in (node.key, node.value) if kind is ast.DictComp else (node.elt,):
                push((element, depth + count, in_fstring, inner + count))
            continue
        if not in_fstring and (kind is ast.JoinedStr or (kind is ast.Constant and isinstance(node.value, (str, bytes)))):
            # Adjacent literals (``'a' 'b' 'c'``) are one constant here, a chain nested one
            # level per literal in libcst: counted when the text is long enough to hold many.
            deepest = max(deepest, depth + lines.adjacent_literals(node, MAX_NESTING - depth))
        if not in_fstring and kind in _SEQUENCES + (ast.Dict,) and len(node.keys if kind is ast.Dict else node.elts) >= _ELIDE_MIN_ELEMENTS:
            size = _constant_size(node)
            if size >= ELIDE_LITERAL_NODES and node.end_lineno is not None and node.end_col_offset is not None:
                shape.elided.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset))
                continue
        in_fstring = in_fstring or kind is ast.JoinedStr  # positions inside f-strings are not exact before 3.12
        for child in ast.iter_child_nodes(node):
            push((child, depth + 1, in_fstring, 0 if isinstance(child, statement) else inner + 1))
    shape.depth, shape.nodes, shape.cost = deepest, nodes, cost
    return shape


def _constant_size(node: ast.AST) -> int:
    """The number of nodes of a literal made of constants only (0 when it holds anything else)."""
    size = 0
    stack = [node]
    while stack:
        item = stack.pop()
        kind = type(item)
        size += 1
        if kind is ast.Constant:
            continue
        if kind in _SEQUENCES:
            stack.extend(item.elts)
        elif kind is ast.Dict:
            if any(key is None for key in item.keys):
                return 0  # {**spread}
            stack.extend(item.keys)
            stack.extend(item.values)
        elif kind is ast.UnaryOp and type(item.op) in (ast.USub, ast.UAdd):
            stack.append(item.operand)
        else:
            return 0
    return size


def _elide(text: str, spans: list[tuple[int, int, int, int]]) -> str:
    """The text with each span replaced by ``(__padlint_elided__    )``: the same lines, and the
    same columns after it (what libcst reports are lines and columns, never offsets)."""
    from padlint.source import NEWLINE

    lines = _Lines(text)
    pieces = []
    position = 0
    for line, column, end_line, end_column in sorted(spans):
        start, end = lines.offset(line, column), lines.offset(end_line, end_column)
        if start < position or end - start < len(ELIDED_NAME) + 2:
            continue
        inside = text[start + 1 : end - 1]
        # Every line break inside is kept, then as many spaces as the literal's last line had
        # before its closing bracket; on one line, the name takes the place of the first characters.
        breaks = NEWLINE.findall(inside)
        blank = "".join(breaks) + " " * len(NEWLINE.split(inside)[-1]) if breaks else " " * (len(inside) - len(ELIDED_NAME))
        pieces += [text[position:start], "(", ELIDED_NAME, blank, ")"]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


#: Python frames padlint's recursive walks may use (libcst's code generator and visitors take
#: two to four frames per level of nesting, up to MAX_NESTING levels).
RECURSION_LIMIT = 6_000


@contextmanager
def deep_recursion(limit: int = RECURSION_LIMIT) -> Iterator[None]:
    """Raise Python's recursion limit for the duration (never lower it)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def analyse_source(source: SourceFile, options: AnalysisOptions | None = None) -> FileAnalysis:
    """Parse, evaluate and summarise one source. What stops the analysis (a budget, nesting
    beyond padlint's limits) becomes a note, and the models affected are incomplete."""
    options = options or AnalysisOptions()
    analysis = FileAnalysis(source=source)
    if source.not_analysed is not None:  # a notebook judged too large as its cells were read
        analysis.notes.append(source.not_analysed)
        return analysis
    parsed = parse(source.text, options.statements)
    if isinstance(parsed, SyntaxProblem):
        analysis.syntax_error = parsed
        return analysis
    if isinstance(parsed, NotAnalysed):
        analysis.notes.append(parsed.reason)
        return analysis
    with deep_recursion():
        try:
            _analyse_module(analysis, parsed, options)
        except RecursionError:
            analysis.models = []
            analysis.notes.append("analysis stopped: nested too deeply (or a structure that contains itself)")
    return analysis


def _analyse_module(analysis: FileAnalysis, parsed: cst.Module, options: AnalysisOptions) -> None:
    source = analysis.source
    analysis.module = parsed
    positions = options.statements.positions(parsed) if options.statements is not None else Positions(parsed)
    analysis.positions = positions
    budget = options.budget or Budget()
    interpreter = Interpreter(parsed, _fresh(budget), text=source.text)
    interpreter.run()
    runtime = interpreter.keras
    analysis.assumptions = assumption_notes(interpreter)
    if not runtime.models:
        analysis.notes = list(interpreter.budget.notes)
        analysis.timed_out = interpreter.budget.timed_out
        analysis.internal_errors = list(runtime.propagator.internal_errors)
        return
    overrides = _input_overrides(runtime, source, positions, options)
    if overrides.inputs:
        # Stated input shapes change what the code computes from shapes (a custom layer's
        # traced call(), ``x.shape[-1]``): evaluate again with them from the start.
        interpreter = Interpreter(parsed, _fresh(budget), input_overrides=overrides.inputs, text=source.text)
        interpreter.run()
        runtime = interpreter.keras
        analysis.assumptions = assumption_notes(interpreter)
    for model in runtime.models:
        shape = overrides.builds.get(model.site)
        if shape is not None and model.kind == "sequential" and not model.built and model.layers:
            runtime.sequential_build(model, (None, *shape))
        elif shape is not None and model.kind == "subclassed" and model.custom is not None and not model.custom.built:
            runtime.call_on_input(model, shape)
    analysis.notes = list(interpreter.budget.notes)
    analysis.timed_out = interpreter.budget.timed_out
    file_notes = list(analysis.notes)
    models = [model for model in runtime.models if _summarised(model)]
    names = unique_names(models, _models_per_function(runtime.models), interpreter.module_scope.variables)
    deadline = time.monotonic() + budget.max_seconds
    for index, model in enumerate(models):
        if index >= MAX_MODELS or time.monotonic() > deadline:
            analysis.timed_out = analysis.timed_out or index < MAX_MODELS
            why = f"padlint summarises up to {MAX_MODELS:,}" if index >= MAX_MODELS else f"the time budget of {budget.max_seconds:g} seconds ran out"
            analysis.notes.append(f"only the first {index:,} of {len(models):,} models were summarised ({why})")
            break
        analysis.models.append(_summarise(model, runtime, positions, file_notes, names[index]))
    analysis.internal_errors = list(runtime.propagator.internal_errors)


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
            items = re.findall(r"-?\d+|None", group)
            if any(len(item) > MAX_PRAGMA_DIGITS for item in items):
                break  # not a size any tensor has (and Python will not read 5,000 digits)
            shapes.append(tuple(None if item == "None" else int(item) for item in items))
        else:
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
    return replace(budget, steps=0, call_depth=0, started=time.monotonic(), notes=[], timed_out=False)


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
        elif model.kind == "subclassed" and model.site is not None:
            # A stated shape for a subclassed model nothing builds: padlint calls it on an Input of it.
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


def _summarised(model: ModelObj) -> bool:
    """Whether a model is one of the file's summaries: every model the code makes, except an
    application nobody binds (a base inside a builder's expression), what an application's
    own code makes (its stem), and, of the models made
    inside a custom layer's methods (a Transformer block's feed-forward Sequential), those
    Keras has not built (a Sequential without an Input that its layer never called)."""
    if model.application and model.variable is None and model.local_variable is None:
        return False
    if model.inside_application:
        return False
    if model.internal:
        return model.kind == "functional" or (model.kind == "sequential" and model.built)
    return True


def _models_per_function(models: list[ModelObj]) -> Counter:
    """How many models each builder function makes (by the function's name)."""
    return Counter(model.function for model in models if model.function is not None)


def display_name(model: ModelObj, models_in_function: int) -> str:
    """The variable a model is bound to, else the builder function's name, else Keras' name."""
    if model.variable:
        return model.variable
    if model.function:
        if model.returned_from == model.function or models_in_function == 1 or not model.local_variable:
            return model.function
        return f"{model.function}.{model.local_variable}"
    return model.local_variable or model.name


def unique_names(models: list[ModelObj], per_function: Counter, module_variables: dict[str, Any]) -> list[str]:
    """Each model's name (:func:`display_name`), made unique in the file: one per builder call.

    Where several models would share a name (a builder called in a loop, ``model = build(u)``
    rebound at each iteration), the model the module's variable of that name holds at the end
    keeps it (it is the one the script's namespace shows) and the others are numbered in the
    order they were built: ``model#1``, ``model#2``, then ``model``; with no such holder (models
    bound only inside functions) every one is numbered: ``build#1``, ``build#2``.
    """
    names = [display_name(model, per_function[model.function] if model.function is not None else 0) for model in models]
    held = {id(value): name for name, value in module_variables.items() if isinstance(value, ModelObj)}
    groups: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        groups.setdefault(name, []).append(index)
    taken = set(names)
    for name, indices in groups.items():
        if len(indices) < 2:
            continue
        keepers = [index for index in indices if held.get(id(models[index])) == name]
        number = 0
        for index in indices:
            if len(keepers) == 1 and index == keepers[0]:
                continue
            number += 1
            while f"{name}#{number}" in taken:
                number += 1
            names[index] = f"{name}#{number}"
            taken.add(names[index])
    return names


def _summarise(model: ModelObj, runtime: KerasRuntime, positions: Positions, file_notes: list[str], name: str) -> ModelSummary:
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
        operations = model_layers(model)
        inbound = [call for call in model.calls if not call.traced]
        inputs = [tensor.shape() for tensor in inbound[-1].inputs] if inbound else []
        outputs = list(inbound[-1].output_shapes or []) if inbound else []
    rows = []
    for operation in operations:
        if model.kind == "subclassed":
            tracked = propagator.tracked_row(operation, model.custom is None or model.custom.followed)
            call, shapes, weights = tracked.call, tracked.shapes, tracked.weights
        else:
            call = operation.calls[-1] if operation.calls else None
            shapes, weights, tracked = call.output_shapes if call is not None else None, propagator.layer_weights(operation), None
        row = LayerRow(
            name=operation.name,
            class_name=operation.class_name,
            operation=operation,
            call=call,
            output_shapes=shapes,
            weights=weights,
            span=positions.span(_row_site(operation, call)),
            construction_error=propagator.construction_error(operation) if isinstance(operation, LayerObj) else None,
        )
        if tracked is not None:
            row.built, row.keras_unknown_shape, row.unknown_reason = tracked.built, tracked.keras_unknown, tracked.reason
            row.tuple_of_shapes = tracked.tuple_of_shapes
        rows.append(row)
    total = known = Weights()
    # A subclassed model's weights are its own variables and its tracked layers' (layer_weights).
    for operation in [model] if model.kind == "subclassed" else model_layers(model):
        weights = propagator.layer_weights(operation)
        total = total + weights
        known = known + Weights(*(count if isinstance(count, int) else 0 for count in (weights.trainable, weights.non_trainable)))
    total = with_trainable(total, model.trainable)
    if model.trainable is False:
        known = known.frozen()
    for row in rows:
        reason = row.reason_unknown()
        if reason is not None or row.weights.trainable is None:
            if reason is None:
                reason = "parameter count unknown" if row.weights.total is None else "whether its weights are trainable is not known"
            notes.append(f"{row.name} ({row.class_name}): {reason}")
            break
    return ModelSummary(
        name=name,
        keras_name=model.name,
        kind=model.kind,
        span=positions.span(model.site),
        inputs=inputs,
        outputs=outputs,
        rows=rows,
        weights=total,
        calls=calls,
        layer_graph=runtime.graph,
        notes=_unique(notes),
        model=model,
        known_weights=known,
    )


def _row_site(operation: Any, call: LayerCall | None) -> cst.CSTNode | None:
    if call is not None and call.site is not None:
        return call.site
    return getattr(operation, "site", None)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


__all__ = ["AnalysisOptions", "FileAnalysis", "LayerResult", "LayerRow", "ModelSummary", "SyntaxProblem", "analyse_source"]
