"""Recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D, RNN(cell), and the
wrappers Bidirectional and TimeDistributed.

Mirrors keras/src/layers/rnn/: rnn.py (``RNN.build`` builds the cell on one
time step, ``(batch,) + shape[2:]``, and ``compute_output_shape`` adds the time
axis back when ``return_sequences``, then one shape per state when
``return_state``), the cells and layers in simple_rnn.py, lstm.py, gru.py,
conv_lstm.py (+ conv_lstm1d/2d/3d.py), stacked_rnn_cells.py, bidirectional.py
and time_distributed.py.

A gated cell has ``gates`` blocks of ``units``: a kernel ``input_dim x
gates*units``, a recurrent kernel ``units x gates*units`` and a bias of
``gates*units`` (two rows of it for GRU's ``reset_after``): SimpleRNN has one
gate, GRU three, LSTM four. ``LSTM(64)`` on 100 features:
``4*(64*(100+64) + 64) = 42,240``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from padlint.layers.base import (
    INVALID_CONFIG,
    INVALID_PADDING,
    KERAS_ERROR,
    RANK_MISMATCH,
    CallInputs,
    LayerConfig,
    LayerError,
    LayerResult,
    LayerSpec,
    Shape,
    Unresolved,
    channel_axis,
    check_rank,
    count,
    format_shape,
    is_int,
    require_known,
    run_checks,
    spatial_axes,
    standardize_padding,
)
from padlint.layers.registry import register
from padlint.layers.windows import (
    Window,
    window,
)
from padlint.symbolic import Dim, add, format_dim, mul


def undefined_weight(shape: tuple, variable: str) -> LayerError:
    """What ``add_weight`` raises for a shape with ``None`` in it."""
    return LayerError(
        KERAS_ERROR,
        "Shapes used to initialize variables must be fully-defined (no `None` dimensions). "
        f"Received: shape={format_shape(shape)} for variable '{variable}'",
        variable=variable,
    )


def invalid_weight_dim(shape: tuple, variable: str) -> LayerError:
    """What ``add_weight`` raises for a negative or non-integer dimension."""
    return LayerError(
        INVALID_CONFIG,
        f"Cannot convert '{format_shape(shape)}' to a shape: dimensions must be non-negative integers (variable '{variable}')",
        variable=variable,
    )


# ===================================================================== cells


class Cell:
    """The part of a recurrent layer that acts on one time step.

    ``build`` mirrors the cell's ``build`` (weights, and the errors Keras raises
    creating them); the output and state shapes are per step, batch axis first.
    """

    def build(self, step: Shape) -> Dim:
        raise NotImplementedError

    def output_shape(self, step: Shape) -> Shape:
        raise NotImplementedError

    def state_shapes(self, step: Shape) -> list[Shape]:
        raise NotImplementedError

    def explain(self, step: Shape) -> list[str]:
        return []

    def windows(self, step: Shape) -> list[tuple[Window, str]]:
        """The sliding windows of a convolutional cell, for the padding rules; none for dense cells."""
        return []


@dataclass(frozen=True)
class GatedCell(Cell):
    """SimpleRNNCell, GRUCell or LSTMCell: dense kernels over the last axis."""

    name: str
    units: Any
    gates: int
    #: 0 without bias, 1 normally, 2 for GRU's ``reset_after`` (input and recurrent bias).
    bias_rows: int
    states: int

    def checked_units(self) -> int:
        """``units`` as a weight dimension; Keras accepts other numbers in ``__init__``."""
        if not is_int(self.units) or self.units < 0:
            raise invalid_weight_dim((None, self.units), f"{self.name}/kernel")
        return self.units

    def build(self, step: Shape) -> Dim:
        units = self.checked_units()
        input_dim = step[-1] if step else None
        width = self.gates * units
        if input_dim is None:
            raise undefined_weight((None, width), f"{self.name}/kernel")
        return gated_weights(input_dim, units, self.gates, self.bias_rows)

    def output_shape(self, step: Shape) -> Shape:
        return (step[0], self.checked_units())

    def state_shapes(self, step: Shape) -> list[Shape]:
        return [(step[0], self.checked_units())] * self.states

    def explain(self, step: Shape) -> list[str]:
        units, input_dim = self.units, step[-1] if step else None
        bias = {0: "", 1: f" + bias {units}"}.get(self.bias_rows, f" + bias {self.bias_rows} x {units}")
        total = gated_weights(input_dim, units, self.gates, self.bias_rows)
        return [f"{self.name}: {self.gates} x (kernel {format_dim(input_dim)} x {units} + recurrent {units} x {units}{bias}) = {format_dim(total)}"]


def gated_weights(input_dim: Dim, units: int, gates: int, bias_rows: int) -> Dim:
    """``gates * (units*(input_dim + units) + bias_rows*units)``, the one formula for all gated cells."""
    per_gate = add(mul(units, add(input_dim, units)), bias_rows * units)
    return mul(gates, per_gate)


@dataclass(frozen=True)
class StackedCells(Cell):
    """Mirror of keras/src/layers/rnn/stacked_rnn_cells.py: each cell feeds the next."""

    cells: tuple

    def build(self, step: Shape) -> Dim:
        total: Dim = 0
        for cell in self.cells:
            total = add(total, cell.build(step))
            step = cell.output_shape(step)
        return total

    def output_shape(self, step: Shape) -> Shape:
        if not self.cells:
            raise LayerError(KERAS_ERROR, "An RNN needs at least one cell; received an empty list of cells.")
        return self.cells[-1].output_shape(step)

    def state_shapes(self, step: Shape) -> list[Shape]:
        shapes: list[Shape] = []
        for cell in self.cells:
            shapes.extend(cell.state_shapes(step))
        return shapes

    def explain(self, step: Shape) -> list[str]:
        lines: list[str] = []
        for cell in self.cells:
            lines.extend(cell.explain(step))
            step = cell.output_shape(step)
        return lines


@dataclass(frozen=True)
class ConvLSTMCell(Cell):
    """Mirror of keras/src/layers/rnn/conv_lstm.py ``ConvLSTMCell``: four convolution gates."""

    rank: int
    filters: Any
    kernel: tuple
    strides: tuple
    dilation: tuple
    padding: Any
    data_format: str
    use_bias: bool

    def channel(self, step: Shape) -> Dim:
        return step[channel_axis(self.data_format, len(step))]

    def build(self, step: Shape) -> Dim:
        spatial = [step[axis] for axis in spatial_axes(self.data_format, len(step))]
        if None in spatial:
            raise LayerError(
                KERAS_ERROR,
                f"ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input shape: input_shape={format_shape(step)}",
            )
        channels = self.channel(step)
        if channels is None:
            raise LayerError(
                KERAS_ERROR,
                f"The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape received: input_shape={format_shape(step)}",
            )
        filters = self.filters
        if not is_int(filters) or filters < 0:
            raise invalid_weight_dim(self.kernel + (channels, filters), "conv_lstm_cell/kernel")
        weights = count(*self.kernel, 4 * filters, add(channels, filters))
        return add(weights, 4 * filters) if self.use_bias else weights

    def windows(self, step: Shape) -> list[tuple[Window, str]]:
        """``compute_conv_output_shape`` on one step, axis by axis: the same arithmetic as Conv."""
        if len(step) != self.rank + 2:
            raise LayerError(
                RANK_MISMATCH,
                f"Kernel shape must have the same length as input, but received kernel of rank {self.rank + 2} and input of shape {format_shape(step)}.",
            )
        if isinstance(self.padding, (tuple, list)):
            raise LayerError(INVALID_PADDING, f"`padding` must be either `'valid'` or `'same'`. Received {list(self.padding)}.", argument="padding")
        if 0 in self.strides:
            raise LayerError(INVALID_CONFIG, f"`strides={self.strides}` divides by zero in the output size (Keras: cannot convert float infinity to integer)", argument="strides")
        return [
            window(axis, step[axis], self.kernel[index], self.strides[index], self.dilation[index], self.padding)
            for index, axis in enumerate(spatial_axes(self.data_format, len(step)))
        ]

    def output_shape(self, step: Shape) -> Shape:
        sizes = {win.axis: win.output for win, _ in self.windows(step)}
        sizes[channel_axis(self.data_format, len(step))] = self.filters
        return tuple(sizes.get(axis, dim) for axis, dim in enumerate(step))

    def state_shapes(self, step: Shape) -> list[Shape]:
        output = self.output_shape(step)
        return [output, output]

    def explain(self, step: Shape) -> list[str]:
        kernel = " x ".join(str(k) for k in self.kernel)
        bias = f" + bias 4 x {self.filters}" if self.use_bias else ""
        weights = f"4 gates x kernel {kernel} x ({format_dim(self.channel(step))} + {self.filters}) x {self.filters}{bias}"
        return [text for _, text in self.windows(step)] + [weights]


# -------------------------------------------------------------- cell specs

GATED_DEFAULTS: dict[str, Any] = {"use_bias": True, "reset_after": True}


def check_units(config: LayerConfig) -> None:
    """The cells' ``if units <= 0: raise`` (a non-number fails the comparison itself)."""
    units = config.get("units")
    if isinstance(units, bool) or not isinstance(units, (int, float)):
        raise LayerError(KERAS_ERROR, f"'<=' not supported between `units={units!r}` and 0", argument="units")
    if units <= 0:
        raise LayerError(
            INVALID_CONFIG,
            f"Received an invalid value for argument `units`, expected a positive integer, got {units}.",
            argument="units",
        )


