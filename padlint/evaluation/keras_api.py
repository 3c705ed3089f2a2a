"""What Keras does when model-building code runs, replayed statically.

The interpreter hands every call whose callee resolves to a Keras name
(``keras.layers.Conv2D``, ``tf.keras.Sequential``, ``keras.layers.concatenate``,
``K.image_data_format``, ...) to :class:`KerasRuntime`, which creates layer and
model objects, adds layer applications to the graph, and asks propagation for
their shapes. It mirrors the Keras behaviour that shows in a summary: layer
naming (keras/src/utils/naming.py), including the names Keras consumes where
no layer shows (the InputLayer and Functional of every Sequential (re)build, the
softmax/dropout a MultiHeadAttention creates when built); ``Sequential.add``,
``pop`` and ``build`` (keras/src/models/sequential.py); Functional models
(keras/src/models/functional.py); the keras.ops operations that operators on
KerasTensors create (``x + y`` is an ``Add`` named "add"); and custom layers,
whose ``call()`` (or a ``Lambda``'s function) is traced on placeholders as
Keras traces it on backend tensors.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.custom_layers import CALLING_METHODS, NOT_HANDLED, CustomClasses
from padlint.evaluation.naming import NameCounter
from padlint.evaluation.operators import bounded_structure
from padlint.evaluation.values import ClassValue, ModuleRef, Unknown
from padlint.graph import (
    LayerCall,
    LayerGraph,
    LayerObj,
    ModelObj,
    OpaqueOp,
    TensorOp,
    TensorRef,
    flatten,
    traces_call,
)
from padlint.layers import LayerConfig, LayerError, lookup
from padlint.layers.base import LayerSpec, bind_arguments
from padlint.ops.registry import keras_op_by_module
from padlint.ops.runtime import TensorOps
from padlint.propagation import Propagator, model_layers
from padlint.symbolic import Sym

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter

#: Module paths under which Keras lives, longest first.
KERAS_ROOTS = (
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v2.keras",
    "tensorflow.python.keras",
    "tensorflow.keras",
    "tf_keras",
    "keras",
)

#: Functional forms of merge layers: ``layers.add([a, b])`` is ``Add()([a, b])``.
MERGE_FUNCTIONS = {
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "concatenate": "Concatenate",
    "dot": "Dot",
}

#: keras.activations functions -> the operation class they apply to a symbolic tensor
#: (keras/src/activations/activations.py: ``relu`` is a ``ReLU`` operation, named ``re_lu``).
ACTIVATION_OPERATIONS = {
    "relu": "ReLU",
    "relu6": "Relu6",
    "leaky_relu": "LeakyRelu",
    "elu": "Elu",
    "selu": "Selu",
    "gelu": "Gelu",
    "sigmoid": "Sigmoid",
    "hard_sigmoid": "HardSigmoid",
    "softmax": "Softmax",
    "tanh": "Tanh",
    "silu": "Silu",
    "swish": "Silu",
    "softplus": "Softplus",
    "softsign": "Softsign",
}

#: Layers whose ``__init__`` ("init") or first build ("build") creates auto-named
#: sublayers: Keras' name counter moves on for them, so later names depend on it.
HIDDEN_SUBLAYERS = {
    "MultiHeadAttention": ("build", ("Softmax", "Dropout")),
    "GroupedQueryAttention": ("build", ("Softmax", "Dropout")),
    "TextVectorization": ("init", ("StringLookup",)),
}

#: ``keras.backend`` functions about the configuration, not tensors (``backend_call``).
BACKEND_CONFIG_FUNCTIONS = frozenset(["image_data_format", "image_dim_ordering", "set_image_data_format", "clear_session", "int_shape"])

#: The second parameter of the merge functions that have one, and its default.
MERGE_FUNCTION_PARAMETERS = {"concatenate": ("axis", -1), "dot": ("axes", -1)}

#: Model methods that only train, save or print: no effect on the architecture.
INERT_MODEL_METHODS = frozenset(
    ["summary", "compile", "fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator", "predict_on_batch", "train_on_batch", "test_on_batch", "save", "save_weights", "load_weights", "to_json", "to_yaml", "get_config", "count_params", "reset_states", "reset_metrics", "get_weights", "set_weights", "export"]
)

#: Symbol names for the unknown dimensions of an input, by rank (channels_last).
SYMBOLS_BY_RANK = {1: ("T",), 2: ("T", "C"), 3: ("H", "W", "C"), 4: ("D", "H", "W", "C")}
SYMBOLS_BY_RANK_CHANNELS_FIRST = {3: ("C", "H", "W"), 4: ("C", "D", "H", "W")}


def keras_path(qualname: str) -> tuple[str, ...] | None:
    """The path inside Keras of a qualified name (``tensorflow.keras.layers.Dense``
    -> ``("layers", "Dense")``), or None if it is not a Keras name."""
    for root in KERAS_ROOTS:
        if qualname == root:
            return ()
        if qualname.startswith(root + "."):
            path = tuple(qualname[len(root) + 1 :].split("."))
            return path[1:] if path[:1] == ("src",) else path
    return None


def is_keras_base_class(value: Any, names: tuple[str, ...]) -> bool:
    """Whether a class value is (a subclass of) one of Keras' ``names`` classes."""
    if isinstance(value, ModuleRef):
        path = keras_path(value.qualname)
        return bool(path) and path[-1] in names
    if isinstance(value, ClassValue):
        return any(is_keras_base_class(base, names) for base in value.bases)
    return False


