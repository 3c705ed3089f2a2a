"""keras.applications as user code reaches it, checked against Keras itself.

- padlint's catalogue is Keras' API: the same names at the top and in each module, the
  same signatures (parameter names, order and defaults) for every application;
- the import styles and ``preprocess_input`` of every module, as whole fixtures;
- the calls Keras rejects (ImageNet weights with another input shape or 10 classes, an
  unknown keyword, a name EfficientNetV2 cannot look up, a name MobileNetV3's module does
  not export) make no model in padlint either;
- an application is a model of its own only where the code names it, and
  ``base.layers`` and ``base.trainable`` behave as Keras' do.
"""

from __future__ import annotations

import ast
import inspect

import pytest

from padlint.applications.catalogue import ARCHITECTURES, CUSTOM_LAYERS, DEFINING_MODULES, MODULE_EXPORTS
from padlint.applications.loader import ARCHITECTURES as ARCHITECTURE_FOLDER
from padlint.graph import TensorOp
from tests.applications.oracle import fast_keras, same_models
from tests.helpers import analyse_text

import keras


def _public(module) -> set[str]:
    return {name for name in dir(module) if name[:1].isupper()}


def test_the_catalogue_is_keras_api():
    assert _public(keras.applications) == set(ARCHITECTURES)
    modules = {name for name in dir(keras.applications) if name[:1].islower() and not name.startswith("_")}
    assert modules == set(MODULE_EXPORTS)
    for module in modules:
        exported = getattr(keras.applications, module)
        assert _public(exported) == set(MODULE_EXPORTS[module]), module
        assert hasattr(exported, "preprocess_input"), module
    import importlib

    for module, names in DEFINING_MODULES.items():
        defining = importlib.import_module(f"keras.src.applications.{module}")
        assert set(names) <= set(dir(defining)), module
        assert set(CUSTOM_LAYERS.get(module, ())) <= set(dir(defining)), module


def _signature(module: str, name: str) -> list[tuple[str, object]]:
    """Parameter names and default values of padlint's twin of an application."""
    tree = ast.parse((ARCHITECTURE_FOLDER / f"{module}.py").read_text())
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    defaults = [None] * (len(function.args.args) - len(function.args.defaults)) + [ast.literal_eval(value) for value in function.args.defaults]
    return [(argument.arg, default) for argument, default in zip(function.args.args, defaults)]


@pytest.mark.parametrize("name", sorted(ARCHITECTURES))
def test_each_twin_takes_the_arguments_keras_takes(name: str):
    parameters = inspect.signature(getattr(keras.applications, name)).parameters.values()
    assert _signature(ARCHITECTURES[name], name) == [(parameter.name, parameter.default) for parameter in parameters]


def test_import_styles():
    models = same_models("applications_import_styles.py")
    assert models["head"].rows[1].name == "rescaling_2"  # after MobileNetV3Small's and EfficientNetB0's own


def test_preprocess_input_of_every_module():
    models = same_models("applications_preprocessing.py")
    assert [row.class_name for row in models["vgg16_model"].rows] == ["InputLayer", "GetItem", "GetItem", "GetItem", "Stack", "Add"]


#: Calls Keras rejects (with weights=None unless stated): no model comes of them.
REJECTED = [
    "keras.applications.VGG16(input_shape=(64, 64, 3))",  # ImageNet weights with the classifier: 224x224 only
    "keras.applications.ResNet50(classes=10)",  # ImageNet weights with the classifier: 1000 classes
    "keras.applications.ResNet50(weights=None, input_shape=(None, None, 3))",  # a classifier needs a static size
    "keras.applications.DenseNet121(weights=None, include_top=False, input_shape=(16, 16, 3))",  # below 32x32
    "keras.applications.MobileNetV2(alpha=0.3, include_top=False)",  # no ImageNet weights for that width
    "keras.applications.Xception(weights=None, dropout=0.5)",  # no such argument
    "keras.applications.EfficientNetV2B0(weights=None, name='backbone')",  # its stages are looked up by name
    "keras.applications.ConvNeXtTiny(include_top=False, name='backbone')",  # ImageNet weights need the variant's name
    "keras.applications.mobilenet_v3.MobileNetV3Small(weights=None)",  # not exported there
]


@pytest.mark.parametrize("call", REJECTED)
def test_a_call_keras_rejects_makes_no_model(call: str):
    with fast_keras(), pytest.raises((ValueError, TypeError, KeyError, AttributeError)):
        eval(call, {"keras": keras})  # noqa: S307 - the test's own literal call
    analysis = analyse_text(f"import keras\n\nmodel = {call}\n")
    assert not analysis.internal_errors
    assert [summary.name for summary in analysis.models] == []


def test_an_application_is_a_model_of_its_own_only_where_it_is_named():
    inline = "import keras\nmodel = keras.Sequential([keras.applications.MobileNet(weights=None, include_top=False, input_shape=(96, 96, 3)), keras.layers.Flatten()])\n"
    assert [summary.name for summary in analyse_text(inline).models] == ["model"]
    built = "import keras\n\ndef build():\n    base = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(96, 96, 3))\n    return keras.Sequential([base, keras.layers.Flatten()])\n\nmodel = build()\n"
    assert sorted(summary.name for summary in analyse_text(built).models) == ["build.base", "model"]


