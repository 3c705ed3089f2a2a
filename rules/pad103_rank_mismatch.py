from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import RANK_MISMATCH, format_shape
from padlint.rule import (
    Rule,
    RuleContext,
    describe,
    erroneous_calls,
    is_shape_preserving,
    origin,
    producer,
)
from padlint.symbolic import format_dim, product

RECURRENT = frozenset(["LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "CuDNNLSTM", "CuDNNGRU"])
CONV_LSTM = re.compile(r"^ConvLSTM(\d)D$")
#: Layers with a fixed spatial rank: Conv2D, MaxPooling2D, ZeroPadding2D, GlobalAveragePooling2D, ...
SPATIAL = re.compile(r"(\d)D(Transpose)?$")
#: Layers that turn a feature map into vectors.
FLATTENING = re.compile(r"^(Flatten|Global(Average|Max)Pooling\dD|GlobalAvgPool\dD|GlobalMaxPool\dD|Dense)$")
LAYOUTS = {
    3: "(batch, steps, channels)",
    4: "(batch, rows, columns, channels)",
    5: "(batch, depth, rows, columns, channels)",
}


def expected_rank(call: LayerCall, details: dict[str, Any]) -> tuple[str, int | None]:
    """``("exactly", 4)`` / ``("at least", 2)`` from the error (and, for fixed-rank layers, the class)."""
    class_name = call.operation.class_name
    expected = str(details.get("expected") or "")
    match = re.match(r"(min_|max_)?ndim=(\d+)", expected)
    spatial = SPATIAL.search(class_name)
    if spatial and not class_name.startswith("TimeDistributed"):
        rank = int(spatial.group(1)) + 2
        if CONV_LSTM.match(class_name):
            rank += 1
        return "exactly", rank
    if class_name in RECURRENT and (match is None or match.group(1)):
        return "exactly", 3
    if match is None:
        return "exactly", None
    bound = {"min_": "at least", "max_": "at most"}.get(match.group(1) or "", "exactly")
    return bound, int(match.group(2))


def flattening_ancestor(call: LayerCall) -> tuple[LayerCall | None, bool]:
    """The Flatten or GlobalPooling (else the Dense) that made vectors before this call,
    through Dense and Dropout-like layers, and whether Dense layers sit in between."""
    current = producer(call)
    dense = None
    while current is not None:
        class_name = current.operation.class_name
        if FLATTENING.match(class_name) and class_name != "Dense":
            return current, dense is not None
        if class_name == "Dense":
            dense = dense or current
        elif not is_shape_preserving(current):
            break
        current = producer(current)
    return dense, False


def channels_first(call: LayerCall) -> bool:
    config = getattr(call.operation, "config", None)
    value = config.arguments.get("data_format") if config is not None else None
    return isinstance(value, str) and value.lower() == "channels_first"


def spatial_rank(class_name: str) -> int | None:
    match = SPATIAL.search(class_name)
    return int(match.group(1)) if match else None


def shape_args(dims: tuple) -> str:
    """``(28, 28, 1)`` as Python would write it (``(100,)`` for one entry)."""
    inner = ", ".join(format_dim(dim) for dim in dims)
    return f"({inner},)" if len(dims) == 1 else f"({inner})"


class RankMismatch(Rule):
    """A layer receives a tensor of the wrong rank.

    ## What it does
    Finds layers whose input has more or fewer axes than the layer works on:
    a `Conv2D` after `Flatten` (vectors where it needs feature maps), a
    `Conv2D` on `(None, 28, 28)` grayscale images without a channel axis, an
    `LSTM` on images, a `Conv1D` on plain vectors. The message says which rank
    the layer expects, which shape it receives and which layer produced it.

    ## Why is this bad?
    Keras raises "Input 0 of layer ... is incompatible with the layer:
    expected ndim=..., found ndim=..." when the model is built. The fix depends
    on the cause: a missing channel axis (`input_shape=(28, 28, 1)`), a Flatten
    placed before the convolutions instead of after them, images fed to a
    recurrent layer that needs `(steps, features)` (a `Reshape`, or
    `TimeDistributed` for per-frame layers).
    """

    code = "PAD103"
    name = "rank-mismatch"
    severity = Severity.ERROR
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28)),
    layers.Conv2D(32, 3, activation="relu"),  # PAD103
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Flatten(),
    layers.Conv2D(32, 3, activation="relu"),  # PAD103
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras

inputs = keras.Input(shape=(32, 32, 3))
x = keras.layers.LSTM(64)(inputs)  # PAD103
model = keras.Model(inputs, x)
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras

