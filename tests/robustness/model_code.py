"""Random Keras model *code* for the fuzz tests: programs that reach padlint's layers and rules.

Grammar-generated Python never names Keras, so it stops at the evaluator. What is generated
here is the code people write, with its mistakes, and worse:

- every layer class Keras has (the keyword table padlint generates from Keras,
  padlint/layers/keywords.py), with arguments by position and by keyword; most values
  are plausible for the argument's name (sizes, windows, padding modes, activations,
  axes, data formats), the others of any type: zero, negative, huge, floats, strings,
  None, empty or over-long tuples, nested lists, layers, lambdas, names never defined,
  data-dependent expressions (``x_train.shape[1:]``), unknown keywords;
- Sequential models as lists or built with ``.add`` (also in loops), with an ``Input``,
  a Keras 2 ``input_shape=`` or no input at all; functional graphs with branches, merges
  (layers and their function forms), several inputs and outputs (lists, dicts), shared
  layers, nested models used as layers, wrappers (Bidirectional, TimeDistributed), helper
  blocks called in loops, builder functions called or not, input-shape pragmas;
- several import styles, ``# noqa`` comments, and a few lines cut or duplicated.

Only the source text is produced; what padlint makes of it is checked by the tests
(no crash, no internal error, every reporter formats it). Reproducible: the same
``random.Random`` seed gives the same program.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from padlint.layers.keywords import ACCEPTED_KEYWORDS
from padlint.layers.registry import all_specs

#: (imports, layer prefix, Input, Sequential, Model).
IMPORT_STYLES = [
    ("import keras\nfrom keras import layers\n", "layers.", "keras.Input", "keras.Sequential", "keras.Model"),
    ("from tensorflow import keras\nfrom tensorflow.keras import layers as L\n", "L.", "keras.Input", "keras.Sequential", "keras.Model"),
    ("import tensorflow as tf\n", "tf.keras.layers.", "tf.keras.Input", "tf.keras.Sequential", "tf.keras.models.Model"),
    ("from keras.models import Sequential, Model\nfrom keras.layers import *\n", "", "Input", "Sequential", "Model"),
    ("from tensorflow.keras import layers, models\n", "layers.", "layers.Input", "models.Sequential", "models.Model"),
]

#: Layer classes padlint has no spec for still appear (as an unknown layer would), a little less often.
CLASSES = sorted(ACCEPTED_KEYWORDS)
SPATIAL = [name for name in CLASSES if name[-2:] in ("1D", "2D", "3D")]
MERGES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]
MERGE_FUNCTIONS = ["add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"]
WRAPPED = ["LSTM", "GRU", "SimpleRNN", "Dense", "Conv2D", "Conv1D", "MaxPooling2D", "Flatten", "Dropout"]

#: Values of any type, for any argument.
HOSTILE = [
    "0", "-1", "-3", "10**9", "10**100", "2.5", "-0.5", "float('nan')", "float('inf')", "'x'", "''", "'same'", "'3'", "None",
    "True", "False", "()", "[]", "{}", "(0,)", "(1, 2, 3, 4)", "(None, None)", "[[1, 2], [3]]", "{'a': 1}", "(2, -2)",
    "lambda t: t", "undefined_name", "x_train.shape[1:]", "np.zeros(3)", "layers_missing.Dense(3)", "sys.argv[1]",
    "range(3)", "len('abc')", "2 ** 70", "-(10 ** 30)", "(1,) * 1000", "'a' * 50", "b'same'", "3j", "...",
]

#: Keywords every layer accepts: given now and then, not sampled with the layer's own.
GENERIC = frozenset(("input_dim", "input_shape", "batch_input_shape", "dtype", "autocast", "activity_regularizer", "trainable", "name"))

PADDINGS = ["'valid'", "'same'", "'causal'", "'Same'", "'VALID'", "'full'", "2", "(1, 1)", "[2, 2, 2, 2]", "((1, 0), (0, 1))"]
ACTIVATIONS = ["'relu'", "'softmax'", "'linear'", "'tanh'", "'sigmoid'", "None", "'gelu'", "'swish'", "'leaky_relu'", "'nope'"]


def _ints(rng: random.Random, low: int = 1, high: int = 64) -> str:
    return str(rng.randint(low, high))


def _window(rng: random.Random, rank: int) -> str:
    if rng.random() < 0.6:
        return str(rng.choice([1, 1, 2, 2, 3, 3, 5, 7]))
    return "(" + ", ".join(str(rng.choice([1, 2, 3])) for _ in range(rng.choice([rank, rank, 1, 2, 3]))) + ",)"


def plausible(rng: random.Random, keyword: str, rank: int) -> str | None:
    """A value that fits the argument's name; None: the name says nothing, use a hostile or default value."""
    choices = {
        "padding": lambda: rng.choice(PADDINGS),
        "activation": lambda: rng.choice(ACTIVATIONS),
        "recurrent_activation": lambda: rng.choice(ACTIVATIONS),
        "data_format": lambda: rng.choice(["'channels_last'", "'channels_last'", "'channels_first'", "None", "'NHWC'"]),
        "axis": lambda: rng.choice(["-1", "1", "2", "3", "[1, 2]", "(-1,)", "0", "-5"]),
        "axes": lambda: rng.choice(["-1", "1", "2", "(1, 1)", "(2, 1)", "[1, 2]"]),
        "rate": lambda: rng.choice(["0.1", "0.5", "0.0", "1.0", "2"]),
        "dropout": lambda: rng.choice(["0.1", "0.0", "0.5"]),
        "recurrent_dropout": lambda: rng.choice(["0.0", "0.2"]),
        "stddev": lambda: rng.choice(["0.1", "1.0"]),
        "target_shape": lambda: "(" + ", ".join(rng.choice(["-1", "2", "4", "8", "16", "3", "0"]) for _ in range(rng.randint(1, 3))) + ",)",
        "dims": lambda: "(" + ", ".join(map(str, rng.sample(range(1, rank + 2), rank + 1))) + ",)",
        "n": lambda: _ints(rng, 1, 8),
        "size": lambda: _window(rng, rank) if rng.random() < 0.9 else rng.choice(["'bilinear'", "(2, 2)"]),
        "cropping": lambda: rng.choice(["1", "2", "(1, 2)", "((1, 0), (2, 1))", "(1, 1, 1)"]),
        "output_size": lambda: _window(rng, rank),
        "interpolation": lambda: rng.choice(["'nearest'", "'bilinear'", "'bicubic'"]),
        "merge_mode": lambda: rng.choice(["'concat'", "'sum'", "'mul'", "'ave'", "None", "'stack'"]),
        "name": lambda: rng.choice(["'block'", "'dense_1'", "'conv'", "'x y'", "'ünïcode'", "None", "'dup'"]),
        "output_mode": lambda: rng.choice(["'int'", "'one_hot'", "'multi_hot'", "'count'", "'tf_idf'"]),
        "height": lambda: _ints(rng, 1, 64),
        "width": lambda: _ints(rng, 1, 64),
        "factor": lambda: rng.choice(["0.1", "(0.1, 0.2)", "-0.5"]),
        "mode": lambda: rng.choice(["'horizontal'", "'vertical'", "'horizontal_and_vertical'"]),
        "scale": lambda: rng.choice(["1.0 / 255", "2", "0.5"]),
        "offset": lambda: rng.choice(["0.0", "-1.0"]),
        "input_dim": lambda: _ints(rng, 1, 1000),
        "output_dim": lambda: _ints(rng, 1, 64),
        "input_length": lambda: _ints(rng, 1, 50),
        "input_shape": lambda: shape(rng, rank),
        "batch_input_shape": lambda: "(None, " + shape(rng, rank)[1:],
        "shared_axes": lambda: rng.choice(["[1, 2]", "None", "(1,)"]),
        "momentum": lambda: "0.9",
        "epsilon": lambda: "1e-3",
        "groups": lambda: rng.choice(["1", "2", "3", "4"]),
        "num_heads": lambda: _ints(rng, 1, 8),
        "key_dim": lambda: _ints(rng, 1, 32),
        "value_dim": lambda: _ints(rng, 1, 32),
        "output_shape": lambda: rng.choice(["(4,)", "(None, 8)", "[3, 2]", "lambda s: s"]),
        "function": lambda: rng.choice(["lambda t: t", "lambda t: t * 2", "lambda t: t[:, 0]"]),
        "equation": lambda: rng.choice(["'ab,bc->ac'", "'...b,bc->...c'", "'abc,cd->abd'", "'ab->'"]),
        "layer": lambda: f"{rng.choice(['LSTM', 'GRU', 'Dense', 'Conv2D'])}({_ints(rng, 1, 16)})",
        "backward_layer": lambda: f"LSTM({_ints(rng, 1, 16)}, go_backwards=True)",
        "cell": lambda: rng.choice(["SimpleRNNCell(4)", "LSTMCell(8)", "[GRUCell(4), GRUCell(2)]"]),
        "depth_multiplier": lambda: _ints(rng, 1, 3),
        "max_value": lambda: rng.choice(["6.0", "None"]),
        "negative_slope": lambda: "0.1",
        "alpha": lambda: "0.3",
        "theta": lambda: "1.0",
        "mean": lambda: rng.choice(["None", "0.5", "[0.5, 0.5]"]),
        "variance": lambda: rng.choice(["None", "0.25"]),
        "invert": lambda: "False",
        "sparse": lambda: "False",
        "num_bins": lambda: _ints(rng, 1, 10),
        "bin_boundaries": lambda: "[0.0, 1.0, 2.0]",
        "vocabulary": lambda: rng.choice(["None", "['a', 'b']"]),
        "max_tokens": lambda: _ints(rng, 2, 100),
        "num_tokens": lambda: _ints(rng, 2, 100),
        "sequence_length": lambda: _ints(rng, 1, 50),
        "pad_to_max_tokens": lambda: "False",
    }
    if keyword in choices:
        return choices[keyword]()
    if keyword in ("units", "filters"):
        return _ints(rng, 1, 128) if rng.random() < 0.95 else rng.choice(["0", "-4", "2.0"])
    if keyword in ("kernel_size", "pool_size", "strides", "dilation_rate", "output_padding"):
        return _window(rng, rank) if rng.random() < 0.9 else rng.choice(["0", "-1", "(2, 0)", "None"])
    if keyword.startswith(("use_", "return_", "go_", "stateful", "unroll", "center", "scale", "causal", "keepdims", "normalize", "unit_forget", "reset_after", "trainable")):
        return rng.choice(["True", "False"])
    return None


