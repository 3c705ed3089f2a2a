"""The static evaluator on the Python around model code.

Each test evaluates a small module with padlint's own interpreter (nothing is
executed by Python) and checks the values it computes, the models it finds and
what it leaves unknown.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from padlint.evaluation.budget import Budget
from padlint.evaluation.interpreter import Interpreter
from padlint.evaluation.values import Unknown
from padlint.graph import TensorRef
from padlint.reporters.shapes import format_count, format_shapes
from padlint.symbolic import Sym
from tests.helpers import analyse_text


def evaluate(code: str, **budget) -> dict:
    """The module-level variables after padlint's interpreter ran the code."""
    interpreter = Interpreter(cst.parse_module(textwrap.dedent(code)), Budget(**budget))
    interpreter.run()
    return interpreter.module_scope.variables


def summaries(code: str, **options) -> dict:
    analysis = analyse_text(textwrap.dedent(code), **options)
    assert not analysis.internal_errors, analysis.internal_errors
    return {summary.name: summary for summary in analysis.models}


def rows(summary) -> list[tuple]:
    return [(row.name, format_shapes(row.output_shapes), format_count(row.params)) for row in summary.rows]


# ------------------------------------------------------------ plain values


def test_tuple_unpacking():
    values = evaluate(
        """
        img_rows, img_cols = 28, 28
        (a, b), c = (1, 2), 3
        first, *rest = [1, 2, 3, 4]
        *init, last = (5, 6, 7)
        h, w, ch = shape = (32, 48, 3)
        x, y = 1  # cannot unpack: unknown, no crash
        """
    )
    assert (values["img_rows"], values["img_cols"]) == (28, 28)
    assert (values["a"], values["b"], values["c"]) == (1, 2, 3)
    assert values["first"] == 1 and values["rest"] == [2, 3, 4]
    assert values["init"] == [5, 6] and values["last"] == 7
    assert (values["h"], values["w"], values["ch"], values["shape"]) == (32, 48, 3, (32, 48, 3))
    assert isinstance(values["x"], Unknown) and isinstance(values["y"], Unknown)


def test_arithmetic():
    values = evaluate(
        """
        import math
        depth = 3 * 6 + 2
        blocks = (depth - 2) // 6
        ratio = int((depth - 2) / 6)
        power = 2 ** 5
        rem = 17 % 5
        neg = -(4 - 10)
        biggest = max(3, 9, 4)
        smallest = min([5, 2, 8])
        ceil = math.ceil(7 / 2)
        size = len((1, 2, 3))
        shape = (224, 224, 3)[:2] + (64,)
        last = [1, 2, 3][-1]
        total = sum(range(5))
        too_big = 2 ** 100000
        """
    )
    assert values["depth"] == 20 and values["blocks"] == 3 and values["ratio"] == 3
    assert values["power"] == 32 and values["rem"] == 2 and values["neg"] == 6
    assert values["biggest"] == 9 and values["smallest"] == 2 and values["ceil"] == 4
    assert values["size"] == 3 and values["shape"] == (224, 224, 64) and values["last"] == 3
    assert values["total"] == 10
    assert isinstance(values["too_big"], Unknown)


def test_strings_format_and_fstrings():
    values = evaluate(
        """
        stage, block = 2, "a"
        conv_name = "res" + str(stage) + block + "_branch"
        prefix = "block_{}_".format(7)
        label = f"conv{stage}_{block}"
        percent = "mobilenet_%0.2f_%s" % (0.35, 96)
        """
    )
    assert values["conv_name"] == "res2a_branch"
    assert values["prefix"] == "block_7_"
    assert values["label"] == "conv2_a"
    assert values["percent"] == "mobilenet_0.35_96"


def test_decidable_if_and_channels_first_idiom():
    values = evaluate(
        """
        from keras import backend as K
        if K.image_data_format() == 'channels_first':
            input_shape = (1, 28, 28)
        else:
            input_shape = (28, 28, 1)
        n = 5
        if n > 10:
            kind = "big"
        elif n > 3:
            kind = "medium"
        else:
            kind = "small"
        axis = 1 if K.image_data_format() == "channels_first" else -1
        """
    )
    assert values["input_shape"] == (28, 28, 1)
    assert values["kind"] == "medium"
    assert values["axis"] == -1


def test_bounded_for_over_range_zip_enumerate():
    values = evaluate(
        """
        total = 0
        for i in range(1, 5):
            total += i
        pairs = []
        for f, k in zip([32, 64], (3, 5)):
            pairs.append(f * k)
        seen = []
        for index, name in enumerate(["a", "b", "c"], start=1):
            if name == "b":
                continue
            seen.append((index, name))
        for x in [1, 2, 3]:
            if x == 2:
                break
        else:
            x = None
        squares = [n * n for n in range(4) if n % 2 == 0]
        """
    )
    assert values["total"] == 10
    assert values["pairs"] == [96, 320]
    assert values["seen"] == [(1, "a"), (3, "c")]
    assert values["x"] == 2
    assert values["squares"] == [0, 4]


