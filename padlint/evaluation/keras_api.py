"""What Keras does when model-building code runs, replayed statically.

The interpreter hands every call whose callee resolves to a Keras name
(``keras.layers.Conv2D``, ``tf.keras.Sequential``, ``keras.layers.concatenate``,
``K.image_data_format``, ...) to :class:`KerasRuntime`, which creates layer and
model objects, adds layer applications to the graph, and asks propagation for
their shapes. It mirrors the Keras behaviour that shows in a summary: layer
naming (keras/src/utils/naming.py), ``Sequential.add``/``build`` and the
InputLayer it creates (keras/src/models/sequential.py), and Functional models
(keras/src/models/functional.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.naming import NameCounter
from padlint.evaluation.values import ClassValue, ModuleRef, Unknown
from padlint.graph import LayerCall, LayerGraph, LayerObj, ModelObj, OpaqueOp, TensorRef, flatten
from padlint.layers import LayerConfig, LayerError, lookup
from padlint.layers.base import bind_arguments
from padlint.propagation import Propagator
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

#: Model methods that only train, save or print: no effect on the architecture.
INERT_MODEL_METHODS = frozenset(
    "summary compile fit fit_generator evaluate evaluate_generator predict predict_generator predict_on_batch "
    "train_on_batch test_on_batch save save_weights load_weights to_json to_yaml get_config count_params "
    "reset_states reset_metrics get_weights set_weights export".split()
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

    def __init__(self, interpreter: "Interpreter") -> None:
        self.interpreter = interpreter
        self.graph = LayerGraph()
        self.propagator = Propagator(self.graph)
        self.names = NameCounter()
        self.image_data_format = "channels_last"
        self.models: list[ModelObj] = []
        self.layers: list[Any] = []
        self._symbol_sets = 0

    # ------------------------------------------------------------ resolution

    def call(self, qualname: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool) -> Any:
        """Call a name reached through imports; Unknown when Keras does not define it."""
        path = keras_path(qualname)
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
            layer = self.construct_layer(MERGE_FUNCTIONS[name], [], {k: v for k, v in kwargs.items()}, site, open_kwargs)
            return self.apply(layer, args[:1], {}, site)
        if path[0] in ("backend", "config", "utils") or (len(path) == 1 and path[0] in ("image_data_format",)):
            return self.backend_call(name, args, kwargs)
        if in_layers and lookup(name) is not None:
            return self.construct_layer(name, args, kwargs, site, open_kwargs)
        if in_layers and name[:1].isupper():
            return self.construct_unknown_layer(name, kwargs, site, f"{'.'.join(path)} is not a layer padlint knows")
        return self.opaque_call(qualname, args, kwargs, site)

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
        return Unknown(f"keras.{name}() is not modelled")

    def opaque_call(self, qualname: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """An unknown function: Unknown, but if tensors go in, an opaque node keeps the graph whole."""
        tensors = [value for value in flatten(list(args) + list(kwargs.values())) if isinstance(value, TensorRef)]
        if not tensors:
            return Unknown(f"{qualname}() is not modelled")
        operation = OpaqueOp(class_name=qualname, name=qualname.rsplit(".", 1)[-1], site=site)
        call = self.graph.add_call(operation, tensors, site)
        self.propagator.annotate(call)
        return call.output(0)

    # ---------------------------------------------------------------- layers

    def construct_layer(self, class_name: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool = False) -> LayerObj:
        spec = lookup(class_name)
        assert spec is not None
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
        self.layers.append(layer)
        if spec.class_name == "InputLayer":
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

    def input_shape_argument(self, kwargs: dict) -> tuple | None:
        """The batch shape a Keras 2 style ``input_shape``/``input_dim``/``batch_input_shape`` gives."""
        batch_size = kwargs.get("batch_size")
        batch = batch_size if isinstance(batch_size, int) else None
        if "batch_input_shape" in kwargs:
            value = kwargs["batch_input_shape"]
            return tuple(value) if isinstance(value, (tuple, list)) else (Unknown("batch_input_shape"),)
        if "input_dim" in kwargs:
            return (batch, kwargs["input_dim"])
        if "input_shape" in kwargs:
            value = kwargs["input_shape"]
            if isinstance(value, (tuple, list)):
                return (batch,) + tuple(value)
            if isinstance(value, int):
                return (batch, value)
            return (batch, value)
        return None

    def substitute_symbols(self, config: LayerConfig) -> None:
        """Give the unknown dimensions of an input names (H, W, ...) so later sizes stay expressions."""
        key = "shape" if config.is_set("shape") else "input_shape" if config.is_set("input_shape") else None
        if key is None:
            return
        shape = config.arguments[key]
        if isinstance(shape, int) and not isinstance(shape, bool):
            return
        if not isinstance(shape, (tuple, list)):
            return
        if not any(dim is None or isinstance(dim, Unknown) for dim in shape):
            return
        self._symbol_sets += 1
        suffix = "" if self._symbol_sets == 1 else str(self._symbol_sets)
        table = SYMBOLS_BY_RANK_CHANNELS_FIRST if self.image_data_format == "channels_first" else SYMBOLS_BY_RANK
        base = table.get(len(shape)) or SYMBOLS_BY_RANK.get(len(shape)) or tuple(f"d{i + 1}_" for i in range(len(shape)))
        config.arguments[key] = tuple(
            Sym.symbol(base[index] + suffix) if dim is None or isinstance(dim, Unknown) else dim for index, dim in enumerate(shape)
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
        if not args and not kwargs:
            return Unknown("layer called without inputs")
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
            tensors = list(value) if isinstance(value, (list, tuple)) else [value]
            list_input = True
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
                else:
                    call_kwargs[key] = value
        if not tensors or not all(isinstance(tensor, TensorRef) for tensor in tensors):
            return Unknown(f"{getattr(operation, 'name', 'layer')} called on values padlint cannot follow")
        if isinstance(operation, ModelObj) and operation.kind == "sequential" and operation.chain is None:
            self.build_sequential_from_call(operation, tensors[0])
        call = self.graph.add_call(operation, tensors, site, input_names=names or None, call_kwargs=call_kwargs, list_input=list_input)
        self.propagator.annotate(call)
        count = len(call.output_shapes) if call.output_shapes is not None else 1
        if count == 1:
            return call.output(0)
        return [call.output(index) for index in range(count)]

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
        self.models.append(model)

    def sequential_add(self, model: ModelObj, layer: Any, rebuild: bool = True) -> None:
        """Mirror of ``Sequential.add`` (keras/src/models/sequential.py)."""
        if isinstance(layer, TensorRef) and isinstance(layer.node.operation, LayerObj) and layer.node.operation.class_name == "InputLayer":
            layer = layer.node.operation
        if not isinstance(layer, (LayerObj, ModelObj)):
            model.uncertain.append("a layer added to the model is not known")
            layer = OpaqueOp(class_name="?", name="?", site=None)
        if not model.layers and getattr(layer, "input_shape_arg", None) is not None:
            input_layer = self.construct_layer("InputLayer", [], {"batch_shape": layer.input_shape_arg}, layer.site)
            self.substitute_batch_symbols(input_layer)
            self.sequential_add(model, input_layer, rebuild=True)
        model.layers.append(layer)
        model.chain = None
        if rebuild:
            self.maybe_rebuild(model)

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

    def maybe_rebuild(self, model: ModelObj) -> None:
        if model.layers and is_input_layer(model.layers[0]) and len(model.layers) > 1:
            self.names.auto_name("Functional")

    def sequential_build(self, model: ModelObj, shape: Any) -> None:
        """``model.build(input_shape)``: an InputLayer in front, then a functional graph."""
        if not model.layers:
            return
        if not is_input_layer(model.layers[0]):
            if not isinstance(shape, (tuple, list)):
                model.uncertain.append("the shape given to build() is not known")
                return
            input_layer = self.construct_layer("InputLayer", [], {"batch_shape": tuple(shape)}, model.site)
            self.substitute_batch_symbols(input_layer)
            model.layers.insert(0, input_layer)
        model.build_shape = tuple(shape) if isinstance(shape, (tuple, list)) else None
        model.chain = None
        self.names.auto_name("Functional")

    def build_sequential_from_call(self, model: ModelObj, tensor: TensorRef) -> None:
        """An unbuilt Sequential called on a tensor builds itself for that shape."""
        if model.layers and not is_input_layer(model.layers[0]):
            shape = tensor.shape()
            if shape is not None:
                self.sequential_build(model, shape)
        self.ensure_chain(model)

    def ensure_chain(self, model: ModelObj) -> list[LayerCall] | None:
        """The graph nodes of a Sequential model's stack, built on first need."""
        if model.chain is not None:
            return model.chain
        if not model.layers or not is_input_layer(model.layers[0]):
            return None
        input_layer = model.layers[0]
        chain = [input_layer.calls[0]]
        tensor = chain[0].output(0)
        for layer in model.layers[1:]:
            if isinstance(layer, ModelObj) and layer.kind == "sequential" and layer.chain is None:
                self.build_sequential_from_call(layer, tensor)
            call = self.graph.add_call(layer, [tensor], getattr(layer, "site", None))
            self.propagator.annotate(call)
            chain.append(call)
            tensor = call.output(0)
        model.chain = chain
        return chain

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

    def attribute(self, obj: Any, name: str) -> Any:
        """``layer.output``, ``model.layers``, ``x.shape`` and the like."""
        if isinstance(obj, TensorRef):
            if name in ("shape", "_keras_shape"):
                return self.shape_tuple(obj)
            return Unknown(f"tensor.{name}")
        if isinstance(obj, ModelObj):
            if name == "layers":
                return list(obj.layers[1:] if obj.layers and is_input_layer(obj.layers[0]) else obj.layers) if obj.kind == "sequential" else self.functional_layers(obj)
            if name in ("input", "inputs"):
                value = self.model_inputs(obj)
                return flatten(value) if name == "inputs" and not isinstance(value, Unknown) else value
            if name in ("output", "outputs"):
                value = self.model_outputs(obj)
                return flatten(value) if name == "outputs" and not isinstance(value, Unknown) else value
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

    def functional_layers(self, model: ModelObj) -> list:
        from padlint.graph import functional_layout

        inputs = [t for t in flatten(model.inputs) if isinstance(t, TensorRef)]
        outputs = [t for t in flatten(model.outputs) if isinstance(t, TensorRef)]
        return list(functional_layout(inputs, outputs).operations)

    def set_attribute(self, obj: Any, name: str, value: Any) -> bool:
        """``layer.trainable = False`` and similar; True when handled."""
        if isinstance(obj, (LayerObj, ModelObj)) and name == "trainable":
            obj.trainable = value
            return True
        return isinstance(obj, (LayerObj, ModelObj, TensorRef, OpaqueOp))

    def method(self, obj: Any, name: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """``model.add(...)``, ``model.build(...)``, ``model.get_layer(...)``, ..."""
        if isinstance(obj, ModelObj):
            if name == "add" and args and obj.kind == "sequential":
                self.sequential_add(obj, args[0])
                return None
            if name == "pop" and obj.kind == "sequential" and obj.layers:
                obj.chain = None
                return obj.layers.pop()
            if name == "build":
                shape = args[0] if args else kwargs.get("input_shape")
                if obj.kind == "sequential":
                    self.sequential_build(obj, shape)
                return None
            if name == "get_layer":
                return self.get_layer(obj, args, kwargs)
            if name in INERT_MODEL_METHODS:
                return None
            if name == "__call__":
                return self.apply(obj, args, kwargs, site)
            return Unknown(f"model.{name}()")
        if isinstance(obj, TensorRef):
            if name == "get_shape":
                return self.shape_tuple(obj)
            return Unknown(f"tensor.{name}()")
        if isinstance(obj, LayerObj):
            if name == "__call__":
                return self.apply(obj, args, kwargs, site)
            return Unknown(f"layer.{name}()")
        return Unknown(f".{name}()")

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
        """A user class: a custom layer, a subclassed model, or something padlint does not model."""
        if is_keras_base_class(cls, ("Model", "Functional", "Sequential")):
            model = ModelObj(kind="subclassed", name=self.names.auto_name(cls.name), site=site)
            model.class_name = cls.name
            model.uncertain.append(f"{cls.name} is a subclassed model; padlint does not trace its call()")
            self.register_model(model)
            return model
        if is_keras_base_class(cls, ("Layer",)):
            return self.construct_unknown_layer(cls.name, kwargs, site, f"{cls.name} is a custom layer class")
        return Unknown(f"instance of {cls.name}")


def is_input_layer(layer: Any) -> bool:
    return isinstance(layer, LayerObj) and layer.class_name == "InputLayer"
