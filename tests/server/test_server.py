"""``padlint server`` driven by a real LSP client (pygls' LanguageClient) over stdio.

One server process serves a test module (the ``session`` fixture); the
lifecycle test starts its own. What the diagnostics say is checked against
``padlint check --output-format json`` on the same text (the two front ends
must agree) and against the text itself (related locations, syntax error lines
as Python reports them); the shapes are checked against Keras in test_shapes.py.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound

from padlint import __version__
from padlint.analysis import MAX_NODES
from rules.pad206_skip_size_mismatch import SkipSizeMismatch
from tests.server.support import Session, apply_edits, line_of, utf16_column

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

SAME = """\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(20, 20, 3)),
    layers.Conv2D(32, (3, 3), activation="relu", padding="same"),
    layers.Conv2D(64, (5, 5), activation="relu", padding="same"),
    layers.Conv2D(128, (7, 7), activation="relu", padding="same"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
"""
#: The same model with the convolutions left 'valid': 20x20 shrinks to 8x8 (PAD201).
VALID = SAME.replace(', padding="same"', "")

ACTIONS = """\
import keras
from keras import layers

pooled = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.MaxPooling2D(2, padding="Same"),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])

scorer = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="softmax"),  # noqa: PAD301
])
"""

SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning, "info": types.DiagnosticSeverity.Information}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _check_json(path: Path) -> list[dict]:
    """What ``padlint check --output-format json`` reports for the files of a folder."""
    run = subprocess.run(
        [sys.executable, "-m", "padlint", "check", "--no-cache", "--isolated", "--output-format", "json", "-j1", str(path)],
        capture_output=True, text=True, check=False, cwd=path,
    )
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def _codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(diagnostic.code) for diagnostic in diagnostics)


# ------------------------------------------------------------------ lifecycle


def test_the_server_initializes_serves_and_exits_as_the_protocol_says(tmp_path: Path) -> None:
    session = Session(tmp_path)
    try:
        capabilities = session.initialized.capabilities
        assert session.initialized.server_info.name == "padlint" and session.initialized.server_info.version == __version__
        assert capabilities.hover_provider and capabilities.inlay_hint_provider
        assert set(capabilities.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.padlint"}
        assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Full and capabilities.text_document_sync.save
        uri = session.open(_write(tmp_path, "model.py", VALID))
        assert _codes(session.diagnostics(uri, 1)) == ["PAD201"]
        assert session.stop() == 0
    finally:
        session.kill()
    rude = Session(tmp_path)  # exit without shutdown: exit code 1, as the protocol says
    try:
        rude.client.exit(None)
        rude.run(rude.client.stop())
        assert rude.client.returncode == 1
    finally:
        rude.kill()


# ------------------------------------------------------------------ diagnostics


def test_diagnostics_are_the_findings_of_padlint_check_with_severity_code_link_and_help(session: Session, workspace: Path) -> None:
    paths = [_write(workspace / "seeds", seed.name, seed.read_text()) for seed in sorted(SEEDS.glob("seed_*.py"))]
    uris = [session.open(path) for path in paths]
    reported = _check_json(workspace / "seeds")
    total = 0
    for path, uri in zip(paths, uris):
        diagnostics = sorted(session.diagnostics(uri, 1), key=lambda item: (item.range.start.line, item.range.start.character, str(item.code)))
        expected = [finding for finding in reported if Path(finding["path"]).name == path.name]
        assert len(diagnostics) == len(expected), path.name
        for diagnostic, finding in zip(diagnostics, expected):
            assert diagnostic.code == finding["code"] and diagnostic.source == "padlint"
            assert diagnostic.severity == SEVERITIES[finding["severity"]]
            assert diagnostic.code_description.href == finding["url"]
            start, end = diagnostic.range.start, diagnostic.range.end
            assert (start.line + 1, start.character + 1, end.line + 1, end.character + 1) == (finding["line"], finding["column"], finding["end_line"], finding["end_column"])
            assert diagnostic.message == finding["message"] + (f"\nhelp: {finding['fix']}" if finding["fix"] else "")
        total += len(expected)
    assert total >= 5  # the seeds hold PAD201, PAD301, PAD102 and PAD203 findings


def test_a_shrinking_run_names_its_other_convolutions_as_related_locations(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "shrinking.py", VALID))
    (diagnostic,) = session.diagnostics(uri, 1)
    assert diagnostic.code == "PAD201" and diagnostic.severity == types.DiagnosticSeverity.Warning
    named = [int(line) - 1 for line in re.findall(r"\(Conv2D, line (\d+)\)", diagnostic.message)]
    related = [item.location.range.start.line for item in diagnostic.related_information]
    assert related == [line for line in named if line != diagnostic.range.start.line] and len(related) == 2
    for item in diagnostic.related_information:
        assert item.location.uri == uri and "layers.Conv2D" in VALID.splitlines()[item.location.range.start.line]


def test_a_skip_mismatch_points_at_both_sides_of_the_skip(session: Session, workspace: Path) -> None:
    text = SkipSizeMismatch.INVALID[0]
    uri = session.open(_write(workspace, "unet.py", text))
    (diagnostic,) = [item for item in session.diagnostics(uri, 1) if item.code == "PAD206"]
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    merge = re.search(r"Concatenate\(\)\(\[(\w+), (\w+)\]\)", text)
    sides = [line_of(text, f"{name} = ") for name in merge.groups()]
    assert sorted(item.location.range.start.line for item in diagnostic.related_information) == sorted(sides)


# ------------------------------------------------------------------ changes


def test_diagnostics_follow_changes_after_the_debounce_and_on_save(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "edited.py", SAME))
    assert session.diagnostics(uri, 1) == []
    session.configure({"padlint": {"debounceMs": 300}})
    for version, text in ((2, VALID), (3, SAME), (4, VALID)):  # typed faster than the debounce
        session.change(uri, text, version)
    assert _codes(session.diagnostics(uri, 4)) == ["PAD201"]
    assert 2 not in session.versions(uri) and 3 not in session.versions(uri)
    session.configure({"padlint": {"debounceMs": 20}})
    session.change(uri, SAME, 5)
    assert session.diagnostics(uri, 5) == []
    published = session.versions(uri).count(5)
    session.save(uri)
    session.wait_until(lambda: session.versions(uri).count(5) > published)
    session.close(uri)
    session.wait_until(lambda: not session.published[uri][-1].diagnostics and session.published[uri][-1].version is None)


def test_a_syntax_error_mid_edit_is_one_PAD001_and_no_stale_shapes(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "typing.py", SAME))
    session.diagnostics(uri, 1)
    before = session.inlay_hints(uri)
    assert len(before) == 6
    half_typed = SAME.replace('    layers.Conv2D(64, (5, 5), activation="relu", padding="same"),\n', "    layers.Conv2D(64, (5,\n")
    session.change(uri, half_typed, 2)
    (diagnostic,) = session.diagnostics(uri, 2)
    with pytest.raises(SyntaxError) as python:
        ast.parse(half_typed)
    assert diagnostic.code == "PAD001" and diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start.line == python.value.lineno - 1
    assert session.inlay_hints(uri) == []
    assert session.hover(uri, line_of(half_typed, "Conv2D(32"), 12) is None
    session.change(uri, SAME, 3)
    assert session.diagnostics(uri, 3) == []
    assert [(hint.position, hint.label) for hint in session.inlay_hints(uri)] == [(hint.position, hint.label) for hint in before]


def test_requests_wait_for_the_text_they_are_made_on(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "racing.py", SAME))
    session.diagnostics(uri, 1)
    session.configure({"debounceMs": 2000})
    shifted = "# a comment line added above\n" + SAME
    session.change(uri, shifted, 2)
    hints = session.inlay_hints(uri)  # answered for version 2 without waiting for the debounce
    assert sorted(hint.position.line for hint in hints) == sorted(line_of(shifted, needle) for needle in (
        "keras.Input", "Conv2D(32", "Conv2D(64", "Conv2D(128", "GlobalAveragePooling2D", "Dense(2"))
    session.configure({"debounceMs": 20})
    assert session.diagnostics(uri, 2) == []


# ------------------------------------------------------------------ code actions


def _action(actions: list[types.CodeAction], start: str) -> types.CodeAction:
    (found,) = [action for action in actions if action.title.startswith(start)]
    return found


def test_code_actions_apply_the_rules_fixes_and_add_noqa(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "actions.py", ACTIONS))
    assert _codes(session.diagnostics(uri, 1)) == ["PAD102", "PAD403"]
    pooling, softmax = line_of(ACTIONS, "MaxPooling2D"), line_of(ACTIONS, "Dense(1,")

    actions = session.code_actions(uri, pooling)
    fix = _action(actions, "Fix PAD102")
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix and fix.diagnostics[0].code == "PAD102"
    fixed = apply_edits(ACTIONS, fix.edit.changes[uri])
    assert 'padding="same"' in fixed.splitlines()[pooling]
    session.change(uri, fixed, 2)
    assert _codes(session.diagnostics(uri, 2)) == ["PAD403"]

    silenced = apply_edits(ACTIONS, _action(actions, "Add `# noqa: PAD102`").edit.changes[uri])
    assert silenced.splitlines()[pooling].endswith('padding="Same"),  # noqa: PAD102')
    session.change(uri, silenced, 3)
    assert _codes(session.diagnostics(uri, 3)) == ["PAD403"]

    session.change(uri, ACTIONS, 4)
    actions = session.code_actions(uri, softmax)
    unsafe = _action(actions, "Fix PAD403")
    assert unsafe.title.endswith("(unsafe fix)") and not unsafe.is_preferred
    appended = apply_edits(ACTIONS, _action(actions, "Add PAD403 to this line's").edit.changes[uri])
    assert appended.splitlines()[softmax].endswith("# noqa: PAD301, PAD403")
    session.change(uri, appended, 5)
    assert _codes(session.diagnostics(uri, 5)) == ["PAD102"]


def test_fix_all_applies_every_safe_fix_and_only_those(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "fix_all.py", ACTIONS))
    session.diagnostics(uri, 1)
    (action,) = session.code_actions(uri, 0, only=["source.fixAll"])
    assert action.kind == "source.fixAll.padlint"
    fixed = apply_edits(ACTIONS, action.edit.changes[uri])
    session.change(uri, fixed, 2)
    assert _codes(session.diagnostics(uri, 2)) == ["PAD403"]  # unsafe: left to the user
    assert session.code_actions(uri, 0, only=["source.fixAll"]) == []


# ------------------------------------------------------------------ configuration


def test_the_project_configuration_applies_and_is_read_again_when_it_changes(session: Session, workspace: Path) -> None:
    project = workspace / "project"
    config = _write(project, "pyproject.toml", '[tool.padlint]\nignore = ["PAD201"]\n')
    uri = session.open(_write(project / "models", "cnn.py", VALID))
    assert session.diagnostics(uri, 1) == []
    config.write_text('[tool.padlint]\nignore = ["PAD3"]\n')
    session.save(config.as_uri())
    session.wait_until(lambda: _codes(session.published[uri][-1].diagnostics) == ["PAD201"])
    config.write_text('[tool.padlint]\nselct = ["PAD2"]\n')
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
    )
    session.wait_until(lambda: any("selct" in message.message for message in session.shown))
    (shown,) = [message for message in session.shown if "selct" in message.message]
    assert shown.type == types.MessageType.Error and "did you mean 'select'" in shown.message
    session.wait_until(lambda: not session.published[uri][-1].diagnostics)  # `padlint check` refuses to run: nothing is reported


def test_inlay_hints_can_be_turned_off_and_on(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "toggled.py", SAME))
    session.diagnostics(uri, 1)
    assert session.inlay_hints(uri)
    refreshes = session.refreshes
    session.configure({"padlint": {"inlayHints": False}})
    session.wait_until(lambda: session.refreshes > refreshes)
    assert session.inlay_hints(uri) == []
    session.configure({"inlayHints": True, "debounceMs": "fast"})
    session.wait_until(lambda: session.refreshes > refreshes + 1)
    assert len(session.inlay_hints(uri)) == 6
    assert any("debounceMs" in message.message for message in session.logged)


# ------------------------------------------------------------------ bad input


def test_bad_input_never_stops_the_server(session: Session, workspace: Path) -> None:
    huge = "import keras\n" + "".join(f"value_{index} = [{index}, {index} + 1]\n" for index in range(MAX_NODES // 8))
    uri = session.open(_write(workspace, "huge.py", huge))
    assert session.diagnostics(uri, 1) == []
    session.wait_until(lambda: any("huge.py: too large" in message.message for message in session.logged))

    deep = "import keras\nn = " + "+".join(["1"] * 490) + "\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(n)])\n"
    uri = session.open(_write(workspace, "deep.py", deep))  # as deep as padlint analyses, on the analysis thread
    assert session.diagnostics(uri, 1) == [] and len(session.inlay_hints(uri)) == 1
    nested = "import keras\nx = " + "(" * 1000 + "1" + ")" * 1000 + "\n"
    assert _codes(session.diagnostics(session.open(_write(workspace, "nested.py", nested)), 1)) == ["PAD001"]
    assert _codes(session.diagnostics(session.open(_write(workspace, "nul.py", "import keras\x00\n")), 1)) == ["PAD001"]

    nowhere = "file:///nonexistent-folder/deeper/model.py"
    session.open(workspace / "unused.py", text=VALID, uri=nowhere)
    assert _codes(session.diagnostics(nowhere, 1)) == ["PAD201"]
    assert session.hover(nowhere, line_of(VALID, "Conv2D(32"), 12) is not None

    untitled = "untitled:Untitled-1"
    session.open(workspace / "unused.py", text=VALID, uri=untitled)
    assert _codes(session.diagnostics(untitled, 1)) == ["PAD201"]

    notes = "file:///" + str(workspace / "notes.md").lstrip("/")
    session.open(workspace / "notes.md", text="# keras notes\n", language_id="markdown", uri=notes)

    with pytest.raises(JsonRpcMethodNotFound):
        session.request("padlint/noSuchRequest", {})
    session.client.protocol.notify("padlint/noSuchNotification", {"anything": 1})
    assert session.hover("file:///never/opened.py", 0, 0) is None
    assert session.hover(nowhere, 10**6, 10**6) is None
    assert session.inlay_hints("file:///never/opened.py") == []
    assert session.code_actions("file:///never/opened.py", 0) == []
    assert session.hover(nowhere, line_of(VALID, "Conv2D(64"), 12) is not None  # still serving
    assert notes not in session.published


def test_positions_count_utf16_units_as_the_protocol_says(session: Session, workspace: Path) -> None:
    text = 'import keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(8,))\nnote = "😀 ünïcode"; outputs = layers.Dense(1, activation="softmax")(inputs)\nmodel = keras.Model(inputs, outputs)\n'
    uri = session.open(_write(workspace, "unicode.py", text))
    (diagnostic,) = session.diagnostics(uri, 1)
    number = line_of(text, "😀")
    line = text.splitlines()[number]
    assert diagnostic.code == "PAD403"
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (number, utf16_column(line, line.index("layers.Dense")))
    (hint,) = [hint for hint in session.inlay_hints(uri) if hint.position.line == number]
    assert hint.position.character == utf16_column(line, len(line)) and hint.label == "-> (None, 1)"
    hover = session.hover(uri, number, utf16_column(line, line.index("Dense")))
    assert hover is not None and "(Dense)" in hover.contents.value
    assert hover.range.start.character == utf16_column(line, line.index("layers.Dense"))


VARIABLES = """\
import keras
from keras import layers

