"""Python operators on evaluator values, with size guards.

Known constants are combined with Python's own operators (never with ``eval``);
results that would be too large (``2**10**10``, ``[0] * 10**9``) become
Unknown instead of exhausting memory. Symbolic dimensions take part in
``+ - * //`` and in comparisons that hold for every value of their symbols.
"""

from __future__ import annotations

import math
import operator
import re
import string
from collections.abc import Callable
from typing import Any

from padlint import symbolic
from padlint.evaluation.arrays import ArrayValue
from padlint.evaluation.budget import Budget
from padlint.evaluation.values import Unknown
from padlint.symbolic import Sym

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
    "<<": operator.lshift,
    ">>": operator.rshift,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
    "@": operator.matmul,
}

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

PLAIN_TYPES = (int, float, str, bytes, bool, type(None), tuple, list, dict, range, frozenset, set)
_SCALAR_TYPES = frozenset([int, float, bool, type(None), range])
_SEQUENCE_TYPES = (tuple, list, set, frozenset)
_CONTAINERS = (tuple, list, set, frozenset, dict)

#: The most work a plain value may cost Python's own operations (``==``, ``hash``,
#: ``in``, ``sorted``): its nodes, a part shared by reference counted each time it
#: appears (``[[0] * 1000] * 1000`` is a million), and a node per 100 characters of
#: strings. ``[x, x]`` doubled sixty times is a small object that no ``==`` finishes.
MAX_PLAIN_WORK = 200_000
#: The deepest nesting of a plain value (Python's own ``==``, ``hash`` and ``repr`` recurse).
MAX_PLAIN_DEPTH = 200


def plain_work(value: Any) -> int | None:
    """What Python's operations on the value cost (see MAX_PLAIN_WORK), or None when the
    value is not made only of Python constants or is too large or too deep for them."""
    if type(value) in _SCALAR_TYPES:
        return 1
    work = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        work += 1
        if kind in _SCALAR_TYPES:
            continue
        if kind is str or kind is bytes:
            work += len(item) // 100
        elif isinstance(item, _SEQUENCE_TYPES):
            if depth >= MAX_PLAIN_DEPTH or work + len(item) > MAX_PLAIN_WORK:
                return None
            stack.extend([(child, depth + 1) for child in item])
        elif isinstance(item, dict):
            if depth >= MAX_PLAIN_DEPTH or work + 2 * len(item) > MAX_PLAIN_WORK:
                return None
            for key, child in item.items():
                stack.append((key, depth + 1))
                stack.append((child, depth + 1))
        elif not isinstance(item, PLAIN_TYPES) or isinstance(item, Sym):
            return None
        if work > MAX_PLAIN_WORK:
            return None
    return work


def is_plain(value: Any) -> bool:
    """Values built only from Python constants, safe to give to Python's operators: not
    too large or deep for them to finish at once (see MAX_PLAIN_WORK)."""
    return plain_work(value) is not None


