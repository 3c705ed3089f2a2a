"""Hostile and broken inputs: padlint finishes each in bounded time with a definite outcome.

Three outcomes only (SPEC §5, issue 6): a PAD001 finding at the line and column of a
syntax error; a one-line error naming a file that cannot be read or decoded; or an
analysis whose affected models are marked incomplete, with a note saying why. Never an
exception, a hang or memory exhaustion: each test has a 60 s timeout (the budgets stop
the evaluation after 10 s at most), and the cases that used to exhaust memory or run
for minutes are here as regressions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from padlint import __version__
from padlint.analysis import MAX_NESTING, AnalysisOptions, analyse_source
from padlint.checker import check_analysis
from padlint.evaluation.budget import Budget
from padlint.reporters.summary_json import model_json
from padlint.reporters.summary_text import render_file
from padlint.source import SourceFile
from tests.robustness.support import (
    DENSE_N,
    KERAS,
    analyse,
    assert_incomplete,
    only_model,
    run_padlint,
)

pytestmark = pytest.mark.timeout(60)


def reported(analysis) -> None:
    """Both summary renderers accept the analysis (huge numbers and odd notes included)."""
    render_file(analysis)
    json.dumps([model_json(model, analysis) for model in analysis.models])


# ---------------------------------------------------------------- loops and recursion


@pytest.mark.parametrize("count", ["10**12", "10**20", "2**100"])
def test_a_loop_over_a_huge_range_building_layers_stops_at_the_iteration_budget(count: str) -> None:
    """``range(10**20)`` is longer than Python's ``len`` can say: it once raised OverflowError."""
    text = KERAS + f"model = keras.Sequential([keras.Input((4,))])\nfor i in range({count}):\n    model.add(layers.Dense(4))\n"
    model = only_model(analyse(text))
    assert_incomplete(model, f"exceeds the iteration budget ({Budget().max_iterations:,})")


