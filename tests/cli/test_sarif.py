"""``--output-format sarif``: valid SARIF 2.1.0 (the official schema), with what GitHub code scanning needs."""

from __future__ import annotations

import json

import pytest

from padlint import __version__
from padlint.catalogue import rule_by_code
from tests.cli.models import SHRINK
from tests.helpers import SHARED

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
    assert result["properties"] == {"cell": 5, "cellLine": 4, "cellColumn": 5}
    assert result["message"]["text"].startswith("cell 5, line 4: ")


def test_empty_run_validates(validator, padlint, tmp_path):
    (tmp_path / "clean.py").write_text("x = 1\n")
    result = padlint("--output-format", "sarif", ".", cwd=tmp_path)
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["runs"][0]["results"] == [] and document["runs"][0]["tool"]["driver"]["rules"] == []
    assert not list(validator.iter_errors(document))


def test_what_github_code_scanning_reads(sarif, tree):
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("padlint", __version__)
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == sorted({result["ruleId"] for result in run["results"]})
    for rule in rules:
        documented = rule_by_code(rule["id"])
        assert rule["name"] == documented.name
        assert rule["shortDescription"]["text"] == documented.summary()
        assert " ".join(rule["fullDescription"]["text"].split()) in " ".join(documented.documentation().split())
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        assert rule["help"] == {"text": documented.documentation(), "markdown": documented.documentation()}
        assert rule["helpUri"].startswith("https://") and "docs/rules.md#" + rule["id"].lower() in rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
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


def test_paths_outside_the_repository_are_absolute_uris(padlint, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "outside.py").write_text(SHRINK)
    result = json.loads(padlint("--output-format", "sarif", "../outside.py", cwd=tmp_path / "repo").stdout)
    location = result["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "outside.py").resolve().as_uri()}