class GatedCellSpec(LayerSpec):
    """SimpleRNNCell / LSTMCell / GRUCell as layers of their own, for ``RNN(cell)``."""

    gates: ClassVar[int]
    states: ClassVar[int]
    defaults = GATED_DEFAULTS

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: check_units(config))

    def cell(self, config: LayerConfig, name: str | None = None) -> GatedCell:
        return GatedCell(
            name=name or self.class_name,
            units=config.get("units"),
            gates=self.gates,
            bias_rows=self.bias_rows(config),
            states=self.states,
        )

    def bias_rows(self, config: LayerConfig) -> int:
        return 1 if config.bool("use_bias") else 0

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        raise Unresolved(f"{self.class_name} called directly (outside an RNN layer) is not modelled")


@register
class SimpleRNNCell(GatedCellSpec):
    class_name = "SimpleRNNCell"
    signature = ("units", "activation", "use_bias")
    mirrors = "keras/src/layers/rnn/simple_rnn.py"
    gates = 1
    states = 1


@register
class LSTMCell(GatedCellSpec):
    class_name = "LSTMCell"
    signature = ("units", "activation", "recurrent_activation", "use_bias")
    mirrors = "keras/src/layers/rnn/lstm.py"
    gates = 4
    states = 2


@register
class GRUCell(GatedCellSpec):
    class_name = "GRUCell"
    signature = ("units", "activation", "recurrent_activation", "use_bias")
    mirrors = "keras/src/layers/rnn/gru.py"
    gates = 3
    states = 1

    def bias_rows(self, config: LayerConfig) -> int:
        if not config.bool("use_bias"):
            return 0
        return 2 if config.bool("reset_after") else 1


