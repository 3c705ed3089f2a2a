"""Deterministic synthetic code for the benchmark: a repository, one large model file, scaling models.

Everything is drawn from ``random.Random(seed)``, so the same seed gives the same
bytes on every machine. Model files follow the styles of SPEC section 1:
Sequential (a list, or ``.add`` with the Keras 2 ``input_shape=`` keyword),
functional models stacked from helper blocks in loops, and builder functions
called with arguments (and once with their defaults), reached through the
import styles people use (``from tensorflow import keras``, ``import
tensorflow as tf``, ``import keras``, ``from keras.layers import ...``).
The other files are ordinary Python of similar size that never mention Keras.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "alpha", "amber", "anchor", "apex", "arc", "atlas", "aura", "basin", "beacon", "birch", "blaze",
    "bloom", "bolt", "breeze", "brook", "cable", "canyon", "cedar", "chart", "cinder", "cliff", "cloud",
    "cobalt", "comet", "coral", "crane", "crest", "delta", "drift", "dune", "echo", "ember", "fable",
    "falcon", "fern", "field", "flint", "forge", "frost", "gale", "garnet", "glade", "grain", "granite",
    "grove", "harbor", "hazel", "helix", "heron", "hollow", "indigo", "iris", "ivory", "jade", "juniper",
    "kelp", "lagoon", "lantern", "larch", "ledger", "lumen", "maple", "marble", "meadow", "mesa",
    "mist", "monarch", "moss", "nectar", "nimbus", "oak", "onyx", "orbit", "orchid", "otter", "pebble",
    "pine", "pixel", "plume", "prism", "quartz", "quill", "raven", "reef", "ridge", "river", "sable",
    "sage", "shale", "signal", "slate", "sparrow", "spruce", "stone", "summit", "tangle", "thistle",
    "tide", "timber", "topaz", "torrent", "tundra", "umber", "vale", "vapor", "vertex", "willow",
    "wren", "zenith",
)
NOUNS = (
    "record", "batch", "entry", "item", "event", "sample", "request", "order", "report", "frame",
    "segment", "token", "bucket", "shard", "window", "packet", "node", "edge", "task", "job",
)
VERBS = ("load", "parse", "merge", "split", "score", "filter", "collect", "render", "index", "encode", "decode", "resolve")


def ident(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def camel(rng: random.Random) -> str:
    return rng.choice(WORDS).capitalize() + rng.choice(NOUNS).capitalize()


# ------------------------------------------------------------------ ordinary Python


def _dataclass_block(rng: random.Random) -> str:
    name = camel(rng)
    fields = sorted({ident(rng, 1) for _ in range(rng.randint(3, 6))})
    types = [rng.choice(("int", "float", "str", "bool")) for _ in fields]
    defaults = {"int": "0", "float": "0.0", "str": '""', "bool": "False"}
    lines = ["@dataclass", f"class {name}:", f'    """A {rng.choice(NOUNS)} as the {rng.choice(WORDS)} service stores it."""', ""]
    lines += [f"    {f}: {t} = {defaults[t]}" for f, t in zip(fields, types)]
    lines += [
        "",
        "    def as_dict(self) -> dict:",
        "        return {",
        *[f'            "{f}": self.{f},' for f in fields],
        "        }",
        "",
        "    @classmethod",
        f"    def from_dict(cls, data: dict) -> \"{name}\":",
        "        return cls(",
        *[f'            {f}=data.get("{f}", {defaults[t]}),' for f, t in zip(fields, types)],
        "        )",
        "",
        "    def is_empty(self) -> bool:",
        f"        return not any(({', '.join('self.' + f for f in fields)}))",
    ]
    return "\n".join(lines)


def _class_block(rng: random.Random) -> str:
    name = camel(rng)
    attr = ident(rng, 1)
    limit = rng.randint(4, 64)
    verb = rng.choice(VERBS)
    return f'''class {name}:
    """Keeps the last {limit} {rng.choice(NOUNS)}s and answers questions about them."""

    def __init__(self, {attr}: int = {limit}) -> None:
        self.{attr} = {attr}
        self._items: list = []
        self._hits = 0
        self._misses = 0

    def add(self, item) -> None:
        self._items.append(item)
        if len(self._items) > self.{attr}:
            del self._items[0]

    def {verb}(self, key):
        for item in reversed(self._items):
            if getattr(item, "key", item) == key:
                self._hits += 1
                return item
        self._misses += 1
        return None

    @property
    def ratio(self) -> float:
        total = self._hits + self._misses
        return self._hits / total if total else 0.0

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"{name}(size={{len(self)}}, ratio={{self.ratio:.2f}})"'''


def _parse_block(rng: random.Random) -> str:
    name = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}s"
    sep = rng.choice((",", ";", "|", ":"))
    return f'''def {name}(text: str) -> list[dict]:
    """Read `key{sep}value` lines; blank lines and comments are skipped."""
    result = []
    current: dict = {{}}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            if current:
                result.append(current)
                current = {{}}
            continue
        key, found, value = line.partition("{sep}")
        if not found:
            raise ValueError(f"line {{number}}: expected key{sep}value, got {{line!r}}")
        key = key.strip().lower()
        if PATTERN.match(value.strip()):
            current[key] = int(value.strip())
        else:
            current[key] = value.strip()
    if current:
        result.append(current)
    return result'''


def _stats_block(rng: random.Random) -> str:
    name = f"{rng.choice(VERBS)}_{ident(rng, 1)}_stats"
    field_name = ident(rng, 1)
    return f'''def {name}(rows: list[dict], key: str = "{field_name}") -> dict:
    """Count, mean, minimum and maximum of one column, grouped by kind."""
    groups: dict = defaultdict(list)
    for row in rows:
        value = row.get(key)
        if isinstance(value, (int, float)):
            groups[row.get("kind", "other")].append(value)
    summary = {{}}
    for kind, values in sorted(groups.items()):
        total = sum(values)
        summary[kind] = {{
            "count": len(values),
            "mean": total / len(values),
            "min": min(values),
            "max": max(values),
        }}
    return summary'''


def _tree_block(rng: random.Random) -> str:
    name = f"walk_{ident(rng, 1)}"
    return f'''def {name}(node, depth: int = 0, limit: int = {rng.randint(5, 40)}):
    """Yield (depth, node) pairs of a nested dict tree, depth first."""
    if depth > limit:
        return
    yield depth, node
    children = node.get("children", []) if isinstance(node, dict) else []
    for child in children:
        yield from {name}(child, depth + 1, limit)


def count_{name}(root) -> Counter:
    counts: Counter = Counter()
    for depth, _ in {name}(root):
        counts[depth] += 1
    return counts'''


def _state_block(rng: random.Random) -> str:
    name = camel(rng) + "Machine"
    states = sorted({rng.choice(WORDS).upper() for _ in range(4)})
    while len(states) < 3:
        states.append(f"STATE{len(states)}")
    transitions = ",\n".join(f'        ("{a}", "{b}"): "{rng.choice(VERBS)}"' for a, b in zip(states, states[1:] + states[:1]))
    return f'''class {name}:
    TRANSITIONS = {{
{transitions},
    }}

    def __init__(self) -> None:
        self.state = "{states[0]}"
        self.history: list[str] = []

    def step(self, target: str) -> str:
        action = self.TRANSITIONS.get((self.state, target))
        if action is None:
            raise RuntimeError(f"cannot go from {{self.state}} to {{target}}")
        self.history.append(action)
        self.state = target
        return action

    def replay(self, targets) -> list[str]:
        return [self.step(target) for target in targets]'''


def _csv_block(rng: random.Random) -> str:
    name = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}_table"
    columns = sorted({ident(rng, 1) for _ in range(rng.randint(2, 5))})
    return f'''def {name}(path: str) -> list[dict]:
    """Rows of a CSV file with the columns {", ".join(columns)}."""
    columns = {tuple(columns)!r}
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            missing = [column for column in columns if column not in row]
            if missing:
                raise KeyError(f"{{path}}: missing {{missing}}")
            rows.append({{column: row[column] for column in columns}})
    return rows


def write_{name}(path: str, rows: list[dict]) -> int:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames={list(columns)!r})
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)'''


def _retry_block(rng: random.Random) -> str:
    name = f"{rng.choice(VERBS)}_with_retry"
    return f'''def {name}(action, attempts: int = {rng.randint(2, 6)}, delay: float = {rng.choice((0.1, 0.25, 0.5, 1.0))}):
    """Call `action` until it succeeds, waiting longer after each failure."""
    last_error = None
    for attempt in range(attempts):
        try:
            return action()
        except (OSError, TimeoutError) as error:
            last_error = error
            LOG.warning("attempt %d failed: %s", attempt + 1, error)
            time.sleep(delay * (2 ** attempt))
    raise RuntimeError(f"gave up after {{attempts}} attempts") from last_error'''


def _generator_block(rng: random.Random) -> str:
    name = f"chunks_of_{rng.choice(NOUNS)}s"
    return f'''def {name}(items, size: int = {rng.choice((8, 16, 32, 64, 128))}):
    """Successive lists of `size` items (the last one may be shorter)."""
    iterator = iter(items)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield chunk


def flatten_{rng.choice(NOUNS)}s(groups):
    for group in groups:
        if isinstance(group, (list, tuple)):
            yield from group
        else:
            yield group'''


def _config_block(rng: random.Random) -> str:
    name = f"{rng.choice(VERBS)}_settings"
    keys = sorted({ident(rng, 1) for _ in range(rng.randint(3, 6))})
    defaults = ",\n".join(f'    "{key}": {rng.randint(1, 500)}' for key in keys)
    return f'''DEFAULTS_{name.upper()} = {{
{defaults},
}}


def {name}(path: str | None = None, **overrides) -> dict:
    """Defaults, then a JSON file, then keyword overrides."""
    settings = dict(DEFAULTS_{name.upper()})
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            settings.update(json.load(handle))
    for key, value in overrides.items():
        if key not in settings:
            raise KeyError(f"unknown setting {{key!r}}")
        settings[key] = value
    return settings'''


PLAIN_BLOCKS = (
    _dataclass_block, _class_block, _parse_block, _stats_block, _tree_block, _state_block,
    _csv_block, _retry_block, _generator_block, _config_block,
)

PLAIN_HEADER = '''"""{title}.

