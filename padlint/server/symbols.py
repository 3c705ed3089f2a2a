"""Which layer or model a position of the source names, read from one file's analysis.

The analysis knows where each layer call, layer construction and model is
(their spans). A variable is matched to what its assignment's value is, by
position: ``x = layers.Conv2D(32, 3)(x)`` binds ``x`` to that call, and a later
``x`` in the same function refers to the nearest assignment before it. Where
that is not certain the answer is nothing, not a guess: a name assigned again
further down the loop it is used in, a name bound by a ``for``, a parameter, or
an outer-scope name assigned more than once.

A site written once can be applied several times (a helper called per stage,
a layer built in a loop): it then stands for every call made there, each with
its own shape.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.walk import walk

if TYPE_CHECKING:
    from padlint.analysis import FileAnalysis, LayerRow, ModelSummary
    from padlint.graph import LayerCall
    from padlint.positions import Positions, Span

#: (1-based line, 0-based column).
Point = tuple[int, int]

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LOOPS = (cst.For, cst.While)
#: How many names a chain ``a = b``, ``b = c`` ... is followed through.
MAX_ALIASES = 20


@dataclass(frozen=True)
class Subject:
    """What a position names: layer calls (one site, possibly applied several times) or models."""

    span: Span
    calls: tuple[LayerCall, ...] = ()
    models: tuple[ModelSummary, ...] = ()


@dataclass(frozen=True)
class _Binding:
    name: str
    #: Where the binding takes effect: the end of its statement.
    end: Point
    target: Span | None
    #: The assigned expression; None when the value is not one expression (``for``, parameters, imports).
    value: cst.CSTNode | None
    scope: int


@dataclass(frozen=True)
class _Use:
    name: str
    span: Span
    scope: int
    node: cst.Name
    #: The binding when this name is an assignment's target.
    binding: _Binding | None = None


@dataclass
class _Scope:
    parent: int | None
    node: cst.CSTNode
    loops: list[Span] = field(default_factory=list)


def _contains(span: Span, point: Point) -> bool:
    """Whether the character at ``point`` is inside the span (its end is exclusive)."""
    return (span[0], span[1]) <= point < (span[2], span[3])


def _inside(outer: Span, inner: Span) -> bool:
    return (outer[0], outer[1]) <= (inner[0], inner[1]) and (inner[2], inner[3]) <= (outer[2], outer[3])


class SourceIndex:
    """The layer call sites, layer constructions, models and names of one analysed file."""

    def __init__(self, analysis: FileAnalysis | None) -> None:
        self.models: list[ModelSummary] = list(analysis.models) if analysis is not None else []
        self._positions: Positions | None = analysis.positions if analysis is not None else None
        self._module: cst.Module | None = analysis.module if analysis is not None else None
        #: Layer call sites: span -> the calls made there, in the order they were made.
        self.sites: dict[Span, list[LayerCall]] = {}
        #: Layer constructions (``Conv2D(32, 3)``): span -> the layers built there.
        self.constructions: dict[Span, list[Any]] = defaultdict(list)
        self.model_spans: dict[Span, list[ModelSummary]] = defaultdict(list)
        self.rows: dict[int, LayerRow] = {}
        self.models_of: dict[int, list[ModelSummary]] = defaultdict(list)
        self._names_built = False
        self._uses: dict[int, list[_Use]] = defaultdict(list)
        self._use_of: dict[int, _Use] = {}
        self._bindings: dict[tuple[int, str], list[_Binding]] = defaultdict(list)
        self._scopes: list[_Scope] = []
        if self._positions is not None:
            self._index_layers()

    # ------------------------------------------------------------ layers and models

    def span(self, node: cst.CSTNode | None) -> Span | None:
        return self._positions.span(node) if self._positions is not None and node is not None else None

    def _index_layers(self) -> None:
        seen: set[int] = set()
        sites: dict[Span, list[LayerCall]] = defaultdict(list)
        for model in self.models:
            if model.span is not None:
                self.model_spans[model.span].append(model)
            for row in model.rows:
                self.rows.setdefault(id(row.operation), row)
            for call in model.calls:
                self.models_of[call.id].append(model)
                if call.id in seen:
                    continue
                seen.add(call.id)
                operation = call.operation
                place = self.span(call.site if call.site is not None else getattr(operation, "site", None))
                if place is not None:
                    sites[place].append(call)
                built = self.span(getattr(operation, "site", None))
                if built is not None and built != place and operation not in self.constructions[built]:
                    self.constructions[built].append(operation)
        for place, calls in sites.items():
            # The InputLayer a Sequential makes for itself (from a Keras 2 ``input_shape=``, or when it
            # is built by a call) is at the first layer's site or the model's: that line is theirs.
            layers = [call for call in calls if call.operation.class_name != "InputLayer"]
            if layers or place not in self.model_spans:
                self.sites[place] = sorted(layers or calls, key=lambda call: call.id)

    def calls_of(self, operation: Any) -> list[LayerCall]:
        """The applications of a layer that belong to a model (in the order they were made)."""
        return [call for call in operation.calls if call.id in self.models_of]

    def models_named(self, name: str) -> list[ModelSummary]:
        return [model for model in self.models if model.name == name]

    # ------------------------------------------------------------ positions

    def subject_at(self, point: Point) -> Subject | None:
        """What the position names: a variable first, else the innermost layer call, layer or model written there."""
        use = self._use_at(point)
        if use is not None:
            found = self._resolve_use(use, MAX_ALIASES)
            if found is not None:
                return Subject(use.span, found.calls, found.models)
        candidates: list[tuple[Span, Subject]] = []
        for place, calls in self.sites.items():
            if _contains(place, point):
                candidates.append((place, Subject(place, calls=tuple(calls))))
        for place, operations in self.constructions.items():
            if _contains(place, point):
                calls = tuple(call for operation in operations for call in self.calls_of(operation))
                if calls:
                    candidates.append((place, Subject(place, calls=calls)))
        for place, models in self.model_spans.items():
            if _contains(place, point):
                candidates.append((place, Subject(place, models=tuple(models))))
        if not candidates:
            return None
        # The innermost: the latest start, then the earliest end.
        return max(candidates, key=lambda item: ((item[0][0], item[0][1]), (-item[0][2], -item[0][3])))[1]

    def _by_value(self, node: cst.CSTNode, depth: int) -> Subject | None:
        place = self.span(node)
        if place is None:
            return None
        if place in self.sites:
            return Subject(place, calls=tuple(self.sites[place]))
        if place in self.model_spans:
            return Subject(place, models=tuple(self.model_spans[place]))
        if place in self.constructions:
            calls = tuple(call for operation in self.constructions[place] for call in self.calls_of(operation))
            return Subject(place, calls=calls) if calls else None
        if isinstance(node, cst.Name) and depth > 0:
            use = self._use_of.get(id(node))
            return self._resolve_use(use, depth - 1) if use is not None else None
        return None

    # ------------------------------------------------------------ names

    def _use_at(self, point: Point) -> _Use | None:
        self._index_names()
        for use in self._uses.get(point[0], ()):
            if _contains(use.span, point):
                return use
        return None

    def _resolve_use(self, use: _Use, depth: int) -> Subject | None:
        self._index_names()
        binding = use.binding if use.binding is not None else self._binding_for(use)
        if binding is None:
            return None
        if self._scopes[binding.scope].parent is None:
            models = self.models_named(binding.name)
            if models:
                return Subject(use.span, models=tuple(models))
        if binding.value is None:
            return None
        return self._by_value(binding.value, depth)

    def _binding_for(self, use: _Use) -> _Binding | None:
        """The assignment a name refers to, when that is certain."""
        bindings = self._bindings.get((use.scope, use.name))
        start = (use.span[0], use.span[1])
        if bindings:
            before = [binding for binding in bindings if binding.end <= start]
            if not before:
                return None
            for loop in self._scopes[use.scope].loops:
                if _inside(loop, use.span) and any(
                    binding.target is not None and _inside(loop, binding.target) and binding.end > start for binding in bindings
                ):
                    return None  # assigned again later in the loop: the value depends on the iteration
            return max(before, key=lambda binding: binding.end)
        scope = self._scopes[use.scope].parent
        while scope is not None:
            # A class body's names are not seen from its methods.
            outer = self._bindings.get((scope, use.name)) if not isinstance(self._scopes[scope].node, cst.ClassDef) else None
            if outer:
                return outer[0] if len(outer) == 1 else None
            scope = self._scopes[scope].parent
        return None

    def _index_names(self) -> None:
        if self._names_built or self._module is None:
            self._names_built = True
            return
        self._names_built = True
        pending: list[tuple[cst.CSTNode, int | None]] = [(self._module, None)]
        while pending:
            root, parent = pending.pop()
            scope = len(self._scopes)
            self._scopes.append(_Scope(parent, root))
            pending.extend((node, scope) for node in self._scan(root, scope))

    def _scan(self, root: cst.CSTNode, scope: int) -> list[cst.CSTNode]:
        """Record the bindings and uses of one scope; returns the scopes nested in it."""
        nested: list[cst.CSTNode] = []
        skipped: set[int] = set()
        targets: dict[int, _Binding] = {}
        if isinstance(root, (cst.FunctionDef, cst.Lambda)):
            start = self.span(root)
            for param in _parameters(root.params):
                skipped.add(id(param.name))
                self._bind(param.name, None, start, scope, targets)
        for node in walk(root, prune=lambda node: node is not root and isinstance(node, _SCOPES)):
            if node is not root and isinstance(node, _SCOPES):
                nested.append(node)
                if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                    skipped.add(id(node.name))
                    self._bind(node.name, None, self.span(node), scope, targets)
                continue
            if isinstance(node, _LOOPS):
                place = self.span(node)
                if place is not None:
                    self._scopes[scope].loops.append(place)
            if isinstance(node, cst.Attribute):
                skipped.add(id(node.attr))
            elif isinstance(node, cst.Arg) and node.keyword is not None:
                skipped.add(id(node.keyword))
            elif isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
                self._assignment(node, scope, targets)
            elif isinstance(node, (cst.For, cst.CompFor)):
                for name in _names_in(node.target):
                    self._bind(name, None, self.span(name), scope, targets)
            elif isinstance(node, cst.AsName):
                for name in _names_in(node.name):
                    self._bind(name, None, self.span(name), scope, targets)
            elif isinstance(node, cst.ImportAlias):
                for name in _names_in(node.name):
                    skipped.add(id(name))
                if node.asname is None and isinstance(node.name, cst.Name):
                    self._bind(node.name, None, self.span(node), scope, targets)
            elif isinstance(node, cst.Name) and id(node) not in skipped:
                place = self.span(node)
                if place is not None:
                    use = _Use(node.value, place, scope, node, targets.get(id(node)))
                    self._uses[place[0]].append(use)
                    self._use_of[id(node)] = use
        return nested

    def _assignment(self, node: cst.CSTNode, scope: int, targets: dict[int, _Binding]) -> None:
        end = self.span(node)
        if isinstance(node, cst.Assign):
            for target in node.targets:
                value = node.value if isinstance(target.target, cst.Name) else None
                for name in _names_in(target.target):
                    self._bind(name, value, end, scope, targets)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None and isinstance(node.target, cst.Name):
                self._bind(node.target, node.value, end, scope, targets)
        elif isinstance(node, cst.AugAssign):
            for name in _names_in(node.target):
                self._bind(name, None, end, scope, targets)
        elif isinstance(node, cst.NamedExpr) and isinstance(node.target, cst.Name):
            self._bind(node.target, node.value, end, scope, targets)

    def _bind(self, name: cst.Name, value: cst.CSTNode | None, statement: Span | None, scope: int, targets: dict[int, _Binding]) -> None:
        target = self.span(name)
        where = statement or target
        if where is None:
            return
        binding = _Binding(name.value, (where[2], where[3]), target, value, scope)
        self._bindings[(scope, name.value)].append(binding)
        targets[id(name)] = binding


def _parameters(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.append(star)
    return found


def _names_in(target: cst.CSTNode) -> list[cst.Name]:
    """The names a target binds (``a``, ``a, (b, *c)``); attributes and subscripts bind none."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _names_in(element.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []
