"""Python operators on evaluator values, with size guards.

Known constants are combined with Python's own operators (never with ``eval``);
results that would be too large (``2**10**10``, ``[0] * 10**9``) become
Unknown instead of exhausting memory. Symbolic dimensions take part in
``+ - * //`` and in comparisons that hold for every value of their symbols.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from padlint import symbolic
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


def is_plain(value: Any) -> bool:
    """Values built only from Python constants, safe to give to Python's operators."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(is_plain(key) and is_plain(item) for key, item in value.items())
    return isinstance(value, PLAIN_TYPES) and not isinstance(value, Sym)


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
    if isinstance(left, Sym) or isinstance(right, Sym):
        return _compare_symbolic(op, left, right)
    if not (is_plain(left) and is_plain(right)):
        if op in ("==", "!="):
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
    return True
