"""``padlint diff``: the architecture change between a git revision and the working tree, on real
git repositories made here. The expected shapes and counts come from Keras itself: each version
of the model file is built with Keras and summarised row by row."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from padlint.cli import main
from padlint.diff import compare_rows
from tests.cli.conftest import write

BEFORE = '''\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])

classifier = models.Sequential([
    layers.Input(shape=(16,)),
    layers.Dense(8, name="hidden"),
    layers.Dense(2, name="logits"),
])
'''
#: A pull request: a layer added, a stride changed, a model renamed.
AFTER = (
    BEFORE.replace('    layers.Conv2D(64, 3, activation="relu"),', '    layers.BatchNormalization(),\n    layers.Conv2D(64, 3, strides=2, activation="relu"),')
    .replace("classifier = ", "head = ")
)


def git(folder: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PADLINT_CACHE_DIR", "PADLINT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.com")
    git(tmp_path, "config", "user.name", "test")
    git(tmp_path, "config", "commit.gpgsign", "false")
    write(tmp_path, {"models/cnn.py": BEFORE, "README.md": "not a model\n"})
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def padlint_diff(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(["diff", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def keras_models(source: str) -> dict[str, dict]:
    """Each model of ``source`` as Keras builds it: total parameters, and each layer's output shape and count."""
    import keras

    keras.utils.clear_session(free_memory=False)  # automatic names (conv2d_1) count from zero, as in a fresh run
    namespace: dict = {}
    exec(compile(source, "model.py", "exec"), namespace)  # our own test source, run by Keras as the oracle
    found = {}
    for name, value in namespace.items():
        if hasattr(value, "layers") and hasattr(value, "count_params"):
            found[name] = {
                "total": value.count_params(),
                "layers": {layer.name: ([None if d is None else int(d) for d in layer.output.shape], layer.count_params()) for layer in value.layers},
            }
    return found


def test_a_pull_request_like_change_gives_keras_deltas(repository, capsys):
    (repository / "models" / "cnn.py").write_text(AFTER)
    code, out, err = padlint_diff(capsys, "--output-format", "json")
    assert code == 0, err
    document = json.loads(out)
    old, new = keras_models(BEFORE), keras_models(AFTER)
    # by hand, from Keras' formulas: Conv2D (k*k*c_in + 1)*filters, Dense (n_in + 1)*units, BatchNormalization 4*c;
    # before: 320 + 18,496 + (12*12*64 + 1)*10 = 110,986; after: 320 + 128 + 18,496 + (6*6*64 + 1)*10 = 41,994
    assert (old["model"]["total"], new["model"]["total"]) == (110_986, 41_994)
    assert document["files"] == ["models/cnn.py"]
    by_name = {model["name"]: model for model in document["models"]}
    assert set(by_name) == {"model", "head"}
    # the renamed model: same layers, shown as a rename, not a removal and an addition
    assert (by_name["head"]["status"], by_name["head"]["old_name"], by_name["head"]["layers"]) == ("renamed", "classifier", [])
    assert by_name["head"]["total_params"] == {"old": old["classifier"]["total"], "new": new["head"]["total"], "delta": 0}
    changed = by_name["model"]
    assert changed["status"] == "changed"
    assert changed["total_params"] == {"old": old["model"]["total"], "new": new["model"]["total"], "delta": new["model"]["total"] - old["model"]["total"]}
    # every layer whose shape or count differs in Keras is listed, and only those; the new one as added
    expected = {}
    for layer, (shape, count) in new["model"]["layers"].items():
        before = old["model"]["layers"].get(layer)
        if before is None:
            expected[layer] = ("added", None, (shape, count))
        elif before != (shape, count):
            expected[layer] = ("changed", before, (shape, count))
    assert "batch_normalization" in expected and expected["batch_normalization"][0] == "added"
    listed = {
        row["name"]: (row["status"], (row["old"]["output_shape"], row["old"]["params"]) if row["old"] else None, (row["new"]["output_shape"], row["new"]["params"]))
        for row in changed["layers"]
    }
    assert listed == expected
    assert document["total_params"] == {"old": 110_986 + 154, "new": 41_994 + 154, "delta": -68_992}

    code, text, _ = padlint_diff(capsys)
    assert code == 0
    assert "models/cnn.py: model 'classifier' renamed to 'head', unchanged: 154 params" in text
    assert f"models/cnn.py: model 'model' changed: {old['model']['total']:,} -> {new['model']['total']:,} params ({new['model']['total'] - old['model']['total']:+,})" in text
    assert "  + batch_normalization (BatchNormalization): (None, 26, 26, 32), 128 params" in text
    assert "  ~ conv2d_1 (Conv2D): (None, 24, 24, 64) -> (None, 12, 12, 64)" in text
    code, markdown, _ = padlint_diff(capsys, "--output-format", "markdown")
    assert markdown.startswith("### padlint: architecture changes since HEAD (")
    assert "| \\+ | batch\\_normalization \\(BatchNormalization\\) | \\(None\\, 26\\, 26\\, 32\\) | 128 |" in markdown


