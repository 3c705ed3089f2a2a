"""The language server's reuse of unchanged statements (padlint/incremental.py) changes nothing.

Each fixture is analysed twice: parsed whole, as ``padlint check`` does, and assembled from
statements parsed one by one, as the server does after an edit. Every node's position, every
model row and every finding must be the same. Then a document is edited step by step (lines
inserted above a model, a statement removed, a layer changed, comments added between
statements) with one cache across the versions, and each version must analyse as if it were
parsed afresh.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from padlint.analysis import FileAnalysis, parse
from padlint.config import Overrides, Resolver
from padlint.incremental import StatementCache, split_statements
from padlint.positions import Positions
from padlint.reporters.summary_json import model_json
from padlint.run import analyse, load_engine
from padlint.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(path for path in (ROOT / "fixtures").rglob("*.py"))


def _syntax(module: cst.Module, positions: Positions) -> list[tuple]:
    """Every node but comment and blank lines (the trivia the pieces place elsewhere), in order,
    with its position and, for names and literals, its text."""
    found: list[tuple] = []
    pending: list[cst.CSTNode] = list(reversed(module.body))
    while pending:
        node = pending.pop()
        if isinstance(node, cst.EmptyLine):
            continue
        value = getattr(node, "value", None)
        found.append((type(node).__name__, positions.span(node), value if isinstance(value, str) else None))
        pending.extend(reversed(node.children))
    return found


def _outcome(analysis: FileAnalysis, findings: list) -> tuple:
    models = [(model_json(summary, analysis), [row.span for row in summary.rows], summary.span) for summary in analysis.models]
    return models, [(finding.as_json(), finding.related) for finding in findings], analysis.notes, analysis.internal_errors


@pytest.fixture(scope="module")
def settings():
    load_engine()
    return Resolver(Overrides(), cwd=ROOT).settings_for(str(ROOT / "model.py"))


def test_there_are_fixtures_to_compare() -> None:
    assert len(FIXTURES) > 200


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: str(path.relative_to(ROOT / "fixtures")))
def test_pieces_give_the_whole_parse(path: Path, settings) -> None:
    text = path.read_text(encoding="utf-8")
    whole = parse(text)
    statements = StatementCache()
    if not isinstance(whole, cst.Module):  # a syntax error, or beyond padlint's limits: the same either way
        assert parse(text, statements) == whole
        return
    pieced = parse(text, statements)
    assert isinstance(pieced, cst.Module)
    assert _syntax(pieced, statements.positions(pieced)) == _syntax(whole, Positions(whole))
    source = SourceFile(path=path.name, text=text)
    assert _outcome(*analyse(source, settings, prefilter=False, statements=StatementCache())) == _outcome(*analyse(source, settings, prefilter=False))


def test_the_pieces_are_the_top_level_statements() -> None:
    text = 'import keras\n\n# a comment\n@decorator\ndef f():\n    return 1\nx = 1; y = 2\nif x:\n    pass\nelse:\n    pass\n# the end'
    pieces = split_statements(text, ast.parse(text))
    assert pieces == ["import keras\n", "\n# a comment\n@decorator\ndef f():\n    return 1\n", "x = 1; y = 2\n", "if x:\n    pass\nelse:\n    pass\n# the end"]
    assert "".join(pieces) == text


def test_text_that_is_not_cut() -> None:
    assert split_statements("# only a comment\n", ast.parse("# only a comment\n")) is None
    assert split_statements("x = 1\r\ny = 2\r\n", ast.parse("x = 1\r\ny = 2\r\n")) is None


MODEL = """\
import keras
from keras import layers


def block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.MaxPooling2D()(x)


inputs = keras.Input(shape=(64, 64, 3))
x = block(inputs, 16)
x = block(x, 32)
x = layers.Flatten()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
"""

EDITS = [
    MODEL.replace("Dense(10)", "Dense(11)"),
    MODEL.replace("import keras\n", "import keras\nimport numpy as np\n\n\n# shapes below\n"),
    MODEL.replace("x = block(x, 32)\n", ""),
    MODEL.replace('padding="same"', 'padding="valid"'),
    MODEL.replace("\n\ninputs", "\n# the model\n\n    # an indented comment\ninputs"),
    MODEL.replace("    x = layers", "  x = layers").replace("    return", "  return"),
    MODEL.replace("model = keras.Model(inputs, outputs)", "model = keras.Model(inputs, outputs"),
    MODEL.replace("x = layers.Flatten()(x)\n", "x = layers.Flatten()(x); x = layers.Dense(64)(x)\n"),
    MODEL + "\n# trailing comment, no newline",
    MODEL,
]


def test_each_edit_analyses_as_a_fresh_parse(settings) -> None:
    statements = StatementCache()
    for version, text in enumerate([MODEL, *EDITS]):
        source = SourceFile(path="model.py", text=text)
        reused = analyse(source, settings, statements=statements)
        fresh = analyse(source, settings)
        assert _outcome(*reused) == _outcome(*fresh), f"version {version}"
        if reused[0].syntax_error is None:
            assert reused[0].models, f"version {version} has no model"


def test_an_edit_parses_only_the_statement_it_changed(settings, monkeypatch) -> None:
    statements = StatementCache()
    analyse(SourceFile(path="model.py", text=MODEL), settings, statements=statements)
    parsed: list[str] = []
    real = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text, *args: parsed.append(text) or real(text, *args))
    analyse(SourceFile(path="model.py", text=EDITS[0]), settings, statements=statements)
    assert parsed == ["outputs = layers.Dense(11)(x)\n"]