def shape(rng: random.Random, rank: int) -> str:
    """An input shape without the batch axis: mostly small known sizes, sometimes None, 1 or bad."""
    dims = []
    for _ in range(rank):
        roll = rng.random()
        dims.append("None" if roll < 0.1 else rng.choice(["0", "-2", "'28'", "1"]) if roll < 0.13 else str(rng.choice([1, 3, 4, 5, 7, 8, 16, 28, 32, 64, 100])))
    return "(" + ", ".join(dims) + ("," if rank == 1 else "") + ")"


@dataclass
class Program:
    """A program under construction: its lines, and what it knows about its names."""

    rng: random.Random
    prefix: str
    input_name: str
    sequential: str
    model: str
    lines: list[str] = field(default_factory=list)
    counter: int = 0

    def fresh(self, stem: str = "x") -> str:
        self.counter += 1
        return f"{stem}{self.counter}"

    def layer_class(self, rank: int) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            family = [name for name in SPATIAL if name.endswith(f"{rank}D")] or SPATIAL
            return rng.choice(family)
        if roll < 0.6:
            return rng.choice(["Dense", "Flatten", "Dropout", "BatchNormalization", "Activation", "Reshape", "Permute", "LayerNormalization", "Embedding", "LSTM", "GRU"])
        return rng.choice(CLASSES)

    def arguments(self, class_name: str, rank: int) -> str:
        rng = self.rng
        spec = all_specs().get(class_name)
        defaults = spec.defaults if spec is not None else {}
        keywords = sorted(ACCEPTED_KEYWORDS.get(class_name, ()))
        known = [keyword for keyword in keywords if keyword not in GENERIC and plausible(random.Random(0), keyword, rank) is not None]
        positional = list(spec.signature) if spec is not None else []
        parts: list[str] = []
        # Leading positional arguments, as people write Conv2D(32, 3) (and, now and then, one too many).
        count = rng.choice([0, 1, 1, 2, 2, 3]) if positional else rng.choice([0, 0, 0, 1])
        for index in range(min(count, len(positional) + 1)):
            name = positional[index] if index < len(positional) else ""
            parts.append(self.value(name, rank, defaults))
        chosen = rng.sample(known, min(len(known), rng.choice([0, 1, 1, 2, 3, 4])))
        if keywords and rng.random() < 0.15:
            chosen.append(rng.choice(keywords))  # any keyword Keras accepts, with a value of any type
        for keyword in dict.fromkeys(chosen):
            if keyword not in positional[:count] or rng.random() < 0.05:  # now and then given twice
                parts.append(f"{keyword}={self.value(keyword, rank, defaults)}")
        if rng.random() < 0.04:
            parts.append(f"{rng.choice(['kernal_size', 'paddding', 'border_mode', 'nb_filter', 'subsample', 'init'])}={self.value('', rank, {})}")
        if rng.random() < 0.03:
            parts.append(rng.choice(["**{'units': 4}", "*[3]", "**options", "*sizes"]))
        return ", ".join(parts)

    def value(self, keyword: str, rank: int, defaults: dict) -> str:
        """Plausible for the argument's name most of the time; of any type otherwise."""
        rng = self.rng
        if rng.random() < 0.92:
            found = plausible(rng, keyword, rank)
            if found is not None:
                return found
            default = defaults.get(keyword)
            if isinstance(default, (int, float, str, tuple)) and default is not None and rng.random() < 0.7:
                return repr(default)
        return rng.choice(HOSTILE)

    def layer(self, rank: int, class_name: str | None = None) -> str:
        class_name = class_name or self.layer_class(rank)
        if class_name in ("Bidirectional", "TimeDistributed") and self.rng.random() < 0.8:
            inner = self.rng.choice(WRAPPED)
            return f"{self.prefix}{class_name}({self.prefix}{inner}({self.arguments(inner, rank)}))"
        return f"{self.prefix}{class_name}({self.arguments(class_name, rank)})"

    def emit(self, line: str) -> None:
        if self.rng.random() < 0.03:
            line += self.rng.choice(["  # noqa", "  # noqa: PAD201", "  # noqa: PAD1,PAD3", "  # padlint: input_shape=(8, 8, 3)"])
        self.lines.append(line)


