"""Measure padlint against Keras on the real-world-style corpus (fixtures/realworld).

Why: padlint's own fixtures were written by the people who wrote padlint, so they say little
about code written by others. This tool runs every corpus program in Keras itself (the oracle),
collects every model the program builds and what ``model.summary()`` prints for it, runs
``padlint summary`` and ``padlint check`` on the same file, and compares them row by row.

Usage (from the repository root, with the test extra installed)::

    python tools/measure_corpus.py                      # every program of fixtures/realworld
    python tools/measure_corpus.py -j 2 --json out.json fixtures/realworld/so_*.py
    python tools/measure_corpus.py --verify             # also fail when a header's claim is false

How Keras is run (one subprocess per program, this same file with ``--keras-child``):

- the network is cut (``socket.connect`` raises), ``KERAS_HOME`` is a temporary folder;
- ``keras.datasets.*.load_data`` (and ``get_word_index``) return arrays of the documented shapes
  and dtypes (read from keras/src/datasets/*.py): zero images, labels cycling through the
  classes (so ``np.max(y) + 1`` and ``to_categorical(y)`` see every class), ragged word-index
  lists for IMDB and Reuters; nothing is downloaded;
- ``keras.applications`` keep ``weights="imagenet"`` (the architecture sometimes depends on it,
  e.g. EfficientNet's extra Rescaling): the weight file download returns a placeholder and
  ``load_weights`` ignores that placeholder;
- ``fit``, ``evaluate``, ``predict``, ``train_on_batch``, ``test_on_batch``, ``predict_on_batch``,
  ``save`` and ``save_weights`` do no work. ``fit``/``train_on_batch``/... still build an unbuilt
  model the way Keras' trainer does (``compute_output_spec`` on the first batch with an unknown
  batch dimension), without building the optimizer, so summaries after ``fit`` are what a user sees;
  ``predict`` returns zeros of the model's output shape;
- names a snippet uses without importing them come from its ``# corpus: assume=`` header line
  (Stack Overflow snippets omit their imports), executed before the program in its namespace.

Which models Keras "finds": every ``keras.Model`` (Sequential, Functional, subclassed, and those
``keras.applications`` return) whose construction has a frame of the program on the call stack,
hooked in ``Model.__init__``/``Functional.__init__``/``Sequential.__init__``, in creation order.
Each is summarised when the program has finished (or failed), so layers added after construction
count. The rows are the cells ``summary()`` passes to rich's ``Table.add_row`` (exactly what is
printed, without column truncation); the totals are parsed from the printed text.

How padlint's models are matched to Keras' (greedy, best score first, then nearest in order):
score = 4 if padlint's model line is the innermost program line of the Keras model's
construction (3 if it is an outer one, e.g. the builder's call), + 2 if padlint's Keras-style
model name (``Model: "..."`` in ``padlint summary``) equals Keras' ``model.name``, + 2 x the share
of (layer name, class) rows in common. Pairs scoring under 2 are not matched. Rows of a matched
pair are aligned on layer classes (difflib); a row is *exact* when name, class, output shape and
parameter count all equal Keras'; *wrong* when padlint states a definite value Keras contradicts
(a different int, a different rank, an int where Keras has None, another name or class);
otherwise *unknown* (null or symbolic where Keras has a number). A model is exact when it is
matched, every row is exact, no row is missing or extra, and the three totals equal Keras'
(Keras' total without optimizer variables).

Each program's header states its expectation (see fixtures/realworld/README.md)::

    # corpus: style=stackoverflow
    # corpus: keras=raises ValueError      (or keras=runs, keras=builds-wrong)
    # corpus: expert=PAD104                (what a Keras expert wants reported; none for clean code)
    # corpus: assume=from keras.models import Sequential
"""

from __future__ import annotations

import argparse
import ast
import collections
import dataclasses
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "realworld"
CHILD_TIMEOUT = 300
PADLINT_TIMEOUT = 180
PLACEHOLDER_WEIGHTS = "/nonexistent/measure_corpus/placeholder_weights.h5"


# --------------------------------------------------------------------------------------------
# Program headers
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Header:
    """What the program's author states: how Keras behaves on it and what an expert wants reported."""

    style: str = ""
    keras: str = "runs"  # "runs", "builds-wrong" or "raises <ExceptionName>"
    expert: list[str] = dataclasses.field(default_factory=list)
    expert_note: str = ""
    assume: str = ""

    @property
    def raises(self) -> str | None:
        return self.keras.split(None, 1)[1].strip() if self.keras.startswith("raises") else None


