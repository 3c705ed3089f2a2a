"""Whole-model differential test: random model programs, padlint against Keras.

A fixed seed makes every run generate the same programs, so a failure names a
model index that reproduces (``PADLINT_RANDOM_SEED``/``PADLINT_RANDOM_MODELS``
change the seed and count for longer runs). For each program Keras either
builds the model — then every summary row (name, class, output shape,
parameter count) and the totals must be equal — or raises, and then padlint
must have found an error in the same model.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.differential.batches import assert_batch_matches
from tests.differential.model_generator import generate_model
from tests.helpers import analyse_text
from tests.keras_models import keras_models_of, padlint_rows

SEED = int(os.environ.get("PADLINT_RANDOM_SEED", "20261124"))
COUNT = int(os.environ.get("PADLINT_RANDOM_MODELS", "500"))
BATCH = 50


def programs(batch: int) -> list[tuple[int, str]]:
    rng = random.Random(SEED)
    generated = [(index, generate_model(rng, index)) for index in range(COUNT)]
    return generated[batch * BATCH : (batch + 1) * BATCH]


def padlint_found_an_error(text: str) -> bool:
    analysis = analyse_text(text)
    return any(
        call.error is not None or row.construction_error is not None
        for model in analysis.models
        for row in model.rows
        for call in ([row.call] if row.call is not None else [])
    ) or any(call.error is not None for model in analysis.models for call in model.calls)


def check_program(index: int, text: str, tmp_path) -> None:
    path = tmp_path / f"model_{index}.py"
    path.write_text(text)
    try:
        expected = keras_models_of(path)["model"]
    except Exception as error:  # noqa: BLE001 - Keras rejecting the model is an outcome to compare
        assert padlint_found_an_error(text), f"model {index}: Keras raised {type(error).__name__}: {error}\npadlint found no error in:\n{text}"
        return
    analysis = analyse_text(text, path=str(path))
    assert not analysis.internal_errors, analysis.internal_errors
    summaries = {summary.name: summary for summary in analysis.models}
    assert "model" in summaries, f"model {index}: padlint found {sorted(summaries)}\n{text}"
    summary = summaries["model"]
    actual = [row.key() for row in padlint_rows(summary)]
    wanted = [row.key() for row in expected.rows]
    assert actual == wanted, f"model {index}:\n{text}\npadlint {actual}\nkeras   {wanted}"
    assert (summary.weights.trainable, summary.weights.non_trainable) == (expected.trainable, expected.non_trainable), f"model {index} totals\n{text}"
    assert summary.keras_name == expected.name, f"model {index}: name {summary.keras_name} != {expected.name}\n{text}"


@pytest.mark.parametrize("batch", range((COUNT + BATCH - 1) // BATCH))
def test_random_models_match_keras(batch, tmp_path):
    assert_batch_matches(programs(batch), check_program, tmp_path, "models")


def test_generator_is_deterministic():
    first = generate_model(random.Random(7), 0)
    assert first == generate_model(random.Random(7), 0)
    assert "model" in first
