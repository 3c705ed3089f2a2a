"""Transfer learning as people write it, against Keras: the whole-model oracle.

Each fixture (fixtures/models/transfer_*.py) is run by Keras (pretrained weights neither
downloaded nor loaded: they change no shape) and analysed by padlint; every model Keras
has at module level must be padlint's, row by row with the totals, and padlint lists no
model Keras does not (a base used inline is a row, not a model).
"""

from __future__ import annotations


from tests.applications.oracle import same_models



def test_frozen_base_for_feature_extraction():
    models = same_models("transfer_feature_extraction.py")
    model = models["model"]
    base_row = next(row for row in model.rows if row.class_name == "Functional")
    assert base_row.name == "mobilenetv2_1.00_160"
    assert model.weights.trainable == 1281  # the Dense head only
    assert [row.class_name for row in model.rows[2:4]] == ["TrueDivide", "Subtract"]


def test_fine_tuning_the_top_of_the_base():
    models = same_models("transfer_fine_tuning.py")
    assert 0 < models["base"].weights.trainable < models["base"].weights.total


def test_bases_on_the_users_tensors():
    models = same_models("transfer_input_tensor.py")
    assert models["conv_base"].rows[1].class_name == "Rescaling"  # the base reaches back to the user's Input
    assert models["conv_base"].weights.trainable == 0


def test_bases_in_sequential_models():
    models = same_models("transfer_sequential.py")
    assert [row.class_name for row in models["digits"].rows][:2] == ["RandomZoom", "Functional"]
    assert models["tagger"].weights.trainable == 20 * 1024 + 20


def test_two_backbones_and_their_preprocessing():
    models = same_models("transfer_two_backbones.py")
    classes = [row.class_name for row in models["fused"].rows]
    assert classes.count("Functional") == 2 and "Stack" in classes


def test_a_multi_output_encoder_from_inner_layers():
    models = same_models("transfer_segmentation_encoder.py")
    encoder = next(row for row in models["unet"].rows if row.class_name == "Functional")
    assert len(encoder.output_shapes) == 5 and encoder.weights.trainable == 0
