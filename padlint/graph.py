"""Keras objects as the evaluator builds them, and the layer graph that joins them.

Evaluating a file produces layer objects (:class:`LayerObj`), model objects
(:class:`ModelObj`), keras.ops operations (:class:`TensorOp`) and layer
applications (:class:`LayerCall`). Every
application is a node of the file's layer graph; an edge ``producer ->
consumer`` is a tensor, with the output index and input position on the edge.
Propagation later annotates each node with its shapes and weights.

Rules read a model's graph as a ``networkx.DiGraph``. It is built from the
file's graph when a rule first asks for it: most runs never need one, and
importing networkx costs about 0.1 s, a third of a one-file run.

A model's own graph is the subgraph between its inputs and outputs, found and
ordered exactly as Keras' Functional does it (keras/src/ops/function.py
``map_graph`` / ``_build_map``), so ``padlint summary`` lists rows in Keras'
order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.values import ConstTensor
from padlint.layers.base import LayerConfig, LayerError, LayerResult, LayerSpec

if TYPE_CHECKING:
    import networkx as nx


@dataclass(eq=False)
class LayerObj:
    """One layer instance created in user code (``Conv2D(32, 3)``)."""

    class_name: str
    spec: LayerSpec | None
    config: LayerConfig | None
    name: str
    site: cst.CSTNode | None
    #: Batch shape from Keras 2 style ``input_shape=`` / ``input_dim=`` / ``batch_input_shape=``.
    input_shape_arg: tuple | None = None
    #: ``False``, ``True`` or an Unknown (set under an undecidable condition).
    trainable: Any = True
    #: Why padlint cannot model this layer (custom class, unknown callable).
    unsupported: str | None = None
    #: Every application of this layer, in creation order.
    calls: list[LayerCall] = field(default_factory=list)
    #: A custom layer: the user's class (a ClassValue) and the attributes its methods set.
    user_class: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: A custom layer: the variables its ``add_weight`` calls made, and Keras' ``built``
    #: (set by its first call or an explicit ``build``). See :class:`CustomState`.
    custom: CustomState | None = None

    @property
    def is_model(self) -> bool:
        return False


@dataclass(eq=False)
class ModelObj:
    """A Sequential, functional or subclassed model."""

    kind: str  # "sequential" | "functional" | "subclassed"
    name: str
    site: cst.CSTNode | None
    #: Sequential: the layer stack as Keras keeps it (an InputLayer first when known).
    layers: list = field(default_factory=list)
    #: Functional: input and output structures of TensorRef (lists, dicts or single).
    inputs: Any = None
    outputs: Any = None
    #: Sequential: built (Keras' ``self._functional`` is set) for the current layer stack.
    built: bool = False
    trainable: Any = True
    #: Reasons the model's content is not fully known (undecidable branches, budgets).
    uncertain: list[str] = field(default_factory=list)
    #: Variable the model was first bound to (module level, then local), the function
    #: it was built in, and the function that returned it.
    variable: str | None = None
    local_variable: str | None = None
    function: str | None = None
    returned_from: str | None = None
    calls: list[LayerCall] = field(default_factory=list)
    #: Sequential: the graph nodes of the last build, InputLayer first (see ``KerasRuntime.sequential_build``).
    chain: list[LayerCall] | None = None
    class_name: str = ""
    #: A subclassed model: the user's class (a ClassValue) and the attributes its methods set.
    user_class: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: Made inside a custom layer's (or subclassed model's) methods: summarised only once built.
    internal: bool = False
    #: A subclassed model: its variables and Keras' ``built`` (see :class:`CustomState`).
    custom: CustomState | None = None
    #: A keras.applications model (padlint.applications): summarised on its own only when the
    #: user's code binds it to a variable, as each model the script names is one summary.
    application: bool = False
    #: Made by padlint's twin of a keras.applications function (a ConvNeXt stem): never a summary.
    inside_application: bool = False

    def __post_init__(self) -> None:
        if not self.class_name:
            self.class_name = {"sequential": "Sequential", "functional": "Functional"}.get(self.kind, self.name)

    @property
    def is_model(self) -> bool:
        return True

    @property
    def unsupported(self) -> str | None:
        return None


@dataclass(frozen=True, eq=False)
class Variable(ConstTensor):
    """A weight a custom layer made with ``self.add_weight(shape=...)``: a concrete tensor
    of that shape to the ``call()`` that uses it, and a count in the layer's parameters."""

    trainable: Any = True
    #: Its number of entries: an int, a formula of run-time sizes, or None when unknown.
    size: Any = None