inputs = keras.Input(shape=(32, 32, 3))
x = keras.layers.Reshape((32, 96))(inputs)
x = keras.layers.LSTM(64)(x)
model = keras.Model(inputs, x)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for call in erroneous_calls(context, RANK_MISMATCH):
            error = call.error
            shape = call.inputs[0].shape()
            if shape is None:
                continue
            bound, rank = expected_rank(call, error.details)
            if rank is None:
                expected = "an input of another rank"
            elif bound == "exactly":
                expected = f"a rank-{rank} input"
            else:
                expected = f"an input of rank {bound} {rank}"
            layout = LAYOUTS.get(rank, "") if bound == "exactly" and spatial_rank(call.operation.class_name) else ""
            if call.operation.class_name in RECURRENT:
                layout = "(batch, steps, features)"
            elif CONV_LSTM.match(call.operation.class_name) and rank is not None:
                layout = "(batch, time, " + LAYOUTS.get(rank - 1, "(batch, ...)")[len("(batch, "):]
            if layout and channels_first(call):
                layout = layout.replace(", channels)", ")").replace("(batch, ", "(batch, channels, ", 1)
            expected += f" {layout}" if layout else ""
            message = (
                f"{describe(call, context)} expects {expected} but receives {format_shape(shape)} "
                f"(rank {len(shape)}) from {origin(call.inputs[0], context)}"
            )
            yield context.finding(call, message, self.fix(call, shape, rank, context))

    def fix(self, call: LayerCall, shape: tuple, rank: int | None, context: RuleContext) -> str:
        class_name = call.operation.class_name
        received = len(shape)
        features = shape[1:]
        if class_name in RECURRENT:
            return self.recurrent_fix(shape)
        conv_lstm = CONV_LSTM.match(class_name)
        if conv_lstm and rank is not None and received == rank - 1:
            return (
                f"{class_name} reads sequences of frames: "
                f"add a time axis with Reshape({shape_args((1, *features))}), or feed inputs of shape (steps, {', '.join(format_dim(d) for d in features)})"
            )
        if class_name.startswith("TimeDistributed"):
            return "TimeDistributed needs a time axis: feed (batch, steps, ...) inputs, or apply the inner layer directly"
        dims = spatial_rank(class_name)
        if dims is not None and rank is not None:
            if received < rank:
                flattening, through_dense = flattening_ancestor(call)
                if flattening is not None:
                    kind = flattening.operation.class_name
                    before = flattening.inputs[0].shape() if flattening.inputs else None
                    turns = f" turns {format_shape(before)} into vectors" if before is not None and len(before) > 2 else " makes vectors"
                    head = " (and the Dense layers after it)" if through_dense else ""
                    return (
                        f"move {kind}(){head} after the last convolution and pooling layers: "
                        f"{describe(flattening, context)}{turns} before this layer"
                    )
                if received == rank - 1:
                    return self.channel_fix(call, shape, dims)
                return f"give the layer a rank-{rank} input {LAYOUTS.get(rank, '')} or use a layer for rank-{received} tensors"
            if received > rank:
                higher = f"Conv{received - 2}D" if class_name.startswith("Conv") and received - 2 <= 3 else None
                option = f", or use {higher} on the whole volume" if higher else ""
                return f"wrap the layer in TimeDistributed({class_name}(...)) to apply it to every step of the extra axis{option}"
        if rank is not None and received < rank and received >= 2:
            return f"add the missing axis with Reshape({shape_args((*features, 1))}) before the layer"
        return f"give the layer an input of rank {rank}" if rank else "give the layer an input of the rank it expects"

    def channel_fix(self, call: LayerCall, shape: tuple, dims: int) -> str:
        """Grayscale images or single-feature sequences without a channel axis."""
        features = shape[1:]
        with_channel = shape_args((1, *features) if channels_first(call) else (*features, 1))
        before = producer(call)
        class_name = call.operation.class_name
        lower = class_name.replace(f"{dims}D", f"{dims - 1}D") if dims > 1 and f"{dims}D" in class_name else None
        if lower is not None and "Pool" in class_name:
            return f"use {lower} for {LAYOUTS[3]} inputs, or insert Reshape({with_channel}) before the layer"
        alternative = f", or use {lower} if the last axis holds channels" if lower else ""
        if before is not None and before.operation.class_name == "InputLayer":
            written = "input_shape=" if before.site is call.site or before.site is call.operation.site else "Input(shape="
            target = f"{written}{with_channel}" + (")" if written.startswith("Input") else "")
            return (
                f"add a channel axis: {target} (and give the data that axis too, e.g. np.expand_dims), "
                f"or insert Reshape({with_channel}) first{alternative}"
            )
        return f"insert Reshape({with_channel}) before the layer to add a channel axis{alternative}"

    def recurrent_fix(self, shape: tuple) -> str:
        received = len(shape)
        features = shape[1:]
        if received == 2:
            return (
                f"add a time axis: Reshape({shape_args((features[0], 1))}) reads the {format_dim(features[0])} values as steps "
                f"of one feature, RepeatVector(steps) repeats the vector, or give the model (steps, features) inputs"
            )
        if received >= 4:
            rest = product(features[1:])
            target = shape_args((features[0], rest))
            return (
                f"reshape to (steps, features): Reshape({target}) reads each of the {format_dim(features[0])} rows as a step; "
                f"for sequences of images wrap the per-frame layers in TimeDistributed and flatten each frame with TimeDistributed(Flatten())"
            )
        return "give the layer (batch, steps, features) inputs"