# ================================================================== layers


def sequence_input(inputs: Sequence) -> Shape | None:
    """The ``sequences`` argument of an RNN call (``initial_state`` and masks do not shape it)."""
    if not inputs:
        raise LayerError(KERAS_ERROR, "A recurrent layer needs an input sequence")
    names = getattr(inputs, "names", None) or []
    return inputs[names.index("sequences")] if "sequences" in names else inputs[0]


def validate_inner(config: LayerConfig) -> None:
    """What Keras raised constructing a wrapped layer (nothing else validates it)."""
    config.spec.validate(config)


class Recurrent(LayerSpec):
    """Keras' ``RNN`` layer: a cell applied along axis 1.

    Subclasses say which cell; ``input_ndim`` is the layer's InputSpec
    (``RNN(cell)`` has none, so any rank reaches ``build``).
    """

    call_signature = ("sequences", "initial_state", "mask")
    input_ndim: ClassVar[int | None] = 3
    mirrors = "keras/src/layers/rnn/rnn.py"

    def cell(self, config: LayerConfig) -> Cell:
        raise NotImplementedError

    def check_input(self, config: LayerConfig, shape: Shape) -> None:
        if self.input_ndim is not None:
            check_rank(self.class_name, shape, ndim=self.input_ndim)

    def build(self, config: LayerConfig, shape: Shape) -> tuple[Cell, Dim]:
        """``RNN.build``: the cell on one time step, then the stateful check."""
        cell = self.cell(config)
        weights = cell.build(step_shape(shape))
        if config.bool("stateful") and shape[0] is None:
            raise LayerError(
                KERAS_ERROR,
                f"When using `stateful=True` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape={format_shape(shape)}",
                argument="stateful",
            )
        return cell, weights

    def output_shapes(self, config: LayerConfig, cell: Cell, shape: Shape) -> list[Shape]:
        """``RNN.compute_output_shape``: the output, then one shape per state if ``return_state``."""
        if len(shape) < 2:
            raise LayerError(RANK_MISMATCH, f"A recurrent layer needs a time axis; received an input of shape {format_shape(shape)}", received_rank=len(shape))
        step = step_shape(shape)
        output = cell.output_shape(step)
        if config.bool("return_sequences"):
            output = (shape[0], shape[1]) + tuple(output[1:])
        outputs = [output]
        if config.bool("return_state"):
            outputs.extend(cell.state_shapes(step))
        return outputs

    def run(self, config: LayerConfig, shape: Shape, *, check_input: bool = True) -> LayerResult:
        """The whole call; wrappers that skip the layer's InputSpec pass ``check_input=False``."""
        if check_input:
            self.check_input(config, shape)
        cell, weights = self.build(config, shape)
        outputs = self.output_shapes(config, cell, shape)
        return LayerResult(
            outputs=outputs,
            trainable=weights,
            details={
                "cell": cell,
                "return_sequences": config.bool("return_sequences"),
                "return_state": config.bool("return_state"),
                "input_dim": shape[-1],
                "windows": [win for win, _ in cell.windows(step_shape(shape))],
            },
            explain=cell.explain(step_shape(shape)),
        )

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return self.run(config, require_known(sequence_input(inputs)))


