"""Measure padlint against Keras on the real-world-style corpus (fixtures/realworld).

Why: padlint's own fixtures were written by the people who wrote padlint, so they say little
about code written by others. This tool runs every corpus program in Keras itself (the oracle),
collects every model the program builds and what ``model.summary()`` prints for it, runs
``padlint summary`` and ``padlint check`` on the same file, and compares them row by row.

Usage (from the repository root, with the test extra installed)::

    python tools/measure_corpus.py -j 2                 # every program of fixtures/realworld
    python tools/measure_corpus.py --json out.json fixtures/realworld/so_*.py
    python tools/measure_corpus.py --keras-cache .corpus_keras   # reuse Keras' answers next time
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
  model the way Keras' trainer does (``compute_output_spec`` on the first batch, whose batch axis
  Keras' own data adapter gives for arrays; for other data, an unknown
  batch dimension), without building the optimizer, so summaries after ``fit`` are what a user sees;
  ``predict`` builds on its first real batch (the batch size, or every sample when there are
  fewer, as Keras' predict does) and returns zeros of the model's output shape;
- names a snippet uses without importing them come from its ``# corpus: assume=`` header line
  (Stack Overflow snippets omit their imports), executed before the program in its namespace.

Which models Keras "finds": every ``keras.Model`` (Sequential, Functional, subclassed, and those
``keras.applications`` return) whose construction has a frame of the program on the call stack,
hooked in ``Model.__init__``/``Functional.__init__``/``Sequential.__init__``, in creation order
(the Functional a Sequential builds for itself is Keras' own and left out). So a builder called
in a loop gives one model per call, bound to a variable or not. Each is summarised when the
program has finished (or failed), so layers added after construction count. The rows are the
cells ``summary()`` passes to rich's ``Table.add_row`` (exactly what is printed, without column
truncation); the totals are parsed from the printed text. Models built inside a method of one of
the program's layers or models (the feed-forward Sequential of a transformer block's
``__init__``) are reported apart, and so are the partial models of programs that fail in Keras:
the headline numbers are about models the program builds, in programs Keras runs to the end.

How padlint's models are matched to Keras' (greedy, best score first, then nearest in order):
score = 4 if padlint's model line is the innermost program line of the Keras model's
construction (3 if it is an outer one, e.g. the builder's call), + 2 if padlint's Keras-style
model name (``Model: "..."`` in ``padlint summary``) equals Keras' ``model.name``, + 2 x the share
of (layer name, class) rows in common (layer names are unique in a Keras session). Pairs scoring
under 1 are not matched. Notebook positions (cell, line) are mapped to the joined program's lines.

Rows of a matched pair are paired by layer name, the rest by class in order (difflib). A row is
*exact* when name, class, output shape and parameter count all equal what Keras prints; *wrong*
when padlint states a definite value Keras contradicts (a different int, a different rank, an int
where Keras has None, another name or class); *named* when the only difference is a symbol
(``T``) printed for a free dimension Keras prints as None; otherwise *unknown* (null, or a symbol
where Keras has a number). A model is exact when it is matched, every row is exact, no row is
missing, extra or out of Keras' order, and the three totals equal Keras' (Keras' total without
optimizer variables); "exact or named" allows named rows.

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
import hashlib
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
    """The program's Python text: a notebook's code cells joined, IPython magics blanked."""
    return _notebook_program(path)[0] if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")


def _notebook_program(path: Path) -> tuple[str, dict[tuple[int, int], int]]:
    """A notebook's code cells as one program, and where each (cell, line in cell) lands in it.

    Cells are numbered from 1 among all cells, markdown included, as padlint (and editors) do."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    lines: list[str] = []
    where: dict[tuple[int, int], int] = {}
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for line_in_cell, line in enumerate(source.splitlines(), start=1):
            lines.append("" if line.lstrip().startswith(("%", "!")) else line)
            where[(number, line_in_cell)] = len(lines)
        lines.append("")
    return "\n".join(lines) + "\n", where


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

    def cifar_image() -> tuple[int, ...]:
        """CIFAR arrives channels first; cifar10.py and cifar100.py transpose it only for channels_last."""
        from keras.src import backend

        return (32, 32, 3) if backend.image_data_format() == "channels_last" else (3, 32, 32)

    def cifar10() -> Any:
        return ((images(50000, cifar_image()), cycling(50000, 10, column=True)),
                (images(10000, cifar_image()), cycling(10000, 10, column=True)))

    def cifar100(label_mode: str = "fine") -> Any:
        classes = 100 if label_mode == "fine" else 20
        return ((images(50000, cifar_image()), cycling(50000, classes, column=True)),
                (images(10000, cifar_image()), cycling(10000, classes, column=True)))

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
    from keras.src.trainers.data_adapters import array_slicing
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

    def first_batch(x: Any, y: Any = None, batch_size: Any = None, whole: bool = False) -> Any:
        """The structure Keras' trainer builds from. For arrays, Keras' own data adapter decides the
        batch axis (the batch size when every batch is full, None for a partial last batch);
        ``whole``: ``train_on_batch`` on all of x; anything else: the inputs with an unknown batch
        dimension."""
        if not whole:
            try:
                from keras.src.trainers.data_adapters import get_data_adapter

                adapter = get_data_adapter(x=x, y=y, batch_size=batch_size or 32, steps_per_epoch=None, shuffle=False)
                spec = adapter.get_tf_dataset().element_spec
                inputs = spec[0] if isinstance(spec, tuple) else spec
                return tree.map_structure(lambda s: backend.KerasTensor(tuple(s.shape), backend.standardize_dtype(s.dtype)), inputs)
            except Exception:  # noqa: BLE001 - a dataset or generator: below
                pass
        else:
            return tree.map_structure(lambda v: backend.KerasTensor(tuple(np.asarray(v).shape), backend.standardize_dtype(np.asarray(v).dtype)), x)
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

    def build_like_fit(model: Any, x: Any, **batching: Any) -> None:
        if x is None or all(layer.built for layer in model._flatten_layers()):
            return
        try:
            backend.compute_output_spec(model, first_batch(x, **batching), training=False)
        except Exception:  # noqa: BLE001 - a model Keras cannot build stays unbuilt, as it would fail in fit
            traceback.print_exc()

    class _History:
        def __init__(self) -> None:
            self.history: dict[str, list[float]] = collections.defaultdict(list)
            self.epoch: list[int] = []

    def fit(self: Any, x: Any = None, y: Any = None, batch_size: Any = None, epochs: Any = 1, verbose: Any = "auto",
            callbacks: Any = None, validation_split: Any = 0.0, validation_data: Any = None, shuffle: Any = True,
            class_weight: Any = None, sample_weight: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Split off the validation rows with Keras' own function, as its TensorFlow trainer's ``fit``
        does before batching (so its errors reach the program, as they would in Keras), then build."""
        if validation_split and validation_data is None:
            (x, y, sample_weight), _ = array_slicing.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split)
        build_like_fit(self, x, y=y, batch_size=batch_size)
        return _History()

    def evaluate(self: Any, x: Any = None, y: Any = None, batch_size: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x, y=y, batch_size=batch_size)
        config = getattr(getattr(self, "_compile_config", None), "config", {}) or {}
        metrics = len(tree.flatten(config.get("metrics") or []))
        return 0.0 if not metrics else [0.0] * (1 + metrics)

    def predict(self: Any, x: Any = None, batch_size: Any = None, *args: Any, **kwargs: Any) -> Any:
        # Keras' predict builds on its first real batch, not the trainer's symbolic one: the batch
        # size, or every sample when there are fewer (7 samples build on 7, 33 on 32).
        try:
            first = tree.map_structure(lambda v: np.asarray(v)[: batch_size or 32], x)
        except Exception:  # noqa: BLE001 - a dataset or generator: the trainer's rule below
            first = None
        if first is not None:
            build_like_fit(self, first, whole=True)
        else:
            build_like_fit(self, x, batch_size=batch_size)
        count = len(tree.flatten(x)[0]) if x is not None else 1
        spec = backend.compute_output_spec(self, first_batch(x), training=False)
        return tree.map_structure(
            lambda s: np.zeros(tuple(count if d is None else d for d in s.shape), dtype="float32"), spec)

    def predict_on_batch(self: Any, x: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x, whole=True)
        return predict(self, x)

    def on_batch(self: Any, x: Any = None, y: Any = None, *args: Any, **kwargs: Any) -> Any:
        build_like_fit(self, x, whole=True)
        return 0.0

    def nothing(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    Model.load_weights = load_weights  # type: ignore[method-assign]
    Model.fit = fit  # type: ignore[method-assign]
    Model.evaluate = evaluate  # type: ignore[method-assign]
    Model.predict = predict  # type: ignore[method-assign]
    Model.predict_on_batch = predict_on_batch  # type: ignore[method-assign]
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
    where = _notebook_program(path)[1] if path.suffix == ".ipynb" else {}
    for index, model in enumerate(models):
        info = headers[index] if index < len(headers) else {}
        if info.get("var") != model.get("name"):
            info = {}
        model["keras_name"] = info.get("keras_name")
        model["reasons"] = info.get("reasons", [])
        if info.get("cell") is not None:  # a notebook: the line in the joined program the Keras run executed
            model["line"] = where.get((info["cell"], info["line"]), model.get("line"))
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
        match = re.match(r'^Model: "(.*)"\s+\((.*), (.*?):(?:cell (\d+):)?(\d+), (\w+)\)\s*$', line)
        if match:
            cell = int(match.group(4)) if match.group(4) else None
            headers.append({"keras_name": match.group(1), "var": match.group(2), "cell": cell,
                            "line": int(match.group(5)), "reasons": []})
        elif headers and re.match(r"^\s+(Incomplete|Unknown|Note)\b", line):
            headers[-1]["reasons"].append(line.strip())
        elif headers and headers[-1]["reasons"] and line.startswith("   ") and not line.startswith(" Total"):
            headers[-1]["reasons"][-1] += " " + line.strip()
    return headers


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

EXACT, NAMED, UNKNOWN, WRONG = "exact", "named", "unknown", "wrong"
#: Worst first. NAMED: padlint prints a symbol (``T``) for a free dimension Keras prints as None.
SEVERITY = (WRONG, UNKNOWN, NAMED, EXACT)


def _worst(*verdicts: str) -> str:
    return next(v for v in SEVERITY if v in verdicts or v == EXACT)


def _as_shape(value: Any) -> Any:
    """padlint's JSON shape (lists) in Keras' printed form (tuples, or a list of tuples)."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(isinstance(v, list) or v is None for v in value):
        return [_as_shape(v) for v in value]
    return tuple(value) if isinstance(value, list) else value


def compare_dims(mine: Any, keras: Any) -> str:
    """One dimension, padlint's against Keras'.

    >>> [compare_dims(26, 26), compare_dims(26, 28), compare_dims(26, None), compare_dims(None, 26)]
    ['exact', 'wrong', 'wrong', 'unknown']
    >>> [compare_dims("T", None), compare_dims("H-4", 24), compare_dims(None, None)]
    ['named', 'unknown', 'exact']
    """
    if mine is None:
        return EXACT if keras is None else UNKNOWN
    if isinstance(mine, str):  # a symbolic dimension
        return NAMED if keras is None else UNKNOWN
    if keras is None:
        return WRONG  # padlint states a size where Keras has none
    return EXACT if mine == keras else WRONG


def compare_shape(mine: Any, keras: Any) -> str:
    """exact / named / unknown / wrong, as defined in the module docstring.

    >>> compare_shape((None, 13, 13, 32), _parse_shape("(None, 13, 13, 32)"))
    'exact'
    >>> compare_shape((None, 13, 32), (None, 13, 13, 32)), compare_shape(None, (None, 10))
    ('wrong', 'unknown')
    >>> compare_shape([(None, "T", 128), (None, 128)], _parse_shape("[(None, None, 128), (None, 128)]"))
    'named'
    >>> compare_shape([(None, 8), (None, 8)], _parse_shape("((None, 8), (None, 8))"))
    'exact'
    """
    if isinstance(keras, tuple) and keras and all(isinstance(item, tuple) for item in keras):
        # A nested model's several outputs, which Keras prints as one tuple (format_shape(model.output_shape)).
        keras = list(keras)
    if keras == "?":
        return EXACT if mine is None else UNKNOWN
    if mine is None:
        return UNKNOWN
    if isinstance(keras, str):
        return EXACT if format_shape(mine) == keras else UNKNOWN
    if isinstance(keras, tuple) and isinstance(mine, tuple):
        if len(keras) != len(mine):
            return WRONG
        return _worst(*(compare_dims(m, k) for m, k in zip(mine, keras)))
    if isinstance(keras, list) and isinstance(mine, list):
        if len(keras) != len(mine):
            return WRONG
        return _worst(*(compare_shape(m, k) for m, k in zip(mine, keras)))
    return WRONG


def format_shape(shape: Any) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    if isinstance(shape, tuple):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    return str(shape)


def compare_count(mine: Any, keras: Any) -> str:
    if mine is None or isinstance(mine, str):  # unknown, or a symbolic expression
        return EXACT if mine is None and keras is None else UNKNOWN
    return EXACT if mine == keras else WRONG


def _keras_cells(row: dict[str, Any]) -> list[Any]:
    return [row["name"], row["class"], row["shape_text"], row["params"]]


def _padlint_cells(row: dict[str, Any]) -> list[Any]:
    return [row.get("name"), row.get("class"), format_shape(_as_shape(row.get("output_shape"))), row.get("params")]


def _compare_label(mine: Any, keras: str) -> str:
    """A layer's name or class; padlint writes ``?`` (or nothing) for one it does not know."""
    if mine in (None, "?"):
        return UNKNOWN
    return EXACT if mine == keras else WRONG


def compare_row(mine: dict[str, Any], keras: dict[str, Any]) -> dict[str, Any]:
    verdicts = {
        "shape": compare_shape(_as_shape(mine.get("output_shape")), _parse_shape(keras["shape_text"])),
        "params": compare_count(mine.get("params"), keras["params"]),
        "name": _compare_label(mine.get("name"), keras["name"]),
        "class": _compare_label(mine.get("class"), keras["class"]),
    }
    return {"verdict": _worst(*verdicts.values()), **verdicts, "keras": _keras_cells(keras),
            "padlint": _padlint_cells(mine)}


def align_rows(mine: list[dict[str, Any]], keras: list[dict[str, Any]]) -> tuple[list[tuple[Any, Any]], bool]:
    """Pairs of row indexes (padlint, Keras), None where a side has no row, and whether padlint lists
    the paired rows in Keras' order. Rows pair by layer name first (names are unique in a model),
    the rest by class, in order (difflib).

    >>> keras = [{"name": "a", "class": "InputLayer"}, {"name": "b", "class": "LSTM"}, {"name": "c", "class": "Dense"}]
    >>> align_rows([{"name": "c", "class": "Dense"}, {"name": "a", "class": "InputLayer"}], keras)
    ([(1, 0), (None, 1), (0, 2)], False)
    >>> align_rows([{"name": "x", "class": "InputLayer"}, {"name": "c", "class": "Dense"}], keras)
    ([(0, 0), (None, 1), (1, 2)], True)
    """
    mine_names = [r.get("name") for r in mine]
    keras_names = [r["name"] for r in keras]
    pairs: list[tuple[Any, Any]] = []
    if len(set(mine_names)) == len(mine_names) and len(set(keras_names)) == len(keras_names):
        by_name = {name: j for j, name in enumerate(keras_names)}
        pairs = [(i, by_name[name]) for i, name in enumerate(mine_names) if name in by_name]
    paired_mine, paired_keras = {i for i, _ in pairs}, {j for _, j in pairs}
    rest_mine = [i for i in range(len(mine)) if i not in paired_mine]
    rest_keras = [j for j in range(len(keras)) if j not in paired_keras]
    matcher = difflib.SequenceMatcher(a=[mine[i].get("class") for i in rest_mine],
                                      b=[keras[j]["class"] for j in rest_keras], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(rest_mine[i1:i2], rest_keras[j1:j2]))
        else:
            pairs.extend((i, None) for i in rest_mine[i1:i2])
            pairs.extend((None, j) for j in rest_keras[j1:j2])
    in_padlint_order = [j for i, j in sorted((p for p in pairs if p[0] is not None and p[1] is not None))]
    ordered = in_padlint_order == sorted(in_padlint_order)
    pairs.sort(key=lambda p: (p[1] if p[1] is not None else len(keras), p[0] if p[0] is not None else -1))
    return pairs, ordered


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
            if score >= 1:
                scored.append((-score, abs(i - j), i, j))
    pairs, used_p, used_k = [], set(), set()
    for _, _, i, j in sorted(scored):
        if i not in used_p and j not in used_k:
            pairs.append((i, j))
            used_p.add(i)
            used_k.add(j)
    return sorted(pairs, key=lambda pair: pair[1])


def compare_model(p: dict[str, Any], k: dict[str, Any]) -> dict[str, Any]:
    """Row-by-row comparison of one matched pair of models."""
    pairs, ordered = align_rows(p.get("layers", []), k["rows"])
    rows = []
    for pi, kj in pairs:
        if pi is None:
            rows.append({"verdict": "missing", "keras": _keras_cells(k["rows"][kj])})
        elif kj is None:
            rows.append({"verdict": "extra", "padlint": _padlint_cells(p["layers"][pi])})
        else:
            rows.append(compare_row(p["layers"][pi], k["rows"][kj]))
    totals = {key: compare_count(p.get(key), k.get(key))
              for key in ("total_params", "trainable_params", "non_trainable_params")}
    same_rows = ordered and all(r["verdict"] in (EXACT, NAMED) for r in rows)
    entry = {
        "matched": True, "padlint_name": p.get("name"), "padlint_keras_name": p.get("keras_name"),
        "padlint_line": p.get("line"), "complete": p.get("complete"), "rows": rows, "row_order_same": ordered,
        "rows_exact": sum(r["verdict"] == EXACT for r in rows),
        "rows_exact_or_named": sum(r["verdict"] in (EXACT, NAMED) for r in rows),
        "totals": totals,
        "exact": same_rows and all(r["verdict"] == EXACT for r in rows) and all(v == EXACT for v in totals.values()),
        "exact_or_named": same_rows and all(v == EXACT for v in totals.values()),
        "wrong_rows": [r for r in rows if r["verdict"] == WRONG],
        "wrong_totals": {key: [p.get(key), k.get(key)] for key, v in totals.items() if v == WRONG},
        "reasons": p.get("reasons", []),
    }
    if not entry["exact"]:
        entry["cause"] = _cause(entry)
    return entry


def compare_program(path: Path, header: Header, keras: dict[str, Any], padlint: dict[str, Any]) -> dict[str, Any]:
    mine, theirs = padlint.get("models", []), keras.get("models", [])
    matches = dict((j, i) for i, j in match_models(mine, theirs))
    models = []
    for j, k in enumerate(theirs):
        entry: dict[str, Any] = {"keras_name": k["name"], "keras_class": k["class"], "lines": k["lines"],
                                 "variables": k["variables"], "rows_total": len(k["rows"]),
                                 "nested_in": k.get("inside"), "summary_error": k.get("summary_error")}
        if j in matches:
            entry.update(compare_model(mine[matches[j]], k))
        else:
            entry.update(matched=False, exact=False, exact_or_named=False, rows_exact=0, rows_exact_or_named=0,
                         wrong_rows=[], cause="not found by padlint")
        models.append(entry)
    extra = [{"name": m.get("name"), "keras_name": m.get("keras_name"), "line": m.get("line"),
              "complete": m.get("complete"), "reasons": m.get("reasons", [])}
             for i, m in enumerate(mine) if i not in matches.values()]
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


def _cause(entry: dict[str, Any]) -> str:
    """Why a matched model is not exact: every kind of difference, worst first; padlint's own
    reason for an incomplete model follows 'unknown:'."""
    rows, totals = entry["rows"], entry["totals"]
    verdicts = collections.Counter(r["verdict"] for r in rows)
    causes = []
    if verdicts[WRONG] or WRONG in totals.values():
        parts = sorted({part for r in rows if r["verdict"] == WRONG
                        for part in ("shape", "params", "name", "class") if r.get(part) == WRONG})
        causes.append("wrong " + "/".join(parts + (["totals"] if WRONG in totals.values() else [])))
    if verdicts[UNKNOWN] or UNKNOWN in totals.values() or entry.get("complete") is False:
        reasons = entry.get("reasons") or []
        causes.append("unknown: " + (reasons[0] if reasons else "no reason given"))
    if verdicts["missing"] or verdicts["extra"]:
        causes.append("rows missing or extra")
    if not entry["row_order_same"]:
        causes.append("rows in another order")
    if verdicts[NAMED] and not causes:
        causes.append("free dimensions printed as symbols where Keras prints None")
    return "; ".join(causes)


def _header_holds(header: Header, keras: dict[str, Any]) -> bool:
    error = keras.get("error")
    if header.raises:
        return bool(error) and error["type"] == header.raises
    return error is None and bool(keras.get("models")) and not any(m.get("summary_error") for m in keras["models"])


# --------------------------------------------------------------------------------------------
# Driver and report
# --------------------------------------------------------------------------------------------


#: The code whose behaviour decides what the Keras run returns (the cache key hashes its source).
KERAS_SIDE = ("read_header", "header_text", "program_code", "_notebook_program", "_fake_datasets", "_swap_body",
              "_install_patches", "_call_lines", "_built_inside", "_hook_model_creation", "_summarise",
              "keras_child", "_run_keras_child")


def _keras_cache_key(path: Path) -> str:
    """Keras' answer depends on the program, the Keras side of this tool and Keras' version, not on padlint."""
    import inspect
    from importlib.metadata import version

    digest = hashlib.sha256(path.read_bytes())
    for name in KERAS_SIDE:
        digest.update(inspect.getsource(globals()[name]).encode())
    digest.update(version("keras").encode())
    return f"{path.stem}-{digest.hexdigest()[:16]}.json"


def run_keras(path: Path, cache: Path | None = None) -> dict[str, Any]:
    if cache is not None:
        cached = cache / _keras_cache_key(path)
        if cached.exists():
            return json.loads(cached.read_text())
    result = _run_keras_child(path)
    failed_to_measure = (result.get("error") or {}).get("type") in ("Timeout", "HarnessFailure")
    if cache is not None and not failed_to_measure:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / _keras_cache_key(path)).write_text(json.dumps(result))
    return result


