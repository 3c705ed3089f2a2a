"""Precision: padlint reports nothing on clean code, and exactly the seed findings.

A linter that cries wolf is uninstalled within a day. Every realistic model of
fixtures/models (VGG16, ResNet50, the CIFAR ResNet-20, U-Nets, text and
sequence models, and the engine's idiom fixtures) and the clean models of the
seed documents must give no finding at all. A true positive in a model fixture
is suppressed there with ``# noqa: PADnnn`` (VGG16's fc1 holds 74% of the
parameters: PAD301), so that the suppression is visible and reviewed; when a
model fixture is reported, the failure lists every finding with its message.

The second half checks the findings SPEC section 6 expects on the seed
documents, with the numbers their messages must carry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from padlint.analysis import FileAnalysis, ModelSummary
from padlint.checker import check_analysis
from padlint.findings import Finding
from tests.helpers import FIXTURES, analyse_file, analyse_text

SEEDS = FIXTURES / "seeds"
MODEL_FIXTURES = sorted((FIXTURES / "models").glob("*.py"))
CLEAN_SEED_FILES = ["seed_003_alexnet_zero_padding.py", "seed_004_same.py", "seed_004_valid_6x6.py"]


def run(path: Path) -> tuple[FileAnalysis, list[Finding]]:
    analysis = analyse_file(path)
    findings = check_analysis(analysis)
    rule_failures = [error for error in analysis.internal_errors if error.startswith("rule ")]
    assert not rule_failures, f"{path.name}: a rule failed: {rule_failures}"
    return analysis, findings


def listing(path: Path, findings: list[Finding]) -> str:
    return "\n".join(f"  {path.name}:{f.line}:{f.column}: {f.code} {f.message}\n      fix: {f.fix}" for f in findings)


def model_lines(model: ModelSummary) -> set[int]:
    """The lines of a model's own layers (and of its Sequential/Model call)."""
    lines: set[int] = set()
    for span in [model.span, *(row.span for row in model.rows)]:
        if span is not None:
            lines.update(range(span[0], span[2] + 1))
    return lines


def in_model(findings: list[Finding], model: ModelSummary) -> list[Finding]:
    lines = model_lines(model)
    return [finding for finding in findings if finding.line in lines]


def codes(findings: list[Finding]) -> list[str]:
    return sorted(finding.code for finding in findings)


# ------------------------------------------------------------ clean fixtures


def test_model_fixtures_exist():
    assert len(MODEL_FIXTURES) >= 5, "fixtures/models holds the realistic clean models"


@pytest.mark.parametrize("path", MODEL_FIXTURES, ids=lambda path: path.stem)
def test_model_fixture_is_clean(path: Path):
    _, findings = run(path)
    assert not findings, f"{len(findings)} finding(s) on a clean model fixture:\n{listing(path, findings)}"


@pytest.mark.parametrize("name", CLEAN_SEED_FILES)
def test_clean_seed_file(name: str):
    path = SEEDS / name
    _, findings = run(path)
    assert not findings, f"{len(findings)} finding(s) on a clean seed:\n{listing(path, findings)}"


def test_seed_000_same_model_is_clean():
    path = SEEDS / "seed_000_zero_padding.py"
    analysis, findings = run(path)
    same = next(model for model in analysis.models if model.name == "model_same")
    assert not in_model(findings, same), listing(path, in_model(findings, same))


# ----------------------------------------------------- SPEC section 6, seeds


def test_seed_000_valid_model_gives_pad201_once():
    path = SEEDS / "seed_000_zero_padding.py"
    analysis, findings = run(path)
    valid = next(model for model in analysis.models if model.name == "model_valid")
    assert codes(findings) == ["PAD201"], listing(path, findings)
    [finding] = findings
    assert finding.line in model_lines(valid)
    assert "3 'valid' convolutions shrink 20x20 to 8x8 (-60.0%" in finding.message
    assert "padding='same'" in finding.fix


def test_seed_001_valid_model_gives_pad301_and_no_pad201():
    path = SEEDS / "seed_001_valid.py"
    _, findings = run(path)
    assert codes(findings) == ["PAD301"], listing(path, findings)
    [finding] = findings
    assert "15,859,968 of 15,955,210" in finding.message
    assert "99.4%" in finding.message
    assert "GlobalAveragePooling2D" in finding.fix and "33,024" in finding.fix


def test_seed_001_same_model_gives_pad301():
    path = SEEDS / "seed_001_same.py"
    _, findings = run(path)
    assert codes(findings) == ["PAD301"], listing(path, findings)
    assert "25,690,368 of 25,785,610" in findings[0].message


def test_seed_002_valid_and_same_give_pad301_strided_nothing():
    path = SEEDS / "seed_002_padding_and_stride.py"
    analysis, findings = run(path)
    valid, same, strided = analysis.models
    assert codes(in_model(findings, valid)) == ["PAD301"]
    assert "1,982,592 of 2,002,698" in in_model(findings, valid)[0].message
    assert codes(in_model(findings, same)) == ["PAD301"]
    assert "3,211,392 of 3,231,498" in in_model(findings, same)[0].message
    assert in_model(findings, strided) == [], listing(path, in_model(findings, strided))
    assert strided.rows[-2].params == 65_664  # its Dense after Flatten: far below PAD301's 1,000,000
    assert len(findings) == 2, listing(path, findings)


@pytest.mark.parametrize("name", ["seed_003_alexnet_list_padding.py", "seed_003_alexnet_tuple_padding.py"])
def test_seed_003_explicit_padding_gives_pad102(name: str):
    path = SEEDS / name
    _, findings = run(path)
    assert codes(findings) == ["PAD102"], listing(path, findings)
    [finding] = findings
    assert "conv2d_1 (Conv2D, line" in finding.message
    assert "ZeroPadding2D(padding=2)" in finding.fix
    assert "padding='same'" in finding.fix and "equivalent here" in finding.fix


