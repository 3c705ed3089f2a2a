"""Sliding-window arithmetic shared by convolutions and pooling.

Mirrors keras/src/ops/operation_utils.py (``compute_conv_output_shape`` and
``compute_pooling_output_shape``): for each spatial axis,

- ``valid``: ``floor((n - d*(k-1) - 1) / s) + 1`` (pooling has ``d = 1``, i.e.
  ``floor((n - k) / s) + 1``), an error when that is ``<= 0``;
- ``same`` and ``causal``: ``floor((n - 1) / s) + 1``, i.e. ``ceil(n / s)``.

The padding a 'same' window adds follows TensorFlow's convention: the total is
``max((out - 1)*s + d*(k-1) + 1 - n, 0)``, with the extra pixel after.
"""

from __future__ import annotations

from dataclasses import dataclass

from padlint.layers.base import NON_POSITIVE_DIMENSION, LayerError, effective_kernel
from padlint.symbolic import Dim, add, ceildiv, floordiv, format_dim, sub


@dataclass(frozen=True)
class Window:
    """One spatial axis of a windowed layer, as rules need to read it."""

    axis: int
    input: Dim
    output: Dim
    kernel: int
    stride: int
    dilation: int
    padding: str
    pad_before: Dim
    pad_after: Dim

    @property
    def span(self) -> int:
        return effective_kernel(self.kernel, self.dilation)

    def as_dict(self) -> dict:
        return {
            "axis": self.axis,
            "input": self.input,
            "output": self.output,
            "kernel": self.kernel,
            "stride": self.stride,
            "dilation": self.dilation,
            "padding": self.padding,
            "pad_before": self.pad_before,
            "pad_after": self.pad_after,
        }


def window(axis: int, size: Dim, kernel: int, stride: int, dilation: int, padding: str) -> tuple[Window, str]:
    """Output size of one axis and the arithmetic that produced it.

    Raises LayerError (non-positive-dimension) where Keras raises
    "Computed output size would be zero or negative".
    """
    span = effective_kernel(kernel, dilation)
    n = format_dim(size)
    if padding == "valid":
        output = add(floordiv(sub(size, span), stride), 1) if size is not None else None
        explain = f"{n} -> floor(({n} - {span}) / {stride}) + 1 = {format_dim(output)}, valid"
        if isinstance(output, int) and output <= 0:
            raise LayerError(
                NON_POSITIVE_DIMENSION,
                f"Computed output size would be zero or negative: {explain}",
                axis=axis,
                input=size,
                output=output,
                kernel=kernel,
                stride=stride,
                dilation=dilation,
            )
        return Window(axis, size, output, kernel, stride, dilation, padding, 0, 0), explain
    output = ceildiv(size, stride) if size is not None else None
    if padding == "causal":
        before: Dim = span - 1
        after: Dim = 0
        explain = f"{n} -> ceil({n} / {stride}) = {format_dim(output)}, causal, pads {before} before"
    else:
        before, after = same_padding(size, output, span, stride)
        explain = (
            f"{n} -> ceil({n} / {stride}) = {format_dim(output)}, same, "
            f"pads {format_dim(before)} before / {format_dim(after)} after"
        )
    return Window(axis, size, output, kernel, stride, dilation, padding, before, after), explain


def same_padding(size: Dim, output: Dim, span: int, stride: int) -> tuple[Dim, Dim]:
    """TensorFlow's split of 'same' padding: ``(before, after)``, extra pixel after."""
    if not isinstance(size, int) or not isinstance(output, int):
        return None, None
    total = max((output - 1) * stride + span - size, 0)
    return total // 2, total - total // 2
