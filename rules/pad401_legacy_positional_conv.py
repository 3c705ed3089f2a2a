from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from padlint.findings import Edit, Finding, Severity
from padlint.layers.base import is_int
from padlint.rule import (
    Rule,
    RuleContext,
    construction_call,
    describe,
    sizes_text,
    unique_layers,
    written_name,
)

#: Keras 3 classes whose third positional parameter is ``strides``, by spatial rank.
RANKS = {"Conv2D": 2, "Conv3D": 3, "SeparableConv2D": 2, "Conv2DTranspose": 2, "Conv3DTranspose": 3}
#: Names only Keras 1 used for them.
KERAS1_NAMES = ("Convolution2D", "Convolution3D", "SeparableConvolution2D", "Deconvolution2D", "Deconvolution3D", "AtrousConvolution2D")
#: Keyword arguments of Keras 1 layers, gone since Keras 2.
KERAS1_KEYWORDS = frozenset(
    ["nb_filter", "nb_row", "nb_col", "border_mode", "subsample", "init", "dim_ordering", "W_regularizer", "b_regularizer", "W_constraint", "b_constraint", "bias", "atrous_rate", "kernel_dim1", "kernel_dim2", "kernel_dim3"]
)


def _positional(call: cst.Call) -> list[cst.Arg] | None:
    """The positional arguments, or None when a ``*args`` hides how they bind."""
    found = []
    for argument in call.args:
        if argument.star == "*":
            return None
        if argument.keyword is None and not argument.star:
            found.append(argument)
    return found


class LegacyPositionalConv(Rule):
    """Keras 1 style `Conv2D(32, 3, 3)`: the third positional argument is the stride, not the kernel's width.

    ## What it does
    Finds convolutions written the Keras 1 way, `Convolution2D(nb_filter,
    nb_row, nb_col)`, under Keras 2 or 3, whose signature is `Conv2D(filters,
    kernel_size, strides, padding, ...)`. The third positional argument (an int
    larger than 1) is reported when the call reads as Keras 1 code: it repeats
    the kernel size (`Conv2D(32, 3, 3)`), the class has its Keras 1 name
    (`Convolution2D`), or Keras 1 keywords (`border_mode`, `subsample`, `init`)
    are present. A deliberate positional stride such as `Conv2D(64, 3, 2)` is
    left alone; for transposed convolutions, where kernel and stride are often
    equal on purpose, only the Keras 1 name is taken as a sign.

    ## Why is this bad?
    `Conv2D(32, 3, 3)` is a 3x3 convolution with stride 3: it keeps one pixel
    in nine and a 28x28 image becomes 9x9 instead of 26x26. Keras accepts it
    without a word; the model trains, badly. (`Convolution3D(32, 3, 3, 3)` is
    worse: the fourth argument becomes `padding=3` and the layer fails.)
    """

    code = "PAD401"
    name = "legacy-positional-conv"
    severity = Severity.WARNING
    INVALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D

model = Sequential()
model.add(Conv2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))  # PAD401
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
""",
    ]
    VALID: ClassVar[list[str]] = [
        """\
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
""",
        """\
import keras
from keras import layers

# A positional stride that is not a repeated kernel size is Keras 2/3 code.
inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(64, 3, 2, padding="same")(inputs)
x = layers.Conv2DTranspose(3, 2, 2, padding="same")(x)
model = keras.Model(inputs, x)
""",
    ]

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for row in unique_layers(context):
            operation = row.operation
            rank = RANKS.get(operation.class_name)
            site = construction_call(operation)
            if rank is None or site is None:
                continue
            finding = self.inspect(row, operation, site, rank, context)
            if finding is not None:
                yield finding

    def inspect(self, row: Any, operation: Any, site: cst.Call, rank: int, context: RuleContext) -> Finding | None:
        positional = _positional(site)
        if positional is None or len(positional) < 3:
            return None
        arguments = operation.config.arguments
        kernel, strides = arguments.get("kernel_size"), arguments.get("strides")
        if not (is_int(kernel) and is_int(strides) and strides > 1):
            return None
        written = written_name(site) or operation.class_name
        keywords = {argument.keyword.value for argument in site.args if argument.keyword is not None}
        legacy_name = written in KERAS1_NAMES
        legacy_keywords = sorted(keywords & KERAS1_KEYWORDS)
        transposed = "Transpose" in operation.class_name
        if not (legacy_name or legacy_keywords or (strides == kernel and not transposed)):
            return None
        code = context.analysis.module.code_for_node if context.analysis.module is not None else None
        sources = [code(argument.value) if code else "?" for argument in positional]
        dims = positional[1 : 1 + rank]
        if rank == 3 and len(dims) == 3 and not is_int(arguments.get("padding")):
            dims = dims[:2]  # Conv3D(32, 3, 3, "same"): no third kernel size to move into the tuple
        written_kernel = ", ".join(sources[1 : 1 + len(dims)])
        call_text = f"{written}({', '.join(sources[:3])}{', ...' if len(sources) > 3 else ''})"
        meant = "x".join(str(value) for value in (kernel, strides, arguments.get("padding"))[: len(dims)])
        consequence = ""
        call = row.call
        windows = call.result.details.get("windows") if call is not None and call.result is not None else None
        if windows:
            consequence = (
                f": its {'x'.join(str(kernel) for _ in range(rank))} kernel moves with stride {strides}, "
                f"turning {sizes_text(w.input for w in windows)} into {sizes_text(w.output for w in windows)}"
            )
        else:
            consequence = f": a {'x'.join(str(kernel) for _ in range(rank))} kernel with stride {strides}"
        subject = call if call is not None else operation
        message = (
            f"{describe(subject, context)}: {call_text} is Keras 1 syntax for a {meant} kernel, "
            f"but Keras 2 and 3 read the third positional argument as strides{consequence}"
        )
        if legacy_keywords:
            message += f" (Keras 1 keywords: {', '.join(legacy_keywords)})"
        if len(dims) == rank:
            fix = f"write {written}({sources[0]}, ({written_kernel}), ...) for the kernel; if stride {strides} is meant, write strides={strides}"
        else:
            fix = f"pass the kernel as a tuple, kernel_size=({', '.join([str(kernel)] * rank)}); if stride {strides} is meant, write strides={strides}"
        edits = self.edits(dims, written_kernel, context) if len(dims) == rank else []
        return context.finding(subject, message, fix, edits=edits)

    def edits(self, dims: list[cst.Arg], kernel: str, context: RuleContext) -> list[Edit]:
        """Unsafe fix: ``Conv2D(32, 3, 3)`` -> ``Conv2D(32, (3, 3))``."""
        first, last = context.span_of(dims[0].value), context.span_of(dims[-1].value)
        if first is None or last is None:
            return []
        return [Edit(first[0], first[1], last[2], last[3], f"({kernel})", safe=False)]