def test_revision_and_paths(repository, capsys):
    write(repository, {"models/other.py": BEFORE.replace("classifier", "second")})
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "second")
    (repository / "models" / "cnn.py").write_text(AFTER)
    # against HEAD~1 other.py is new; limited to cnn.py it is not looked at
    _, everything, _ = padlint_diff(capsys, "--output-format", "json", "HEAD~1")
    assert {(model["path"], model["status"]) for model in json.loads(everything)["models"]} >= {("models/other.py", "added")}
    _, limited, _ = padlint_diff(capsys, "--output-format", "json", "HEAD~1", "models/cnn.py")
    assert {model["path"] for model in json.loads(limited)["models"]} == {"models/cnn.py"}
    _, no_revision, _ = padlint_diff(capsys, "--output-format", "json", "models/cnn.py")
    assert json.loads(no_revision)["base"]["revision"] == "HEAD"


def test_each_revision_is_resolved_once(repository, capsys, monkeypatch):
    from padlint.diff import Git

    resolved: list[str] = []
    run = Git.run

    def counting(self: Git, *arguments: str, what: str) -> bytes:
        if arguments[:2] == ("rev-parse", "--verify"):
            resolved.append(arguments[-1])
        return run(self, *arguments, what=what)

    monkeypatch.setattr(Git, "run", counting)
    (repository / "models" / "cnn.py").write_text(AFTER)
    for arguments, expected in ((["HEAD"], ["HEAD^{commit}"]), ([], ["HEAD^{commit}"]), (["models/cnn.py"], ["models/cnn.py^{commit}", "HEAD^{commit}"])):
        resolved.clear()
        assert padlint_diff(capsys, *arguments)[0] == 0
        assert resolved == expected, arguments


def test_moved_added_and_deleted_files(repository, capsys):
    git(repository, "mv", "models/cnn.py", "models/vision.py")
    write(repository, {"new.py": BEFORE.replace("classifier", "fresh")})  # untracked
    code, out, _ = padlint_diff(capsys, "--output-format", "json")
    assert code == 0
    models = {(model["path"], model["name"]): model for model in json.loads(out)["models"]}
    assert ("models/vision.py", "model") not in models  # moved unchanged: nothing to say
    assert models[("new.py", "fresh")]["status"] == "added" and models[("new.py", "model")]["status"] == "added"
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "moved")
    (repository / "models" / "vision.py").unlink()
    models = json.loads(padlint_diff(capsys, "--output-format", "json")[1])["models"]
    assert {(model["path"], model["name"], model["status"]) for model in models} == {("models/vision.py", "model", "removed"), ("models/vision.py", "classifier", "removed")}


