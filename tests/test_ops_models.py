"""Realistic models that use keras.ops, TensorFlow functions and the Keras 2 backend
(fixtures/models/ops_*.py), and how the evaluator applies ops: every row equals
what Keras 3 builds, names included."""

from __future__ import annotations

import runpy
import textwrap

import pytest

from padlint.graph import TensorOp
from padlint.reporters.shapes import format_shapes
from padlint.symbolic import mul
from tests.helpers import FIXTURES, analyse_text
from tests.keras_models import assert_exact_models, assert_same_models, padlint_rows

MODELS = FIXTURES / "models"



@pytest.mark.parametrize("fixture", ["ops_vision_transformer.py", "ops_point_cloud.py", "ops_time_series.py", "ops_in_custom_layers.py"])
def test_ops_fixture_matches_keras(fixture: str):
    assert_exact_models(MODELS / fixture)


def _program(tmp_path, code: str):
    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(code))
    return path


def test_op_names_share_the_layer_counter(tmp_path):
    """``ops.reshape`` is a ``Reshape`` operation named from the same counter as the
    ``Reshape`` layer, ``ops.softmax`` as the ``Softmax`` layer, ``x @ y`` is ``matmul``."""
    path = _program(
        tmp_path,
        """
        import keras
        from keras import layers, ops

        inputs = keras.Input(shape=(6, 4))
        x = layers.Reshape((4, 6))(inputs)
        y = ops.reshape(inputs, (-1, 4, 6))
        z = layers.Softmax()(x) + ops.softmax(y)
        w = ops.concatenate([z, layers.Concatenate()([x, y])], axis=-1)
        s = ops.transpose(w) @ w
        model = keras.Model(inputs, s)
        """,
    )
    summaries = assert_same_models(path)
    assert [row.name for row in summaries["model"].rows][1:] == ["reshape", "reshape_1", "softmax", "softmax_1", "add", "concatenate", "concatenate_1", "transpose", "matmul"]


def test_tf_function_on_a_keras_tensor_is_an_error_not_a_model(tmp_path):
    """Keras 3 raises when a TensorFlow function gets a KerasTensor: padlint shows the error on
    that row and states no shape after it."""
    code = """
        import keras
        import tensorflow as tf
        from keras import layers

        inputs = keras.Input(shape=(8, 8, 3))
        x = layers.Conv2D(4, 3)(inputs)
        x = tf.reshape(x, (-1, 144))
        model = keras.Model(inputs, layers.Dense(2)(x))
        """
    with pytest.raises(ValueError, match="KerasTensor cannot be used as input to a TensorFlow function"):
        runpy.run_path(str(_program(tmp_path, code)))
    model = analyse_text(textwrap.dedent(code)).models[0]
    assert not model.complete
    assert [format_shapes(row.output_shapes) for row in model.rows] == ["(None, 8, 8, 3)", "(None, 6, 6, 4)", "?", "?"]
    assert model.rows[2].call.error is not None and "TensorFlow function" in model.rows[2].call.error.message
    assert model.weights.total is None


def test_backend_function_outside_a_layer_is_an_error_too():
    model = analyse_text(
        textwrap.dedent(
            """
            from tensorflow import keras
            from tensorflow.keras import backend as K

            inputs = keras.Input(shape=(10, 4))
            pooled = K.mean(inputs, axis=1)
            model = keras.Model(inputs, keras.layers.Dense(2)(pooled))
            """
        )
    ).models[0]
    assert not model.complete
    assert model.rows[1].call.error is not None


def test_ops_in_a_traced_call_make_no_names(tmp_path):
    """Inside call() the ops run on backend tensors: they consume no names, so the layers
    made after the custom layer keep Keras' names."""
    path = _program(
        tmp_path,
        """
        import keras
        from keras import layers, ops

        class Mix(layers.Layer):
            def call(self, x):
                y = ops.reshape(x, (-1, 4, 3))
                y = ops.transpose(y, (0, 2, 1))
                return ops.mean(y, axis=-1) + ops.max(x, axis=-1, keepdims=True)

        inputs = keras.Input(shape=(12,))
        x = Mix()(inputs)
        x = ops.reshape(x, (-1, 3, 1))
        model = keras.Model(inputs, layers.Dense(2)(ops.transpose(x, (0, 2, 1))))
        """,
    )
    summaries = assert_same_models(path)
    assert [row.name for row in summaries["model"].rows] == ["input_layer", "mix", "reshape", "transpose", "dense"]


def test_pad_and_cond_take_names_even_off_the_graph(tmp_path):
    """``ops.pad`` (and ``diff``, ``cond``) create their Operation on every call, so one in a
    traced call() or on a concrete array takes the next name: the functional pad after them is
    ``pad_4``, and a layer class named ``Cond`` after the three traced conds is ``cond_3``. The
    layer with an unbuilt sublayer is traced twice on its first call (once to build it), so its
    ops take two names there and one more on its second call."""
    path = _program(
        tmp_path,
        """
        import numpy as np
        import keras
        from keras import layers, ops

        class ReflectDense(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(4)

            def call(self, x):
                ops.cond(ops.sum(x) > 0, lambda: x, lambda: -x)
                return self.dense(ops.pad(x, [[0, 0], [1, 1]], mode="reflect"))

        class Cond(layers.Layer):
            def call(self, x):
                return x

        table = ops.pad(np.zeros((2, 3)), [[1, 1], [0, 0]])
        inputs = keras.Input(shape=(4,))
        block = ReflectDense()
        x = block(block(inputs))
        x = ops.pad(x, [[0, 0], [2, 2]])
        model = keras.Model(inputs, Cond()(layers.Dense(2)(x)))
        """,
    )
    summaries = assert_same_models(path)
    assert [row.name for row in summaries["model"].rows] == ["input_layer", "reflect_dense", "pad_4", "dense_1", "cond_3"]


