"""Models sized by data, builders called several times, snippets, data loops, honest totals.

The fixtures (fixtures/models) are scripts in the styles people write: the MNIST convnet after
``load_data()``, CIFAR-10 with ``input_shape=x_train.shape[1:]``, an IMDB LSTM after
``pad_sequences``, Boston housing with ``input_shape=(x_train.shape[1],)``, Fashion-MNIST's
``reshape(-1, 28, 28, 1)``, Reuters vectorised by hand, a builder called in every way, snippets
without imports, a big data-generation loop before the model. Keras runs each (its datasets
offline: tests/keras_datasets.py) and every row must match.
"""

from __future__ import annotations

import ast
import json
import textwrap
import time
from pathlib import Path

import libcst as cst
import pytest

from padlint.evaluation.arrays import ArrayValue
from padlint.evaluation.budget import Budget
from padlint.evaluation.interpreter import Interpreter
from padlint.evaluation.values import Unknown
from padlint.reporters.summary_json import model_json
from padlint.reporters.summary_text import render_model
from tests.helpers import FIXTURES, analyse_file, analyse_text
from tests.keras_datasets import BOSTON_FEATURES, BOSTON_ROWS, CALIFORNIA_ROWS, IMDB_REVIEWS, REUTERS_NEWSWIRES
from tests.keras_models import assert_exact_models, assert_rows_match, keras_models_of, model_rows, run_fixture
from tests.robustness.support import run_padlint

MODELS = FIXTURES / "models"



@pytest.mark.parametrize(
    "fixture",
    [
        "mnist_convnet_data.py",
        "cifar10_shape_from_data.py",
        "imdb_lstm_data.py",
        "boston_mlp_data.py",
        "fashion_mnist_reshape.py",
        "reuters_vectorize.py",
        "data_generation_loop.py",
        "tf_tutorial_data.py",
        "fit_builds_sequential.py",
        "labels_size_the_head.py",
        "lenet_padding_and_rgb_data.py",
    ],
)
def test_models_sized_by_data_match_keras(fixture: str):
    assert_exact_models(MODELS / fixture)


# ------------------------------------------------------------- dataset facts


def _padlint_datasets(code: str) -> dict:
    interpreter = Interpreter(cst.parse_module("import keras\nimport tensorflow as tf\n" + textwrap.dedent(code)), Budget())
    interpreter.run()
    return interpreter.module_scope.variables


def _shape(value) -> tuple:
    assert isinstance(value, ArrayValue), value
    return value.shape


def _documented_shapes(module: str) -> dict[str, tuple]:
    """The ``assert x_train.shape == (60000, 28, 28)`` lines of a Keras loader's docstring."""
    import keras.src.datasets as datasets

    text = (Path(datasets.__file__).parent / f"{module}.py").read_text()
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("assert ") and ".shape ==" in line:
            name, _, shape = line[len("assert ") :].partition(".shape ==")
            found[name.strip()] = ast.literal_eval(shape.strip())
    return found


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10", "cifar100"])
def test_image_datasets_have_the_shapes_keras_documents(name):
    documented = _documented_shapes(name)
    assert set(documented) == {"x_train", "x_test", "y_train", "y_test"}
    values = _padlint_datasets(f"(x_train, y_train), (x_test, y_test) = keras.datasets.{name}.load_data()\n")
    assert {key: _shape(values[key]) for key in documented} == documented
    assert values["x_train"].dtype == "uint8"


def test_every_spelling_reaches_the_datasets():
    values = _padlint_datasets(
        """
        from keras.datasets import mnist
        from tensorflow.keras.datasets import cifar100
        from tensorflow.keras.datasets.imdb import load_data
        (a, _), _ = mnist.load_data()
        (b, c), _ = cifar100.load_data(label_mode="coarse")
        (d, e), _ = tf.keras.datasets.reuters.load_data(num_words=10000)
        (f, g), (h, i) = load_data(maxlen=100)
        keras.backend.set_image_data_format("channels_first")
        (j, _), _ = keras.datasets.cifar10.load_data()
        """
    )
    assert _shape(values["a"]) == (60000, 28, 28)
    assert _shape(values["b"]) == (50000, 32, 32, 3) and values["c"].classes == 20
    assert _shape(values["d"]) == (int(REUTERS_NEWSWIRES * 0.8),) and values["d"].dtype == "object"
    assert values["e"].classes is None  # which of the 46 topics a split holds is data
    assert not isinstance(_shape(values["f"])[0], int)  # maxlen drops reviews: how many is data
    assert _shape(values["j"]) == (50000, 3, 32, 32)  # cifar10.py transposes only for channels_last