def step_shape(shape: Shape) -> Shape:
    """One time step of a sequence: ``(batch,) + shape[2:]``."""
    return (shape[0],) + tuple(shape[2:])


class GatedRecurrent(Recurrent):
    """SimpleRNN, LSTM and GRU: a layer that builds its own gated cell from its arguments."""

    cell_spec: ClassVar[GatedCellSpec]
    defaults = GATED_DEFAULTS

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.cell_spec.validate(config), lambda: check_use_cudnn(config))

    def cell(self, config: LayerConfig) -> Cell:
        return self.cell_spec.cell(config, self.class_name)


def check_use_cudnn(config: LayerConfig) -> None:
    if not config.is_set("use_cudnn"):
        return
    value = config.get("use_cudnn")
    if value not in ("auto", True, False):
        raise LayerError(
            INVALID_CONFIG,
            f"Invalid valid received for argument `use_cudnn`. Expected one of {{'auto', True, False}}. Received: use_cudnn={value!r}",
            argument="use_cudnn",
        )


@register
class SimpleRNN(GatedRecurrent):
    class_name = "SimpleRNN"
    signature = (
        "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
        "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
        "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "seed",
    )  # fmt: skip
    mirrors = "keras/src/layers/rnn/simple_rnn.py"
    cell_spec = SimpleRNNCell()

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: self.cell_spec.validate(config))


@register
class LSTM(GatedRecurrent):
    class_name = "LSTM"
    signature = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
        "use_cudnn",
    )  # fmt: skip
    mirrors = "keras/src/layers/rnn/lstm.py"
    cell_spec = LSTMCell()


@register
class GRU(GatedRecurrent):
    class_name = "GRU"
    signature = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful", "unroll",
        "reset_after", "use_cudnn",
    )  # fmt: skip
    mirrors = "keras/src/layers/rnn/gru.py"
    cell_spec = GRUCell()


def layer_configs(config: LayerConfig, name: str) -> list[LayerConfig]:
    """A layer argument that may be a list of layers (``RNN([cell, cell])``)."""
    value = config.get(name)
    if not isinstance(value, (list, tuple)):
        return [config.layer(name)]
    configs = [getattr(item, "config", None) for item in value]
    if not all(isinstance(inner, LayerConfig) for inner in configs):
        raise Unresolved(f"{name} holds a layer padlint does not know")
    return configs


@register
class RNN(Recurrent):
    """``RNN(cell)`` or ``RNN([cell, ...])`` (a StackedRNNCells); no InputSpec."""

    class_name = "RNN"
    signature = ("cell", "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask")
    input_ndim = None

    def cell_specs(self, config: LayerConfig) -> list[LayerConfig]:
        cells = layer_configs(config, "cell")
        for inner in cells:
            if not isinstance(inner.spec, GatedCellSpec):
                raise LayerError(
                    KERAS_ERROR,
                    f"The RNN cell should have a `state_size` attribute; {inner.spec.class_name} is not an RNN cell.",
                    argument="cell",
                )
        return cells

    def validate(self, config: LayerConfig) -> None:
        def cells() -> None:
            for inner in self.cell_specs(config):
                validate_inner(inner)

        run_checks(cells)

    def cell(self, config: LayerConfig) -> Cell:
        cells = [inner.spec.cell(inner) for inner in self.cell_specs(config)]
        if isinstance(config.get("cell"), (list, tuple)):
            return StackedCells(tuple(cells))
        return cells[0]


