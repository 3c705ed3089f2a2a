"""The results cache (.padlint_cache): what invalidates it, what bypasses it, and what it survives.

Runs go through the command line in this process (``padlint.cli.main``), so a
test can make analysis itself fail and so prove that an answer came from the
cache. No timings are asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import padlint.cache
import padlint.run
from padlint.cache import Cache, entry_key, findings_from_json, findings_to_json
from padlint.cli import main
from padlint.findings import Edit, Finding
from tests.cli.conftest import write
from tests.cli.models import BAD_PADDING, BLOWUP, CLEAN, SHRINK

PLAIN = "def add(a, b):\n    return a + b\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PADLINT_CACHE_DIR", "PADLINT_NO_CACHE", "PADLINT_OUTPUT_FORMAT", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # a project root: the cache's home
    return write(tmp_path, {"src/shrink.py": SHRINK, "src/blowup.py": BLOWUP, "src/clean.py": CLEAN, "src/util.py": PLAIN})


class Analyses:
    """Counts the files really analysed (cache misses), by shown path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        for job in (padlint.run.CheckJob, padlint.run.SummaryJob):
            original = job.__call__

            def counting(job_self, task, original=original):
                self.paths.append(task.shown)
                return original(job_self, task)

            monkeypatch.setattr(job, "__call__", counting)

    def reset(self) -> list[str]:
        paths, self.paths = sorted(self.paths), []
        return paths


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> Analyses:
    return Analyses(monkeypatch)


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def entries(root: Path) -> list[Path]:
    return sorted((root / ".padlint_cache").rglob("*.json"))


ALL = ["src/blowup.py", "src/clean.py", "src/shrink.py", "src/util.py"]