def test_tf_newaxis_indexes_like_numpys():
    """TensorFlow scripts add the channel axis with ``x[..., tf.newaxis]`` (it is None)."""
    import numpy as np
    import tensorflow as tf

    values = _padlint_datasets(
        """
        (x, _), _ = tf.keras.datasets.mnist.load_data()
        channels = x[..., tf.newaxis].astype("float32")
        """
    )
    expected = np.zeros((3, 28, 28), "uint8")[..., tf.newaxis].astype("float32")
    assert _shape(values["channels"]) == (60000, *expected.shape[1:]) and values["channels"].dtype == str(expected.dtype)


TF_ON_DATA = [
    "tf.expand_dims(x, -1)",
    "tf.expand_dims(x, axis=1)",
    "tf.cast(x, tf.float32) / 255.0",
    "tf.cast(x, 'float16')",
    "tf.reshape(x, (-1, 28 * 28))",
    "tf.reshape(x, [len(x), 28, 28, 1])",
    "tf.one_hot(y, 10)",
    "tf.convert_to_tensor(x)",
]


@pytest.mark.parametrize("expression", TF_ON_DATA)
def test_tensorflow_functions_on_data_are_tensorflows(expression):
    """TensorFlow itself on arrays of MNIST's dtypes (few samples) against padlint's value."""
    import numpy as np
    import tensorflow as tf

    setup = "x = np.zeros((6, 28, 28), dtype='uint8')\ny = np.zeros((6,), dtype='uint8')\n"
    namespace: dict = {"np": np, "tf": tf}
    exec(setup, namespace)  # noqa: S102 - the test's own code, run as the reference
    expected = eval(expression, namespace)  # noqa: S307
    value = _padlint_datasets("import numpy as np\n" + setup + f"result = {expression}\n")["result"]
    assert _shape(value) == tuple(expected.shape) and value.dtype == expected.dtype.name, (value, expected.shape, expected.dtype)


def test_tensorflow_functions_on_keras_tensors_are_not_taken_for_data():
    values = _padlint_datasets("inputs = keras.Input((28, 28))\nresult = tf.expand_dims(inputs, -1)\nlabels = tf.one_hot(np.load('y.npy'), 10)\n")
    assert not isinstance(values["result"], ArrayValue) and not isinstance(values["labels"], ArrayValue)


def test_tabular_and_text_datasets_have_the_documented_sizes():
    values = _padlint_datasets(
        """
        (a, b), (c, d) = keras.datasets.boston_housing.load_data()
        (e, f), (g, h) = keras.datasets.california_housing.load_data(test_split=0.1)
        (i, _), (j, _) = keras.datasets.california_housing.load_data(version="small")
        (k, l), (m, n) = keras.datasets.imdb.load_data(num_words=5000)
        """
    )
    train = int(BOSTON_ROWS * (1 - 0.2))
    assert (_shape(values["a"]), _shape(values["b"]), _shape(values["c"])) == ((train, BOSTON_FEATURES), (train,), (BOSTON_ROWS - train, BOSTON_FEATURES))
    large = CALIFORNIA_ROWS["large"]
    assert (_shape(values["e"]), _shape(values["g"])) == ((int(large * 0.9), 8), (large - int(large * 0.9), 8))
    assert _shape(values["i"])[0] + _shape(values["j"])[0] == CALIFORNIA_ROWS["small"]
    assert _shape(values["k"]) == _shape(values["m"]) == (IMDB_REVIEWS,) and values["l"].classes == 2


def test_to_categorical_and_pad_sequences_mirror_keras():
    """Keras' own functions on arrays of those shapes (zeros; labels covering their classes)."""
    import numpy as np
    from keras.utils import pad_sequences, to_categorical

    values = _padlint_datasets(
        """
        import numpy as np
        (x, y), _ = keras.datasets.cifar10.load_data()
        one_hot = keras.utils.to_categorical(y)
        stated = keras.utils.to_categorical(y[:100], 12)
        sliced = keras.utils.to_categorical(y[:100])
        padded = keras.utils.pad_sequences([[1, 2, 3], [4]], padding="post")
        cut = keras.preprocessing.sequence.pad_sequences(np.zeros((7, 30)), maxlen=12, dtype="float32")
        """
    )
    labels = np.arange(50000).reshape(50000, 1) % 10
    assert _shape(values["one_hot"]) == to_categorical(labels).shape
    assert _shape(values["stated"]) == to_categorical(labels[:100], 12).shape
    assert not isinstance(_shape(values["sliced"])[-1], int)  # a slice may miss a class
    assert _shape(values["padded"]) == pad_sequences([[1, 2, 3], [4]], padding="post").shape
    cut = pad_sequences(np.zeros((7, 30)), maxlen=12, dtype="float32")
    assert (_shape(values["cut"]), values["cut"].dtype) == (cut.shape, str(cut.dtype))