def test_base_layers_and_trainable_behave_as_keras(tmp_path):
    """``base.layers`` lists layers, not the keras.ops of ``x + y`` (MobileNetV3's hard
    sigmoid), and ``base.trainable = True`` undoes an earlier ``layer.trainable = False``."""
    path = tmp_path / "layers_and_trainable.py"
    path.write_text(
        "import keras\n"
        "base = keras.applications.MobileNetV3Small(weights=None, include_top=False, input_shape=(96, 96, 3))\n"
        "base.layers[5].trainable = False\n"
        "base.layers[-3].trainable = False\n"
        "frozen = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(len(base.layers))])\n"
        "base.trainable = False\n"
        "base.trainable = True\n"
        "base.layers[-3].trainable = False\n"
    )
    models = same_models(path)
    operations = [row for row in models["base"].rows if isinstance(row.operation, TensorOp)]
    assert operations, "MobileNetV3's hard sigmoid is made of keras.ops"
    assert models["frozen"].rows[-1].output_shapes == [(None, len(models["base"].rows) - len(operations))]


def test_isinstance_of_keras_layers_and_models(tmp_path):
    """The fine-tuning idiom ``if not isinstance(layer, layers.BatchNormalization)`` needs
    ``isinstance`` on Keras objects: each check below is one bit of a Dense layer's width."""
    path = tmp_path / "isinstance_checks.py"
    path.write_text(
        "import keras\n"
        "from keras import layers\n"
        "inner = keras.Sequential([keras.Input((2,)), layers.Dense(2)])\n"
        "checks = [\n"
        "    isinstance(layers.Dense(3), layers.Dense),\n"
        "    isinstance(layers.Dense(3), layers.Conv2D),\n"
        "    isinstance(layers.SpatialDropout2D(0.1), layers.Dropout),\n"
        "    isinstance(layers.Dropout(0.1), layers.SpatialDropout2D),\n"
        "    isinstance(layers.LSTM(4), layers.RNN),\n"
        "    isinstance(layers.BatchNormalization(), (layers.LayerNormalization, layers.BatchNormalization)),\n"
        "    isinstance(layers.Convolution2D(4, 3), layers.Conv2D),\n"
        "    isinstance(layers.ReLU(), keras.layers.Layer),\n"
        "    isinstance(inner, keras.Model),\n"
        "    isinstance(inner, keras.Sequential),\n"
        "    isinstance(layers.Dense(3), keras.Model),\n"
        "]\n"
        "probe = keras.Sequential([keras.Input((1,)), layers.Dense(sum(2**bit for bit, passed in enumerate(checks) if passed))])\n"
    )
    models = same_models(path)
    assert models["probe"].rows[-1].output_shapes == [(None, 0b1111110101)]


#: Trainable flags set where padlint cannot tell which layers they reach, on the base below.
UNDECIDABLE_FREEZES = {
    "under a condition": "for layer in base.layers:\n    if sys.argv[1] in layer.name:\n        layer.trainable = False\n",
    "up to an unknown index": "fine_tune_at = int(sys.argv[1])\nfor layer in base.layers[:fine_tune_at]:\n    layer.trainable = False\n",
    "a loop under a condition": "base.trainable = False\nif len(sys.argv) > 1:\n    for layer in base.layers[-5:]:\n        layer.trainable = True\n",
    "an unknown value": "base.trainable = sys.argv[1] == 'train'\n",
    "an enumerated loop under a condition": "if len(sys.argv) > 1:\n    for index, layer in enumerate(reversed(base.layers[2:])):\n        layer.trainable = False\n",
    "nested loops under a condition": "if len(sys.argv) > 1:\n    for model in [base]:\n        for layer in model.layers:\n            layer.trainable = False\n",
}


@pytest.fixture(scope="module")
def mobilenet_96_params() -> int:
    with fast_keras():
        return keras.applications.MobileNet(weights=None, include_top=False, input_shape=(96, 96, 3)).count_params()


@pytest.mark.parametrize("freeze", list(UNDECIDABLE_FREEZES.values()), ids=list(UNDECIDABLE_FREEZES))
def test_a_trainable_flag_padlint_cannot_place_leaves_the_split_unknown(freeze: str, mobilenet_96_params: int):
    """The count is Keras' whichever layers the flag reaches; how it splits is unknown, not
    guessed (every layer trainable, or only those of one branch)."""
    source = (
        "import sys\nimport keras\n"
        "base = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(96, 96, 3))\n"
        f"{freeze}"
        "inputs = keras.Input((96, 96, 3))\n"
        "model = keras.Model(inputs, keras.layers.Dense(3)(base(inputs, training=False)))\n"
    )
    models = {summary.name: summary for summary in analyse_text(source).models}
    assert sorted(models) == ["base", "model"]
    for summary, total in ((models["base"], mobilenet_96_params), (models["model"], mobilenet_96_params + 1024 * 3 + 3)):
        assert summary.weights.total == total
        assert summary.weights.trainable is None and summary.weights.non_trainable is None and not summary.complete


