"""Fuzzing: padlint never raises, whatever Python (or almost-Python) it is given.

Two sources of input, both deterministic in the default run:

- Python generated from the grammar by hypothesmith (``from_grammar`` for text the
  parser accepts, ``from_node`` for trees libcst builds), with a fixed seed;
- the project's own fixtures, mutated with ``random.Random(seed)``: tokens deleted,
  arguments swapped, lines duplicated or dropped, numbers replaced by zero, negative,
  huge or non-numeric values, strings by other strings, keyword arguments added, files cut
  short. These stay close to real model code, where the evaluator and the layers work.

Each case goes through what ``padlint check`` and ``padlint summary`` do with a file:
:func:`padlint.run.analyse` (the analysis and the rules; a failure there becomes an
internal error, which must not happen), then the findings and summary reporters.

The default run has 2,500 cases (1,500 mutations, 1,000 generated), and 250 mutated
notebooks, and takes under a minute on two cores. A longer run is one command::

    PADLINT_FUZZ_CASES=100000 PADLINT_FUZZ_SEED=7 python -m pytest -n auto tests/robustness/test_fuzz.py

A crash found this way is fixed in padlint and its smallest reproduction added to
``REGRESSIONS`` below.
"""

from __future__ import annotations

import ast
import io
import json
import os
import random
import tokenize
import warnings
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, seed, settings

from padlint.reporters import findings_renderer
from padlint.reporters.common import Report
from padlint.reporters.summary_json import model_json
from padlint.reporters.summary_text import render_file
from padlint.run import FileResult, analyse
from padlint.settings import Settings
from padlint.source import SourceError, SourceFile, notebook_source
from tests.helpers import FIXTURES