def bounded_structure(value: Any, limit: int = MAX_PLAIN_WORK) -> bool:
    """Whether the containers in the value (whatever their items) have at most ``limit``
    nodes, a shared part counted each time, at most MAX_PLAIN_DEPTH deep, and any range in
    them at most ``limit`` items: what code that walks or copies a value may be given."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if isinstance(item, _CONTAINERS):
            if depth >= MAX_PLAIN_DEPTH or nodes + len(item) > limit:
                return False
            children = list(item.items()) if isinstance(item, dict) else item
            stack.extend([(child, depth + 1) for child in children])
        elif isinstance(item, range) and (item.stop - item.start) // (item.step or 1) > limit:
            return False
        if nodes > limit:
            return False
    return True


def hashes_at_once(value: Any) -> bool:
    """Whether ``hash(value)`` surely finishes at once (a dict key, a set item): a tuple
    is hashed item by item, every time, so ``((0,) * 1000,) * 1000`` costs a million."""
    return not isinstance(value, (tuple, frozenset)) or is_plain(value)


def text_size(value: Any, limit: int) -> int | None:
    """An upper bound of the length of ``str(value)`` (``repr`` of the items inside
    containers), or None when it exceeds ``limit`` or the value is not plain. Computed
    without building the text: ``str([s] * 100_000)`` for a long ``s`` is gigabytes."""
    if not is_plain(value):
        return None
    size = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bytes:
            size += 10 * len(item) + 3 if item is not value else len(item)  # escapes: \U0001f600 is ten characters
        elif kind is int:
            size += item.bit_length() // 3 + 2
        elif isinstance(item, (tuple, list, set, frozenset)):
            size += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            size += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif kind is range:
            size += 20 + sum(abs(bound).bit_length() // 3 + 2 for bound in (item.start, item.stop, item.step))
        else:
            size += 40  # floats (``-1.2345678901234567e-308``), bool, None
        if size > limit:
            return None
    return size


_FORMAT_NUMBER = re.compile(r"\d+")


def format_size(template: str | bytes, arguments: list, limit: int, printf: bool) -> int | None:
    """An upper bound of the length of ``template.format(*arguments)`` (or of
    ``template % arguments`` with ``printf``), or None when it exceeds ``limit`` or the
    template does what padlint does not model (``{0.__class__}`` reads attributes).
    Widths and precisions count in full: ``'{:>9999999999}'`` is ten gigabytes."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    if printf:
        fields = text.count("%")
        nested = "*" in text
    else:
        fields = 0
        nested = False
        try:
            for _, name, spec, _ in string.Formatter().parse(text):
                if name is None:
                    continue
                fields += 1
                names = [name] + [inner for _, inner, _, _ in string.Formatter().parse(spec or "") if inner is not None]
                if any("." in item or "[" in item for item in names):
                    return None
                nested = nested or len(names) > 1
        except ValueError:
            return None
    widths = 0
    for number in _FORMAT_NUMBER.findall(text):
        if len(number) > 9:
            return None
        widths += int(number)
    largest = 0
    for argument in arguments:
        size = text_size(argument, limit)
        if size is None:
            return None
        largest = max(largest, size)
        if nested and isinstance(argument, int) and not isinstance(argument, bool):
            largest = max(largest, abs(argument))
    total = len(text) + widths + fields * largest
    return total if total <= limit else None


def string_method_size(text: str, name: str, args: list, kwargs: dict, limit: int) -> int | None:
    """An upper bound of the length of what ``text.<name>(*args, **kwargs)`` returns, or
    None when it may exceed ``limit`` (``'x'.join([s] * 100_000)``, ``s.replace('', s)``)."""
    if name == "format":
        return format_size(text, [*args, *kwargs.values()], limit, printf=False)
    if name == "join":
        items = args[0] if len(args) == 1 and not kwargs else None
        if isinstance(items, dict):
            items = list(items)
        if not isinstance(items, (list, tuple, str, set, frozenset)):
            return None
        size = sum(len(item) if isinstance(item, str) else 0 for item in items) + len(text) * max(len(items) - 1, 0)
    elif name == "replace":
        if len(args) < 2 or kwargs or not (isinstance(args[0], str) and isinstance(args[1], str)):
            return None
        old, new = args[0], args[1]
        found = text.count(old) if old else len(text) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            found = min(found, args[2])
        size = len(text) + found * max(len(new) - len(old), 0)
    else:
        size = 3 * len(text)  # upper() and the like: 'ß'.upper() is 'SS'
    return size if size <= limit else None


