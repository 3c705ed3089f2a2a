"""``--output-format gitlab`` (GitLab Code Quality) and ``junit`` (JUnit XML as ruff writes it).

The hostile tree of the injection tests (names holding newlines, workflow commands, escape
sequences, a lone surrogate, a C1 byte in a file name) is reused: both formats must still parse
and carry no raw control character.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest

from padlint.cli import main
from tests.cli.conftest import write
from tests.cli.models import BAD_PADDING, CLEAN, SHRINK
from tests.robustness.test_injection import PAYLOAD_TEXT, RAW_CONTROL, hostile  # noqa: F401 - the fixture

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _run(capsys, *arguments: str) -> tuple[int, str]:
    code = main(["check", "--no-cache", "-j1", *arguments])
    return code, capsys.readouterr().out


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return write(tmp_path, {"src/shrink.py": SHRINK, "src/padding.py": BAD_PADDING, "src/clean.py": CLEAN})


def test_gitlab_issues_have_what_gitlab_requires(project, capsys, monkeypatch):
    code, out = _run(capsys, "--output-format", "gitlab", "src")
    assert code == 1
    issues = json.loads(out)
    assert {issue["check_name"] for issue in issues} == {"PAD201", "PAD102"}
    for issue in issues:
        assert issue["description"].startswith(issue["check_name"] + ": ")
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"].startswith("src/") and (project / issue["location"]["path"]).is_file()
        assert type(issue["location"]["lines"]["begin"]) is int and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    by_code = {issue["check_name"]: issue for issue in issues}
    assert by_code["PAD102"]["severity"] == "critical" and by_code["PAD201"]["severity"] == "major"
    # paths are relative to the repository root, wherever padlint runs
    monkeypatch.chdir(project / "src")
    assert json.loads(_run(capsys, "--output-format", "gitlab", ".")[1]) == issues


def test_gitlab_fingerprints_are_stable_across_runs_and_moves(project, capsys):
    before = {issue["check_name"]: issue["fingerprint"] for issue in json.loads(_run(capsys, "--output-format", "gitlab", "src")[1])}
    (project / "src" / "shrink.py").write_text("# a comment\n\n" + SHRINK)
    after = {issue["check_name"]: issue["fingerprint"] for issue in json.loads(_run(capsys, "--output-format", "gitlab", "src")[1])}
    assert after == before


def test_junit_is_laid_out_as_ruffs(project, capsys):
    code, out = _run(capsys, "--output-format", "junit", "src")
    assert code == 1
    root = ElementTree.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("name") == "padlint"
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["src/padding.py", "src/shrink.py"]
    assert root.get("tests") == root.get("failures") == str(sum(int(suite.get("tests")) for suite in suites))
    [case] = suites[1].findall("testcase")
    assert (case.get("name"), case.get("classname"), case.get("line"), case.get("column")) == ("org.padlint.PAD201", "src/shrink", "7", "5")
    failure = case.find("failure")
    assert failure.get("message").startswith("3 'valid' convolutions shrink 20x20 to 8x8")
    assert failure.text == f"line 7, col 5, {failure.get('message')}"
    assert all(suite.get("package") == "org.padlint" for suite in suites)


def test_junit_without_findings_is_one_passing_case(project, capsys):
    code, out = _run(capsys, "--output-format", "junit", "src/clean.py")
    assert code == 0
    root = ElementTree.fromstring(out)
    [suite] = root.findall("testsuite")
    [case] = suite.findall("testcase")
    assert (root.get("failures"), suite.get("name"), case.get("name"), case.find("failure")) == ("0", "padlint", "No errors found", None)


@pytest.mark.parametrize("output_format", ["gitlab", "junit"])
def test_hostile_names_are_escaped_and_the_output_parses(hostile, capsys, output_format):  # noqa: F811 - the fixture
    code, out = _run(capsys, "--output-format", output_format, ".")
    assert code == 1
    out.encode("utf-8")  # strict: no lone surrogate
    assert RAW_CONTROL.search(out) is None
    if output_format == "gitlab":
        issues = json.loads(out)
        assert any(PAYLOAD_TEXT in issue["description"] for issue in issues)  # exactly, once decoded
    else:
        root = ElementTree.fromstring(out.encode("utf-8"))
        messages = [failure.get("message") for failure in root.iter("failure")]
        assert any("\\n::error file=pwned.py,line=1::INJECTED\\x1b]0;TITLE\\x07\\x9b2J\\u2028\\u202e\\ud800" in message for message in messages)
        assert any(suite.get("name") == "c1\\x9bname.py" for suite in root.iter("testsuite"))  # the C1 byte, escaped