#: Total cases of the run; the seed of the mutations (and of hypothesmith when given).
CASES = int(os.environ.get("PADLINT_FUZZ_CASES", "2500"))
SEED_GIVEN = os.environ.get("PADLINT_FUZZ_SEED")
SEED = int(SEED_GIVEN or "20240611")
MUTATION_CASES = CASES * 3 // 5
GRAMMAR_CASES = CASES * 3 // 10
NODE_CASES = CASES - MUTATION_CASES - GRAMMAR_CASES
#: Mutations of the notebooks' JSON, on top of the cases above (they are quick: small files).
NOTEBOOK_CASES = max(CASES // 10, 40)
#: Mutation cases are split into shards, so that ``-n 2`` runs them on both cores.
SHARDS = 4

pytestmark = [
    pytest.mark.timeout(max(600, CASES // 2)),
    # hypothesmith compiles what it generates; Python warns about ``1()`` and the like. (What
    # padlint itself would warn is caught in ``exercise``.)
    pytest.mark.filterwarnings("ignore::SyntaxWarning"),
]


# ---------------------------------------------------------------- the check of one case


def exercise(text: str, source: SourceFile | None = None) -> None:
    """Analyse and check the text (or the source read from a notebook) as ``padlint check``
    and ``summary`` do; fail on any internal error (a bug in padlint the run would report)
    or exception."""
    source = source or SourceFile(path="fuzz.py", text=text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analysis, findings = analyse(source, Settings(), prefilter=False)
        findings_renderer("full")(Report(results=[FileResult(source=source, findings=findings)]))
        if analysis.models:
            render_file(analysis, explain=True)
            json.dumps([model_json(model, analysis) for model in analysis.models])
    assert not analysis.internal_errors, analysis.internal_errors
    # A warning would be printed on stderr among the findings (Python's SyntaxWarning about an
    # escape such as "\d", from the literals libcst evaluates): padlint keeps them quiet.
    assert [str(warning.message) for warning in caught] == []


def _fail(case: str, text: str, error: BaseException, folder: Path) -> None:
    saved = folder / "case.py"
    saved.write_text(text, errors="surrogatepass")
    raise AssertionError(f"{case}: {type(error).__name__}: {error}\nthe input is saved in {saved}:\n{text[:3000]}") from error


# ---------------------------------------------------------------- mutations of the fixtures


@cache
def fixture_texts() -> list[tuple[str, str]]:
    paths = sorted([*FIXTURES.glob("models/*.py"), *FIXTURES.glob("seeds/*.py"), *FIXTURES.glob("rules/**/*.py")])
    assert len(paths) > 50
    return [(str(path.relative_to(FIXTURES)), path.read_text(encoding="utf-8")) for path in paths]


@lru_cache(maxsize=512)
def _tokens(text: str) -> list[tokenize.TokenInfo]:
    try:
        return [token for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.string.strip()]
    except (tokenize.TokenError, SyntaxError):
        return []


@lru_cache(maxsize=512)
def _calls(text: str) -> list[ast.Call]:
    try:
        return [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)]
    except (SyntaxError, ValueError, RecursionError):
        return []


def _offset(text: str, line: int, column: int) -> int:
    """Offset of a (1-based line, 0-based column) position; columns as tokenize counts them."""
    lines = text.splitlines(keepends=True)
    return sum(len(item) for item in lines[: line - 1]) + column


def _byte_offset(text: str, line: int, byte_column: int) -> int:
    """Offset of an ``ast`` position (its columns count UTF-8 bytes)."""
    lines = text.splitlines(keepends=True)
    start = sum(len(item) for item in lines[: line - 1])
    content = lines[line - 1] if line - 1 < len(lines) else ""
    return start + len(content.encode()[:byte_column].decode(errors="ignore"))


def _span(text: str, node: ast.AST) -> tuple[int, int]:
    return _byte_offset(text, node.lineno, node.col_offset), _byte_offset(text, node.end_lineno, node.end_col_offset)


NUMBERS = [
    "0", "-1", "1", "-7", "2", "3", "10**100", "2**63", "10**1000", "-10**30", "3.5", "1e308", "-0.0", "float('nan')",
    "float('inf')", "None", "True", "()", "[]", "(None,)", "(0, 0)", "(-1, 5)", "range(10**20)", "[[0] * 100000] * 100000",
    "(1,) * 100000", "'3'", "x", "len(range(10**20))", "2**10**10", "(1, 2, 3, 4, 5, 6, 7)", "-(2**63)",
]
STRINGS = [
    "'same'", "'valid'", "'causal'", "'full'", "''", "'relu'", "'softmax'", "'channels_first'", "'channels_last'", "'\\x00'",
    "None", "3", "'bilinear'", "'concat'", "'Same'", "'{:>9999999999}'", "'%9999999999d'", "'x' * 10**9", "b'same'",
]
KEYWORDS = [
    "padding='full'", "strides=0", "strides=-2", "input_shape=(None,)", "input_shape=()", "name=5", "name='dup'", "**{}",
    "*[]", "units=0", "filters=-3", "kernel_size=(1, 2, 3, 4)", "data_format='channels_first'", "dilation_rate=(2, 0)",
    "groups=3", "axis=17", "target_shape=(-1, -1)", "rate=2.0", "return_sequences=True", "trainable=None", "dtype='int8'",
    "input_dim=10**100", "batch_size=-1", "activation=layers.Dense(3)",
]


def delete_token(text: str, rng: random.Random) -> str:
    tokens = _tokens(text)
    if not tokens:
        return text
    token = rng.choice(tokens)
    start = _offset(text, *token.start)
    end = _offset(text, *token.end)
    return text[:start] + text[end:]


def replace_number(text: str, rng: random.Random) -> str:
    numbers = [token for token in _tokens(text) if token.type == tokenize.NUMBER]
    if not numbers:
        return text
    token = rng.choice(numbers)
    replacement = rng.choice(NUMBERS) if rng.random() < 0.8 else str(rng.randint(-(10**9), 10**9))
    return text[: _offset(text, *token.start)] + replacement + text[_offset(text, *token.end) :]


def replace_string(text: str, rng: random.Random) -> str:
    strings = [token for token in _tokens(text) if token.type == tokenize.STRING]
    if not strings:
        return text
    token = rng.choice(strings)
    replacement = rng.choice(STRINGS) if rng.random() < 0.8 else repr("".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(0, 12))))
    return text[: _offset(text, *token.start)] + replacement + text[_offset(text, *token.end) :]


def swap_arguments(text: str, rng: random.Random) -> str:
    calls = [call for call in _calls(text) if len(call.args) + len(call.keywords) >= 2]
    if not calls:
        return text
    call = rng.choice(calls)
    first, second = sorted(rng.sample([*call.args, *call.keywords], 2), key=lambda node: (node.lineno, node.col_offset))
    (a, b), (c, d) = _span(text, first), _span(text, second)
    if b > c:
        return text
    return text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]


