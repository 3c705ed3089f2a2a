"""Random programs with custom layers and subclassed models, for differential tests.

``generate_program(rng, index)`` writes a module that defines one to three
custom ``keras.layers.Layer`` classes and builds models with them. A class
draws its state from: sublayers in attributes, in a list, in a dict, a
``keras.Sequential`` made in ``__init__``, weights from ``add_weight`` (in
``__init__`` or in ``build(input_shape)``, trainable or not), and sometimes a
``compute_output_shape``; its ``call()`` chains the sublayers, adds a residual
or multiplies by its weights, and may take ``training``. The models are a
functional model, a Sequential, and a subclassed model that is called on an
``Input``, called on a concrete tensor, given ``build()``, or never called,
and sometimes nested in a functional model. The generator only tracks the
last axis so that the programs run; every expected value comes from Keras.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

HEADER = "import keras\nfrom keras import layers, ops\n\n"


@dataclass
class LayerClass:
    """One generated custom layer class: its source and what it does to the last axis."""

    name: str
    source: str
    #: Output features as a function of the input features (None: unchanged).
    units: int | None
    #: Whether the class needs the input's last axis to equal ``units`` (a residual).
    residual: bool = False


@dataclass
class Writer:
    rng: random.Random
    lines: list[str] = field(default_factory=list)

    def line(self, text: str = "", indent: int = 0) -> None:
        self.lines.append("    " * indent + text)


def sublayer(rng: random.Random, units: str) -> str:
    """A Keras layer that maps any last axis to ``units`` (an expression of the class's ``units``)."""
    return rng.choice(
        [
            f"layers.Dense({units})",
            f"layers.Dense({units}, activation='relu')",
            f"layers.Dense({units}, use_bias=False)",
        ]
    )


def preserving(rng: random.Random) -> str:
    return rng.choice(["layers.LayerNormalization()", "layers.Dropout(0.1)", "layers.BatchNormalization()", "layers.Activation('gelu')"])


def layer_class(rng: random.Random, number: int) -> LayerClass:
    """One custom layer class with a random mix of state and call styles."""
    name = rng.choice(["Block", "Mixer", "Projector", "Unit", "Stage"]) + str(number)
    units = rng.choice([4, 6, 8, 12])
    writer = Writer(rng)
    style = rng.choice(["attributes", "list", "dict", "sequential", "weights", "weights_in_init"])
    residual = style in ("attributes", "list") and rng.random() < 0.4
    declares = rng.random() < 0.25
    training = rng.random() < 0.4
    writer.line(f"class {name}(layers.Layer):")
    writer.line(f"def __init__(self, units={units}, **kwargs):", 1)
    writer.line("super().__init__(**kwargs)", 2)
    writer.line("self.units = units", 2)
    if style == "attributes":
        writer.line(f"self.first = {sublayer(rng, 'units')}", 2)
        writer.line(f"self.norm = {preserving(rng)}", 2)
        writer.line("self.second = layers.Dense(units)", 2)
    elif style == "list":
        depth = rng.randint(1, 3)
        writer.line(f"self.stack = [layers.Dense(units, activation='relu') for _ in range({depth})]", 2)
        writer.line(f"self.stack.append({preserving(rng)})", 2)
    elif style == "dict":
        writer.line("self.branches = {'a': layers.Dense(units), 'b': layers.Dense(units, activation='tanh')}", 2)
    elif style == "sequential":
        writer.line(f"self.ffn = keras.Sequential([{sublayer(rng, 'units * 2')}, layers.Dense(units)])", 2)
        writer.line(f"self.norm = {preserving(rng)}", 2)
    elif style == "weights_in_init":
        writer.line("self.scale = self.add_weight(shape=(units,), initializer='ones')", 2)
        writer.line(f"self.proj = {sublayer(rng, 'units')}", 2)
    if style == "weights":
        trainable = rng.choice([True, True, False])
        writer.line("def build(self, input_shape):", 1)
        writer.line("self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer='glorot_uniform')", 2)
        writer.line(f"self.offset = self.add_weight(shape=(self.units,), initializer='zeros', trainable={trainable})", 2)
    arguments = "self, inputs, training=None" if training else "self, inputs"
    writer.line(f"def call({arguments}):", 1)
    keyword = ", training=training" if training else ""
    if style == "attributes":
        writer.line("x = self.second(self.norm(self.first(inputs)))", 2)
        writer.line("return x + inputs" if residual else "return x", 2)
    elif style == "list":
        writer.line("x = inputs", 2)
        writer.line("for layer in self.stack:", 2)
        writer.line("x = layer(x)", 3)
        writer.line("return x + inputs" if residual else "return x", 2)
    elif style == "dict":
        writer.line("return self.branches['a'](inputs) * self.branches['b'](inputs)", 2)
    elif style == "sequential":
        writer.line(f"return self.norm(self.ffn(inputs{keyword}))", 2)
    elif style == "weights":
        writer.line("return ops.matmul(inputs, self.kernel) + self.offset", 2)
    else:
        writer.line("return self.proj(inputs) * self.scale", 2)
    if declares:
        writer.line("def compute_output_shape(self, input_shape):", 1)
        writer.line("return tuple(input_shape[:-1]) + (self.units,)", 2)
    return LayerClass(name, "\n".join(writer.lines) + "\n", units, residual)


def instance(rng: random.Random, cls: LayerClass, features: int, named: list[int]) -> tuple[str, int]:
    """A constructor call of ``cls`` that fits an input of ``features`` features, and its output features."""
    units = features if cls.residual else rng.choice([cls.units, 5, 10])
    kwargs = f"units={units}"
    if rng.random() < 0.2:
        named[0] += 1
        kwargs += f", name='custom_{named[0]}'"
    if rng.random() < 0.1:
        kwargs += ", trainable=False"
    return f"{cls.name}({kwargs})", units


def generate_program(rng: random.Random, index: int) -> str:
    """A runnable module: custom layer classes, then models bound to module-level names."""
    classes = [layer_class(rng, number) for number in range(rng.randint(1, 3))]
    out = [HEADER, f"# random custom-layer program {index}\n"]
    out.extend(cls.source + "\n" for cls in classes)
    named = [0]
    rank = rng.choice([2, 3])
    features = rng.choice([4, 6, 8])
    shape = f"({features},)" if rank == 2 else f"({rng.choice([3, 5])}, {features})"
    body: list[str] = []
    kinds = rng.sample(["functional", "sequential", "subclassed"], rng.randint(1, 3))
    for kind in kinds:
        chain = []
        width = features
        for _ in range(rng.randint(1, 3)):
            call, width = instance(rng, rng.choice(classes), width, named)
            chain.append(call)
        head = f"layers.Dense({rng.choice([1, 3])})"
        if kind == "functional":
            body.append(f"inputs = keras.Input(shape={shape})")
            body.append("x = inputs")
            body.extend(f"x = {call}(x)" for call in chain)
            body.append(f"functional = keras.Model(inputs, {head}(x))")
        elif kind == "sequential":
            items = [f"keras.Input(shape={shape})", *chain, head]
            body.append("sequential = keras.Sequential([" + ", ".join(items) + "])")
        else:
            body.append(subclassed_model(rng, chain, head, shape, rank, features))
    out.append("\n".join(body) + "\n")
    return "".join(out)


def subclassed_model(rng: random.Random, chain: list[str], head: str, shape: str, rank: int, features: int) -> str:
    """A subclassed model holding the chain, and how the program builds it (or does not)."""
    lines = ["class Net(keras.Model):", "    def __init__(self, **kwargs):", "        super().__init__(**kwargs)"]
    lines.append("        self.body = [" + ", ".join(chain) + "]")
    lines.append(f"        self.head = {head}")
    lines.append("    def call(self, x):")
    lines.append("        for layer in self.body:")
    lines.append("            x = layer(x)")
    lines.append("        return self.head(x)")
    how = rng.choice(["input", "input", "eager", "build", "never", "nested"])
    concrete = f"(2, {features})" if rank == 2 else f"(2, 4, {features})"
    if how == "input":
        lines.append(f"subclassed = Net()\nsubclassed(keras.Input(shape={shape}))")
    elif how == "eager":
        lines.append(f"subclassed = Net()\nsubclassed(keras.random.normal({concrete}))")
    elif how == "build":
        lines.append(f"subclassed = Net()\nsubclassed.build((None,) + {shape})")
    elif how == "never":
        lines.append("subclassed = Net()")
    else:
        lines.append(f"net = Net(name='inner_net')\nouter_inputs = keras.Input(shape={shape})")
        lines.append("nested = keras.Model(outer_inputs, layers.Activation('sigmoid')(net(outer_inputs)))")
    return "\n".join(lines)
