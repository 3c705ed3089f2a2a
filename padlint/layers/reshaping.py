"""Reshaping layers.

Mirrors keras/src/layers/reshaping/: flatten.py, reshape.py (with
keras/src/ops/operation_utils.py ``compute_reshape_output_shape``), permute.py,
repeat_vector.py, and the per-axis resizers zero_padding{1,2,3}d.py,
cropping{1,2,3}d.py and up_sampling{1,2,3}d.py.

None of these layers has weights. Symbolic sizes are ``None`` to Keras, so
Keras checks nothing on them; padlint computes the symbolic result instead
(``H + 2``, ``2*H``) and, like Keras, raises only on known sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from padlint.layers.arguments import require_argument
from padlint.layers.base import (
    INVALID_CONFIG,
    KERAS_ERROR,
    NON_POSITIVE_DIMENSION,
    RESHAPE_MISMATCH,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    check_rank,
    dims_text,
    is_int,
    is_symbolic,
    replace_axes,
    require_known,
    run_checks,
    single_input,
    spatial_axes,
    standardize_tuple,
)
from padlint.layers.registry import register
from padlint.layers.windows import (
    over_axes,
    reject_negative,
)
from padlint.symbolic import (
    Dim,
    add,
    floordiv,
    format_dim,
    mul,
    product,
    provably_equal,
    sub,
)

ORDINALS = ("1st", "2nd", "3rd")


def positive_int(config: LayerConfig, name: str) -> int:
    """RepeatVector's ``n`` and UpSampling1D's ``size``: a plain int (not a bool) > 0."""
    value = config.get(name)
    if not is_int(value):
        raise LayerError(INVALID_CONFIG, f"Expected an integer value for `{name}`, got {type(value)}.", argument=name)
    if value <= 0:
        raise LayerError(INVALID_CONFIG, f"Argument `{name}` should be a positive integer. Received: {name}={value}", argument=name)
    return value


# ------------------------------------------------------------------ Flatten


@register
class Flatten(LayerSpec):
    """Collapses every non-batch axis into one."""

    class_name = "Flatten"
    signature = ("data_format",)
    defaults: ClassVar[dict[str, Any]] = {"data_format": None}
    mirrors = "keras/src/layers/reshaping/flatten.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(config.data_format)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, min_ndim=1)
        config.data_format()
        rest = shape[1:]
        if not rest:
            flat = 1
        elif any(dim is None for dim in rest):
            flat = None
        else:
            flat = product(rest)
        explain = [" * ".join(format_dim(dim) for dim in rest) + f" = {format_dim(flat)}"] if rest else []
        return LayerResult(outputs=[(shape[0], flat)], explain=explain)


# ------------------------------------------------------------------ Reshape


@register
class Reshape(LayerSpec):
    """Reshapes the non-batch axes to ``target_shape``, with at most one ``-1``.

    Keras checks the sizes only when every input size and every target entry
    is a known int; anything else (``None`` to Keras, a symbolic size here)
    leaves the ``-1`` as ``None``. padlint then resolves the ``-1`` when the
    division is exact for every value of the symbols (``(H, W, C) -> (-1, C)``
    gives ``H*W``) and leaves it ``None`` otherwise.
    """

    class_name = "Reshape"
    signature = ("target_shape",)
    mirrors = "keras/src/layers/reshaping/reshape.py"

    def target(self, config: LayerConfig) -> tuple:
        """``tuple(target_shape)`` and ``validate_reshape_shape``."""
        require_argument(config, "target_shape")
        value = config.get("target_shape")
        if not isinstance(value, (tuple, list, str)):
            raise LayerError(KERAS_ERROR, f"'{type(value).__name__}' object is not iterable", argument="target_shape")
        target = tuple(value)
        if any(isinstance(dim, int) and dim < -1 for dim in target):
            raise LayerError(
                INVALID_CONFIG,
                "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single unknown "
                f"dimension. Received: target_shape={target}.",
                argument="target_shape",
            )
        if target.count(-1) > 1:
            raise LayerError(
                INVALID_CONFIG,
                f"There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape={target}.",
                argument="target_shape",
            )
        return target

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.target(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        target = self.target(config)
        sizes = shape[1:]
        total = None if any(dim is None for dim in sizes) else product(sizes)
        if total is not None and all(is_int(dim) for dim in sizes) and all(isinstance(dim, int) for dim in target):
            check_sizes(sizes, target, total)  # (a total beyond symbolic.MAX_INT_BITS is unknown)
        output = resolve_target(target, total)
        explain = [f"{dims_text(sizes) or '()'} -> {dims_text(output) or '()'} ({format_dim(total)} elements)"]
        return LayerResult(outputs=[(shape[0], *output)], details={"target_shape": target, "input_size": total}, explain=explain)


def resolve_target(target: tuple, total: Dim) -> tuple:
    """The output sizes: ``target`` with its one inferred entry resolved where exact.

    Keras' ``call()`` infers the entries it does not know statically (``None``,
    symbolic here) as it infers ``-1``; other non-int entries are opaque. With
    exactly one entry to infer, its size is ``total / known`` if that division
    is exact for every value of the symbols, else unknown.
    """
    inferred = [index for index, dim in enumerate(target) if dim is None or is_symbolic(dim) or dim == -1]
    opaque = [index for index, dim in enumerate(target) if not isinstance(dim, int) and index not in inferred]
    resolved = None
    if len(inferred) == 1 and not opaque and total is not None:
        known = product(dim for index, dim in enumerate(target) if index not in inferred)
        quotient = floordiv(total, known) if known else None
        resolved = quotient if provably_equal(mul(quotient, known), total) else None
    return tuple(resolved if index in inferred else None if index in opaque else dim for index, dim in enumerate(target))


def check_sizes(sizes: tuple, target: tuple, total: int) -> None:
    """compute_reshape_output_shape's checks, made when every size is a known int."""
    known = product(dim for dim in target if dim != -1)
    if -1 not in target:
        if total != known:
            raise LayerError(
                RESHAPE_MISMATCH,
                f"The total size of the tensor must be unchanged. Received: input_shape={sizes} ({total} elements), "
                f"target_shape={target} ({known} elements)",
                argument="target_shape",
                input_size=total,
                target_size=known,
            )
    elif known == 0 or total % known != 0:
        raise LayerError(
            RESHAPE_MISMATCH,
            "The total size of the tensor must be unchanged, however, the input size cannot by divided by the "
            f"specified dimensions in target_shape. Received: input_shape={sizes} ({total} elements), "
            f"target_shape={target} ({known} elements besides -1)",
            argument="target_shape",
            input_size=total,
            target_size=known,
        )