@dataclass(eq=False)
class CustomState:
    """What Keras' ``Layer`` base keeps for a layer or model of a user class.

    ``built`` is Keras' flag: set by the first ``__call__`` (after the user's ``build``, or
    a trace of ``call()`` that builds the sublayers) or by an explicit ``build()``.
    ``build_outputs`` are the output shapes ``compute_output_shape`` gives for the shapes
    of that first build (None when the class does not define it: Keras prints "?" then).
    ``followed`` is False once padlint could not follow one of these methods, so what
    they make (variables, sublayer builds) may be missing.
    """

    variables: list[Variable] = field(default_factory=list)
    built: bool = False
    build_outputs: list | None = None
    followed: bool = True
    #: ``super().__init__()`` ran (the name is given there, as Keras' Layer.__init__ does).
    initialised: bool = False


@dataclass(eq=False)
class OpaqueOp:
    """A callable padlint does not model, applied to tensors (``tf.nn.relu(x)``).

    It keeps the graph connected so the model is still found, with an unknown output.
    """

    class_name: str
    name: str
    site: cst.CSTNode | None
    spec: None = None
    config: None = None
    input_shape_arg: None = None
    trainable: Any = True
    calls: list[LayerCall] = field(default_factory=list)

    @property
    def unsupported(self) -> str:
        return f"{self.class_name} is not a layer padlint knows"

    @property
    def is_model(self) -> bool:
        return False


@dataclass(eq=False)
class TensorOp(OpaqueOp):
    """A ``keras.ops`` operation on symbolic tensors: ``x + y`` (``Add``), ``x * 2``
    (``Multiply``), ``-x`` (``Negative``), ``x[:, 0]`` (``GetItem``), ``keras.ops.relu(x)``.

    Keras 3 creates one operation object per use, named like a layer from the
    same counter (``add``, ``add_1``, ...), and lists it in ``model.summary()``
    with 0 parameters. ``kind`` says how propagation computes its output:
    ``"op"`` (``op`` is a padlint.ops ``OpCall``: the op's spec and bound
    arguments, whose TensorRefs are the node's inputs), ``"error"`` (a call Keras
    rejects, ``key`` is its message), or ``"opaque"`` (an op padlint does not
    model: output unknown).
    """

    kind: str = "opaque"
    key: Any = None
    op: Any = None

    @property
    def unsupported(self) -> str | None:  # type: ignore[override]
        return f"keras.ops operation {self.class_name} is not modelled" if self.kind == "opaque" else None


@dataclass(eq=False)
class TracePlaceholder(OpaqueOp):
    """The stand-in a custom layer's ``call()`` is traced on: Keras traces it on fresh
    placeholders of the input's shape, so what ``call()`` builds is not part of any
    model's graph. Its one input is the real tensor, whose shape it carries; without an
    input it stands for a concrete array of shape ``shape`` (an eager call)."""

    shape: tuple | None = None

    @property
    def unsupported(self) -> str | None:  # type: ignore[override]
        return None


Operation = Any  # LayerObj | ModelObj | OpaqueOp | TensorOp | TracePlaceholder


