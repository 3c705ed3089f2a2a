from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.analysis import ModelSummary
from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.layers.base import format_shape
from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    describe,
    model_consumers,
    output_nodes,
)


def _reduces(class_name: str) -> bool:
    """Layers that turn a feature map into features: Flatten, Reshape, global pooling."""
    return class_name in ("Flatten", "Reshape") or (class_name.startswith("Global") and "Pool" in class_name)


def _upsamples(class_name: str) -> bool:
    """Decoder layers: after them a per-pixel Dense is a dense prediction, not a forgotten Flatten."""
    return class_name.startswith(("UpSampling", "Resizing", "Deconv")) or "Transpose" in class_name


def _input_shape(call: LayerCall) -> tuple | None:
    return call.inputs[0].shape() if len(call.inputs) == 1 else None


class DenseOnUnflattened(Rule):
    """Dense is applied to an image-shaped tensor and the model outputs a map instead of a vector.

    ## What it does
    Finds a `Dense` layer that receives a tensor with spatial axes (rank 4 or
    more: images, volumes) when nothing before it flattens or pools the map and
    its output reaches a model output still carrying those axes. `Dense` acts on
    the last axis only, so `Dense(10)` on a (None, 26, 26, 32) map gives
    (None, 26, 26, 10): ten numbers per pixel, not per image.
    Sequences (rank 3) are never reported: a Dense per time step is how
    transformers and taggers work. Nor are dense-prediction networks: models
    that upsample before the Dense (a per-pixel head after a decoder), and
    convolutional models whose output keeps the input's height and width.

    ## Why is this bad?
    A classifier head was meant: the labels have shape (None, 10) and Keras
    either fails on the loss with a shape error or, with sparse labels,
    broadcasts and trains on nonsense. A `Flatten` or a global pooling layer
    before the head gives one prediction per image.
    """

    code = "PAD302"
    name = "dense-on-unflattened"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "min-rank": Option(4, "smallest input rank (batch axis included) for which a Dense on an unflattened tensor is reported"),
    }
    INVALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Dense(10, activation="softmax"),  # PAD302
])
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras import layers, models

model = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
""",
        """\
import keras
from keras import layers

# A Dense on every time step of a sequence is how transformers and taggers work.
inputs = keras.Input(shape=(100,))
x = layers.Embedding(5000, 64)(inputs)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(12, activation="softmax")(x)
tagger = keras.Model(inputs, outputs)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        min_rank = int(context.options["min-rank"])
        reported: set[int] = set()
        for model in context.models:
            members = {call.id: call for call in model.calls}
            consumers = model_consumers(model)
            outputs = output_nodes(model)
            candidates = [
                call
                for call in model.calls
                if call.operation.class_name == "Dense"
                and (shape := _input_shape(call)) is not None
                and len(shape) >= min_rank
                and not self.shaped_upstream(call, members)
            ]
            flagged = {call.id: output for call in candidates if (output := self.reaches_output(call, consumers, outputs))}
            for call in candidates:
                if call.id not in flagged or call.id in reported:
                    continue
                if self.dense_prediction(call, flagged[call.id], members):
                    continue
                if any(ancestor in flagged for ancestor in self.ancestors(call, members)):
                    continue  # the first Dense of the head is the one to fix
                reported.add(call.id)
                yield self.report(call, flagged[call.id], model, context)

    def ancestors(self, call: LayerCall, members: dict[int, LayerCall]) -> set[int]:
        seen: set[int] = set()
        stack = [tensor.node for tensor in call.inputs]
        while stack:
            node = stack.pop()
            if node.id in seen or node.id not in members:
                continue
            seen.add(node.id)
            stack.extend(tensor.node for tensor in node.inputs)
        return seen

    def shaped_upstream(self, call: LayerCall, members: dict[int, LayerCall]) -> bool:
        """A Flatten, Reshape, global pooling or upsampling before the Dense: the map's shape is deliberate."""
        return any(
            _reduces(members[node].operation.class_name) or _upsamples(members[node].operation.class_name)
            for node in self.ancestors(call, members)
        )

    def dense_prediction(self, dense: LayerCall, output: tuple, members: dict[int, LayerCall]) -> bool:
        """Convolutions that keep the input's resolution up to a per-pixel Dense: a dense prediction
        network (denoising, per-pixel classification), not a classifier that forgot Flatten."""
        ancestors = [members[node] for node in self.ancestors(dense, members)]
        if not any("Conv" in call.operation.class_name for call in ancestors):
            return False
        for call in ancestors:
            shapes = call.output_shapes
            if call.inputs or not shapes or len(shapes) != 1 or shapes[0] is None:
                continue
            if len(shapes[0]) == len(output) and tuple(shapes[0][1:-1]) == tuple(output[1:-1]):
                return True
        return False

    def reaches_output(self, dense: LayerCall, consumers: dict[int, list[LayerCall]], outputs: set[int]) -> tuple | None:
        """The model output shape the Dense's spatial axes reach, or None.

        None as well when a layer on the way has an unknown output: padlint cannot
        tell whether it reduces the map.
        """
        rank = len(_input_shape(dense))
        found = None
        stack = [dense]
        seen: set[int] = set()
        while stack:
            call = stack.pop()
            if call.id in seen:
                continue
            seen.add(call.id)
            shapes = call.output_shapes
            if not shapes or len(shapes) != 1 or shapes[0] is None:
                return None
            if call is not dense and (_reduces(call.operation.class_name) or len(shapes[0]) < rank):
                continue
            if call.id in outputs and found is None:
                found = shapes[0]
            stack.extend(consumers.get(call.id, []))
        return found

    def report(self, dense: LayerCall, output: tuple, model: ModelSummary, context: RuleContext) -> Finding | None:
        shape = _input_shape(dense)
        units = dense.output_shapes[0][-1]
        spatial = len(shape) - 2
        message = (
            f"{describe(dense, context)} is applied to a {format_shape(shape)} tensor: Dense acts on the last axis only, "
            f"so the model's output is {format_shape(output)}, one prediction per position, instead of (None, {output[-1]})"
        )
        fix = (
            f"add Flatten() or GlobalAveragePooling{spatial}D() before {dense.operation.name} for one prediction per "
            f"{'image' if spatial == 2 else 'sample'}; if a prediction per position is meant, Conv{spatial}D({units}, 1) says so"
        )
        return context.finding(dense, message, fix)
