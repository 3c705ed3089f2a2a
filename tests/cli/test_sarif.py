"""``--output-format sarif``: valid SARIF 2.1.0 (the official schema), with what GitHub code scanning needs.

GitHub's list ("SARIF support for code scanning", docs.github.com) marks as required:
the log's ``$schema``, ``version`` and ``runs``; each run's ``tool.driver`` with its
``name`` and ``rules``, and ``results``; each rule's ``id``, ``shortDescription.text``,
``fullDescription.text`` and ``help.text``; each result's ``ruleId``, ``message.text``,
``locations`` (one is used) and ``partialFingerprints``; each location's
``artifactLocation.uri`` (relative to the repository root) and ``region.startLine``.
Related locations are shown where the message links them (``[text](id)``).
"""

from __future__ import annotations

import json
import re

import pytest

from padlint import __version__
from padlint.catalogue import all_rules, rule_by_code
from tests.cli.conftest import write
from tests.cli.models import SHRINK
from tests.helpers import SHARED

DEFAULT_RULES = [rule.code for rule in all_rules() if rule.default]

SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.is_file():
        pytest.skip(f"the official SARIF schema is not at {SCHEMA} (../shared/schemas beside the checkout; CI has it)")
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture
def sarif(padlint, tree) -> dict:
    (tree / ".git").mkdir()  # the repository root that URIs are relative to
    result = padlint("--output-format", "sarif", ".", cwd=tree / "models")
    assert result.code == 1, result.stderr
    return json.loads(result.stdout)


def test_validates_against_the_official_schema(validator, sarif):
    errors = sorted(validator.iter_errors(sarif), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:10])


def test_validates_with_notebooks_and_broken_files(validator, padlint, tree):
    document = json.loads(padlint("--output-format", "sarif", ".", cwd=tree).stdout)
    assert not list(validator.iter_errors(document))
    notebook = [result for result in document["runs"][0]["results"] if result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("pooling.ipynb")]
    [result] = notebook
    region = result["locations"][0]["physicalLocation"]["region"]
    raw_lines = (tree / "notebooks" / "pooling.ipynb").read_text().splitlines()
    assert 'layers.MaxPooling2D(2, padding=\\"Valid\\")' in raw_lines[region["startLine"] - 1]
    # the columns are those of the .ipynb line: they mark the call inside the JSON string, escapes and all
    assert region["endLine"] == region["startLine"]
    marked = raw_lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1]
    assert marked == 'layers.MaxPooling2D(2, padding=\\"Valid\\")'
    assert result["properties"] == {"cell": 5, "cellLine": 4, "cellColumn": 5}
    assert result["message"]["text"].startswith("cell 5, line 4: ")


def test_empty_run_validates(validator, padlint, tmp_path):
    (tmp_path / "clean.py").write_text("x = 1\n")
    result = padlint("--output-format", "sarif", ".", cwd=tmp_path)
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["runs"][0]["results"] == []
    assert [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]] == DEFAULT_RULES  # the rules that ran
    assert not list(validator.iter_errors(document))


