"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.

Mirrors keras/src/layers/merging/base_merge.py (``build`` validates the shapes,
``compute_output_shape`` broadcasts them), concatenate.py and dot.py, which
replace both methods, and subtract.py, which adds a count check.

Keras sees only ``int`` and ``None`` dimensions. padlint's symbolic dimensions
are definite sizes it cannot name as numbers, so two of them are incompatible
only when they provably differ (``H`` and ``H - 2``); sizes that may or may not
be equal (``H`` and ``W``, or ``H`` and ``8``) never raise. Where the output
would then depend on which of those cases holds, the result is Unresolved.
``None`` (unknown to padlint, as to Keras) follows Keras' rules literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, ClassVar

from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    MERGE_MISMATCH,
    MERGE_NOT_A_LIST,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Shape,
    Unresolved,
    format_shape,
    is_int,
    require_known,
)
from padlint.layers.registry import register
from padlint.symbolic import Dim, Sym, add, provably_different, provably_equal


def shapes_text(shapes: Sequence[Shape]) -> str:
    return "[" + ", ".join(format_shape(shape) for shape in shapes) + "]"


def known_shapes(inputs: Sequence) -> list[Shape]:
    """Every input shape, as tuples; Unresolved if one is unknown."""
    return [tuple(require_known(shape, f"shape of input {index}")) for index, shape in enumerate(inputs)]


def any_provably_different(dims: Sequence[Dim]) -> bool:
    """True if two of these (non-None) dimensions differ for every value of the symbols."""
    return any(provably_different(a, b) for a, b in combinations(dims, 2))


# ------------------------------------------------------ elementwise merges


def broadcast_dim(i: Dim, j: Dim, shape1: Shape, shape2: Shape) -> Dim:
    """One axis of ``Merge._compute_elemwise_op_output_shape``.

    Keras: ``None`` wins, then a 1 broadcasts, else the sizes must be equal.
    """
    if i is None or j is None:
        return None
    if i == 1:
        return j
    if j == 1:
        return i
    if provably_equal(i, j):
        return i
    if provably_different(i, j):
        raise LayerError(
            MERGE_MISMATCH,
            f"Inputs have incompatible shapes. Received shapes {format_shape(shape1)} and {format_shape(shape2)}",
            shapes=[shape1, shape2],
        )
    # Undecidable: a symbol against a number k != 1 gives k whether the symbol
    # is k or 1 (the cases that do not raise); two symbols give either one.
    if isinstance(j, int):
        return j
    if isinstance(i, int):
        return i
    raise Unresolved(f"whether {i} and {j} are equal")


def broadcast(shape1: Shape, shape2: Shape) -> Shape:
    """Mirror of ``Merge._compute_elemwise_op_output_shape`` (shapes without batch axis)."""
    if len(shape1) < len(shape2):
        return broadcast(shape2, shape1)
    if not shape2:
        return shape1
    lead = shape1[: -len(shape2)]
    return tuple(lead) + tuple(broadcast_dim(i, j, shape1, shape2) for i, j in zip(shape1[-len(shape2):], shape2))


def merged_batch(shapes: Sequence[Shape]) -> Dim:
    """The batch size ``Merge.compute_output_shape`` gives: the only one known, else None."""
    sizes = {shape[0] for shape in shapes if shape} - {None}
    return next(iter(sizes)) if len(sizes) == 1 else None


class Merge(LayerSpec):
    """Elementwise merges of a list of tensors, with numpy-style broadcasting."""

    takes_list = True
    signature = ()
    mirrors = "keras/src/layers/merging/base_merge.py"

    def check_list(self, inputs: list) -> None:
        """Keras' check that the layer was called on a list (``Add()(x)`` is rejected)."""
        if not getattr(inputs, "as_list", True):
            raise LayerError(MERGE_NOT_A_LIST, self.not_a_list_message(known_shapes(inputs)))

    def not_a_list_message(self, shapes: list[Shape]) -> str:
        received = format_shape(shapes[0]) if shapes else "None"
        return f"A merge layer should be called on a list of inputs. Received: input_shape={received} (not a list of shapes)"

    def check_count(self, shapes: list[Shape]) -> None:
        if len(shapes) < 1:
            raise LayerError(KERAS_ERROR, f"A merge layer should be called on a list of at least 1 input. Received {len(shapes)} inputs.")

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        self.check_list(inputs)
        shapes = known_shapes(inputs)
        self.check_count(shapes)
        batches = [shape[0] for shape in shapes if shape and shape[0] is not None]
        if any_provably_different(batches):
            raise LayerError(
                MERGE_MISMATCH,
                f"Cannot merge tensors with different batch sizes. Received tensors with shapes {shapes_text(shapes)}",
                shapes=shapes,
            )
        output = shapes[0][1:]
        for shape in shapes[1:]:
            output = broadcast(output, shape[1:])
        self.check_after_build(shapes)
        return LayerResult(outputs=[(merged_batch(shapes),) + tuple(output)], details={"input_shapes": shapes})

    def check_after_build(self, shapes: list[Shape]) -> None:
        """Checks a subclass makes after ``Merge.build`` (Subtract's input count)."""