class KerasRuntime:
    """Keras' observable behaviour for one file's evaluation."""

    def __init__(self, interpreter: Interpreter, input_overrides: dict | None = None) -> None:
        self.interpreter = interpreter
        #: Input shapes stated by the user (pragma, ``--input-shape``), by the call site
        #: of the InputLayer they replace.
        self.input_overrides: dict = dict(input_overrides or {})
        self.graph = LayerGraph()
        self.propagator = Propagator(self.graph)
        self.names = NameCounter()
        self.image_data_format = "channels_last"
        self.models: list[ModelObj] = []
        self.layers: list[Any] = []
        self._used_symbols: set[str] = set()
        #: Keras' Layer base for the objects of user classes.
        self.custom = CustomClasses(self)
        #: Symbols standing for a None of Keras (an unknown axis of an Input), not for an unknown number.
        self.none_symbols: set[str] = set()
        #: keras.ops, TensorFlow and Keras 2 backend functions on tensors (padlint/ops).
        self.ops = TensorOps(self)
        #: keras.applications' architecture modules, evaluated on first use (padlint.applications).
        self.applications: Any = None

    @property
    def tracing(self) -> int:
        """Depth of custom-layer ``call()`` tracing. Keras traces on backend placeholders:
        operators there are backend ops, not named Keras operations."""
        return self.graph.tracing

    # ------------------------------------------------------------ resolution

    def call(self, qualname: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool) -> Any:
        """Call a name reached through imports; Unknown when Keras does not define it."""
        args, kwargs = _sized_arguments(args, kwargs)
        path = keras_path(qualname)
        if path is None and qualname.startswith("tensorflow."):
            result = self.ops.tensorflow_call(qualname[len("tensorflow.") :], args, kwargs, site)
            if result is not None:
                return result
        if path is None or not path:
            return self.opaque_call(qualname, args, kwargs, site)
        name = path[-1]
        in_layers = "layers" in path[:-1]
        if name == "Sequential":
            return self.make_sequential(args, kwargs, site)
        if name in ("Model", "Functional"):
            return self.make_functional(args, kwargs, site)
        if name == "Input" and path[0] in ("layers", "Input", "engine"):
            return self.make_input(args, kwargs, site)
        if in_layers and name in MERGE_FUNCTIONS and args:
            return self.merge_function(name, args, kwargs, site, open_kwargs)
        if path[0] == "ops":
            return self.ops.keras_call(path[1:], args, kwargs, site)
        if path[0] == "activations" and args and isinstance(args[0], TensorRef):
            return self.activation_function(name, args[0], site)
        if path[0] == "applications":
            from padlint.applications import call_application

            return call_application(self, qualname, path[1:], args, kwargs, site, open_kwargs)
        if path[0] == "random" and name in ("normal", "uniform", "truncated_normal"):
            return self.random_tensor(args, kwargs)
        if path[0] == "backend" and len(path) == 2 and name not in BACKEND_CONFIG_FUNCTIONS:
            result = self.ops.backend_call(name, args, kwargs, site)
            if result is not None:
                return result
        if path[0] in ("backend", "config", "utils") or (len(path) == 1 and path[0] in ("image_data_format",)):
            return self.backend_call(name, args, kwargs)
        if in_layers and lookup(name) is not None:
            return self.construct_layer(name, args, kwargs, site, open_kwargs)
        if in_layers and name[:1].isupper():
            return self.construct_unknown_layer(name, kwargs, site, f"{'.'.join(path)} is not a layer padlint knows")
        return self.opaque_call(qualname, args, kwargs, site)

    def merge_function(self, name: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool) -> Any:
        """``layers.concatenate([a, b], axis)`` is ``Concatenate(axis=axis)([a, b])``, with the
        function's own defaults (keras/src/layers/merging/concatenate.py, dot.py)."""
        arguments = dict(kwargs)
        parameter = MERGE_FUNCTION_PARAMETERS.get(name)
        if parameter is not None:
            key, default = parameter
            if len(args) > 1:
                arguments[key] = args[1]
            arguments.setdefault(key, default)
        layer = self.construct_layer(MERGE_FUNCTIONS[name], [], arguments, site, open_kwargs)
        return self.apply(layer, args[:1], {}, site)

    def backend_call(self, name: str, args: list, kwargs: dict) -> Any:
        if name in ("image_data_format", "image_dim_ordering"):
            return self.image_data_format if name == "image_data_format" else ("th" if self.image_data_format == "channels_first" else "tf")
        if name == "set_image_data_format" and args and isinstance(args[0], str):
            self.image_data_format = args[0]
            return None
        if name == "clear_session":
            self.names.reset()
            return None
        if name == "int_shape" and args and isinstance(args[0], TensorRef):
            return self.shape_tuple(args[0])
        if name == "is_keras_tensor" and len(args) == 1 and not kwargs:
            value = args[0]
            return isinstance(value, TensorRef) if not isinstance(value, Unknown) else Unknown("is_keras_tensor() of an unknown value")
        if name == "get_source_inputs" and len(args) == 1 and not kwargs:
            return source_inputs(args[0])
        return Unknown(f"keras.{name}() is not modelled")

    def opaque_call(self, qualname: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """An unknown function: Unknown, but if tensors go in, an opaque node keeps the graph whole."""
        args, kwargs = _sized_arguments(args, kwargs)
        tensors = [value for value in flatten(list(args) + list(kwargs.values())) if isinstance(value, TensorRef)]
        if not tensors:
            return Unknown(f"{qualname}() is not modelled")
        operation = OpaqueOp(class_name=qualname, name=qualname.rsplit(".", 1)[-1], site=site)
        call = self.graph.add_call(operation, tensors, site)
        self.propagator.annotate(call)
        return call.output(0)

    # ------------------------------------------------------------ keras.ops

    def tensor_operator(self, op: str, left: Any, right: Any, site: cst.CSTNode | None) -> Any:
        """``x + y``, ``x * 2``, ``2 * x``: the operation KerasTensor's dunder methods create."""
        return self.ops.operator(op, _sized(left), _sized(right), site)

    def tensor_unary(self, op: str, operand: Any, site: cst.CSTNode | None) -> Any:
        return self.ops.unary(op, operand, site)

    def activation_function(self, name: str, tensor: TensorRef, site: cst.CSTNode | None) -> Any:
        """``keras.activations.relu(x)`` on a symbolic tensor: the shape-preserving operation
        keras/src/activations/activations.py applies (``relu`` is a ``ReLU`` operation)."""
        if name == "linear":
            return tensor
        class_name = ACTIVATION_OPERATIONS.get(name)
        if class_name is None:
            return self.opaque_call(f"keras.activations.{name}", [tensor], {}, site)
        spec = dataclasses.replace(
            keras_op_by_module("numpy", "negative"),
            name=f"keras.activations.{name}",
            class_name=class_name,
            mirrors="keras/src/activations/activations.py",
        )
        return self.ops.apply(spec, [tensor], {}, site)

    def tensor_getitem(self, tensor: TensorRef, key: Any, site: cst.CSTNode | None) -> Any:
        """``x[:, 0]``: Keras' GetItem operation."""
        return self.ops.getitem(tensor, _sized(key), site)

    @staticmethod
    def random_tensor(args: list, kwargs: dict) -> Any:
        """``keras.random.normal(shape=...)``: a concrete tensor of that shape (a None
        dimension, such as a batch size read with ``ops.shape``, stays None)."""
        from padlint.evaluation.values import ConstTensor

        shape = kwargs.get("shape", args[0] if args else None)
        if isinstance(shape, (tuple, list)) and all(
            dim is None or isinstance(dim, Unknown) or (isinstance(dim, int) and not isinstance(dim, bool) and dim >= 0) for dim in shape
        ):
            # A size padlint does not know (a dynamic batch size) is an unknown dimension.
            return ConstTensor(tuple(None if isinstance(dim, Unknown) else dim for dim in shape))
        return Unknown("a random tensor of unknown shape")

    def apply_eagerly(self, layer: LayerObj, value: Any) -> Any:
        """A layer called on a concrete tensor (in a traced ``call()``): Keras builds it and
        computes at once; no graph node, but the layer has its weights from then on."""
        from padlint.evaluation.values import ConstTensor
        from padlint.layers.base import CallInputs, Unresolved

        if layer.spec is None or layer.config is None:
            return Unknown(f"{layer.name} called on a concrete tensor")
        try:
            result = self.propagator.compute(layer, CallInputs([value.shape]))
        except (LayerError, Unresolved):
            return Unknown(f"{layer.name} called on a concrete tensor")
        self.propagator.record_eager_build(layer, result)
        if len(result.outputs) != 1 or result.outputs[0] is None:
            return Unknown(f"{layer.name} called on a concrete tensor")
        return ConstTensor(tuple(result.outputs[0]))

    # ---------------------------------------------------------------- layers

    def construct_layer(
        self, class_name: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool = False, spec: LayerSpec | None = None
    ) -> LayerObj:
        """A layer of a class padlint has a spec for: the registry's, or ``spec`` (a layer class
        Keras does not export from keras.layers, such as keras.applications' LayerScale)."""
        spec = spec or lookup(class_name)
        assert spec is not None
        args, kwargs = _sized_arguments(args, kwargs)
        try:
            arguments = bind_arguments(spec, args, kwargs)
        except LayerError:
            arguments = dict(kwargs)
        config = LayerConfig(spec, arguments, self.image_data_format, open_kwargs=open_kwargs)
        explicit_name = kwargs.get("name")
        name = explicit_name if isinstance(explicit_name, str) else self.names.auto_name(spec.class_name)
        layer = LayerObj(
            class_name=spec.class_name,
            spec=spec,
            config=config,
            name=name,
            site=site,
            input_shape_arg=None if spec.class_name == "InputLayer" else self.input_shape_argument(kwargs),
            trainable=kwargs.get("trainable", True),
        )
        hidden = HIDDEN_SUBLAYERS.get(spec.class_name)
        if hidden is not None and hidden[0] == "init":
            for class_name in hidden[1]:
                self.names.auto_name(class_name)
        self.layers.append(layer)
        if spec.class_name == "InputLayer":
            stated = self.input_overrides.get(site) if site is not None else None
            if stated is not None:
                for key in ("shape", "input_shape", "batch_shape", "batch_input_shape"):
                    config.arguments.pop(key, None)
                config.arguments["shape"] = tuple(stated)
            self.substitute_symbols(config)
            call = self.graph.add_call(layer, [], site)
            self.propagator.annotate(call)
        return layer

    def construct_unknown_layer(self, class_name: str, kwargs: dict, site: cst.CSTNode | None, reason: str) -> LayerObj:
        explicit_name = kwargs.get("name")
        name = explicit_name if isinstance(explicit_name, str) else self.names.auto_name(class_name)
        layer = LayerObj(class_name=class_name, spec=None, config=None, name=name, site=site, unsupported=reason)
        layer.input_shape_arg = self.input_shape_argument(kwargs)
        self.layers.append(layer)
        return layer

    def input_shape_argument(self, kwargs: dict) -> Any:
        """The batch shape a Keras 2 style ``input_shape``/``input_dim``/``batch_input_shape`` gives
        (None when none is passed; an Unknown when the whole shape, rank included, is unknown)."""
        batch_size = kwargs.get("batch_size")
        batch = batch_size if isinstance(batch_size, int) else None
        if "batch_input_shape" in kwargs:
            value = kwargs["batch_input_shape"]
            return tuple(value) if isinstance(value, (tuple, list)) else Unknown("the batch_input_shape argument is not known")
        if "input_dim" in kwargs:
            return (batch, kwargs["input_dim"])
        if "input_shape" in kwargs:
            value = kwargs["input_shape"]
            if isinstance(value, (tuple, list)):
                return (batch,) + tuple(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return (batch, value)
            return Unknown("the input_shape argument is not known")
        return None

    def substitute_symbols(self, config: LayerConfig) -> None:
        """Give the open and the unknown dimensions of an input names (H, W, ...) so later
        sizes stay expressions.

        ``None`` in the source is ``None`` to Keras too: its symbol is marked
        ``keras_none`` and the layer specs treat it as Keras does (a weight sized by
        it is an error). A dimension padlint merely does not know
        (``input_shape=(rows, cols, 1)`` with ``rows`` read from data) is a number
        when the script runs: its symbol is not ``keras_none``, comparisons with it
        stay undecided, and weights sized by it are formulas.

        Names are unique in the file: a second input gets ``H2``, ``W2`` only where
        its names would clash with ones already used."""
        key = "shape" if config.is_set("shape") else "input_shape" if config.is_set("input_shape") else None
        if key is None:
            return
        shape = config.arguments[key]
        if not isinstance(shape, (tuple, list)):
            return
        open_axes = {index for index, dim in enumerate(shape) if dim is None}
        unknown_axes = {index for index, dim in enumerate(shape) if isinstance(dim, Unknown)}
        named = sorted(open_axes | unknown_axes)
        if not named:
            config.arguments[key] = tuple(shape)
            return
        table = SYMBOLS_BY_RANK_CHANNELS_FIRST if self.image_data_format == "channels_first" else SYMBOLS_BY_RANK
        base = table.get(len(shape)) or SYMBOLS_BY_RANK.get(len(shape)) or tuple(f"d{i + 1}_" for i in range(len(shape)))
        suffix = ""
        number = 1
        while any(base[index] + suffix in self._used_symbols for index in named):
            number += 1
            suffix = str(number)
        names = {index: base[index] + suffix for index in named}
        self._used_symbols.update(names.values())
        self.none_symbols.update(names[index] for index in open_axes)
        config.arguments[key] = tuple(
            Sym.symbol(names[index], keras_none=index in open_axes) if index in names else dim for index, dim in enumerate(shape)
        )

    def make_input(self, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``keras.Input(shape=...)``: an InputLayer and its output tensor."""
        arguments = dict(kwargs)
        if args:
            arguments.setdefault("shape", args[0])
        if "tensor" in arguments and isinstance(arguments["tensor"], TensorRef):
            return arguments["tensor"]
        layer = self.construct_layer("InputLayer", [], arguments, site)
        return layer.calls[0].output(0)

    def apply(self, operation: Any, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """Call a layer or model on tensors: a new graph node, annotated at once."""
        args, kwargs = _sized_arguments(args, kwargs)
        if not args and not kwargs:
            return Unknown("layer called without inputs")
        if traces_call(operation) or self.traceable_lambda(operation) is not None:
            return self.apply_custom(operation, args, kwargs, site)[0]
        from padlint.evaluation.values import ConstTensor

        if isinstance(operation, LayerObj) and len(args) == 1 and not kwargs and isinstance(args[0], ConstTensor):
            self.before_first_call(operation)
            return self.apply_eagerly(operation, args[0])
        self.before_first_call(operation)
        spec = getattr(operation, "spec", None)
        list_input = False
        names: list[str] = []
        call_kwargs: dict[str, Any] = {}
        if isinstance(operation, ModelObj) or spec is None:
            tensors = flatten(args[0]) if args else flatten(list(kwargs.values()))
            list_input = bool(args) and isinstance(args[0], (list, tuple, dict))
            call_kwargs = {k: v for k, v in kwargs.items() if not isinstance(v, TensorRef)}
        elif spec.takes_list:
            value = args[0] if args else kwargs.get(spec.call_signature[0])
            list_input = isinstance(value, (list, tuple))
            tensors = list(value) if list_input else [value]
            call_kwargs = {k: v for k, v in kwargs.items() if k != spec.call_signature[0]}
        else:
            tensors = []
            bound = dict(zip(spec.call_signature, args))
            for key, value in kwargs.items():
                bound.setdefault(key, value)
            for key, value in bound.items():
                if key in spec.call_signature and isinstance(value, TensorRef):
                    tensors.append(value)
                    names.append(key)
                elif key in spec.call_signature and isinstance(value, (list, tuple)) and key == spec.call_signature[0]:
                    tensors.extend(value)
                    names.extend([key] * len(value))
                    list_input = True
                elif key in spec.call_signature and isinstance(value, (list, tuple)) and value and all(isinstance(item, TensorRef) for item in value):
                    # ``initial_state=[state_h, state_c]``: tensors the layer reads, so edges of
                    # the graph (Keras lists the encoder that made them among the model's layers).
                    tensors.extend(value)
                    names.extend([key] * len(value))
                else:
                    call_kwargs[key] = value
        if not tensors or not all(isinstance(tensor, TensorRef) for tensor in tensors):
            return Unknown(f"{getattr(operation, 'name', 'layer')} called on values padlint cannot follow")
        if isinstance(operation, ModelObj) and operation.kind == "sequential" and not operation.built:
            self.build_sequential_from_call(operation, tensors[0])
        call = self.graph.add_call(operation, tensors, site, input_names=names or None, call_kwargs=call_kwargs, list_input=list_input)
        self.propagator.annotate(call)
        count = len(call.output_shapes) if call.output_shapes is not None else 1
        if count == 1:
            return call.output(0)
        return [call.output(index) for index in range(count)]

    @staticmethod
    def traceable_lambda(operation: Any) -> Any:
        """The user function of a ``Lambda`` without ``output_shape`` (padlint traces it as
        Keras does); None for any other layer."""
        from padlint.evaluation.values import Closure

        if not isinstance(operation, LayerObj) or operation.class_name != "Lambda" or operation.config is None:
            return None
        arguments = operation.config.arguments
        function = arguments.get("function")
        if not isinstance(function, Closure) or arguments.get("output_shape") is not None:
            return None
        return function

    def before_first_call(self, operation: Any) -> None:
        """Names Keras gives the sublayers a layer creates when it is first built."""
        if isinstance(operation, LayerObj) and not operation.calls:
            hidden = HIDDEN_SUBLAYERS.get(operation.class_name)
            if hidden is not None and hidden[0] == "build":
                for class_name in hidden[1]:
                    self.names.auto_name(class_name)

    def apply_custom(self, layer: Any, args: list, kwargs: dict, site: cst.CSTNode | None) -> tuple[Any, LayerCall | None]:
        """Call a layer (or subclassed model) of a user class, or a ``Lambda`` whose function
        padlint can follow: trace the code as Keras does (on placeholders of the inputs'
        shapes, building the sublayers it calls), then add one node whose outputs are the
        traced outputs. Returns the result and the node."""
        function = self.traceable_lambda(layer)
        if function is None:
            return self.custom.call(layer, args, kwargs, site)
        if not any(isinstance(value, TensorRef) for value in flatten([list(args), kwargs])):
            return Unknown(f"{layer.name} called on values padlint cannot follow"), None
        # ``Lambda(fn)``: Keras traces ``fn(inputs, **arguments)`` for the output shape.
        extra = layer.config.arguments.get("arguments") if layer.config is not None else None
        inner_args, inner_kwargs = self.custom.placeholders(list(args), {**kwargs, **extra} if isinstance(extra, dict) else dict(kwargs), site)
        traced = self.custom.trace(layer, function, inner_args, inner_kwargs, bound=False)
        tensors = [value for value in flatten([list(args), kwargs]) if isinstance(value, TensorRef)]
        call_kwargs = {key: value for key, value in kwargs.items() if not any(isinstance(leaf, TensorRef) for leaf in flatten(value))}
        call = self.graph.add_call(layer, tensors, site, call_kwargs=call_kwargs)
        return self.custom.traced_result(layer, call, traced), call

    # ---------------------------------------------------------------- models

    def make_sequential(self, args: list, kwargs: dict, site: cst.CSTNode | None) -> ModelObj:
        layers = args[0] if args else kwargs.get("layers")
        name = kwargs.get("name", args[2] if len(args) > 2 else None)
        model = ModelObj(kind="sequential", name=name if isinstance(name, str) else self.names.auto_name("Sequential"), site=site)
        model.trainable = kwargs.get("trainable", True)
        self.register_model(model)
        if isinstance(layers, (list, tuple)):
            for layer in layers:
                self.sequential_add(model, layer, rebuild=False)
            if layers:
                self.maybe_rebuild(model)
        elif layers is not None:
            model.uncertain.append("the layer list passed to Sequential is not known")
        return model

    def make_functional(self, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        inputs = args[0] if args else kwargs.get("inputs", kwargs.get("input"))
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs", kwargs.get("output"))
        if inputs is None and outputs is None:
            return Unknown("Model() without inputs and outputs")
        name = kwargs.get("name")
        model = ModelObj(
            kind="functional",
            name=name if isinstance(name, str) else self.names.auto_name("Functional"),
            site=site,
            inputs=inputs,
            outputs=outputs,
        )
        model.trainable = kwargs.get("trainable", True)
        for label, structure in (("inputs", inputs), ("outputs", outputs)):
            if not all(isinstance(tensor, TensorRef) for tensor in flatten(structure)):
                model.uncertain.append(f"the model's {label} are not known")
        self.register_model(model)
        return model

    def register_model(self, model: ModelObj) -> None:
        model.function = self.interpreter.current_function()
        # A model made inside a custom layer's or subclassed model's methods (a feed-forward
        # Sequential in a Transformer block) is part of that layer, not a model of the file.
        owners = [
            owner for owner, _ in self.interpreter._method_stack
            if owner is not None and (is_keras_layer_class(owner) or is_keras_base_class(owner, ("Model", "Functional", "Sequential")))
        ]
        model.internal = bool(owners)
        if owners and model.function is not None:
            model.function = f"{owners[-1].name}.{model.function}"  # ``EncoderLayer.__init__``: where the model is made
        self.models.append(model)

    def sequential_add(self, model: ModelObj, layer: Any, rebuild: bool = True) -> None:
        """Mirror of ``Sequential.add`` (keras/src/models/sequential.py)."""
        if not model.layers and getattr(layer, "input_shape_arg", None) is not None:
            # Keras 2 style ``input_shape=`` on the first layer: ``self.add(InputLayer(...))``.
            input_layer = self.construct_layer("InputLayer", [], {"batch_shape": layer.input_shape_arg}, layer.site)
            self.substitute_batch_symbols(input_layer)
            self.sequential_add(model, input_layer)
        if isinstance(layer, TensorRef) and isinstance(layer.node.operation, LayerObj) and layer.node.operation.class_name == "InputLayer":
            layer = layer.node.operation
        if not isinstance(layer, (LayerObj, ModelObj)):
            model.uncertain.append("a layer added to the model is not known")
            layer = OpaqueOp(class_name="?", name="?", site=None)
        elif isinstance(layer, ModelObj) and rebuild:
            # ``model.add(model)``: Keras accepts it, then recurses without end when the model
            # is built. (``Sequential([...])`` adds without rebuilding; the model it is making
            # cannot be inside its layers, so they are not searched.)
            problem = _containment_problem(model, layer)
            if problem is not None:
                model.uncertain.append(problem)
                layer = OpaqueOp(class_name=layer.class_name or "Model", name=layer.name, site=None)
        model.layers.append(layer)
        if rebuild:
            self.maybe_rebuild(model)
        else:
            self.unbuild(model)

    def sequential_pop(self, model: ModelObj) -> Any:
        """Mirror of ``Sequential.pop``: the stack shrinks and the model rebuilds."""
        layer = model.layers.pop()
        if model.layers:
            self.maybe_rebuild(model)
        else:
            self.unbuild(model)
        return layer

    def substitute_batch_symbols(self, input_layer: LayerObj) -> None:
        """Symbols for unknown dimensions of a Keras 2 ``input_shape=`` argument."""
        config = input_layer.config
        batch_shape = config.arguments.get("batch_shape")
        if isinstance(batch_shape, tuple) and len(batch_shape) > 1:
            config.arguments["shape"] = batch_shape[1:]
            batch = batch_shape[0]
            del config.arguments["batch_shape"]
            if batch is not None:
                config.arguments["batch_size"] = batch
            self.substitute_symbols(config)
            self.propagator.annotate(input_layer.calls[0])

    @staticmethod
    def unbuild(model: ModelObj) -> None:
        model.built = False

    def maybe_rebuild(self, model: ModelObj) -> None:
        """Mirror of ``Sequential._maybe_rebuild``: build when the input shape is known from
        an InputLayer in front, or from a first layer that has ``input_shape`` (a built model)."""
        self.unbuild(model)
        if len(model.layers) < 2:
            return
        first = model.layers[0]
        if is_input_layer(first):
            self.sequential_build(model, None)
        elif isinstance(first, ModelObj):
            shape = self.model_input_shape(first)
            if shape is not None:
                self.sequential_build(model, shape)

    def model_input_shape(self, model: ModelObj) -> Any:
        """``model.input_shape`` when Keras defines it for a single input, else None
        (Keras' ``hasattr`` is False, or the shape is a list ``build`` declines)."""
        if model.kind == "sequential":
            if not model.built or not model.chain:
                return None
            tensor = model.chain[0].output(0)
        elif model.kind == "functional":
            inputs = flatten(model.inputs)
            if len(inputs) != 1 or not isinstance(inputs[0], TensorRef):
                return None if len(inputs) != 1 else Unknown("the model's input is not known")
            tensor = inputs[0]
        else:
            return None
        shape = tensor.shape()
        return tuple(shape) if shape is not None else Unknown("the input shape of the inner model is not known")

    def sequential_build(self, model: ModelObj, shape: Any) -> None:
        """Mirror of ``Sequential.build``: an InputLayer in front when there is none, every
        layer called in turn (building inner Sequentials), then a Functional (named).

        ``shape`` None means "the InputLayer's own shape" (a rebuild). The graph nodes
        of the stack are kept from the last build where the layers are unchanged, so
        building a model with n ``add`` calls costs O(n), not O(n**2). (Keras calls
        every layer again; that only shows if a layer of the stack was also called
        elsewhere on a differently shaped tensor in between.)
        """
        if not model.layers:
            return
        if not is_input_layer(model.layers[0]):
            if not _could_be_shape(shape):
                return  # Keras' standardize_shape fails and build() returns without building
            batch_shape = tuple(shape) if isinstance(shape, (tuple, list)) else shape
            if isinstance(batch_shape, Unknown):
                model.uncertain.append("the shape given to build() is not known")
            input_layer = self.construct_layer("InputLayer", [], {"batch_shape": batch_shape}, model.site)
            self.substitute_batch_symbols(input_layer)
            model.layers.insert(0, input_layer)
        input_call = model.layers[0].calls[0]
        previous = model.chain if model.chain and model.chain[0] is input_call else [input_call]
        # The stack only changes at its end (add/pop) between builds: keep the longest
        # prefix of the last build's nodes that still matches, found from the end.
        kept = min(len(previous), len(model.layers))
        while kept > 1 and previous[kept - 1].operation is not model.layers[kept - 1]:
            kept -= 1
        chain = previous[:kept]
        for layer in model.layers[kept:]:
            tensor = chain[-1].output(0)
            if isinstance(layer, ModelObj) and layer.kind == "sequential" and not layer.built:
                self.build_sequential_from_call(layer, tensor)
            call = None
            if traces_call(layer) or self.traceable_lambda(layer) is not None:
                call = self.apply_custom(layer, [tensor], {}, getattr(layer, "site", None))[1]
            if call is None:
                self.before_first_call(layer)
                call = self.graph.add_call(layer, [tensor], getattr(layer, "site", None))
                self.propagator.annotate(call)
            chain.append(call)
        model.chain = chain
        model.built = True
        self.names.auto_name("Functional")

    def build_sequential_on_data(self, model: ModelObj, method: str, args: list, kwargs: dict) -> None:
        """``model.fit(x, ...)`` on a Sequential without an Input: Keras' trainer builds it on its
        first batch (keras/src/trainers/trainer.py ``_symbolic_build``), whose batch axis is the
        batch size when every batch is full and None when the last one is partial
        (keras/src/trainers/data_adapters/array_data_adapter.py; ``validation_split`` first takes
        ``floor(n * (1 - split))`` samples for training); ``train_on_batch(x)`` builds on all of x.
        On data padlint does not follow, the model stays unbuilt here, but Keras has made its
        InputLayer and Functional all the same: their names are taken, so later names stay right."""
        shape = first_batch_shape(method, args, kwargs)
        if shape is not None:
            self.sequential_build(model, shape)
            return
        if not is_input_layer(model.layers[0]):
            self.names.auto_name("InputLayer")
        self.names.auto_name("Functional")
        model.uncertain.append(f"{method}() builds it on data whose shape padlint does not know")

    def call_on_input(self, model: ModelObj, shape: tuple) -> None:
        """A subclassed model called on ``keras.Input(shape)``: for an input shape the user stated
        (a pragma, ``--input-shape``) where the code never builds the model."""
        tensor = self.make_input([], {"shape": tuple(shape)}, model.site)
        if isinstance(tensor, TensorRef):
            self.apply(model, [tensor], {}, model.site)

    def build_sequential_from_call(self, model: ModelObj, tensor: TensorRef) -> None:
        """An unbuilt Sequential called on a tensor builds itself for that shape."""
        if model.built or not model.layers:
            return
        shape = tensor.shape()
        self.sequential_build(model, tuple(shape) if shape is not None else Unknown("the input shape is not known"))

    def ensure_chain(self, model: ModelObj) -> list[LayerCall] | None:
        """The graph nodes of a built Sequential model's stack (None while unbuilt)."""
        return model.chain if model.built else None

    # ----------------------------------------------------- attributes/methods

    def shape_tuple(self, tensor: TensorRef) -> Any:
        shape = tensor.shape()
        if shape is None:
            return Unknown("the tensor's shape is not known")
        return tuple(shape)

    def model_inputs(self, model: ModelObj) -> Any:
        if model.kind == "sequential":
            chain = self.ensure_chain(model)
            return chain[0].output(0) if chain else Unknown("the model is not built")
        return model.inputs

    def model_outputs(self, model: ModelObj) -> Any:
        if model.kind == "sequential":
            chain = self.ensure_chain(model)
            return chain[-1].output(0) if chain else Unknown("the model is not built")
        return model.outputs

    def model_shapes(self, model: ModelObj, tensors: str) -> Any:
        """Mirror of keras/src/models/functional.py ``input_shape``/``output_shape`` (Sequential
        defers to its functional form): the shape of each of the model's flat inputs or
        outputs, a single shape when there is one."""
        value = self.attribute(model, tensors)
        if not isinstance(value, list) or not value or not all(isinstance(tensor, TensorRef) for tensor in value):
            return Unknown(f"model.{tensors[:-1]}_shape")
        shapes = [self.shape_tuple(tensor) for tensor in value]
        return shapes[0] if len(shapes) == 1 else shapes

    def attribute(self, obj: Any, name: str) -> Any:
        """``layer.output``, ``model.layers``, ``x.shape`` and the like."""
        if isinstance(obj, TensorRef):
            if name in ("shape", "_keras_shape"):
                return self.shape_tuple(obj)
            if name == "ndim":
                shape = obj.shape()
                return len(shape) if shape is not None else Unknown("the tensor's rank is not known")
            return Unknown(f"tensor.{name}")
        if isinstance(obj, ModelObj):
            if name == "layers":
                # Functional.layers keeps the operations that are layers: not the keras.ops of ``x + y``.
                return [operation for operation in model_layers(obj) if not isinstance(operation, TensorOp)]
            if name in ("input", "inputs"):
                value = self.model_inputs(obj)
                return flatten(value) if name == "inputs" and not isinstance(value, Unknown) else value
            if name in ("output", "outputs"):
                value = self.model_outputs(obj)
                return flatten(value) if name == "outputs" and not isinstance(value, Unknown) else value
            if name in ("input_shape", "output_shape"):
                return self.model_shapes(obj, name.split("_")[0] + "s")
            if name == "name":
                return obj.name
            if name == "trainable":
                return obj.trainable
            return Unknown(f"model.{name}")
        if isinstance(obj, (LayerObj, OpaqueOp)):
            if name == "name":
                return obj.name
            if name == "trainable":
                return obj.trainable
            if name in ("output", "input"):
                if not obj.calls:
                    return Unknown(f"layer {obj.name} has not been called")
                call = obj.calls[-1]
                if name == "output":
                    count = len(call.output_shapes) if call.output_shapes else 1
                    return call.output(0) if count == 1 else [call.output(i) for i in range(count)]
                return call.inputs[0] if len(call.inputs) == 1 else list(call.inputs)
            if name in ("output_shape", "input_shape"):
                value = self.attribute(obj, name.split("_")[0])
                return self.shape_tuple(value) if isinstance(value, TensorRef) else Unknown(f"layer.{name}")
            if isinstance(obj, LayerObj) and obj.config is not None and name in obj.config.arguments:
                return obj.config.arguments[name]
            return Unknown(f"layer.{name}")
        return Unknown(f".{name}")

    def set_attribute(self, obj: Any, name: str, value: Any) -> bool:
        """``layer.trainable = False`` and similar; True when handled."""
        if isinstance(obj, (LayerObj, ModelObj)) and name == "trainable":
            set_trainable(obj, value)
            return True
        return isinstance(obj, (LayerObj, ModelObj, TensorRef, OpaqueOp))

    def method(self, obj: Any, name: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``model.add(...)``, ``model.build(...)``, ``model.get_layer(...)``, ..."""
        args, kwargs = _sized_arguments(args, kwargs)
        if getattr(obj, "custom", None) is not None:
            handled = self.custom.method(obj, name, args, kwargs, site)
            if handled is not NOT_HANDLED:
                return handled
        if isinstance(obj, ModelObj):
            if name == "add" and args and obj.kind == "sequential":
                self.sequential_add(obj, args[0])
                return None
            if name == "pop" and obj.kind == "sequential" and obj.layers:
                return self.sequential_pop(obj)
            if name == "build":
                shape = args[0] if args else kwargs.get("input_shape")
                if obj.kind == "sequential":
                    self.sequential_build(obj, shape)
                return None
            if name == "get_layer":
                return self.get_layer(obj, args, kwargs)
            if name in CALLING_METHODS and obj.kind == "sequential" and not obj.built and obj.layers:
                self.build_sequential_on_data(obj, name, args, kwargs)
            if name in INERT_MODEL_METHODS:
                return None
            if name == "__call__":
                return self.apply(obj, args, kwargs, site)
            return Unknown(f"model.{name}()")
        if isinstance(obj, TensorRef):
            if name == "get_shape":
                return self.shape_tuple(obj)
            return self.ops.method(obj, name, args, kwargs, site)
        if isinstance(obj, LayerObj):
            if name == "__call__":
                return self.apply(obj, args, kwargs, site)
            if name == "build" and obj.spec is not None and obj.config is not None and args:
                return self.build_layer(obj, args[0])
            layer_method = getattr(obj.spec, "layer_method", None)
            if layer_method is not None and obj.config is not None:
                result = layer_method(obj.config, name, args, kwargs)
                if result is not NotImplemented:
                    return result
            return Unknown(f"layer.{name}()")
        return Unknown(f".{name}()")

    def build_layer(self, layer: LayerObj, shape: Any) -> None:
        """``layer.build(input_shape)`` on a Keras layer (in a custom layer's ``build``): its
        weights are made for that shape, as a first call would make them."""
        from padlint.layers.base import CallInputs, Unresolved

        if isinstance(shape, list) and not any(isinstance(dim, (list, tuple)) for dim in shape):
            shape = tuple(shape)
        if not isinstance(shape, tuple) or not all(dim is None or isinstance(dim, (int, Sym)) for dim in shape):
            self.propagator.record_unknown_build(layer)
            return None
        self.before_first_call(layer)
        try:
            result = self.propagator.compute(layer, CallInputs([shape]))
        except (LayerError, Unresolved):
            self.propagator.record_unknown_build(layer)
            return None
        self.propagator.record_eager_build(layer, result)
        return None

    def get_layer(self, model: ModelObj, args: list, kwargs: dict) -> Any:
        layers = self.attribute(model, "layers")
        name = kwargs.get("name", args[0] if args else None)
        index = kwargs.get("index", args[1] if len(args) > 1 else None)
        if isinstance(name, str):
            for layer in layers:
                if getattr(layer, "name", None) == name:
                    return layer
        if isinstance(index, int) and -len(layers) <= index < len(layers):
            return layers[index]
        return Unknown("model.get_layer()")

    def instantiate_class(self, cls: ClassValue, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """A user class: a subclassed model or a custom layer (see padlint.evaluation.custom_layers),
        or Unknown for a class that is neither. The interpreter then runs the class's
        ``__init__`` on the object."""
        if is_keras_base_class(cls, ("Model", "Functional", "Sequential")):
            return self.custom.instantiate(cls, "model", args, kwargs, site)
        if is_keras_layer_class(cls):
            return self.custom.instantiate(cls, "layer", args, kwargs, site)
        return Unknown(f"instance of {cls.name}")

    def super_member(self, instance: Any, name: str) -> Any:
        """``super().name`` where the base class is Keras': MISSING when padlint has nothing to say."""
        return self.custom.super_member(instance, name)


#: Most models padlint looks through to decide whether a model contains another.
MAX_NESTED_MODELS = 1_000


def _containment_problem(model: ModelObj, added: ModelObj) -> str | None:
    """Why ``added`` cannot be a layer of ``model``: it is ``model`` or contains it (or nests
    too many models to tell)."""
    contained = _contains(added, model)
    if contained is None:
        return f"model {added.name} nests more than {MAX_NESTED_MODELS:,} models; padlint does not follow it"
    if contained:
        where = "itself" if added is model else f"{model.name}, which it contains"
        return f"model {added.name} is added to {where}: Keras cannot build a model that contains itself"
    return None


def _contains(outer: ModelObj, inner: ModelObj) -> bool | None:
    """Whether ``inner`` is ``outer`` or one of its layers, at any depth (None: more than
    MAX_NESTED_MODELS models to look through)."""
    from padlint.propagation import model_layers

    seen: set[int] = set()
    stack: list[Any] = [outer]
    while stack:
        item = stack.pop()
        if item is inner:
            return True
        if isinstance(item, ModelObj) and id(item) not in seen:
            if len(seen) >= MAX_NESTED_MODELS:
                return None
            seen.add(id(item))
            stack.extend(layer for layer in model_layers(item) if isinstance(layer, ModelObj))
    return False


#: Keras layer classes that derive from other public ones (keras/src/layers: SpatialDropout2D
#: is a Dropout, LSTM an RNN, AdditiveAttention an Attention, ...), for ``isinstance``.
LAYER_BASES: dict[str, tuple[str, ...]] = {
    "AdditiveAttention": ("Attention",),
    **dict.fromkeys(("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "LSTM", "SimpleRNN"), ("RNN",)),
    **dict.fromkeys(("SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"), ("Dropout",)),
    **dict.fromkeys(("SpectralNormalization", "TimeDistributed"), ("Wrapper",)),
}
#: The model classes a model of each kind is an instance of.
MODEL_CLASSES = {"functional": ("Model", "Functional"), "sequential": ("Model", "Sequential"), "subclassed": ("Model",)}


def keras_isinstance(value: LayerObj | ModelObj, classes: list[str]) -> Any:
    """``isinstance(layer, keras.layers.BatchNormalization)`` (or a tuple of Keras classes)
    for a layer or model padlint made; Unknown for a class it cannot place (a user's class,
    a layer it has no spec for, a class from outside Keras)."""
    for qualname in classes:
        path = keras_path(qualname)
        if not path:
            return Unknown("isinstance with a class padlint does not model")
        name = path[-1]
        if name == "Layer" or name == "Operation":
            return True
        if isinstance(value, ModelObj):
            if value.user_class is not None and name not in MODEL_CLASSES["subclassed"]:
                return Unknown("isinstance of a subclassed model")
            if name in MODEL_CLASSES.get(value.kind, ()):
                return True
            continue
        if value.spec is None or value.user_class is not None:
            return Unknown(f"isinstance of {value.class_name}, a layer padlint has no spec for")
        spec = lookup(name)
        canonical = spec.class_name if spec is not None else name
        if spec is None and canonical not in {base for bases in LAYER_BASES.values() for base in bases} and canonical not in ("Model", "Functional", "Sequential"):
            return Unknown(f"isinstance with {qualname}, a class padlint does not model")
        if value.class_name == canonical or canonical in LAYER_BASES.get(value.class_name, ()):
            return True
    return False


def source_inputs(tensor: Any) -> Any:
    """Mirror of keras/src/ops/operation_utils.py ``get_source_inputs``: the input tensors a
    tensor is computed from (each once, in the order they are reached)."""
    if not isinstance(tensor, TensorRef):
        return tensor if not isinstance(tensor, Unknown) else Unknown("get_source_inputs() of an unknown value")
    found: list[TensorRef] = []
    stack: list[TensorRef] = [tensor]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        node = current.node
        if not node.inputs:
            if all(current.key() != other.key() for other in found):
                found.append(current)
            continue
        if node.id in seen:
            continue
        seen.add(node.id)
        stack.extend(reversed(node.inputs))
    return found


def _sized(value: Any) -> Any:
    """An argument as Keras' side of padlint may take it (the layer specs, the graph, shape
    propagation walk and copy structures): one too large or deep to walk
    (``[[0] * 100_000] * 100_000``, ``range(10**9)``) is unknown to them."""
    return value if bounded_structure(value) else Unknown("an argument too large or too deeply nested for padlint")


def _sized_arguments(args: list, kwargs: dict) -> tuple[list, dict]:
    return [_sized(value) for value in args], {key: _sized(value) for key, value in kwargs.items()}


def set_trainable(obj: LayerObj | ModelObj, value: Any) -> None:
    """Mirror of the ``Layer.trainable`` setter (keras/src/layers/layer.py): the flag goes to the
    layer, its variables and, recursively, the layers it holds now (a model's layers, a
    custom layer's tracked sublayers, nested models included), so ``base.trainable = True`` after
    ``layer.trainable = False`` makes that layer trainable again. Layers added later keep their own."""
    from padlint.propagation import tracked_layers

    if isinstance(value, int):
        value = bool(value)  # Keras' setter: ``bool(value)``
    seen: set[int] = set()
    stack: list[Any] = [obj]
    while stack and len(seen) <= MAX_NESTED_MODELS * 10:
        item = stack.pop()
        if id(item) in seen or not isinstance(item, (LayerObj, ModelObj)):
            continue
        seen.add(id(item))
        item.trainable = value
        if item.custom is not None:
            stack.extend(tracked_layers(item.attributes, {id(item)}))
        if isinstance(item, ModelObj) and item.kind != "subclassed":
            stack.extend(model_layers(item))


def _could_be_shape(value: Any) -> bool:
    """Whether Keras' ``standardize_shape`` may accept this (an Unknown may be a shape)."""
    if isinstance(value, Unknown):
        return True
    if not isinstance(value, (tuple, list)):
        return False
    return all(dim is None or isinstance(dim, (int, Sym, Unknown)) and not isinstance(dim, bool) for dim in value)


def is_keras_layer_class(value: Any) -> bool:
    """Whether a user class derives from ``keras.Layer`` or from any Keras layer class."""
    if isinstance(value, ModuleRef):
        path = keras_path(value.qualname)
        return bool(path) and (path[-1] == "Layer" or ("layers" in path[:-1] and path[-1][:1].isupper()))
    if isinstance(value, ClassValue):
        return any(is_keras_layer_class(base) for base in value.bases)
    return False


def is_input_layer(layer: Any) -> bool:
    return isinstance(layer, LayerObj) and layer.class_name == "InputLayer"


#: Positions of ``batch_size`` and ``validation_split`` in ``Model.fit`` / ``evaluate`` / ``predict``
#: (keras/src/trainers/trainer.py signatures: ``fit(x, y, batch_size, epochs, verbose, callbacks,
#: validation_split, ...)``, ``evaluate(x, y, batch_size, ...)``, ``predict(x, batch_size, ...)``).
_BATCH_ARGUMENTS = {"fit": (2, 6), "evaluate": (2, None), "predict": (1, None)}


def first_batch_shape(method: str, args: list, kwargs: dict) -> tuple | None:
    """The shape of the first batch Keras' trainer builds an unbuilt model on, for
    ``model.<method>(x, ...)`` on one NumPy array of known shape (see ``_first_batch_size``);
    None when padlint does not know it (other data, an unknown dimension or batch size)."""
    from padlint.evaluation.arrays import ArrayValue

    data = args[0] if args else kwargs.get("x")
    shape = data.shape if isinstance(data, ArrayValue) else None
    batch = _first_batch_size(method, shape, args, kwargs) if shape else None
    if batch is None or not all(isinstance(dim, int) and not isinstance(dim, bool) for dim in shape[1:]):
        return None
    return (None if batch == 0 else batch, *shape[1:])


def _first_batch_size(method: str, shape: tuple, args: list, kwargs: dict) -> int | None:
    """The batch axis of the first batch Keras builds on: the batch size when every batch is full,
    0 for None (a partial last batch); None when padlint cannot tell (a generator's steps, an
    unknown size or split). ``fit`` and ``evaluate`` build on the data adapter's symbolic batch
    (keras/src/trainers/trainer.py ``_symbolic_build``), whose batch axis is None when the last
    batch is partial; ``predict`` builds on its first real batch: the batch size, or all the
    samples when there are fewer (measured in Keras 3.15: 7 samples give 7, 33 give 32)."""
    samples = shape[0] if shape else None
    if not isinstance(samples, int) or isinstance(samples, bool) or samples <= 0:
        return None
    if method in ("train_on_batch", "test_on_batch", "predict_on_batch"):
        return samples
    if method not in _BATCH_ARGUMENTS or "steps_per_epoch" in kwargs or "steps" in kwargs:
        return None
    batch_position, split_position = _BATCH_ARGUMENTS[method]
    batch_size = kwargs.get("batch_size", args[batch_position] if len(args) > batch_position else None)
    split = kwargs.get("validation_split", args[split_position] if split_position is not None and len(args) > split_position else 0.0)
    if batch_size is None:
        batch_size = 32
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
        return None
    if method == "predict":
        return min(samples, batch_size)
    if not isinstance(split, (int, float)) or isinstance(split, bool) or not 0 <= split < 1:
        return None
    training = int(math.floor(samples * (1.0 - split))) if split else samples
    return batch_size if training and training % batch_size == 0 else 0
