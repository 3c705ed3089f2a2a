"""Layers and models of user classes, as Keras' ``Layer`` base runs them.

A class deriving from ``keras.layers.Layer`` (or ``keras.Model``) is ordinary
Python to Keras, wrapped by a few things the base class does
(keras/src/layers/layer.py): ``Layer.__init__`` (reached by
``super().__init__(...)``) names the object; ``add_weight`` makes a variable;
``__call__`` builds the layer once (``_maybe_build``: the user's
``build(input_shape)`` with the real input shape, or, without one, a trace of
``call()`` that builds the sublayers) and then computes the output: with the
class's ``compute_output_shape`` when it defines one, else by tracing ``call()``
on placeholders of the inputs' shapes (``compute_output_spec``). A call on a
concrete array (``model(x_train[:1])``) runs the same steps eagerly and makes
no graph node.

A ``keras.Model`` subclass whose ``__init__`` passes ``inputs=`` and
``outputs=`` to ``super().__init__`` is a Functional model named after its
class (keras/src/models/model.py ``Model.__new__``). A subclass of a Keras
layer class that defines no ``call`` is that Keras layer under its own class
name.

padlint interprets the user's methods with its own evaluator; what they do
to Keras objects comes back here through :class:`KerasRuntime`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.evaluation.values import ClassValue, Closure, ConstTensor, MISSING, ModuleRef, Unknown, class_lookup
from padlint.graph import CustomState, LayerCall, LayerObj, ModelObj, TensorRef, TracePlaceholder, Variable, flatten
from padlint.layers import LayerConfig, LayerError, Unresolved, lookup
from padlint.layers.base import bind_arguments
from padlint.layers.weights import variable_size
from padlint.symbolic import Sym
from padlint.walk import walk

if TYPE_CHECKING:
    from padlint.evaluation.keras_api import KerasRuntime

#: Methods of a user class that Keras wraps: a call from user code goes through Keras'
#: wrapper (``build`` records that the layer is built), not straight to the user's method.
KERAS_WRAPPED_METHODS = frozenset(["build"])

#: What :meth:`CustomClasses.method` returns for a method it leaves to the caller.
NOT_HANDLED = object()

#: Model methods that call the model on data (so build a subclassed model on its shapes).
CALLING_METHODS = frozenset(
    ["fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator", "predict_on_batch", "train_on_batch", "test_on_batch"]
)


class CustomClasses:
    """Keras' ``Layer`` base for the user-class objects of one file's evaluation."""

    def __init__(self, runtime: KerasRuntime) -> None:
        self.runtime = runtime

    # ------------------------------------------------------------ construction

    def instantiate(self, cls: ClassValue, kind: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> LayerObj | ModelObj:
        """A layer (``kind`` "layer") or subclassed model ("model") of a user class, named when
        its ``__init__`` reaches Keras' (at once when the class has no ``__init__`` of its own)."""
        runtime = self.runtime
        obj: LayerObj | ModelObj
        if kind == "model":
            obj = ModelObj(kind="subclassed", name="", site=site)
            obj.class_name = cls.name
        else:
            obj = LayerObj(class_name=cls.name, spec=None, config=None, name="", site=site, unsupported=f"{cls.name} is a custom layer class")
            obj.input_shape_arg = runtime.input_shape_argument(kwargs)
            runtime.layers.append(obj)
        obj.user_class = cls
        obj.custom = CustomState()
        if kind == "model":
            runtime.register_model(obj)
        if not _reaches_keras_init(cls):
            self.keras_init(obj, list(args), kwargs)  # Keras' own __init__ takes the call's arguments
        return obj

    def keras_init(self, obj: LayerObj | ModelObj, args: list, kwargs: dict) -> None:
        """``super().__init__(...)`` reaching Keras: the name (explicit, or the snake_case class
        name made unique, as Operation.__init__ gives it), ``trainable``, a Keras 2
        ``input_shape``; a functional subclass's inputs and outputs; a Keras layer base's
        configuration."""
        state = obj.custom
        if state is None or state.initialised:
            return
        state.initialised = True
        runtime = self.runtime
        if isinstance(obj, ModelObj) and ("inputs" in kwargs or "outputs" in kwargs or len(args) >= 2):
            inputs = kwargs.get("inputs", args[0] if args else None)
            outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
            obj.kind, obj.inputs, obj.outputs = "functional", inputs, outputs
            for label, structure in (("inputs", inputs), ("outputs", outputs)):
                if not all(isinstance(tensor, TensorRef) for tensor in flatten(structure)):
                    obj.uncertain.append(f"the model's {label} are not known")
            args = []
        base = keras_layer_base(obj.user_class) if isinstance(obj, LayerObj) else None
        if base is not None:
            spec = lookup(base)
            try:
                arguments = bind_arguments(spec, args, kwargs)
            except LayerError:
                arguments = dict(kwargs)
            obj.spec, obj.config = spec, LayerConfig(spec, arguments, runtime.image_data_format)
            obj.unsupported = None
        name = kwargs.get("name")
        obj.name = name if isinstance(name, str) else runtime.names.auto_name(obj.class_name)
        if "trainable" in kwargs:
            obj.trainable = kwargs["trainable"]
        if isinstance(obj, LayerObj):
            stated = runtime.input_shape_argument(kwargs)
            if stated is not None:
                obj.input_shape_arg = stated

    def super_member(self, instance: Any, name: str) -> Any:
        """``super().name`` where the base is Keras' own class (MISSING when padlint has nothing to say)."""
        from padlint.evaluation.builtins import BuiltinFunction

        if not isinstance(instance, (LayerObj, ModelObj)) or instance.custom is None:
            return MISSING
        if name == "__init__":
            return BuiltinFunction("super().__init__", lambda interp, args, kwargs: self.keras_init(instance, args, kwargs))
        if name == "build":
            # Layer.build marks the layer built (the wrapper around the user's build does too);
            # a Keras layer base makes its weights.
            return BuiltinFunction("super().build", lambda interp, args, kwargs: self.base_build(instance, args[0] if args else kwargs.get("input_shape")))
        if name == "call" and getattr(instance, "spec", None) is not None:
            return BuiltinFunction("super().call", lambda interp, args, kwargs: self.base_call(instance, args, kwargs))
        if name == "get_config":
            return BuiltinFunction("super().get_config", lambda interp, args, kwargs: {"name": instance.name, "trainable": instance.trainable})
        return MISSING

    def base_build(self, obj: Any, shape: Any) -> None:
        """The Keras layer base's ``build(input_shape)`` (``super().build`` in a subclass of Dense)."""
        if getattr(obj, "spec", None) is not None:
            self.runtime.build_layer(obj, shape)

    def base_call(self, obj: LayerObj, args: list, kwargs: dict) -> Any:
        """The Keras layer base's ``call`` inside the subclass's traced ``call()``: its output shape
        for the placeholder's shape, as a stand-in tensor of that shape."""
        from padlint.layers.base import CallInputs

        value = args[0] if args else next(iter(kwargs.values()), None)
        shape = value.shape() if isinstance(value, TensorRef) else None
        if shape is None:
            return Unknown(f"{obj.class_name}: super().call() on a value padlint cannot follow")
        try:
            result = self.runtime.propagator.compute(obj, CallInputs([shape]))
        except (LayerError, Unresolved):
            return Unknown(f"{obj.class_name}: super().call() could not be computed")
        if len(result.outputs) != 1 or result.outputs[0] is None:
            return Unknown(f"{obj.class_name}: super().call() has an output padlint does not know")
        node = self.runtime.graph.add_call(TracePlaceholder(class_name="placeholder", name="", site=None, shape=tuple(result.outputs[0])), [], None)
        self.runtime.propagator.annotate(node)
        return node.output(0)

    # ---------------------------------------------------------------- methods

    def method(self, obj: LayerObj | ModelObj, name: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
        """Keras' methods of a user-class object: ``add_weight``, ``build``."""
        if name in ("add_weight", "add_variable"):
            return self.add_weight(obj, args, kwargs)
        if name in CALLING_METHODS and isinstance(obj, ModelObj) and obj.kind == "subclassed" and (not obj.custom.built or self.has_unbuilt_state(obj)):
            # Built by ``model.build(shape)`` without a ``build()`` of its own, its sublayers are
            # still unbuilt: the first batch builds them, on data padlint may not know.
            self.build_on_first_batch(obj, name, args, kwargs, site)
            return NOT_HANDLED
        if name == "build":
            shape = args[0] if args else kwargs.get("input_shape", next(iter(kwargs.values()), None))
            if isinstance(obj, ModelObj) and obj.kind == "functional":
                return None  # Functional.build only marks it built
            self.explicit_build(obj, shape)
            return None
        return NOT_HANDLED

    def add_weight(self, obj: LayerObj | ModelObj, args: list, kwargs: dict) -> Any:
        """Mirror of ``Layer.add_weight``: a variable of ``shape`` (default ``()``), trainable or not."""
        state = obj.custom
        shape = kwargs.get("shape", args[0] if args else None)
        if shape is None:
            shape = ()
        trainable = kwargs.get("trainable", True)
        name = kwargs.get("name")
        label = name if isinstance(name, str) else f"#{len(state.variables)}"
        if isinstance(shape, list):
            shape = tuple(shape)
        if not isinstance(shape, tuple) or not isinstance(trainable, bool):
            state.followed = False
            return Unknown(f"a weight of {obj.name} whose shape or trainability padlint does not know")
        try:
            size = variable_size(obj.class_name, label, shape)
        except (LayerError, Unresolved):
            state.followed = False
            size = None
        dims = tuple(dim if dim is None or isinstance(dim, (int, Sym)) else None for dim in shape)
        variable = Variable(shape=dims, trainable=trainable, size=size)
        state.variables.append(variable)
        return variable

    # --------------------------------------------------------------- building

    def explicit_build(self, obj: LayerObj | ModelObj, shape: Any) -> None:
        """``layer.build(shape)`` from user code: Keras' wrapper runs the user's ``build`` (if
        any) and marks the object built; Layer.build itself builds nothing."""
        state = obj.custom
        shape = tuple(shape) if isinstance(shape, list) and all(not isinstance(dim, (list, tuple)) for dim in shape) else shape
        build = user_method(obj, "build")
        if build is not None:
            self.run_user_method(obj, build, [shape], {})
        state.built = True
        if user_method(obj, "compute_output_shape") is not None and state.build_outputs is None:
            state.build_outputs = self.declared_outputs(obj, {"input_shape": shape})

    def run_user_method(self, obj: LayerObj | ModelObj, method: Closure, args: list, kwargs: dict) -> Any:
        """Run one of the user's methods; what padlint cannot follow leaves the object's state unknown."""
        result = self.runtime.interpreter.call_closure(method, [obj, *args], kwargs)
        if isinstance(result, Unknown) and obj.custom is not None:
            obj.custom.followed = False
        return result

    def has_unbuilt_state(self, obj: LayerObj | ModelObj) -> bool:
        """Mirror of keras/src/layers/layer.py ``might_have_unbuilt_state``: a sublayer is not built."""
        from padlint.propagation import tracked_layers

        propagator = self.runtime.propagator
        return any(propagator.is_built(sublayer) is not True for sublayer in tracked_layers(obj.attributes, {id(obj)}))

    # ---------------------------------------------------------------- calling

    def call(self, obj: LayerObj | ModelObj, args: list, kwargs: dict, site: cst.CSTNode | None) -> tuple[Any, LayerCall | None]:
        """``obj(inputs)``: build it on the first call, then its outputs (a graph node whose outputs
        are those of the traced ``call()``, or of the class's ``compute_output_shape``)."""
        runtime = self.runtime
        state = obj.custom
        tensors = [value for value in flatten([list(args), kwargs]) if isinstance(value, TensorRef)]
        concrete = [value for value in flatten(list(args[:1])) if isinstance(value, ConstTensor) and not isinstance(value, Variable)]
        if not tensors and not concrete:
            if not state.built:
                self.built_on_unknown_data(obj, "a call")
            return Unknown(f"{obj.name} called on values padlint cannot follow"), None
        eager = not tensors
        method = user_method(obj, "call")
        inner_args, inner_kwargs = self.placeholders(list(args), dict(kwargs), site)
        shapes = self.input_shapes(obj, method, inner_args, inner_kwargs)
        traced: Any = Unknown(f"{obj.class_name} has no call() padlint can follow")
        declares = user_method(obj, "compute_output_shape") is not None
        first_build = not state.built
        if first_build:
            build = user_method(obj, "build")
            if build is not None:
                self.run_user_method(obj, build, *self.bind_shapes(build, shapes))
            elif getattr(obj, "spec", None) is not None:
                self.base_build(obj, next(iter(shapes.values()), None))
            elif method is not None and self.has_unbuilt_state(obj):
                traced = self.trace(obj, method, inner_args, inner_kwargs)
            state.built = True
        declared = self.declared_outputs(obj, shapes) if declares else None
        if first_build:
            state.build_outputs = declared
        if not declares and method is not None:
            traced = self.trace(obj, method, inner_args, inner_kwargs)
        if eager:
            return self.eager_result(obj, declared if declares else traced), None
        call_kwargs = {key: value for key, value in kwargs.items() if not any(isinstance(leaf, TensorRef) for leaf in flatten(value))}
        call = runtime.graph.add_call(obj, tensors, site, call_kwargs=call_kwargs)
        if declares:
            call.declared_outputs = declared
            if declared is None:
                call.traced_outputs = []
                call.trace_failure = f"{obj.class_name}.compute_output_shape(): its result is not a shape padlint can follow"
            runtime.propagator.annotate(call)
            if declared is None:
                return call.output(0), call
            outputs = [call.output(index) for index in range(len(declared))]
            return (outputs[0] if len(outputs) == 1 else outputs), call
        return self.traced_result(obj, call, traced), call

    def build_on_first_batch(self, obj: ModelObj, method: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> None:
        """Mirror of keras/src/trainers/trainer.py ``_symbolic_build``: ``model.fit(x, ...)`` (and
        evaluate, predict, ``train_on_batch``) calls the model on a symbolic first batch with
        ``training=False``, which builds it and its sublayers and leaves no node behind (as an
        eager call does). The batch axis is the Sequential path's (``first_batch_shape``)."""
        from padlint.evaluation.keras_api import first_batch_shape

        if obj.custom.built and not obj.custom.followed:
            return  # built on data padlint does not know: whether the batch builds anything is not known either
        shape = first_batch_shape(method, args, kwargs)
        if shape is None:
            self.built_on_unknown_data(obj, f"{method}()")
            return
        call = user_method(obj, "call")
        params = call.node.params if call is not None and isinstance(call.node, cst.FunctionDef) else None
        takes_training = params is not None and any(param.name.value == "training" for param in (*params.posonly_params, *params.params, *params.kwonly_params))
        self.call(obj, [ConstTensor(shape)], {"training": False} if takes_training else {}, site)

    @staticmethod
    def built_on_unknown_data(obj: LayerObj | ModelObj, how: str) -> None:
        """Keras builds the object on data padlint does not know: its sublayers' shapes and
        weights are unknown from then on (not "unbuilt")."""
        obj.custom.built = True
        obj.custom.followed = False
        if isinstance(obj, ModelObj):
            obj.uncertain.append(f"{how} builds {obj.name} on data whose shape padlint does not know")

    def placeholders(self, args: list, kwargs: dict, site: cst.CSTNode | None) -> tuple[list, dict]:
        """The call's arguments with each tensor (and each concrete array of an eager call)
        replaced by a placeholder of its shape, as Keras traces ``call()``."""
        runtime = self.runtime
        made: dict[tuple[int, int], TensorRef] = {}

        def stand_in(value: Any) -> Any:
            if isinstance(value, TensorRef):
                key = value.key()
                if key not in made:
                    node = runtime.graph.add_call(TracePlaceholder(class_name="placeholder", name="", site=site), [value], site)
                    runtime.propagator.annotate(node)
                    made[key] = node.output(0)
                return made[key]
            if isinstance(value, ConstTensor) and not isinstance(value, Variable):
                node = runtime.graph.add_call(TracePlaceholder(class_name="placeholder", name="", site=site, shape=tuple(value.shape)), [], site)
                runtime.propagator.annotate(node)
                return node.output(0)
            return value

        return _map_leaves(args, stand_in), _map_leaves(kwargs, stand_in)

    def trace(self, obj: Any, method: Closure, args: list, kwargs: dict, *, bound: bool = True) -> Any:
        """Run ``call()`` (``bound``: a method of ``obj``) or a Lambda's function on placeholders:
        what it makes is marked traced (it is no inbound node of Keras')."""
        graph = self.runtime.graph
        graph.tracing += 1
        try:
            traced = self.runtime.interpreter.call_closure(method, [obj, *args] if bound else args, kwargs)
        finally:
            graph.tracing -= 1
        leaves = flatten(traced)
        if obj.custom is not None and not (leaves and all(isinstance(leaf, TensorRef) for leaf in leaves)):
            obj.custom.followed = False
        return traced

    def traced_result(self, obj: Any, call: LayerCall, traced: Any) -> Any:
        """The node's outputs stand for the traced ones, in the structure ``call()`` returned."""
        leaves = flatten(traced)
        if leaves and all(isinstance(leaf, TensorRef) for leaf in leaves):
            call.traced_outputs = leaves
        else:
            call.traced_outputs = []
            reason = traced.reason if isinstance(traced, Unknown) and traced.reason else "its output is not a tensor padlint can follow"
            call.trace_failure = f"{obj.class_name}.call(): {reason}"
        self.runtime.propagator.annotate(call)
        if not call.traced_outputs:
            return call.output(0)
        outputs = iter(call.output(index) for index in range(len(leaves)))
        return _replace_leaves(traced, outputs)

    @staticmethod
    def eager_result(obj: Any, outputs: Any) -> Any:
        """An eager call's result: concrete arrays of the output shapes (no graph node)."""
        leaves = flatten(outputs)
        if isinstance(outputs, list) and outputs and all(isinstance(item, tuple) for item in outputs):
            arrays = [ConstTensor(tuple(shape)) for shape in outputs]  # declared shapes
            return arrays[0] if len(arrays) == 1 else arrays
        if not leaves or not all(isinstance(leaf, TensorRef) and leaf.shape() is not None for leaf in leaves):
            return Unknown(f"the output of {obj.name} called on an array is not known")
        return _replace_leaves(outputs, iter(ConstTensor(tuple(leaf.shape())) for leaf in leaves))

    # ----------------------------------------------------------------- shapes

    def input_shapes(self, obj: Any, method: Closure | None, args: list, kwargs: dict) -> dict[str, Any]:
        """Mirror of keras/src/layers/layer.py ``get_shapes_dict``: ``{"<arg>_shape": shape}`` for
        the tensor arguments of ``call()`` (not ``mask``), in order."""
        names: list[str] = []
        if method is not None and isinstance(method.node, cst.FunctionDef):
            params = method.node.params
            names = [param.name.value for param in (*params.posonly_params, *params.params)][1:]
        bound: dict[str, Any] = {}
        for index, value in enumerate(args):
            bound[names[index] if index < len(names) else f"arg{index}"] = value
        for key, value in kwargs.items():
            bound.setdefault(key, value)
        shapes: dict[str, Any] = {}
        for key, value in bound.items():
            if key == "mask" or not any(isinstance(leaf, TensorRef) for leaf in flatten(value)):
                continue
            shapes[f"{key}_shape"] = _shape_structure(value)
        return shapes

    @staticmethod
    def bind_shapes(target: Closure, shapes: dict[str, Any]) -> tuple[list, dict]:
        """Mirror of ``update_shapes_dict_for_target_fn``: one parameter gets the first shape,
        several get the shapes of the call arguments they are named after."""
        params = target.node.params if isinstance(target.node, cst.FunctionDef) else None
        names = [param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)][1:] if params else []
        if len(names) == 1:
            return [next(iter(shapes.values()), None)], {}
        return [], {name: shapes[name] for name in names if name in shapes}

    def declared_outputs(self, obj: Any, shapes: dict[str, Any]) -> list | None:
        """The class's ``compute_output_shape`` on the input shapes, as a list of shapes (None when
        padlint cannot follow it or it does not return shapes)."""
        method = user_method(obj, "compute_output_shape")
        if method is None:
            return None
        args, kwargs = self.bind_shapes(method, shapes)
        result = self.runtime.interpreter.call_closure(method, [obj, *args], kwargs)
        if _is_shape(result):
            return [tuple(result)]
        if isinstance(result, (list, tuple)) and result and all(_is_shape(item) for item in result):
            return [tuple(item) for item in result]
        return None


# ------------------------------------------------------------------ helpers


def user_method(obj: Any, name: str) -> Closure | None:
    """The user's own method ``name`` of a layer or model of a user class, if it defines one."""
    cls = getattr(obj, "user_class", None)
    if cls is None:
        return None
    found, _ = class_lookup(cls, name)
    return found if isinstance(found, Closure) else None


def keras_layer_base(cls: Any) -> str | None:
    """The Keras layer class padlint models that a user class derives from (``layers.Dense``);
    None for ``keras.layers.Layer`` and anything else."""
    from padlint.evaluation.keras_api import keras_path

    if not isinstance(cls, ClassValue):
        return None
    queue = list(cls.bases)
    while queue:
        base = queue.pop(0)
        if isinstance(base, ModuleRef):
            path = keras_path(base.qualname)
            if path and "layers" in path[:-1] and path[-1] != "Layer" and lookup(path[-1]) is not None:
                return lookup(path[-1]).class_name
        elif isinstance(base, ClassValue):
            queue.extend(base.bases)
    return None


def _reaches_keras_init(cls: ClassValue) -> bool:
    """Whether the class's own ``__init__`` may call up to Keras' (``super().__init__`` or
    ``Base.__init__(self, ...)``): then Keras names the object there, else at construction."""
    initializer, _ = class_lookup(cls, "__init__")
    if not isinstance(initializer, Closure):
        return False
    return any(isinstance(node, cst.Attribute) and node.attr.value == "__init__" for node in walk(initializer.node))


def _shape_structure(value: Any) -> Any:
    """``tree.map_structure(standardize_shape, value)``: a tensor's shape as a tuple, nested lists kept."""
    if isinstance(value, TensorRef):
        shape = value.shape()
        return tuple(shape) if shape is not None else Unknown("the input shape is not known")
    if isinstance(value, list):
        return [_shape_structure(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_shape_structure(item) for item in value)
    if isinstance(value, dict):
        return {key: _shape_structure(item) for key, item in value.items()}
    return None


def _is_shape(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and all(dim is None or (isinstance(dim, (int, Sym)) and not isinstance(dim, bool)) for dim in value)


def _map_leaves(structure: Any, function: Any) -> Any:
    """The structure (lists, tuples, dicts) with each leaf replaced by ``function(leaf)``."""
    if isinstance(structure, list):
        return [_map_leaves(item, function) for item in structure]
    if isinstance(structure, tuple):
        return tuple(_map_leaves(item, function) for item in structure)
    if isinstance(structure, dict):
        return {key: _map_leaves(item, function) for key, item in structure.items()}
    return function(structure)


def _replace_leaves(structure: Any, leaves: Any) -> Any:
    """The structure with its leaves (in ``flatten`` order) replaced by the next values."""
    if isinstance(structure, list):
        return [_replace_leaves(item, leaves) for item in structure]
    if isinstance(structure, tuple):
        return tuple(_replace_leaves(item, leaves) for item in structure)
    if isinstance(structure, dict):
        try:
            keys = sorted(structure)
        except TypeError:
            keys = list(structure)
        replaced = {key: _replace_leaves(structure[key], leaves) for key in keys}
        return {key: replaced[key] for key in structure}
    return next(leaves)