@dataclass(eq=False)
class LayerCall:
    """One application of a layer to tensors: a node of the layer graph."""

    id: int
    operation: Operation
    inputs: list[TensorRef]
    site: cst.CSTNode | None
    input_names: list[str] = field(default_factory=list)
    call_kwargs: dict[str, Any] = field(default_factory=dict)
    #: Tensor-valued inputs passed as a list (merge layers) rather than singly.
    list_input: bool = False
    #: A custom layer's call: the tensors its traced ``call()`` returned (their shapes are
    #: this node's outputs), or an empty list and ``trace_failure`` when tracing failed.
    traced_outputs: list | None = None
    trace_failure: str | None = None
    #: The output shapes the layer's own ``compute_output_shape`` gave (Keras uses them
    #: instead of tracing ``call()`` when a class defines it).
    declared_outputs: list | None = None
    #: Made while a custom layer's ``call()`` was traced: not an inbound node of Keras'.
    traced: bool = False
    # ---- annotations written by padlint.propagation ----
    result: LayerResult | None = None
    error: LayerError | None = None
    unresolved: str | None = None

    @property
    def output_shapes(self) -> list | None:
        return self.result.outputs if self.result is not None else None

    def output(self, index: int = 0) -> TensorRef:
        return TensorRef(self, index)

    def __repr__(self) -> str:
        return f"<LayerCall {self.id} {getattr(self.operation, 'name', '?')}>"


@dataclass(frozen=True, eq=False)
class TensorRef:
    """A symbolic tensor: output ``index`` of the node that produced it."""

    node: LayerCall
    index: int = 0

    def shape(self):
        """The propagated shape, ``None`` when unknown."""
        shapes = self.node.output_shapes
        if shapes is None or self.index >= len(shapes):
            return None
        return shapes[self.index]

    def key(self) -> tuple[int, int]:
        return (self.node.id, self.index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TensorRef) and other.key() == self.key()

    def __hash__(self) -> int:
        return hash(self.key())


class LayerGraph:
    """All layer applications of one file: the calls (a call's id is its index) and the tensors between them."""

    def __init__(self) -> None:
        self._calls: list[LayerCall] = []
        #: ``(producer id, consumer id) -> [(output index, input position), ...]``
        self._edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
        #: Depth of custom-layer ``call()`` tracing: the nodes made meanwhile are marked ``traced``.
        self.tracing = 0

    def add_call(
        self,
        operation: Operation,
        inputs: list[TensorRef],
        site: cst.CSTNode | None,
        *,
        input_names: list[str] | None = None,
        call_kwargs: dict[str, Any] | None = None,
        list_input: bool = False,
    ) -> LayerCall:
        call = LayerCall(
            id=len(self._calls),
            operation=operation,
            inputs=list(inputs),
            site=site,
            input_names=list(input_names) if input_names else ["inputs"] * len(inputs),
            call_kwargs=dict(call_kwargs or {}),
            list_input=list_input,
            traced=self.tracing > 0,
        )
        self._calls.append(call)
        for position, tensor in enumerate(call.inputs):
            self._edges.setdefault((tensor.node.id, call.id), []).append((tensor.index, position))
        operation.calls.append(call)
        return call

    def calls(self) -> Iterator[LayerCall]:
        """Every node in creation order, which is a topological order."""
        return iter(self._calls)

    def subgraph(self, calls: list[LayerCall]) -> nx.DiGraph:
        """The calls as a networkx DiGraph: nodes are call ids with the call as attribute ``call``;
        edges carry ``tensors``, the (output index, input position) pairs they stand for."""
        import networkx as nx

        graph = nx.DiGraph()
        chosen = {call.id for call in calls}
        graph.add_nodes_from((call.id, {"call": call}) for call in calls)
        graph.add_edges_from(
            (producer, consumer, {"tensors": list(tensors)})
            for (producer, consumer), tensors in self._edges.items()
            if producer in chosen and consumer in chosen
        )
        return graph


def traces_call(operation: Any) -> bool:
    """Whether calling this object runs a user's ``call()``: a custom layer (not a subclass of a
    Keras layer that keeps its ``call``) or a subclassed model (not a functional subclass)."""
    from padlint.evaluation.values import MISSING, class_lookup

    if getattr(operation, "custom", None) is None:
        return False
    if isinstance(operation, ModelObj):
        return operation.kind == "subclassed"
    return operation.spec is None or class_lookup(operation.user_class, "call")[0] is not MISSING