def test_an_unparsable_working_tree_version_is_said_not_guessed(repository, capsys):
    """A working-tree version that does not parse: said, none of its models called removed, and
    not an error of the run (exit 0: as ``check`` makes it a finding, not an error)."""
    (repository / "models" / "cnn.py").write_text(BEFORE + "def broken(:\n")
    code, out, err = padlint_diff(capsys, "--output-format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["models"] == [] and document["errors"] == []
    assert [line.split(":")[:3] for line in document["not_compared"]] == [["padlint", " not compared", " models/cnn.py"]]
    assert "(at HEAD)" not in document["not_compared"][0]
    assert err.startswith("padlint: not compared: models/cnn.py:17:")


def test_an_unparsable_base_version_is_said_and_its_models_not_called_added(repository, capsys):
    """The revision's version of a file does not parse, the working tree's does: the diff runs
    (exit 0), says which version it could not compare, and calls none of the file's models added."""
    (repository / "models" / "cnn.py").write_text(BEFORE + "def broken(:\n")
    git(repository, "commit", "-q", "-am", "broken")
    (repository / "models" / "cnn.py").write_text(AFTER)
    write(repository, {"extra.py": BEFORE})
    code, out, err = padlint_diff(capsys, "--output-format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["errors"] == []
    assert len(document["not_compared"]) == 1 and "models/cnn.py:17:" in document["not_compared"][0] and "(at HEAD)" in document["not_compared"][0]
    assert {(model["path"], model["status"]) for model in document["models"]} == {("extra.py", "added")}
    # the totals cover the files compared: extra.py only (110,986 + 154, by hand as above)
    assert document["total_params"] == {"old": 0, "new": 110_986 + 154, "delta": 110_986 + 154}
    assert "models/cnn.py" in err and "(at HEAD)" in err
    _, markdown, _ = padlint_diff(capsys, "--output-format", "markdown")
    assert "Not compared:" in markdown and "models\\/cnn\\.py" in markdown
    assert err.startswith("padlint: not compared: models/cnn.py:")  # not an error: exit 0


def test_output_file(repository, capsys):
    (repository / "models" / "cnn.py").write_text(AFTER)
    target = repository / "out" / "diff.md"
    code, out, _ = padlint_diff(capsys, "HEAD", "--output-format", "markdown", "-o", str(target))
    assert code == 0 and out == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("### padlint: architecture changes since HEAD (")
    assert "| \\~ | conv2d\\_1 \\(Conv2D\\) | \\(None\\, 24\\, 24\\, 64\\) → \\(None\\, 12\\, 12\\, 64\\) | 18\\,496 |" in written


def test_bad_revisions_and_no_repository(repository, capsys, tmp_path_factory, monkeypatch):
    assert padlint_diff(capsys, "no-such-revision-anywhere")[0] == 0  # not a revision: a path (none changed)
    code, _, err = padlint_diff(capsys, "--", "-n")
    assert code == 0  # a leading dash is never given to git as an option
    (repository / "HEAD").mkdir()
    code, _, err = padlint_diff(capsys, "HEAD")
    assert code == 2 and "both a revision and a path" in err
    from padlint.config import ConfigError
    from padlint.diff import Git

    with pytest.raises(ConfigError):
        Git(repository).commit("--output=/tmp/x")
    monkeypatch.chdir(tmp_path_factory.mktemp("plain"))
    code, _, err = padlint_diff(capsys)
    assert code == 2 and "padlint: error: cannot find the repository" in err


def test_markdown_shows_hostile_names_literally(repository, capsys):
    hostile = BEFORE.replace('name="hidden"', 'name="[x](https://e.example)|<img src=x>\\n::error::y"')
    (repository / "models" / "cnn.py").write_text(hostile.replace("Dense(8,", "Dense(9,"))
    _, markdown, _ = padlint_diff(capsys, "--output-format", "markdown")
    row = next(line for line in markdown.splitlines() if "img" in line)
    assert "\\[x\\]\\(https\\:\\/\\/e\\.example\\)\\|\\<img src\\=x\\>\\\\n\\:\\:error\\:\\:y" in row
    assert row.count(" | ") == 3  # no cell was split by the name's |
    assert "\n::" not in markdown


def test_automatic_names_follow_a_layer_inserted_before_them():
    """Keras renumbers conv2d_1 -> conv2d_2 when a Conv2D is inserted before: matched by class and
    position, the rows whose numbers alone changed are not reported."""
    def row(name, klass, shape, params):
        return {"name": name, "class": klass, "output_shape": shape, "params": params, "trainable_params": params, "non_trainable_params": 0}

    old = [row("dropout", "Dropout", [None, 8], 0), row("dense", "Dense", [None, 4], 36)]
    new = [row("dense", "Dense", [None, 8], 72), row("dropout", "Dropout", [None, 8], 0), row("dense_1", "Dense", [None, 4], 36)]
    changes = compare_rows(old, new)
    assert [(change.status, change.name) for change in changes] == [("added", "dense")]


def test_an_internal_error_is_an_error_of_the_run(repository, capsys, monkeypatch):
    """padlint's own bug while analysing a version: exit 2, said with padlint's version, nothing compared."""
    import padlint.analysis

    def broken(*arguments, **keywords):
        raise RuntimeError("boom")

    monkeypatch.setattr(padlint.analysis, "analyse_source", broken)
    (repository / "models" / "cnn.py").write_text(AFTER)
    code, out, err = padlint_diff(capsys, "--output-format", "json")
    assert code == 2
    document = json.loads(out)
    assert document["models"] == [] and document["not_compared"] == []
    assert len(document["errors"]) == 2 and all("padlint: internal error in models/cnn.py" in error and "boom" in error for error in document["errors"])
    assert "(at HEAD)" in document["errors"][0] and "please report it" in err