def test_a_warm_run_answers_from_the_cache(project, analyses, capsys):
    first = run(capsys, "--output-format", "json", "src")
    assert first[0] == 1
    assert analyses.reset() == ALL
    assert len(entries(project)) == 5  # a file's entry each, and the rule catalogue
    assert (project / ".padlint_cache" / "CACHEDIR.TAG").is_file()
    assert (project / ".padlint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert run(capsys, "--output-format", "json", "src") == first
    assert analyses.reset() == []


def test_full_output_with_fixes_and_snippets_is_the_same_from_the_cache(project, analyses, capsys):
    write(project, {"src/padding.py": BAD_PADDING})
    first = run(capsys, "src")
    assert "PAD102 [*]" in first[1] and "fixable with the `--fix` option" in first[1]
    assert run(capsys, "src") == first
    analyses.reset()
    assert run(capsys, "--diff", "src")[1].count("+++") == 1  # fixing works from a fresh analysis


def test_a_changed_file_is_analysed_again(project, analyses, capsys):
    run(capsys, "src")
    analyses.reset()
    (project / "src" / "clean.py").write_text(SHRINK)
    _, out, _ = run(capsys, "--output-format", "concise", "src")
    assert analyses.reset() == ["src/clean.py"]
    assert "src/clean.py:7:5: PAD201" in out
    (project / "src" / "clean.py").write_text(CLEAN)
    _, out, _ = run(capsys, "--output-format", "concise", "src")
    assert analyses.reset() == []  # the old content's entry is still there
    assert "src/clean.py" not in out


def test_the_same_content_under_another_name_is_another_entry(project, analyses, capsys):
    run(capsys, "src")
    analyses.reset()
    write(project, {"src/copy.py": SHRINK})
    _, out, _ = run(capsys, "--output-format", "concise", "src")
    assert analyses.reset() == ["src/copy.py"]
    assert "src/copy.py:7:5: PAD201" in out


def test_a_changed_configuration_invalidates_only_through_rule_options(project, analyses, capsys):
    _, before, _ = run(capsys, "--output-format", "concise", "src")
    analyses.reset()
    assert "PAD201" in before
    (project / "pyproject.toml").write_text("[tool.padlint.rules.PAD201]\nmax-shrinkage = 0.9\n")
    _, after, _ = run(capsys, "--output-format", "concise", "src")
    assert "PAD201" not in after
    assert analyses.reset() == ALL
    (project / "pyproject.toml").write_text("[tool.padlint]\nignore = ['PAD301']\n")
    _, ignored, _ = run(capsys, "--output-format", "concise", "src")
    assert "PAD201" in ignored and "PAD301" not in ignored
    assert analyses.reset() == []  # the selection applies after the cache: the first run's entries serve
    assert ignored == run(capsys, "--no-cache", "--output-format", "concise", "src")[1]


@pytest.mark.parametrize(
    ("options", "missing"),
    [
        (["--ignore", "PAD201"], "PAD201"),
        (["--select", "PAD3"], "PAD201"),
        (["--per-file-ignores", "src/shrink.py:PAD2"], "PAD201"),
        (["--select", "PAD2", "--ignore", "PAD201"], "PAD201"),
    ],
)
def test_another_selection_is_answered_from_the_cache(project, analyses, capsys, options, missing):
    """Issue 14: `--select PAD2` after a full run re-analysed every file; only the analysis is cached now."""
    _, before, _ = run(capsys, "--output-format", "concise", "src")
    assert missing in before
    analyses.reset()
    code, after, err = run(capsys, "--output-format", "concise", *options, "src")
    assert missing not in after
    assert analyses.reset() == []
    assert (code, after, err) == run(capsys, "--no-cache", "--output-format", "concise", *options, "src")
    analyses.reset()
    assert run(capsys, "--output-format", "concise", "src")[1] == before
    assert analyses.reset() == []


def test_an_opt_in_rule_is_answered_from_the_cache(project, analyses, capsys):
    """Every rule's findings are kept, the opt-in ones too: `--extend-select PAD209` needs no analysis."""
    write(project, {"src/late.py": (
        "import keras\nfrom keras import layers\n\nmodel = keras.Sequential([\n    keras.Input((28, 28, 1)),\n"
        "    layers.Conv2D(8, 3, padding='same'),\n    layers.MaxPooling2D(2),\n    layers.MaxPooling2D(2),\n"
        "    layers.Conv2D(8, 3, padding='valid'),\n    layers.Flatten(),\n    layers.Dense(10),\n])\n"
    )})
    run(capsys, "--output-format", "concise", "src")
    analyses.reset()
    expected = run(capsys, "--no-cache", "--output-format", "concise", "--extend-select", "PAD209", "src")
    analyses.reset()
    assert run(capsys, "--output-format", "concise", "--extend-select", "PAD209", "src") == expected
    assert analyses.reset() == []
    assert "PAD209" in expected[1]


def test_rule_options_invalidate(project, analyses, capsys):
    _, before, _ = run(capsys, "--output-format", "concise", "src")
    assert "PAD301" in before
    analyses.reset()
    _, after, _ = run(capsys, "--output-format", "concise", "--config", "rules.PAD301.max-share = 0.9999", "src")
    assert "PAD301" not in after
    assert analyses.reset() == ALL
    assert run(capsys, "--output-format", "concise", "src")[1] == before  # and the first settings' entries still serve
    assert analyses.reset() == []


def test_input_shape_invalidates(project, analyses, capsys):
    write(project, {"src/unknown.py": "import keras\nfrom keras import layers\nmodel = keras.Sequential([layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(2)])\n"})
    _, before, _ = run(capsys, "summary", "--output-format", "json", "src/unknown.py")
    analyses.reset()
    _, after, _ = run(capsys, "summary", "--output-format", "json", "--input-shape", "8,8,1", "src/unknown.py")
    assert analyses.reset() == ["src/unknown.py"]
    assert json.loads(after)["files"][0]["models"][0]["complete"] is True
    assert json.loads(before)["files"][0]["models"][0]["complete"] is False


def test_a_new_padlint_version_invalidates(project, analyses, capsys, monkeypatch):
    first = run(capsys, "src")
    analyses.reset()
    monkeypatch.setattr(padlint.cache, "__version__", "99.0.0")
    monkeypatch.setattr(padlint.cache, "_FINGERPRINT", None)
    assert run(capsys, "src") == first
    assert analyses.reset() == ALL
    assert (project / ".padlint_cache" / "99.0.0").is_dir()


def test_an_edited_padlint_source_file_invalidates(tmp_path, monkeypatch):
    """An editable install keeps its version while its code changes: the fingerprint follows the files."""
    source = tmp_path / "padlint_source"
    write(source, {"rule.py": "A = 1\n", "sub/more.py": "B = 2\n"})
    monkeypatch.setattr(padlint.cache, "_source_folders", lambda: [str(source)])
    monkeypatch.setattr(padlint.cache, "_FINGERPRINT", None)
    before = entry_key("check", "a.py", "{}", b"x = 1\n")
    monkeypatch.setattr(padlint.cache, "_FINGERPRINT", None)
    assert entry_key("check", "a.py", "{}", b"x = 1\n") == before
    (source / "sub" / "more.py").write_text("B = 22\n")
    monkeypatch.setattr(padlint.cache, "_FINGERPRINT", None)
    assert entry_key("check", "a.py", "{}", b"x = 1\n") != before


def test_no_cache_bypasses_it(project, analyses, capsys, monkeypatch):
    first = run(capsys, "--no-cache", "src")
    assert analyses.reset() == ALL
    assert not (project / ".padlint_cache").exists()
    run(capsys, "src")
    analyses.reset()
    assert run(capsys, "--no-cache", "src") == first
    assert analyses.reset() == ALL
    monkeypatch.setenv("PADLINT_NO_CACHE", "1")
    assert run(capsys, "src") == first
    assert analyses.reset() == ALL


def test_cache_dir_option_and_environment(project, analyses, capsys, monkeypatch):
    run(capsys, "--cache-dir", "elsewhere/cache", "src")
    assert not (project / ".padlint_cache").exists()
    assert (project / "elsewhere" / "cache" / "CACHEDIR.TAG").is_file()
    analyses.reset()
    monkeypatch.setenv("PADLINT_CACHE_DIR", "elsewhere/cache")
    run(capsys, "src")
    assert analyses.reset() == []


def test_clean_removes_the_cache(project, analyses, capsys):
    run(capsys, "src")
    assert (project / ".padlint_cache").is_dir()
    code, _, err = run(capsys, "clean")
    assert code == 0 and "removed the cache at .padlint_cache" in err
    assert not (project / ".padlint_cache").exists()
    analyses.reset()
    run(capsys, "src")
    assert analyses.reset() == ALL
    assert run(capsys, "clean")[0] == 0
    code, _, err = run(capsys, "clean")
    assert code == 0 and "no cache at .padlint_cache" in err


def test_clean_refuses_a_folder_that_is_not_a_cache(project, capsys):
    code, _, err = run(capsys, "clean", "--cache-dir", "src")
    assert code == 2 and "does not look like a padlint cache" in err
    assert (project / "src" / "shrink.py").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text[: len(text) // 2],
        lambda text: b"\x00\xff not json",
        lambda text: "[]",
        lambda text: json.dumps({**json.loads(text), "key": "0" * 40}),
        lambda text: json.dumps({**json.loads(text), "findings": [["src/x.py", "1", 1, 1, 1, "PAD201", "n", "warning", "m", None, []]]}),
        lambda text: json.dumps({**json.loads(text), "findings": [[1, 2, 3]]}),
        lambda text: json.dumps({**json.loads(text), "findings": None}),
        lambda text: json.dumps({**json.loads(text), "internal_errors": [1]}),
    ],
    ids=["empty", "truncated", "binary", "not-an-object", "other-key", "wrong-type", "short-row", "no-findings", "bad-errors"],
)
def test_a_corrupt_entry_is_ignored_and_replaced(project, analyses, capsys, damage):
    first = run(capsys, "--output-format", "json", "src")
    analyses.reset()
    for entry in entries(project):
        damaged = damage(entry.read_text(encoding="utf-8"))
        entry.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    assert run(capsys, "--output-format", "json", "src") == first
    assert analyses.reset() == ALL
    assert run(capsys, "--output-format", "json", "src") == first
    assert analyses.reset() == []  # rewritten