# ------------------------------------------------------------------ structures


def flatten(structure: Any) -> list:
    """Flatten nested lists/tuples/dicts the way keras.tree.flatten does (dicts by sorted key)."""
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        try:
            keys = sorted(structure)
        except TypeError:
            keys = list(structure)
        return [leaf for key in keys for leaf in flatten(structure[key])]
    return [structure]


def tensors_of(structure: Any) -> list[TensorRef]:
    """The symbolic tensors of a nested structure (anything else, such as an Unknown, is left out)."""
    return [leaf for leaf in flatten(structure) if isinstance(leaf, TensorRef)]


# ------------------------------------------------------------ functional layout


@dataclass
class FunctionalLayout:
    """The nodes and operations of a functional model, in Keras' order."""

    nodes: list[LayerCall]
    operations: list[Operation]
    disconnected: list[TensorRef] = field(default_factory=list)
    cycle: bool = False


def functional_layout(inputs: list[TensorRef], outputs: list[TensorRef]) -> FunctionalLayout:
    """Mirror of keras/src/ops/function.py ``map_graph``: nodes from inputs to outputs,
    operations ordered by decreasing depth, ties broken by first traversal index."""
    input_keys = {tensor.key() for tensor in inputs}
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[LayerCall] = []
    operation_index: dict[int, int] = {}
    cycle = False

    def is_input_node(call: LayerCall) -> bool:
        return not call.inputs

    # Iterative DFS so that a 5,000-layer chain cannot exhaust Python's stack.
    for output in outputs:
        stack: list[tuple[TensorRef, bool]] = [(output, False)]
        while stack:
            tensor, expanded = stack.pop()
            call = tensor.node
            if expanded:
                finished.add(call.id)
                in_progress.discard(call.id)
                ordered.append(call)
                continue
            if call.id in finished:
                continue
            if not is_input_node(call) and tensor.key() in input_keys:
                finished.add(call.id)
                continue
            if call.id in in_progress:
                cycle = True
                continue
            operation_index.setdefault(id(call.operation), len(operation_index))
            in_progress.add(call.id)
            stack.append((tensor, True))
            if not is_input_node(call):
                for parent in reversed(call.inputs):
                    stack.append((parent, False))

    node_depth: dict[int, int] = {}
    operation_depth: dict[int, int] = {}
    operations_by_id: dict[int, Operation] = {}
    in_graph = {call.id for call in ordered}
    for call in reversed(ordered):
        depth = node_depth.setdefault(call.id, 0)
        depth = max(depth, operation_depth.get(id(call.operation), 0))
        operation_depth[id(call.operation)] = depth
        operations_by_id[id(call.operation)] = call.operation
        node_depth[call.id] = depth
        for parent in call.inputs:
            if parent.node.id in in_graph:
                node_depth[parent.node.id] = max(depth + 1, node_depth.get(parent.node.id, 0))
    for tensor in inputs:
        operation = tensor.node.operation
        if id(operation) not in operation_depth and is_input_node(tensor.node):
            operation_depth[id(operation)] = 0
            operation_index[id(operation)] = -1
            operations_by_id[id(operation)] = operation
            node_depth[tensor.node.id] = 0
            ordered.insert(0, tensor.node)

    operations = sorted(
        operations_by_id.values(),
        key=lambda op: (-operation_depth[id(op)], operation_index.get(id(op), -1)),
    )
    computed_nodes: set[int] = set()
    disconnected: list[TensorRef] = []
    for call in sorted(ordered, key=lambda c: -node_depth.get(c.id, 0)):
        for parent in call.inputs:
            if parent.key() not in input_keys and parent.node.id not in computed_nodes:
                disconnected.append(parent)
        computed_nodes.add(call.id)
    return FunctionalLayout(nodes=ordered, operations=operations, disconnected=disconnected, cycle=cycle)
