"""Whole-model differential test of custom layers and subclassed models: random
programs (tests/differential/custom_layer_generator.py), padlint against Keras.

Every generated program runs in Keras; for each module-level model, padlint's
rows (for a subclassed model: the table Keras prints, "?" and "0 (unbuilt)"
included), totals and names must equal Keras'. A fixed seed makes each run
generate the same programs (``PADLINT_RANDOM_SEED``/``PADLINT_CUSTOM_PROGRAMS``
change the seed and count).
"""

from __future__ import annotations

import os
import random

import pytest

from tests.differential.batches import assert_batch_matches
from tests.differential.custom_layer_generator import generate_program
from tests.helpers import analyse_file
from tests.keras_models import assert_rows_match, keras_models_of

SEED = int(os.environ.get("PADLINT_RANDOM_SEED", "20261124"))
COUNT = int(os.environ.get("PADLINT_CUSTOM_PROGRAMS", "40"))
BATCH = 20



def programs(batch: int) -> list[tuple[int, str]]:
    rng = random.Random(SEED + 1)
    generated = [(index, generate_program(rng, index)) for index in range(COUNT)]
    return generated[batch * BATCH : (batch + 1) * BATCH]


def check_program(index: int, text: str, tmp_path) -> None:
    path = tmp_path / f"program_{index}.py"
    path.write_text(text)
    expected = keras_models_of(path)
    assert expected, f"program {index} builds no model:\n{text}"
    analysis = analyse_file(path)
    assert not analysis.internal_errors, analysis.internal_errors
    summaries = {summary.name: summary for summary in analysis.models}
    for variable, keras_model in expected.items():
        assert variable in summaries, f"program {index}: padlint did not find {variable!r} (found {sorted(summaries)})\n{text}"
        summary = summaries[variable]
        assert_rows_match(summary, keras_model, f"program {index}: model {variable!r}\n{text}\n")
        assert summary.complete, f"program {index}: model {variable!r} incomplete: {summary.notes}\n{text}"


@pytest.mark.parametrize("batch", range((COUNT + BATCH - 1) // BATCH))
def test_random_custom_layer_programs_match_keras(batch, tmp_path):
    assert_batch_matches(programs(batch), check_program, tmp_path, "programs")


def test_generator_is_deterministic_and_varied():
    first = generate_program(random.Random(3), 0)
    assert first == generate_program(random.Random(3), 0)
    texts = [generate_program(random.Random(seed), seed) for seed in range(80)]
    joined = "\n".join(texts)
    for feature in ("add_weight", "keras.Sequential", "compute_output_shape", "class Net(keras.Model)", ".build(", "keras.random.normal", "trainable=False"):
        assert feature in joined, feature