def test_helper_functions_are_evaluated_per_call():
    values = evaluate(
        """
        def out_size(n, k, s=1, padding="valid"):
            if padding == "same":
                return -(-n // s)
            return (n - k) // s + 1

        a = out_size(28, 3)
        b = out_size(28, 3, s=2, padding="same")
        c = out_size(n=32, k=5, s=1)
        calls = [out_size(10, k) for k in (1, 2, 3)]
        """
    )
    assert (values["a"], values["b"], values["c"]) == (26, 14, 28)
    assert values["calls"] == [10, 9, 8]


def test_undecidable_branch_havocs_what_it_assigns():
    values = evaluate(
        """
        import sys
        units = 64
        layers_list = [1, 2]
        if len(sys.argv) > 1:
            units = int(sys.argv[1])
            layers_list.append(3)
        kept = 7
        """
    )
    assert isinstance(values["units"], Unknown)
    assert isinstance(values["layers_list"], Unknown)
    assert values["kept"] == 7


def test_loop_over_unknown_iterable_havocs_its_body():
    values = evaluate(
        """
        import numpy as np
        filters = 16
        for _ in np.load("plan.npy"):
            filters *= 2
        after = filters
        """
    )
    assert isinstance(values["filters"], Unknown)
    assert isinstance(values["after"], Unknown)


def test_unknown_data_is_unknown_not_a_guess():
    values = evaluate(
        """
        import numpy as np
        x_train = np.load("x.npy")
        shape = x_train.shape[1:]
        n = x_train.shape[1]
        """
    )
    assert isinstance(values["shape"], Unknown)
    assert isinstance(values["n"], Unknown)


def test_isinstance_on_plain_values():
    values = evaluate(
        """
        k = 3
        pair = k if isinstance(k, tuple) else (k, k)
        flags = (isinstance("a", (int, str)), isinstance(2.0, int))
        """
    )
    assert values["pair"] == (3, 3)
    assert values["flags"] == (True, False)


def test_budgets_stop_cleanly():
    values = evaluate(
        """
        def forever(n):
            return forever(n + 1)
        r = forever(0)
        big = range(10**12)
        total = 0
        for i in big:
            total += 1
        done = True
        """
    )
    assert isinstance(values["r"], Unknown)
    assert isinstance(values["total"], Unknown)
    assert values["done"] is True


def test_step_budget_stops_a_while_true():
    """A loop that calls user code might build a model: it runs until the step budget stops it."""
    analysis = analyse_text("def bump(v):\n    return v + 1\ni = 0\nwhile True:\n    i = bump(i)\n", budget=Budget(max_steps=5_000))
    assert not analysis.internal_errors
    assert analysis.notes


def test_a_while_true_that_builds_nothing_is_given_up_quietly():
    """Reading only numbers, it cannot build a model: past its allowance (a quarter of the steps
    left) it is forgotten, ``i`` is unknown, and no budget note marks the file."""
    code = "i = 0\nwhile True:\n    i += 1\nj = 2\n"
    values = evaluate(code, max_steps=5_000)
    assert isinstance(values["i"], Unknown) and values["j"] == 2
    assert not analyse_text(code, budget=Budget(max_steps=5_000)).notes


# ------------------------------------------------------------ models


def test_builder_defaults_when_never_called():
    models = summaries(
        """
        from keras import layers, models

        def build_model(input_shape=(32, 32, 3), num_classes=10):
            model = models.Sequential()
            model.add(layers.Input(shape=input_shape))
            model.add(layers.Conv2D(8, 3))
            model.add(layers.Flatten())
            model.add(layers.Dense(num_classes))
            return model
        """
    )
    assert list(models) == ["build_model"]
    assert rows(models["build_model"]) == [
        ("conv2d", "(None, 30, 30, 8)", "224"),
        ("flatten", "(None, 7200)", "0"),
        ("dense", "(None, 10)", "72,010"),
    ]


def test_builder_called_with_arguments_not_defaults():
    models = summaries(
        """
        from keras import layers, models

        def build_model(input_shape=(32, 32, 3), num_classes=10):
            inputs = layers.Input(shape=input_shape)
            return models.Model(inputs, layers.Dense(num_classes)(layers.Flatten()(inputs)))

        small = build_model((4, 4, 1), num_classes=2)
        big = build_model(num_classes=5)
        """
    )
    assert list(models) == ["small", "big"]
    assert format_count(models["small"].weights.total) == "34"
    assert models["big"].weights.total == 32 * 32 * 3 * 5 + 5