def _run_keras_child(path: Path) -> dict[str, Any]:
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


def measure(path: Path, cache: Path | None = None) -> dict[str, Any]:
    header = read_header(header_text(path))
    keras = run_keras(path, cache)
    padlint = run_padlint(path)
    result = compare_program(path, header, keras, padlint)
    result["padlint_seconds"] = padlint.get("seconds")
    return result


def _headline(result: dict[str, Any], model: dict[str, Any]) -> bool:
    """Counted in the headline numbers: a model the program itself builds, in a program Keras runs
    to the end (a program that fails in Keras leaves partial models that are no oracle)."""
    return not model["nested_in"] and not result["keras_error"]


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Headline numbers, and apart from them the models built inside custom layers or subclassed
    models, and what the programs that fail in Keras (buggy on purpose) had built when they failed."""
    ran = [r for r in results if not r["keras_error"]]
    models = [m for r in results for m in r["models"] if _headline(r, m)]
    nested = [m for r in results for m in r["models"] if m["nested_in"] and not r["keras_error"]]
    findings = [f for r in results for f in r["findings"]]

    def style_line(style: str) -> dict[str, int]:
        ms = [m for r in results if r["style"] == style for m in r["models"] if _headline(r, m)]
        return {"models": len(ms), "exact": sum(m["exact"] for m in ms),
                "rows": sum(m["rows_total"] for m in ms), "rows_exact": sum(m["rows_exact"] for m in ms)}

    return {
        "programs": len(results),
        "programs_keras_as_stated": sum(r["header_holds"] for r in results),
        "programs_run_by_keras": len(ran),
        "programs_failing_in_keras": len(results) - len(ran),
        "models_keras": len(models),
        "models_padlint": sum(r["padlint_models"] for r in ran),
        "models_matched": sum(m["matched"] for m in models),
        "padlint_only_models": sum(len(r["padlint_only_models"]) for r in ran),
        "models_exact": sum(m["exact"] for m in models),
        "models_exact_or_named": sum(m["exact_or_named"] for m in models),
        "rows_total": sum(m["rows_total"] for m in models),
        "rows_exact": sum(m["rows_exact"] for m in models),
        "rows_exact_or_named": sum(m["rows_exact_or_named"] for m in models),
        "rows_wrong": sum(len(m["wrong_rows"]) for m in models),
        "models_with_wrong_totals": sum(bool(m.get("wrong_totals")) for m in models),
        "nested_models_keras": len(nested),
        "nested_models_matched": sum(m["matched"] for m in nested),
        "nested_models_exact": sum(m["exact"] for m in nested),
        "padlint_crashes": sum(len(r["padlint_crashes"]) for r in results),
        "findings": len(findings),
        "findings_by_code": dict(collections.Counter(f["code"] for f in findings).most_common()),
        "findings_on_clean_programs": sum(len(r["findings"]) for r in results if not r["expert"]),
        "buggy_programs": sum(bool(r["expert"]) for r in results),
        "buggy_programs_caught": sum(bool(r["expert"]) and not r["expert_codes_missed"] for r in results),
        "by_style": {style: style_line(style) for style in sorted({r["style"] for r in results})},
    }


def print_report(results: list[dict[str, Any]], summary: dict[str, Any], out: Any = sys.stdout) -> None:
    def p(text: str = "") -> None:
        print(text, file=out)

    def name(r: dict[str, Any]) -> str:
        return Path(r["program"]).name

    p(f"{'program':40} {'keras':>10} {'models K/P':>10} {'exact':>5} {'rows':>9} {'wrong':>5}  findings")
    for r in results:
        ms = [m for m in r["models"] if _headline(r, m)]
        keras_state = "ok" if not r["keras_error"] else r["keras_error"]["type"][:10]
        rows = f"{sum(m['rows_exact'] for m in ms)}/{sum(m['rows_total'] for m in ms)}"
        flag = "" if r["header_holds"] else " (header does not hold!)"
        codes = ",".join(f["code"] for f in r["findings"]) or "-"
        crash = " CRASH" if r["padlint_crashes"] else ""
        p(f"{name(r)[:40]:40} {keras_state:>10} {len(ms):>4}/{r['padlint_models']:<5} "
          f"{sum(m['exact'] for m in ms):>5} {rows:>9} {sum(len(m['wrong_rows']) for m in ms):>5}  "
          f"{codes}{crash}{flag}")
    s = summary
    p()
    p(f"programs: {s['programs']} ({s['programs_run_by_keras']} run in Keras, {s['programs_failing_in_keras']} fail "
      f"in Keras on purpose); Keras behaves as the header states on {s['programs_keras_as_stated']}")
    p("In the programs Keras runs, models the program builds (not those built inside custom layers):")
    p(f"  found by Keras: {s['models_keras']}; by padlint: {s['models_padlint']} ({s['models_matched']} matched, "
      f"{s['padlint_only_models']} padlint-only)")
    p(f"  exact models: {s['models_exact']} / {s['models_keras']} "
      f"({s['models_exact_or_named']} counting free dimensions printed as symbols where Keras prints None)")
    p(f"  rows exact: {s['rows_exact']} / {s['rows_total']} ({s['rows_exact_or_named']} with symbols for None)")
    p(f"  wrong rows: {s['rows_wrong']}; models with wrong totals: {s['models_with_wrong_totals']}")
    for style, line in s["by_style"].items():
        p(f"  {style:16} exact models {line['exact']:>3} / {line['models']:<3}  rows {line['rows_exact']:>4} / "
          f"{line['rows']}")
    p(f"models built inside custom layers/models: {s['nested_models_keras']}, {s['nested_models_matched']} matched, "
      f"{s['nested_models_exact']} exact")
    p(f"padlint crashes: {s['padlint_crashes']}")
    p(f"findings: {s['findings']} ({s['findings_on_clean_programs']} on clean programs) {s['findings_by_code']}")
    p(f"buggy programs whose expert codes were all reported: {s['buggy_programs_caught']} / {s['buggy_programs']}")
    p()
    p("Non-exact models, by cause (padlint's reason after 'unknown:'):")
    by_cause: dict[str, list[str]] = collections.defaultdict(list)
    for r in results:
        for m in r["models"]:
            if not m["exact"] and not r["keras_error"]:
                nested = f" (inside {m['nested_in']})" if m["nested_in"] else ""
                by_cause[m["cause"]].append(f"{name(r)}:{m['keras_name']}{nested}")
    for cause, names in sorted(by_cause.items(), key=lambda item: (-len(item[1]), item[0])):
        p(f"  [{len(names)}] {cause}: {', '.join(names)}")
    p()
    p("Wrong values (padlint states a value Keras contradicts) [name, class, shape, params]:")
    for r in results:
        for m in r["models"]:
            if not _headline(r, m):
                continue
            for row in m["wrong_rows"]:
                p(f"  {name(r)}:{m['keras_name']}: padlint {row['padlint']} / Keras {row['keras']}")
            for key, (mine, theirs) in (m.get("wrong_totals") or {}).items():
                p(f"  {name(r)}:{m['keras_name']}: {key} padlint {mine} / Keras {theirs}")
    padlint_only = [(name(r), m) for r in results if not r["keras_error"] for m in r["padlint_only_models"]]
    if padlint_only:
        p()
        p("padlint-only models (no Keras model matched):")
        for program, m in padlint_only:
            p(f"  {program}:{m['name']} (\"{m['keras_name']}\", line {m['line']}) {'; '.join(m['reasons'])}")
    p()
    p("Findings (for expert review; 'expected' = named in the program's header):")
    for r in results:
        for f in r["findings"]:
            tag = "expected" if f["code"] in r["expert"] else "review"
            p(f"  [{tag}] {name(r)}:{f['line']}: {f['code']} {f['message'][:160]}")
        for code in r["expert_codes_missed"]:
            p(f"  [missed] {name(r)}: {code} {r['expert_note']}")
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
    parser.add_argument("--keras-cache", metavar="DIR",
                        help="keep each program's Keras results here and reuse them while the program, this tool "
                             "and Keras are unchanged (re-measuring after a padlint change then runs padlint only)")
    parser.add_argument("--verify", action="store_true",
                        help="exit 1 when Keras does not behave as some program's header states")
    args = parser.parse_args(argv)
    files = corpus_files(args.paths)
    started = time.perf_counter()
    done = 0

    def one(path: Path) -> dict[str, Any]:
        nonlocal done
        result = measure(path, Path(args.keras_cache) if args.keras_cache else None)
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
