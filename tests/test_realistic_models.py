"""Realistic model files (fixtures/models): padlint's static summary equals Keras'.

Each fixture is ordinary Keras 3 code in one of the styles of SPEC section 1.
``assert_same_models`` runs it in TensorFlow's Keras (the oracle) and compares
every module-level model with padlint row by row: layer names, classes, output
shapes, parameter counts, trainable and non-trainable totals, the model name.
Files Keras 3 cannot run (Keras 2 module paths, a builder never called, data
that is not there) are checked against a runnable twin or hand-computed numbers.
Keras builds every model of a file once; VGG16 and ResNet50 dominate the time.
"""

from __future__ import annotations

import pytest

from padlint.reporters.shapes import format_count, format_shapes
from tests.helpers import FIXTURES, analyse_file
from tests.keras_models import (
    assert_exact_models,
    assert_rows_match,
    assert_same_models,
    assert_same_padlint_summaries,
    keras_models_of,
)

MODELS = FIXTURES / "models"


def test_vgg16_functional():
    summaries = assert_same_models(MODELS / "vgg16_functional.py")
    vgg = summaries["model"]
    assert vgg.weights.total == 138_357_544
    assert vgg.weights.non_trainable == 0
    assert vgg.complete
    assert [row.name for row in vgg.rows][-4:] == ["flatten", "fc1", "fc2", "predictions"]
    assert format_shapes(vgg.rows[-4].output_shapes) == "(None, 25088)"
    assert vgg.rows[-3].params == 25088 * 4096 + 4096


def test_resnet50_helpers_and_loops():
    summaries = assert_same_models(MODELS / "resnet50_functional.py")
    resnet = summaries["model"]
    assert resnet.weights.total == 25_636_712
    assert resnet.weights.non_trainable == 53_120
    assert resnet.weights.trainable == 25_583_592
    assert resnet.complete
    assert len([row for row in resnet.rows if row.class_name == "Add"]) == 16


def test_cifar_resnet20():
    summaries = assert_same_models(MODELS / "cifar_resnet20.py")
    resnet20 = summaries["model"]
    assert resnet20.complete
    assert len([row for row in resnet20.rows if row.class_name == "Conv2D"]) == 21
    assert format_shapes(resnet20.rows[-3].output_shapes) == "(None, 1, 1, 64)"


@pytest.mark.parametrize(
    "fixture",
    [
        "unet_128.py",
        "unet_classic.py",
        "text_models.py",
        "conv1d_causal.py",
        "builders.py",
        "mnist_channels_first.py",
        "channels_first_models.py",
        "imports_tf_keras.py",
        "imports_module_alias.py",
        "imports_star.py",
        "imports_partial_and_legacy_names.py",
        "shared_and_multi_io.py",
        "nested_models.py",
        "transfer_and_nesting.py",
        "build_and_rebuild.py",
        "tensor_operators.py",
        "keras_ops_graph.py",
        "evaluator_idioms.py",
        "symbolic_input.py",
        "mobilenet_v2_style.py",
        "xception_style.py",
        "gan_models.py",
        "transformer_custom_layers.py",
        "timeseries_transformer.py",
        "augmentation_and_lambda.py",
        "vit_custom_layers.py",
        "custom_weights.py",
        "subclassed_models.py",
        "text_classifier.py",
        "vae_subclassed.py",
        "time_distributed_models.py",
    ],
)
def test_fixture_matches_keras(fixture: str):
    assert_exact_models(MODELS / fixture)


def test_builder_called_twice_gives_two_models():
    analysis = analyse_file(MODELS / "builders.py")
    assert [summary.name for summary in analysis.models] == ["small", "large", "mnist_mlp", "wide_mlp"]
    assert [summary.keras_name for summary in analysis.models] == ["functional", "large_cnn", "mlp", "mlp"]


def test_builder_never_called_is_analysed_with_its_defaults():
    """Keras cannot run a builder nobody calls: its twin calls it, and padlint's
    summary of the uncalled builder equals Keras' summary of the twin's call."""
    analysis = analyse_file(MODELS / "builder_uncalled.py")
    assert [summary.name for summary in analysis.models] == ["create_model"]
    twin = keras_models_of(MODELS / "builder_uncalled_twin.py")
    assert_rows_match(analysis.models[0], twin["create_model"], "builder_uncalled.py: create_model")
    assert analysis.models[0].weights.total == 23_556