def test_seed_004_valid_gives_pad203():
    path = SEEDS / "seed_004_valid.py"
    analysis, findings = run(path)
    assert [tuple(shape) for shape in analysis.models[0].outputs] == [(None, 2, 2, 24)]
    assert codes(findings) == ["PAD203"], listing(path, findings)
    [finding] = findings
    assert "over 5 rows reads rows 1-4; row 5 never read" in finding.message
    assert "column 5 never read" in finding.message
    assert "output 3x3" in finding.fix


def test_seed_004_same_gives_nothing():
    path = SEEDS / "seed_004_same.py"
    analysis, findings = run(path)
    assert [tuple(shape) for shape in analysis.models[0].outputs] == [(None, 3, 3, 24)]
    assert findings == [], listing(path, findings)


# ------------------------------------------------- what every finding carries


RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.py"))


@pytest.mark.parametrize("path", RULE_FIXTURES, ids=lambda path: path.stem)
def test_findings_name_the_layer_line_and_fix(path: Path):
    """Every message says where (the layer and its line) and every finding offers a fix."""
    _, findings = run(path)
    for finding in findings:
        assert finding.fix, f"{finding.code} at line {finding.line}: no fix suggestion"
        assert f"line {finding.line}" in finding.message, f"{finding.code}: the message does not name line {finding.line}: {finding.message}"


# ------------------------------------------------------- known false positives


def test_pad203_leaves_strided_pointwise_projections_alone():
    """A 1x1 stride-2 'valid' projection shortcut (keras.applications ResNet50) skips every
    other row by design; "row 56 never read" is not a dropped border."""
    text = """\
import keras
from keras import layers

inputs = keras.Input(shape=(56, 56, 256))
main = layers.Conv2D(512, 1, strides=2)(inputs)
main = layers.Conv2D(512, 3, padding="same")(main)
shortcut = layers.Conv2D(512, 1, strides=2)(inputs)
model = keras.Model(inputs, layers.add([main, shortcut]))
"""
    findings = check_analysis(analyse_text(text))
    assert findings == [], [f"{f.line}: {f.code} {f.message}" for f in findings]


# ------------------------------------------------- the corpus of stock architectures


PRECISION = FIXTURES / "precision"
CORPUS = sorted(PRECISION.glob("*.py"))
REVIEWED = PRECISION / "reviewed.toml"


def reviewed_findings() -> dict[tuple[str, int, str], str]:
    """(file, line, code) -> why an expert keeps it."""
    import tomllib

    entries = tomllib.loads(REVIEWED.read_text())["finding"]
    reviewed = {(entry["file"], entry["line"], entry["code"]): entry["why"] for entry in entries}
    assert len(reviewed) == len(entries), "reviewed.toml lists a finding twice"
    return reviewed


def test_corpus_is_large_and_every_review_is_justified():
    models = sum(len(analyse_file(path).models) for path in CORPUS)
    assert len(CORPUS) >= 30 and models >= 30, f"{len(CORPUS)} files, {models} models"
    for key, why in reviewed_findings().items():
        assert len(why.split()) >= 8, f"{key}: a justification is a sentence an expert would accept, not a word"
        assert (PRECISION / key[0]).exists(), f"{key}: no such corpus file"


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.stem)
def test_corpus_gives_only_reviewed_findings(path: Path):
    """The default rules report on a stock architecture only what an expert reviewed and kept."""
    _, findings = run(path)
    reviewed = {key for key in reviewed_findings() if key[0] == path.name}
    found = {(path.name, finding.line, finding.code) for finding in findings}
    unreviewed = [finding for finding in findings if (path.name, finding.line, finding.code) not in reviewed]
    assert not unreviewed, f"finding(s) not in fixtures/precision/reviewed.toml:\n{listing(path, unreviewed)}"
    assert reviewed <= found, f"reviewed.toml lists findings padlint no longer gives: {sorted(reviewed - found)}"


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.stem)
def test_corpus_is_real_keras(path: Path):
    """Keras builds every model of the corpus, and padlint's summary equals Keras' row for row."""
    from tests.keras_models import assert_same_models

    assert_same_models(path)


def test_pedantic_remainder_stays_available():
    """What the default rules leave out on the corpus is still there, by the opt-in codes:
    the 11 -> 5 pooling of the MNIST convnet (PAD208), LeNet's 14 -> 10 convolution (PAD209),
    Xception's unpadded stem and the CIFAR example's per-stage pattern (PAD210)."""
    from padlint.settings import Settings

    opt_in = Settings(select=("PAD208", "PAD209", "PAD210"))
    expected = {
        "mnist_convnet.py": {(12, "PAD208")},
        "lenet5.py": {(12, "PAD209")},
        "xception.py": {(26, "PAD210")},
        "cifar10_convnet.py": {(11, "PAD210"), (17, "PAD210"), (19, "PAD208")},
        "conv_autoencoder.py": {(22, "PAD210")},
    }
    for name, wanted in expected.items():
        found = {(finding.line, finding.code) for finding in check_analysis(analyse_file(PRECISION / name), opt_in)}
        assert wanted <= found, f"{name}: {sorted(found)}"


CALIBRATION = sorted((FIXTURES / "rules").glob("pad20*_calibration.py"))


@pytest.mark.parametrize("path", CALIBRATION, ids=lambda path: path.stem)
def test_calibration_fixtures_are_real_keras(path: Path):
    """The fixtures that show both sides of each calibrated rule (fixtures/rules/pad20*_calibration.py)
    are models Keras builds, with padlint's rows."""
    from tests.keras_models import assert_same_models

    assert_same_models(path)