def test_loop_of_helper_calls_builds_every_block():
    models = summaries(
        """
        import keras
        from keras import layers

        def block(x, filters, strides=1):
            y = layers.Conv2D(filters, 3, strides=strides, padding="same")(x)
            if strides != 1:
                x = layers.Conv2D(filters, 1, strides=strides)(x)
            return layers.add([x, y])

        inputs = keras.Input(shape=(16, 16, 4))
        x = inputs
        for stage, filters in enumerate([4, 8]):
            for i in range(2):
                x = block(x, filters, strides=2 if stage and not i else 1)
        model = keras.Model(inputs, x)
        """
    )
    names = [row.name for row in models["model"].rows]
    assert names.count("add") + sum(1 for n in names if n.startswith("add_")) == 4
    assert format_shapes(models["model"].rows[-1].output_shapes) == "(None, 8, 8, 8)"


def test_undecidable_layer_count_makes_the_model_incomplete():
    models = summaries(
        """
        import sys
        from keras import layers, models
        model = models.Sequential([layers.Input(shape=(8,))])
        for _ in range(int(sys.argv[1])):
            model.add(layers.Dense(8))
        model.add(layers.Dense(1))
        """
    )
    assert not models["model"].complete


def test_undecidable_if_around_add_makes_the_model_incomplete():
    models = summaries(
        """
        import os
        from keras import layers, models
        model = models.Sequential([layers.Input(shape=(8,)), layers.Dense(4)])
        if os.environ.get("DEEP"):
            model.add(layers.Dense(4))
        """
    )
    assert not models["model"].complete


SYMBOLIC_CNN = """
import keras
from keras import layers
inputs = keras.Input(shape=(None, None, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
"""


def test_symbolic_dims_valid_conv_gives_h_minus_2():
    model = summaries(SYMBOLIC_CNN)["model"]
    assert rows(model)[:2] == [("input_layer", "(None, H, W, 3)", "0"), ("conv2d", "(None, H-2, W-2, 8)", "224")]
    conv_shape = model.rows[1].output_shapes[0]
    assert isinstance(conv_shape[1], Sym) and conv_shape[1].text == "H-2"
    assert format_shapes(model.rows[2].output_shapes) == "(None, 8*(H-2)*(W-2))"


def test_dense_after_flatten_on_open_axes_is_the_keras_build_error():
    """``None`` axes are ``None`` to Keras: a Dense after Flatten cannot size its kernel."""
    model = summaries(SYMBOLIC_CNN)["model"]
    dense = model.rows[3]
    assert dense.output_shapes is None
    assert dense.call.error is not None and "fully-defined" in dense.call.error.message
    assert not model.complete


def test_dense_after_flatten_on_sizes_from_data_is_a_formula():
    """Sizes padlint cannot know are numbers at run time: the count is a formula of them."""
    model = summaries(
        """
import numpy as np
import keras
from keras import layers
images = np.load("images.npy")
inputs = keras.Input(shape=(images.shape[1], images.shape[2], 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
"""
    )["model"]
    dense = model.rows[3]
    assert isinstance(dense.params, Sym)
    assert dense.params.symbols() == {"H", "W"}
    assert format_count(dense.params) == "80*(H-2)*(W-2)+10"
    assert model.complete


def test_shape_is_none_for_a_none_axis():
    """``x.shape[1] is None`` holds for an Input axis declared None (Keras' value)."""
    values = evaluate(
        """
        import keras
        inputs = keras.Input(shape=(None, 64))
        dynamic = inputs.shape[1] is None
        channels = inputs.shape[-1]
        """
    )
    assert values["dynamic"] is True
    assert values["channels"] == 64


def test_tensor_operators_create_keras_ops():
    values = evaluate(
        """
        import keras
        a = keras.Input(shape=(4, 8))
        b = keras.Input(shape=(8,))
        c = a + b
        d = c * 2
        e = -d
        f = a[:, 0]
        """
    )
    for name, class_name, shape in (("c", "Add", (None, 4, 8)), ("d", "Multiply", (None, 4, 8)), ("e", "Negative", (None, 4, 8)), ("f", "GetItem", (None, 8))):
        tensor = values[name]
        assert isinstance(tensor, TensorRef)
        assert tensor.node.operation.class_name == class_name
        assert tensor.shape() == shape
    assert [values[n].node.operation.name for n in "cdef"] == ["add", "multiply", "negative", "get_item"]


