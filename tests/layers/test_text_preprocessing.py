"""TextVectorization, StringLookup and IntegerLookup against real Keras.

Drawn configurations: every ``output_mode`` (and the deprecated names),
``max_tokens`` (too small, too small for the vocabulary), ``pad_to_max_tokens``,
literal vocabularies with and without the special tokens in front, repeated or
empty, ``num_oov_indices``, ``mask_token``, ``split`` and
``output_sequence_length``, on string (or integer) inputs of rank 1 and 2.
padlint must raise where Keras raises, give the output shape Keras gives, no
weights, and the ``vocabulary_size()`` Keras reports.
"""

from __future__ import annotations

import math
import warnings

from hypothesis import given
from hypothesis import strategies as st

from padlint.layers import LayerConfig, LayerError, lookup
from padlint.layers.base import CallInputs, bind_arguments
from tests.keras_oracle import differential, mostly


MODES = mostly(st.sampled_from(["int", "one_hot", "multi_hot", "count", "tf_idf"]), "binary", "tf-idf", "embedding", odds=8)
WORDS = ["sun", "moon", "star", "sky", "rain"]


def vocabulary(special: list) -> st.SearchStrategy:
    tokens = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True)
    return mostly(
        st.one_of(st.none(), tokens, tokens.map(lambda words: special + words)),
        ["sun", "sun"], [], odds=8,
    )


@st.composite
def lookup_case(draw, class_name: str) -> tuple[str, dict, tuple, str]:
    kwargs: dict = {}
    dtype = "int64" if class_name == "IntegerLookup" else "string"
    mode = draw(MODES)
    kwargs["output_mode"] = mode
    if draw(st.booleans()):
        kwargs["max_tokens"] = draw(mostly(st.sampled_from([4, 8, 20]), 1, 2, odds=6))
    if draw(st.integers(0, 3)) == 0:
        kwargs["pad_to_max_tokens"] = True
    if class_name == "TextVectorization":
        special = ["", "[UNK]"] if mode == "int" else ["[UNK]"]
        if mode in ("int", "embedding") or draw(st.integers(0, 5)) == 0:
            kwargs["output_sequence_length"] = draw(st.sampled_from([None, 5, 12]))
        if draw(st.booleans()):
            kwargs["split"] = None
    else:
        oov = draw(st.sampled_from([0, 1, 2]))
        kwargs["num_oov_indices"] = oov
        mask = None
        if draw(st.booleans()):
            mask = 0 if class_name == "IntegerLookup" else "[MASK]"
            kwargs["mask_token"] = mask
        special = ([mask] if mask is not None and mode == "int" else []) + [-1 if class_name == "IntegerLookup" else "[UNK]"] * oov
    words = draw(vocabulary(special))
    if words is not None:
        if class_name == "IntegerLookup":
            words = [word if isinstance(word, int) else WORDS.index(word) + 10 for word in words]
        kwargs["vocabulary"] = words
        if mode in ("tf_idf", "tf-idf") and draw(st.integers(0, 5)) != 0:
            kwargs["idf_weights"] = [1.0] * len(words)
    shape = draw(st.sampled_from([(None,), (None, 1), (None, 3)]))
    return class_name, kwargs, shape, dtype


def keras_outcome(class_name: str, kwargs: dict, shape: tuple, dtype: str):
    import keras

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer = getattr(keras.layers, class_name)(**kwargs)
            output = layer(keras.Input(batch_shape=shape, dtype=dtype))
        except Exception:  # noqa: BLE001 - any Keras failure is an outcome
            return None
    weights = sum(math.prod(w.shape) for w in layer.weights)
    return tuple(output.shape), weights, layer.vocabulary_size()


def padlint_outcome(class_name: str, kwargs: dict, shape: tuple):
    spec = lookup(class_name)
    config = LayerConfig(spec, bind_arguments(spec, (), dict(kwargs)))
    try:
        spec.validate(config)
        result = spec.compute(config, CallInputs([shape]))
    except LayerError:
        return None
    return tuple(result.outputs[0]), result.trainable + result.non_trainable, spec.layer_method(config, "vocabulary_size", [], {})


@differential(120)
@given(st.sampled_from(["TextVectorization", "StringLookup", "IntegerLookup"]).flatmap(lookup_case))
def test_text_and_lookup_layers_match_keras(case):
    class_name, kwargs, shape, dtype = case
    expected = keras_outcome(class_name, kwargs, shape, dtype)
    actual = padlint_outcome(class_name, kwargs, shape)
    context = f"{class_name}(**{kwargs!r}) on {shape}"
    assert (actual is None) == (expected is None), f"{context}: Keras {'raised' if expected is None else expected}, padlint {'raised' if actual is None else actual}"
    assert actual == expected, f"{context}: padlint {actual} != Keras {expected}"


def test_adapt_makes_the_vocabulary_size_data():
    """After ``adapt(data)`` the vocabulary is the data's: unknown, except a padded size."""
    from tests.helpers import analyse_text

    analysis = analyse_text(
        "import keras\n"
        "from keras import layers\n"
        "vectorizer = layers.TextVectorization(max_tokens=100, output_mode='multi_hot')\n"
        "padded = layers.TextVectorization(max_tokens=100, output_mode='count', pad_to_max_tokens=True)\n"
        "vectorizer.adapt(texts)\n"
        "padded.adapt(texts)\n"
        "text = keras.Input(shape=(), dtype='string')\n"
        "model = keras.Model(text, [vectorizer(text), padded(text)])\n"
        "embedding = layers.Embedding(vectorizer.vocabulary_size(), 8)\n"
    )
    model = analysis.models[0]
    rows = {row.name: row for row in model.rows}
    assert rows["text_vectorization"].output_shapes is None
    assert rows["text_vectorization_1"].output_shapes == [(None, 100)]
