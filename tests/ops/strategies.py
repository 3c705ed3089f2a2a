"""Hypothesis strategies for op arguments: shapes with known, unknown and symbolic sizes,
axes in and out of range, related shapes that broadcast or concatenate (or not)."""

from __future__ import annotations

from hypothesis import strategies as st

from padlint.symbolic import Sym
from tests.keras_oracle import differential, mostly
from tests.ops.op_oracle import Sym_

H, W = Sym.symbol("H"), Sym.symbol("W")
#: A size: mostly small ints (1 is common: it broadcasts and squeezes), now and then None or a symbol.
DIM = st.sampled_from([1, 2, 3, 4, 4, 5, 6, 6, None, H, W])
KNOWN_DIM = st.sampled_from([1, 2, 3, 4, 6])

#: Hypothesis settings: deterministic runs, sized for CI.
FEW = differential(40)
SOME = differential(120)
MANY = differential(250)


def shapes(min_rank: int = 0, max_rank: int = 4, dims: st.SearchStrategy = DIM) -> st.SearchStrategy[tuple]:
    """A batch shape: None first (a KerasTensor's batch) or, one time in five, a known size."""
    batch = mostly(st.just(None), 2, 3, odds=5)
    return st.tuples(batch, st.lists(dims, min_size=max(0, min_rank - 1), max_size=max(0, max_rank - 1))).map(lambda pair: (pair[0], *pair[1]))


def tensors(min_rank: int = 1, max_rank: int = 4, dims: st.SearchStrategy = DIM) -> st.SearchStrategy[Sym_]:
    return shapes(min_rank, max_rank, dims).map(Sym_)


def axis_for(rank: int, extra: int = 0) -> st.SearchStrategy[int]:
    """An axis, now and then out of range."""
    return mostly(st.integers(-rank - extra, rank - 1 + extra), rank + extra, -rank - 1 - extra, odds=10)


@st.composite
def broadcastable(draw, shape: tuple) -> tuple:
    """A shape that usually broadcasts with ``shape``: a suffix of it, some sizes 1 or changed."""
    suffix = list(shape[draw(st.integers(0, len(shape))) :]) if shape else []
    for index in range(len(suffix)):
        roll = draw(st.integers(0, 9))
        if roll == 0:
            suffix[index] = 1
        elif roll == 1:
            suffix[index] = draw(DIM)
    return tuple(suffix)


@st.composite
def reduction_axes(draw, rank: int):
    """None, an int, or a tuple of distinct axes (now and then out of range)."""
    kind = draw(st.integers(0, 4))
    if kind == 0 or rank == 0:
        return None
    if kind <= 2:
        return draw(axis_for(rank))
    count = draw(st.integers(1, rank))
    return tuple(draw(st.lists(st.integers(-rank, rank - 1), min_size=count, max_size=count, unique_by=lambda a: a % rank)))
