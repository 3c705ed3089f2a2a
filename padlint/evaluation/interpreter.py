"""A safe interpreter for the Python that builds Keras models.

It walks libcst nodes and evaluates a subset of Python over evaluator values:
constants, containers, arithmetic, names and scopes, decidable ``if``,
bounded ``for``/``while``, user functions (called with each call's arguments),
comprehensions, user classes (instances, methods, properties, static and class
methods, ``super()``; Keras layer and model subclasses run their ``__init__``),
imports (as qualified names, never imported), and Keras calls (handed to
:class:`~padlint.evaluation.keras_api.KerasRuntime`). Evaluation follows
Python's order (a callee before its arguments), because Keras names layers in
the order they are constructed.

It never runs user code with Python's machinery. What it cannot decide it
treats conservatively: an ``if`` whose condition is unknown executes neither
branch and marks everything the branches assign or mutate as unknown; a loop
over an unknown iterable does the same for its body. Budgets bound steps,
iterations, call depth, nesting and value sizes.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import Any

import libcst as cst

from padlint.evaluation import arrays, numpy_api
from padlint.evaluation.arguments import NamespaceValue, ParserValue, namespace_attribute, parser_attribute
from padlint.evaluation.arrays import ArrayValue, OpenSlice
from padlint.evaluation.budget import AllowanceSpent, Budget, BudgetExceeded
from padlint.evaluation.builtins import (
    BUILTIN_CONSTANTS,
    BUILTINS,
    LIBRARY,
    LIBRARY_CONSTANTS,
    BuiltinFunction,
    Partial,
    iterate,
    length,
)
from padlint.evaluation.custom_layers import CALLING_METHODS, KERAS_WRAPPED_METHODS
from padlint.evaluation.datasets import data_function
from padlint.evaluation.keras_api import KERAS_ROOTS, MERGE_FUNCTIONS, KerasRuntime, keras_path, set_trainable
from padlint.evaluation.operators import (
    binary,
    compare,
    hashes_at_once,
    is_plain,
    plain_work,
    string_method_size,
    truth,
    unary,
)
from padlint.evaluation.values import (
    MISSING,
    BoundMethod,
    ClassValue,
    Closure,
    ConstTensor,
    Instance,
    ModuleRef,
    SuperProxy,
    Unknown,
    class_lookup,
)
from padlint.graph import LayerObj, ModelObj, OpaqueOp, TensorRef
from padlint.layers.registry import known_names
from padlint.symbolic import Sym
from padlint.walk import walk


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Raise(Exception):
    """The code raises here: the rest of this path does not run."""


_MISSING = object()

KERAS_STAR_NAMES = ("Input", "Model", "Sequential", "InputLayer", *MERGE_FUNCTIONS)

BINARY_OPERATORS: dict[type, str] = {
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
    cst.Divide: "/",
    cst.FloorDivide: "//",
    cst.Modulo: "%",
    cst.Power: "**",
    cst.LeftShift: "<<",
    cst.RightShift: ">>",
    cst.BitAnd: "&",
    cst.BitOr: "|",
    cst.BitXor: "^",
    cst.MatrixMultiply: "@",
}
AUGMENTED_OPERATORS: dict[type, str] = {
    cst.AddAssign: "+",
    cst.SubtractAssign: "-",
    cst.MultiplyAssign: "*",
    cst.DivideAssign: "/",
    cst.FloorDivideAssign: "//",
    cst.ModuloAssign: "%",
    cst.PowerAssign: "**",
    cst.LeftShiftAssign: "<<",
    cst.RightShiftAssign: ">>",
    cst.BitAndAssign: "&",
    cst.BitOrAssign: "|",
    cst.BitXorAssign: "^",
    cst.MatrixMultiplyAssign: "@",
}
COMPARISON_OPERATORS: dict[type, str] = {
    cst.Equal: "==",
    cst.NotEqual: "!=",
    cst.LessThan: "<",
    cst.LessThanEqual: "<=",
    cst.GreaterThan: ">",
    cst.GreaterThanEqual: ">=",
    cst.In: "in",
    cst.NotIn: "not in",
    cst.Is: "is",
    cst.IsNot: "is not",
}
UNARY_OPERATORS: dict[type, str] = {cst.Minus: "-", cst.Plus: "+", cst.BitInvert: "~", cst.Not: "not"}

#: Methods of Python containers the evaluator may call on its own values.
LIST_METHODS = frozenset(["append", "extend", "insert", "pop", "remove", "reverse", "copy", "index", "count", "clear"])
DICT_METHODS = frozenset(["get", "items", "keys", "values", "update", "pop", "setdefault", "copy"])
STR_METHODS = frozenset(["format", "lower", "upper", "join", "split", "startswith", "endswith", "replace", "strip", "capitalize", "title", "isdigit"])


class Scope:
    """Variables of a module, function, class body or comprehension."""

    __slots__ = ("globals_declared", "kind", "parent", "star_layer_modules", "uncertain_return", "variables")

    def __init__(self, parent: Scope | None, kind: str) -> None:
        self.variables: dict[str, Any] = {}
        self.parent = parent
        self.kind = kind
        self.globals_declared: set[str] = set()
        self.uncertain_return = False
        #: Keras layer modules star-imported here: they also export layer classes padlint has no spec for.
        self.star_layer_modules: list[str] = []

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.variables:
                return scope.variables[name]
            scope = scope.parent
            while scope is not None and scope.kind == "class":
                scope = scope.parent
        return _MISSING

    def assign(self, name: str, value: Any) -> None:
        target = self.module() if name in self.globals_declared else self
        target.variables[name] = value


#: The values of short string literals seen so far ('same', 'relu', 'channels_last' recur
#: everywhere; libcst evaluates each one with ``ast.literal_eval``, which compiles it).
_STRING_VALUES: dict[str, str | bytes] = {}
_CACHED_STRING_LENGTH = 40


def _names(target: cst.CSTNode) -> set[str]:
    """The names an assignment target binds."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _names(element.value)}
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return set()