def sequential_list(program: Program, rank: int) -> None:
    rng = program.rng
    layers = [program.layer(rank) for _ in range(rng.randint(1, 7))]
    if rng.random() < 0.6:
        layers.insert(0, f"{program.input_name}(shape={shape(rng, rank)})")
    elif rng.random() < 0.5 and layers[0].endswith(")"):
        first = layers[0][:-1]
        layers[0] = first + (", " if not first.endswith("(") else "") + f"input_shape={shape(rng, rank)})"
    name = ", name=" + rng.choice(['"net"', '"my model"', "5"]) if rng.random() < 0.2 else ""
    target = program.fresh("model")
    program.emit(f"{target} = {program.sequential}([")
    for layer in layers:
        program.emit(f"    {layer},")
    program.emit(f"]{name})")


def sequential_add(program: Program, rank: int) -> None:
    rng = program.rng
    target = program.fresh("model")
    program.emit(f"{target} = {program.sequential}()")
    if rng.random() < 0.7:
        program.emit(f"{target}.add({program.input_name}(shape={shape(rng, rank)}))")
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.3:
            program.emit(f"for i in range({rng.randint(0, 4)}):")
            program.emit(f"    {target}.add({program.prefix}Conv{min(rank - 1, 3) if rank > 1 else 1}D(8 * (i + 1), {rng.choice([1, 2, 3])}, padding={rng.choice(PADDINGS)}))")
        else:
            program.emit(f"{target}.add({program.layer(rank)})")
    if rng.random() < 0.3:
        program.emit(f"{target}.build((None,) + {shape(rng, rank)})")


