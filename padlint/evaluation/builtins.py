"""The builtin functions and standard-library helpers the evaluator models.

Each is reimplemented over evaluator values so nothing of the user's runs:
``len``, ``range``, ``int``, ``min``, ``max``, ``zip``, ``enumerate`` and the
like, ``math.ceil``/``floor``/``prod``, a few NumPy reductions used on shapes,
and ``functools.partial`` (``DefaultConv2D = partial(Conv2D, padding='same')``).
Unknown arguments give Unknown results; bounds come from the Budget.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from padlint.evaluation import arguments, numpy_api
from padlint.evaluation.arrays import ArrayValue
from padlint.evaluation.operators import (
    binary,
    compare,
    hashes_at_once,
    is_plain,
    text_size,
    truth,
)
from padlint.evaluation.values import ModuleRef, Unknown
from padlint.graph import LayerObj, ModelObj
from padlint.symbolic import Sym

if TYPE_CHECKING:
    from padlint.evaluation.interpreter import Interpreter


@dataclass(frozen=True)
class BuiltinFunction:
    """A builtin or library function the evaluator implements itself."""

    name: str
    implementation: Callable[..., Any]


@dataclass(eq=False)
class Partial:
    """``functools.partial(func, *args, **kwargs)``."""

    func: Any
    args: tuple
    kwargs: dict


def range_length(value: range) -> int:
    """``len(value)``, also for ranges longer than Python's ``len`` can return (``range(10**20)``)."""
    step = value.step
    if step > 0:
        return max(0, (value.stop - value.start + step - 1) // step)
    return max(0, (value.start - value.stop - step - 1) // -step)


def length(value: Any) -> int:
    """``len(value)`` of a sized plain value (a range of any length included)."""
    return range_length(value) if isinstance(value, range) else len(value)


def iterate(value: Any, interpreter: Interpreter) -> list | None:
    """The items of an iterable value, or None when unknown or beyond the budget (which is
    noted, except in a loop that builds nothing: see ``Interpreter._run_inert``)."""
    limit = interpreter.budget.max_iterations
    note = interpreter.budget.allowance_end is None
    if isinstance(value, (list, tuple, str)):
        items = list(value)
    elif isinstance(value, range):
        size = range_length(value)
        if size > limit:
            if note:
                interpreter.budget.note(f"a loop over {size:,} items exceeds the iteration budget ({limit:,})")
            return None
        items = list(value)
    elif isinstance(value, dict):
        items = list(value.keys())
    elif isinstance(value, (set, frozenset)):
        items = list(value) if is_plain(value) else None
        if items is not None:
            try:
                items = sorted(items)
            except TypeError:
                return None
    else:
        return None
    if items is not None and len(items) > limit:
        if note:
            interpreter.budget.note(f"a loop over {len(items):,} items exceeds the iteration budget ({limit:,})")
        return None
    return items


def _is_tensor(value: Any) -> bool:
    from padlint.graph import TensorRef

    return isinstance(value, TensorRef)


def _len(interp, args, kwargs):
    (value,) = args
    if isinstance(value, (list, tuple, str, dict, range, set, frozenset, bytes)):
        return length(value)
    if isinstance(value, ArrayValue):
        return value.shape[0] if value.shape else Unknown("len() of a 0-d array")
    return Unknown("len of an unknown value")


def _range(interp, args, kwargs):
    if not args or len(args) > 3 or not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return Unknown("range with unknown bounds")
    try:
        return range(*args)
    except ValueError:
        return Unknown("range() arg 3 must not be zero")


def _int(interp, args, kwargs):
    if not args:
        return 0
    value = args[0]
    if isinstance(value, Sym):
        return value
    if isinstance(value, ArrayValue) and value.value is not None and len(args) == 1:
        return value.value  # int() of a NumPy scalar whose value padlint knows
    if isinstance(value, (int, float, str, bool)) and len(args) == 1:
        try:
            if isinstance(value, str) and len(value) > 100:
                return Unknown("int of a long string")
            return int(value)
        except (ValueError, OverflowError):
            return Unknown("int() failed")
    return Unknown("int of an unknown value")


def _float(interp, args, kwargs):
    value = args[0] if args else 0.0
    if isinstance(value, (int, float, str)) and not isinstance(value, Sym):
        try:
            return float(value)
        except (ValueError, OverflowError):
            return Unknown("float() failed")
    return Unknown("float of an unknown value")


def _str(interp, args, kwargs):
    if not args:
        return ""
    value = args[0]
    if isinstance(value, Sym):
        return value.text
    if is_plain(value):
        if text_size(value, interp.budget.max_collection) is None:
            return Unknown("string too long")  # not built: str([s] * 100_000) may be gigabytes
        text = str(value)
        return text if len(text) <= interp.budget.max_collection else Unknown("string too long")
    return Unknown("str of a value padlint does not model")


def _bool(interp, args, kwargs):
    value = truth(args[0]) if args else False
    return Unknown("undecidable truth") if value is None else value


def _abs(interp, args, kwargs):
    (value,) = args
    if _is_tensor(value):
        return interp.keras.tensor_unary("abs", value, interp.call_site)
    if isinstance(value, (int, float)) and not isinstance(value, Sym):
        return abs(value)
    return Unknown("abs of an unknown value")


def _round(interp, args, kwargs):
    if args and isinstance(args[0], (int, float)) and all(isinstance(a, int) for a in args[1:]):
        try:
            return round(*args)
        except (OverflowError, ValueError):
            return Unknown("round() failed")
    return Unknown("round of an unknown value")


def _extremum(name: str):
    def implementation(interp, args, kwargs):
        items = args[0] if len(args) == 1 else list(args)
        values = iterate(items, interp)
        if not values or kwargs:
            return Unknown(f"{name} of unknown values")
        best = values[0]
        for value in values[1:]:
            better = compare("<" if name == "min" else ">", value, best)
            if isinstance(better, Unknown):
                return Unknown(f"{name} of values that cannot be ordered")
            if better:
                best = value
        return best

    return implementation


def _sum(interp, args, kwargs):
    values = iterate(args[0], interp) if args else None
    if values is None:
        return Unknown("sum of unknown values")
    total = args[1] if len(args) > 1 else 0
    for value in values:
        # Through the interpreter's operator, so ``sum(tensors)`` builds Keras' Add operations.
        total = interp.binary("+", total, value, interp.call_site)
    return total


def _sequence(kind):
    def implementation(interp, args, kwargs):
        if not args:
            return kind()
        labels = numpy_api.label_values(args[0]) if kind is set else None
        if labels is not None:
            return set(labels)
        values = iterate(args[0], interp)
        if values is None:
            return Unknown(f"{kind.__name__} of an unknown iterable")
        if kind is set and not all(hashes_at_once(value) for value in values):
            return Unknown("set of values padlint does not model")
        return kind(values)

    return implementation


def _dict(interp, args, kwargs):
    result: dict = {}
    if args:
        source = args[0]
        if isinstance(source, dict):
            result.update(source)
        else:
            pairs = iterate(source, interp)
            if pairs is None or not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
                return Unknown("dict of an unknown iterable")
            if not all(hashes_at_once(key) for key, _ in pairs):
                return Unknown("dict with keys padlint does not model")
            try:
                result.update(dict(pairs))
            except TypeError:
                return Unknown("dict with unhashable keys")
    result.update(kwargs)
    return result


def _zip(interp, args, kwargs):
    columns = [iterate(arg, interp) for arg in args]
    if any(column is None for column in columns):
        return Unknown("zip of an unknown iterable")
    return list(zip(*columns))


def _enumerate(interp, args, kwargs):
    values = iterate(args[0], interp) if args else None
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    if values is None or not isinstance(start, int):
        return Unknown("enumerate of an unknown iterable")
    return list(enumerate(values, start))


def _reversed(interp, args, kwargs):
    values = iterate(args[0], interp)
    return Unknown("reversed of an unknown iterable") if values is None else values[::-1]


def _sorted(interp, args, kwargs):
    values = iterate(args[0], interp)
    if values is None or set(kwargs) - {"reverse"} or not is_plain(values):
        return Unknown("sorted of unknown values")
    try:
        return sorted(values, reverse=bool(kwargs.get("reverse", False)))
    except TypeError:
        return Unknown("sorted of values that cannot be ordered")


def _any_all(name):
    def implementation(interp, args, kwargs):
        values = iterate(args[0], interp)
        if values is None:
            return Unknown(f"{name} of an unknown iterable")
        truths = [truth(value) for value in values]
        if name == "any":
            return True if True in truths else (Unknown("undecidable") if None in truths else False)
        return False if False in truths else (Unknown("undecidable") if None in truths else True)

    return implementation


def _map(interp, args, kwargs):
    if len(args) < 2:
        return Unknown("map")
    columns = [iterate(arg, interp) for arg in args[1:]]
    if any(column is None for column in columns):
        return Unknown("map over an unknown iterable")
    return [interp.call_value(args[0], list(items), {}, None) for items in zip(*columns)]


def _print(interp, args, kwargs):
    return None


def _super(interp, args, kwargs):
    """``super()`` in a method (the running method's class and ``self``) or ``super(Cls, obj)``."""
    from padlint.evaluation.values import ClassValue, SuperProxy

    if len(args) == 2 and isinstance(args[0], ClassValue):
        return SuperProxy(args[0], args[1])
    if not args and interp._method_stack:
        owner, instance = interp._method_stack[-1]
        if owner is not None and instance is not None:
            return SuperProxy(owner, instance)
    return Unknown("super() outside a method")


def _vars(interp, args, kwargs):
    """``vars(args)`` of a parsed argparse namespace: its options as a dict."""
    if len(args) == 1 and isinstance(args[0], arguments.NamespaceValue):
        return dict(args[0].attributes)
    return Unknown("vars() of a value padlint does not model")


def _getattr(interp, args, kwargs):
    if len(args) >= 2 and isinstance(args[1], str):
        return interp.get_attribute(args[0], args[1], None)
    return Unknown("getattr")


def _partial(interp, args, kwargs):
    if not args:
        return Unknown("partial()")
    return Partial(args[0], tuple(args[1:]), dict(kwargs))


def _divmod(interp, args, kwargs):
    if len(args) == 2:
        quotient = binary("//", args[0], args[1], interp.budget)
        remainder = binary("%", args[0], args[1], interp.budget)
        return (quotient, remainder)
    return Unknown("divmod")


def _pow(interp, args, kwargs):
    if len(args) == 2:
        return binary("**", args[0], args[1], interp.budget)
    return Unknown("pow")


#: Builtin types ``isinstance`` can test evaluator values against.
PLAIN_TYPE_NAMES = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "tuple": tuple,
    "list": list,
    "dict": dict,
    "set": set,
}


def _isinstance(interp, args, kwargs):
    """``isinstance(value, int)`` and friends on plain values; anything else is undecidable."""
    if len(args) != 2 or kwargs:
        return Unknown("isinstance")
    value, classes = args
    candidates = list(classes) if isinstance(classes, tuple) else [classes]
    if isinstance(value, (LayerObj, ModelObj)) and candidates and all(isinstance(item, ModuleRef) for item in candidates):
        from padlint.evaluation.keras_api import keras_isinstance

        return keras_isinstance(value, [item.qualname for item in candidates])
    if not all(isinstance(item, BuiltinFunction) and item.name in PLAIN_TYPE_NAMES for item in candidates):
        return Unknown("isinstance with a class padlint does not model")
    if isinstance(value, Sym):
        return any(item.name == "int" for item in candidates)
    if not is_plain(value) or isinstance(value, (range, bytes, frozenset)):
        return Unknown("isinstance of a value padlint does not model")
    return isinstance(value, tuple(PLAIN_TYPE_NAMES[item.name] for item in candidates))


def _math(function, symbolic_function=None):
    def implementation(interp, args, kwargs):
        if len(args) == 1 and isinstance(args[0], Sym) and symbolic_function is not None:
            return symbolic_function(args[0])
        if len(args) == 1 and isinstance(args[0], (int, float)) and not isinstance(args[0], bool):
            try:
                return function(args[0])
            except (ValueError, OverflowError):
                return Unknown("math domain error")
        return Unknown("math of an unknown value")

    return implementation


def _prod(interp, args, kwargs):
    values = iterate(args[0], interp) if args else None
    if values is None:
        return Unknown("prod of unknown values")
    total: Any = 1
    for value in values:
        total = binary("*", total, value, interp.budget)
    return total


BUILTINS: dict[str, Callable[..., Any]] = {
    "len": _len,
    "range": _range,
    "int": _int,
    "float": _float,
    "str": _str,
    "bool": _bool,
    "abs": _abs,
    "round": _round,
    "min": _extremum("min"),
    "max": _extremum("max"),
    "sum": _sum,
    "list": _sequence(list),
    "tuple": _sequence(tuple),
    "set": _sequence(set),
    "dict": _dict,
    "zip": _zip,
    "enumerate": _enumerate,
    "reversed": _reversed,
    "sorted": _sorted,
    "any": _any_all("any"),
    "all": _any_all("all"),
    "map": _map,
    "print": _print,
    "getattr": _getattr,
    "vars": _vars,
    "divmod": _divmod,
    "pow": _pow,
    "isinstance": _isinstance,
    "super": _super,
}

BUILTIN_CONSTANTS: dict[str, Any] = {"None": None, "True": True, "False": False, "__name__": "__main__", "Ellipsis": ...}

#: Library functions on Python numbers reached through imports, by qualified name.
SCALAR_LIBRARY: dict[str, Callable[..., Any]] = {
    "math.ceil": _math(math.ceil, lambda s: s),
    "math.floor": _math(math.floor, lambda s: s),
    "math.sqrt": _math(math.sqrt),
    "math.log2": _math(math.log2),
    "math.log": _math(math.log),
    "math.prod": _prod,
    "numpy.prod": _prod,
    "numpy.product": _prod,
    "numpy.ceil": _math(math.ceil, lambda s: s),
    "numpy.floor": _math(math.floor, lambda s: s),
    "numpy.sqrt": _math(math.sqrt),
    "functools.partial": _partial,
}

#: Library functions reached through imports, by qualified name: the above, then NumPy's
#: functions on arrays (padlint/evaluation/numpy_api.py; on numbers they do as above).
LIBRARY: dict[str, Callable[..., Any]] = dict(SCALAR_LIBRARY)
numpy_api.register(LIBRARY)
LIBRARY.update(arguments.FUNCTIONS)

LIBRARY_CONSTANTS: dict[str, Any] = {"math.pi": math.pi, "math.e": math.e, "numpy.pi": math.pi, "numpy.newaxis": None, "tensorflow.newaxis": None}


def builtin_value(name: str) -> Any:
    """The value of a builtin name, or a sentinel KeyError if it is not one."""
    if name in BUILTIN_CONSTANTS:
        return BUILTIN_CONSTANTS[name]
    return BuiltinFunction(name, BUILTINS[name])
