"""Random Keras model source, for whole-model differential tests.

``generate_model(rng)`` writes a small but varied program: Sequential models
(as a list or with ``.add``, with Keras 2 ``input_shape=`` or an ``Input``) and
functional models (branches, residual additions, concatenations), over 1D, 2D
and 3D data, channels_last and channels_first, with 'valid', 'same' and
'causal' padding, strides, dilations, pooling, padding/cropping/upsampling,
normalisation and dropout, and Flatten or global-pooling heads, in several
import styles. The generator keeps a rough idea of the spatial sizes only to
steer away from models that die at the first layer; the expected values come
from Keras, never from here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

IMPORT_STYLES = [
    ("import keras\nfrom keras import layers\n", "layers.", "keras.Input", "keras.Sequential", "keras.Model"),
    ("from tensorflow import keras\nfrom tensorflow.keras import layers as L\n", "L.", "keras.Input", "keras.Sequential", "keras.Model"),
    ("import tensorflow as tf\n", "tf.keras.layers.", "tf.keras.Input", "tf.keras.Sequential", "tf.keras.Model"),
    (
        "from keras.models import Sequential, Model\nfrom keras.layers import *\n",
        "",
        "Input",
        "Sequential",
        "Model",
    ),
]


@dataclass
class Builder:
    rng: random.Random
    rank: int
    data_format: str
    sizes: list[int]
    channels: int
    prefix: str
    lines: list[str] = field(default_factory=list)
    names: int = 0

    def fmt(self, value) -> str:
        return repr(value)

    def window(self, maximum: int = 5) -> int:
        smallest = max(1, min(self.sizes))
        return self.rng.randint(1, max(1, min(maximum, smallest)))

    def kwargs(self, items: dict) -> str:
        return ", ".join(f"{key}={self.fmt(value)}" for key, value in items.items())

    def data_format_kwarg(self) -> dict:
        if self.data_format == "channels_first":
            return {"data_format": "channels_first"}
        return {"data_format": "channels_last"} if self.rng.random() < 0.1 else {}

    def maybe_name(self) -> dict:
        if self.rng.random() < 0.15:
            self.names += 1
            return {"name": f"custom_{self.names}"}
        return {}

    def conv(self) -> str:
        kind = self.rng.choice(["Conv", "Conv", "Conv", "SeparableConv", "DepthwiseConv", "ConvTranspose"])
        if kind in ("SeparableConv", "DepthwiseConv") and self.rank == 3:
            kind = "Conv"
        kernel = self.window()
        strides = self.rng.choice([1, 1, 1, 2, 2, 3])
        dilation = self.rng.choice([1, 1, 1, 2]) if strides == 1 and kind != "ConvTranspose" else 1
        paddings = ["valid", "same", "same"] + (["causal"] if self.rank == 1 and kind == "Conv" else [])
        padding = self.rng.choice(paddings)
        args: dict = {}
        if kind != "DepthwiseConv":
            args["filters"] = self.rng.randint(1, 12)
        args["kernel_size"] = kernel if self.rng.random() < 0.6 else tuple(self.window() for _ in range(self.rank))
        if strides != 1:
            args["strides"] = strides
        if dilation != 1:
            args["dilation_rate"] = dilation
        if padding != "valid" or self.rng.random() < 0.3:
            args["padding"] = padding
        if kind == "DepthwiseConv":
            args["depth_multiplier"] = self.rng.randint(1, 3)
        if self.rng.random() < 0.3:
            args["use_bias"] = False
        args["activation"] = self.rng.choice([None, "relu", "tanh"])
        if args["activation"] is None:
            del args["activation"]
        if not (kind == "Conv" and padding == "causal" and self.data_format == "channels_first"):
            args.update(self.data_format_kwarg())
        kernels = args["kernel_size"] if isinstance(args["kernel_size"], tuple) else (args["kernel_size"],) * self.rank
        new_sizes = []
        for size, k in zip(self.sizes, kernels):
            span = dilation * (k - 1) + 1
            if kind == "ConvTranspose":
                new = size * strides if padding == "same" else (size - 1) * strides + max(span, strides)
            elif padding == "valid":
                new = (size - span) // strides + 1
            else:
                new = -(-size // strides)
            new_sizes.append(new)
        self.sizes = new_sizes
        if "filters" in args:
            self.channels = args["filters"]
        else:
            self.channels *= args["depth_multiplier"]
        class_name = f"Conv{self.rank}DTranspose" if kind == "ConvTranspose" else f"{kind}{self.rank}D"
        return f"{self.prefix}{class_name}({self.kwargs({**args, **self.maybe_name()})})"

    def pooling(self) -> str:
        kind = self.rng.choice(["MaxPooling", "AveragePooling"])
        pool = self.window(3)
        strides = self.rng.choice([None, None, 1, 2])
        padding = self.rng.choice(["valid", "same"])
        args: dict = {"pool_size": pool}
        if strides is not None:
            args["strides"] = strides
        if padding != "valid" or self.rng.random() < 0.3:
            args["padding"] = padding
        args.update(self.data_format_kwarg())
        step = strides or pool
        self.sizes = [((size - pool) // step + 1) if padding == "valid" else -(-size // step) for size in self.sizes]
        return f"{self.prefix}{kind}{self.rank}D({self.kwargs(args)})"

    def resize(self) -> str:
        kind = self.rng.choice(["ZeroPadding", "UpSampling", "Cropping"])
        if kind == "Cropping" and min(self.sizes) < 5:
            kind = "ZeroPadding"
        amount = self.rng.randint(1, 2)
        args: dict = {}
        if kind == "ZeroPadding":
            args["padding"] = amount
            self.sizes = [size + 2 * amount for size in self.sizes]
        elif kind == "Cropping":
            args["cropping"] = amount
            self.sizes = [size - 2 * amount for size in self.sizes]
        else:
            args["size"] = amount + 1
            self.sizes = [size * (amount + 1) for size in self.sizes]
        if self.rank > 1:
            args.update(self.data_format_kwarg())
        elif self.data_format == "channels_first":
            return f"{self.prefix}Activation('linear')"
        return f"{self.prefix}{kind}{self.rank}D({self.kwargs(args)})"

    def preserving(self) -> str:
        axis = 1 if self.data_format == "channels_first" else -1
        return self.rng.choice(
            [
                f"{self.prefix}BatchNormalization(axis={axis})",
                f"{self.prefix}Activation('relu')",
                f"{self.prefix}Dropout({self.rng.choice([0.1, 0.25, 0.5])})",
                f"{self.prefix}ReLU()",
                f"{self.prefix}LeakyReLU()",
            ]
        )

    def body_layer(self) -> str:
        choice = self.rng.random()
        if min(self.sizes) <= 1:
            return self.preserving() if choice < 0.5 else self.resize()
        if choice < 0.5:
            return self.conv()
        if choice < 0.65:
            return self.pooling()
        if choice < 0.8:
            return self.preserving()
        return self.resize()

    def head(self) -> list[str]:
        units = self.rng.randint(1, 16)
        classes = self.rng.randint(2, 10)
        if self.rng.random() < 0.5:
            first = f"{self.prefix}Flatten()"
        else:
            first = f"{self.prefix}Global{self.rng.choice(['Max', 'Average'])}Pooling{self.rank}D({self.kwargs(self.data_format_kwarg())})"
        return [first, f"{self.prefix}Dense({units}, activation='relu')", f"{self.prefix}Dense({classes}, activation='softmax')"]


def input_shape(builder: Builder) -> tuple:
    if builder.data_format == "channels_first":
        return (builder.channels, *builder.sizes)
    return (*builder.sizes, builder.channels)


def generate_model(rng: random.Random, index: int) -> str:
    """One program defining ``model``; deterministic for a given rng state."""
    header, prefix, input_fn, sequential_fn, model_fn = rng.choice(IMPORT_STYLES)
    rank = rng.choice([1, 2, 2, 2, 3])
    data_format = "channels_first" if rng.random() < 0.2 else "channels_last"
    sizes = [rng.randint(6 if rank < 3 else 4, 40 if rank < 3 else 10) for _ in range(rank)]
    builder = Builder(rng, rank, data_format, sizes, rng.randint(1, 6), prefix)
    shape = input_shape(builder)
    depth = rng.randint(1, 6)
    lines = [f"# random model {index}", header.rstrip("\n")]
    if rng.random() < 0.5:
        layers = [builder.body_layer() for _ in range(depth)] + builder.head()
        style = rng.choice(["list", "add", "input"])
        if style == "list":
            first = layers[0]
            layers[0] = first[:-1] + (", " if not first.endswith("()") else "") + f"input_shape={shape!r})"
            lines.append(f"model = {sequential_fn}([")
            lines += [f"    {layer}," for layer in layers]
            lines.append("])")
        elif style == "input":
            lines.append(f"model = {sequential_fn}([{input_fn}(shape={shape!r})])")
            lines += [f"model.add({layer})" for layer in layers]
        else:
            lines.append(f"model = {sequential_fn}()")
            first = layers[0]
            layers[0] = first[:-1] + (", " if not first.endswith("()") else "") + f"input_shape={shape!r})"
            lines += [f"model.add({layer})" for layer in layers]
        return "\n".join(lines) + "\n"
    lines.append(f"inputs = {input_fn}(shape={shape!r})")
    lines.append("x = inputs")
    for _ in range(depth):
        roll = rng.random()
        if roll < 0.2 and min(builder.sizes) > 1:
            saved = (builder.sizes, builder.channels)
            channel_axis = 1 if data_format == "channels_first" else -1
            filters = rng.randint(1, 8)
            same = builder.kwargs({"padding": "same", **builder.data_format_kwarg()})
            kernel = builder.window(3)
            lines.append(f"a = {prefix}Conv{rank}D({filters}, {kernel}, {same})(x)")
            lines.append(f"b = {prefix}Conv{rank}D({filters}, 1, {same})(x)")
            merge = rng.choice(["add", "concatenate", "Add", "Concatenate", "maximum", "Average"])
            if merge in ("concatenate", "Concatenate"):
                lines.append(f"x = {prefix}{merge}({'axis=' + str(channel_axis) + ', ' if merge == 'Concatenate' else ''}" + (f"[a, b], axis={channel_axis})" if merge == "concatenate" else ")([a, b])"))
                builder.channels = 2 * filters
            elif merge[0].isupper():
                lines.append(f"x = {prefix}{merge}()([a, b])")
                builder.channels = filters
            else:
                lines.append(f"x = {prefix}{merge}([a, b])")
                builder.channels = filters
            builder.sizes = saved[0]
        elif roll < 0.3 and min(builder.sizes) > 1:
            channel_same = builder.kwargs({"padding": "same", **builder.data_format_kwarg()})
            lines.append(f"y = {prefix}Conv{rank}D({builder.channels}, {builder.window(3)}, {channel_same})(x)")
            lines.append(f"x = {prefix}add([x, y])")
        else:
            lines.append(f"x = {builder.body_layer()}(x)")
    for layer in builder.head():
        lines.append(f"x = {layer}(x)")
    lines.append(f"model = {model_fn}(inputs, x)")
    return "\n".join(lines) + "\n"