@pytest.mark.parametrize("expression, units", [("len(range(10**20))", 10**20), ("range(10**20)[-1]", 10**20 - 1), ("len(range(0, -10**30, -3))", (10**30 + 2) // 3)])
def test_lengths_and_items_of_huge_ranges_are_exact(expression: str, units: int) -> None:
    """Python computes these without building the range (``len`` beyond sys.maxsize once
    raised OverflowError in padlint): a Dense layer of that many units has (4 + 1) * units weights."""
    model = only_model(analyse(KERAS + f"n = {expression}\n" + DENSE_N))
    assert model.complete and model.weights.total == 5 * units


@pytest.mark.parametrize("expression", ["len(list(range(10**20)))", "max(range(10**20))", "sum(range(10**20))", "sorted(range(10**20))[0]"])
def test_huge_ranges_that_would_be_walked_become_unknown_sizes(expression: str) -> None:
    """Walking 10**20 items is past the iteration budget: the size is unknown, not an error."""
    model = only_model(analyse(KERAS + f"n = {expression}\n" + DENSE_N))
    assert_incomplete(model, "exceeds the iteration budget")
    assert model.weights.total is None


def test_while_true_stops_at_the_iteration_budget() -> None:
    text = KERAS + "model = keras.Sequential([keras.Input((4,))])\nwhile True:\n    model.add(layers.Dense(4))\n"
    # The wall clock is the other budget: on a loaded 2-core machine 10,000 layers may take longer
    # than its 10 s, and which limit stops the loop would then depend on the machine.
    options = AnalysisOptions(budget=Budget(max_seconds=600.0))
    model = only_model(analyse_source(SourceFile(path="hostile.py", text=text), options))
    assert_incomplete(model, "a while loop ran past the iteration budget")


def test_while_true_that_builds_nothing_is_given_up_without_spending_the_budget() -> None:
    """The loop cannot build a model: past its allowance it is forgotten (``x`` unknown), the
    budget is not spent, and nothing needs a note (the model after it is exact)."""
    analysis = analyse(KERAS + "x = 0\nwhile True:\n    x = x + 1\nn = 4\n" + DENSE_N)
    model = only_model(analysis)
    assert model.complete and not analysis.notes and not analysis.internal_errors
    assert model.weights.total == 4 * 4 + 4


def test_an_infinitely_recursive_helper_stops_at_the_call_depth_budget() -> None:
    text = KERAS + (
        "def build(x):\n"
        "    return build(layers.Dense(4)(x))\n"
        "inputs = keras.Input((4,))\n"
        "model = keras.Model(inputs, build(inputs))\n"
    )
    model = only_model(analyse(text))
    assert_incomplete(model, f"calls nested deeper than {Budget().max_call_depth}")


def test_mutually_recursive_helpers_stop_at_the_call_depth_budget() -> None:
    text = KERAS + (
        "def ping(x):\n"
        "    return pong(layers.Dense(4)(x))\n"
        "def pong(x):\n"
        "    return ping(layers.Dense(8)(x))\n"
        "inputs = keras.Input((4,))\n"
        "model = keras.Model(inputs, ping(inputs))\n"
    )
    model = only_model(analyse(text))
    assert_incomplete(model, f"calls nested deeper than {Budget().max_call_depth}")


def test_a_recursive_size_helper_leaves_the_size_unknown() -> None:
    text = KERAS + "def width(k):\n    return width(k + 1)\nn = width(1)\n" + DENSE_N
    model = only_model(analyse(text))
    assert_incomplete(model, "calls nested deeper than")
    assert model.weights.total is None


def test_nested_loops_stop_at_the_step_budget() -> None:
    """10,000 x 10,000 iterations, each loop within the iteration budget: the step budget ends it
    (the loop reads the model, so it might change it: it runs, and runs out of steps)."""
    text = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nx = 0\nfor i in range(10000):\n    for j in range(10000):\n        x = x + len(model.layers)\n"
    model = only_model(analyse(text))
    assert_incomplete(model, f"evaluation stopped after {Budget().max_steps:,} steps")


def test_nested_loops_that_build_nothing_are_given_up() -> None:
    """The same loops reading only numbers cannot change a model: given up past their allowance,
    they leave the model before them complete, and the one after them too."""
    loops = "x = 0\nfor i in range(10000):\n    for j in range(10000):\n        x = x + 1\n"
    text = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\n" + loops + "after = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\n"
    analysis = analyse(text)
    assert [summary.complete for summary in analysis.models] == [True, True] and not analysis.notes


def test_the_time_budget_stops_a_slow_evaluation() -> None:
    """Each step compares two lists of 100,000 items (a few milliseconds): with a budget of a
    tenth of a second the evaluation stops long before its 400,000 steps."""
    from padlint.analysis import AnalysisOptions, analyse_source
    from padlint.source import SourceFile

    text = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\na = [0] * 100000\nb = [0] * 100000\nfor i in range(10000):\n    for j in range(10000):\n        same = a == b\n"
    analysis = analyse_source(SourceFile("slow.py", text), AnalysisOptions(budget=Budget(max_seconds=0.1)))
    assert_incomplete(only_model(analysis), "evaluation stopped after 0.1 seconds")
    assert analysis.timed_out  # its result depends on the machine: never cached


def test_a_result_the_clock_cut_short_is_not_cached_and_one_the_step_budget_cut_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step budget gives the same result on every machine; the wall clock does not. With a
    clock budget of 3 s, the 400,000 cheap steps of steps.py end first (some 0.3 s), and the
    slow comparisons of slow.py reach the clock."""
    import functools

    import padlint.analysis
    from padlint.cache import Cache
    from padlint.config import Resolver
    from padlint.run import check_files

    slow = _write(tmp_path, "slow.py", KERAS + DENSE_N + "a = [0] * 100000\nb = [0] * 100000\nfor i in range(10000):\n    for j in range(10000):\n        same = a == b\n")
    steps = _write(tmp_path, "steps.py", KERAS + DENSE_N + "for i in range(10000):\n    for j in range(10000):\n        x = i\n")
    monkeypatch.setattr(padlint.analysis, "Budget", functools.partial(Budget, max_seconds=3.0))
    cache = Cache(tmp_path / "cache")
    results = check_files([str(slow), str(steps)], Resolver(), cache=cache)
    assert [result.cacheable for result in results] == [False, True]
    # One file's analysis is kept (the cache also keeps the rule catalogue, which has no findings).
    entries = [json.loads(path.read_text()) for path in (tmp_path / "cache").rglob("*.json")]
    assert len([entry for entry in entries if "findings" in entry]) == 1


@pytest.mark.parametrize(
    "code",
    [
        "if True: n = 8\n",
        "if False: n = 2\nelif True: n = 8\n",
        "for i in range(3): n = 8\n",
        "with open('x') as f: n = 8\n",
        "n = 2; n = n * 4\n",
        "def width(): return 8\nn = width()\n",
    ],
)
def test_statements_on_the_line_of_their_header_are_evaluated(code: str) -> None:
    """``if True: n = 8`` on one line (found while trying long ``elif`` chains: one-line bodies
    were forgotten as undecidable branches, leaving ``n`` unknown). Dense(8): 4 * 8 + 8."""
    model = only_model(analyse(KERAS + code + DENSE_N))
    assert model.complete and model.weights.total == 40


# ---------------------------------------------------------------- deep nesting


def _nested(kind: str, depth: int) -> str:
    return {
        "parentheses": "(" * depth + "1" + ")" * depth,
        "lists": "len(" + "[" * depth + "]" * depth + ")",
        "sum": "+".join(["1"] * depth),
        "and": " and ".join(["1"] * depth),
        "not": "not " * depth + "1",
        "unary minus": "-" * depth + "1",
        "conditional": "0 if 0 else " * depth + "1",
        "adjacent strings": "len(" + " ".join(["'a'"] * depth) + ")",
        "comprehension clauses": "len([1 " + " ".join(f"for a{i} in [1]" for i in range(depth)) + "])",
        "attributes": "x" + ".a" * depth,
    }[kind]


@pytest.mark.parametrize(
    "kind, depth",
    [("parentheses", 3000), ("lists", 3000), ("sum", 100_000), ("not", 5000), ("unary minus", 100_000), ("attributes", 5000)],
)
def test_nesting_python_itself_rejects_is_a_syntax_error(kind: str, depth: int) -> None:
    """Python refuses more than 200 open brackets, and thousands of nested operators
    ("too many nested parentheses", "RecursionError during compilation"): so does padlint."""
    analysis = analyse(KERAS + f"n = {_nested(kind, depth)}\n" + DENSE_N)
    assert analysis.syntax_error is not None and analysis.models == []
    assert "nested" in analysis.syntax_error.message
    assert analysis.syntax_error.line >= 1 and analysis.syntax_error.column >= 1


@pytest.mark.parametrize(
    "kind, depth",
    [("and", 5000), ("conditional", 2000), ("sum", 1000), ("adjacent strings", 5000), ("comprehension clauses", 5000)],
)
def test_nesting_beyond_padlints_limit_is_not_analysed_with_a_note(kind: str, depth: int) -> None:
    """Valid Python nested deeper than MAX_NESTING (libcst takes minutes or crashes on it):
    not analysed, and the note says how deep it is. Adjacent strings and comprehension
    clauses are flat to Python and nested in libcst (they once reached libcst)."""
    analysis = analyse(KERAS + f"n = {_nested(kind, depth)}\n" + DENSE_N)
    assert analysis.syntax_error is None and analysis.models == [] and not analysis.internal_errors
    assert len(analysis.notes) == 1 and f"(padlint analyses up to {MAX_NESTING})" in analysis.notes[0]
    assert f"nested {depth}" in analysis.notes[0] or "nested" in analysis.notes[0]


@pytest.mark.parametrize("kind", ["sum", "and", "lists", "conditional"])
def test_nesting_within_padlints_limit_but_past_the_expression_budget_leaves_the_size_unknown(kind: str) -> None:
    """400 levels parse, but the evaluator stops at Budget.max_expression_depth (150)."""
    depth = 190 if kind == "lists" else 400  # Python allows 200 open brackets
    model = only_model(analyse(KERAS + f"n = {_nested(kind, depth)}\n" + DENSE_N))
    assert_incomplete(model, "an expression is nested too deeply")


def test_a_list_nested_thousands_deep_by_a_loop_does_not_stop_the_analysis() -> None:
    """Values nested deeper than Python's own ``==`` can compare are not compared."""
    text = KERAS + "a = []\nfor i in range(9000):\n    a = [a]\nn = 4 if a == a else 5\n" + DENSE_N
    model = only_model(analyse(text))
    assert model.complete and model.weights.total == 4 * 4 + 4  # a == a: the same object


# ---------------------------------------------------------------- huge numbers and values


def test_dense_of_ten_to_the_hundred_is_computed_exactly() -> None:
    """10**100 units is an integer padlint computes with (332 bits): (4 + 1) * 10**100
    parameters, and both summaries print it."""
    analysis = analyse(KERAS + "n = 10**100\n" + DENSE_N)
    model = only_model(analysis)
    assert model.weights.total == 5 * 10**100
    reported(analysis)


def test_a_power_tower_is_too_large_to_compute() -> None:
    """2**10**10 has ten billion bits: the evaluator refuses it (Budget.max_int_bits)."""
    model = only_model(analyse(KERAS + "n = 2**10**10\n" + DENSE_N))
    assert_incomplete(model, "dense (Dense)")
    assert model.weights.total is None


def test_a_kernel_of_ten_to_the_thirty_is_larger_than_its_input() -> None:
    """Keras computes the output size 32 - 10**30 + 1 and rejects it: so does padlint."""
    text = KERAS + "model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 10**30)])\n"
    model = only_model(analyse(text))
    assert_incomplete(model, "Computed output size would be zero or negative")


def test_sizes_whose_product_has_thousands_of_digits_become_unknown() -> None:
    """Flatten of five axes of 10**1000 is 10**5000: more digits than Python prints
    (it once made an internal error); the product and the next layer's weights are unknown."""
    text = KERAS + "model = keras.Sequential([keras.Input((10**1000,) * 5), layers.Flatten(), layers.Dense(1)])\n"
    analysis = analyse(text)
    model = only_model(analysis)
    assert model.rows[0].output_shapes == [(None, None)]
    assert_incomplete(model, "parameter count unknown")
    reported(analysis)


@pytest.mark.parametrize(
    "expression",
    [
        "len('a' * 10**12)",
        "len([0] * 10**12)",
        "len('{:>9999999999}'.format(1))",
        "len('%9999999999d' % 1)",
        "len(''.join(['a' * 100000] * 100000))",
        "len(('a' * 100000).replace('', 'a' * 100000))",
        "len(str([[0] * 100000] * 100000))",
        "len(f'{\"a\" * 99999}{\"a\" * 99999}')",
    ],
)
def test_values_that_would_take_gigabytes_are_unknown_without_being_built(expression: str) -> None:
    """Each expression would build a string or list of gigabytes (the format and join cases
    once took 10 GB and half a minute): the size is unknown and nothing large is built."""
    model = only_model(analyse(KERAS + f"n = {expression}\n" + DENSE_N))
    assert not model.complete and model.weights.total is None


@pytest.mark.parametrize(
    "statement",
    [
        "same = a == b",
        "same = a in [b]",
        "same = {a: 1}",
        "same = sorted([a, b])",
        "same = [a].count(b)",
        "same = str(a)",
    ],
)
def test_operations_on_values_with_a_trillion_shared_parts_finish_at_once(statement: str) -> None:
    """``[[0] * 100_000] * 100_000`` is a small object with 10**10 items: Python's own ``==``,
    ``hash``, ``sorted`` or ``str`` on it would run for minutes (it once hung). The result
    is unknown; the model, which does not depend on it, is complete."""
    text = KERAS + "a = [[0] * 100000] * 100000\nb = [[0] * 100000] * 100000\n" + statement + "\nn = 4\n" + DENSE_N
    model = only_model(analyse(text))
    assert model.complete and model.weights.total == 20


def test_a_layer_argument_with_a_trillion_shared_parts_is_unknown_to_the_layer() -> None:
    model = only_model(analyse(KERAS + "n = [[0] * 100000] * 100000\n" + DENSE_N))
    assert not model.complete and model.weights.total is None


def test_a_giant_literal_list_is_set_aside_and_its_value_unknown() -> None:
    """A 100,000-element literal (about 450 kB) is data: libcst does not parse it (it would take
    a minute), its value is unknown, and the model using its length is incomplete."""
    numbers = ", ".join(str(index % 1000) for index in range(100_000))
    analysis = analyse(KERAS + f"sizes = [{numbers}]\nn = len(sizes)\n" + DENSE_N)
    model = only_model(analysis)
    assert not model.complete and model.weights.total is None
    assert model.line == 5  # lines after the literal are kept


def test_a_literal_of_a_million_elements_is_too_large_before_python_parses_it() -> None:
    """About 5 MB: Python's own parser would need a gigabyte for it (issue 16); its tokens are
    counted first, and the file is not analysed, with a note."""
    numbers = ", ".join(str(index % 1000) for index in range(1_000_000))
    analysis = analyse(KERAS + f"sizes = [{numbers}]\nn = len(sizes)\n" + DENSE_N)
    assert analysis.models == [] and not analysis.internal_errors
    assert analysis.notes == ["too large: more than 300,000 tokens (padlint analyses up to 300,000); not analysed"]


def test_a_file_of_several_megabytes_is_not_analysed_with_a_note() -> None:
    """Some 4 MB of ordinary statements: beyond MAX_NODES, a note says so."""
    body = "".join(f"value_{index} = layers.Dense({index % 64 + 1}, activation='relu')\n" for index in range(90_000))
    assert len(body) > 4_000_000
    analysis = analyse(KERAS + body + DENSE_N.replace("(n)", "(8)"))
    assert analysis.syntax_error is None and analysis.models == [] and not analysis.internal_errors
    assert len(analysis.notes) == 1 and analysis.notes[0].startswith("too large")


# ---------------------------------------------------------------- imports and graphs


def test_circular_imports_of_helper_modules_are_never_followed(tmp_path: Path) -> None:
    """padlint never imports: a helper imported from a sibling module is unknown, so two
    modules importing each other are analysed each on its own, once."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text(
        KERAS + "from pkg.second import make_layer\n\ndef make_model():\n    return keras.Sequential([keras.Input((4,)), make_layer()])\n\nmodel = make_model()\n"
    )
    (package / "second.py").write_text(KERAS + "from pkg.first import make_model\n\ndef make_layer():\n    return layers.Dense(make_model().output_shape[-1])\n")
    run = run_padlint("summary", "--output-format", "json", "pkg", cwd=tmp_path)
    assert run.code == 0, run.stderr
    document = json.loads(run.stdout)
    by_path = {Path(entry["path"]).name: entry["models"] for entry in document["files"]}
    assert by_path["second.py"] == []
    (model,) = by_path["first.py"]
    assert model["name"] == "model" and model["complete"] is False  # the imported layer is unknown


def test_a_layer_applied_to_its_own_output_ten_thousand_times_shares_its_weights() -> None:
    """``x = dense(x)`` in a loop: one layer, 4 * 4 + 4 weights, as Keras counts them."""
    text = KERAS + "inputs = keras.Input((4,))\ndense = layers.Dense(4)\nx = inputs\nfor i in range(10000):\n    x = dense(x)\nmodel = keras.Model(inputs, x)\n"
    model = only_model(analyse(text))
    assert model.complete and model.weights.total == 20 and len(model.rows) == 2  # InputLayer, dense


def test_a_model_added_to_itself_is_incomplete() -> None:
    """Keras accepts ``model.add(model)`` and recurses without end when it builds it (padlint
    once stopped the whole file's analysis with a RecursionError)."""
    model = only_model(analyse(KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nmodel.add(model)\n"))
    assert_incomplete(model, "is added to itself: Keras cannot build a model that contains itself")


def test_an_empty_model_added_to_itself_is_incomplete() -> None:
    model = only_model(analyse(KERAS + "model = keras.Sequential()\nmodel.add(model)\n"))
    assert_incomplete(model, "is added to itself")


def test_a_model_added_to_a_model_inside_it_is_incomplete() -> None:
    text = KERAS + "inner = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\nouter = keras.Sequential([inner])\ninner.add(outer)\n"
    analysis = analyse(text)
    inner = next(model for model in analysis.models if model.name == "inner")
    assert_incomplete(inner, "which it contains: Keras cannot build a model that contains itself")
    reported(analysis)


def test_a_model_called_on_its_own_output_is_an_ordinary_model() -> None:
    """Calling a model on its own output is no cycle (a new node of the same layers): 2 * 20."""
    text = KERAS + "inputs = keras.Input((4,))\nbase = keras.Model(inputs, layers.Dense(4)(inputs))\ntwice = keras.Model(inputs, base(base(inputs)))\n"
    analysis = analyse(text)
    twice = next(model for model in analysis.models if model.name == "twice")
    assert twice.complete and twice.weights.total == 20  # base's weights, counted once


def test_a_chain_of_ten_thousand_layers_is_analysed() -> None:
    """As many layers as one loop may add (Budget.max_iterations): each Dense(4) on 4 inputs
    has 4 * 4 + 4 weights. (The rules are run on a shorter chain below: PAD301 walks back
    from every Dense through the whole chain.)"""
    text = KERAS + "x = inputs = keras.Input((4,))\nfor i in range(10000):\n    x = layers.Dense(4)(x)\nmodel = keras.Model(inputs, x)\n"
    analysis = analyse(text)
    model = only_model(analysis)
    assert model.complete and len(model.rows) == 10_001 and model.weights.total == 10_000 * 20
    reported(analysis)


def test_a_chain_of_two_thousand_layers_is_checked(tmp_path: Path) -> None:
    _write(tmp_path, "chain.py", KERAS + "model = keras.Sequential([keras.Input((4,))] + [layers.Dense(4) for _ in range(2000)])\n")
    assert _check_lines(tmp_path, "chain.py") == (0, [])


def test_a_layer_with_ten_thousand_inputs_is_analysed_and_checked() -> None:
    text = KERAS + "inputs = keras.Input((4,))\nmodel = keras.Model(inputs, layers.Add()([layers.Dense(4)(inputs) for _ in range(10000)]))\n"
    analysis = analyse(text)
    model = only_model(analysis)
    assert model.complete and model.weights.total == 10_000 * 20
    assert check_analysis(analysis) == []
    json.dumps([model_json(summary, analysis) for summary in analysis.models])


def test_the_summary_of_a_layer_with_many_inputs_stays_narrow() -> None:
    text = KERAS + "inputs = keras.Input((4,))\nmodel = keras.Model(inputs, layers.Add()([layers.Dense(4)(inputs) for _ in range(200)]))\n"
    lines = render_file(analyse(text)).splitlines()
    assert max(len(line) for line in lines) < 200


def test_thousands_of_nested_models_are_summarised_up_to_the_limit() -> None:
    """5,000 Sequentials each wrapping the last: summarising each with its nested models
    took a minute; padlint summarises the first MAX_MODELS and says so."""
    text = KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nfor i in range(5000):\n    model = keras.Sequential([model])\n"
    analysis = analyse(text)
    assert not analysis.internal_errors and 0 < len(analysis.models) <= 1000
    assert any("models were summarised" in note for note in analysis.notes)


# ---------------------------------------------------------------- files the command line reads


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _check_lines(folder: Path, *names: str) -> tuple[int, list[str]]:
    run = run_padlint("check", "--output-format", "concise", "-q", *names, cwd=folder)
    assert "Traceback" not in run.stderr, run.stderr
    return run.code, run.stdout.splitlines()


#: Files Python itself refuses: a Python 2 print, a file cut off while typing, an unknown
#: character name in an escape (which libcst accepts).
SYNTAX_ERRORS = [
    ("python2.py", b"import keras\nprint 'hello'\n"),
    ("half.py", KERAS.encode() + b"model = keras.Sequential([keras.Input((4,)), layers.Dense(3"),
    ("escape.py", b"import keras\nx = '\\N{no such name}'\n"),
]


def _python_diagnosis(name: str, data: bytes) -> str:
    """The PAD001 line for Python's own syntax error: its message, line and column."""
    try:
        compile(data, name, "exec", dont_inherit=True)
    except SyntaxError as error:
        return f"{name}:{error.lineno}:{error.offset}: PAD001 cannot parse the file: {error.msg}"
    raise AssertionError(f"{name} is valid Python")


@pytest.mark.parametrize(
    "name, data, finding",
    [
        ("binary.py", b"import keras\x00\x01\x02\xff\xfe" * 10, "binary.py:1:1: PAD001 binary file (contains NUL bytes)"),
        ("undecodable.py", b"import keras\nx = '\xff\xfe'\n", "undecodable.py:1:1: PAD001 cannot decode: 'utf-8' codec can't decode byte 0xff"),
        ("latin.py", b"# -*- coding: bogus-codec -*-\nimport keras\n", "latin.py:1:1: PAD001 cannot decode: unknown encoding: bogus-codec"),
        ("broken.ipynb", b'{"cells": [', "broken.ipynb:1:12: PAD001 invalid notebook JSON: Expecting value"),
        ("cells.ipynb", b'{"cells": {"0": {"cell_type": "code"}}}', "cells.ipynb:1:1: PAD001 invalid notebook: no list of cells"),
        ("list.ipynb", b"[1, 2]", "list.ipynb:1:1: PAD001 invalid notebook: no list of cells"),
        ("surrogate.ipynb", b'{"cells": [{"cell_type": "code", "source": "import keras\\nx = \\"\\ud800\\"\\n"}]}', "surrogate.ipynb:1:65: PAD001 invalid notebook: cell 1 holds a lone surrogate (U+D800)"),
        *[(name, data, _python_diagnosis(name, data)) for name, data in SYNTAX_ERRORS],
    ],
)
def test_a_file_padlint_cannot_take_is_one_pad001_finding_and_the_run_goes_on(tmp_path: Path, name: str, data: bytes, finding: str) -> None:
    """One finding at the place of the problem (the notebook's JSON position, the syntax
    error's line and column), and the good file next to it is still checked."""
    _write(tmp_path, name, data)
    _write(tmp_path, "good.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3)])\n")
    code, lines = _check_lines(tmp_path, ".")
    assert code == 1
    assert [line for line in lines if line.startswith(name)] == [line for line in lines if line.startswith(finding)] and len(lines) == 2
    assert any(line.startswith("good.py:3:") and "PAD103" in line for line in lines)


def test_a_file_padlint_cannot_read_is_a_one_line_error_in_summaries(tmp_path: Path) -> None:
    _write(tmp_path, "binary.py", b"\x00\x01keras")
    _write(tmp_path, "good.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n")
    run = run_padlint("summary", ".", cwd=tmp_path)
    assert run.code == 2
    assert run.stderr.splitlines() == ["padlint: error: binary.py: binary file (contains NUL bytes)"]
    assert 'Model: "sequential"  (model, good.py:3, sequential)' in run.stdout


def test_a_file_that_does_not_parse_is_named_by_padlint_summary(tmp_path: Path) -> None:
    _write(tmp_path, "python2.py", b"import keras\nprint 'hello'\n")
    run = run_padlint("summary", "python2.py", cwd=tmp_path)
    assert run.code == 2 and "python2.py:2:1" in run.stderr


def test_an_empty_file_has_nothing_to_report(tmp_path: Path) -> None:
    _write(tmp_path, "empty.py", b"")
    assert _check_lines(tmp_path, "empty.py") == (0, [])
    analysis = analyse("")
    assert analysis.models == [] and analysis.notes == [] and analysis.syntax_error is None


def test_a_file_larger_than_padlint_reads_is_one_pad001(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stops one byte past MAX_FILE_BYTES (200 MB; 100 bytes here) and says so."""
    import padlint.source
    from padlint.source import SourceError, read_source

    monkeypatch.setattr(padlint.source, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.py").write_text(KERAS * 5)
    with pytest.raises(SourceError, match="too large to read: more than"):
        read_source(tmp_path / "big.py")


def test_a_source_whose_encoding_makes_a_lone_surrogate_is_refused() -> None:
    """``raw_unicode_escape`` turns ``\\ud800`` into a character no output can print (the
    report would die with UnicodeEncodeError): a PAD001 at its place instead."""
    from padlint.source import SourceError, decode_python

    with pytest.raises(SourceError, match=r"a lone surrogate \(U\+D800\)") as raised:
        decode_python(b'# -*- coding: raw_unicode_escape -*-\nimport keras\nx = "\\ud800"\n')
    assert (raised.value.line, raised.value.column) == (3, 6)


MODEL_LINES = [
    "from tensorflow import keras",
    "if True:",
    "\tmodel = keras.Sequential([keras.Input((4,)),",
    "\t    keras.layers.Conv1D(3, 5)])",
]


@pytest.mark.parametrize(
    "name, data",
    [
        ("lf.py", "\n".join(MODEL_LINES).encode() + b"\n"),
        ("crlf.py", "\r\n".join(MODEL_LINES).encode() + b"\r\n"),
        ("cr.py", "\r".join(MODEL_LINES).encode() + b"\r"),
        ("bom.py", b"\xef\xbb\xbf" + "\n".join(MODEL_LINES).encode() + b"\n"),
        ("no_final_newline.py", "\n".join(MODEL_LINES).encode()),
    ],
)
def test_newlines_tabs_and_a_byte_order_mark_do_not_move_findings(tmp_path: Path, name: str, data: bytes) -> None:
    """The Conv1D on line 4 (after a tab) gets a rank-2 input: the same finding, at the same
    line and column, whatever ends the lines."""
    _write(tmp_path, name, data)
    code, lines = _check_lines(tmp_path, name)
    assert code == 1
    assert [line.split(" ", 2)[:2] for line in lines] == [[f"{name}:4:6:", "PAD103"]]


def test_a_notebook_with_odd_cells_is_analysed(tmp_path: Path) -> None:
    """Cells that are not objects, sources that are numbers or lists with numbers in them,
    magics and shell escapes: what is Python is analysed (cell 3 here), the rest is left out."""
    cells = [
        "junk",
        {"cell_type": "code", "source": 5},
        {"cell_type": "code", "source": ["from tensorflow import keras\n", 3, "model = keras.Sequential([keras.Input((4,)), keras.layers.Conv1D(2, 9)])\n"]},
        {"cell_type": "code"},
        {"cell_type": "code", "source": "!rm -rf /\n%run other.py\n"},
    ]
    _write(tmp_path, "odd.ipynb", json.dumps({"cells": cells}))
    code, lines = _check_lines(tmp_path, "odd.ipynb")
    assert code == 1 and len(lines) == 1 and lines[0].startswith("odd.ipynb:cell 3:2:") and "PAD103" in lines[0]


# ---------------------------------------------------------------- reports of incomplete models


def test_a_budget_stopped_model_is_reported_incomplete_by_padlint_summary(tmp_path: Path) -> None:
    _write(tmp_path, "loop.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nwhile True:\n    model.add(layers.Dense(4))\n")
    text = run_padlint("summary", "loop.py", cwd=tmp_path)
    assert text.code == 0
    assert " Incomplete: a while loop ran past the iteration budget" in text.stdout
    as_json = run_padlint("summary", "--output-format", "json", "loop.py", cwd=tmp_path)
    (model,) = json.loads(as_json.stdout)["files"][0]["models"]
    assert model["complete"] is False


def _files_padlint_does_not_analyse(folder: Path) -> None:
    """One file nested beyond MAX_NESTING, one whose loop spends the budget before any model."""
    _write(folder, "deep.py", KERAS + "n = " + " and ".join(["a"] * 5000) + "\n" + DENSE_N)
    # (A loop that creates layers: one that builds nothing would be given up without a note.)
    _write(folder, "spin.py", KERAS + "while True:\n    layer = layers.Dense(4)\n")


def _assert_notes(lines: list[str]) -> None:
    deep, spin = lines
    assert re.fullmatch(rf"padlint: note: deep\.py: nested \d{{4}} levels deep \(padlint analyses up to {MAX_NESTING}\); not analysed", deep), deep
    assert spin == "padlint: note: spin.py: a while loop ran past the iteration budget (10,000)"


def test_padlint_summary_says_why_a_file_gave_no_table(tmp_path: Path) -> None:
    """No table is printed for these files, so stderr says why (in both output formats)."""
    _files_padlint_does_not_analyse(tmp_path)
    for arguments in ([], ["--output-format", "json"]):
        run = run_padlint("summary", *arguments, "deep.py", "spin.py", cwd=tmp_path)
        assert run.code == 0, run.stderr
        _assert_notes(run.stderr.splitlines())


def test_padlint_check_says_why_a_file_was_not_analysed_only_when_verbose(tmp_path: Path) -> None:
    """Unknown is silent in a check (CI logs stay clean); ``-v`` says what was left unchecked,
    also when the result comes from the cache."""
    _files_padlint_does_not_analyse(tmp_path)
    (tmp_path / "pyproject.toml").write_text("")  # a project root, where the cache lives
    quiet = run_padlint("check", "deep.py", "spin.py", cwd=tmp_path)
    assert quiet.code == 0 and "note" not in quiet.stderr
    for _ in range(2):
        verbose = run_padlint("check", "-v", "deep.py", "spin.py", cwd=tmp_path, env={"PADLINT_NO_CACHE": ""})
        assert verbose.code == 0
        _assert_notes([line for line in verbose.stderr.splitlines() if line.startswith("padlint: note:")])
    assert "2 from the cache" in verbose.stderr


def test_a_note_already_in_a_models_table_is_not_repeated(tmp_path: Path) -> None:
    _write(tmp_path, "loop.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(4)])\nwhile True:\n    model.add(layers.Dense(4))\n")
    run = run_padlint("summary", "loop.py", cwd=tmp_path)
    assert "a while loop ran past" in run.stdout and run.stderr == ""


# ---------------------------------------------------------------- internal errors


def _explode_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make padlint's analysis raise (a bug) for files called ``name``."""
    import padlint.analysis

    real = padlint.analysis.analyse_source

    def analyse_source(source, options=None):
        if source.path.endswith(name):
            raise ZeroDivisionError("a bug in padlint")
        return real(source, options)

    monkeypatch.setattr(padlint.analysis, "analyse_source", analyse_source)


@pytest.mark.parametrize("command", ["check", "summary"])
def test_an_internal_error_names_the_file_and_version_and_exits_with_2(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """The other file is still reported; stderr has one line for the failing file."""
    from padlint.cli import main

    _write(tmp_path, "bad.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n")
    _write(tmp_path, "good.py", KERAS + "model = keras.Sequential([keras.Input((4,)), layers.Conv1D(2, 3)])\n")
    _explode_on("bad.py", monkeypatch)
    monkeypatch.chdir(tmp_path)
    code = main([command, "--no-cache", "-j1", "."])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines() == [f"padlint: internal error in bad.py (padlint {__version__}): ZeroDivisionError: a bug in padlint; please report it"]
    assert "good.py" in out and "Traceback" not in out + err