@register
class Add(Merge):
    class_name = "Add"
    mirrors = "keras/src/layers/merging/add.py"


@register
class Multiply(Merge):
    class_name = "Multiply"
    mirrors = "keras/src/layers/merging/multiply.py"


@register
class Average(Merge):
    class_name = "Average"
    mirrors = "keras/src/layers/merging/average.py"


@register
class Maximum(Merge):
    class_name = "Maximum"
    mirrors = "keras/src/layers/merging/maximum.py"


@register
class Minimum(Merge):
    class_name = "Minimum"
    mirrors = "keras/src/layers/merging/minimum.py"


@register
class Subtract(Merge):
    """``inputs[0] - inputs[1]``: exactly two inputs, checked after the broadcast check."""

    class_name = "Subtract"
    mirrors = "keras/src/layers/merging/subtract.py"

    def check_after_build(self, shapes: list[Shape]) -> None:
        if len(shapes) != 2:
            raise LayerError(
                KERAS_ERROR,
                f"A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape={shapes_text(shapes)}",
            )


# -------------------------------------------------------------- Concatenate


def axis_error(name: str, axis: Any, shape: Shape) -> LayerError:
    return LayerError(
        INVALID_CONFIG,
        f"`{name}={axis}` is out of range for an input of rank {len(shape)}: {format_shape(shape)}",
        argument=name,
    )


@register
class Concatenate(Merge):
    """Joins inputs along ``axis``; every other axis must match.

    ``Concatenate.build`` deletes the axis from each shape and compares the
    rest, the batch axis included. Its attempt to ignore size-1 axes is dead
    code (it enumerates the list of shapes, not a shape's dimensions), and a
    positive axis beyond an input's rank is not deleted at all; the output
    shape then fails with an IndexError unless there is a single input.
    """

    class_name = "Concatenate"
    signature = ("axis",)
    defaults: ClassVar[dict[str, Any]] = {"axis": -1}
    mirrors = "keras/src/layers/merging/concatenate.py"

    def not_a_list_message(self, shapes: list[Shape]) -> str:
        received = format_shape(shapes[0]) if shapes else "None"
        return f"A `Concatenate` layer should be called on a list of at least 1 input. Received: input_shape={received}"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        self.check_list(inputs)
        shapes = known_shapes(inputs)
        axis = config.get("axis")
        if not is_int(axis):
            raise LayerError(KERAS_ERROR, f"`axis` must be an integer, received axis={axis!r}", argument="axis")
        if not shapes:
            raise LayerError(KERAS_ERROR, "A `Concatenate` layer should be called on a list of at least 1 input.")
        self.build(shapes, axis)
        output = self.known_sizes(shapes, axis)
        for shape in shapes[1:]:
            # Keras indexes lazily: ``output[axis] is None or shape[axis] is None``.
            self.check_axis(axis, output)
            if output[axis] is None:
                break
            self.check_axis(axis, shape)
            if shape[axis] is None:
                output[axis] = None
                break
            output[axis] = add(output[axis], shape[axis])
        return LayerResult(outputs=[tuple(output)], details={"axis": axis, "input_shapes": shapes})

    @staticmethod
    def known_sizes(shapes: list[Shape], axis: int) -> list[Dim]:
        """Keras keeps the first input's sizes off the axis; where that is a symbol
        and another input has a number there, the number is the same size (or
        the model fails), so padlint keeps the number."""
        output = list(shapes[0])
        concat_axis = axis % len(output)
        for position, dim in enumerate(output):
            if isinstance(dim, Sym) and position != concat_axis:
                numbers = [shape[position] for shape in shapes[1:] if len(shape) == len(output) and isinstance(shape[position], int)]
                if numbers:
                    output[position] = numbers[0]
        return output

    @staticmethod
    def check_axis(axis: int, shape: Shape) -> None:
        if not -len(shape) <= axis < len(shape):
            raise axis_error("axis", axis, shape)

    def build(self, shapes: list[Shape], axis: int) -> None:
        """Mirror of ``Concatenate.build``: the shapes without the axis must agree."""
        reduced = []
        for shape in shapes:
            if not shape:
                raise LayerError(KERAS_ERROR, "A `Concatenate` layer cannot concatenate scalars (rank 0).")
            rest = list(shape)
            if len(rest) > axis:
                if axis < -len(rest):
                    raise axis_error("axis", axis, shape)
                del rest[axis]
            reduced.append(tuple(rest))
        if len(set(reduced)) == 1:
            return
        message = (
            "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            f"Received: input_shape={shapes_text(shapes)}"
        )
        if len({len(shape) for shape in reduced}) != 1:
            raise LayerError(MERGE_MISMATCH, message, shapes=shapes, axis=axis)
        for position in range(len(reduced[0])):
            if any_provably_different([shape[position] for shape in reduced if shape[position] is not None]):
                raise LayerError(MERGE_MISMATCH, message, shapes=shapes, axis=axis)