def functional(program: Program, rank: int) -> None:
    rng = program.rng
    inputs = [program.fresh("inputs") for _ in range(rng.choice([1, 1, 1, 2]))]
    for name in inputs:
        extra = rng.choice(["", "", ', name="image"', ", batch_size=4"])
        program.emit(f"{name} = {program.input_name}(shape={shape(rng, rank)}{extra})")
    tensors = list(inputs)
    shared = None
    if rng.random() < 0.2:
        shared = program.fresh("shared")
        program.emit(f"{shared} = {program.layer(rank)}")
    for _ in range(rng.randint(1, 7)):
        roll = rng.random()
        target = program.fresh()
        if roll < 0.2 and len(tensors) >= 2:
            a, b = rng.sample(tensors, 2)
            if rng.random() < 0.5:
                merge = rng.choice(MERGES)
                extra = rng.choice(["", "", "axis=-1", "axis=1", "axes=1", "axes=(1, 1)"]) if merge in ("Concatenate", "Dot") else ""
                program.emit(f"{target} = {program.prefix}{merge}({extra})([{a}, {b}])")
            else:
                function = rng.choice(MERGE_FUNCTIONS)
                extra = ", axis=-1" if function == "concatenate" and rng.random() < 0.5 else (", axes=1" if function == "dot" else "")
                program.emit(f"{target} = {program.prefix}{function}([{a}, {b}]{extra})")
        elif roll < 0.28 and shared is not None:
            program.emit(f"{target} = {shared}({rng.choice(tensors)})")
        elif roll < 0.33:
            program.emit(f"{target} = {rng.choice(tensors)} {rng.choice(['+', '*', '-'])} {rng.choice(tensors)}")
        elif roll < 0.36:
            program.emit(f"{target} = {program.prefix}Flatten()({rng.choice(tensors)})[{rng.choice(['0', ':, 1:', '..., :2'])}]")
        else:
            program.emit(f"{target} = {program.layer(rank)}({rng.choice(tensors[-3:])})")
        tensors.append(target)
    produced = tensors[len(inputs):] or tensors
    outputs = [tensors[-1]] if rng.random() < 0.7 else rng.sample(produced, min(2, len(produced)))
    output_text = outputs[0] if len(outputs) == 1 else rng.choice([f"[{', '.join(outputs)}]", "{" + ", ".join(f"'o{i}': {t}" for i, t in enumerate(outputs)) + "}"])
    input_text = inputs[0] if len(inputs) == 1 else f"[{', '.join(inputs)}]"
    target = program.fresh("model")
    if rng.random() < 0.5:
        program.emit(f"{target} = {program.model}(inputs={input_text}, outputs={output_text})")
    else:
        extra = rng.choice(["", ', name="functional"'])
        program.emit(f"{target} = {program.model}({input_text}, {output_text}{extra})")
    if rng.random() < 0.2:
        # The model used as a layer of another one.
        outer = program.fresh("outer")
        program.emit(f"{outer}_in = {program.input_name}(shape={shape(rng, rank)})")
        program.emit(f"{outer} = {program.model}({outer}_in, {program.layer(rank)}({target}({outer}_in)))")


