"""Random functional models that use keras.ops between layers, for whole-model
differential tests.

``generate_ops_model(rng, index)`` writes a program building ``model`` from an
``Input`` through a chain of keras.ops calls (element-wise, broadcasting with
scalars and reduced copies, reshapes, transposes, expand/squeeze, splits,
concatenations, reductions, matmul, einsum, padding, tiling, slicing, image
ops on rank-4 data) and Dense/Conv layers, sometimes with a segment of the
chain inside a custom layer's ``call()`` (where Keras traces the ops on
TensorFlow tensors), sometimes with the Python operators instead of the
functions, and now and then with a mistake Keras rejects. The generator tracks
shapes only to choose arguments that usually fit; the expected rows come from
Keras.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

HEADER = "import keras\nfrom keras import layers, ops\n"


@dataclass
class OpsBuilder:
    rng: random.Random
    shape: list  # the non-batch sizes of the current tensor ``x``
    lines: list[str] = field(default_factory=list)
    #: The steps now written go into a custom layer's call().
    traced: bool = False
    mistakes: int = 0

    def emit(self, code: str, shape: list) -> None:
        self.lines.append(f"x = {code}")
        self.shape = shape

    def axis(self) -> int:
        """A non-batch axis, as a positive or negative index of the batched tensor."""
        axis = self.rng.randint(1, len(self.shape))
        return axis if self.rng.random() < 0.5 else axis - len(self.shape) - 1

    # ------------------------------------------------------------ steps

    def elementwise(self) -> None:
        # (``x * 2.0`` is left out: Keras 3.15 marks the product of a KerasTensor and a Python
        # number sparse, and a custom layer traced on it then fails.)
        choice = self.rng.choice(["ops.relu(x)", "ops.tanh(x)", "ops.abs(x)", "-x", "x / 2.0", "1.0 - x", "ops.square(x)", "ops.sigmoid(x) * x", "ops.exp(-ops.abs(x))"])
        self.emit(choice, self.shape)

    def broadcast_reduced(self) -> None:
        axis = self.axis()
        reducer = self.rng.choice(["mean", "max", "sum", "min", "std"])
        self.emit(f"x - ops.{reducer}(x, axis={axis}, keepdims=True)", self.shape)

    def reduce(self) -> None:
        if len(self.shape) < 2:
            return self.elementwise()
        axis = self.axis()
        reducer = self.rng.choice(["mean", "max", "sum", "min", "logsumexp"])
        shape = list(self.shape)
        del shape[axis - 1 if axis > 0 else axis]
        self.emit(f"ops.{reducer}(x, axis={axis})", shape)

    def dense(self) -> None:
        if self.traced:
            return self.elementwise()  # the custom layer holds no sublayers
        units = self.rng.randint(2, 12)
        self.emit(f"layers.Dense({units})(x)", [*self.shape[:-1], units])

    def reshape(self) -> None:
        total = math.prod(self.shape)
        last = self.shape[-1]
        options = [[total], [last, total // last]] if len(self.shape) > 1 else [[total]]
        divisors = [d for d in range(2, last + 1) if last % d == 0]
        if divisors:
            d = self.rng.choice(divisors)
            options.append([*self.shape[:-1], d, last // d])
        target = self.rng.choice(options)
        shape = [total // math.prod(d for d in target if d != -1) if d == -1 else d for d in target]
        if self.rng.random() < 0.05 and not self.traced:
            target = [*target[:-1], target[-1] + 1]
            self.mistakes += 1
            shape = [d + 1 if i == len(shape) - 1 else d for i, d in enumerate(shape)]
        # ``ops.shape(x)[0]`` is None on a KerasTensor and a dynamic size in a traced call():
        # next to a -1 it leaves that size None, which a later Dense rejects (and padlint,
        # whose None may be a size it does not know, leaves unknown): the -1 is kept out.
        dynamic = self.rng.random() < 0.3 and -1 not in target
        spelled = "(" + ("ops.shape(x)[0], " if dynamic else "-1, ") + ", ".join(str(d) for d in target) + ")"
        self.emit(f"ops.reshape(x, {spelled})", shape)

    def transpose(self) -> None:
        if len(self.shape) < 2:
            return self.elementwise()
        order = list(range(1, len(self.shape) + 1))
        self.rng.shuffle(order)
        if self.rng.random() < 0.04 and not self.traced:
            order[0] = order[-1]
            self.mistakes += 1
        self.emit(f"ops.transpose(x, (0, {', '.join(map(str, order))}))", [self.shape[i - 1] for i in order])

    def expand_squeeze(self) -> None:
        axis = self.rng.randint(1, len(self.shape) + 1)
        expanded = [*self.shape[: axis - 1], 1, *self.shape[axis - 1 :]]
        self.emit(f"ops.expand_dims(x, {axis})", expanded)
        squeezed = [index for index, dim in enumerate(expanded) if dim == 1]
        pick = self.rng.choice(squeezed) + 1
        if self.rng.random() < 0.05 and not self.traced:
            pick = max(range(1, len(expanded) + 1), key=lambda i: expanded[i - 1])
            self.mistakes += expanded[pick - 1] != 1
        self.emit(f"ops.squeeze(x, axis={pick})", [dim for index, dim in enumerate(expanded) if index != pick - 1] if expanded[pick - 1] == 1 else expanded)

    def concat_branch(self) -> None:
        axis = self.axis()
        position = (axis if axis > 0 else len(self.shape) + 1 + axis) - 1
        branch = self.rng.choice(["ops.flip(x, axis=-1)", "ops.cumsum(x, axis=1)", "ops.roll(x, 1, axis=1)", "ops.softmax(x, axis=-1)"] + ([] if self.traced else ["layers.Activation('relu')(x)"]))
        shape = list(self.shape)
        shape[position] *= 2
        self.lines.append(f"y = {branch}")
        if self.rng.random() < 0.04 and len(self.shape) > 1 and not self.traced:
            self.lines.append(f"y = ops.expand_dims(ops.mean(y, axis={axis}), {axis})")
            self.mistakes += self.shape[position] != 1 and len(self.shape) > 1
        self.emit(f"ops.concatenate([x, y], axis={axis})", shape)

    def split_join(self) -> None:
        position = self.rng.randrange(len(self.shape))
        if self.shape[position] % 2:
            return self.pad()
        axis = position + 1
        self.lines.append(f"a, b = ops.split(x, 2, axis={axis})")
        how = self.rng.choice(["add", "stack", "concatenate"])
        if how == "add":
            half = list(self.shape)
            half[position] //= 2
            self.emit("a + b", half)
        elif how == "stack":
            half = list(self.shape)
            half[position] //= 2
            self.emit("ops.stack([a, b], axis=1)", [2, *half])
        else:
            self.emit(f"ops.concatenate([b, a], axis={axis})", self.shape)

    def pad(self) -> None:
        position = self.rng.randrange(len(self.shape))
        before, after = self.rng.randint(0, 2), self.rng.randint(0, 2)
        widths = ["(0, 0)"] + [f"({before}, {after})" if i == position else "(0, 0)" for i in range(len(self.shape))]
        shape = list(self.shape)
        shape[position] += before + after
        self.emit(f"ops.pad(x, ({', '.join(widths)},))", shape)

    def tile_or_repeat(self) -> None:
        position = self.rng.randrange(len(self.shape))
        count = self.rng.randint(2, 3)
        shape = list(self.shape)
        shape[position] *= count
        if self.rng.random() < 0.5:
            multiples = ["1"] + [str(count) if i == position else "1" for i in range(len(self.shape))]
            self.emit(f"ops.tile(x, ({', '.join(multiples)}))", shape)
        else:
            self.emit(f"ops.repeat(x, {count}, axis={position + 1})", shape)

    def slice(self) -> None:
        position = self.rng.randrange(len(self.shape))
        size = self.shape[position]
        if size < 2:
            return self.elementwise()
        start = self.rng.randint(0, size - 1)
        stop = self.rng.randint(start + 1, size)
        key = ", ".join([":"] + [f"{start}:{stop}" if i == position else ":" for i in range(len(self.shape))])
        shape = list(self.shape)
        shape[position] = stop - start
        self.emit(f"x[{key}]", shape)

    def attention(self) -> None:
        if len(self.shape) != 2:
            return self.dense()
        self.lines.append("scores = ops.softmax(ops.matmul(x, ops.transpose(x, (0, 2, 1))), axis=-1)")
        if self.rng.random() < 0.5:
            self.emit("ops.matmul(scores, x)", self.shape)
        else:
            self.emit("ops.einsum('bqk,bkd->bqd', scores, x)", self.shape)

    def image(self) -> None:
        if len(self.shape) != 3 or min(self.shape[:2]) < 4:
            return self.dense()
        height, width, channels = self.shape
        choice = self.rng.choice(["resize", "patches", "pool"] + ([] if self.traced else ["conv"]))
        if choice == "resize":
            size = (self.rng.randint(2, 12), self.rng.randint(2, 12))
            self.emit(f"ops.image.resize(x, {size})", [size[0], size[1], channels])
        elif choice == "patches":
            size = self.rng.randint(2, 3)
            self.emit(f"ops.image.extract_patches(x, {size})", [height // size, width // size, size * size * channels])
        elif choice == "pool":
            self.emit("ops.max_pool(x, 2)", [height // 2, width // 2, channels])
        else:
            filters = self.rng.randint(2, 6)
            self.emit(f"layers.Conv2D({filters}, 3)(x)", [height - 2, width - 2, filters])

    STEPS = ("elementwise", "broadcast_reduced", "reduce", "dense", "reshape", "transpose", "expand_squeeze", "concat_branch", "split_join", "pad", "tile_or_repeat", "slice", "attention", "image")

    def step(self) -> None:
        if math.prod(self.shape) > 4096:
            return self.reduce() if len(self.shape) > 1 else self.dense()
        getattr(self, self.rng.choice(self.STEPS))()


def generate_ops_model(rng: random.Random, index: int) -> str:
    """One program defining ``model``; deterministic for a given rng state."""
    rank = rng.choice([1, 2, 2, 3, 3])
    shape = [rng.randint(2, 8) for _ in range(rank)]
    if rank == 3:
        shape = [rng.randint(6, 12), rng.randint(6, 12), rng.randint(1, 4)]
    builder = OpsBuilder(rng, list(shape))
    lines = [f"# random ops model {index}", HEADER.rstrip("\n")]
    depth = rng.randint(2, 7)
    traced_from = rng.randint(1, depth) if rng.random() < 0.25 else None
    body: list[str] = []
    outer: list[str] = []
    for step in range(depth):
        builder.lines = []
        builder.traced = traced_from is not None and step >= traced_from
        builder.step()
        (body if traced_from is not None and step >= traced_from else outer).extend(builder.lines)
    if body:
        # The end of the chain inside a custom layer: the ops run on backend tensors.
        body = [line for line in body if "layers." not in line] or ["x = ops.relu(x)"]
        # (A mistake Keras raises on inside call() leaves padlint's custom-layer row unknown,
        # not an error: the generator makes none there.)
        lines.append("class Block(layers.Layer):")
        lines.append("    def call(self, x):")
        lines += [f"        {line}" for line in body]
        lines.append("        return x")
        outer.append("x = Block()(x)")
    lines.append(f"inputs = keras.Input(shape={tuple(shape)!r})")
    lines.append("x = inputs")
    lines += outer
    lines.append("x = ops.reshape(x, (-1, " + str(math.prod(builder.shape)) + "))" if not body else "x = layers.Flatten()(x)")
    lines.append(f"x = layers.Dense({rng.randint(2, 6)})(x)")
    lines.append("model = keras.Model(inputs, x)")
    return "\n".join(lines) + "\n"
