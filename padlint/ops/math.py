"""Shape functions of keras/src/ops/math.py: ``top_k``, ``logsumexp`` and the
element-wise special functions."""

from __future__ import annotations

from typing import Any

from padlint.ops.base import Multi, Tensor, reduce_shape, static
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import op

#: Element-wise functions of math.py: name -> Operation class.
ELEMENTWISE = {"rsqrt": "Rsqrt", "erf": "Erf", "erfinv": "Erfinv"}


def _same_shape(x: Tensor) -> tuple:
    return tensor_shape(x)


for _name, _class in ELEMENTWISE.items():
    op("math", _name, _class, "x")(_same_shape)


def _pair(arguments: dict) -> tuple[str, int]:
    return ("tuple", 2)


@op("math", "top_k", "TopK", "x, k, sorted=True", outputs=_pair)
def top_k(x: Tensor, k: Any, sorted: Any = True) -> Multi:
    """``TopK.compute_output_spec``: (values, indices), the last axis of size ``k``."""
    shape = list(tensor_shape(x))
    shape[-1] = static(k, "k")
    return Multi((tuple(shape), tuple(shape)))


@op("math", "logsumexp", "Logsumexp", "x, axis=None, keepdims=False")
def logsumexp(x: Tensor, axis: Any = None, keepdims: Any = False) -> tuple:
    return reduce_shape(tensor_shape(x), axis=axis, keepdims=keepdims)
