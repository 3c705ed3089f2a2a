"""Dimensions that may be exact, symbolic, or unknown.

A tensor dimension in padlint is an ``int`` (known), ``None`` (unknown: the batch
axis, or something padlint cannot determine) or a :class:`Sym`, an integer
polynomial over named input sizes such as ``H - 4`` or ``32*(H-4)*(W-4)``.
Symbolic dimensions let padlint keep computing when an ``Input`` leaves a size
open (``shape=(None, None, 3)``) and still prove facts that hold for every value,
such as two skip-connection branches differing by exactly 4.

Canonical form: a polynomial maps monomials to integer coefficients; a monomial
is a sorted tuple of ``(atom, exponent)``; an atom is a symbol name or a
:class:`FloorDiv` of a polynomial by a positive integer whose coefficients were
reduced modulo that integer (so equal quantities compare equal). Display text is
kept separately, built from the operations, because the canonical form of
``(H - 3) // 2 + 1`` is the correct but less readable ``(H + 1) // 2 - 1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

Monomial = tuple  # tuple[tuple[Atom, int], ...], sorted by atom key
Poly = tuple  # tuple[tuple[Monomial, int], ...], sorted, no zero coefficients

#: Above this many terms a polynomial is no longer useful to a reader; give up.
MAX_TERMS = 48
#: Bound on coefficients and constants, so hostile code cannot build huge numbers.
MAX_MAGNITUDE = 10**30
#: Bound on exact dimensions and counts computed here: a product of many sizes (Flatten of
#: ``(10**1000,) * 5``) beyond it is unknown, not a number with more digits than Python
#: prints (4,300) or a time to compute that grows without end. 1,000 bits (10**301) keeps
#: a count's float32 memory size (``count * 4`` bytes, a float in reports) within a float.
MAX_INT_BITS = 1_000


@dataclass(frozen=True)
class FloorDiv:
    """``numerator // divisor`` for an integer polynomial and a divisor >= 2."""

    numerator: Poly
    divisor: int
    text: str

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FloorDiv)
            and self.numerator == other.numerator
            and self.divisor == other.divisor
        )

    def __hash__(self) -> int:
        return hash((self.numerator, self.divisor))

    def key(self) -> str:
        return f"~{self.divisor}:{self.numerator!r}"


@dataclass(frozen=True)
class Symbol:
    """A named size. ``keras_none`` when Keras itself sees ``None`` there (the source
    leaves the axis open, ``Input(shape=(None, None, 3))``); otherwise it is a number
    at run time that padlint cannot know (``input_shape=(rows, cols, 1)`` with ``rows``
    read from data), and weights sized by it are formulas rather than Keras errors."""

    name: str
    keras_none: bool = True

    def key(self) -> str:
        return self.name if self.keras_none else f"{self.name}?"


Atom = Symbol | FloorDiv


def _atom_key(atom: Atom) -> str:
    return atom.key()


