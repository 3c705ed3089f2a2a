"""keras/src/ops nn.py, core.py, math.py, image.py and linalg.py against Keras."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from padlint.ops.math import ELEMENTWISE
from padlint.ops.nn import ACTIVATIONS
from tests.keras_oracle import mostly
from tests.ops.op_oracle import Sym_, assert_op_matches_keras
from tests.ops.strategies import FEW, H, SOME, axis_for, reduction_axes, shapes, tensors


ACTIVATION_ARGUMENTS = {"threshold": (0.5, 0.0)}
SIZE = st.sampled_from([1, 2, 3, 5, 8, 9, 16, None, H])


@SOME
@given(st.sampled_from(sorted(ACTIVATIONS) + ["keras:" + name for name in sorted(ELEMENTWISE)]), tensors())
def test_activations_and_elementwise(name, x):
    name = name.removeprefix("keras:")
    assert_op_matches_keras("keras", name, (x, *ACTIVATION_ARGUMENTS.get(name, ())))


@SOME
@given(st.sampled_from(["softmax", "log_softmax", "normalize", "glu"]), tensors(), st.data())
def test_ops_along_an_axis(name, x, data):
    axis = data.draw(st.one_of(axis_for(len(x.shape)), st.just(None) if name != "glu" else axis_for(len(x.shape))))
    assert_op_matches_keras("keras", name, (x,), {"axis": axis})


@SOME
@given(tensors(max_rank=3), st.integers(1, 10), st.data())
def test_one_hot_and_multi_hot(x, classes, data):
    axis = data.draw(st.one_of(st.just(-1), st.integers(-2, len(x.shape))))
    assert_op_matches_keras("keras", "one_hot", (x, classes), {"axis": axis})
    assert_op_matches_keras("keras", "multi_hot", (x, classes), {"axis": axis})


@SOME
@given(tensors(min_rank=2), st.booleans(), st.data())
def test_moments_logsumexp_norm(x, keepdims, data):
    axes = data.draw(reduction_axes(len(x.shape)))
    if axes is not None:
        listed = [axes] if isinstance(axes, int) else list(axes)
        assert_op_matches_keras("keras", "moments", (x, listed), {"keepdims": keepdims})
    assert_op_matches_keras("keras", "logsumexp", (x,), {"axis": axes, "keepdims": keepdims})
    order = data.draw(st.sampled_from([None, 1, 2, "fro", "nuc", 3]))
    if axes is None or isinstance(axes, int) or len(axes) <= 2:
        assert_op_matches_keras("keras", "norm", (x,), {"axis": axes, "keepdims": keepdims, "ord": order})


@SOME
@given(tensors(min_rank=2), st.integers(1, 6))
def test_top_k(x, k):
    assert_op_matches_keras("keras", "top_k", (x, k))


@st.composite
def window_case(draw, transposed: bool = False):
    rank = draw(st.integers(1, 3))
    data_format = draw(st.sampled_from(["channels_last", "channels_last", "channels_first"]))
    spatial = [draw(SIZE) for _ in range(rank)]
    channels = draw(st.sampled_from([1, 3, 4]))
    shape = (None, *spatial, channels) if data_format == "channels_last" else (None, channels, *spatial)
    kernel = [draw(st.integers(1, 4)) for _ in range(rank)]
    strides = draw(st.one_of(st.integers(1, 3), st.lists(st.integers(1, 3), min_size=rank, max_size=rank)))
    padding = draw(st.sampled_from(["valid", "same", "VALID"] + ([] if transposed else ["causal"]) if rank == 1 else ["valid", "same"]))
    return shape, data_format, kernel, strides, padding, channels


@SOME
@given(window_case(), st.integers(1, 5), st.data())
def test_convolutions(case, filters, data):
    shape, data_format, kernel, strides, padding, channels = case
    dilation = data.draw(st.sampled_from([1, 1, 2]))
    in_channels = channels if data.draw(st.integers(0, 8)) else channels + 1
    x = Sym_(shape)
    options = {"strides": strides, "padding": padding, "data_format": data_format, "dilation_rate": dilation}
    assert_op_matches_keras("keras", "conv", (x, Sym_((*kernel, in_channels, filters))), options)
    assert_op_matches_keras("keras", "depthwise_conv", (x, Sym_((*kernel, in_channels, 2))), options)
    if len(kernel) == 2:
        assert_op_matches_keras("keras", "separable_conv", (x, Sym_((*kernel, in_channels, 2)), Sym_((1, 1, in_channels * 2, filters))), options)


@SOME
@given(window_case(transposed=True), st.integers(1, 5), st.data())
def test_conv_transpose(case, filters, data):
    shape, data_format, kernel, strides, padding, channels = case
    output_padding = data.draw(st.sampled_from([None, None, 0, 1]))
    options = {"strides": strides, "padding": padding, "data_format": data_format, "output_padding": output_padding}
    assert_op_matches_keras("keras", "conv_transpose", (Sym_(shape), Sym_((*kernel, filters, channels))), options)


@SOME
@given(window_case(), st.sampled_from(["max_pool", "average_pool"]), st.data())
def test_pooling(case, name, data):
    shape, data_format, kernel, strides, padding, _ = case
    if padding == "causal":
        padding = "same"
    pool = data.draw(st.one_of(st.integers(1, 3), st.just(kernel)))
    step = data.draw(st.one_of(st.none(), st.just(strides)))
    assert_op_matches_keras("keras", name, (Sym_(shape), pool), {"strides": step, "padding": padding, "data_format": data_format})


@SOME
@given(tensors(min_rank=2, max_rank=3), st.data())
def test_batch_normalization(x, data):
    axis = data.draw(axis_for(len(x.shape)))
    size = x.shape[axis] if -len(x.shape) <= axis < len(x.shape) else 3
    vector = Sym_((size if data.draw(st.integers(0, 6)) else 7,))
    assert_op_matches_keras("keras", "batch_normalization", (x, vector, Sym_((size,)), axis))


@SOME
@given(tensors(), st.data())
def test_slice_unstack_cast(x, data):
    rank = len(x.shape)
    known = tuple(3 if dim is None or not isinstance(dim, int) else dim for dim in x.shape)
    sizes = tuple(data.draw(st.one_of(st.just(-1), st.integers(0, dim))) for dim in known)
    starts = tuple(data.draw(st.integers(0, 1)) for _ in range(rank))
    wrong = data.draw(st.integers(0, 8)) == 0
    assert_op_matches_keras("keras", "slice", (Sym_(known), starts, sizes[:-1] if wrong else sizes))
    assert_op_matches_keras("keras", "slice", (x, starts, tuple(-1 if dim is None or not isinstance(dim, int) else dim for dim in x.shape)))
    axis = data.draw(axis_for(rank))
    num = data.draw(st.sampled_from([None, None, 2]))
    assert_op_matches_keras("keras", "unstack", (x,), {"num": num, "axis": axis})
    for name in ("stop_gradient", "convert_to_tensor"):
        assert_op_matches_keras("keras", name, (x,))
    assert_op_matches_keras("keras", "cast", (x, "int32"))


@st.composite
def images(draw, rank: int | None = None):
    rank = rank or draw(st.sampled_from([4, 4, 4, 3, 5]))
    data_format = draw(st.sampled_from(["channels_last", "channels_last", "channels_first"]))
    height, width = draw(SIZE), draw(SIZE)
    channels = draw(mostly(st.sampled_from([1, 3]), 4, None, odds=10))
    inner = (height, width, channels) if data_format == "channels_last" else (channels, height, width)
    shape = {4: (None, *inner), 3: inner, 5: (None, 2, *inner)}[rank]
    return Sym_(shape), data_format


@SOME
@given(images(), st.data())
def test_resize_and_colours(case, data):
    x, data_format = case
    size = data.draw(mostly(st.tuples(st.integers(1, 9), st.integers(1, 9)), (0, 4), (4,), odds=8))
    assert_op_matches_keras("keras", "image.resize", (x, size), {"data_format": data_format})
    assert_op_matches_keras("keras", "image.rgb_to_grayscale", (x,), {"data_format": data_format})
    assert_op_matches_keras("keras", "image.gaussian_blur", (x,), {"data_format": data_format})


@SOME
@given(images(), st.data())
def test_extract_patches(case, data):
    x, data_format = case
    size = data.draw(mostly(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))), (2, 2, 2), (1,), odds=8))
    strides = data.draw(st.one_of(st.none(), st.integers(1, 3)))
    padding = data.draw(mostly(st.sampled_from(["valid", "same"]), "VALID", odds=8))
    assert_op_matches_keras("keras", "image.extract_patches", (x, size), {"strides": strides, "padding": padding, "data_format": data_format})


@st.composite
def two_of_three(draw, first: str, second: str, target: str) -> dict:
    """Two of the three arguments of one axis (now and then all three or one), some negative."""
    names = [first, second, target]
    left_out = draw(mostly(st.sampled_from(names), None, "two", odds=10))
    values = {}
    for name in names:
        if name == left_out or (left_out == "two" and name != target):
            values[name] = None
        elif name == target:
            values[name] = draw(mostly(st.integers(1, 12), 0, -1, odds=10))
        else:
            values[name] = draw(mostly(st.integers(0, 3), -1, odds=10))
    return values


@SOME
@given(images(rank=4), st.data())
def test_pad_and_crop_images(case, data):
    x, data_format = case
    for operation, word in (("pad_images", "padding"), ("crop_images", "cropping")):
        kwargs = {**data.draw(two_of_three(f"top_{word}", f"bottom_{word}", "target_height")), **data.draw(two_of_three(f"left_{word}", f"right_{word}", "target_width"))}
        assert_op_matches_keras("keras", f"image.{operation}", (x,), {**kwargs, "data_format": data_format})
    three = data.draw(images(rank=3))
    assert_op_matches_keras("keras", "image.pad_images", (three[0],), {"top_padding": 1, "bottom_padding": 2, "left_padding": 0, "target_width": 12, "data_format": three[1]})


@FEW
@given(shapes(min_rank=1, max_rank=4), st.data())
def test_square_matrix_ops(shape, data):
    if len(shape) >= 2 and data.draw(st.booleans()):
        shape = (*shape[:-1], shape[-2])
    for name in ("det", "inv", "cholesky"):
        assert_op_matches_keras("keras", f"linalg.{name}", (Sym_(shape),))


def test_every_registered_path_exists_in_keras():
    """Each name padlint resolves is a function Keras exports there."""
    import keras

    from padlint.ops.registry import KERAS_MODULES, PUBLIC_SUBMODULES, all_keras_ops

    for (module, name), spec in all_keras_ops().items():
        if KERAS_MODULES[module]:
            assert callable(getattr(keras.ops, name, None)), f"keras.ops.{name}"
        if module in PUBLIC_SUBMODULES:
            assert callable(getattr(getattr(keras.ops, module), name, None)), f"keras.ops.{module}.{name}"


def test_signatures_are_keras_signatures():
    """Each spec binds arguments as the Keras function does: the same parameters, in order,
    with the same defaults (a call padlint cannot bind is unknown, and would also miss
    the name Keras gives the op)."""
    import inspect

    import keras

    from padlint.ops.base import REQUIRED
    from padlint.ops.registry import all_keras_ops

    differences = []
    for (module, name), spec in all_keras_ops().items():
        function = getattr(getattr(keras.ops, module) if module in ("image", "linalg") else keras.ops, name)
        expected = [
            (("*" if parameter.kind is parameter.VAR_POSITIONAL else "") + parameter.name, REQUIRED if parameter.default is parameter.empty else parameter.default)
            for parameter in inspect.signature(function).parameters.values()
            if parameter.kind is not parameter.VAR_KEYWORD
        ]
        if list(spec.parameters) != expected:
            differences.append(f"keras.ops.{module}.{name}: padlint {[p for p, _ in spec.parameters]} != Keras {[p for p, _ in expected]}")
    assert not differences, "\n".join(differences)