def helper_blocks(program: Program, rank: int) -> None:
    """A conv block written once and called in a loop, as ResNet-style code does."""
    rng = program.rng
    conv = f"{program.prefix}Conv{max(1, min(rank - 1, 3))}D"
    program.emit("def block(x, filters, strides=1):")
    program.emit(f"    y = {conv}(filters, {rng.choice([1, 3, 3, 5])}, strides=strides, padding={rng.choice(PADDINGS)})(x)")
    program.emit(f"    y = {program.layer(rank)}(y)")
    if rng.random() < 0.5:
        program.emit(f"    y = {program.prefix}add([y, {conv}(filters, 1, strides=strides)(x)])")
    program.emit(f"    return {program.prefix}Activation('relu')(y)")
    inputs = program.fresh("inputs")
    program.emit(f"{inputs} = {program.input_name}(shape={shape(rng, rank)})")
    program.emit(f"x = {inputs}")
    program.emit(f"for stage, width in enumerate([{', '.join(str(rng.choice([8, 16, 32])) for _ in range(rng.randint(1, 4)))}]):")
    program.emit(f"    x = block(x, width, strides={rng.choice(['1', '2', '1 if stage == 0 else 2', 'stage + 1'])})")
    program.emit(f"{program.fresh('model')} = {program.model}({inputs}, {program.layer(rank)}(x))")