def add_keyword(text: str, rng: random.Random) -> str:
    calls = _calls(text)
    if not calls:
        return text
    call = rng.choice(calls)
    end = _span(text, call)[1] - 1  # the closing parenthesis
    separator = ", " if call.args or call.keywords else ""
    return text[:end] + separator + rng.choice(KEYWORDS) + text[end:]


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    index = rng.randrange(len(lines)) if lines else 0
    return "".join(lines[: index + 1] + lines[index : index + 1] + lines[index + 1 :])


def delete_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text
    first, second = rng.sample(range(len(lines)), 2)
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def reindent_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = rng.randrange(len(lines))
    lines[index] = rng.choice(["    ", "\t", ""]) + lines[index].lstrip(" ") if rng.random() < 0.5 else lines[index][rng.randint(1, 4) :]
    return "".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def insert_junk(text: str, rng: random.Random) -> str:
    position = rng.randrange(len(text) + 1)
    junk = rng.choice(["(", ")", "[", ":", ",", "lambda", " if ", "*", "**", "\\\n", "\n", "'", '"""', "#", "@", "=", "\x0c", "é", "\t"])
    return text[:position] + junk + text[position:]


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    delete_token, delete_token, replace_number, replace_number, replace_number, replace_string, swap_arguments, swap_arguments,
    add_keyword, add_keyword, duplicate_line, delete_line, swap_lines, reindent_line, truncate, insert_junk,
]


def mutant(case: int) -> tuple[str, str]:
    """The description and text of one mutation case (the same for the same seed and number)."""
    rng = random.Random(f"{SEED}:{case}")
    name, text = rng.choice(fixture_texts())
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutation = rng.choice(MUTATIONS)
        text = mutation(text, rng)
        applied.append(mutation.__name__)
    return f"{name} [{', '.join(applied)}]", text


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_fixtures_never_crash_padlint(shard: int, tmp_path: Path) -> None:
    for case in range(shard, MUTATION_CASES, SHARDS):
        description, text = mutant(case)
        try:
            exercise(text)
        except Exception as error:  # noqa: BLE001 - reported with the case that caused it
            _fail(f"PADLINT_FUZZ_SEED={SEED} mutation case {case}: {description}", text, error, tmp_path)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_notebooks_are_read_or_refused_never_crash_padlint(shard: int, tmp_path: Path) -> None:
    """The notebook fixtures' JSON, mutated as text (cut, a character dropped or added) or
    with cells mutated as Python: a SourceError (PAD001) or an analysis, nothing else."""
    notebooks = sorted(FIXTURES.glob("notebooks/*.ipynb"))
    for number in range(shard, NOTEBOOK_CASES, SHARDS):
        rng = random.Random(f"{SEED}:notebook:{number}")
        path = rng.choice(notebooks)
        raw = path.read_text(encoding="utf-8")
        if rng.random() < 0.5:
            raw = rng.choice([truncate, delete_token, insert_junk, replace_string, replace_number])(raw, rng)
        else:
            document = json.loads(raw)
            cells = [cell for cell in document["cells"] if cell.get("cell_type") == "code"]
            cell = rng.choice(cells)
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = rng.choice(MUTATIONS)(source, rng)
            raw = json.dumps(document)
        try:
            source = notebook_source(path.name, raw.encode("utf-8", errors="surrogatepass"))
        except SourceError:
            continue
        try:
            exercise(source.text, source)
        except Exception as error:  # noqa: BLE001 - reported with the case that caused it
            _fail(f"PADLINT_FUZZ_SEED={SEED} notebook case {number}: {path.name}", raw, error, tmp_path)


