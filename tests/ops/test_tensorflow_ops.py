"""TensorFlow functions and the Keras 2 backend against Keras, inside a traced layer's
``call()`` (where Keras runs them on TensorFlow tensors and reports their static
shapes), and keras.ops there too (backend ops, not Keras Operations)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hypothesis import Phase, settings

from tests.keras_oracle import differential, mostly
from tests.ops.op_oracle import Sym_, assert_op_matches_keras
from tests.ops.strategies import DIM, KNOWN_DIM, axis_for, reduction_axes, shapes, tensors

#: Each case builds a layer and traces it in a TensorFlow graph (some 50 ms): few examples,
#: and a failure is reported as drawn (shrinking it would trace hundreds more layers).
FEW = settings(differential(8), phases=(Phase.explicit, Phase.reuse, Phase.generate))
SOME = settings(differential(15), phases=(Phase.explicit, Phase.reuse, Phase.generate))


UNARY = ["abs", "math.exp", "sqrt", "nn.relu", "nn.sigmoid", "tanh", "nn.softplus", "identity", "zeros_like", "stop_gradient", "math.log1p", "nn.gelu", "nn.leaky_relu", "nn.silu"]
BINARY = ["add", "math.multiply", "subtract", "divide", "maximum", "math.minimum", "pow", "equal", "math.greater", "math.squared_difference"]
REDUCE = ["reduce_sum", "reduce_mean", "math.reduce_max", "reduce_min", "math.reduce_std", "math.reduce_variance", "reduce_logsumexp", "math.reduce_any"]
#: Functions TensorFlow accepts only for these dtypes (padlint does not follow dtypes).
DTYPES = {"math.reduce_any": "bool", "any": "bool"}


@FEW
@given(st.sampled_from(UNARY), tensors())
def test_unary(name, x):
    assert_op_matches_keras("tf", name, (x,), traced=True)


@FEW
@given(st.sampled_from(BINARY), shapes(min_rank=1, max_rank=3), st.data())
def test_binary(name, shape, data):
    other = data.draw(st.one_of(st.just(2.0), st.just(Sym_(shape[1:] or (1,))), st.just(Sym_(shape))))
    assert_op_matches_keras("tf", name, (Sym_(shape), other), traced=True)


@SOME
@given(st.sampled_from(REDUCE), tensors(), st.booleans(), st.data())
def test_reductions(name, x, keepdims, data):
    axis = data.draw(reduction_axes(len(x.shape)))
    assert_op_matches_keras("tf", name, (Sym_(x.shape, DTYPES.get(name, "float32")),), {"axis": axis, "keepdims": keepdims}, traced=True)
    if not isinstance(axis, tuple):
        assert_op_matches_keras("tf", "argmax", (x,), {"axis": axis}, traced=True, unknown_ok=True)  # an axis out of range: unknown


@SOME
@given(tensors(dims=mostly(KNOWN_DIM, None, odds=6)), st.data())
def test_reshape_transpose_squeeze_expand(x, data):
    rank = len(x.shape)
    known = [dim for dim in x.shape[1:] if isinstance(dim, int)]
    target = data.draw(st.sampled_from([[-1], [-1, *known[-1:]], [-1, 2], [2, -1], [-1, *known], [0, -1], [-1, 4, 3]]))
    assert_op_matches_keras("tf", "reshape", (x, target), traced=True)
    assert_op_matches_keras("keras", "reshape", (x, tuple(target)), traced=True)
    perm = data.draw(st.one_of(st.none(), st.permutations(list(range(rank)))))
    assert_op_matches_keras("tf", "transpose", (x,), {"perm": perm}, traced=True)
    axis = data.draw(st.one_of(st.none(), axis_for(rank)))
    assert_op_matches_keras("tf", "squeeze", (x,), {"axis": axis}, traced=True)
    assert_op_matches_keras("tf", "expand_dims", (x, data.draw(axis_for(rank + 1))), traced=True)


@SOME
@given(shapes(min_rank=2, max_rank=4), st.integers(1, 3), st.data())
def test_concat_stack_split_tile(shape, count, data):
    axis = data.draw(axis_for(len(shape)))
    pieces = [Sym_(shape) for _ in range(count)]
    assert_op_matches_keras("tf", "concat", (pieces, axis), traced=True, unknown_ok=True)  # an axis out of range: unknown
    assert_op_matches_keras("tf", "stack", (pieces,), {"axis": axis}, traced=True)
    splits = data.draw(st.one_of(st.integers(1, 3), st.lists(st.integers(0, 3), min_size=1, max_size=3), st.just([1, -1]), st.just([-1, -1])))
    assert_op_matches_keras("tf", "split", (Sym_(shape), splits), {"axis": axis}, traced=True)
    multiples = data.draw(st.lists(st.integers(1, 3), min_size=len(shape) - 1, max_size=len(shape) + 1))
    assert_op_matches_keras("tf", "tile", (Sym_(shape), multiples), traced=True)


@SOME
@given(tensors(min_rank=2, max_rank=4), tensors(min_rank=2, max_rank=4), st.booleans(), st.booleans())
def test_matmul(first, second, transpose_a, transpose_b):
    assert_op_matches_keras("tf", "matmul", (first, second), {"transpose_a": transpose_a, "transpose_b": transpose_b}, traced=True)


@SOME
@given(tensors(max_rank=3), st.data())
def test_gather_one_hot_pad(x, data):
    rank = len(x.shape)
    indices = data.draw(st.one_of(st.just([0, 1]), tensors(max_rank=2).map(lambda t: Sym_(t.shape, "int32"))))
    axis = data.draw(st.one_of(st.none(), axis_for(rank)))
    assert_op_matches_keras("tf", "gather", (x, indices), {"axis": axis}, traced=True)
    indices = Sym_(x.shape, dtype="int32")
    assert_op_matches_keras("tf", "one_hot", (indices, 5), {"axis": data.draw(st.one_of(st.none(), st.integers(-1, rank)))}, traced=True)
    paddings = [[data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))] for _ in range(rank + data.draw(st.sampled_from([0, 0, 0, 1])))]
    assert_op_matches_keras("tf", "pad", (x, paddings), traced=True)


@SOME
@given(st.sampled_from([1, 2, 3, 8, 9, None]), st.sampled_from([1, 2, 3, 8, 9, None]), st.sampled_from([1, 3, None]), st.data())
def test_images(height, width, channels, data):
    images = Sym_((None, height, width, channels))
    size = data.draw(st.integers(1, 4))
    step = data.draw(st.integers(1, 3))
    rate = data.draw(st.sampled_from([1, 1, 2]))
    padding = data.draw(mostly(st.sampled_from(["VALID", "SAME"]), "valid", odds=8))
    assert_op_matches_keras("tf", "image.extract_patches", (images,), {"sizes": [1, size, size, 1], "strides": [1, step, step, 1], "rates": [1, rate, rate, 1], "padding": padding}, traced=True)
    assert_op_matches_keras("tf", "image.resize", (images, (data.draw(st.integers(1, 6)), 5)), traced=True)
    assert_op_matches_keras("keras", "image.extract_patches", (images, size), {"strides": step}, traced=True)


@FEW
@given(tensors(min_rank=2, max_rank=3), st.data())
def test_nn_functions(x, data):
    assert_op_matches_keras("tf", "nn.softmax", (x,), {"axis": data.draw(st.one_of(st.none(), axis_for(len(x.shape))))}, traced=True)
    assert_op_matches_keras("tf", "math.l2_normalize", (x,), {"axis": -1}, traced=True)
    assert_op_matches_keras("tf", "nn.moments", (x, [data.draw(st.integers(0, len(x.shape) - 1))]), traced=True)
    assert_op_matches_keras("tf", "math.top_k", (x,), {"k": data.draw(st.integers(1, 4))}, traced=True)


BACKEND_UNARY = ["abs", "exp", "sqrt", "square", "sigmoid", "tanh", "relu", "softplus", "zeros_like", "stop_gradient", "l2_normalize"]


@FEW
@given(st.sampled_from(BACKEND_UNARY), tensors())
def test_backend_elementwise(name, x):
    assert_op_matches_keras("backend", name, (x,), traced=True)


@SOME
@given(st.sampled_from(["mean", "sum", "max", "min", "std", "var", "any"]), tensors(), st.booleans(), st.data())
def test_backend_reductions(name, x, keepdims, data):
    axis = data.draw(reduction_axes(len(x.shape)))
    assert_op_matches_keras("backend", name, (Sym_(x.shape, DTYPES.get(name, "float32")),), {"axis": axis, "keepdims": keepdims}, traced=True)


@SOME
@given(tensors(min_rank=2, max_rank=4), st.data())
def test_backend_shapes(x, data):
    rank = len(x.shape)
    assert_op_matches_keras("backend", "concatenate", ([x, x],), {"axis": data.draw(axis_for(rank))}, traced=True, unknown_ok=True)  # an axis out of range
    assert_op_matches_keras("backend", "expand_dims", (x,), {"axis": data.draw(axis_for(rank + 1))}, traced=True)
    assert_op_matches_keras("backend", "squeeze", (x, data.draw(axis_for(rank))), traced=True)
    assert_op_matches_keras("backend", "permute_dimensions", (x, tuple(data.draw(st.permutations(list(range(rank)))))), traced=True)
    assert_op_matches_keras("backend", "batch_flatten", (x,), traced=True)
    assert_op_matches_keras("backend", "flatten", (x,), traced=True)
    assert_op_matches_keras("backend", "repeat_elements", (x, 2, data.draw(axis_for(rank))), traced=True)
    assert_op_matches_keras("backend", "softmax", (x,), traced=True)
    if rank == 2:
        assert_op_matches_keras("backend", "repeat", (x, 3), traced=True)
    if rank == 3:
        assert_op_matches_keras("backend", "temporal_padding", (x, (1, 2)), traced=True)
    if rank == 4:
        assert_op_matches_keras("backend", "spatial_2d_padding", (x, ((1, 0), (2, 2))), traced=True)
    assert_op_matches_keras("backend", "reverse", (x, data.draw(axis_for(rank))), traced=True)
    assert_op_matches_keras("backend", "tile", (x, [data.draw(st.integers(1, 2)) for _ in range(rank)]), traced=True)
    assert_op_matches_keras("backend", "cumsum", (x,), {"axis": data.draw(axis_for(rank))}, traced=True)


@SOME
@given(st.integers(2, 3), st.integers(2, 3), st.sampled_from([1, 2, 4, None]), st.data())
def test_backend_dots(x_rank, y_rank, inner, data):
    def shape(rank: int, reduced: int) -> tuple:
        sizes = [data.draw(DIM) for _ in range(rank - 1)]
        if reduced > 0:
            sizes[reduced - 1] = inner if data.draw(st.integers(0, 6)) else 5
        return (None, *sizes)

    axes = data.draw(st.one_of(st.none(), st.tuples(st.integers(1, x_rank - 1), st.integers(1, y_rank - 1)), st.just(0)))
    if axes is None:
        a0, a1 = x_rank - 1, y_rank - 1 if y_rank == 2 else y_rank - 2
    elif axes == 0:
        a0 = a1 = 0
    else:
        a0, a1 = axes
    first, second = Sym_(shape(x_rank, a0)), Sym_(shape(y_rank, a1))
    assert_op_matches_keras("backend", "batch_dot", (first, second), {"axes": axes}, traced=True)
    assert_op_matches_keras("backend", "dot", (first, Sym_((inner if inner else 3, 4))), traced=True)


KERAS_IN_TRACE = ["mean", "max", "sum"]


@SOME
@given(st.sampled_from(KERAS_IN_TRACE), tensors(), st.booleans(), st.data())
def test_keras_ops_in_a_traced_call(name, x, keepdims, data):
    """keras.ops inside call() run as backend ops: the same shapes as TensorFlow gives."""
    assert_op_matches_keras("keras", name, (x,), {"axis": data.draw(reduction_axes(len(x.shape))), "keepdims": keepdims}, traced=True)
    assert_op_matches_keras("keras", "concatenate", ([x, x],), {"axis": data.draw(axis_for(len(x.shape)))}, traced=True)


@SOME
@given(tensors(max_rank=3), st.data())
def test_slice(x, data):
    begin = [data.draw(st.integers(0, 1)) for _ in x.shape]
    size = [data.draw(st.sampled_from([-1, 1])) for _ in x.shape]
    assert_op_matches_keras("tf", "slice", (x, begin, size), traced=True)


def test_signatures_are_tensorflow_and_backend_signatures():
    """The tf.* and K.* specs take the parameters of the real functions, in order."""
    import inspect

    from padlint.ops.registry import all_backend_ops, all_tensorflow_ops
    from tests.ops.op_oracle import keras_function

    differences = []
    for namespace, table in (("tf", all_tensorflow_ops()), ("backend", all_backend_ops())):
        for path, spec in table.items():
            try:
                function = keras_function(namespace, path)
            except AttributeError:
                differences.append(f"{namespace}.{path} does not exist")
                continue
            expected = [("*" if p.kind is p.VAR_POSITIONAL else "") + p.name for p in inspect.signature(function).parameters.values() if p.kind is not p.VAR_KEYWORD]
            if [name for name, _ in spec.parameters] != expected:
                differences.append(f"{namespace}.{path}: padlint {[name for name, _ in spec.parameters]} != {expected}")
    assert not differences, "\n".join(differences)