class _Effects:
    """Names a block may assign and objects it may mutate (for undecidable branches).

    ``visit_<Node>`` methods are called for each node of the block (:meth:`scan`);
    one returning False keeps the scan out of the node's inside.
    """

    def __init__(self) -> None:
        self.assigned: set[str] = set()
        self.mutated: set[str] = set()
        #: Names whose ``trainable`` flag may be set, also through a loop over their layers
        #: (``for layer in base.layers[:n]: layer.trainable = False``).
        self.trainable_set: set[str] = set()
        #: (loop targets, the names the loop's iterable comes from) of each ``for``, outermost first.
        self._loops: list[tuple[set[str], set[str]]] = []
        #: Names whose array may change shape in place (``x.shape = ...``, ``x.resize(...)``).
        self.reshaped: set[str] = set()
        self.returns = False

    def scan(self, statement: cst.CSTNode) -> None:
        for _ in walk(statement, prune=self._record):
            pass  # _record does the work as the walk reaches each node
        for targets, sources in reversed(self._loops):
            if targets & self.trainable_set:
                self.trainable_set |= sources

    def _record(self, node: cst.CSTNode) -> bool:
        """Record what ``node`` does; whether its inside is left out."""
        method = getattr(self, f"visit_{type(node).__name__}", None)
        return method is not None and method(node) is False

    def _target(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Name):
            self.assigned.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value)
        elif isinstance(node, (cst.Attribute, cst.Subscript)):
            base = node.value
            while isinstance(base, (cst.Attribute, cst.Subscript)):
                base = base.value
            if isinstance(base, cst.Name):
                self.mutated.add(base.value)
                if isinstance(node, cst.Attribute) and node.attr.value == "trainable":
                    self.trainable_set.add(base.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)
        self._reshape(node.target, "shape")

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)
        # Every name the iterable is made from (``base`` in ``enumerate(base.layers[:n])``),
        # not attribute names: assuming too many sources only makes more flags unknown.
        parts = list(walk(node.iter))
        attributes = {id(item.attr) for item in parts if isinstance(item, cst.Attribute)}
        sources = {item.value for item in parts if isinstance(item, cst.Name) and id(item) not in attributes}
        self._loops.append((_names(node.target), sources))

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        return True

    def visit_AsName(self, node: cst.AsName) -> None:
        self._target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            name = node.name
            while isinstance(name, cst.Attribute):
                name = name.value
            if isinstance(name, cst.Name):
                self.assigned.add(name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.returns = True

    def _reshape(self, node: cst.CSTNode, attribute: str) -> None:
        if isinstance(node, cst.Attribute) and node.attr.value == attribute and isinstance(node.value, cst.Name):
            self.reshaped.add(node.value.value)

    def visit_Call(self, node: cst.Call) -> None:
        function = node.func
        if isinstance(function, cst.Attribute):
            self._target(function)
            self._reshape(function, "resize")
        for argument in node.args:
            if isinstance(argument.value, cst.Name):
                self.mutated.add(argument.value.value)


class Interpreter:
    """Evaluates one module; the Keras objects it builds are on ``self.keras``."""

    def __init__(self, module: cst.Module, budget: Budget | None = None, input_overrides: dict | None = None, text: str | None = None) -> None:
        self.module = module
        #: Without the word ``yield`` in the source no function is a generator: the
        #: per-function syntax walk that would tell (a libcst visit, ~10 ms each) is skipped.
        self._may_yield = text is None or "yield" in text
        self.budget = budget or Budget()
        self.keras = KerasRuntime(self, input_overrides)
        self.module_scope = Scope(None, "module")
        self._function_stack: list[str] = []
        #: (class defining the running method, its ``self``) per call, for zero-argument ``super()``.
        self._method_stack: list[tuple[Any, Any]] = []
        #: The call node of the builtin being evaluated (``sum(tensors)`` makes operations there).
        self.call_site: cst.CSTNode | None = None
        self._expression_depth = 0
        self._module_functions: list[Closure] = []
        #: The names each loop reads (None: it defines, imports or declares something), and
        #: whether a loop that builds nothing is running with its step allowance.
        self._loop_reads: dict[cst.CSTNode, frozenset[str] | None] = {}
        self._allowance_running = False
        #: Names a snippet uses unbound, taken as Keras' (name -> qualified name), in order of use.
        self.assumed_names: dict[str, str] = {}
        #: Whether the file imports another neural-network library (``from torch.nn import *``):
        #: its ``Sequential``, ``Dense`` or ``ReLU`` are that library's, so no name is taken as Keras'.
        self._other_framework = False
        #: Whether ``parse_args()`` was taken as a run without command-line arguments.
        self.assumed_defaults = False
        self._generators: dict[cst.FunctionDef, bool] = {}
        self._statement_handlers: dict[type, Callable[[Any, Scope], None]] = {
            cst.SimpleStatementLine: self._exec_simple_line,
            cst.If: self._exec_if,
            cst.For: self._exec_for,
            cst.While: self._exec_while,
            cst.FunctionDef: self._exec_def,
            cst.ClassDef: self._exec_class,
            cst.With: self._exec_with,
            cst.Try: self._exec_try,
        }
        self._small_handlers: dict[type, Callable[[Any, Scope], None]] = {
            cst.Expr: lambda node, scope: self.eval(node.value, scope),
            cst.Assign: self._exec_assign,
            cst.AnnAssign: self._exec_annassign,
            cst.AugAssign: self._exec_augassign,
            cst.Return: self._exec_return,
            cst.Import: self._exec_import,
            cst.ImportFrom: self._exec_import_from,
            cst.Pass: lambda node, scope: None,
            cst.Break: self._exec_break,
            cst.Continue: self._exec_continue,
            cst.Global: self._exec_global,
            cst.Nonlocal: lambda node, scope: None,
            cst.Del: self._exec_del,
            cst.Assert: lambda node, scope: None,
            cst.Raise: self._exec_raise,
        }
        self._expression_handlers: dict[type, Callable[[Any, Scope], Any]] = {
            cst.Name: self._eval_name,
            cst.Integer: self._eval_integer,
            cst.Float: self._eval_float,
            cst.Imaginary: lambda node, scope: Unknown("complex number"),
            cst.SimpleString: self._eval_string,
            cst.ConcatenatedString: self._eval_string,
            cst.FormattedString: self._eval_fstring,
            cst.Tuple: self._eval_tuple,
            cst.List: self._eval_list,
            cst.Set: self._eval_set,
            cst.Dict: self._eval_dict,
            cst.BinaryOperation: self._eval_binary,
            cst.UnaryOperation: self._eval_unary,
            cst.BooleanOperation: self._eval_boolean,
            cst.Comparison: self._eval_comparison,
            cst.IfExp: self._eval_ifexp,
            cst.Call: self._eval_call,
            cst.Attribute: self._eval_attribute,
            cst.Subscript: self._eval_subscript,
            cst.Lambda: self._eval_lambda,
            cst.ListComp: self._eval_comprehension,
            cst.SetComp: self._eval_comprehension,
            cst.GeneratorExp: self._eval_comprehension,
            cst.DictComp: self._eval_comprehension,
            cst.NamedExpr: self._eval_namedexpr,
            cst.Ellipsis: lambda node, scope: ...,
        }

    # ------------------------------------------------------------------ entry

    def run(self) -> None:
        """Evaluate the module, then builder functions it never calls (with their defaults)."""
        previous_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous_limit, 6000))
        try:
            self._run_guarded(lambda: self.exec_block(self.module.body, self.module_scope))
            self._name_collected_models()
            for closure in list(self._module_functions):
                if not closure.called and self._builds_something(closure):
                    self.keras.names.reset()
                    self._run_guarded(lambda closure=closure: self.call_closure(closure, [], {}))
        finally:
            sys.setrecursionlimit(previous_limit)

    def _name_collected_models(self) -> None:
        """Models the module keeps in a list, tuple or dict (``models.append(build(units))`` in a
        loop) are named by where they are: ``models[0]``, ``models['small']``."""
        for name, value in list(self.module_scope.variables.items()):
            if isinstance(value, (list, tuple)) and len(value) <= self.budget.max_collection:
                items = list(enumerate(value))
            elif isinstance(value, dict):
                items = list(value.items())
            else:
                continue
            for key, item in items:
                if isinstance(item, ModelObj) and item.variable is None and isinstance(key, (int, str)):
                    item.variable = f"{name}[{key!r}]"

    def _run_guarded(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except BudgetExceeded as exhausted:
            self.budget.note(str(exhausted))
        except RecursionError:
            self.budget.note("evaluation stopped: nesting too deep")
        except (_Raise, _Return, _Break, _Continue):
            pass

    def _builds_something(self, closure: Closure) -> bool:
        """Only functions that call something can build a model; skip the rest cheaply."""
        return any(isinstance(node, cst.Call) for node in walk(closure.node))

    def current_function(self) -> str | None:
        return self._function_stack[-1] if self._function_stack else None

    # ------------------------------------------------------------- statements

    def exec_block(self, statements, scope: Scope) -> None:
        for statement in statements:
            self.budget.step()
            handler = self._statement_handlers.get(type(statement)) or self._small_handlers.get(type(statement))
            if handler is None:
                self.havoc([statement], scope, f"{type(statement).__name__} statement is not modelled")
            else:
                handler(statement, scope)

    def _body(self, suite) -> list:
        return list(suite.body)

    def _exec_simple_line(self, node: cst.SimpleStatementLine, scope: Scope) -> None:
        for small in node.body:
            handler = self._small_handlers.get(type(small))
            if handler is not None:
                handler(small, scope)

    def _exec_assign(self, node: cst.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign_target(target.target, value, scope)

    def _exec_annassign(self, node: cst.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.assign_target(node.target, self.eval(node.value, scope), scope)

    def _exec_augassign(self, node: cst.AugAssign, scope: Scope) -> None:
        current = self.eval(node.target, scope)
        operand = self.eval(node.value, scope)
        op = AUGMENTED_OPERATORS[type(node.operator)]
        if isinstance(current, ArrayValue):
            # ``x /= 255``, ``x -= mean``: in place, the array keeps its shape and dtype whatever the
            # operand (NumPy raises where the result would not fit in it).
            return
        if isinstance(current, list) and op == "+" and isinstance(operand, (list, tuple)):
            if len(current) + len(operand) > self.budget.max_collection:
                self.assign_target(node.target, Unknown("list too long"), scope)
            else:
                current.extend(operand)
            return
        self.assign_target(node.target, self.binary(op, current, operand, node), scope)

    def _exec_return(self, node: cst.Return, scope: Scope) -> None:
        raise _Return(self.eval(node.value, scope) if node.value is not None else None)

    def _exec_break(self, node, scope) -> None:
        raise _Break()

    def _exec_continue(self, node, scope) -> None:
        raise _Continue()

    def _exec_raise(self, node, scope) -> None:
        raise _Raise()

    def _exec_global(self, node: cst.Global, scope: Scope) -> None:
        scope.globals_declared.update(item.name.value for item in node.names)

    def _exec_del(self, node: cst.Del, scope: Scope) -> None:
        if isinstance(node.target, cst.Name):
            scope.variables.pop(node.target.value, None)

    def _exec_import(self, node: cst.Import, scope: Scope) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            self._note_framework(dotted)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                scope.assign(alias.asname.name.value, ModuleRef(dotted))
            else:
                head = dotted.split(".")[0]
                scope.assign(head, ModuleRef(head))

    def _exec_import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        module = ("." * len(node.relative)) + (_dotted(node.module) if node.module is not None else "")
        self._note_framework(module)
        if isinstance(node.names, cst.ImportStar):
            for name in star_names(module):
                scope.assign(name, ModuleRef(f"{module}.{name}"))
            path = keras_path(module)
            if path is not None and "layers" in path:
                scope.star_layer_modules.append(module)
            return
        for alias in node.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            scope.assign(bound, ModuleRef(f"{module}.{name}"))

    def _note_framework(self, module: str) -> None:
        if module.partition(".")[0] in OTHER_FRAMEWORKS:
            self._other_framework = True

    def _exec_if(self, node: cst.If, scope: Scope) -> None:
        branch: Any = node
        while isinstance(branch, cst.If):
            decided = truth(self.eval(branch.test, scope))
            if decided is None:
                self.havoc([branch], scope, "a condition padlint cannot decide", branch)
                return
            if decided:
                self.exec_block(self._body(branch.body), scope)
                return
            branch = branch.orelse
        if isinstance(branch, cst.Else):
            self.exec_block(self._body(branch.body), scope)

    def _exec_for(self, node: cst.For, scope: Scope) -> None:
        iterable = self.eval(node.iter, scope)
        if self._allowance_running or not self._is_inert(node, scope, iterable):
            self._for_loop(node, iterable, scope)
            return
        self._run_inert(node, scope, lambda: self._for_loop(node, iterable, scope))

    def _for_loop(self, node: cst.For, iterable: Any, scope: Scope) -> None:
        items = iterate(iterable, self)
        if items is None:
            self.havoc([node], scope, "a loop over values padlint cannot know", node)
            return
        broke = False
        for item in items:
            self.budget.step()
            self.assign_target(node.target, item, scope)
            try:
                self.exec_block(self._body(node.body), scope)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        if not broke and node.orelse is not None:
            self.exec_block(self._body(node.orelse.body), scope)

    def _exec_while(self, node: cst.While, scope: Scope) -> None:
        if self._allowance_running or not self._is_inert(node, scope, None):
            self._while_loop(node, scope)
            return
        self._run_inert(node, scope, lambda: self._while_loop(node, scope))

    def _while_loop(self, node: cst.While, scope: Scope) -> None:
        for _ in range(self.budget.max_iterations):
            self.budget.step()
            decided = truth(self.eval(node.test, scope))
            if decided is None:
                self.havoc([node], scope, "a while loop whose condition cannot be decided", node)
                return
            if not decided:
                if node.orelse is not None:
                    self.exec_block(self._body(node.orelse.body), scope)
                return
            try:
                self.exec_block(self._body(node.body), scope)
            except _Break:
                return
            except _Continue:
                continue
        if not self._allowance_running:
            self.budget.note(f"a while loop ran past the iteration budget ({self.budget.max_iterations:,})")
        self.havoc([node], scope, "a while loop ran past the iteration budget", node)

    # ------------------------------------------------- loops that build nothing

    def _run_inert(self, node: cst.CSTNode, scope: Scope, run: Callable[[], None]) -> None:
        """Run a loop that cannot build a model (a data-generation loop) with a bounded number
        of steps; past them, forget what it changes (havoc) instead of spending the file's
        budget on it. No note: what it leaves unknown is unknown where it is used, and as it
        creates no layer, no name Keras gives later depends on it."""
        budget = self.budget
        budget.allowance_end = budget.steps + budget.allowance()
        self._allowance_running = True
        try:
            run()
        except AllowanceSpent:
            self.havoc([node], scope, "a loop that builds nothing ran past padlint's allowance for such loops", node)
        finally:
            budget.allowance_end = None
            self._allowance_running = False

    def _is_inert(self, node: cst.CSTNode, scope: Scope, iterable: Any) -> bool:
        """Whether running the loop certainly creates no Keras object, names nothing Keras
        names and calls no user code: it reads only names bound to plain values, arrays,
        unknowns, builtins and non-Keras modules, and defines, imports and declares nothing."""
        reads = self._loop_reads.get(node, _MISSING)
        if reads is _MISSING:
            reads = _names_read(node)
            self._loop_reads[node] = reads
        if reads is None or not _inert_value(iterable):
            return False
        for name in reads:
            value = scope.lookup(name)
            if value is _MISSING:
                if name in BUILTINS or name in BUILTIN_CONSTANTS:
                    continue
                if _snippet_keras_name(name) is not None:
                    return False
                continue
            if not _inert_value(value):
                return False
        return True

    def _exec_def(self, node: cst.FunctionDef, scope: Scope) -> None:
        closure = Closure(node=node, scope=self._closure_scope(scope), name=node.name.value)
        closure.defaults = self._defaults(node.params, scope)
        for decorator in node.decorators:
            name = _dotted(decorator.decorator)
            if name in ("staticmethod", "classmethod", "property"):
                closure.kind = {"staticmethod": "static", "classmethod": "class", "property": "property"}[name]
        scope.assign(node.name.value, closure)
        if scope.kind == "module":
            self._module_functions.append(closure)

    def _closure_scope(self, scope: Scope) -> Scope:
        while scope.kind == "class" and scope.parent is not None:
            scope = scope.parent
        return scope

    def _defaults(self, params: cst.Parameters, scope: Scope) -> dict[str, Any]:
        defaults = {}
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, scope)
        return defaults

    def _exec_class(self, node: cst.ClassDef, scope: Scope) -> None:
        bases = tuple(self.eval(base.value, scope) for base in node.bases)
        class_scope = Scope(scope, "class")
        try:
            self.exec_block(self._body(node.body), class_scope)
        except (_Return, _Break, _Continue, _Raise):
            pass
        cls = ClassValue(node=node, name=node.name.value, bases=bases, namespace=class_scope.variables)
        for value in class_scope.variables.values():
            if isinstance(value, Closure) and value.owner is None:
                value.owner = cls
        scope.assign(node.name.value, cls)

    def _exec_with(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            self.eval(item.item, scope)
            if item.asname is not None:
                self.assign_target(item.asname.name, Unknown("context manager value"), scope)
        self.exec_block(self._body(node.body), scope)

    def _exec_try(self, node: cst.Try, scope: Scope) -> None:
        try:
            self.exec_block(self._body(node.body), scope)
            if node.orelse is not None:
                self.exec_block(self._body(node.orelse.body), scope)
        except _Raise:
            pass
        finally:
            if node.finalbody is not None:
                self.exec_block(self._body(node.finalbody.body), scope)

    def havoc(self, statements: list, scope: Scope, reason: str, node: cst.CSTNode | None = None) -> None:
        """Forget what an undecidable block may change: its assignments and the objects it mutates."""
        effects = _Effects()
        for statement in statements:
            effects.scan(statement)
        for name in effects.assigned:
            scope.assign(name, Unknown(reason))
        for name in effects.mutated:
            value = scope.lookup(name)
            if isinstance(value, ModelObj):
                value.uncertain.append(reason)
            elif isinstance(value, (list, dict, set)):
                scope.assign(name, Unknown(reason))
            elif isinstance(value, LayerObj):
                value.trainable = Unknown(reason)
            elif isinstance(value, ArrayValue) and name in effects.reshaped:
                scope.assign(name, Unknown(reason))
            # An array written into (``x[i] = ...``, ``np.random.shuffle(x)``) keeps its shape.
        for name in effects.trainable_set:
            value = scope.lookup(name)
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, (LayerObj, ModelObj)):
                    set_trainable(item, Unknown(reason))
        if effects.returns:
            scope.uncertain_return = True

    # ------------------------------------------------------------ assignment

    def assign_target(self, target: cst.CSTNode, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self._note_binding(target.value, value, scope)
            scope.assign(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            self._unpack(target, value, scope)
        elif isinstance(target, cst.Attribute):
            receiver = self.eval(target.value, scope)
            name = target.attr.value
            if isinstance(receiver, ArrayValue):
                numpy_api.set_attribute(receiver, name, value)
                return
            if isinstance(receiver, NamespaceValue):
                receiver.attributes[name] = value
                return
            keras_object = isinstance(receiver, (LayerObj, ModelObj))
            if isinstance(receiver, Instance) or (keras_object and receiver.user_class is not None and name != "trainable"):
                receiver.attributes[name] = value
            elif not self.keras.set_attribute(receiver, name, value) and isinstance(receiver, ClassValue):
                receiver.namespace[name] = value
        elif isinstance(target, cst.Subscript):
            self._assign_item(target, value, scope)
        elif isinstance(target, cst.StarredElement):
            self.assign_target(target.value, value, scope)

    def _note_binding(self, name: str, value: Any, scope: Scope) -> None:
        if not isinstance(value, ModelObj):
            return
        if scope.kind == "module" and value.variable is None:
            value.variable = name
        elif scope.kind != "module" and value.local_variable is None:
            value.local_variable = name

    def _unpack(self, target: cst.Tuple | cst.List, value: Any, scope: Scope) -> None:
        elements = [element.value for element in target.elements]
        items = list(value) if isinstance(value, (list, tuple)) else None
        starred = [i for i, element in enumerate(target.elements) if isinstance(element, cst.StarredElement)]
        if items is not None and not starred and len(items) != len(elements):
            items = None
        if items is not None and starred:
            star = starred[0]
            after = len(elements) - star - 1
            if len(items) < len(elements) - 1:
                items = None
            else:
                items = items[:star] + [list(items[star : len(items) - after])] + items[len(items) - after :]
        for index, element in enumerate(elements):
            self.assign_target(element, items[index] if items is not None else Unknown("unpacking an unknown value"), scope)

    def _assign_item(self, target: cst.Subscript, value: Any, scope: Scope) -> None:
        container = self.eval(target.value, scope)
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            if isinstance(target.value, cst.Name) and isinstance(container, (list, dict)):
                scope.assign(target.value.value, Unknown("slice assignment"))
            return
        key = self.eval(target.slice[0].slice.value, scope)
        if isinstance(container, dict) and is_plain(key) and not isinstance(key, (list, dict, set)) or isinstance(container, list) and isinstance(key, int) and -len(container) <= key < len(container):
            container[key] = value
        elif isinstance(target.value, cst.Name) and isinstance(container, (list, dict)):
            scope.assign(target.value.value, Unknown("item assignment with an unknown key"))

    # ------------------------------------------------------------ expressions

    def eval(self, node: cst.CSTNode, scope: Scope) -> Any:
        self.budget.step()
        handler = self._expression_handlers.get(type(node))
        if handler is None:
            return Unknown(f"{type(node).__name__} expression is not modelled")
        self._expression_depth += 1
        try:
            if self._expression_depth > self.budget.max_expression_depth:
                self.budget.note("an expression is nested too deeply")
                return Unknown("expression nested too deeply")
            return handler(node, scope)
        finally:
            self._expression_depth -= 1

    def _eval_name(self, node: cst.Name, scope: Scope) -> Any:
        value = scope.lookup(node.value)
        if value is not _MISSING:
            return value
        if node.value in BUILTIN_CONSTANTS:
            return BUILTIN_CONSTANTS[node.value]
        if node.value in BUILTINS:
            return BuiltinFunction(node.value, BUILTINS[node.value])
        if node.value[:1].isupper():
            star = _star_layer_module(scope)
            if star is not None:
                # A class of a star-imported Keras layer module that padlint has no spec for:
                # Keras still names and applies it, so it becomes an unknown layer, not an unknown name.
                return ModuleRef(f"{star}.{node.value}")
            qualname = None if self._other_framework else _snippet_keras_name(node.value)
            if qualname is not None:
                # A snippet (a question's code, a notebook cell out of context, a star import of a
                # module padlint cannot read): a Keras class name never bound is Keras' class.
                self.assumed_names.setdefault(node.value, qualname)
                return ModuleRef(qualname)
        elif node.value in SNIPPET_MODULES:
            # A snippet's ``tf.keras.Sequential`` or ``np.zeros`` without its import: these
            # aliases are the libraries' own convention, never anything else in Keras code.
            self.assumed_names.setdefault(node.value, SNIPPET_MODULES[node.value])
            return ModuleRef(SNIPPET_MODULES[node.value])
        return Unknown(f"name {node.value!r} is not defined here")

    def _eval_integer(self, node: cst.Integer, scope: Scope) -> Any:
        text = node.value
        if len(text) > 400:
            return Unknown("integer literal too long")
        return int(text, 0) if not (len(text) > 1 and text[0] == "0" and text[1].isdigit()) else int(text.replace("_", ""))

    def _eval_float(self, node: cst.Float, scope: Scope) -> Any:
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return Unknown("float literal")

    def _eval_string(self, node: cst.CSTNode, scope: Scope) -> Any:
        literal = node.value if isinstance(node, cst.SimpleString) else None
        if literal is not None and literal in _STRING_VALUES:
            return _STRING_VALUES[literal]
        try:
            with warnings.catch_warnings():
                # ``"\d"``: libcst evaluates with Python, which warns (a SyntaxWarning printed on
                # stderr from Python 3.12) about the user's code; not padlint's to print.
                warnings.simplefilter("ignore")
                value = node.evaluated_value
        except Exception:  # noqa: BLE001 - libcst raises for unusual literals
            return Unknown("string literal")
        if value is None:
            return Unknown("string literal")
        if literal is not None and len(literal) <= _CACHED_STRING_LENGTH:
            _STRING_VALUES[literal] = value
        return value

    def _eval_fstring(self, node: cst.FormattedString, scope: Scope) -> Any:
        parts = []
        size = 0
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
                continue
            value = self.eval(part.expression, scope)
            if part.format_spec or not (is_plain(value) and isinstance(value, (int, float, str, bool, type(None)))):
                return Unknown("formatted string")
            parts.append(repr(value) if part.conversion == "r" else str(value))
            size += len(parts[-1])
            if size > self.budget.max_collection:
                return Unknown("string too long")
        return "".join(parts)

    def _elements(self, elements, scope: Scope) -> list | Unknown:
        values: list = []
        for element in elements:
            if isinstance(element, cst.StarredElement):
                spread = iterate(self.eval(element.value, scope), self)
                if spread is None:
                    return Unknown("unpacking an unknown iterable")
                values.extend(spread)
            else:
                values.append(self.eval(element.value, scope))
            if len(values) > self.budget.max_collection:
                return Unknown("collection too large")
        return values

    def _eval_tuple(self, node: cst.Tuple, scope: Scope) -> Any:
        values = self._elements(node.elements, scope)
        return values if isinstance(values, Unknown) else tuple(values)

    def _eval_list(self, node: cst.List, scope: Scope) -> Any:
        return self._elements(node.elements, scope)

    def _eval_set(self, node: cst.Set, scope: Scope) -> Any:
        values = self._elements(node.elements, scope)
        if isinstance(values, Unknown) or not is_plain(values):
            return Unknown("set of values padlint does not model")
        try:
            return set(values)
        except TypeError:
            return Unknown("set of unhashable values")

    def _eval_dict(self, node: cst.Dict, scope: Scope) -> Any:
        result: dict = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self.eval(element.value, scope)
                if not isinstance(spread, dict):
                    return Unknown("unpacking an unknown mapping")
                result.update(spread)
                continue
            key = self.eval(element.key, scope)
            if not is_plain(key) or isinstance(key, (list, dict, set)):
                return Unknown("dict with keys padlint does not model")
            result[key] = self.eval(element.value, scope)
        return result

    def binary(self, op: str, left: Any, right: Any, node: cst.CSTNode | None) -> Any:
        if isinstance(left, (TensorRef, ConstTensor)) or isinstance(right, (TensorRef, ConstTensor)):
            return self.keras.tensor_operator(op, _for_keras(left), _for_keras(right), node)
        if isinstance(left, ArrayValue) or isinstance(right, ArrayValue):
            return numpy_api.binary(op, left, right)
        if op == "+" and isinstance(left, list) and isinstance(right, list):
            if len(left) + len(right) > self.budget.max_collection:
                return Unknown("list too long")
            return left + right
        if op == "+" and isinstance(left, tuple) and isinstance(right, tuple):
            if len(left) + len(right) > self.budget.max_collection:
                return Unknown("tuple too long")
            return left + right
        if op == "*" and isinstance(left, (list, tuple)) and isinstance(right, int) and not is_plain(left):
            if len(left) * max(right, 0) > self.budget.max_collection:
                return Unknown("list too long")
            return left * right
        return binary(op, left, right, self.budget)

    def _eval_binary(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(BINARY_OPERATORS[type(node.operator)], left, right, node)

    def _eval_unary(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        operand = self.eval(node.expression, scope)
        if isinstance(operand, (TensorRef, ConstTensor)):
            return self.keras.tensor_unary(UNARY_OPERATORS[type(node.operator)], operand, node)
        if isinstance(operand, ArrayValue):
            return numpy_api.unary(UNARY_OPERATORS[type(node.operator)], operand)
        return unary(UNARY_OPERATORS[type(node.operator)], operand)

    def _eval_boolean(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        decided = truth(left)
        if decided is None:
            return Unknown("undecidable boolean operation")
        if isinstance(node.operator, cst.And):
            return self.eval(node.right, scope) if decided else left
        return left if decided else self.eval(node.right, scope)

    def _eval_comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            op = COMPARISON_OPERATORS[type(target.operator)]
            if isinstance(left, TensorRef) or isinstance(right, TensorRef):
                if op in ("is", "is not", "==", "in", "not in"):
                    outcome = compare(op, left, right)
                elif len(node.comparisons) == 1:
                    return self.keras.tensor_operator(op, left, right, node)
                else:
                    return Unknown("chained comparison of tensors")
            elif (left is None and isinstance(right, Sym)) or (right is None and isinstance(left, Sym)):
                outcome = self._compare_with_none(op, right if left is None else left)
            elif (op in ("==", "!=") and (self._keras_none(left) or self._keras_none(right))) or (op in ("in", "not in") and self._keras_none(left)):
                # Keras' None on one side (or both): ``p.shape[2] != ip.shape[2]`` compares None with None.
                outcome = compare(op, None if self._keras_none(left) else left, None if self._keras_none(right) else right)
            elif (isinstance(left, ArrayValue) or isinstance(right, ArrayValue)) and op not in ("is", "is not"):
                if len(node.comparisons) != 1:
                    return Unknown("chained comparison of arrays")
                return numpy_api.binary(op, left, right)
            else:
                outcome = compare(op, left, right)
            if isinstance(outcome, Unknown):
                result = outcome
            elif not outcome:
                return False
            left = right
        return result

    def _compare_with_none(self, op: str, dim: Sym) -> Any:
        """``x.shape[1] is None``: a symbolic dimension standing for Keras' None (an
        ``Input(shape=(None, ...))`` axis, or an expression of those) is None to the
        code; one standing for a number padlint does not know is not decidable."""
        if op not in ("is", "is not", "==", "!="):
            return Unknown("comparison of a dimension with None")
        if not dim.symbols() <= self.keras.none_symbols:
            return Unknown("a dimension padlint does not know compared with None")
        return op in ("is", "==")

    def _keras_none(self, value: Any) -> bool:
        """A dimension that is ``None`` to Keras: an expression with an open axis of an input in
        it (Keras computes None from None)."""
        return isinstance(value, Sym) and value.is_keras_none()

    def _eval_ifexp(self, node: cst.IfExp, scope: Scope) -> Any:
        decided = truth(self.eval(node.test, scope))
        if decided is None:
            return Unknown("conditional expression with an undecidable condition")
        return self.eval(node.body if decided else node.orelse, scope)

    def _eval_lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        closure = Closure(node=node, scope=scope, name="<lambda>")
        closure.defaults = self._defaults(node.params, scope)
        return closure

    def _eval_namedexpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign_target(node.target, value, scope)
        return value

    def _eval_attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        return self.get_attribute(self.eval(node.value, scope), node.attr.value, node)

    def get_attribute(self, value: Any, name: str, node: cst.CSTNode | None) -> Any:
        if isinstance(value, ModuleRef):
            qualname = f"{value.qualname}.{name}"
            return LIBRARY_CONSTANTS.get(qualname, ModuleRef(qualname))
        if isinstance(value, Unknown):
            return value
        if isinstance(value, ArrayValue):
            return numpy_api.attribute(value, name)
        if isinstance(value, NamespaceValue):
            return namespace_attribute(value, name)
        if isinstance(value, ParserValue):
            return parser_attribute(value, name)
        if isinstance(value, Instance) or (isinstance(value, (LayerObj, ModelObj)) and value.user_class is not None):
            found = self.instance_attribute(value, name)
            if found is not MISSING:
                return found
            if isinstance(value, Instance):
                return Unknown(f"{value.cls.name}.{name}")
        if isinstance(value, (TensorRef, LayerObj, ModelObj, OpaqueOp)):
            return self.keras.attribute(value, name)
        if isinstance(value, ClassValue):
            found, _ = class_lookup(value, name)
            if found is MISSING:
                return Unknown(f"{value.name}.{name}")
            if isinstance(found, Closure) and found.kind == "class":
                return Partial(found, (value,), {})
            return found
        if isinstance(value, SuperProxy):
            return self.super_attribute(value, name)
        if isinstance(value, list) and name in LIST_METHODS:
            return BoundMethod(value, name)
        if isinstance(value, dict) and name in DICT_METHODS:
            return BoundMethod(value, name)
        if isinstance(value, str) and name in STR_METHODS:
            return BoundMethod(value, name)
        if isinstance(value, tuple) and name in ("as_list", "index", "count"):
            return BoundMethod(value, name)
        return Unknown(f".{name} of a value padlint does not model")

    def instance_attribute(self, instance: Any, name: str) -> Any:
        """An attribute of an object of a user class: its own, else a (bound) class member."""
        if name in instance.attributes:
            return instance.attributes[name]
        cls = instance.cls if isinstance(instance, Instance) else instance.user_class
        found, _ = class_lookup(cls, name)
        if found is MISSING:
            return MISSING
        return self.bind(found, instance, cls)

    def bind(self, member: Any, instance: Any, cls: ClassValue) -> Any:
        """A class member seen through an instance: methods get ``self``, properties run."""
        if not isinstance(member, Closure):
            return member
        if member.kind == "static":
            return member
        if member.kind == "class":
            return Partial(member, (cls,), {})
        if member.kind == "property":
            return self.call_closure(member, [instance], {})
        return Partial(member, (instance,), {})

    def super_attribute(self, proxy: SuperProxy, name: str) -> Any:
        """``super().name``: the member of the first base after ``owner`` that has it;
        Keras' own ``__init__`` (and anything else of a Keras base) does nothing padlint needs."""
        for base in proxy.owner.bases:
            if isinstance(base, ClassValue):
                found, defining = class_lookup(base, name)
                if found is not MISSING:
                    return self.bind(found, proxy.instance, defining)
        found = self.keras.super_member(proxy.instance, name)
        if found is not MISSING:
            return found
        if name == "__init__":
            return BuiltinFunction("super().__init__", lambda interp, args, kwargs: None)
        return Unknown(f"super().{name}")

    def _eval_subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        container = self.eval(node.value, scope)
        if isinstance(container, ArrayValue):
            return self._array_subscript(container, node, scope)
        parts = [self._subscript_part(element.slice, scope) for element in node.slice]
        key: Any = parts[0] if len(parts) == 1 else tuple(parts)
        if isinstance(container, (TensorRef, ConstTensor)):
            if any(isinstance(part, Unknown) for part in parts):
                key = Unknown("subscript with unknown bounds")
            return self.keras.tensor_getitem(container, key, node)
        if len(node.slice) != 1:
            return Unknown("multi-dimensional subscript")
        if isinstance(container, Unknown) or isinstance(key, Unknown):
            return Unknown("subscript of an unknown value")
        if isinstance(container, (list, tuple, str, range)):
            if isinstance(key, slice) or (isinstance(key, int) and not isinstance(key, bool) and -length(container) <= key < length(container)):
                return container[key]
            return Unknown("index out of range")
        if isinstance(container, dict):
            if not hashes_at_once(key):
                return Unknown("a key padlint does not model")
            try:
                return container.get(key, Unknown("missing key"))
            except TypeError:
                return Unknown("unhashable key")
        return Unknown("subscript of a value padlint does not model")

    def _array_subscript(self, array: ArrayValue, node: cst.Subscript, scope: Scope) -> Any:
        """``x[:1000]``, ``x[..., None]``, ``x[:, :, np.newaxis]``, ``x[indices]``: NumPy's indexing
        on the shape (a slice with unknown bounds keeps its axis, of unknown extent)."""
        parts: list[Any] = []
        for element in node.slice:
            part = element.slice
            if isinstance(part, cst.Index):
                value = self.eval(part.value, scope)
                if isinstance(value, Unknown) or isinstance(value, bool):
                    return Unknown("an array indexed by a value padlint does not know")
                parts.append(value)
                continue
            bounds = [self.eval(bound, scope) if bound is not None else None for bound in (part.lower, part.upper, part.step)]
            if all(bound is None or (isinstance(bound, int) and not isinstance(bound, bool)) for bound in bounds):
                parts.append(slice(*bounds))
            else:
                parts.append(OpenSlice())
        key = parts[0] if len(parts) == 1 and not isinstance(parts[0], tuple) else tuple(item for part in parts for item in (part if isinstance(part, tuple) else (part,)))
        try:
            shape = arrays.index(array.shape, key)
        except ValueError:
            return Unknown("an index of an array padlint does not model")
        keeps_all = all(part is None or part is ... or part == slice(None) for part in (key if isinstance(key, tuple) else (key,)))
        return ArrayValue(shape, array.dtype, array.classes if keeps_all else None)

    def _subscript_part(self, element: cst.BaseSlice, scope: Scope) -> Any:
        """One element of a subscript: an index value, or a slice with known integer bounds."""
        if isinstance(element, cst.Index):
            return self.eval(element.value, scope)
        bounds = [self.eval(part, scope) if part is not None else None for part in (element.lower, element.upper, element.step)]
        if not all(bound is None or (isinstance(bound, int) and not isinstance(bound, bool)) for bound in bounds):
            return Unknown("slice with unknown bounds")
        if bounds[2] == 0:
            return Unknown("slice step cannot be zero")
        return slice(*bounds)

    def _eval_comprehension(self, node: cst.CSTNode, scope: Scope) -> Any:
        if self._allowance_running or not self._is_inert(node, scope, None):
            return self._comprehension(node, scope)
        result: list = [Unknown("a comprehension that builds nothing ran past padlint's allowance for such loops")]

        def run() -> None:
            result[0] = self._comprehension(node, scope)

        self._run_inert(node, scope, run)
        return result[0]

    def _comprehension(self, node: cst.CSTNode, scope: Scope) -> Any:
        local = Scope(scope, "comprehension")
        results: list = []
        if not self._comprehension_loop(node.for_in, node, local, results):
            return Unknown("comprehension over values padlint cannot know")
        if isinstance(node, cst.DictComp):
            if not all(hashes_at_once(key) for key, _ in results):
                return Unknown("dict comprehension with keys padlint does not model")
            try:
                return dict(results)
            except TypeError:
                return Unknown("dict comprehension with unhashable keys")
        if isinstance(node, cst.SetComp):
            return set(results) if is_plain(results) else Unknown("set of values padlint does not model")
        return results

    def _comprehension_loop(self, comp_for: cst.CompFor, node, scope: Scope, results: list) -> bool:
        items = iterate(self.eval(comp_for.iter, scope), self)
        if items is None:
            return False
        for item in items:
            self.budget.step()
            self.assign_target(comp_for.target, item, scope)
            keep = True
            for condition in comp_for.ifs:
                decided = truth(self.eval(condition.test, scope))
                if decided is None:
                    return False
                if not decided:
                    keep = False
                    break
            if not keep:
                continue
            if comp_for.inner_for_in is not None:
                if not self._comprehension_loop(comp_for.inner_for_in, node, scope, results):
                    return False
            elif isinstance(node, cst.DictComp):
                results.append((self.eval(node.key, scope), self.eval(node.value, scope)))
            else:
                results.append(self.eval(node.elt, scope))
            if len(results) > self.budget.max_collection:
                return False
        return True

    # ------------------------------------------------------------------ calls

    def _eval_call(self, node: cst.Call, scope: Scope) -> Any:
        # Python's order: the callee first (``layers.Dense(4)`` in
        # ``layers.Dense(4)(layers.Dense(8)(x))`` is constructed, and named, first), then the arguments.
        keras_receiver: Any = None
        function: Any = None
        if isinstance(node.func, cst.Attribute):
            receiver = self.eval(node.func.value, scope)
            name = node.func.attr.value
            member: Any = MISSING
            if isinstance(receiver, (ModelObj, LayerObj)) and receiver.user_class is not None and name not in KERAS_WRAPPED_METHODS:
                member = self.instance_attribute(receiver, name)
            if member is not MISSING:
                function = member
            elif isinstance(receiver, (ModelObj, TensorRef, LayerObj)):
                keras_receiver = receiver
            else:
                function = self.get_attribute(receiver, name, node.func)
        else:
            function = self.eval(node.func, scope)
        args: list = []
        kwargs: dict = {}
        open_kwargs = False
        for argument in node.args:
            value = self.eval(argument.value, scope)
            if argument.star == "*":
                spread = iterate(value, self)
                if spread is None:
                    return Unknown("call with unknown *args")
                args.extend(spread)
            elif argument.star == "**":
                if isinstance(value, dict) and all(isinstance(key, str) for key in value):
                    kwargs.update(value)
                else:
                    open_kwargs = True
            elif argument.keyword is not None:
                kwargs[argument.keyword.value] = value
            else:
                args.append(value)
        if keras_receiver is not None:
            method = node.func.attr.value
            keras_args, keras_kwargs = _keras_arguments(args, kwargs)
            if method in CALLING_METHODS:
                # ``model.fit(x, ...)``: the data's shape builds an unbuilt model (its values never matter).
                keras_args = [args[0], *keras_args[1:]] if args else keras_args
                if "x" in kwargs:
                    keras_kwargs = {**keras_kwargs, "x": kwargs["x"]}
            return self.keras.method(keras_receiver, method, keras_args, keras_kwargs, node)
        return self.call_value(function, args, kwargs, node, open_kwargs)

    def call_value(self, function: Any, args: list, kwargs: dict, node: cst.CSTNode | None, open_kwargs: bool = False) -> Any:
        if isinstance(function, BuiltinFunction):
            previous_site, self.call_site = self.call_site, node
            try:
                return function.implementation(self, args, kwargs)
            except (TypeError, ValueError, IndexError, KeyError):
                return Unknown(f"{function.name}() with unexpected arguments")
            finally:
                self.call_site = previous_site
        if isinstance(function, Closure):
            return self.call_closure(function, args, kwargs, open_kwargs)
        if isinstance(function, Partial):
            return self.call_value(function.func, [*function.args, *args], {**function.kwargs, **kwargs}, node, open_kwargs)
        if isinstance(function, ModuleRef):
            library = LIBRARY.get(function.qualname) or _keras_data_function(function.qualname)
            if library is not None:
                if open_kwargs:
                    return Unknown(f"{function.qualname}() with unknown **kwargs")
                try:
                    return library(self, args, kwargs)
                except (TypeError, ValueError, IndexError, KeyError):
                    return Unknown(f"{function.qualname}() with unexpected arguments")
            on_data = numpy_api.TENSORFLOW_ON_ARRAYS.get(function.qualname)
            if on_data is not None and args and isinstance(args[0], ArrayValue):
                try:
                    return Unknown(f"{function.qualname}() with unknown **kwargs") if open_kwargs else on_data(self, args, kwargs)
                except (TypeError, ValueError, IndexError, KeyError):
                    return Unknown(f"{function.qualname}() with unexpected arguments")
            return self.keras.call(function.qualname, *_keras_arguments(args, kwargs), node, open_kwargs)
        if isinstance(function, (LayerObj, ModelObj)):
            return self.keras.apply(function, *_keras_arguments(args, kwargs), node)
        if isinstance(function, BoundMethod):
            return self._call_method(function, args, kwargs)
        if isinstance(function, ClassValue):
            return self.instantiate(function, args, kwargs, node, open_kwargs)
        if isinstance(function, Instance):
            method = self.instance_attribute(function, "__call__")
            if method is MISSING:
                return Unknown(f"{function.cls.name} object is not callable")
            return self.call_value(method, args, kwargs, node, open_kwargs)
        return self.keras.opaque_call("an unknown function", args, kwargs, node)

    def instantiate(self, cls: ClassValue, args: list, kwargs: dict, node: cst.CSTNode | None, open_kwargs: bool = False) -> Any:
        """``MyClass(...)``: a Keras layer or model of a user class (named as Keras names it)
        or a plain object; then its ``__init__`` runs with the call's arguments, so the
        layers it creates are named in Keras' order."""
        obj = self.keras.instantiate_class(cls, args, kwargs, node)
        if isinstance(obj, Unknown):
            obj = Instance(cls)
        elif not isinstance(obj, (LayerObj, ModelObj)):
            return obj
        initializer, _ = class_lookup(cls, "__init__")
        if isinstance(initializer, Closure):
            self.call_closure(initializer, [obj, *args], kwargs, open_kwargs)
        elif isinstance(obj, Instance) and _is_record_class(cls):
            # @dataclass / NamedTuple: the generated __init__ takes the annotated fields in order.
            fields = _record_fields(cls)
            for index, name in enumerate(fields):
                if index < len(args):
                    obj.attributes[name] = args[index]
                elif name in kwargs:
                    obj.attributes[name] = kwargs[name]
                elif open_kwargs:
                    obj.attributes[name] = Unknown(f"field {name} may come from **kwargs")
        return obj

    def _call_method(self, method: BoundMethod, args: list, kwargs: dict) -> Any:
        receiver, name = method.receiver, method.name
        if isinstance(receiver, tuple) and name == "as_list":
            return list(receiver)
        if isinstance(receiver, list) and name in ("append", "insert", "extend") and len(receiver) + 1 > self.budget.max_collection:
            return Unknown("list too long")
        if isinstance(receiver, str) and not (is_plain(args) and is_plain(kwargs)):
            return Unknown(f"str.{name} of unknown values")
        if isinstance(receiver, str) and string_method_size(receiver, name, args, kwargs, self.budget.max_collection) is None:
            return Unknown(f"str.{name}() result too long")  # not built: it may be gigabytes
        if isinstance(receiver, list) and name in ("index", "count", "remove") and args and not _compares_at_once(receiver, args[0]):
            return Unknown(f"list.{name}() of values padlint does not model")
        if isinstance(receiver, dict) and name in ("get", "pop", "setdefault") and args and not hashes_at_once(args[0]):
            return Unknown(f"dict.{name}() with a key padlint does not model")
        if isinstance(receiver, dict) and name == "update" and args and not _hashable_pairs(args[0]):
            return Unknown("dict.update() of values padlint does not model")
        if isinstance(receiver, list) and name == "extend":
            spread = iterate(args[0], self) if args else None
            if spread is None:
                return Unknown("list.extend of an unknown iterable")
            args = [spread]
        try:
            result = getattr(receiver, name)(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a failing container method is unknown, not a crash
            return Unknown(f"{type(receiver).__name__}.{name}() failed")
        if isinstance(result, str) and len(result) > self.budget.max_collection:
            return Unknown("string too long")
        if isinstance(receiver, dict) and name in ("items", "keys", "values"):
            return list(result)
        return result

    def call_closure(self, closure: Closure, args: list, kwargs: dict, open_kwargs: bool = False) -> Any:
        """Evaluate a user function with these arguments, in a fresh local scope."""
        if self.budget.call_depth >= self.budget.max_call_depth:
            self.budget.note(f"calls nested deeper than {self.budget.max_call_depth} (recursion?) were not followed")
            return Unknown("call depth budget exceeded")
        closure.called = True
        node = closure.node
        if isinstance(node, cst.FunctionDef) and self._is_generator(node):
            return Unknown("generator function")
        scope = Scope(closure.scope, "function")
        self._bind_parameters(closure, node.params, list(args), dict(kwargs), open_kwargs, scope)
        self.budget.call_depth += 1
        self._function_stack.append(closure.name)
        self._method_stack.append((closure.owner, args[0] if args and closure.kind == "function" else None))
        try:
            if isinstance(node, cst.Lambda):
                return self.eval(node.body, scope)
            body = node.body
            try:
                if isinstance(body, cst.SimpleStatementSuite):
                    for small in body.body:
                        handler = self._small_handlers.get(type(small))
                        if handler is not None:
                            handler(small, scope)
                else:
                    self.exec_block(self._body(body), scope)
            except _Return as returned:
                result = returned.value
            except _Raise:
                if closure.library:
                    raise
                return Unknown(f"{closure.name}() raises")
            except (_Break, _Continue):
                return Unknown(f"{closure.name}() raises")
            else:
                result = None
            if scope.uncertain_return:
                return Unknown(f"what {closure.name}() returns depends on an undecidable condition")
            if isinstance(result, ModelObj) and result.returned_from is None:
                result.returned_from = closure.name
            return result
        finally:
            self._method_stack.pop()
            self._function_stack.pop()
            self.budget.call_depth -= 1

    def call_library(self, closure: Closure, args: list, kwargs: dict, open_kwargs: bool = False) -> Any:
        """Call padlint's own Keras code: a ``raise`` anywhere inside (a check Keras makes)
        is the failure of the whole call, an Unknown; in user code it only makes the
        raising function's result unknown."""
        try:
            return self.call_closure(closure, args, kwargs, open_kwargs)
        except _Raise:
            return Unknown(f"{closure.name}() raises")

    def _is_generator(self, node: cst.FunctionDef) -> bool:
        if not self._may_yield:
            return False
        if node not in self._generators:
            self._generators[node] = _is_generator(node)
        return self._generators[node]

    def _bind_parameters(self, closure: Closure, params: cst.Parameters, args: list, kwargs: dict, open_kwargs: bool, scope: Scope) -> None:
        def missing(name: str) -> Any:
            if open_kwargs:
                return Unknown(f"argument {name} may come from **kwargs")
            if name in closure.defaults:
                return closure.defaults[name]
            return Unknown(f"argument {name} of {closure.name}() is not known")

        positional = [*params.posonly_params, *params.params]
        for index, param in enumerate(positional):
            name = param.name.value
            if index < len(args):
                scope.variables[name] = args[index]
            elif name in kwargs:
                scope.variables[name] = kwargs.pop(name)
            else:
                scope.variables[name] = missing(name)
        if isinstance(params.star_arg, cst.Param):
            scope.variables[params.star_arg.name.value] = tuple(args[len(positional) :])
        for param in params.kwonly_params:
            name = param.name.value
            scope.variables[name] = kwargs.pop(name) if name in kwargs else missing(name)
        if params.star_kwarg is not None:
            scope.variables[params.star_kwarg.name.value] = Unknown("**kwargs") if open_kwargs else dict(kwargs)


def _for_keras(value: Any, depth: int = 0) -> Any:
    """An argument as Keras' side of padlint takes it: an array's values are not known (its
    shape matters to NumPy code, not to a layer's arguments), so an array is an Unknown."""
    kind = type(value)
    if kind is ArrayValue:
        return Unknown("the values of an array")
    if kind not in _ARGUMENT_CONTAINERS or depth >= 4 or len(value) > 1_000:
        return value
    inner = value.values() if kind is dict else value
    if not any(type(item) in _MAY_HOLD_ARRAYS for item in inner):
        return value
    if kind is dict:
        return {key: _for_keras(item, depth + 1) for key, item in value.items()}
    return kind(_for_keras(item, depth + 1) for item in value)


_ARGUMENT_CONTAINERS = frozenset([list, tuple, dict])
_MAY_HOLD_ARRAYS = frozenset([ArrayValue, list, tuple, dict])


def assumption_notes(interpreter: Interpreter) -> list[str]:
    """What padlint took for granted, as ``-v`` says it: "Sequential is not imported; taken as
    keras.Sequential", the command-line options' defaults."""
    notes = []
    assumed = interpreter.assumed_names
    if assumed:
        names, qualnames = ", ".join(assumed), ", ".join(assumed.values())
        notes.append(f"{names} {'is' if len(assumed) == 1 else 'are'} not imported; taken as {qualnames}")
    if interpreter.assumed_defaults:
        notes.append("command-line options taken as their argparse defaults (a run without arguments)")
    return notes


def _keras_arguments(args: list, kwargs: dict) -> tuple[list, dict]:
    if not any(type(value) in _MAY_HOLD_ARRAYS for value in args) and not any(type(value) in _MAY_HOLD_ARRAYS for value in kwargs.values()):
        return args, kwargs
    return [_for_keras(value) for value in args], {key: _for_keras(value) for key, value in kwargs.items()}


_DATA_FUNCTIONS: dict[str, Callable[..., Any] | None] = {}


def _keras_data_function(qualname: str) -> Callable[..., Any] | None:
    """``keras.datasets.mnist.load_data``, ``keras.utils.to_categorical`` and the like (any spelling)."""
    if qualname not in _DATA_FUNCTIONS:
        if len(_DATA_FUNCTIONS) > 10_000:
            _DATA_FUNCTIONS.clear()  # a cache of names, not a record: bounded across many files
        path = keras_path(qualname)
        _DATA_FUNCTIONS[qualname] = data_function(path) if path else None
    return _DATA_FUNCTIONS[qualname]


#: Statements a loop that builds nothing does not contain.
_DEFINING = (cst.FunctionDef, cst.ClassDef, cst.Import, cst.ImportFrom, cst.Global, cst.Nonlocal, cst.Lambda, cst.Yield, cst.Await)


def _names_read(node: cst.CSTNode) -> frozenset[str] | None:
    """Every name the loop's code refers to (not attribute names or keywords), or None when
    it defines a function or class, imports, or declares a global."""
    names: set[str] = set()
    skipped: set[int] = set()
    for inner in walk(node):
        if isinstance(inner, _DEFINING):
            return None
        if isinstance(inner, cst.Attribute):
            skipped.add(id(inner.attr))
        elif isinstance(inner, cst.Arg) and inner.keyword is not None:
            skipped.add(id(inner.keyword))
        elif isinstance(inner, cst.Name) and id(inner) not in skipped:
            names.add(inner.value)
    return frozenset(names)


#: Most nodes of a container :func:`_inert_value` looks through.
_INERT_SCAN_LIMIT = 1_000


def _inert_value(value: Any) -> bool:
    """Whether code holding this value cannot reach Keras through it: constants, arrays,
    unknowns, builtins, modules outside Keras, and containers of those."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > _INERT_SCAN_LIMIT:
            return False
        if item is None or isinstance(item, (int, float, str, bytes, range, Unknown, ArrayValue, BuiltinFunction, ParserValue)):
            continue
        if isinstance(item, NamespaceValue):
            stack.extend(item.attributes.values())
            continue
        if isinstance(item, (list, tuple, set, frozenset, dict)) and len(item) > 100 and is_plain(item):
            continue  # a long list of numbers or strings (data): one check, not one per item
        if isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, ModuleRef):
            if _reaches_keras(item.qualname):
                return False
        else:
            return False  # functions, classes, objects, Keras layers, models and tensors
    return True


def _reaches_keras(qualname: str) -> bool:
    """A Keras name, or a module through which Keras is reached (``tensorflow``)."""
    if keras_path(qualname) is not None:
        return True
    return any(root.startswith(qualname + ".") for root in KERAS_ROOTS)


#: Libraries with classes of Keras' names (``torch.nn.Sequential``, ``ReLU``; Flax's and MXNet's
#: ``Dense``): in a file importing one, an unbound ``Sequential`` is not guessed to be Keras'.
OTHER_FRAMEWORKS = frozenset(["torch", "flax", "haiku", "sonnet", "equinox", "trax", "mxnet", "paddle", "chainer", "mindspore", "oneflow", "jittor", "tflearn", "lasagne"])

#: The module aliases a snippet may use without importing them (``tf.keras.layers.Dense``).
SNIPPET_MODULES = {"tf": "tensorflow", "keras": "keras", "np": "numpy"}

#: The model and input names a snippet may use without importing them (layers: the registry's).
SNIPPET_MODEL_NAMES = {"Sequential": "keras.Sequential", "Model": "keras.Model", "Input": "keras.Input", "InputLayer": "keras.layers.InputLayer"}


def _snippet_keras_name(name: str) -> str | None:
    """The Keras qualified name an unbound name stands for in a snippet: a Keras layer, model
    or Input class name (``Sequential``, ``Conv2D``, ``Dense``), else None."""
    if name in SNIPPET_MODEL_NAMES:
        return SNIPPET_MODEL_NAMES[name]
    if name[:1].isupper() and name in _layer_names():
        return f"keras.layers.{name}"
    return None


_LAYER_NAMES: list[frozenset[str]] = []


def _layer_names() -> frozenset[str]:
    if not _LAYER_NAMES:
        _LAYER_NAMES.append(frozenset(known_names()))
    return _LAYER_NAMES[0]


def _compares_at_once(items: list, value: Any) -> bool:
    """Whether comparing ``value`` with every item (``list.index``, ``count``, ``remove``)
    surely finishes at once: each comparison costs at most the smaller side."""
    work = plain_work(value)
    if work is None:
        return not isinstance(value, (list, tuple, dict, set, frozenset))  # a layer: compared by identity
    return work * len(items) <= MAX_COMPARISON_WORK


def _hashable_pairs(value: Any) -> bool:
    """A dict, or pairs whose keys hash at once: what ``dict.update`` may be given."""
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and all(isinstance(pair, (list, tuple)) and len(pair) == 2 and hashes_at_once(pair[0]) for pair in value)


#: Most work of comparing a value with every item of a list (see ``plain_work``).
MAX_COMPARISON_WORK = 2_000_000


def _is_record_class(cls: ClassValue) -> bool:
    """A ``@dataclass`` (any spelling) or a ``typing.NamedTuple`` subclass."""
    for decorator in cls.node.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if _dotted(target).rsplit(".", 1)[-1] == "dataclass":
            return True
    return any(isinstance(base, ModuleRef) and base.qualname.rsplit(".", 1)[-1] == "NamedTuple" for base in cls.bases)


def _record_fields(cls: ClassValue) -> list[str]:
    """The annotated field names of a record class body, in order."""
    fields = []
    for statement in cls.node.body.body if isinstance(cls.node.body, cst.IndentedBlock) else []:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    fields.append(small.target.value)
    return fields


def _star_layer_module(scope: Scope) -> str | None:
    current: Scope | None = scope
    while current is not None:
        if current.star_layer_modules:
            return current.star_layer_modules[-1]
        current = current.parent
    return None


def _is_generator(node: cst.FunctionDef) -> bool:
    """Whether the function's own body (not a nested function's) yields."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return any(
        isinstance(inner, cst.Yield)
        for statement in body
        for inner in walk(statement, prune=lambda inner: isinstance(inner, (cst.FunctionDef, cst.Lambda)))
    )


#: What ``from keras import *`` binds that padlint models (submodules are plain names).
KERAS_ROOT_STAR_NAMES = ("Input", "Model", "Sequential", "layers", "models", "backend", "ops", "utils", "regularizers", "initializers", "activations")


def star_names(module: str) -> tuple[str, ...]:
    """The names ``from <module> import *`` binds, for the Keras modules padlint models.

    Layer modules (``keras.layers``, Keras 2's ``keras.layers.core``,
    ``keras.layers.convolutional``, ...) export the layer classes, their function
    forms and ``Input``; ``keras.models`` exports ``Model`` and ``Sequential`` only,
    so it must not rebind layer names. Other modules bind nothing padlint knows:
    the names they would bind become undefined (unknown), never a wrong guess.
    """
    path = keras_path(module)
    if path is None:
        return ()
    if not path:
        return KERAS_ROOT_STAR_NAMES
    if "layers" in path:
        return (*known_names(), *KERAS_STAR_NAMES)
    if path[0] in ("models", "engine"):
        return ("Model", "Sequential")
    return ()


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return "?"
