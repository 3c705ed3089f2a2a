"""Per-axis size arithmetic shared by convolutions, pooling and the reshaping layers.

Mirrors keras/src/ops/operation_utils.py (``compute_conv_output_shape`` and
``compute_pooling_output_shape``): for each spatial axis,

- ``valid``: ``floor((n - d*(k-1) - 1) / s) + 1`` (pooling has ``d = 1``, i.e.
  ``floor((n - k) / s) + 1``), an error when that is ``<= 0``;
- ``same`` and ``causal``: ``floor((n - 1) / s) + 1``, i.e. ``ceil(n / s)``.

The padding a 'same' window adds follows TensorFlow's convention: the total is
``max((out - 1)*s + d*(k-1) + 1 - n, 0)``, with the extra pixel after.

Transposed convolutions run the other way; :func:`transposed_window` mirrors
keras/src/backend/common/backend_utils.py (``_get_output_shape_given_tf_padding``)
with ``K = d*(k-1) + 1``:

- ``valid``: ``(n - 1)*s + K + p`` where ``p`` is ``output_padding``, by default
  ``max(K, s) - K``;
- ``same``: ``n*s`` without ``output_padding``, else ``(n - 1)*s + K % 2 + p``.

:func:`over_axes` applies one such per-axis function to every spatial axis;
:func:`reject_negative` is the check Keras makes on sizes no formula checks;
:func:`require_argument` is Python's check for an ``__init__`` argument
without a default (``AveragePooling2D()``, ``Reshape()``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from padlint.layers.base import (
    NON_POSITIVE_DIMENSION,
    LayerError,
    effective_kernel,
)
from padlint.symbolic import Dim, add, ceildiv, floordiv, format_dim, mul, sub


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


def reject_negative(output: Dim, explain: str, **details: object) -> None:
    """Keras accepts a computed size of 0 but not a negative one.

    Layers whose formula checks nothing (transposed convolutions, ZeroPadding
    with negative padding) fail only when Keras builds the output tensor
    (keras/src/backend/common/variables.py ``standardize_shape``).
    """
    if isinstance(output, int) and output < 0:
        raise LayerError(
            NON_POSITIVE_DIMENSION,
            f"Cannot convert the output shape to a shape. Negative dimensions are not allowed: {explain}",
            output=output,
            **details,
        )


@dataclass(frozen=True)
class TransposedWindow:
    """One spatial axis of a transposed convolution.

    Rules read it to check whether an upsampling restores the size a strided
    convolution or pooling had reduced: ``output`` against the earlier input.
    ``output_padding`` is the argument as given (``None``: Keras' default);
    ``added`` is what it contributed to ``output`` after Keras' defaulting.
    """

    axis: int
    input: Dim
    output: Dim
    kernel: int
    stride: int
    dilation: int
    padding: str
    output_padding: int | None
    added: int

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
            "output_padding": self.output_padding,
            "added": self.added,
        }


def transposed_window(
    axis: int, size: Dim, kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> tuple[TransposedWindow, str]:
    """Output size of one axis of a transposed convolution, and the arithmetic.

    Keras' formula checks nothing: 'same' with an even kernel, stride 1 and
    ``output_padding=0`` turns a size of 1 into 0 without an error. Only a
    negative size (from an input size of 0) fails, when Keras builds the
    output tensor.
    """
    span = effective_kernel(kernel, dilation)
    n = format_dim(size)
    kernel_text = f"{span}" if dilation == 1 else f"{span} (kernel {kernel} dilated by {dilation})"
    if padding == "valid":
        added = max(span, stride) - span if output_padding is None else output_padding
        output = add(mul(sub(size, 1), stride), span + added)
        formula = f"({n} - 1) * {stride} + {kernel_text}" + (f" + {added}" if added else "")
        note = f" (output_padding defaults to stride - kernel = {added})" if output_padding is None and added else ""
    elif output_padding is None:
        added = 0
        output = mul(size, stride)
        formula, note = f"{n} * {stride}", ""
    else:
        added = output_padding
        output = add(mul(sub(size, 1), stride), span % 2 + output_padding)
        formula, note = f"({n} - 1) * {stride} + {span} % 2 + {output_padding}", ""
    explain = f"{n} -> {formula} = {format_dim(output)}, {padding}{note}"
    reject_negative(output, explain, axis=axis, input=size, kernel=kernel, stride=stride, dilation=dilation)
    return TransposedWindow(axis, size, output, kernel, stride, dilation, padding, output_padding, added), explain


#: Per-axis arithmetic: ``(index among spatial axes, axis, input size) -> (record, explain)``.
AxisArithmetic = Callable[[int, int, Dim], tuple[Any, str]]

#: The names Keras' documentation gives the spatial axes of 1D, 2D and 3D layers
#: (``(batch, steps, features)``, ``(batch, height, width, channels)``, ``(batch, depth, height,
#: width, channels)``), in the order they come in either data format.
AXIS_NAMES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def axis_labels(count: int) -> list[str]:
    """``height: `` and ``width:  `` (padded so the arithmetic lines up) for ``count`` spatial axes."""
    names = AXIS_NAMES.get(count) or tuple(f"axis {index + 1}" for index in range(count))
    width = max((len(name) for name in names), default=0) + 2
    return [f"{name}:".ljust(width) for name in names]


def over_axes(shape: tuple, axes: list[int], arithmetic: AxisArithmetic) -> tuple[dict[int, Dim], list, list[str]]:
    """Apply one axis's arithmetic to every spatial axis of ``shape``.

    Returns the output size per axis (for ``replace_axes``), the records rules
    read (``details["windows"]``) and the explain lines, in axis order, each
    starting with the axis' name (``height: 28 -> floor((28 - 3) / 1) + 1 = 26, valid``).
    """
    outputs: dict[int, Dim] = {}
    records: list = []
    explain: list[str] = []
    for index, (axis, label) in enumerate(zip(axes, axis_labels(len(axes)))):
        record, text = arithmetic(index, axis, shape[axis])
        outputs[axis] = record.output
        records.append(record)
        explain.append(label + text)
    return outputs, records, explain
