"""Shape functions of keras/src/ops/linalg.py: ``norm`` and the square-matrix ops."""

from __future__ import annotations

from typing import Any

from padlint.ops.base import OpError, Tensor, equals, is_none, reduce_shape, static
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import op


def _square_matrices(x: Tensor) -> tuple:
    """``_assert_2d`` and ``_assert_square``."""
    shape = tensor_shape(x)
    if len(shape) < 2:
        raise OpError(f"Expected input to have rank >= 2. Received input with shape {shape}.")
    rows, columns = shape[-2:]
    if not (is_none(rows) and is_none(columns)) and not equals(rows, columns):
        raise OpError(f"Expected a square matrix. Received non-square input with shape {shape}")
    return shape


@op("linalg", "inv", "Inv", "x")
def inv(x: Tensor) -> tuple:
    return _square_matrices(x)


@op("linalg", "cholesky", "Cholesky", "x, upper=False")
def cholesky(x: Tensor, upper: Any = False) -> tuple:
    return _square_matrices(x)


@op("linalg", "det", "Det", "x")
def det(x: Tensor) -> tuple:
    return _square_matrices(x)[:-2]


@op("linalg", "norm", "Norm", "x, ord=None, axis=None, keepdims=False")
def norm(x: Tensor, ord: Any = None, axis: Any = None, keepdims: Any = False) -> tuple:
    """``Norm.__init__`` and ``compute_output_spec``."""
    ord = static(ord, "ord")
    axis = static(axis, "axis")
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise OpError(f"Invalid `ord` argument. Expected one of {{'fro', 'nuc'}} when using string. Received: ord={ord}")
    if isinstance(axis, int):
        axis = [axis]
    shape = tensor_shape(x)
    count = len(shape) if axis is None else len(axis)
    if count == 1 and isinstance(ord, str):
        raise OpError(f"Invalid `ord` argument for vector norm. Received: ord={ord}")
    if count == 2 and ord not in (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2):
        raise OpError(f"Invalid `ord` argument for matrix norm. Received: ord={ord}")
    return reduce_shape(shape, axis=axis, keepdims=keepdims)