class ConvLSTM(Recurrent):
    """ConvLSTM1D/2D/3D: an LSTM whose gates are convolutions over each frame."""

    rank: ClassVar[int]
    signature = (
        "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
        "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
        "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
        "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful",
    )  # fmt: skip
    defaults: ClassVar[dict[str, Any]] = {"strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1, "use_bias": True}
    mirrors = "keras/src/layers/rnn/conv_lstm.py"

    @property
    def input_ndim(self) -> int:  # type: ignore[override]
        return self.rank + 3

    def validate(self, config: LayerConfig) -> None:
        """``ConvLSTMCell.__init__``: strides may be 0 there (it fails at call time)."""
        rank = self.rank

        def strides_and_dilation() -> None:
            strides = config.tuple("strides", rank, allow_zero=True)
            dilation = config.tuple("dilation_rate", rank)
            if max(strides) > 1 and max(dilation) > 1:
                raise LayerError(
                    INVALID_CONFIG,
                    "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide `strides=1` or `dilation_rate=1`. "
                    f"Received: strides={strides} and dilation_rate={dilation}",
                    argument="strides",
                )

        run_checks(
            lambda: config.tuple("kernel_size", rank),
            lambda: config.tuple("strides", rank, allow_zero=True),
            lambda: standardize_padding(config.get("padding")),
            config.data_format,
            lambda: config.tuple("dilation_rate", rank),
            strides_and_dilation,
        )

    def cell(self, config: LayerConfig) -> Cell:
        return ConvLSTMCell(
            rank=self.rank,
            filters=config.get("filters"),
            kernel=config.tuple("kernel_size", self.rank),
            strides=config.tuple("strides", self.rank, allow_zero=True),
            dilation=config.tuple("dilation_rate", self.rank),
            padding=standardize_padding(config.get("padding")),
            data_format=config.data_format(),
            use_bias=config.bool("use_bias"),
        )


@register
class ConvLSTM1D(ConvLSTM):
    class_name = "ConvLSTM1D"
    rank = 1
    mirrors = "keras/src/layers/rnn/conv_lstm1d.py"


@register
class ConvLSTM2D(ConvLSTM):
    class_name = "ConvLSTM2D"
    rank = 2
    mirrors = "keras/src/layers/rnn/conv_lstm2d.py"


@register
class ConvLSTM3D(ConvLSTM):
    class_name = "ConvLSTM3D"
    rank = 3
    mirrors = "keras/src/layers/rnn/conv_lstm3d.py"


# ================================================================ wrappers

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def recurrent_layer(config: LayerConfig, name: str) -> LayerConfig:
    """A wrapped layer that must be recurrent (Bidirectional copies it with ``go_backwards``)."""
    inner = config.layer(name)
    if not isinstance(inner.spec, Recurrent):
        raise LayerError(
            KERAS_ERROR,
            f"Bidirectional needs a recurrent layer (with `go_backwards`, `return_sequences`, `return_state`); received {inner.spec.class_name}.",
            argument=name,
        )
    return inner


@register
class Bidirectional(LayerSpec):
    """Runs the layer forwards and a copy (or ``backward_layer``) backwards, then merges.

    Keras takes the output shape from the forward layer alone: with a
    ``backward_layer`` of other units, ``compute_output_shape`` still doubles
    the forward size, and ``concat`` doubles the last axis even for
    channels_first ConvLSTM outputs.
    """

    class_name = "Bidirectional"
    signature = ("layer", "merge_mode", "weights", "backward_layer")
    defaults: ClassVar[dict[str, Any]] = {"merge_mode": "concat", "weights": None, "backward_layer": None}
    call_signature = ("sequences", "initial_state", "mask")
    mirrors = "keras/src/layers/rnn/bidirectional.py"

    def directions(self, config: LayerConfig) -> tuple[LayerConfig, LayerConfig]:
        forward = recurrent_layer(config, "layer")
        if config.get("backward_layer") is not None:
            return forward, recurrent_layer(config, "backward_layer")
        arguments = {**forward.arguments, "go_backwards": True}
        return forward, LayerConfig(forward.spec, arguments, forward.image_data_format, open_kwargs=forward.open_kwargs)

    def validate(self, config: LayerConfig) -> None:
        def merge_mode() -> None:
            mode = config.get("merge_mode")
            if mode not in MERGE_MODES:
                raise LayerError(
                    INVALID_CONFIG,
                    f'Invalid merge mode. Received: {mode}. Merge mode should be one of {{"sum", "mul", "ave", "concat", None}}',
                    argument="merge_mode",
                )

        def inner_layers() -> None:
            validate_inner(config.layer("layer"))
            if config.get("backward_layer") is not None:
                validate_inner(config.layer("backward_layer"))

        def directions() -> None:
            forward, backward = self.directions(config)
            if forward.get("go_backwards", False) == backward.get("go_backwards", False):
                raise LayerError(
                    INVALID_CONFIG,
                    "Forward layer and backward layer should have different `go_backwards` value. Received: "
                    f"forward_layer.go_backwards {forward.get('go_backwards', False)}, backward_layer.go_backwards={backward.get('go_backwards', False)}",
                    argument="backward_layer",
                )
            for attribute in ("stateful", "return_sequences", "return_state"):
                forward_value, backward_value = forward.get(attribute, False), backward.get(attribute, False)
                if forward_value != backward_value:
                    raise LayerError(
                        INVALID_CONFIG,
                        f'Forward layer and backward layer are expected to have the same value for attribute "{attribute}", '
                        f'got "{forward_value}" for forward layer and "{backward_value}" for backward layer',
                        argument="backward_layer",
                    )

        run_checks(inner_layers, merge_mode, directions)

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        forward, backward = self.directions(config)
        shape = require_known(sequence_input(inputs))
        forward.spec.check_input(forward, shape)
        cell, forward_weights = forward.spec.build(forward, shape)
        _, backward_weights = backward.spec.build(backward, shape)
        outputs = forward.spec.output_shapes(forward, cell, shape)
        output, states = outputs[0], outputs[1:]
        mode = config.get("merge_mode")
        if mode == "concat":
            merged = [tuple(output[:-1]) + (mul(output[-1], 2),)]
            merge_text = f"concat: last axis {format_dim(output[-1])} x 2 (from the forward layer alone)"
        elif mode is None:
            merged = [output, output]
            merge_text = "merge_mode=None: forward and backward outputs separately"
        else:
            merged = [output]
            merge_text = f"{mode}: elementwise, shape of the forward output"
        explain = [f"forward {line}" for line in cell.explain(step_shape(shape))]
        explain += [f"backward ({backward.spec.class_name}): {format_dim(backward_weights)}", merge_text]
        return LayerResult(
            outputs=merged + states + states,
            trainable=add(forward_weights, backward_weights),
            details={"merge_mode": mode, "forward": forward.spec.class_name, "backward": backward.spec.class_name},
            explain=explain,
        )


@register
class TimeDistributed(LayerSpec):
    """Applies the wrapped layer to every time step: the inner spec on ``(batch,) + shape[2:]``.

    Keras builds the inner layer directly, without its InputSpec check, so a
    wrapped recurrent layer skips its rank check here too.
    """

    class_name = "TimeDistributed"
    signature = ("layer",)
    mirrors = "keras/src/layers/rnn/time_distributed.py"

    def validate(self, config: LayerConfig) -> None:
        run_checks(lambda: validate_inner(config.layer("layer")))

    @staticmethod
    def step_shape(shape: tuple) -> tuple:
        """The shape the wrapped layer (or model) sees: ``(batch,) + shape[2:]``; Keras' rank check first."""
        if len(shape) < 3:
            raise LayerError(
                RANK_MISMATCH,
                f"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: {format_shape(shape)}",
                expected="min_ndim=3",
                received_rank=len(shape),
            )
        return (shape[0],) + tuple(shape[2:])

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        inner = config.layer("layer")
        shape = require_known(inputs[0] if inputs else None)
        child = self.step_shape(shape)
        if inner.spec.takes_list:
            raise LayerError(KERAS_ERROR, f"TimeDistributed cannot wrap {inner.spec.class_name}, which takes a list of inputs")
        if isinstance(inner.spec, Recurrent):
            result = inner.spec.run(inner, child, check_input=False)
        else:
            result = inner.spec.compute(inner, CallInputs([child]))
        if len(result.outputs) != 1:
            raise LayerError(KERAS_ERROR, f"TimeDistributed cannot wrap a layer with {len(result.outputs)} outputs ({inner.spec.class_name})")
        output = require_known(result.outputs[0], f"output shape of the wrapped {inner.spec.class_name}")
        return LayerResult(
            outputs=[(output[0], shape[1]) + tuple(output[1:])],
            trainable=result.trainable,
            non_trainable=result.non_trainable,
            details={"inner": inner.spec.class_name, "inner_details": result.details},
            explain=result.explain,
        )