def builder(program: Program, rank: int) -> None:
    """A builder function with defaults, called with other arguments or never."""
    rng = program.rng
    program.emit(f"def build_model(input_shape={shape(rng, rank)}, classes={rng.choice([1, 2, 10, 1000])}):")
    program.emit(f"    model = {program.sequential}()")
    program.emit(f"    model.add({program.input_name}(shape=input_shape))")
    for _ in range(rng.randint(1, 4)):
        program.emit(f"    model.add({program.layer(rank)})")
    program.emit(f"    model.add({program.prefix}Dense(classes, activation={rng.choice(ACTIVATIONS)}))")
    program.emit("    return model")
    if rng.random() < 0.6:
        program.emit(f"net = build_model({rng.choice([shape(rng, rank), 'x_train.shape[1:]', 'input_shape=' + shape(rng, rank)])})")


def image_classifier(program: Program, rank: int) -> None:
    """A plausible CNN: convolutions and pooling, then a head (where the warning rules live)."""
    rng = program.rng
    dims = rng.choice([1, 2, 2, 3])
    conv, pool = f"{program.prefix}Conv{dims}D", f"{program.prefix}{rng.choice(['Max', 'Average'])}Pooling{dims}D"
    size = rng.choice([5, 7, 15, 20, 28, 32, 33, 64, 224])
    channels = "1" if dims == 3 else "3"
    spatial = ", ".join([str(size)] * dims)
    # A third of them channels_first, said by every spatial layer: else that data format
    # reaches a layer's arithmetic almost never (the random stacks give it a wrong input).
    first = rng.random() < 0.3
    data_format = "data_format='channels_first'" if first else ""
    program.emit(f"{program.fresh('model')} = {program.sequential}([")
    program.emit(f"    {program.input_name}(shape=({channels + ', ' + spatial if first else spatial + ', ' + channels})),")
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.55:
            padding = rng.choice(["", "", ", padding='valid'", ", padding='same'", ", padding='Same'"])
            strides = rng.choice(["", "", "", ", strides=2", ", strides=3", ", strides=(2, 1)"])
            program.emit(f"    {conv}({rng.choice([8, 16, 32, 64])}, {rng.choice([1, 2, 3, 3, 5, 7])}{strides}{padding}, activation='relu'{', ' + data_format if first else ''}),")
        elif roll < 0.85:
            window = rng.choice(["", "2", "3", "pool_size=2, strides=1", "(2, 2)", "2, padding='same'"])
            program.emit(f"    {pool}({', '.join(part for part in (window, data_format) if part)}),")
        else:
            other = rng.choice(["BatchNormalization()", "Dropout(0.25)", "Activation('relu')"])
            program.emit(f"    {program.prefix}{other},")
    head = rng.choice(["Flatten()", "GlobalAveragePooling{d}D({f})", "Flatten()"]).format(d=dims, f=data_format)
    program.emit(f"    {program.prefix}{head},")
    for _ in range(rng.randint(0, 2)):
        program.emit(f"    {program.prefix}Dense({rng.choice([64, 256, 512, 4096])}, activation='relu'),")
    activation = rng.choice(["'softmax'", "'sigmoid'", "None"])
    program.emit(f"    {program.prefix}Dense({rng.choice([1, 1, 2, 10])}, activation={activation}),")
    program.emit("])")