def test_keras2_module_paths_equal_their_keras3_twin():
    assert_same_models(MODELS / "keras2_module_paths_twin.py")
    assert_same_padlint_summaries(MODELS / "keras2_module_paths.py", MODELS / "keras2_module_paths_twin.py")


def test_pragma_states_an_input_shape_from_data():
    """x_train.shape[1:] is unknown; the pragma gives (40, 101, 1). Hand-computed rows."""
    analysis = analyse_file(MODELS / "pragma_data_input.py")
    models = {summary.name: summary for summary in analysis.models}
    model = models["model"]
    assert [(row.name, format_shapes(row.output_shapes), row.params) for row in model.rows] == [
        ("conv2d", "(None, 38, 99, 16)", 3 * 3 * 1 * 16 + 16),
        ("max_pooling2d", "(None, 19, 49, 16)", 0),
        ("conv2d_1", "(None, 17, 47, 32)", 3 * 3 * 16 * 32 + 32),
        ("flatten", "(None, 25568)", 0),
        ("dense", "(None, 64)", 17 * 47 * 32 * 64 + 64),
        ("dense_1", "(None, 10)", 64 * 10 + 10),
    ]
    assert model.weights.total == 1_641_866
    assert model.complete

    functional = models["functional"]
    assert [(row.name, format_shapes(row.output_shapes), row.params) for row in functional.rows] == [
        ("input_layer_1", "(None, 40, 101, 1)", 0),
        ("reshape", "(None, 40, 101)", 0),
        ("conv1d", "(None, 36, 8)", 5 * 101 * 8 + 8),
        ("global_average_pooling1d", "(None, 8)", 0),
    ]
    assert functional.keras_name == "functional_6"
    assert functional.complete

    # input_dim=x_train.shape[1] is a number padlint does not know: the Dense's output
    # shape is known and its parameter count a formula of that number (T); the next
    # Dense's units (from the labels) are unknown.
    unstated = models["unstated"]
    assert not unstated.complete
    assert format_shapes(unstated.rows[0].output_shapes) == "(None, 32)"
    assert format_count(unstated.rows[0].params) == "32*T+32"
    assert unstated.rows[1].output_shapes is None


def test_pragma_is_needed_without_it():
    text = (MODELS / "pragma_data_input.py").read_text().replace("# padlint: input_shape=(40, 101, 1)", "")
    from tests.helpers import analyse_text

    analysis = analyse_text(text)
    assert not analysis.internal_errors
    models = {summary.name: summary for summary in analysis.models}
    assert not models["model"].complete
    assert not models["functional"].complete
    assert all(row.output_shapes is None for row in models["model"].rows)


def test_symbolic_dimensions_stay_expressions():
    analysis = analyse_file(MODELS / "symbolic_input.py")
    fcn = analysis.models[0]
    assert format_shapes(fcn.rows[1].output_shapes) == "(None, H-2, W-2, 16)"
    assert fcn.weights.total == 448 + 4640 + 4624 + 34


def test_custom_layers_traced_with_ops_and_tf_functions():
    """VAE: the custom Sampling layer's call() is traced, encoder and decoder exact. The
    ViT-style Patches layer's call() uses tf.shape, tf.image.extract_patches and
    tf.reshape: traced with TensorFlow's shapes, (None, None, 48) as Keras shows it."""
    summaries = assert_same_models(MODELS / "vae_custom_layer.py")
    assert all(summary.complete for summary in summaries.values())
    assert [format_shapes(row.output_shapes) for row in summaries["vit_stub"].rows][2:4] == ["(None, None, 48)", "(None, None, 16)"]


def test_classes_builders_and_subclassed_models():
    """A builder class's model and a model built after a subclassed one are exact (names
    included: the subclassed model's __init__ consumed "dense_1", "dropout", "dense_2");
    the subclassed model, never called, prints what Keras prints: its layers unbuilt."""
    summaries = assert_same_models(MODELS / "classes_and_subclassing.py", variables=["model", "tail", "subclassed"])
    subclassed = summaries["subclassed"]
    assert subclassed.kind == "subclassed" and subclassed.keras_name == "mlp"
    assert [(row.name, row.built) for row in subclassed.rows] == [("dense_1", False), ("dropout", True), ("dense_2", False)]
    assert all(summary.complete for summary in summaries.values())