def test_isinstance_follows_keras_class_hierarchy():
    """For every layer class padlint has a spec for, ``isinstance`` against every class of
    keras.layers is Keras' ``issubclass`` answer, or unknown (a class padlint cannot place)."""
    from padlint.evaluation.keras_api import keras_isinstance
    from padlint.evaluation.values import Unknown
    from padlint.graph import LayerObj
    from padlint.layers.registry import all_specs

    classes = {name: value for name, value in vars(keras.layers).items() if isinstance(value, type)}
    answered = 0
    for name, spec in all_specs().items():
        if name not in classes:
            continue
        layer = LayerObj(class_name=name, spec=spec, config=None, name="layer", site=None)
        for other, keras_class in classes.items():
            found = keras_isinstance(layer, [f"keras.layers.{other}"])
            if not isinstance(found, Unknown):
                answered += 1
                assert found == issubclass(classes[name], keras_class), (name, other)
    assert answered > 10_000


def test_a_head_on_the_output_of_an_open_size_base(tmp_path):
    """Keras 2's documentation style: no input shape (None x None images), the head built on
    ``base.output``, the model from ``base.input``, every base layer frozen by a loop."""
    path = tmp_path / "open_size_base.py"
    path.write_text(
        "from keras.applications.vgg16 import VGG16\n"
        "from keras.layers import Dense, GlobalAveragePooling2D\n"
        "from keras.models import Model\n"
        "base_model = VGG16(weights=None, include_top=False)\n"
        "x = GlobalAveragePooling2D()(base_model.output)\n"
        "x = Dense(1024, activation='relu')(x)\n"
        "predictions = Dense(200, activation='softmax')(x)\n"
        "model = Model(inputs=base_model.input, outputs=predictions)\n"
        "for layer in base_model.layers:\n"
        "    layer.trainable = False\n"
    )
    models = same_models(path)
    assert models["model"].weights.trainable == 512 * 1024 + 1024 + 1024 * 200 + 200


def test_input_and_output_shapes_of_models(tmp_path):
    """``base.output_shape`` and ``input_shape`` (one shape, or a list for several outputs;
    Sequential's from its functional form) size the user's layers as in Keras."""
    path = tmp_path / "model_shapes.py"
    path.write_text(
        "import keras\n"
        "base = keras.applications.MobileNet(weights=None, include_top=False, alpha=0.25, input_shape=(96, 96, 3))\n"
        "pair = keras.Model(base.input, [base.get_layer('conv_pw_5_relu').output, base.output], name='pair')\n"
        "widths = [shape[-1] for shape in pair.output_shape]\n"
        "stack = keras.Sequential([keras.Input(base.input_shape[1:]), base], name='stack')\n"
        "inputs = keras.Input(stack.input_shape[1:])\n"
        "x = keras.layers.GlobalAveragePooling2D()(stack(inputs))\n"
        "x = keras.layers.Dense(widths[0] + widths[1])(x)\n"
        "model = keras.Model(inputs, keras.layers.Dense(stack.output_shape[1] * stack.output_shape[2])(x))\n"
    )
    models = same_models(path)
    assert [row.output_shapes for row in models["model"].rows[-2:]] == [[(None, 64 + 256)], [(None, 3 * 3)]]


def test_architectures_load_lazily_and_parse_once():
    """A file without applications imports and parses none of them; a file with VGG16 parses
    vgg.py and the helpers it imports once per process, however many files use them."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from unittest import mock\n"
        "import libcst\n"
        "from padlint.analysis import AnalysisOptions, analyse_source\n"
        "from padlint.source import SourceFile\n"
        "plain = 'import keras\\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\\n'\n"
        "analyse_source(SourceFile(path='plain.py', text=plain), AnalysisOptions())\n"
        "assert 'padlint.applications' not in sys.modules, 'imported for a file without applications'\n"
        "parses = []\n"
        "real = libcst.parse_module\n"
        "def counting(text, *args, **kwargs):\n"
        "    parses.append(text)\n"
        "    return real(text, *args, **kwargs)\n"
        "with mock.patch('padlint.applications.loader.cst.parse_module', counting):\n"
        "    for index in range(3):\n"
        "        text = f'import keras\\nbase{index} = keras.applications.VGG16(weights=None, include_top=False)\\n'\n"
        "        (summary,) = analyse_source(SourceFile(path=f'vgg{index}.py', text=text), AnalysisOptions()).models\n"
        "        assert summary.complete and len(summary.rows) == 19, summary.notes\n"
        "from padlint.applications.loader import ARCHITECTURES\n"
        "texts = {path.read_text(encoding='utf-8'): path.name for path in ARCHITECTURES.glob('*.py')}\n"
        "parsed = sorted(texts[text] for text in parses if text in texts)\n"
        "assert parsed == ['_common.py', 'vgg.py'], parsed\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