def test_a_batch_size_read_in_call_is_a_none_size(tmp_path):
    """In a traced call() ``ops.shape(x)[0]`` (or ``tf.shape(x)[0]``) of the open batch axis is a
    scalar tensor: tile, broadcast_to, repeat and slice given it as a size state None there (the
    CLS token of a ViT), as TensorFlow does."""
    path = _program(
        tmp_path,
        """
        import keras
        import tensorflow as tf
        from keras import layers, ops

        class Token(layers.Layer):
            def build(self, input_shape):
                self.cls = self.add_weight(shape=(1, 1, input_shape[-1]), name="cls")

        class TileToken(Token):
            def call(self, x):
                return ops.concatenate([ops.tile(self.cls, (ops.shape(x)[0], 1, 1)), x], axis=1)

        class BroadcastToken(Token):
            def call(self, x):
                return ops.concatenate([ops.broadcast_to(self.cls, (ops.shape(x)[0], 1, 8)), x], axis=1)

        class RepeatToken(Token):
            def call(self, x):
                return ops.concatenate([ops.repeat(self.cls, ops.shape(x)[0], axis=0), x], axis=1)

        class TfTileToken(Token):
            def call(self, x):
                return tf.concat([tf.tile(self.cls, [tf.shape(x)[0], 1, 1]), x], axis=1)

        class Rows(layers.Layer):
            def call(self, x):
                return ops.slice(x, (0, 1, 0), (ops.shape(x)[0], 2, 8))

        class TiledInput(layers.Layer):
            def call(self, x):
                return ops.tile(x, (1, ops.shape(x)[0], 1))

        inputs = keras.Input(shape=(5, 8))
        outputs = [layer()(inputs) for layer in (TileToken, BroadcastToken, RepeatToken, TfTileToken, Rows, TiledInput)]
        model = keras.Model(inputs, outputs)
        """,
    )
    summaries = assert_exact_models(path)
    assert [format_shapes(row.output_shapes) for row in summaries["model"].rows][1:] == ["(None, 6, 8)"] * 4 + ["(None, 2, 8)", "(None, None, 8)"]


def test_concrete_values_are_computed_at_once(tmp_path):
    """ops on Python values and concrete tensors make no operation; their shapes still count."""
    path = _program(
        tmp_path,
        """
        import keras
        from keras import layers, ops

        tokens = keras.Input(shape=(10, 8))
        table = ops.ones((10, 8)) * ops.sqrt(2.0)
        positions = ops.expand_dims(ops.arange(10), -1)
        mask = ops.cast(ops.less(ops.arange(10), 5), "float32")
        x = tokens + table + ops.cast(positions, "float32")
        x = x * ops.reshape(mask, (1, 10, 1))
        model = keras.Model(tokens, layers.Dense(3)(x))
        """,
    )
    summaries = assert_same_models(path)
    assert [row.class_name for row in summaries["model"].rows] == ["InputLayer", "Add", "Add", "Multiply", "Dense"]


def test_multi_output_ops_return_their_structure():
    values = {
        summary.name: summary
        for summary in analyse_text(
            textwrap.dedent(
                """
                import keras
                from keras import ops
                x = keras.Input(shape=(6, 4))
                first, second, third = ops.split(x, [1, 3], axis=1)
                values, indices = ops.top_k(x, 2)
                mean, variance = ops.moments(x, axes=[1])
                model = keras.Model(x, [first, third, indices, variance])
                """
            )
        ).models
    }
    rows = padlint_rows(values["model"])
    assert [(row.class_name, row.shapes) for row in rows[1:]] == [
        ("Split", [(None, 1, 4), (None, 2, 4), (None, 3, 4)]),
        ("TopK", [(None, 6, 2), (None, 6, 2)]),
        ("Moments", [(None, 4), (None, 4)]),
    ]


def test_unmodelled_op_is_named_and_unknown():
    model = analyse_text(
        textwrap.dedent(
            """
            import keras
            from keras import ops
            x = keras.Input(shape=(6,))
            y = ops.fft((x, x))
            z = ops.reshape(x, (-1, 2, 3))
            model = keras.Model(x, [y, z])
            """
        )
    ).models[0]
    names = {row.name: row for row in model.rows}
    assert set(names) == {"input_layer", "fft", "reshape"}
    assert names["fft"].output_shapes is None
    assert isinstance(names["fft"].call.operation, TensorOp)
    assert format_shapes(names["reshape"].output_shapes) == "(None, 2, 3)"


def test_data_sized_axes_stay_formulas_through_ops():
    """A size padlint does not know (read from data) is a number to Keras: reshape and
    concatenate keep it as a formula, and ``ops.shape`` inside call() returns it."""
    model = analyse_text(
        textwrap.dedent(
            """
            import keras
            from keras import layers, ops

            class Flat(layers.Layer):
                def call(self, x):
                    s = ops.shape(x)
                    return ops.reshape(x, (-1, s[1] * s[2]))

            def build(rows, cols):
                inputs = keras.Input(shape=(rows, cols))
                joined = ops.concatenate([inputs, inputs], axis=1)
                sizes = joined.shape
                return keras.Model(inputs, [Flat()(joined), ops.reshape(joined, (-1, sizes[1] * sizes[2]))])

            model = build(unknown_rows(), unknown_cols())
            """
        )
    ).models[0]
    rows, cols = model.rows[0].output_shapes[0][1:]
    assert [row.output_shapes[0] for row in model.rows[1:]] == [(None, mul(rows, 2), cols), (None, mul(mul(rows, cols), 2)), (None, mul(mul(rows, cols), 2))]
