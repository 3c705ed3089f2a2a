"""``--output-format github``: workflow-command escaping, levels, and GitHub's 10 annotations per level."""

from __future__ import annotations

from padlint.findings import Finding
from padlint.reporters.common import Report
from padlint.reporters.github import command, escape_data, escape_property, render
from padlint.run import FileResult
from padlint.source import SourceFile
from tests.cli.conftest import write
from tests.cli.models import BAD_PADDING, SHRINK


def _finding(path: str, line: int, severity: str = "warning", message: str = "m", code: str = "PAD201", fix: str | None = None) -> Finding:
    return Finding(path, line, 5, line, 9, code, "valid-padding-shrinkage", severity, message, fix)


def _report(findings: list[Finding]) -> Report:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    return Report(results=[FileResult(source=SourceFile(path=path, text="x = 1\n" * 100), findings=items) for path, items in by_path.items()])


def test_escaping_follows_the_actions_toolkit():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("dir,1/a:b%.py\n") == "dir%2C1/a%3Ab%25.py%0A"


def test_command_layout():
    """A newline inside a message (from a layer's name) is shown as ``\\n``, as in every text
    format; the one padlint puts before the help is the toolkit's ``%0A``."""
    finding = _finding("src/a,b:c.py", 12, "error", "shrinks 20x20 to 8x8 (-60.0%, over the 25.0% limit)\nsecond line", "PAD102", "use 'same'")
    line = command(FileResult(source=SourceFile(path="src/a,b:c.py", text=""), findings=[finding]), finding)
    assert line == (
        "::error file=src/a%2Cb%3Ac.py,line=12,col=5,endLine=12,endColumn=9,title=PAD102 valid-padding-shrinkage::"
        "shrinks 20x20 to 8x8 (-60.0%25, over the 25.0%25 limit)\\nsecond line%0Ahelp: use 'same'"
    )


def test_levels_most_severe_first():
    lines = render(_report([_finding("a.py", 1, "info"), _finding("a.py", 2, "warning"), _finding("a.py", 3, "error")])).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]


def test_at_most_ten_per_level_and_a_closing_notice():
    findings = [_finding("e.py", line, "error") for line in range(1, 13)] + [_finding("w.py", line) for line in range(1, 6)]
    lines = render(_report(findings)).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 5
    assert lines[15:17] == ["e.py:11:5: PAD201 m", "e.py:12:5: PAD201 m"]
    assert lines[-1] == (
        "::notice title=padlint::padlint: 2 more findings not shown as annotations "
        "(GitHub shows at most 10 per level in a step); they are listed in the log above"
    )
    assert len(lines) == 18


def test_closing_notice_keeps_a_notice_slot_free():
    lines = render(_report([_finding("n.py", line, "info") for line in range(1, 11)])).splitlines()
    assert len(lines) == 10  # ten notices fit: no closing notice needed
    assert all(line.startswith("::notice file=") for line in lines)
    lines = render(_report([_finding("n.py", line, "info") for line in range(1, 12)])).splitlines()
    assert sum(line.startswith("::notice file=") for line in lines) == 9
    assert lines[-1].startswith("::notice title=padlint::padlint: 2 more findings")


def test_no_findings_no_output():
    assert render(_report([])) == ""


def test_github_format_end_to_end(padlint, tmp_path):
    write(tmp_path, {f"warn/shrink_{index:02}.py": SHRINK for index in range(11)})
    write(tmp_path, {"err/padding.py": BAD_PADDING, "odd, name: 100%.py": SHRINK})
    result = padlint("--output-format", "github", ".", cwd=tmp_path)
    assert result.code == 1
    lines = result.lines
    assert lines[0].startswith("::error file=err/padding.py,line=5,col=5,endLine=5,endColumn=44,title=PAD102 invalid-padding::")
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == 10
    assert warnings[0].startswith("::warning file=odd%2C name%3A 100%25.py,line=7,col=5,")
    assert "(-60.0%25, over the 25.0%25 limit)" in warnings[0]
    assert lines[-1].startswith("::notice title=padlint::padlint: 2 more findings not shown")
    assert lines[-3].startswith("warn/shrink_09.py:7:5: PAD201 ")