def test_an_unwritable_cache_is_skipped(project, analyses, capsys):
    (project / ".padlint_cache").write_text("a file where the folder should be\n")
    first = run(capsys, "--output-format", "json", "src")
    assert first[0] == 1 and first[2] == ""
    assert run(capsys, "--output-format", "json", "src") == first


def test_summary_is_cached_per_explain(project, analyses, capsys):
    text = run(capsys, "summary", "src")
    as_json = run(capsys, "summary", "--output-format", "json", "src")
    assert analyses.reset() == ALL  # the JSON run is served by the text run's entries
    explained = run(capsys, "summary", "--explain", "src")
    assert analyses.reset() == ALL and explained != text
    assert run(capsys, "summary", "src") == text
    assert run(capsys, "summary", "--output-format", "json", "src") == as_json
    assert run(capsys, "summary", "--explain", "src") == explained
    assert analyses.reset() == []


def test_unreadable_files_are_cached_with_their_finding(project, analyses, capsys):
    write(project, {"src/broken.ipynb": '{"cells": [\n', "src/bad.py": "def f(:\n    pass\n"})
    first = run(capsys, "--output-format", "concise", "src")
    assert [line.split(" ")[1] for line in first[1].splitlines() if line.startswith(("src/broken.ipynb:", "src/bad.py:"))] == ["PAD001", "PAD001"]
    analyses.reset()
    assert run(capsys, "--output-format", "concise", "src") == first
    assert analyses.reset() == []