def test_mutations_change_the_fixtures() -> None:
    """The mutations do something: most cases differ from the fixture they start from,
    and some still parse (they reach the evaluator and the layers, not only PAD001)."""
    originals = {text for _, text in fixture_texts()}
    cases = [mutant(case)[1] for case in range(200)]
    changed = [text for text in cases if text not in originals]
    parsing = []
    for text in changed:
        try:
            ast.parse(text)
            parsing.append(text)
        except (SyntaxError, ValueError):
            pass
    assert len(changed) > 180 and len(parsing) > 60


# ---------------------------------------------------------------- generated Python


def _fuzz_settings(examples: int):
    def decorate(test):
        test = settings(
            max_examples=examples,
            derandomize=SEED_GIVEN is None,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        )(test)
        return seed(SEED)(test) if SEED_GIVEN is not None else test

    return decorate


@_fuzz_settings(GRAMMAR_CASES)
@given(text=hypothesmith.from_grammar())
def test_python_generated_from_the_grammar_never_crashes_padlint(text: str) -> None:
    exercise(text)


@_fuzz_settings(NODE_CASES)
@given(text=hypothesmith.from_node())
def test_python_generated_from_syntax_trees_never_crashes_padlint(text: str) -> None:
    exercise(text)


# ---------------------------------------------------------------- crashes found, kept


#: The smallest inputs that once made padlint raise (or record an internal error).
REGRESSIONS = {
    # OverflowError: len() of a range longer than sys.maxsize (the loop, len() and indexing).
    "loop over range(10**20)": "for i in range(10**20):\n    pass\n",
    "len(range(10**20))": "n = len(range(10**20))\n",
    "range(10**20)[-1]": "n = range(10**20)[-1]\n",
    # CSTValidationError from libcst, retrying a file Python 3.11 rejects.
    "str and bytes concatenated": "x = 'a' b'b'\n",
    # ValueError from int -> str beyond 4,300 digits, in Flatten's explanation.
    "Flatten of 10**5000 values": "import keras\nm = keras.Sequential([keras.Input((10**1000,) * 5), keras.layers.Flatten(), keras.layers.Dense(1)])\n",
    # ValueError from int() of a 5,000-digit pragma.
    "5,000-digit input-shape pragma": "import keras\nm = keras.Sequential([keras.layers.Dense(2)])  # padlint: input_shape=(" + "9" * 5000 + ",)\n",
    # DeprecationWarning (SyntaxWarning from Python 3.12, printed) evaluating a literal.
    "an invalid escape in a string": "x = '\\d' + '\\777'\n",
    # OverflowError: a count beyond a float in the summary's memory size.
    "Dense of 10**1000 units": "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10**1000)])\n",
    # RecursionError in the weights of a model added to itself (the file's models were lost).
    "model added to itself": "import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nm.add(m)\n",
    # TypeError in PAD203's fix text: ``-(-w.input // w.stride)`` on a symbolic width.
    "PAD203 with an open width": "import keras\nm = keras.Sequential([keras.Input((7, None, 1)), keras.layers.MaxPooling2D(2)])\n",
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_inputs_that_once_crashed_padlint(text: str) -> None:
    exercise(text)


def test_a_notebook_with_a_lone_surrogate_is_a_pad001_not_a_crash_of_the_output() -> None:
    """JSON can escape a lone surrogate; printed, it made ``padlint check`` die with
    UnicodeEncodeError. Reading the notebook now refuses it, at the escape's position."""
    from padlint.source import SourceError

    raw = '{"cells": [{"cell_type": "code", "source": "import keras\\nx = \\"\\ud83d\\"\\n"}]}'
    with pytest.raises(SourceError, match=r"cell 1 holds a lone surrogate \(U\+D83D\)") as raised:
        notebook_source("bad.ipynb", raw.encode())
    assert (raised.value.line, raised.value.column) == (1, raw.index("\\ud83d") + 1)