#: ``num_classes`` spelled as NumPy integers (their value known), and as what Keras rejects.
NUM_CLASSES = [
    "np.max(y) + 1",
    "y.max() + 1",
    "np.amax(y) + 2",
    "1 + np.max(y)",
    "np.max(y) * 2 - 3",
    "np.int64(25)",
    "np.uint8(255) + 1",  # wraps to 0: inferred from the labels
    "np.max(y) + 1.0",  # a float: np.zeros raises
    "np.max(y, keepdims=True) + 1",  # a 1-d array: raises
]


@pytest.mark.parametrize("num_classes", NUM_CLASSES)
def test_to_categorical_takes_numpy_integers_as_keras_does(num_classes):
    """Keras' to_categorical on labels like CIFAR-100's coarse ones (int64, all 20 classes, fewer
    samples) against padlint's value: the same shape, else unknown where Keras raises."""
    import numpy as np
    from keras.utils import to_categorical

    y = (np.arange(100).reshape(100, 1) % 20).astype("int64")
    try:
        with np.errstate(over="ignore"):
            expected = to_categorical(y, eval(num_classes, {"np": np, "y": y})).shape  # noqa: S307
    except TypeError:
        expected = None
    code = f"import numpy as np\n(_, y), _ = keras.datasets.cifar100.load_data(label_mode='coarse')\none_hot = keras.utils.to_categorical(y, {num_classes})\n"
    value = _padlint_datasets(code)["one_hot"]
    if expected is None:
        assert isinstance(value, Unknown), value
    elif "255" in num_classes:  # padlint does not wrap an overflow: it leaves the extent unknown
        assert isinstance(value, ArrayValue) and value.shape[0] == 50000 and not isinstance(value.shape[1], int)
    else:
        assert isinstance(value, ArrayValue) and value.shape == (50000, *expected[1:]), (value, expected)


#: Expressions on CIFAR-10's (y, yt) and MNIST's (labels) label arrays; False where padlint
#: leaves the class count unknown (values changed, or a part whose classes it does not know).
LABEL_CLASSES = [
    ("to_categorical(np.concatenate([y, yt])).shape", True),
    ("to_categorical(np.concatenate((yt, y, yt), axis=0)).shape", True),
    ("to_categorical(np.vstack([y, yt])).shape", True),
    ("to_categorical(np.concatenate([y, yt], dtype='int32')).shape", True),
    ("to_categorical(y.T).shape", True),
    ("to_categorical(np.transpose(y)).shape", True),
    ("to_categorical(y.transpose()).shape", True),
    ("to_categorical(np.swapaxes(y, 0, 1)).shape", True),
    ("len(set(labels))", True),
    ("len(set(np.concatenate([labels, labels.T])))", True),
    ("to_categorical(np.concatenate([y, y + 1])).shape", False),
    ("to_categorical(y + 1).shape", False),
    ("to_categorical(np.concatenate([y, yt[:5]])).shape", False),
]


@pytest.mark.parametrize(("expression", "known"), LABEL_CLASSES)
def test_label_classes_survive_joins_transposes_and_set(expression, known):
    """Keras and Python on label arrays of the datasets' shapes whose values cover every class,
    against padlint: the same value where it is known, no class count where it must not be."""
    import numpy as np
    from keras.utils import to_categorical

    namespace = {
        "np": np,
        "to_categorical": to_categorical,
        "y": (np.arange(50000).reshape(50000, 1) % 10).astype("uint8"),
        "yt": (np.arange(10000).reshape(10000, 1) % 10).astype("uint8"),
        "labels": (np.arange(60000) % 10).astype("uint8"),
    }
    expected = eval(expression, namespace)  # noqa: S307 - the test's own code, run as the reference
    code = f"""
        import numpy as np
        from keras.utils import to_categorical
        (_, y), (_, yt) = keras.datasets.cifar10.load_data()
        (_, labels), _ = keras.datasets.mnist.load_data()
        result = {expression}
        """
    value = _padlint_datasets(code)["result"]
    classes = value[-1] if isinstance(value, tuple) else value
    if known:
        assert value == expected, (value, expected)
    else:
        assert not isinstance(classes, int), (value, expected)


