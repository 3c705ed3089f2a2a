"""keras.applications, statically: every application of Keras 3, and ``preprocess_input``.

``keras.applications.ResNet50(include_top=False, input_shape=(160, 160, 3))`` is Keras
code building a Functional model of 175 layers. padlint builds the same model by running
its own twin of that code, the modules of :mod:`padlint.applications.architectures`,
with its own evaluator and the arguments of the user's call: the layers, their names
and shapes, the name counter and the checks Keras makes come out exactly as for any
model the user writes. The modules are parsed once per process and evaluated on first
use in each file (:mod:`padlint.applications.loader`), so a file that uses no
application costs nothing.

What the application builds inside is Keras', not the user's: its sub-models are never
summarised on their own, and the application model is summarised only when the user's
code binds it to a variable (``base = keras.applications.VGG16(...)``), as each model a
script names is one ``summary()``. Used as a layer (``base(x, training=False)``) it is
one row, "resnet50 (Functional)", with the application's output and parameters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from padlint.applications.catalogue import CUSTOM_LAYERS, DEFINING_MODULES, MODULE_EXPORTS, PREPROCESS_MODES, application
from padlint.applications.loader import modules_of
from padlint.evaluation.values import Closure, Unknown
from padlint.graph import ModelObj, TensorRef

if TYPE_CHECKING:
    from padlint.evaluation.keras_api import KerasRuntime

#: The module of padlint.applications.architectures with ``preprocess_input`` for every mode.
PREPROCESSING = "_preprocessing"


def call_application(runtime: KerasRuntime, qualname: str, path: tuple[str, ...], args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool) -> Any:
    """``keras.applications[.<module>].<name>(...)`` (``path`` is what follows ``applications``)."""
    private = ".src." in qualname
    if len(path) == 1:
        module, name = None, path[0]
    elif len(path) == 2:
        module, name = path
        if module not in (DEFINING_MODULES if private else MODULE_EXPORTS):
            return Unknown(f"keras.applications.{module} is not a module of keras.applications")
    else:
        return Unknown(f"keras.applications.{'.'.join(path)}() is not modelled")
    if module is not None and name == "preprocess_input":
        return preprocess_input(runtime, module, args, kwargs, site)
    if module is not None and private and name in CUSTOM_LAYERS.get(module, ()):
        from padlint.applications.layers import SPECS

        return runtime.construct_layer(name, args, kwargs, site, open_kwargs, spec=SPECS[name])
    found = application(module, name, private)
    if found is None:
        return Unknown(f"keras.applications.{'.'.join(path)}() is not modelled")
    return build_application(runtime, found, args, kwargs, site, open_kwargs)


def build_application(runtime: KerasRuntime, name: str, args: list, kwargs: dict, site: cst.CSTNode | None, open_kwargs: bool) -> Any:
    """Run padlint's twin of the application with the call's arguments; the model it returns
    is the user's (a row where it is called, a summary where it is bound), what it made
    on the way is internal."""
    from padlint.applications.catalogue import ARCHITECTURES

    if open_kwargs:
        return Unknown(f"keras.applications.{name}() with **kwargs padlint cannot see: any argument may be set")
    interpreter = runtime.interpreter
    function = modules_of(interpreter).function(ARCHITECTURES[name], name)
    problem = _binding_problem(function, args, kwargs)
    if problem is not None:
        return Unknown(f"keras.applications.{name}(): {problem}")
    first = len(runtime.models)
    result = interpreter.call_library(function, list(args), dict(kwargs))
    for model in runtime.models[first:]:
        model.internal, model.function, model.variable, model.local_variable, model.returned_from = True, None, None, None, None
        model.inside_application = True
    if not isinstance(result, ModelObj) or result not in runtime.models[first:]:
        return result if isinstance(result, Unknown) else Unknown(f"keras.applications.{name}() did not build a model")
    result.internal, result.inside_application, result.application = False, False, True
    result.site = site
    result.function = interpreter.current_function()
    return result


def preprocess_input(runtime: KerasRuntime, module: str, args: list, kwargs: dict, site: cst.CSTNode | None) -> Any:
    """``keras.applications.<module>.preprocess_input(x)``: on a symbolic tensor, the keras.ops
    operations Keras applies (imagenet_utils' modes); the identity for the applications that
    rescale inside the model; unknown on data (arrays), whose values padlint never computes."""
    mode = PREPROCESS_MODES.get(module, "imagenet_utils")
    function_name = "preprocess_input" if mode == "imagenet_utils" else (mode or "identity")
    function = modules_of(runtime.interpreter).function(PREPROCESSING, function_name)
    problem = _binding_problem(function, args, kwargs)
    if problem is not None:
        return Unknown(f"keras.applications.{module}.preprocess_input(): {problem}")
    value = args[0] if args else kwargs.get("x")
    if mode is not None and not isinstance(value, TensorRef):
        return Unknown(f"keras.applications.{module}.preprocess_input() of a value that is not a symbolic tensor")
    return runtime.interpreter.call_library(function, list(args), dict(kwargs))


def _binding_problem(function: Any, args: list, kwargs: dict) -> str | None:
    """Why Python would reject these arguments for ``function`` (a TypeError: no model)."""
    if not isinstance(function, Closure) or not isinstance(function.node, cst.FunctionDef):
        return "padlint has no twin of this function"
    params = function.node.params
    positional = [param.name.value for param in (*params.posonly_params, *params.params)]
    names = set(positional) | {param.name.value for param in params.kwonly_params}
    if len(args) > len(positional) and not isinstance(params.star_arg, cst.Param):
        return f"takes {len(positional)} positional arguments, {len(args)} given"
    for keyword in kwargs:
        if keyword in positional[: len(args)]:
            return f"got multiple values for argument {keyword!r}"
        if keyword not in names and params.star_kwarg is None:
            return f"got an unexpected keyword argument {keyword!r}"
    return None