# ------------------------------------------------------------------ Permute


@register
class Permute(LayerSpec):
    """Permutes the non-batch axes; ``dims`` counts from 1."""

    class_name = "Permute"
    signature = ("dims",)
    mirrors = "keras/src/layers/reshaping/permute.py"

    def dims(self, config: LayerConfig) -> tuple[int, ...]:
        require_argument(config, "dims")
        value = config.get("dims")
        if not isinstance(value, (tuple, list)):
            raise LayerError(KERAS_ERROR, f"'{type(value).__name__}' object is not iterable", argument="dims")
        dims = tuple(value)
        if not all(is_int(dim) for dim in dims) or sorted(dims) != list(range(1, len(dims) + 1)):
            raise LayerError(
                INVALID_CONFIG,
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be "
                f"consecutive and start from 1. Received dims={dims}",
                argument="dims",
            )
        return dims

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.dims(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        dims = self.dims(config)
        check_rank(self.class_name, shape, ndim=len(dims) + 1)
        return LayerResult(outputs=[(shape[0], *(shape[dim] for dim in dims))], details={"dims": dims})


# ------------------------------------------------------------- RepeatVector


@register
class RepeatVector(LayerSpec):
    """Repeats a ``(batch, features)`` input ``n`` times: ``(batch, n, features)``."""

    class_name = "RepeatVector"
    signature = ("n",)
    mirrors = "keras/src/layers/reshaping/repeat_vector.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: require_argument(config, "n"), lambda: positive_int(config, "n"))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, ndim=2)
        return LayerResult(outputs=[(shape[0], positive_int(config, "n"), shape[1])])


# ----------------------------------------- ZeroPadding / Cropping / UpSampling


@dataclass(frozen=True)
class AxisResize:
    """One spatial axis of a padding, cropping or upsampling layer, as rules read it."""

    axis: int
    input: Dim
    output: Dim
    #: ``(before, after)`` for padding and cropping, the factor for upsampling.
    amount: Any


class SpatialResize(LayerSpec):
    """Layers that resize each spatial axis of a ``rank + 2`` input on its own.

    Keras' 1D cropping and upsampling take no ``data_format`` and always act on
    axis 1; the other classes follow ``data_format``.
    """

    rank: ClassVar[int]
    #: The constructor argument holding the per-axis amounts.
    argument: ClassVar[str]
    has_data_format: ClassVar[bool] = True

    def data_format(self, config: LayerConfig) -> str:
        return config.data_format() if self.has_data_format else "channels_last"

    def amounts(self, config: LayerConfig) -> tuple:
        """The standardised argument, one entry per spatial axis."""
        raise NotImplementedError

    def resize(self, axis: int, size: Dim, amount: Any) -> tuple[AxisResize, str]:
        raise NotImplementedError

    def checks(self, config: LayerConfig) -> list:
        return [lambda: self.data_format(config), lambda: self.amounts(config)]

    def validate(self, config: LayerConfig) -> None:
        run_checks(*self.checks(config))

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        check_rank(self.class_name, shape, ndim=self.rank + 2)
        data_format = self.data_format(config)
        amounts = self.amounts(config)
        outputs, records, explain = over_axes(
            shape,
            spatial_axes(data_format, len(shape)),
            lambda index, axis, size: self.resize(axis, size, amounts[index]),
        )
        return LayerResult(
            outputs=[replace_axes(shape, outputs)],
            details={"axes": records, "data_format": data_format, self.argument: amounts},
            explain=explain,
        )


def pairs(config: LayerConfig, name: str, rank: int, *, negative_int_ok: bool) -> tuple[tuple[int, int], ...]:
    """``(before, after)`` per axis, as the Keras ZeroPadding/Cropping constructors parse them.

    1D: an int or a pair. 2D/3D: an int, ``rank`` ints (symmetric per axis) or
    ``rank`` pairs. A negative int passes ZeroPadding2D/3D (no check there) but
    not Cropping2D/3D; negative entries of tuples never pass.
    """
    value = config.get(name)
    if rank == 1:
        return (standardize_tuple(value, 2, name, allow_zero=True),)
    if is_int(value):
        if value < 0 and not negative_int_ok:
            raise LayerError(INVALID_CONFIG, f"`{name}` cannot be negative. Received: {name}={value}.", argument=name)
        return ((value, value),) * rank
    if not isinstance(value, (tuple, list)):
        raise LayerError(
            INVALID_CONFIG,
            f"`{name}` should be either an int, a tuple of {rank} ints or a tuple of {rank} tuples of 2 ints. Received: {name}={value!r}.",
            argument=name,
        )
    if len(value) != rank:
        raise LayerError(INVALID_CONFIG, f"`{name}` should have {rank} elements. Received: {name}={value!r}.", argument=name)
    return tuple(
        standardize_tuple(entry, 2, f"{ORDINALS[index]} entry of {name}", allow_zero=True) for index, entry in enumerate(value)
    )


class ZeroPadding(SpatialResize):
    """ZeroPadding1D/2D/3D: adds ``before + after`` zeros along each spatial axis."""

    signature = ("padding", "data_format")
    argument = "padding"

    def amounts(self, config: LayerConfig) -> tuple:
        return pairs(config, "padding", self.rank, negative_int_ok=True)

    def resize(self, axis: int, size: Dim, amount: Any) -> tuple[AxisResize, str]:
        before, after = amount
        output = add(size, before + after)
        n = format_dim(size)
        explain = f"{n} -> {n} + {before} + {after} = {format_dim(output)}"
        reject_negative(output, explain, axis=axis, input=size, padding=amount)
        return AxisResize(axis, size, output, amount), explain


class Cropping(SpatialResize):
    """Cropping1D/2D/3D: removes ``before + after`` along each spatial axis.

    Keras raises when a known size would become zero or negative.
    """

    argument = "cropping"

    def amounts(self, config: LayerConfig) -> tuple:
        return pairs(config, "cropping", self.rank, negative_int_ok=False)

    def resize(self, axis: int, size: Dim, amount: Any) -> tuple[AxisResize, str]:
        before, after = amount
        output = sub(size, before + after)
        n = format_dim(size)
        explain = f"{n} -> {n} - {before} - {after} = {format_dim(output)}"
        if is_int(output) and output <= 0:
            raise LayerError(
                NON_POSITIVE_DIMENSION,
                f"Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input: {explain}",
                argument="cropping",
                axis=axis,
                input=size,
                output=output,
                cropping=amount,
            )
        return AxisResize(axis, size, output, amount), explain


class UpSampling(SpatialResize):
    """UpSampling1D/2D/3D: repeats each spatial position ``size`` times per axis."""

    signature = ("size", "data_format")
    argument = "size"

    def amounts(self, config: LayerConfig) -> tuple:
        if self.rank == 1:
            return (positive_int(config, "size"),)
        return config.tuple("size", self.rank)

    def resize(self, axis: int, size: Dim, amount: Any) -> tuple[AxisResize, str]:
        output = mul(size, amount)
        n = format_dim(size)
        return AxisResize(axis, size, output, amount), f"{n} -> {n} * {amount} = {format_dim(output)}"


@register
class ZeroPadding1D(ZeroPadding):
    class_name = "ZeroPadding1D"
    rank = 1
    defaults: ClassVar[dict[str, Any]] = {"padding": 1, "data_format": None}
    mirrors = "keras/src/layers/reshaping/zero_padding1d.py"


@register
class ZeroPadding2D(ZeroPadding):
    class_name = "ZeroPadding2D"
    rank = 2
    defaults: ClassVar[dict[str, Any]] = {"padding": (1, 1), "data_format": None}
    mirrors = "keras/src/layers/reshaping/zero_padding2d.py"


@register
class ZeroPadding3D(ZeroPadding):
    class_name = "ZeroPadding3D"
    rank = 3
    defaults: ClassVar[dict[str, Any]] = {"padding": ((1, 1), (1, 1), (1, 1)), "data_format": None}
    mirrors = "keras/src/layers/reshaping/zero_padding3d.py"


@register
class Cropping1D(Cropping):
    class_name = "Cropping1D"
    rank = 1
    signature = ("cropping",)
    has_data_format = False
    defaults: ClassVar[dict[str, Any]] = {"cropping": (1, 1)}
    mirrors = "keras/src/layers/reshaping/cropping1d.py"


@register
class Cropping2D(Cropping):
    class_name = "Cropping2D"
    rank = 2
    signature = ("cropping", "data_format")
    # Unlike Cropping1D/3D, Keras crops nothing by default here.
    defaults: ClassVar[dict[str, Any]] = {"cropping": ((0, 0), (0, 0)), "data_format": None}
    mirrors = "keras/src/layers/reshaping/cropping2d.py"


@register
class Cropping3D(Cropping):
    class_name = "Cropping3D"
    rank = 3
    signature = ("cropping", "data_format")
    defaults: ClassVar[dict[str, Any]] = {"cropping": ((1, 1), (1, 1), (1, 1)), "data_format": None}
    mirrors = "keras/src/layers/reshaping/cropping3d.py"


@register
class UpSampling1D(UpSampling):
    class_name = "UpSampling1D"
    rank = 1
    signature = ("size",)
    has_data_format = False
    defaults: ClassVar[dict[str, Any]] = {"size": 2}
    mirrors = "keras/src/layers/reshaping/up_sampling1d.py"


@register
class UpSampling2D(UpSampling):
    class_name = "UpSampling2D"
    rank = 2
    signature = ("size", "data_format", "interpolation")
    defaults: ClassVar[dict[str, Any]] = {"size": (2, 2), "data_format": None, "interpolation": "nearest"}
    mirrors = "keras/src/layers/reshaping/up_sampling2d.py"

    def checks(self, config: LayerConfig) -> list:
        def interpolation() -> None:
            # Keras lower-cases it and checks nothing else until the layer runs.
            value = config.get("interpolation")
            if not isinstance(value, str):
                raise LayerError(KERAS_ERROR, f"'{type(value).__name__}' object has no attribute 'lower'", argument="interpolation")

        return super().checks(config) + [interpolation]


@register
class UpSampling3D(UpSampling):
    class_name = "UpSampling3D"
    rank = 3
    defaults: ClassVar[dict[str, Any]] = {"size": (2, 2, 2), "data_format": None}
    mirrors = "keras/src/layers/reshaping/up_sampling3d.py"
