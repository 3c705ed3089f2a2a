"""Snapshots of every output format on the same fixture tree (fixtures/cli/tree).

The expected outputs live in tests/cli/snapshots/ and were read line by line:
positions, carets, notebook cells, escaping. When an output changes on
purpose, regenerate them and read the diff before committing:

    PADLINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/cli/test_formats.py

Only what differs between machines is normalised: the tree's absolute path
(SARIF's ``%SRCROOT%``), padlint's version, and the rule documentation inside
SARIF (test_sarif.py checks it against ``Rule.documentation()``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from padlint import __version__
from tests.cli.conftest import clean_environment

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = bool(os.environ.get("PADLINT_UPDATE_SNAPSHOTS"))

CASES = {
    "full": ["--output-format", "full"],
    "full-colour": ["--output-format", "full"],
    "concise": ["--output-format", "concise"],
    "grouped": ["--output-format", "grouped"],
    "pylint": ["--output-format", "pylint"],
    "json": ["--output-format", "json"],
    "json-lines": ["--output-format", "json-lines"],
    "github": ["--output-format", "github"],
    "sarif": ["--output-format", "sarif"],
    "gitlab": ["--output-format", "gitlab"],
    "junit": ["--output-format", "junit"],
    "statistics": ["--statistics"],
    "diff": ["--diff"],
}


def normalise(name: str, text: str, root: Path) -> str:
    if name == "sarif":
        document = json.loads(text)
        run = document["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///ROOT/"
        for rule in run["tool"]["driver"]["rules"]:
            rule["shortDescription"]["text"] = f"<summary of {rule['id']}>"
            rule["fullDescription"]["text"] = f"<'What it does' of {rule['id']}>"
            rule["help"] = {"text": f"<documentation of {rule['id']}>", "markdown": f"<documentation of {rule['id']}>"}
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text = text.replace(f'"{__version__}"', '"<version>"')
    return re.sub(re.escape(str(root.resolve())) + "|" + re.escape(str(root)), "<ROOT>", text)


@pytest.mark.parametrize("name", list(CASES))
def test_output_format_snapshot(padlint, tree, name):
    env = clean_environment(FORCE_COLOR="1") if name == "full-colour" else None
    result = padlint(*CASES[name], ".", cwd=tree, env=env)
    assert result.code == 1, result.stderr
    actual = normalise(name, result.stdout, tree)
    snapshot = SNAPSHOTS / f"{name}.txt"
    if UPDATE or not snapshot.exists():
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(actual)
        if not UPDATE:
            pytest.fail(f"wrote a new snapshot {snapshot.name}: read it, then run again")
    assert actual == snapshot.read_text(), f"{name} output changed; if on purpose: PADLINT_UPDATE_SNAPSHOTS=1 python -m pytest {Path(__file__).name}"


def test_formats_list_the_same_findings(padlint, tree):
    """Every format carries the same findings, in the same order."""
    concise = [line.split(": ")[0] for line in padlint("--output-format", "concise", "-q", ".", cwd=tree).lines]
    items = json.loads(padlint("--output-format", "json", ".", cwd=tree).stdout)
    as_json = [f"{item['path']}:" + (f"cell {item['cell']}:" if item["cell"] else "") + f"{item['line']}:{item['column']}" for item in items]
    assert as_json == concise
    lines = [json.loads(line) for line in padlint("--output-format", "json-lines", ".", cwd=tree).lines]
    assert lines == items
    sarif = json.loads(padlint("--output-format", "sarif", ".", cwd=tree).stdout)["runs"][0]["results"]
    assert [result["ruleId"] for result in sarif] == [item["code"] for item in items]
    github = padlint("--output-format", "github", ".", cwd=tree).lines
    assert sorted(line.split(",title=")[1].split(" ")[0] for line in github) == sorted(item["code"] for item in items)