def test_what_github_code_scanning_reads(sarif, tree):
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("padlint", __version__)
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == DEFAULT_RULES  # every rule that ran, not only those that fired
    assert {result["ruleId"] for result in run["results"]} < set(DEFAULT_RULES)
    assert sarif["$schema"] and run["results"]
    for rule in rules:
        documented = rule_by_code(rule["id"])
        assert rule["name"] == documented.name
        assert rule["shortDescription"]["text"] == documented.summary()
        assert " ".join(rule["fullDescription"]["text"].split()) in " ".join(documented.documentation().split())
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        assert rule["help"] == {"text": documented.documentation(), "markdown": documented.documentation()}
        assert rule["helpUri"].startswith("https://") and "docs/rules.md#" + rule["id"].lower() in rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.resolve().as_uri() + "/"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == rules[result["ruleIndex"]]["defaultConfiguration"]["level"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = location["artifactLocation"]["uri"]
        assert uri.startswith("models/") and (tree / uri).is_file()  # relative to the repository, not the current folder
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endColumn"] >= region["startColumn"]
        assert result["message"]["text"]
        assert len(result["locations"]) == 1
        assert re.fullmatch(r"[0-9a-f]{16}:[1-9][0-9]*", result["partialFingerprints"]["primaryLocationLineHash"])
    hashes = [result["partialFingerprints"]["primaryLocationLineHash"] for result in run["results"]]
    assert len(set(hashes)) == len(hashes)


def _sarif(padlint, folder, *options: str) -> dict:
    result = padlint("--output-format", "sarif", *options, ".", cwd=folder)
    assert result.code in (0, 1), result.stderr
    return json.loads(result.stdout)


def _results(document: dict) -> list[dict]:
    return document["runs"][0]["results"]


def test_rules_listed_are_the_selected_ones(padlint, tree):
    (tree / ".git").mkdir()
    document = _sarif(padlint, tree / "models", "--select", "PAD2", "--extend-select", "PAD209")
    listed = [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]]
    assert listed == sorted([code for code in DEFAULT_RULES if code.startswith("PAD2")] + ["PAD209"])
    assert all(rule["id"] == result["ruleId"] for result in _results(document) for rule in [document["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]])


def test_fingerprints_survive_lines_added_above_and_reindentation(padlint, tmp_path):
    """The same finding keeps its fingerprint when the file moves around it; two findings on lines of
    the same text are told apart by their occurrence (GitHub's ``hash:N``)."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"m.py": SHRINK})
    before = {result["ruleId"]: result["partialFingerprints"]["primaryLocationLineHash"] for result in _results(_sarif(padlint, tmp_path))}
    assert before
    moved = "import os\n\n\n" + SHRINK.replace("model = Sequential([", "if True:\n    model = Sequential([").replace("\n    Conv2D", "\n        Conv2D")
    write(tmp_path, {"m.py": moved})
    after = _results(_sarif(padlint, tmp_path))
    assert {result["ruleId"]: result["partialFingerprints"]["primaryLocationLineHash"] for result in after} == before
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 7  # it did move
    write(tmp_path, {"m.py": SHRINK + "\nother = Sequential([\n" + SHRINK.split("Sequential([\n", 1)[1]})
    twice = [result["partialFingerprints"]["primaryLocationLineHash"] for result in _results(_sarif(padlint, tmp_path)) if result["ruleId"] == "PAD201"]
    assert len(twice) == 2 and twice[0].split(":")[0] == twice[1].split(":")[0] and [h.split(":")[1] for h in twice] == ["1", "2"]


def test_related_locations_are_the_other_layers_and_linked_from_the_message(validator, padlint, tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"m.py": SHRINK})
    document = _sarif(padlint, tmp_path)
    assert not list(validator.iter_errors(document))
    [result] = [result for result in _results(document) if result["ruleId"] == "PAD201"]
    related = result["relatedLocations"]
    # SHRINK's run: the convolutions of lines 5 and 6 lead to the reported one at line 7
    assert [place["physicalLocation"]["region"]["startLine"] for place in related] == [5, 6]
    assert [place["id"] for place in related] == [1, 2]
    assert all(place["physicalLocation"]["artifactLocation"]["uri"] == "m.py" and place["message"]["text"] for place in related)
    assert result["message"]["text"].endswith("(related: [line 5](1), [line 6](2))")
    lines = SHRINK.splitlines()
    region = related[0]["physicalLocation"]["region"]
    assert lines[4][region["startColumn"] - 1 : region["endColumn"] - 1].startswith("Conv2D(32")


def test_brackets_of_a_message_with_links_are_escaped():
    from padlint.reporters.sarif import escape_brackets

    assert escape_brackets("a [in 3 calls of f, the first shown]") == "a \\[in 3 calls of f, the first shown\\]"


def test_paths_outside_the_repository_are_absolute_uris(padlint, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "outside.py").write_text(SHRINK)
    result = json.loads(padlint("--output-format", "sarif", "../outside.py", cwd=tmp_path / "repo").stdout)
    location = result["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "outside.py").resolve().as_uri()}
