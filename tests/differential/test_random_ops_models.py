"""Whole-model differential test of keras.ops: random functional programs that use ops
between layers (tests/differential/ops_generator.py), padlint against Keras.

As in test_random_models.py, a fixed seed makes every run generate the same
programs (``PADLINT_RANDOM_SEED`` changes it, ``PADLINT_RANDOM_OPS_MODELS`` the
count, 60 by default to keep CI fast). Keras builds each model, and every
summary row and the totals must be equal, or Keras raises and padlint must have
found an error in the same model.
"""

from __future__ import annotations

import os
import random

import pytest

from tests.differential.batches import assert_batch_matches
from tests.differential.ops_generator import generate_ops_model
from tests.differential.test_random_models import check_program

SEED = int(os.environ.get("PADLINT_RANDOM_SEED", "20261124"))
COUNT = int(os.environ.get("PADLINT_RANDOM_OPS_MODELS", "60"))
BATCH = 30


def programs(batch: int) -> list[tuple[int, str]]:
    rng = random.Random(SEED + 11)
    generated = [(index, generate_ops_model(rng, index)) for index in range(COUNT)]
    return generated[batch * BATCH : (batch + 1) * BATCH]


@pytest.mark.parametrize("batch", range((COUNT + BATCH - 1) // BATCH))
def test_random_ops_models_match_keras(batch, tmp_path):
    assert_batch_matches(programs(batch), check_program, tmp_path, "models")


def test_ops_generator_is_deterministic_and_varied():
    rng, again = random.Random(3), random.Random(3)
    first = [generate_ops_model(rng, index) for index in range(40)]
    assert first == [generate_ops_model(again, index) for index in range(40)]
    text = "\n".join(first)
    for marker in ("ops.reshape", "ops.transpose", "ops.concatenate", "class Block", "ops.split"):
        assert marker in text