def test_partial_and_kwargs_dicts():
    models = summaries(
        """
        from functools import partial
        from keras import layers, models
        Conv = partial(layers.Conv2D, kernel_size=3, padding="same")
        common = {"activation": "relu", "use_bias": False}
        model = models.Sequential([layers.Input(shape=(8, 8, 2)), Conv(4, **common), Conv(filters=6)])
        """
    )
    assert rows(models["model"]) == [("conv2d", "(None, 8, 8, 4)", "72"), ("conv2d_1", "(None, 8, 8, 6)", "222")]


@pytest.mark.parametrize(
    "code",
    [
        "from keras.layers import *\nm = Sequential()",  # Sequential is not exported by keras.layers
        "import keras\nx = keras.Input(shape=(3,))\ny = x[undefined]\nm = keras.Model(x, y)",
        "import keras\nm = keras.Model(inputs=unknown_inputs, outputs=keras.layers.Dense(2)(unknown_tensor))",
        "import keras\nm = keras.Sequential(layer_list_from_elsewhere)\nm.build((None, 4))",
    ],
)
def test_unknowns_never_crash(code: str):
    analysis = analyse_text(code)
    assert not analysis.internal_errors
    assert all(not summary.complete for summary in analysis.models)


# ------------------------------------------------------------ evaluation order and classes


def test_callee_is_evaluated_before_its_arguments():
    """``Dense(4)(Dense(8)(x))``: Python constructs Dense(4) first, so Keras names it first."""
    models = summaries(
        """
        import keras
        from keras import layers
        inputs = keras.Input(shape=(3,))
        model = keras.Model(inputs, layers.Dense(4)(layers.Dense(8)(inputs)))
        """
    )
    assert rows(models["model"])[1:] == [("dense_1", "(None, 8)", "32"), ("dense", "(None, 4)", "36")]


def test_classes_methods_properties_and_super():
    values = evaluate(
        """
        class Base:
            scale = 2

            def __init__(self, width):
                self.width = width

            def doubled(self):
                return self.width * self.scale

        class Child(Base):
            def __init__(self, width, depth=3):
                super().__init__(width)
                self.depth = depth

            @property
            def area(self):
                return self.width * self.depth

            @staticmethod
            def unit():
                return 1

            @classmethod
            def make(cls, width):
                return cls(width, depth=5)

        child = Child(4)
        made = Child.make(6)
        results = (child.doubled(), child.area, child.unit(), made.depth, made.area, Child.scale)
        """
    )
    assert values["results"] == (8, 12, 1, 5, 30, 2)


def test_custom_layer_init_names_its_sublayers_and_call_is_traced():
    models = summaries(
        """
        import keras
        from keras import layers

        class Block(layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.inner = layers.Dense(units)
                self.skip = layers.Dense(units)

            def call(self, x):
                return self.inner(x) + self.skip(x)

        inputs = keras.Input(shape=(6,))
        x = Block(4)(inputs)
        model = keras.Model(inputs, layers.Dense(2)(x))
        """
    )
    assert rows(models["model"]) == [
        ("input_layer", "(None, 6)", "0"),
        ("block", "(None, 4)", str(2 * (6 * 4 + 4))),
        ("dense_2", "(None, 2)", "10"),  # "dense" and "dense_1" went to the block's sublayers
    ]
    assert models["model"].complete


def test_multi_head_attention_consumes_hidden_names_when_built():
    models = summaries(
        """
        import keras
        from keras import layers
        tokens = keras.Input(shape=(5, 8))
        attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(tokens, tokens)
        x = layers.Dropout(0.1)(attended)
        model = keras.Model(tokens, layers.Softmax()(x))
        """
    )
    assert [row.name for row in models["model"].rows] == ["input_layer", "multi_head_attention", "dropout_1", "softmax_1"]


def test_keras_ops_constants_broadcast_with_tensors():
    values = evaluate(
        """
        import keras
        from keras import ops
        x = keras.Input(shape=(10, 4))
        positions = ops.expand_dims(ops.arange(0, 10), 0)
        y = x + ops.expand_dims(positions, -1)
        """
    )
    assert values["y"].shape() == (None, 10, 4)
    assert values["y"].node.operation.name == "add"


def test_dataclass_and_namedtuple_configs():
    values = evaluate(
        """
        from dataclasses import dataclass
        from typing import NamedTuple

        @dataclass
        class TrainConfig:
            filters: int = 32
            depth: int = 2
            name: str = "net"

        class Shape(NamedTuple):
            height: int
            width: int = 5

        config = TrainConfig(64, name="wide")
        shape = Shape(7)
        summary = (config.filters, config.depth, config.name, shape.height, shape.width)
        """
    )
    assert values["summary"] == (64, 2, "wide", 7, 5)
