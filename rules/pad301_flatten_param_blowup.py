from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from padlint.findings import Finding, Severity
from padlint.graph import LayerCall
from padlint.rule import (
    Option,
    Rule,
    RuleContext,
    describe,
    is_shape_preserving,
    percent,
    producer,
)
from padlint.symbolic import product


def _flatten_before(call: LayerCall) -> LayerCall | None:
    """The Flatten feeding this layer, through Dropout-like layers that keep the shape."""
    current = producer(call)
    while current is not None and current.operation.class_name != "Flatten" and is_shape_preserving(current):
        current = producer(current)
    return current if current is not None and current.operation.class_name == "Flatten" else None


class FlattenParamBlowup(Rule):
    """The Dense layer after Flatten holds most of the model's parameters.

    ## What it does
    Finds a `Dense` layer fed by `Flatten` that holds more than `max-share`
    (50%) of all parameters and more than `min-params` (1,000,000) parameters,
    and says how many parameters `GlobalAveragePooling` or one more pooling
    stage before `Flatten` would leave.

    ## Why is this bad?
    Flattening a large feature map multiplies its height, width and channels
    into the Dense layer's input: a 22x22x128 map times 256 units is almost 16
    million weights, 99% of the model, which overfits and slows training while
    the convolutions that do the work hold a few thousand. Pooling the map
    first keeps what the convolutions found at a fraction of the cost.
    """

    code = "PAD301"
    name = "flatten-param-blowup"
    severity = Severity.WARNING
    options: ClassVar[dict[str, Option]] = {
        "max-share": Option(0.5, "largest share of all parameters the Dense layer after Flatten may hold"),
        "min-params": Option(1_000_000, "parameter count below which the Dense layer is never reported"),
    }
    INVALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(Conv2D(64, kernel_size=(3, 3), activation="relu"))
model.add(Conv2D(128, kernel_size=(3, 3), activation="relu"))
model.add(Flatten())
model.add(Dense(256, activation="relu"))  # PAD301
model.add(Dense(10, activation="softmax"))
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, GlobalAveragePooling2D

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(Conv2D(64, kernel_size=(3, 3), activation="relu"))
model.add(Conv2D(128, kernel_size=(3, 3), activation="relu"))
model.add(GlobalAveragePooling2D())
model.add(Dense(256, activation="relu"))
model.add(Dense(10, activation="softmax"))
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        max_share = float(context.options["max-share"])
        min_params = int(context.options["min-params"])
        for model in context.models:
            total = model.weights.total
            if not isinstance(total, int) or total <= 0:
                continue
            for row in model.rows:
                if row.class_name != "Dense" or row.call is None or not isinstance(row.params, int):
                    continue
                if row.params <= min_params or row.params / total <= max_share:
                    continue  # checked first: few layers pass it, so the walk back to Flatten stays linear
                flatten = _flatten_before(row.call)
                if flatten is None:
                    continue
                yield context.finding(
                    row.call,
                    f"{describe(row.call, context)} after Flatten holds {row.params:,} of {total:,} parameters "
                    f"({percent(row.params / total)})",
                    self.fix(row.call, flatten, row.params),
                )

    def fix(self, dense: LayerCall, flatten: LayerCall, params: int) -> str:
        feature_map = flatten.inputs[0].shape()
        units = dense.output_shapes[0][-1] if dense.output_shapes else None
        base = "use GlobalAveragePooling instead of Flatten, or downsample more before Flatten"
        if feature_map is None or len(feature_map) < 3 or not isinstance(units, int):
            return base
        spatial, channels = feature_map[1:-1], feature_map[-1]
        if not all(isinstance(size, int) for size in (*spatial, channels)):
            return base
        bias = params - product(spatial) * channels * units
        pooled_global = channels * units + bias
        rank = len(spatial)
        halved = [size // 2 for size in spatial]
        pooled_once = product(halved) * channels * units + bias
        return (
            f"GlobalAveragePooling{rank}D() instead of Flatten() would leave {pooled_global:,} parameters in this layer "
            f"(saves {params - pooled_global:,}); one more MaxPooling{rank}D(2) before Flatten would leave {pooled_once:,} "
            f"({'x'.join(map(str, spatial))} -> {'x'.join(map(str, halved))})"
        )