{body}
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
import os
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

LOG = logging.getLogger(__name__)
PATTERN = re.compile(r"^-?\\d+$")
'''

PLAIN_MAIN = '''

def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="{title}")
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--limit", type=int, default={limit})
    arguments = parser.parse_args(argv)
    for path in arguments.paths[: arguments.limit]:
        LOG.info("reading %s", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
'''


def plain_blocks(rng: random.Random, target_lines: int) -> list[str]:
    blocks: list[str] = []
    lines = 0
    while lines < target_lines:
        block = rng.choice(PLAIN_BLOCKS)(rng)
        blocks.append(block)
        lines += block.count("\n") + 3
    return blocks


def plain_file(rng: random.Random, target_lines: int) -> str:
    title = f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)}s for the {rng.choice(WORDS)} pipeline"
    header = PLAIN_HEADER.format(title=title, body=f"Helpers of the {ident(rng)} service: reading, grouping and writing {rng.choice(NOUNS)}s.")
    body = "\n\n\n".join(plain_blocks(rng, target_lines - 40))
    return header + "\n\n" + body + "\n" + PLAIN_MAIN.format(title=title, limit=rng.randint(10, 1000))


# ------------------------------------------------------------------ Keras models


@dataclass
class Api:
    """How a file reaches Keras: the text of a layer, a model class, and the imports."""

    style: str
    used_layers: set = field(default_factory=set)
    used_models: set = field(default_factory=set)

    def layer(self, name: str) -> str:
        self.used_layers.add(name)
        if self.style == "tf":
            return f"tf.keras.layers.{name}"
        if self.style == "names":
            return name
        return f"layers.{name}"

    def model(self, name: str) -> str:
        """``Sequential``, ``Model`` or ``Input``."""
        self.used_models.add(name)
        if self.style == "tf":
            return f"tf.keras.{name}"
        if self.style == "names":
            return name
        return f"keras.{name}"

    def imports(self) -> str:
        if self.style == "tf":
            return "import tensorflow as tf"
        if self.style == "tfkeras":
            return "from tensorflow import keras\nfrom tensorflow.keras import layers"
        if self.style == "keras":
            return "import keras\nfrom keras import layers"
        lines = []
        models = sorted(self.used_models - {"Input"})
        layer_names = sorted(self.used_layers | ({"Input"} & self.used_models))
        if models:
            lines.append(f"from keras.models import {', '.join(models)}")
        if layer_names:
            lines.append("from keras.layers import (\n" + "".join(f"    {name},\n" for name in layer_names) + ")")
        return "\n".join(lines)


STYLES = ("tfkeras", "tf", "keras", "names")


def _activation(rng: random.Random) -> str:
    return rng.choice(('"relu"', '"relu"', '"elu"', '"swish"'))


def _conv_stack(rng: random.Random, api: Api, size: int, stages: int, indent: str, sequential: bool, first_kwargs: str = "") -> tuple[list[str], int]:
    """Conv/pool stages as Sequential items or functional lines; returns the lines and the final size."""
    lines = []
    filters = rng.choice((16, 32, 32, 64))
    first = True
    for _ in range(stages):
        for _ in range(rng.randint(1, 2)):
            kernel = rng.choice((3, 3, 5)) if size >= 8 else 3
            padding = "same" if rng.random() < 0.75 or size < 12 else "valid"
            extra = first_kwargs if first else ""
            text = f'{api.layer("Conv2D")}({filters}, {kernel}, padding="{padding}", activation={_activation(rng)}{extra})'
            lines.append(f"{indent}{text}," if sequential else f"{indent}x = {text}(x)")
            if padding == "valid":
                size = size - kernel + 1
            first = False
            if rng.random() < 0.3:
                text = f'{api.layer("BatchNormalization")}()'
                lines.append(f"{indent}{text}," if sequential else f"{indent}x = {text}(x)")
        pool = rng.choice(("MaxPooling2D", "MaxPooling2D", "AveragePooling2D"))
        text = f"{api.layer(pool)}(2)"
        lines.append(f"{indent}{text}," if sequential else f"{indent}x = {text}(x)")
        size //= 2
        filters *= 2
    return lines, size


def _head(rng: random.Random, api: Api, classes: int, indent: str, sequential: bool) -> list[str]:
    reduce = rng.choice(("Flatten", "GlobalAveragePooling2D"))
    items = [f"{api.layer(reduce)}()", f'{api.layer("Dense")}({rng.choice((64, 128, 256))}, activation="relu")']
    if rng.random() < 0.6:
        items.append(f'{api.layer("Dropout")}({rng.choice((0.2, 0.3, 0.5))})')
    items.append(f'{api.layer("Dense")}({classes}, activation="softmax")')
    if sequential:
        return [f"{indent}{item}," for item in items]
    lines = [f"{indent}x = {item}(x)" for item in items[:-1]]
    return [*lines, f"{indent}outputs = {items[-1]}(x)"]


def _image_input(rng: random.Random) -> tuple[int, int]:
    return rng.choice(((28, 1), (32, 3), (32, 3), (64, 3), (96, 3), (128, 3)))


def model_sequential_list(rng: random.Random, api: Api, name: str) -> str:
    size, channels = _image_input(rng)
    stages = rng.randint(1, 3 if size <= 32 else 4)
    lines = [f"{name} = {api.model('Sequential')}(", "    ["]
    keras2 = rng.random() < 0.4
    if keras2:
        body, _ = _conv_stack(rng, api, size, stages, "        ", True, f", input_shape=({size}, {size}, {channels})")
    else:
        lines.append(f"        {api.layer('Input')}(shape=({size}, {size}, {channels})),")
        body, _ = _conv_stack(rng, api, size, stages, "        ", True)
    lines += body + _head(rng, api, rng.choice((2, 10, 100)), "        ", True)
    lines += ["    ],", f'    name="{name}",', ")"]
    return "\n".join(lines)


def model_sequential_add(rng: random.Random, api: Api, name: str) -> str:
    dims = rng.choice((20, 64, 100, 784))
    lines = [f"{name} = {api.model('Sequential')}()"]
    first = True
    for units in sorted({rng.choice((32, 64, 128, 256, 512)) for _ in range(rng.randint(2, 4))}, reverse=True):
        extra = f", input_shape=({dims},)" if first else ""
        lines.append(f'{name}.add({api.layer("Dense")}({units}, activation={_activation(rng)}{extra}))')
        if rng.random() < 0.5:
            lines.append(f'{name}.add({api.layer("Dropout")}({rng.choice((0.1, 0.2, 0.5))}))')
        first = False
    lines.append(f'{name}.add({api.layer("Dense")}({rng.choice((1, 5, 10))}, activation="sigmoid"))')
    return "\n".join(lines)


def model_functional_blocks(rng: random.Random, api: Api, name: str) -> str:
    size, channels = _image_input(rng)
    stages = rng.randint(2, 3)
    blocks = rng.randint(1, 3)
    widths = [rng.choice((16, 32)) * 2**i for i in range(stages)]
    helper = f"{rng.choice(('conv', 'residual', 'res'))}_block_{name}"
    return f'''def {helper}(x, filters, strides=1):
    shortcut = x
    x = {api.layer("Conv2D")}(filters, 3, strides=strides, padding="same")(x)
    x = {api.layer("BatchNormalization")}()(x)
    x = {api.layer("Activation")}("relu")(x)
    x = {api.layer("Conv2D")}(filters, 3, padding="same")(x)
    x = {api.layer("BatchNormalization")}()(x)
    if strides != 1 or shortcut.shape[-1] != filters:
        shortcut = {api.layer("Conv2D")}(filters, 1, strides=strides)(shortcut)
    x = {api.layer("Add")}()([x, shortcut])
    return {api.layer("Activation")}("relu")(x)


inputs_{name} = {api.model("Input")}(shape=({size}, {size}, {channels}))
x = {api.layer("Conv2D")}({widths[0]}, 3, padding="same", activation="relu")(inputs_{name})
for stage, filters in enumerate({tuple(widths)!r}):
    for block in range({blocks}):
        strides = 2 if stage > 0 and block == 0 else 1
        x = {helper}(x, filters, strides=strides)
x = {api.layer("GlobalAveragePooling2D")}()(x)
outputs_{name} = {api.layer("Dense")}({rng.choice((10, 100))}, activation="softmax")(x)
{name} = {api.model("Model")}(inputs_{name}, outputs_{name}, name="{name}")'''


def model_builder(rng: random.Random, api: Api, name: str) -> str:
    size, channels = _image_input(rng)
    widths = tuple(rng.choice((16, 32, 64)) * 2**i for i in range(rng.randint(2, 3)))
    builder = f"build_{name}"
    stage = f"stage_{name}"
    calls = [f"{name} = {builder}()"]
    if rng.random() < 0.7:
        calls.append(f"{name}_large = {builder}(({size * 2}, {size * 2}, {channels}), num_classes=100, widths={widths + (widths[-1] * 2,)!r})")
    return f'''def {stage}(x, filters, convs=2, pool=True):
    for _ in range(convs):
        x = {api.layer("Conv2D")}(filters, 3, padding="same", activation="relu")(x)
    if pool:
        x = {api.layer("MaxPooling2D")}()(x)
    return x


def {builder}(input_shape=({size}, {size}, {channels}), num_classes=10, widths={widths!r}, dense_units=128):
    inputs = {api.model("Input")}(shape=input_shape)
    x = inputs
    for index, width in enumerate(widths):
        x = {stage}(x, width, convs=1 if index == 0 else 2)
    x = {api.layer("GlobalAveragePooling2D")}()(x)
    x = {api.layer("Dense")}(dense_units, activation="relu")(x)
    outputs = {api.layer("Dense")}(num_classes, activation="softmax")(x)
    return {api.model("Model")}(inputs, outputs)


''' + "\n".join(calls)


def model_text(rng: random.Random, api: Api, name: str) -> str:
    vocab = rng.choice((5000, 10000, 20000))
    length = rng.choice((100, 200, 400))
    recurrent = rng.choice(("LSTM", "GRU"))
    return f'''inputs_{name} = {api.model("Input")}(shape=({length},))
x = {api.layer("Embedding")}({vocab}, {rng.choice((64, 128))})(inputs_{name})
x = {api.layer("Conv1D")}({rng.choice((32, 64))}, 5, padding="same", activation="relu")(x)
x = {api.layer("MaxPooling1D")}(2)(x)
x = {api.layer(recurrent)}({rng.choice((32, 64))})(x)
outputs_{name} = {api.layer("Dense")}(1, activation="sigmoid")(x)
{name} = {api.model("Model")}(inputs_{name}, outputs_{name})'''


MODEL_STYLES = (model_sequential_list, model_sequential_add, model_functional_blocks, model_builder, model_text)

TRAINING = '''

def load_{data}(path: str, limit: int | None = None):
    """The arrays of the {data} dataset, scaled to [0, 1]."""
    import numpy as np

    with np.load(path) as archive:
        images, labels = archive["x"], archive["y"]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images.astype("float32") / 255.0, labels


def train(model, data_path: str, epochs: int = {epochs}, batch_size: int = {batch}):
    images, labels = load_{data}(data_path)
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model.fit(
        images,
        labels,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=0.1,
    )


if __name__ == "__main__":
    import sys

    train({model}, sys.argv[1])
'''


def model_file(rng: random.Random, target_lines: int, style: str | None = None, count: int | None = None) -> str:
    api = Api(style or rng.choice(STYLES))
    names = []
    models = []
    for _ in range(count or rng.choice((1, 1, 2))):
        name = f"{rng.choice(WORDS)}_model"
        while name in names:
            name = f"{rng.choice(WORDS)}_{len(names)}_model"
        names.append(name)
        models.append(rng.choice(MODEL_STYLES)(rng, api, name))
    body = "\n\n\n".join(models)
    training = TRAINING.format(data=ident(rng, 1), epochs=rng.randint(5, 50), batch=rng.choice((32, 64, 128)), model=names[0])
    used = body.count("\n") + training.count("\n") + 20
    helpers = plain_blocks(rng, max(0, target_lines - used)) if target_lines > used else []
    title = f"The {rng.choice(WORDS)} {rng.choice(('classifier', 'encoder', 'detector', 'tagger'))} and its training loop."
    header = '"""' + title + '"""\n\nfrom __future__ import annotations\n\n'
    header += "import csv\nimport itertools\nimport json\nimport logging\nimport os\nimport re\nimport time\n"
    header += "from collections import Counter, defaultdict\nfrom dataclasses import dataclass\n\n" + api.imports() + "\n\n"
    header += 'LOG = logging.getLogger(__name__)\nPATTERN = re.compile(r"^-?\\d+$")\n'
    parts = [header, *helpers, body]
    return "\n\n".join(parts) + "\n" + training


# ------------------------------------------------------------------ the pieces the benchmark uses


def generate_repository(root: Path, files: int = 2000, seed: int = 0, model_share: int = 5) -> dict:
    """Write ``files`` Python files under ``root`` (one in ``model_share`` defines Keras models)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    # Its own repository root: a repository's .gitignore above it (this project's ignores
    # benchmarks/out/) must not hide its files from padlint, as it would not from flake8.
    (root / ".git").mkdir(exist_ok=True)
    (root / ".gitignore").write_text("build/\ndist/\n*.egg-info/\n__pycache__/\n.padlint_cache/\n")
    lines = {"model": 0, "plain": 0}
    counts = {"model": 0, "plain": 0}
    for index in range(files):
        package = root / f"pkg_{index // 200:02d}" / f"sub_{(index // 20) % 10:02d}"
        package.mkdir(parents=True, exist_ok=True)
        target = rng.randint(120, 320)
        if index % model_share == 0:
            text, kind = model_file(rng, target), "model"
            path = package / f"model_{index:04d}.py"
        else:
            text, kind = plain_file(rng, target), "plain"
            assert "keras" not in text.lower()
            path = package / f"{rng.choice(VERBS)}_{index:04d}.py"
        path.write_text(text)
        lines[kind] += text.count("\n")
        counts[kind] += 1
    for folder in sorted({path.parent for path in root.rglob("*.py")}):
        init = folder / "__init__.py"
        if not init.exists():
            init.write_text("")
    return {"files": files, "model_files": counts["model"], "plain_files": counts["plain"], "model_lines": lines["model"], "plain_lines": lines["plain"]}


def large_model_file(seed: int = 1, target_lines: int = 400) -> str:
    """A ~400-line model file that TensorFlow can run as it is: several models, helpers, a training loop."""
    rng = random.Random(seed)
    for _ in range(200):
        text = model_file(rng, target_lines, style="tfkeras", count=3)
        if abs(text.count("\n") - target_lines) <= 25:
            return text
    return text


def scaling_model(layers: int) -> str:
    """A functional model of exactly ``layers`` layers (InputLayer included), written out line by line:
    residual units of Conv2D, BatchNormalization, Activation and Add, then a head."""
    lines = [
        f'"""A generated {layers}-layer functional model."""',
        "from tensorflow import keras",
        "from tensorflow.keras import layers",
        "",
        "inputs = keras.Input(shape=(32, 32, 16))",
        "x = inputs",
    ]
    remaining = layers - 3  # the InputLayer, the pooling and the Dense head
    unit = ("y = layers.Conv2D(16, 3, padding=\"same\")(x)", "y = layers.BatchNormalization()(y)",
            "y = layers.Activation(\"relu\")(y)", "x = layers.Add()([x, y])")
    while remaining >= 4:
        lines += list(unit)
        remaining -= 4
    for _ in range(remaining):
        lines.append("x = layers.Activation(\"relu\")(x)")
    lines += [
        "x = layers.GlobalAveragePooling2D()(x)",
        "outputs = layers.Dense(10, activation=\"softmax\")(x)",
        f"model = keras.Model(inputs, outputs, name=\"scaling_{layers}\")",
        "",
    ]
    return "\n".join(lines)
