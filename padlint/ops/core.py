"""Shape functions of keras/src/ops/core.py: ``slice``, ``stop_gradient``, ``cast``,
``unstack``, ``shape`` and the scatter updates.

``shape`` makes no operation: on a KerasTensor Keras returns the shape tuple itself
(``x.shape``), which the evaluator hands back as a plain value.
"""

from __future__ import annotations

from typing import Any

from padlint.ops.base import Multi, OpError, Tensor, canonicalize_axis, in_trace, is_known, is_none, is_run_time, static, static_int
from padlint.ops.numpy import tensor_shape
from padlint.ops.registry import op
from padlint.symbolic import Sym, sub


@op("core", "shape", None, "x", plain=True)
def shape(x: Tensor) -> tuple:
    return tensor_shape(x)


@op("core", "stop_gradient", "StopGradient", "variable")
def stop_gradient(variable: Tensor) -> tuple:
    return tensor_shape(variable)


@op("core", ("cast", "saturate_cast"), None, "x, dtype")
def cast(x: Tensor, dtype: Any) -> tuple:
    return tensor_shape(x)


@op("core", "convert_to_tensor", "ConvertToTensor", "x, dtype=None, sparse=None, ragged=None")
def convert_to_tensor(x: Tensor, dtype: Any = None, sparse: Any = None, ragged: Any = None) -> tuple:
    return tensor_shape(x)


@op("core", "slice", "Slice", "inputs, start_indices, shape")
def slice_(inputs: Tensor, start_indices: Any, shape: Any) -> tuple:
    """``Slice.compute_output_spec``: the sizes given, ``-1`` meaning "to the end"."""
    sizes = tensor_shape(inputs)
    target = static(shape, "shape", run_time_sizes=in_trace())
    if not isinstance(target, (tuple, list)):
        raise OpError(f"object of type '{type(target).__name__}' has no len()")
    if len(target) != len(sizes):
        raise OpError(f"The number of dimensions in `inputs` must match the number of dimensions in `shape`. Received inputs.shape={sizes} and shape={tuple(target)}")
    dynamic_start = isinstance(start_indices, Tensor)
    if not dynamic_start:
        start_indices = static(start_indices, "start_indices")
        if isinstance(start_indices, (tuple, list)) and len(start_indices) != len(sizes):
            raise OpError(f"The number of dimensions in `start_indices` must match the number of dimensions in `inputs`. Received start_indices={start_indices} and inputs.shape={sizes}")
    output = []
    for index, (size, wanted) in enumerate(zip(sizes, target)):
        if is_run_time(wanted):
            output.append(None)
        elif wanted != -1:
            output.append(wanted if is_known(wanted) or wanted is None or isinstance(wanted, Sym) else None)
        elif dynamic_start or is_none(size):
            output.append(None)
        else:
            output.append(sub(size, static_int(start_indices[index], "start_indices")))
    return tuple(output)


@op("core", "slice_update", "SliceUpdate", "inputs, start_indices, updates")
def slice_update(inputs: Tensor, start_indices: Any, updates: Any) -> tuple:
    return tensor_shape(inputs)


@op("core", "scatter_update", "ScatterUpdate", "inputs, indices, updates, reduction=None")
def scatter_update(inputs: Tensor, indices: Any, updates: Any, reduction: Any = None) -> tuple:
    return tensor_shape(inputs)


@op("core", "scatter", "Scatter", "indices, values, shape")
def scatter(indices: Any, values: Any, shape: Any) -> tuple:
    target = static(shape, "shape")
    return tuple(target) if isinstance(target, (tuple, list)) else (target,)


def _unstack_count(arguments: dict) -> tuple[str, int] | None:
    num = arguments.get("num")
    return ("list", num) if isinstance(num, int) and not isinstance(num, bool) and num >= 0 else None


@op("core", "unstack", "Unstack", "x, num=None, axis=0", outputs=_unstack_count)
def unstack(x: Tensor, num: Any = None, axis: Any = 0) -> Multi:
    sizes = tensor_shape(x)
    position = canonicalize_axis(axis, len(sizes))
    rest = sizes[:position] + sizes[position + 1 :]
    count = static(num, "num")
    if count is None:
        count = sizes[position]
    if is_none(count):
        raise OpError(f"Cannot infer argument `num` from shape {sizes}. Either provide a tensor with a concrete shape in the `axis` dimension or explicitly pass the `num` argument.")
    count = static_int(count, "num")
    return Multi(tuple(rest for _ in range(count)), as_list=True)