# ----------------------------------------------------------------------- Dot


@register
class Dot(Merge):
    """Batchwise dot product of two tensors over one axis of each.

    ``Dot.build`` compares the two axes with ``!=``, so ``None`` against a
    known size raises although nothing is known to be wrong.
    """

    class_name = "Dot"
    signature = ("axes", "normalize")
    defaults: ClassVar[dict[str, Any]] = {"normalize": False}
    mirrors = "keras/src/layers/merging/dot.py"

    def validate(self, config: LayerConfig) -> None:
        try:
            axes = config.get("axes")
        except Unresolved:
            return
        if isinstance(axes, int):
            return
        if not isinstance(axes, (list, tuple)):
            raise LayerError(INVALID_CONFIG, f"Invalid type for argument `axes`: it should be a list or an int. Received: axes={axes!r}", argument="axes")
        if len(axes) != 2:
            raise LayerError(INVALID_CONFIG, f"Invalid format for argument `axes`: it should contain two elements. Received: axes={axes!r}", argument="axes")
        if not isinstance(axes[0], int) or not isinstance(axes[1], int):
            raise LayerError(INVALID_CONFIG, f"Invalid format for argument `axes`: list elements should be integers. Received: axes={axes!r}", argument="axes")

    def axes(self, config: LayerConfig, shape1: Shape, shape2: Shape) -> list[int]:
        """The axis of each input, as ``Dot`` resolves them (negatives only for an int)."""
        axes = config.get("axes")
        if isinstance(axes, int):
            if axes < 0:
                return [axes % len(shape1), axes % len(shape2)]
            return [axes, axes]
        return list(axes)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shapes = known_shapes(inputs)
        if len(shapes) != 2:
            raise LayerError(KERAS_ERROR, f"A `Dot` layer should be called on a list of 2 inputs. Received: input_shape={shapes_text(shapes)}")
        shape1, shape2 = shapes
        if not shape1 or not shape2:
            raise LayerError(KERAS_ERROR, f"A `Dot` layer cannot take scalars. Received: input_shape={shapes_text(shapes)}")
        axes = self.axes(config, shape1, shape2)
        for axis, shape in zip(axes, shapes):
            if not -len(shape) <= axis < len(shape):
                raise axis_error("axes", config.get("axes"), shape)
        self.check_dot_axes(shape1[axes[0]], shape2[axes[1]], axes, shapes)
        first, second = list(shape1), list(shape2)
        first.pop(axes[0])
        second.pop(axes[1])
        if not second:
            raise LayerError(KERAS_ERROR, f"A `Dot` layer's second input has no axis left besides the dot axis: {format_shape(shape2)}")
        second.pop(0)
        output = first + second
        if len(output) == 1:
            output.append(1)
        return LayerResult(outputs=[tuple(output)], details={"dot_axes": axes, "input_shapes": shapes})

    @staticmethod
    def check_dot_axes(a: Dim, b: Dim, axes: list[int], shapes: list[Shape]) -> None:
        if a is None and b is None:
            return
        if (a is None) != (b is None):
            mismatch = isinstance(a, int) or isinstance(b, int)  # Keras: None != 8
        else:
            mismatch = provably_different(a, b)
        if mismatch:
            raise LayerError(
                MERGE_MISMATCH,
                f"Incompatible input shapes: axis values {a} (at axis {axes[0]}) != {b} (at axis {axes[1]}). "
                f"Full input shapes: {format_shape(shapes[0])}, {format_shape(shapes[1])}",
                shapes=shapes,
                axes=axes,
            )