# ---------------------------------------------------------------- builders


def test_one_model_per_builder_call():
    """Called twice, in a loop into a list, in a loop rebinding a variable, from main() with
    argparse defaults: every call is a model, and each equals what Keras builds."""
    analysis = analyse_file(MODELS / "builder_calls.py")
    names = [summary.name for summary in analysis.models]
    assert names == ["baseline", "deeper", "candidates[0]", "candidates[1]", "regressor#1", "regressor", "trained"]
    assert "command-line options taken as their argparse defaults (a run without arguments)" in analysis.assumptions
    by_name = {summary.name: summary for summary in analysis.models}
    expected = keras_models_of(MODELS / "builder_calls.py")
    assert set(expected) == set(names) - {"regressor#1"}
    for name, keras_model in expected.items():
        assert_rows_match(by_name[name], keras_model, f"builder_calls.py: {name}")
        assert by_name[name].complete
    # The model the loop's first iteration built is gone from Keras' namespace: build it again.
    namespace = run_fixture(MODELS / "builder_calls.py")
    first = model_rows("regressor#1", namespace["build_mlp"]([64]))
    assert_rows_match(by_name["regressor#1"], first, "builder_calls.py: regressor#1", compare_names=False)


def test_models_in_a_dict_and_functions_called_twice_are_named_apart():
    analysis = analyse_text(
        textwrap.dedent(
            """
            from keras import layers, models

            def build(units):
                return models.Sequential([layers.Input((4,)), layers.Dense(units)])

            by_size = {}
            for size, units in (("small", 2), ("large", 8)):
                by_size[size] = build(units)

            def main():
                for units in (1, 3):
                    model = build(units)

            main()
            """
        )
    )
    assert [summary.name for summary in analysis.models] == ["by_size['small']", "by_size['large']", "build#1", "build#2"]
    assert [summary.weights.total for summary in analysis.models] == [10, 40, 5, 15]


PARSERS = {
    "types and actions": """
        parser.add_argument("--filters", type=int, default="32")
        parser.add_argument("-d", "--drop-rate", dest="dropout", type=float, default=0.5)
        parser.add_argument("-k", type=int, default=3)
        parser.add_argument("--flag", action="store_true")
        parser.add_argument("--no-bias", action="store_false")
        parser.add_argument("--const", action="store_const", const=7)
        parser.add_argument("--verbose", "-v", action="count")
        parser.add_argument("--layers", nargs="+", type=int, default=[64, 32])
        parser.add_argument("name", nargs="?", default="run")
        parser.add_argument("--version", action="version", version="1.0")
        parser.add_argument("--usage", action="help")
        parser.add_argument("--hidden", type=int, default=argparse.SUPPRESS)
        parser.add_argument("--sizes", nargs="*")
        parser.add_argument("files", nargs="*")
        parser.add_argument("extras", nargs="*", type=int, default="5")
        """,
    "set_defaults before and after": """
        parser.set_defaults(units=16, lr=0.1, extra="x")
        parser.add_argument("--units", type=int)
        parser.add_argument("--lr", type=float, default=0.01)
        parser.add_argument("--epochs", type=int, default=5)
        parser.set_defaults(epochs="7")
        group = parser.add_argument_group("model")
        group.add_argument("--width", type=int, default=8)
        group.add_argument("--wide", dest="width", type=int, default=9)
        """,
    "argument_default": """
        parser = argparse.ArgumentParser(argument_default=4)
        parser.add_argument("--units", type=int)
        parser.add_argument("--shuffle", action="store_true")
        """,
}


@pytest.mark.parametrize("definition", PARSERS.values(), ids=list(PARSERS))
def test_argparse_defaults_are_what_argparse_gives_a_run_without_arguments(definition):
    """Each parser run by argparse itself on an empty command line; padlint's namespace must
    hold the same values (the script's own code, not user code: exec here is the oracle)."""
    import argparse

    code = "import argparse\nparser = argparse.ArgumentParser()\n" + textwrap.dedent(definition) + "args = parser.parse_args()\noptions = vars(args)\n"
    namespace: dict = {}
    exec(code.replace("parser.parse_args()", "parser.parse_args([])"), namespace)  # noqa: S102
    assert isinstance(namespace["args"], argparse.Namespace)
    values = _padlint_datasets(code)
    assert values["options"] == namespace["options"]