def test_internal_errors_come_back_from_the_cache(project, capsys, monkeypatch):
    def broken(*arguments, **options):
        raise RuntimeError("engine bug")

    with monkeypatch.context() as patch:
        patch.setattr("padlint.analysis.analyse_source", broken)
        first = run(capsys, "src/shrink.py")
    assert first[0] == 2 and "internal error in src/shrink.py" in first[2] and "engine bug" in first[2]
    assert run(capsys, "src/shrink.py") == first  # deterministic for this padlint: cached like a finding


def test_findings_round_trip_through_json():
    findings = [
        Finding("a.py", 3, 5, 3, 40, "PAD102", "invalid-padding", "error", "msg ✓", "fix", (Edit(3, 4, 3, 20, "'same'"), Edit(2, 0, 2, 0, "x\n", safe=False))),
        Finding("nb.ipynb", 1, 1, 1, 1, "PAD001", "syntax-error", "error", "m", None),
    ]
    encoded = json.loads(json.dumps(findings_to_json(findings)))
    decoded = findings_from_json(encoded)
    assert decoded == findings
    assert [finding.edits for finding in decoded] == [finding.edits for finding in findings]


def test_the_key_covers_content_path_settings_and_kind():
    base = entry_key("check", "a.py", "{}", b"x")
    assert len({base, entry_key("check", "a.py", "{}", b"y"), entry_key("check", "b.py", "{}", b"x"),
                entry_key("check", "a.py", "{1}", b"x"), entry_key("summary", "a.py", "{}", b"x"),
                entry_key("check", "a.py", "{}", b"x", "explain=True")}) == 6


def test_cache_load_and_store(tmp_path):
    cache = Cache(tmp_path / "c")
    assert cache.load("ab" * 20) is None
    assert cache.prepare()
    cache.store("ab" * 20, {"findings": [], "internal_errors": []})
    assert cache.load("ab" * 20) == {"findings": [], "internal_errors": [], "key": "ab" * 20}
    assert (cache.hits, cache.misses) == (1, 1)
    assert not list(tmp_path.rglob("*.tmp"))