def read_header(text: str) -> Header:
    """Parse the ``# corpus: key=value`` lines at the top of a program."""
    header = Header()
    for line in text.splitlines():
        match = re.match(r"#\s*corpus:\s*(\w+)\s*=\s*(.*)$", line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "style":
            header.style = value
        elif key == "keras":
            header.keras = value
        elif key == "expert":
            codes, _, note = value.partition(" ")
            header.expert = [] if codes == "none" else [c for c in codes.split(",") if c]
            header.expert_note = note.strip(" ()")
        elif key == "assume":
            header.assume = (header.assume + "\n" if header.assume else "") + value.replace("; ", "\n")
    return header


def header_text(path: Path) -> str:
    """The text that holds the header: the file, or a notebook's cells (markdown included)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text).get("cells", [])
    return "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
                     for c in cells)


def program_code(path: Path) -> str:
    """The program's Python text: a notebook's code cells joined, IPython magics blanked (line count kept)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    notebook = json.loads(text)
    lines: list[str] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for line in source.splitlines():
            stripped = line.lstrip()
            lines.append("" if stripped.startswith(("%", "!")) else line)
        lines.append("")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The Keras side (runs in a child process)
# --------------------------------------------------------------------------------------------


def _fake_datasets() -> dict[str, Any]:
    """Replacement ``load_data`` bodies with the documented shapes (keras/src/datasets/*.py)."""
    import numpy as np

    def images(n: int, shape: tuple[int, ...]) -> Any:
        return np.zeros((n, *shape), dtype="uint8")

    def cycling(n: int, classes: int, dtype: str = "uint8", column: bool = False) -> Any:
        labels = (np.arange(n) % classes).astype(dtype)
        return labels.reshape(n, 1) if column else labels

    def sequences(n: int, num_words: int | None, maxlen: int | None) -> Any:
        top = num_words or 88587
        out = np.empty(n, dtype="object")
        for i in range(n):
            length = 20 + (i * 37) % 400
            if maxlen:
                length = min(length, maxlen - 1)
            out[i] = [1] + [(i + j) % (top - 4) + 4 for j in range(length - 1)]
        return out

    def mnist(path: str = "mnist.npz") -> Any:
        return (images(60000, (28, 28)), cycling(60000, 10)), (images(10000, (28, 28)), cycling(10000, 10))

    def fashion_mnist() -> Any:
        return mnist()

    def cifar10() -> Any:
        return ((images(50000, (32, 32, 3)), cycling(50000, 10, column=True)),
                (images(10000, (32, 32, 3)), cycling(10000, 10, column=True)))

    def cifar100(label_mode: str = "fine") -> Any:
        classes = 100 if label_mode == "fine" else 20
        return ((images(50000, (32, 32, 3)), cycling(50000, classes, column=True)),
                (images(10000, (32, 32, 3)), cycling(10000, classes, column=True)))

    def imdb(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
             seed: int = 113, start_char: int = 1, oov_char: int = 2, index_from: int = 3, **kwargs: Any) -> Any:
        return ((sequences(25000, num_words, maxlen), cycling(25000, 2, "int64")),
                (sequences(25000, num_words, maxlen), cycling(25000, 2, "int64")))

    def reuters(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
                maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int = 1,
                oov_char: int = 2, index_from: int = 3) -> Any:
        total = 11228
        idx = int(total * (1 - test_split))
        return ((sequences(idx, num_words, maxlen), cycling(idx, 46, "int64")),
                (sequences(total - idx, num_words, maxlen), cycling(total - idx, 46, "int64")))

    def table(total: int, features: int, test_split: float) -> Any:
        idx = int(total * (1 - test_split))
        return ((np.zeros((idx, features)), np.zeros((idx,))),
                (np.zeros((total - idx, features)), np.zeros((total - idx,))))

    def boston_housing(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113) -> Any:
        return table(506, 13, test_split)

    def california_housing(version: str = "large", path: str = "california_housing.npz",
                           test_split: float = 0.2, seed: int = 113) -> Any:
        return table(20640 if version == "large" else 600, 8, test_split)

    def word_index(path: str = "word_index.json") -> Any:
        return {f"word{i}": i for i in range(1, 1001)}

    return {
        "mnist": mnist, "fashion_mnist": fashion_mnist, "cifar10": cifar10, "cifar100": cifar100,
        "imdb": imdb, "reuters": reuters, "boston_housing": boston_housing,
        "california_housing": california_housing, "word_index": word_index,
    }


def _swap_body(function: Any, replacement: Any) -> None:
    """Give ``function`` the body of ``replacement``, so every alias of it (``keras.datasets.mnist``,
    ``tf.keras.datasets.mnist``, ``from ... import load_data``) runs the replacement."""
    holder = f"_measure_corpus_{function.__name__}_{id(function)}"
    sys.modules["builtins"].__dict__[holder] = replacement
    namespace: dict[str, Any] = {}
    exec(f"def stub(*args, **kwargs):\n    return __import__('builtins').{holder}(*args, **kwargs)\n", namespace)
    function.__code__ = namespace["stub"].__code__
    function.__defaults__ = None
    function.__kwdefaults__ = None


def _install_patches(program: str) -> None:
    """Make the program run offline, in seconds, without training (see the module docstring)."""
    import socket

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise OSError("network access is disabled while measuring the corpus")

    socket.socket.connect = no_network  # type: ignore[method-assign]
    socket.create_connection = no_network  # type: ignore[assignment]

    import numpy as np
    from keras.src import backend, tree
    from keras.src.datasets import (boston_housing, california_housing, cifar10, cifar100, fashion_mnist,
                                    imdb, mnist, reuters)
    from keras.src.models.model import Model
    from keras.src.utils import file_utils

    fakes = _fake_datasets()
    for module in (mnist, fashion_mnist, cifar10, cifar100, imdb, reuters, boston_housing, california_housing):
        _swap_body(module.load_data, fakes[module.__name__.rsplit(".", 1)[1]])
    _swap_body(imdb.get_word_index, fakes["word_index"])
    _swap_body(reuters.get_word_index, fakes["word_index"])

    original_get_file = file_utils.get_file

    def get_file(*args: Any, **kwargs: Any) -> str:
        caller = sys._getframe(2).f_code.co_filename
        if f"{os.sep}applications{os.sep}" in caller:
            return PLACEHOLDER_WEIGHTS
        raise OSError(f"downloads are disabled while measuring the corpus: get_file{args!r}")

    _swap_body(original_get_file, get_file)

    original_load_weights = Model.load_weights

    def load_weights(self: Any, filepath: Any, *args: Any, **kwargs: Any) -> Any:
        if str(filepath) == PLACEHOLDER_WEIGHTS:
            return None
        return original_load_weights(self, filepath, *args, **kwargs)

    def first_batch(x: Any, batch_size: Any = None) -> Any:
        """The structure Keras' trainer builds from: the inputs with an unknown batch dimension."""
        try:
            import tensorflow as tf

            if isinstance(x, tf.data.Dataset):
                element = next(iter(x))
                x = element[0] if isinstance(element, tuple) else element
                return tree.map_structure(
                    lambda v: backend.KerasTensor((None, *tuple(v.shape)[1:]), backend.standardize_dtype(v.dtype)), x)
        except Exception:  # noqa: BLE001 - anything else is treated as arrays below
            pass

        def symbolic(value: Any) -> Any:
            if value is None:
                return None
            array = value if hasattr(value, "shape") and hasattr(value, "dtype") else np.asarray(value)
            return backend.KerasTensor((None, *tuple(array.shape)[1:]), backend.standardize_dtype(array.dtype))

        return tree.map_structure(symbolic, x)

    def build_like_fit(model: Any, x: Any) -> None:
        if x is None or all(layer.built for layer in model._flatten_layers()):
            return
        try:
            backend.compute_output_spec(model, first_batch(x), training=False)
        except Exception:  # noqa: BLE001 - a model Keras cannot build stays unbuilt, as it would fail in fit
            traceback.print_exc()

    class _History:
        def __init__(self) -> None:
            self.history: dict[str, list[float]] = collections.defaultdict(list)
            self.epoch: list[int] = []

    def fit(self: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x)
        return _History()

    def evaluate(self: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x)
        config = getattr(getattr(self, "_compile_config", None), "config", {}) or {}
        metrics = len(tree.flatten(config.get("metrics") or []))
        return 0.0 if not metrics else [0.0] * (1 + metrics)

    def predict(self: Any, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x)
        count = len(tree.flatten(x)[0]) if x is not None else 1
        spec = backend.compute_output_spec(self, first_batch(x), training=False)
        return tree.map_structure(
            lambda s: np.zeros(tuple(count if d is None else d for d in s.shape), dtype="float32"), spec)

    def on_batch(self: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x)
        return 0.0

    def nothing(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    Model.load_weights = load_weights  # type: ignore[method-assign]
    Model.fit = fit  # type: ignore[method-assign]
    Model.evaluate = evaluate  # type: ignore[method-assign]
    Model.predict = predict  # type: ignore[method-assign]
    Model.predict_on_batch = predict  # type: ignore[method-assign]
    Model.train_on_batch = on_batch  # type: ignore[method-assign]
    Model.test_on_batch = on_batch  # type: ignore[method-assign]
    Model.save = nothing  # type: ignore[method-assign]
    Model.save_weights = nothing  # type: ignore[method-assign]


def _call_lines(frame: Any, program: str) -> list[int]:
    """Start lines of the program's frames on the stack, outermost first."""
    lines = []
    while frame is not None:
        if frame.f_code.co_filename == program:
            try:
                position = list(frame.f_code.co_positions())[frame.f_lasti // 2]
                lines.append(position[0] or frame.f_lineno)
            except (IndexError, AttributeError):
                lines.append(frame.f_lineno)
        frame = frame.f_back
    return lines[::-1]


def _built_inside(frame: Any, program: str, model: Any) -> str | None:
    """The class of the program's layer or model whose method builds ``model`` (a Sequential made in
    a custom layer's ``__init__``), or None for a model the program itself builds."""
    from keras.src.layers.layer import Layer

    while frame is not None:
        if frame.f_code.co_filename == program:
            owner = frame.f_locals.get("self")
            if isinstance(owner, Layer) and owner is not model:
                return type(owner).__name__
        frame = frame.f_back
    return None


def _hook_model_creation(program: str, created: list[dict[str, Any]]) -> None:
    """Record every Model constructed with a program frame on the stack, once, in creation order."""
    from keras.src.models.functional import Functional
    from keras.src.models.model import Model
    from keras.src.models.sequential import Sequential

    seen: set[int] = set()

    def wrap(cls: Any) -> None:
        original = cls.__init__

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if id(self) not in seen:
                seen.add(id(self))
                creator = sys._getframe(1)
                # A Sequential's inner Functional (and clones) are Keras' own composition, not the program's.
                internal = f"keras{os.sep}src{os.sep}models{os.sep}" in creator.f_code.co_filename
                lines = _call_lines(creator, program)
                if lines and not internal:
                    created.append({"model": self, "lines": lines, "inside": _built_inside(creator, program, self)})
            original(self, *args, **kwargs)

        cls.__init__ = __init__

    for cls in (Model, Functional, Sequential):
        wrap(cls)


def _parse_shape(text: str) -> Any:
    """``(None, 26, 26, 32)`` -> tuple, ``[(None, 10), (None, 5)]`` -> list of tuples; else the text."""
    if text == "?":
        return "?"
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value


def _summarise(model: Any) -> dict[str, Any]:
    """Run ``model.summary()`` and return its rows (cells as printed) and totals."""
    import rich.table
    import rich.text

    cells: list[list[str]] = []
    original_add_row = rich.table.Table.add_row

    def add_row(self: Any, *renderables: Any, **kwargs: Any) -> Any:
        cells.append([rich.text.Text.from_markup(r).plain if isinstance(r, str) else str(r) for r in renderables])
        return original_add_row(self, *renderables, **kwargs)

    printed: list[str] = []
    rich.table.Table.add_row = add_row  # type: ignore[method-assign]
    try:
        model.summary(print_fn=lambda text, *a, **k: printed.append(text))
    finally:
        rich.table.Table.add_row = original_add_row  # type: ignore[method-assign]
    text = "\n".join(printed)
    rows = []
    for row in cells:
        match = re.match(r"^(.*) \(([^()]*)\)$", row[0])
        name, cls = (match.group(1), match.group(2)) if match else (row[0], "")
        params_text = row[2].replace(",", "")
        unbuilt = "unbuilt" in params_text
        try:
            params: int | None = int(params_text.split()[0])
        except (ValueError, IndexError):
            params = None
        rows.append({"name": name, "class": cls, "shape_text": row[1],
                     "params": params, "unbuilt": unbuilt})

    def total(label: str) -> int | None:
        match = re.search(rf"^\s*{label} params: ([\d,]+)", text, re.MULTILINE)
        return int(match.group(1).replace(",", "")) if match else None

    trainable, non_trainable = total("Trainable"), total("Non-trainable")
    return {
        "rows": rows,
        "printed_total": total("Total"),
        "optimizer_params": total("Optimizer") or 0,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "total_params": None if trainable is None or non_trainable is None else trainable + non_trainable,
        "text": text,
    }


def keras_child(program: str, out: str) -> None:
    """Run one program in Keras and write what it built to ``out`` (JSON)."""
    program = str(Path(program).resolve())
    path = Path(program)
    header = read_header(header_text(path))
    import keras  # noqa: F401 - imported before the patches so every public alias exists

    _install_patches(program)
    created: list[dict[str, Any]] = []
    _hook_model_creation(program, created)

    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": program, "__builtins__": __builtins__}
    sys.argv = [program]
    error = None
    started = time.perf_counter()
    try:
        if header.assume:
            exec(compile(header.assume, "<corpus assume>", "exec"), namespace)
        exec(compile(program_code(path), program, "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - the buggy programs are meant to fail
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == program]
        error = {"type": type(exc).__name__, "message": str(exc)[:600], "line": frames[-1].lineno if frames else None}
    elapsed = time.perf_counter() - started

    bound: dict[int, list[str]] = collections.defaultdict(list)
    for name, value in namespace.items():
        items = value if isinstance(value, (list, tuple)) else value.values() if isinstance(value, dict) else [value]
        for item in items:
            bound[id(item)].append(name)
    models = []
    for order, record in enumerate(created):
        model = record["model"]
        entry = {"order": order, "name": getattr(model, "name", "?"), "class": type(model).__name__,
                 "lines": record["lines"], "variables": bound.get(id(model), []), "inside": record["inside"]}
        try:
            entry.update(_summarise(model))
        except Exception as exc:  # noqa: BLE001 - a model Keras itself cannot summarise
            entry["summary_error"] = f"{type(exc).__name__}: {exc}"[:400]
            entry["rows"] = []
        models.append(entry)
    Path(out).write_text(json.dumps({"error": error, "seconds": round(elapsed, 2), "models": models}, default=str))


# --------------------------------------------------------------------------------------------
# The padlint side
# --------------------------------------------------------------------------------------------


def _padlint(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "padlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=PADLINT_TIMEOUT, env={**os.environ, "PADLINT_NO_CACHE": "1", "NO_COLOR": "1"})


def run_padlint(path: Path) -> dict[str, Any]:
    """``padlint summary`` (JSON, and text with -v for the names and reasons) and ``padlint check`` (JSON)."""
    rel = os.path.relpath(path, ROOT)
    common = ["--isolated", "--no-cache", "-j", "1"]
    result: dict[str, Any] = {"crashes": []}
    started = time.perf_counter()
    summary = _padlint(["summary", "--output-format", "json", *common, rel], ROOT)
    text = _padlint(["summary", "-v", *common, rel], ROOT)
    check = _padlint(["check", "--output-format", "json", "--exit-zero", *common, rel], ROOT)
    result["seconds"] = round(time.perf_counter() - started, 2)
    for name, proc in (("summary", summary), ("summary -v", text), ("check", check)):
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr or "internal error" in proc.stderr.lower():
            result["crashes"].append({"command": name, "returncode": proc.returncode, "stderr": proc.stderr[-1500:]})
    try:
        files = json.loads(summary.stdout)["files"]
        models = [m for f in files for m in f["models"]]
    except (json.JSONDecodeError, KeyError, TypeError):
        models = []
    headers = _text_headers(text.stdout)
    for index, model in enumerate(models):
        info = headers[index] if index < len(headers) else {}
        if info and info.get("line") != model.get("line"):
            info = next((h for h in headers if h["line"] == model.get("line") and h["var"] == model["name"]), {})
        model["keras_name"] = info.get("keras_name")
        model["reasons"] = info.get("reasons", [])
    result["models"] = models
    try:
        result["findings"] = json.loads(check.stdout)
    except json.JSONDecodeError:
        result["findings"] = []
    result["notes"] = [line for line in (summary.stderr + text.stderr).splitlines() if "note:" in line]
    return result


def _text_headers(text: str) -> list[dict[str, Any]]:
    """From ``padlint summary -v``: each model's Keras-style name and its ``Incomplete:`` reasons."""
    headers: list[dict[str, Any]] = []
    for line in text.splitlines():
        match = re.match(r'^Model: "(.*)"\s+\((.*), (.*):(\d+), (\w+)\)\s*$', line)
        if match:
            headers.append({"keras_name": match.group(1), "var": match.group(2), "line": int(match.group(4)),
                            "reasons": []})
        elif headers and re.match(r"^\s+(Incomplete|Unknown|Note)\b", line):
            headers[-1]["reasons"].append(line.strip())
        elif headers and headers[-1]["reasons"] and line.startswith("   ") and not line.startswith(" Total"):
            headers[-1]["reasons"][-1] += " " + line.strip()
    return headers


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

EXACT, UNKNOWN, WRONG = "exact", "unknown", "wrong"


def _worst(*verdicts: str) -> str:
    return WRONG if WRONG in verdicts else UNKNOWN if UNKNOWN in verdicts else EXACT


def _as_shape(value: Any) -> Any:
    """padlint's JSON shape (lists) in Keras' printed form (tuples, or a list of tuples)."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(isinstance(v, list) or v is None for v in value):
        return [_as_shape(v) for v in value]
    return tuple(value) if isinstance(value, list) else value


def compare_dims(mine: Any, keras: Any) -> str:
    if isinstance(mine, str) and not isinstance(keras, str):
        return UNKNOWN  # a symbolic dimension
    if mine is None:
        return EXACT if keras is None else UNKNOWN
    if keras is None:
        return WRONG  # padlint states a size where Keras has none
    return EXACT if mine == keras else WRONG


def compare_shape(mine: Any, keras: Any) -> str:
    """exact / unknown / wrong, as defined in the module docstring."""
    if keras == "?":
        return EXACT if mine is None else UNKNOWN
    if mine is None:
        return UNKNOWN
    if isinstance(keras, str):
        return EXACT if format_shape(mine) == keras else UNKNOWN
    if isinstance(keras, tuple) and isinstance(mine, tuple):
        if len(keras) != len(mine):
            return WRONG
        return _worst(EXACT, *(compare_dims(m, k) for m, k in zip(mine, keras)))
    if isinstance(keras, list) and isinstance(mine, list):
        if len(keras) != len(mine):
            return WRONG
        return _worst(EXACT, *(compare_shape(m, k) for m, k in zip(mine, keras)))
    return WRONG


def format_shape(shape: Any) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    if isinstance(shape, tuple):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    return str(shape)


def compare_count(mine: Any, keras: Any) -> str:
    if mine is None or keras is None:
        return UNKNOWN if mine != keras else EXACT
    return EXACT if mine == keras else WRONG


def compare_row(mine: dict[str, Any], keras: dict[str, Any]) -> dict[str, Any]:
    shape = compare_shape(_as_shape(mine.get("output_shape")), _parse_shape(keras["shape_text"]))
    params = compare_count(mine.get("params"), keras["params"])
    name = EXACT if mine.get("name") == keras["name"] else WRONG
    cls = EXACT if mine.get("class") == keras["class"] else WRONG
    return {"verdict": _worst(shape, params, name, cls), "shape": shape, "params": params, "name": name,
            "class": cls, "keras": [keras["name"], keras["class"], keras["shape_text"], keras["params"]],
            "padlint": [mine.get("name"), mine.get("class"), format_shape(_as_shape(mine.get("output_shape"))),
                        mine.get("params")]}


def align_rows(mine: list[dict[str, Any]], keras: list[dict[str, Any]]) -> list[tuple[int | None, int | None]]:
    """Pairs of row indexes (padlint, Keras), aligned on layer classes; None where a side has no row."""
    matcher = difflib.SequenceMatcher(a=[r.get("class") for r in mine], b=[r["class"] for r in keras],
                                      autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend((i, None) for i in range(i1, i2))
            pairs.extend((None, j) for j in range(j1, j2))
    return pairs


def match_models(mine: list[dict[str, Any]], keras: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Greedy matching of padlint's models to Keras' (score in the module docstring)."""
    scored = []
    for i, p in enumerate(mine):
        p_rows = {(r.get("name"), r.get("class")) for r in p.get("layers", [])}
        for j, k in enumerate(keras):
            score = 0.0
            if k["lines"] and p.get("line") == k["lines"][-1]:
                score += 4
            elif p.get("line") in k["lines"]:
                score += 3
            if p.get("keras_name") and p.get("keras_name") == k["name"]:
                score += 2
            k_rows = {(r["name"], r["class"]) for r in k.get("rows", [])}
            if p_rows or k_rows:
                score += 2 * len(p_rows & k_rows) / max(len(p_rows), len(k_rows))
            if score >= 2:
                scored.append((-score, abs(i - j), i, j))
    pairs, used_p, used_k = [], set(), set()
    for _, _, i, j in sorted(scored):
        if i not in used_p and j not in used_k:
            pairs.append((i, j))
            used_p.add(i)
            used_k.add(j)
    return sorted(pairs, key=lambda pair: pair[1])


def compare_program(path: Path, header: Header, keras: dict[str, Any], padlint: dict[str, Any]) -> dict[str, Any]:
    mine, theirs = padlint.get("models", []), keras.get("models", [])
    matches = match_models(mine, theirs)
    models = []
    for j, k in enumerate(theirs):
        i = next((i for i, jj in matches if jj == j), None)
        entry: dict[str, Any] = {"keras_name": k["name"], "keras_class": k["class"], "lines": k["lines"],
                                 "variables": k["variables"], "rows_total": len(k["rows"]),
                                 "nested_in": k.get("inside"), "summary_error": k.get("summary_error")}
        if i is None:
            entry.update(matched=False, exact=False, rows_exact=0, wrong_rows=[], cause="not found by padlint")
            models.append(entry)
            continue
        p = mine[i]
        rows = []
        for pi, kj in align_rows(p.get("layers", []), k["rows"]):
            if pi is None:
                rows.append({"verdict": "missing", "keras": [k["rows"][kj]["name"], k["rows"][kj]["class"],
                                                             k["rows"][kj]["shape_text"], k["rows"][kj]["params"]]})
            elif kj is None:
                layer = p["layers"][pi]
                rows.append({"verdict": "extra", "padlint": [layer.get("name"), layer.get("class"),
                                                             format_shape(_as_shape(layer.get("output_shape"))),
                                                             layer.get("params")]})
            else:
                rows.append(compare_row(p["layers"][pi], k["rows"][kj]))
        totals = {key: compare_count(p.get(key), k.get(key))
                  for key in ("total_params", "trainable_params", "non_trainable_params")}
        exact_rows = sum(r["verdict"] == EXACT for r in rows)
        exact = all(r["verdict"] == EXACT for r in rows) and all(v == EXACT for v in totals.values())
        wrong = [r for r in rows if r["verdict"] == WRONG]
        wrong_totals = {key: [p.get(key), k.get(key)] for key, v in totals.items() if v == WRONG}
        entry.update(matched=True, padlint_name=p.get("name"), padlint_keras_name=p.get("keras_name"),
                     padlint_line=p.get("line"), complete=p.get("complete"), exact=exact,
                     rows_exact=exact_rows, rows=rows, totals=totals, wrong_rows=wrong, wrong_totals=wrong_totals,
                     reasons=p.get("reasons", []))
        if not exact:
            entry["cause"] = _cause(rows, totals, p)
        models.append(entry)
    matched_p = {i for i, _ in matches}
    extra = [{"name": m.get("name"), "keras_name": m.get("keras_name"), "line": m.get("line"),
              "complete": m.get("complete"), "reasons": m.get("reasons", [])}
             for i, m in enumerate(mine) if i not in matched_p]
    codes = sorted({f["code"] for f in padlint.get("findings", [])})
    return {
        "program": os.path.relpath(path, ROOT),
        "style": header.style,
        "header_keras": header.keras,
        "expert": header.expert,
        "expert_note": header.expert_note,
        "keras_error": keras.get("error"),
        "keras_seconds": keras.get("seconds"),
        "header_holds": _header_holds(header, keras),
        "models": models,
        "padlint_models": len(mine),
        "padlint_only_models": extra,
        "padlint_crashes": padlint.get("crashes", []),
        "padlint_notes": padlint.get("notes", []),
        "findings": padlint.get("findings", []),
        "expert_codes_found": [c for c in header.expert if c in codes],
        "expert_codes_missed": [c for c in header.expert if c not in codes],
        "other_codes": [c for c in codes if c not in header.expert],
    }


def _cause(rows: list[dict[str, Any]], totals: dict[str, str], model: dict[str, Any]) -> str:
    """A first classification of why a matched model is not exact; the reasons padlint gives follow it."""
    verdicts = collections.Counter(r["verdict"] for r in rows)
    if verdicts[WRONG] or WRONG in totals.values():
        parts = sorted({part for r in rows if r["verdict"] == WRONG
                        for part in ("shape", "params", "name", "class") if r.get(part) == WRONG})
        return "wrong " + "/".join(parts or ["totals"])
    if verdicts["missing"] or verdicts["extra"]:
        return "rows missing or extra"
    reasons = model.get("reasons") or []
    return "unknown: " + (reasons[0] if reasons else "no reason given")


def _header_holds(header: Header, keras: dict[str, Any]) -> bool:
    error = keras.get("error")
    if header.raises:
        return bool(error) and error["type"] == header.raises
    return error is None and bool(keras.get("models")) and not any(m.get("summary_error") for m in keras["models"])


# --------------------------------------------------------------------------------------------
# Driver and report
# --------------------------------------------------------------------------------------------


def run_keras(path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="measure_corpus_") as tmp:
        out = Path(tmp) / "keras.json"
        env = {**os.environ, "KERAS_HOME": tmp, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3",
               "CUDA_VISIBLE_DEVICES": "", "COLUMNS": "200", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
        try:
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--keras-child", str(path), str(out)],
                                  cwd=tmp, capture_output=True, text=True, timeout=CHILD_TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            return {"error": {"type": "Timeout", "message": f"over {CHILD_TIMEOUT} s", "line": None}, "models": []}
        if not out.exists():
            return {"error": {"type": "HarnessFailure", "message": proc.stderr[-1500:], "line": None}, "models": []}
        return json.loads(out.read_text())


def measure(path: Path) -> dict[str, Any]:
    header = read_header(header_text(path))
    keras = run_keras(path)
    padlint = run_padlint(path)
    result = compare_program(path, header, keras, padlint)
    result["padlint_seconds"] = padlint.get("seconds")
    return result


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Headline numbers. Models a custom layer or subclassed model builds inside its own methods
    (a feed-forward Sequential made in a transformer block's __init__) are counted apart."""
    everything = [m for r in results for m in r["models"]]
    models = [m for m in everything if not m["nested_in"]]
    nested = [m for m in everything if m["nested_in"]]
    findings = [f for r in results for f in r["findings"]]
    return {
        "programs": len(results),
        "programs_keras_as_stated": sum(r["header_holds"] for r in results),
        "models_keras": len(models),
        "models_padlint": sum(r["padlint_models"] for r in results),
        "models_matched": sum(m["matched"] for m in models),
        "models_exact": sum(m["exact"] for m in models),
        "rows_total": sum(m["rows_total"] for m in models),
        "rows_exact": sum(m["rows_exact"] for m in models),
        "rows_wrong": sum(len(m["wrong_rows"]) for m in models),
        "models_with_wrong_totals": sum(bool(m.get("wrong_totals")) for m in models),
        "nested_models_keras": len(nested),
        "nested_models_matched": sum(m["matched"] for m in nested),
        "nested_models_exact": sum(m["exact"] for m in nested),
        "nested_rows_wrong": sum(len(m["wrong_rows"]) for m in nested),
        "padlint_only_models": sum(len(r["padlint_only_models"]) for r in results),
        "padlint_crashes": sum(len(r["padlint_crashes"]) for r in results),
        "findings": len(findings),
        "findings_by_code": dict(collections.Counter(f["code"] for f in findings).most_common()),
        "buggy_programs": sum(bool(r["expert"]) for r in results),
        "buggy_programs_caught": sum(bool(r["expert"]) and not r["expert_codes_missed"] for r in results),
    }


def print_report(results: list[dict[str, Any]], summary: dict[str, Any], out: Any = sys.stdout) -> None:
    def p(text: str = "") -> None:
        print(text, file=out)

    p(f"{'program':44} {'keras':>9} {'models K/P':>10} {'exact':>5} {'rows':>9} {'wrong':>5}  findings")
    for r in results:
        ms = [m for m in r["models"] if not m["nested_in"]]
        keras_state = ("ok" if not r["keras_error"] else r["keras_error"]["type"])[:9]
        n_p = r["padlint_models"]
        rows = f"{sum(m['rows_exact'] for m in ms)}/{sum(m['rows_total'] for m in ms)}"
        flag = "" if r["header_holds"] else " (header!)"
        codes = ",".join(f["code"] for f in r["findings"]) or "-"
        crash = " CRASH" if r["padlint_crashes"] else ""
        p(f"{Path(r['program']).name[:44]:44} {keras_state:>9} {len(ms):>4}/{n_p:<5} {sum(m['exact'] for m in ms):>5} "
          f"{rows:>9} {sum(len(m['wrong_rows']) for m in ms):>5}  {codes}{crash}{flag}")
    p()
    s = summary
    p(f"programs: {s['programs']} (Keras behaves as the header states on {s['programs_keras_as_stated']})")
    p(f"models found by Keras: {s['models_keras']}; by padlint: {s['models_padlint']} "
      f"({s['models_matched']} matched, {s['padlint_only_models']} padlint-only)")
    p(f"models built inside custom layers/models (not in the counts above): {s['nested_models_keras']}, "
      f"{s['nested_models_matched']} matched, {s['nested_models_exact']} exact, {s['nested_rows_wrong']} wrong rows")
    p(f"exact models: {s['models_exact']} / {s['models_keras']}")
    p(f"rows exact: {s['rows_exact']} / {s['rows_total']}; wrong rows: {s['rows_wrong']}; "
      f"models with wrong totals: {s['models_with_wrong_totals']}")
    p(f"padlint crashes: {s['padlint_crashes']}")
    p(f"findings: {s['findings']} {s['findings_by_code']}")
    p(f"buggy programs whose expert codes were all reported: {s['buggy_programs_caught']} / {s['buggy_programs']}")
    p()
    p("Non-exact models, by cause:")
    by_cause: dict[str, list[str]] = collections.defaultdict(list)
    for r in results:
        for m in r["models"]:
            if not m["exact"]:
                nested = f" (inside {m['nested_in']})" if m["nested_in"] else ""
                by_cause[m["cause"]].append(f"{Path(r['program']).name}:{m['keras_name']}{nested}")
    for cause, names in sorted(by_cause.items(), key=lambda item: (-len(item[1]), item[0])):
        p(f"  [{len(names)}] {cause}: {', '.join(names)}")
    p()
    p("Wrong rows (padlint states a value Keras contradicts):")
    for r in results:
        for m in r["models"]:
            for row in m["wrong_rows"]:
                p(f"  {Path(r['program']).name}:{m['keras_name']}: padlint {row['padlint']} / Keras {row['keras']}")
            for key, (mine, theirs) in (m.get("wrong_totals") or {}).items():
                p(f"  {Path(r['program']).name}:{m['keras_name']}: {key} padlint {mine} / Keras {theirs}")
    p()
    p("Findings (for expert review; 'expected' = named in the program's header):")
    for r in results:
        for f in r["findings"]:
            tag = "expected" if f["code"] in r["expert"] else "review"
            p(f"  [{tag}] {Path(r['program']).name}:{f['line']}: {f['code']} {f['message'][:200]}")
        for code in r["expert_codes_missed"]:
            p(f"  [missed] {Path(r['program']).name}: {code} {r['expert_note']}")
    crashes = [(r["program"], c) for r in results for c in r["padlint_crashes"]]
    if crashes:
        p()
        p("padlint crashes:")
        for program, crash in crashes:
            p(f"  {program}: {crash['command']} exit {crash['returncode']}: {crash['stderr'].strip()[-300:]}")
    bad = [r for r in results if not r["header_holds"]]
    if bad:
        p()
        p("Programs where Keras does not behave as the header states:")
        for r in bad:
            p(f"  {r['program']}: header keras={r['header_keras']}, got {r['keras_error']}")


def corpus_files(paths: list[str]) -> list[Path]:
    if not paths:
        return sorted(p for p in CORPUS.iterdir() if p.suffix in (".py", ".ipynb"))
    files: list[Path] = []
    for name in paths:
        path = Path(name).resolve()
        files.extend(sorted(p for p in path.iterdir() if p.suffix in (".py", ".ipynb")) if path.is_dir() else [path])
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="programs or folders (default: fixtures/realworld)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="programs measured at once (default 1)")
    parser.add_argument("--json", default="measure_corpus.json", help="where to write the JSON results")
    parser.add_argument("--verify", action="store_true",
                        help="exit 1 when Keras does not behave as some program's header states")
    args = parser.parse_args(argv)
    files = corpus_files(args.paths)
    started = time.perf_counter()
    done = 0

    def one(path: Path) -> dict[str, Any]:
        nonlocal done
        result = measure(path)
        done += 1
        print(f"[{done}/{len(files)}] {path.name}: Keras {result['keras_seconds']} s, "
              f"padlint {result['padlint_seconds']} s", file=sys.stderr)
        return result

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(one, files))
    summary = totals(results)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.json).write_text(json.dumps({"summary": summary, "programs": results}, indent=1, default=str) + "\n")
    print_report(results, summary)
    print(f"\nJSON: {args.json} ({summary['seconds']} s)")
    return 1 if args.verify and summary["programs_keras_as_stated"] != summary["programs"] else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--keras-child":
        keras_child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