def test_an_option_the_command_line_must_give_is_unknown():
    values = _padlint_datasets(
        """
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("data_dir")
        parser.add_argument("--units", type=int, required=True)
        parser.add_argument("--epochs", type=int, default=3)
        args = parser.parse_args()
        """
    )
    attributes = values["args"].attributes
    assert isinstance(attributes["data_dir"], Unknown) and isinstance(attributes["units"], Unknown)
    assert attributes["epochs"] == 3


# ---------------------------------------------------------------- snippets


def _twin(tmp_path: Path, fixture: str, old: str, imports: str) -> Path:
    """The snippet with the imports it leaves out (Keras cannot run it without them)."""
    text = (MODELS / fixture).read_text()
    assert old in text
    path = tmp_path / fixture
    path.write_text(text.replace(old, imports, 1))
    return path


def _same_as_twin(fixture: str, twin: Path) -> dict:
    analysis = analyse_file(MODELS / fixture)
    by_name = {summary.name: summary for summary in analysis.models}
    expected = keras_models_of(twin)
    assert set(by_name) == set(expected)
    for name, keras_model in expected.items():
        assert_rows_match(by_name[name], keras_model, f"{fixture}: {name}")
        assert by_name[name].complete
    return {"analysis": analysis, "models": by_name}


def test_snippet_without_imports_is_analysed_as_keras(tmp_path):
    imports = "from keras.models import Model, Sequential\nfrom keras.layers import Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D\n"
    result = _same_as_twin("snippet_no_imports.py", _twin(tmp_path, "snippet_no_imports.py", "num_classes = 5\n", imports + "num_classes = 5\n"))
    (note,) = result["analysis"].assumptions
    assert note.startswith("Sequential, Conv2D, MaxPooling2D, Dropout, Flatten, Dense, Input, Model are not imported; taken as keras.Sequential, keras.layers.Conv2D")


def test_snippet_with_an_unreadable_star_import(tmp_path):
    twin = _twin(tmp_path, "snippet_star_import.py", "from helpers import *\n", "from keras.models import Sequential\nfrom keras.layers import Activation, BatchNormalization, Softmax\n")
    result = _same_as_twin("snippet_star_import.py", twin)
    assert result["analysis"].assumptions == ["Sequential, Activation, BatchNormalization, Softmax are not imported; taken as keras.Sequential, keras.layers.Activation, keras.layers.BatchNormalization, keras.layers.Softmax"]


def test_snippet_without_its_tensorflow_and_numpy_imports(tmp_path):
    old = "# A notebook cell copied on its own: the cell that imported TensorFlow and NumPy is not part of it.\n"
    twin = _twin(tmp_path, "snippet_tf_alias.py", old, "import numpy as np\nimport tensorflow as tf\n")
    result = _same_as_twin("snippet_tf_alias.py", twin)
    assert result["analysis"].assumptions == ["np, tf are not imported; taken as numpy, tensorflow"]


def test_a_bound_alias_is_never_replaced():
    analysis = analyse_text("import torch as tf\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n")
    assert analysis.models == [] and analysis.assumptions == []


def test_only_unbound_keras_class_names_are_taken_as_keras():
    analysis = analyse_text(
        textwrap.dedent(
            """
            class Dense:
                def __init__(self, units):
                    self.units = units

            head = Dense(3)
            model = Sequential([Input((4,)), Conv1D(2, 1), MyBlock(8), concatenate])
            """
        )
    )
    (summary,) = analysis.models
    assert analysis.assumptions == ["Sequential, Input, Conv1D are not imported; taken as keras.Sequential, keras.Input, keras.layers.Conv1D"]
    assert not summary.complete  # MyBlock and the lower-case name are unknown, not guessed


@pytest.mark.parametrize(
    "imports",
    ["from torch.nn import *\n", "import torch\nfrom torch import nn\n", "from mxnet.gluon.nn import *\n"],
)
def test_another_frameworks_names_are_never_taken_as_keras(imports):
    """PyTorch's ``Sequential(Linear(...), ReLU())`` from a star import: its names are Keras'
    names too, but not Keras' classes. No model, nothing assumed."""
    analysis = analyse_text(imports + "model = Sequential(Linear(10, 5), ReLU(), Linear(5, 1))\nhead = Dense(3)\n")
    assert analysis.models == [] and analysis.assumptions == [] and not analysis.internal_errors