def encoder_decoder(program: Program, rank: int) -> None:
    """A U-Net-like graph: strided encoder, transposed or upsampled decoder, skip concatenations."""
    rng = program.rng
    size = rng.choice([16, 28, 30, 32, 33, 50, 64, 100])
    inputs = program.fresh("inputs")
    program.emit(f"{inputs} = {program.input_name}(shape=({size}, {size}, {rng.choice([1, 3])}))")
    skips, x = [], inputs
    depth = rng.randint(1, 4)
    autoencoder = rng.random() < 0.35  # no skip connections
    for level in range(depth):
        y = program.fresh("down")
        padding = rng.choice(["'same'", "'same'", "'valid'"])
        program.emit(f"{y} = {program.prefix}Conv2D({8 * 2 ** level}, 3, padding={padding}, activation='relu')({x})")
        skips.append(y)
        x = program.fresh("pool")
        if rng.random() < 0.5:
            program.emit(f"{x} = {program.prefix}MaxPooling2D({rng.choice(['2', '2', '3'])})({y})")
        else:
            program.emit(f"{x} = {program.prefix}Conv2D({8 * 2 ** level}, 3, strides=2, padding='same')({y})")
    for level in reversed(range(depth)):
        up = program.fresh("up")
        if rng.random() < 0.6:
            extra = rng.choice(["", "", ", output_padding=1", ", padding='valid'"])
            program.emit(f"{up} = {program.prefix}Conv2DTranspose({8 * 2 ** level}, {rng.choice([2, 3])}, strides=2, padding='same'{extra})({x})")
        else:
            program.emit(f"{up} = {program.prefix}UpSampling2D({rng.choice(['2', '(2, 2)', 'size=3'])})({x})")
        if autoencoder:
            x = up
            continue
        x = program.fresh("merge")
        program.emit(f"{x} = {program.prefix}{rng.choice(['concatenate', 'add'])}([{up}, {skips[level]}])")
    program.emit(f"{program.fresh('unet')} = {program.model}({inputs}, {program.prefix}Conv2D(1, 1, activation='sigmoid')({x}))")


STRUCTURES = [
    sequential_list, sequential_list, sequential_add, functional, functional, functional, helper_blocks, builder,
    image_classifier, image_classifier, encoder_decoder,
]


def generate(rng: random.Random) -> str:
    """One program: imports, then one to three models."""
    imports, prefix, input_name, sequential, model = rng.choice(IMPORT_STYLES)
    program = Program(rng, prefix, input_name, sequential, model)
    program.lines.append(imports.rstrip("\n"))
    if rng.random() < 0.3:
        program.lines.append("import numpy as np\nimport sys")
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        rank = rng.choice([1, 2, 2, 3, 3, 3, 4])
        rng.choice(STRUCTURES)(program, rank)
    lines = program.lines
    if rng.random() < 0.05 and len(lines) > 2:
        index = rng.randrange(1, len(lines))
        lines.insert(index, lines[index])  # a line pasted twice
    if rng.random() < 0.03:
        lines = lines[: rng.randrange(1, len(lines) + 1)]  # a file cut short
    return "\n".join(lines) + "\n"