encoder = layers.Dense(8, activation="relu", name="shared_encoder")
first = keras.Input(shape=(4,), name="first")
second = keras.Input(shape=(4,), name="second")
left = encoder(first)
right = encoder(second)
merged = layers.Concatenate(name="merged")([left, right])
alias = merged
for _ in range(2):
    alias = layers.Dense(4)(alias)
model = keras.Model([first, second], alias)
"""


def test_hover_follows_variables_to_the_layer_or_model_they_hold(session: Session, workspace: Path) -> None:
    uri = session.open(_write(workspace, "variables.py", VARIABLES))
    session.diagnostics(uri, 1)

    def hover_on(needle: str, word: str) -> str:
        number = line_of(VARIABLES, needle)
        hover = session.hover(uri, number, VARIABLES.splitlines()[number].index(word) + 1)
        return hover.contents.value if hover is not None else ""

    shared = hover_on("right = encoder(second)", "encoder")  # a layer variable: every application
    assert "Applied 2 times here" in shared and shared.count("**shared_encoder**") == 2
    left = hover_on("Concatenate", "left")  # a tensor variable: the one call that made it
    assert left.count("**shared_encoder**") == 1 and "Applied" not in left
    assert "**merged** (Concatenate)" in hover_on("alias = merged", "merged")
    looped = hover_on("layers.Dense(4)(alias)", "alias")  # reassigned in its loop: not followed, the call is shown
    assert "Applied 2 times here" in looped and "merged" not in looped
    assert hover_on("model = keras.Model", "model").startswith("```text\nModel: ")