def test_the_snippet_note_is_said_under_verbose_only(tmp_path):
    (tmp_path / "snippet.py").write_text((MODELS / "snippet_no_imports.py").read_text())
    quiet = run_padlint("summary", "snippet.py", cwd=tmp_path)
    verbose = run_padlint("summary", "-v", "snippet.py", cwd=tmp_path)
    check = run_padlint("check", "-v", "snippet.py", cwd=tmp_path)
    assert quiet.code == verbose.code == 0 and "Model: \"sequential\"" in quiet.stdout
    assert "not imported" not in quiet.stderr
    for run in (verbose, check):
        assert "padlint: note: snippet.py: Sequential, Conv2D, MaxPooling2D" in run.stderr


# ------------------------------------------------------------------- budget


def test_a_data_generation_loop_does_not_spend_the_budget():
    """Measured with every loop run in full (no allowance): the 100,000-item loop exceeds the
    iteration budget (a note marks the file) and the nested 2,000 x 24 fill spends the 400,000
    steps, so the model is never reached. Now each loop that builds nothing is given up past its
    allowance: the model is found, exact (test above), in some 112,000 steps."""
    path = MODELS / "data_generation_loop.py"
    started = time.perf_counter()
    interpreter = Interpreter(cst.parse_module(path.read_text()), Budget())
    interpreter.run()
    elapsed = time.perf_counter() - started
    assert [model.name for model in interpreter.keras.models] == ["forecaster"]
    assert not interpreter.budget.notes
    assert interpreter.budget.steps < Budget().max_steps // 2, interpreter.budget.steps
    assert elapsed < 5.0
    assert interpreter.module_scope.variables["windows"].shape == (2000, 24, 3)  # written into: same shape


def test_a_pure_python_data_loop_does_not_stop_the_analysis():
    """5,000 x 50 appends (some two million steps): before, the budget ran out in the loop and no
    model was found; now the loop is given up after its allowance and the model is exact."""
    text = textwrap.dedent(
        """
        import math
        from tensorflow import keras
        from tensorflow.keras import layers
        X = []
        for i in range(5000):
            row = []
            for j in range(50):
                row.append(math.sin(i * j))
            X.append(row)
        model = keras.Sequential([keras.Input((50,)), layers.Dense(8), layers.Dense(1)])
        """
    )
    started = time.perf_counter()
    analysis = analyse_text(text)
    assert time.perf_counter() - started < 5.0
    (model,) = analysis.models
    assert model.complete and model.weights.total == 50 * 8 + 8 + 8 + 1 and not analysis.notes


def test_a_loop_that_builds_layers_still_runs_in_full():
    """A loop that creates layers is never given up early (Keras' names after it depend on it)."""
    analysis = analyse_text(
        textwrap.dedent(
            """
            from keras import layers, models
            model = models.Sequential([layers.Input((4,))])
            for index in range(300):
                model.add(layers.Dense(4))
            data = [float(i) for i in range(5000) for _ in range(30)]
            tail = models.Sequential([layers.Input((4,)), layers.Dense(2)])
            """
        )
    )
    model, tail = analysis.models
    assert model.complete and len(model.rows) == 300 and tail.rows[0].name == "dense_300"


# ------------------------------------------------------------------- totals


def test_an_incomplete_model_never_prints_a_total_that_looks_exact():
    analysis = analyse_text(
        textwrap.dedent(
            """
            import numpy as np
            from keras import layers, models
            n = int(np.load("n.npy"))
            partly = models.Sequential([layers.Input((4,)), layers.Dense(8), layers.Dense(n)])
            nothing = models.Sequential(np.load("layers.npy"))
            """
        )
    )
    partly, nothing = analysis.models
    text = render_model(partly, "snippet.py:5")
    assert " Total params: at least 40 (160.00 B)" in text and " Trainable params: at least 40 (160.00 B)" in text
    assert " Non-trainable params: ?" in text
    assert " Total params: ?" in render_model(nothing, "snippet.py:6")
    document = json.loads(json.dumps(model_json(partly, analysis)))
    assert document["total_params"] is None and document["total_params_at_least"] == 40
    assert document["trainable_params_at_least"] == 40 and document["non_trainable_params_at_least"] == 0
    assert model_json(nothing, analysis)["total_params_at_least"] == 0


def test_a_complete_model_keeps_keras_totals():
    (model,) = analyse_text("from keras import layers, models\nm = models.Sequential([layers.Input((4,)), layers.Dense(8)])\n").models
    document = model_json(model, None)
    assert document["total_params"] == 40 and "total_params_at_least" not in document
    assert " Total params: 40 (160.00 B)" in render_model(model, "snippet.py:2")