def _size(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _too_large(op: str, left: Any, right: Any, budget: Budget) -> bool:
    """Would ``left op right`` build something beyond the budget?"""
    if op == "**" and isinstance(left, int) and isinstance(right, int):
        if right < 0 or abs(left) <= 1:
            return False
        return right * max(abs(left).bit_length(), 1) > budget.max_int_bits
    if op == "<<" and isinstance(right, int):
        return right > budget.max_int_bits
    if op == "*":
        if isinstance(left, int) and isinstance(right, int):
            return left.bit_length() + right.bit_length() > budget.max_int_bits
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(times, int):
                return len(sequence) * max(times, 0) > budget.max_collection
    if op == "+" and isinstance(left, (str, bytes, list, tuple)):
        return _size(left) + _size(right) > budget.max_collection
    if op == "%" and isinstance(left, (str, bytes)):
        arguments = list(right.values()) if isinstance(right, dict) else list(right) if isinstance(right, tuple) else [right]
        return format_size(left, arguments, budget.max_collection, printf=True) is None
    return False


def _bounded(value: Any, budget: Budget) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > budget.max_int_bits:
        return Unknown("integer too large")
    if isinstance(value, float) and not math.isfinite(value):
        return Unknown("float overflow")
    return value


def _dim(value: Any) -> bool:
    return isinstance(value, Sym) or (isinstance(value, int) and not isinstance(value, bool))


def symbolic_binary(op: str, left: Any, right: Any) -> Any:
    """``+ - * //`` with a symbolic operand; anything else is Unknown."""
    if not (_dim(left) and _dim(right)):
        return Unknown("symbolic arithmetic")
    if op == "+":
        result = symbolic.add(left, right)
    elif op == "-":
        result = symbolic.sub(left, right)
    elif op == "*":
        result = symbolic.mul(left, right)
    elif op == "//" and isinstance(right, int) and right > 0:
        result = symbolic.floordiv(left, right)
    else:
        return Unknown("symbolic arithmetic")
    return Unknown("symbolic expression too large") if result is None else result


def binary(op: str, left: Any, right: Any, budget: Budget) -> Any:
    """``left op right`` for evaluator values (tensors are handled by the caller)."""
    if isinstance(left, Unknown):
        return left
    if isinstance(right, Unknown):
        return right
    if isinstance(left, Sym) or isinstance(right, Sym):
        return symbolic_binary(op, left, right)
    if not (is_plain(left) and is_plain(right)):
        return Unknown(f"operator {op} on values padlint does not model")
    if _too_large(op, left, right, budget):
        return Unknown(f"result of {op} too large")
    try:
        return _bounded(BINARY[op](left, right), budget)
    except (ArithmeticError, TypeError, ValueError, KeyError, MemoryError):
        return Unknown(f"operator {op} failed")


def unary(op: str, operand: Any) -> Any:
    if isinstance(operand, Unknown):
        return operand
    if op == "not":
        truth_value = truth(operand)
        return Unknown("undecidable condition") if truth_value is None else not truth_value
    if isinstance(operand, Sym):
        return symbolic.neg(operand) if op == "-" else operand if op == "+" else Unknown("symbolic")
    if not is_plain(operand):
        return Unknown(f"operator {op} on a value padlint does not model")
    try:
        return {"-": operator.neg, "+": operator.pos, "~": operator.invert}[op](operand)
    except (ArithmeticError, TypeError, ValueError):
        return Unknown(f"operator {op} failed")


def compare(op: str, left: Any, right: Any) -> Any:
    """A comparison's result, or Unknown when it depends on what padlint cannot know."""
    if op in ("is", "is not"):
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown("identity of an unknown value")
        same = left is right if (left is None or right is None or isinstance(left, bool)) else left == right
        return same if op == "is" else not same
    if op in ("in", "not in"):
        if isinstance(right, Unknown) or isinstance(left, Unknown):
            return Unknown("membership in an unknown value")
        if not (is_plain(right) and is_plain(left)):
            return Unknown("membership in a value padlint does not model")
        try:
            found = left in right
        except TypeError:
            return Unknown("membership failed")
        return found if op == "in" else not found
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return Unknown("comparison with an unknown value")
    if isinstance(left, ArrayValue) or isinstance(right, ArrayValue):
        return Unknown("an element-wise comparison of arrays")
    if isinstance(left, Sym) or isinstance(right, Sym):
        return _compare_symbolic(op, left, right)
    if not (is_plain(left) and is_plain(right)):
        if op in ("==", "!="):
            if left is not right and (isinstance(left, _CONTAINERS) or isinstance(right, _CONTAINERS)):
                # Python compares containers item by item (and padlint may not know the items,
                # or they are too many to compare): not decidable by identity.
                return Unknown("comparison of values padlint does not model")
            same = left is right
            return same if op == "==" else not same
        return Unknown("comparison of values padlint does not model")
    try:
        return COMPARE[op](left, right)
    except TypeError:
        return Unknown("comparison failed")


def _compare_symbolic(op: str, left: Any, right: Any) -> Any:
    if not (_dim(left) and _dim(right)):
        return (op == "!=") if op in ("==", "!=") and (left is None or right is None) else Unknown("symbolic comparison")
    difference = symbolic.difference(left, right)
    if difference is None:
        return Unknown("symbolic comparison")
    return COMPARE[op](difference, 0)


def truth(value: Any) -> bool | None:
    """Python truthiness, or None when it cannot be decided."""
    if isinstance(value, Unknown):
        return None
    if isinstance(value, Sym):
        return None
    if is_plain(value):
        return bool(value)
    if isinstance(value, ArrayValue):
        return None  # NumPy's truth is the single element's value, or an error: data either way
    return True
