"""keras.ops, TensorFlow and Keras 2 backend functions applied to the evaluator's values.

:class:`TensorOps` is the part of the evaluator's Keras runtime that applies an
op spec to a call's arguments, as Keras does:

- on symbolic tensors (KerasTensors of a functional graph) a keras.ops function
  creates one named Operation (keras/src/ops/operation.py: the snake_case class
  name from the session's counter, ``reshape``, ``transpose_1``), which
  ``model.summary()`` lists with 0 parameters: padlint adds a graph node
  (a :class:`~padlint.graph.TensorOp`) with the same name;
- a TensorFlow (or Keras 2 backend) function on a KerasTensor raises: the node
  carries that error, so the model is found but Keras' failure shows;
- inside a traced ``call()`` every function runs on backend tensors: nodes are
  made (they carry the shapes) but consume no names;
- on concrete values only (``ops.arange(10)``, a ConstTensor) Keras computes at
  once: the result is a ConstTensor of the computed shape, no node;
- except that a few keras.ops functions (:data:`ALWAYS_INSTANTIATED`) create their
  Operation whatever the arguments, so they consume a name in a traced ``call()``
  and on concrete values too.

Python operators on tensors (``x + y``, ``x @ w``, ``x[:, 0]``) are the
keras.ops functions KerasTensor's dunder methods call
(keras/src/backend/common/keras_tensor.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.values import ConstTensor, DynamicSize, Unknown
from padlint.graph import LayerCall, TensorOp, TensorRef
from padlint.layers.base import KERAS_ERROR, LayerError, Unresolved
from padlint.ops.base import BindError, Multi, OpCall, OpSpec, Tensor, bind, concrete, run_spec
from padlint.ops.registry import backend_op, keras_op, keras_op_by_module, tensorflow_op
from padlint.symbolic import Sym

if TYPE_CHECKING:
    from padlint.evaluation.keras_api import KerasRuntime

#: keras.ops functions whose Operation is created on every call, not only on symbolic tensors
#: (keras/src/ops/numpy.py ``pad`` and ``diff``, core.py ``cond`` return ``Op(...)(x)``
#: unconditionally): each call takes the next auto name, even in a traced ``call()``.
ALWAYS_INSTANTIATED = frozenset(["keras.ops.pad", "keras.ops.diff", "keras.ops.cond"])

#: Python operators on KerasTensors -> the keras.ops function their dunder method calls.
OPERATOR_FUNCTIONS = {
    "+": "add",
    "-": "subtract",
    "*": "multiply",
    "/": "true_divide",
    "//": "floor_divide",
    "%": "mod",
    "**": "power",
    "@": "matmul",
    "&": "logical_and",
    "|": "logical_or",
    "^": "logical_xor",
    "<": "less",
    "<=": "less_equal",
    ">": "greater",
    ">=": "greater_equal",
    "!=": "not_equal",
}
#: Unary operators on KerasTensors (``abs(x)`` is ``__abs__``).
UNARY_OPERATOR_FUNCTIONS = {"-": "negative", "~": "logical_not", "abs": "absolute"}
#: KerasTensor methods that are keras.ops functions.
TENSOR_METHODS = {"reshape": "reshape", "squeeze": "squeeze"}

#: What a KerasTensor given to a TensorFlow function raises (keras_tensor.py ``__tf_tensor__``).
TF_ON_KERAS_TENSOR = (
    "A KerasTensor cannot be used as input to a TensorFlow function ({function}). You can only use it as input "
    "to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`)."
)


class TensorOps:
    """Applies op specs for one file's Keras runtime (its graph, names and trace depth)."""

    def __init__(self, runtime: KerasRuntime) -> None:
        self.runtime = runtime

    # ------------------------------------------------------------ entry points

    def keras_call(self, path: tuple[str, ...], args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``keras.ops.<path>(...)``."""
        spec = keras_op(path)
        if spec is None:
            return self.unmodelled(f"keras.ops.{'.'.join(path)}", args, kwargs, site, keras_name=path[-1])
        return self.apply(spec, args, kwargs, site)

    def tensorflow_call(self, path: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``tf.<path>(...)``; None when padlint does not model that function."""
        spec = tensorflow_op(path)
        return None if spec is None else self.apply(spec, args, kwargs, site)

    def backend_call(self, name: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``K.<name>(...)`` of the Keras 2 backend; None when padlint does not model it."""
        spec = backend_op(name)
        return None if spec is None else self.apply(spec, args, kwargs, site)

    def operator(self, op: str, left: Any, right: Any, site: cst.CSTNode | None) -> Any:
        """``x + y``, ``2 * x``, ``x @ w`` on tensors: the keras.ops function of the dunder method."""
        name = OPERATOR_FUNCTIONS.get(op)
        if name is None:
            return self.runtime.opaque_call(f"operator {op}", [left, right], {}, site)
        return self.apply(keras_op_by_module("numpy", name), [left, right], {}, site)

    def unary(self, op: str, operand: Any, site: cst.CSTNode | None) -> Any:
        if op == "+":
            return operand
        name = UNARY_OPERATOR_FUNCTIONS.get(op)
        if name is None:
            return self.runtime.opaque_call(f"operator {op}", [operand], {}, site)
        return self.apply(keras_op_by_module("numpy", name), [operand], {}, site)

    def getitem(self, tensor: TensorRef, key: Any, site: cst.CSTNode | None) -> Any:
        """``x[:, 0]``: ``GetItem().symbolic_call(x, key)``."""
        return self.apply(keras_op_by_module("numpy", "get_item"), [tensor, key], {}, site)

    def method(self, tensor: TensorRef, name: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``x.reshape(...)`` and ``x.squeeze(...)`` of a KerasTensor (a backend tensor has none)."""
        function = TENSOR_METHODS.get(name)
        if function is None or self.runtime.tracing:
            return Unknown(f"tensor.{name}()")
        return self.apply(keras_op_by_module("numpy", function), [tensor, *args], kwargs, site)

    # ------------------------------------------------------------ application

    def apply(self, spec: OpSpec, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """Apply one op as Keras does: a named node on symbolic tensors, a value on concrete ones."""
        try:
            bound: dict | None = bind(spec, args, kwargs)
        except BindError:
            bound = None
        if bound is not None and not spec.name.startswith("tf.") and bound.get("data_format", 0) is None:
            bound["data_format"] = self.runtime.image_data_format  # ``standardize_data_format(None)``
        tensors = _tensors(bound if bound is not None else [args, kwargs])
        if not tensors:
            if bound is not None:
                self.instantiated(spec.name, spec.class_name)
            return self.eager(spec, bound)
        tracing = bool(self.runtime.tracing)
        if not spec.keras_symbolic and not tracing:
            return self.error_node(spec, tensors, TF_ON_KERAS_TENSOR.format(function=spec.name), site)
        if spec.plain:
            return self.plain(spec, tensors[0], tracing)
        if bound is None:
            return self.unmodelled(spec.name, args, kwargs, site, keras_name=None)
        name = self.traced_name(spec.name, spec.class_name) if tracing else self.runtime.names.auto_name(spec.class_name)
        opcall = OpCall(spec, bound, traced=tracing)
        operation = TensorOp(class_name=spec.class_name, name=name, site=site, kind="op", op=opcall)
        call = self.add_node(operation, tensors, site)
        return self.outputs(call, opcall)

    def instantiated(self, function: str, class_name: str) -> None:
        """A call that makes no graph node: one of :data:`ALWAYS_INSTANTIATED` still takes a name."""
        if function in ALWAYS_INSTANTIATED:
            self.runtime.names.auto_name(class_name)

    def traced_name(self, function: str, class_name: str) -> str:
        """The label of an op inside a traced ``call()`` (no inbound node of Keras'); one that
        Keras instantiates anyway takes its auto name all the same."""
        self.instantiated(function, class_name)
        return f"<{class_name} in a traced call()>"

    def add_node(self, operation: TensorOp, tensors: list[TensorRef], site: cst.CSTNode | None) -> LayerCall:
        call = self.runtime.graph.add_call(operation, tensors, site)
        self.runtime.propagator.annotate(call)
        return call

    def outputs(self, call: LayerCall, opcall: OpCall) -> Any:
        """The node's output tensors in the structure the op returns (one, a list, a tuple)."""
        structure = opcall.structure
        if structure is None and opcall.spec.outputs is not None:
            structure = opcall.spec.outputs(opcall.arguments)
            if structure is None:
                return Unknown(f"the number of outputs of {opcall.spec.name}")
        if structure is None:
            return call.output(0)
        kind, count = structure
        tensors = [call.output(index) for index in range(count)]
        return tensors if kind == "list" else tuple(tensors)

    def eager(self, spec: OpSpec, bound: dict | None) -> Any:
        """Concrete arguments only: Keras computes at once; padlint keeps the result's shape."""
        if bound is None:
            return Unknown(f"{spec.name}() with arguments padlint does not model")
        arguments = {key: concrete(value) for key, value in bound.items()}
        if spec.plain:
            first = next(iter(arguments.values()), None)
            if isinstance(first, Tensor) and first.known_shape is not None:
                return len(first.known_shape) if spec.name.endswith("ndim") else tuple(first.known_shape)
            return Unknown(f"{spec.name}() of a value padlint does not model")
        if spec.name.endswith(".arange") or spec.name == "tf.range":
            arguments = {key: (Tensor(()) if isinstance(value, Unknown) else value) for key, value in arguments.items()}
        try:
            result = run_spec(spec, arguments, traced=bool(self.runtime.tracing), concrete_only=True)
        except (LayerError, Unresolved):
            return Unknown(f"{spec.name}() on values padlint cannot follow")
        except Exception as bug:  # noqa: BLE001 - a shape function bug must not stop the run
            self.runtime.propagator.internal_errors.append(f"{spec.name}: {type(bug).__name__}: {bug}")
            return Unknown(f"padlint could not compute {spec.name}()")
        if isinstance(result, Multi):
            values = [ConstTensor(shape) for shape in result.shapes]
            return values if result.as_list else tuple(values)
        return ConstTensor(result)

    def plain(self, spec: OpSpec, tensor: TensorRef, tracing: bool) -> Any:
        """``ops.shape(x)`` (a tuple), ``tf.shape(x)`` / ``K.shape(x)`` in a traced ``call()``
        (a shape tensor whose static sizes fold to ints), ``K.ndim(x)`` (an int)."""
        shape = tensor.shape()
        if shape is None:
            return Unknown("the tensor's shape is not known")
        if spec.name.endswith("ndim"):
            return len(shape)
        if tracing:
            # On backend tensors an unknown size is a dynamic scalar, not None; a symbol for a
            # number padlint does not know is a number to TensorFlow.
            return tuple(dim if isinstance(dim, int) or (isinstance(dim, Sym) and not dim.is_keras_none()) else DynamicSize() for dim in shape)
        return tuple(shape)

    def error_node(self, spec: OpSpec, tensors: list[TensorRef], message: str, site: cst.CSTNode | None) -> Any:
        """A node for a call Keras rejects: the graph stays whole, the error shows on it."""
        operation = TensorOp(class_name=spec.name, name=spec.name, site=site, kind="error", key=message)
        call = self.add_node(operation, tensors, site)
        return call.output(0)

    def unmodelled(self, function: str, args: list, kwargs: dict, site: cst.CSTNode | None, keras_name: str | None) -> Any:
        """A function padlint does not model. On symbolic tensors a keras.ops function still makes
        a node named as Keras names it (the class is the CamelCase function name for nearly every
        op), so later names stay right; its output is unknown."""
        tensors = _tensors([args, kwargs])
        class_name = "".join(part.capitalize() for part in (keras_name or function.rsplit(".", 1)[-1]).split("_"))
        exported = f"keras.ops.{keras_name}" if keras_name is not None else ""
        if not tensors:
            self.instantiated(exported, class_name)
            return Unknown(f"{function}() is not modelled")
        if self.runtime.tracing:
            name = self.traced_name(exported, class_name)
        elif keras_name is None:
            name = function
        else:
            name = self.runtime.names.auto_name(class_name)
        operation = TensorOp(class_name=class_name, name=name, site=site, kind="opaque")
        return self.add_node(operation, tensors, site).output(0)


def _tensors(structure: Any) -> list[TensorRef]:
    """The symbolic tensors of the arguments, in order (the node's inputs; ``_substitute``
    walks the arguments in the same order)."""
    if isinstance(structure, TensorRef):
        return [structure]
    if isinstance(structure, dict):
        return [tensor for value in structure.values() for tensor in _tensors(value)]
    if isinstance(structure, (list, tuple)):
        return [tensor for item in structure for tensor in _tensors(item)]
    return []


def op_outputs(operation: TensorOp, input_shapes: list) -> list:
    """Output shapes of a TensorOp node for these input shapes (in the node's input order)."""
    if operation.kind == "error":
        raise LayerError(KERAS_ERROR, str(operation.key))
    opcall = operation.op
    if operation.kind != "op" or opcall is None:
        raise Unresolved(operation.unsupported or operation.class_name)
    shapes = iter(input_shapes)
    arguments = {key: _substitute(value, shapes) for key, value in opcall.arguments.items()}
    result = run_spec(opcall.spec, arguments, traced=opcall.traced)
    if isinstance(result, Multi):
        opcall.structure = ("list" if result.as_list else "tuple", len(result.shapes))
        return list(result.shapes)
    return [result]


def _substitute(value: Any, shapes: Any) -> Any:
    """The argument with each symbolic tensor replaced by a Tensor of the next input shape
    (and each concrete one by a Tensor of its own shape), in the node's input order."""
    if isinstance(value, TensorRef):
        shape = next(shapes, None)
        return Tensor(None if shape is None else tuple(shape))
    if isinstance(value, ConstTensor):
        return Tensor(tuple(value.shape), symbolic=False)
    if isinstance(value, list):
        return [_substitute(item, shapes) for item in value]
    if isinstance(value, tuple):
        return tuple(_substitute(item, shapes) for item in value)
    if isinstance(value, dict):
        return {key: _substitute(item, shapes) for key, item in value.items()}
    return value