class Sym:
    """A symbolic integer: canonical polynomial plus readable text."""

    __slots__ = ("_hash", "poly", "text")

    def __init__(self, poly: Poly, text: str) -> None:
        self.poly = poly
        self.text = text
        self._hash = hash(poly)

    @staticmethod
    def symbol(name: str, keras_none: bool = True) -> Sym:
        monomial = ((Symbol(name, keras_none), 1),)
        return Sym(((monomial, 1),), name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sym) and self.poly == other.poly

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Sym({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def symbols(self) -> set[str]:
        return {symbol.name for symbol in self._symbol_atoms()}

    def is_keras_none(self) -> bool:
        """Whether Keras sees ``None`` here: some symbol in it is an open axis."""
        return any(symbol.keras_none for symbol in self._symbol_atoms())

    def _symbol_atoms(self) -> set[Symbol]:
        found: set[Symbol] = set()
        _collect_symbols(self.poly, found)
        return found

    def is_linear(self) -> bool:
        return all(sum(exp for _, exp in mono) <= 1 for mono, _ in self.poly)


Dim = int | Sym | None


def _collect_symbols(poly: Poly, found: set[Symbol]) -> None:
    for mono, _ in poly:
        for atom, _ in mono:
            if isinstance(atom, Symbol):
                found.add(atom)
            else:
                _collect_symbols(atom.numerator, found)


# ---------------------------------------------------------------- polynomials


def _poly_of(value: int | Sym) -> Poly:
    if isinstance(value, Sym):
        return value.poly
    return (((), value),) if value else ()


def _normalise(terms: dict) -> Poly | None:
    items = [(mono, coef) for mono, coef in terms.items() if coef]
    if len(items) > MAX_TERMS or any(abs(c) > MAX_MAGNITUDE for _, c in items):
        return None
    items.sort(key=lambda item: tuple((_atom_key(a), e) for a, e in item[0]))
    return tuple(items)


def _poly_add(a: Poly, b: Poly, sign: int = 1) -> Poly | None:
    terms: dict = dict(a)
    for mono, coef in b:
        terms[mono] = terms.get(mono, 0) + sign * coef
    return _normalise(terms)


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    powers: dict = {}
    for atom, exp in a + b:
        powers[atom] = powers.get(atom, 0) + exp
    return tuple(sorted(powers.items(), key=lambda item: _atom_key(item[0])))


def _poly_mul(a: Poly, b: Poly) -> Poly | None:
    if len(a) * len(b) > MAX_TERMS * 4:
        return None
    terms: dict = {}
    for mono_a, coef_a in a:
        for mono_b, coef_b in b:
            mono = _mono_mul(mono_a, mono_b)
            terms[mono] = terms.get(mono, 0) + coef_a * coef_b
    return _normalise(terms)


def _constant(poly: Poly) -> int | None:
    """The value of a polynomial without atoms, else None."""
    if not poly:
        return 0
    if len(poly) == 1 and poly[0][0] == ():
        return poly[0][1]
    return None


def _format_poly(poly: Poly) -> str:
    """Canonical text, used where no operation-built text is better."""
    if not poly:
        return "0"
    parts: list[str] = []
    for mono, coef in sorted(poly, key=lambda t: (t[0] == (), -len(t[0]))):
        factors = []
        for atom, exp in mono:
            name = atom.name if isinstance(atom, Symbol) else f"({atom.text})"
            factors.append(name if exp == 1 else f"{name}**{exp}")
        body = "*".join(factors)
        magnitude = abs(coef)
        if not body:
            term = str(magnitude)
        elif magnitude == 1:
            term = body
        else:
            term = f"{magnitude}*{body}"
        if not parts:
            parts.append(term if coef > 0 else f"-{term}")
        else:
            parts.append(f"+{term}" if coef > 0 else f"-{term}")
    return "".join(parts)


def _make(poly: Poly | None, text: str | None = None) -> Dim:
    if poly is None:
        return None
    constant = _constant(poly)
    if constant is not None:
        return constant
    return Sym(poly, text if text is not None else _format_poly(poly))


def _top_level(text: str) -> Iterator[int]:
    """Indices of the characters of ``text`` outside any parentheses."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            yield index


def _is_atomic_text(text: str) -> bool:
    """True when the text needs no parentheses as an operand of * or //."""
    return not any(index > 0 and text[index] in "+-" for index in _top_level(text))


def _paren(text: str) -> str:
    return text if _is_atomic_text(text) else f"({text})"


_TRAILING_CONSTANT = re.compile(r"^(?P<base>.*[\w)])(?P<constant>[+-]\d+)$")


def _split_offset(value: Sym) -> tuple[str, int]:
    """Split a display text ``base+c`` into ``(base, c)`` so added constants fold.

    ``+`` and ``-`` bind loosest, so a trailing ``+c`` outside parentheses is a
    top-level term whatever the base is."""
    match = _TRAILING_CONSTANT.match(value.text)
    if match is None or match["base"].count("(") != match["base"].count(")"):
        return value.text, 0
    return match["base"], int(match["constant"])


def _with_offset(base: str, offset: int) -> str:
    if offset > 0:
        return f"{base}+{offset}"
    if offset < 0:
        return f"{base}{offset}"
    return base


def _factor(text: str) -> str:
    """Parenthesise an operand of ``*``: sums, and floor divisions (``2*H//2`` is ``(2*H)//2``)."""
    return f"({text})" if not _is_atomic_text(text) or _top_level_floordiv(text) else text


def _top_level_floordiv(text: str) -> bool:
    return any(text.startswith("//", index) for index in _top_level(text))


def _leading_coefficient(text: str) -> tuple[int, str]:
    """Split ``32*(H-4)*W`` into ``(32, "(H-4)*W")`` so constant factors fold."""
    if _is_atomic_text(text) and not _top_level_floordiv(text):
        head, star, rest = text.partition("*")
        if star and head.isdigit() and rest:
            return int(head), rest
    return 1, _factor(text)


# ------------------------------------------------------------------ arithmetic


def _exact(value: int) -> int | None:
    return value if value.bit_length() <= MAX_INT_BITS else None


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return _exact(a + b)
    if isinstance(b, Sym) and not isinstance(a, Sym):
        a, b = b, a
    poly = _poly_add(_poly_of(a), _poly_of(b))
    if isinstance(b, int):
        base, offset = _split_offset(a)
        return _make(poly, _with_offset(base, offset + b))
    return _make(poly, f"{a.text}+{b.text}" if poly is not None else None)


def neg(a: Dim) -> Dim:
    return mul(a, -1)


def sub(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return _exact(a - b)
    if isinstance(b, int):
        return add(a, -b)
    poly = _poly_add(_poly_of(a), _poly_of(b), sign=-1)
    left = str(a)
    return _make(poly, f"{left}-{_paren(b.text)}" if poly is not None else None)


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return _exact(a * b) if a.bit_length() + b.bit_length() <= MAX_INT_BITS + 1 else None
    if a == 0 or b == 0:
        return 0
    if isinstance(b, int):
        a, b = b, a
    poly = _poly_mul(_poly_of(a), _poly_of(b))
    if poly is None:
        return None
    if isinstance(a, int):
        if a == 1:
            return b
        if a == -1:
            return _make(poly, f"-{_factor(b.text)}")
        coefficient, rest = _leading_coefficient(b.text)
        return _make(poly, f"{a * coefficient}*{rest}")
    left_coefficient, left = _leading_coefficient(a.text)
    right_coefficient, right = _leading_coefficient(b.text)
    coefficient = left_coefficient * right_coefficient
    return _make(poly, f"{left}*{right}" if coefficient == 1 else f"{coefficient}*{left}*{right}")


def floordiv(a: Dim, divisor: int) -> Dim:
    """``a // divisor`` for a positive integer divisor."""
    if a is None or not isinstance(divisor, int) or divisor <= 0:
        return None
    if isinstance(a, int):
        return a // divisor
    if divisor == 1:
        return a
    quotient_terms: dict = {}
    remainder_terms: dict = {}
    for mono, coef in a.poly:
        quotient_terms[mono] = coef // divisor
        remainder_terms[mono] = coef % divisor
    quotient = _normalise(quotient_terms)
    remainder = _normalise(remainder_terms)
    if quotient is None or remainder is None:
        return None
    remainder_constant = _constant(remainder)
    if remainder_constant is not None:
        # Exact up to a constant below the divisor: the floor drops it.
        return _make(quotient)
    text = f"{_paren(a.text)}//{divisor}"
    atom = FloorDiv(remainder, divisor, _format_poly(remainder))
    poly = _poly_add(quotient, ((((atom, 1),), 1),))
    return _make(poly, text)


def ceildiv(a: Dim, divisor: int) -> Dim:
    """``ceil(a / divisor)`` for a positive integer divisor."""
    if a is None or not isinstance(divisor, int) or divisor <= 0:
        return None
    if isinstance(a, int):
        return -(-a // divisor)
    if divisor == 1:
        return a
    result = floordiv(add(a, divisor - 1), divisor)
    if isinstance(result, Sym):
        return Sym(result.poly, f"ceil({_paren(a.text)}/{divisor})")
    return result


def product(values) -> Dim:
    total: Dim = 1
    for value in values:
        total = mul(total, value)
        if total is None:
            return None
    return total


# ------------------------------------------------------------------ comparisons


def difference(a: Dim, b: Dim) -> int | None:
    """``a - b`` when it is the same integer for every value of the symbols."""
    if a is None or b is None:
        return None
    diff = sub(a, b)
    return diff if isinstance(diff, int) else None


def provably_equal(a: Dim, b: Dim) -> bool:
    return difference(a, b) == 0


def provably_different(a: Dim, b: Dim) -> bool:
    diff = difference(a, b)
    return diff is not None and diff != 0


def is_keras_none(a: Dim) -> bool:
    """``None`` to Keras: padlint's None is only "not known to padlint", never this."""
    return isinstance(a, Sym) and a.is_keras_none()


def known(a: Dim) -> bool:
    return isinstance(a, int)


def format_dim(a: Dim) -> str:
    if a is None:
        return "None"
    return str(a)


def json_dim(a: Dim) -> int | str | None:
    if isinstance(a, Sym):
        return a.text
    return a
