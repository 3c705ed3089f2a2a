"""The layer classes keras.applications defines for itself, as layer specs.

ConvNeXt's ``LayerScale`` and ``StochasticDepth`` (keras/src/applications/convnext.py)
and InceptionResNetV2's ``CustomScaleLayer`` (inception_resnet_v2.py) are ``Layer``
subclasses without ``compute_output_shape``: Keras traces their ``call()`` for the
output shape, and the summary shows their own class names. Keras does not export them
from keras.layers, so they are not in padlint's layer registry: the applications make
them through ``keras.src.applications.<module>.<Class>`` (:mod:`padlint.applications`).
"""

from __future__ import annotations

from padlint.layers.base import LayerConfig, LayerError, LayerResult, LayerSpec, require_known, single_input
from padlint.layers.weights import variable_size
from padlint.ops.base import broadcast_shapes


class LayerScale(LayerSpec):
    """``call(x)`` is ``x * gamma``, with the trainable ``gamma`` of shape ``(projection_dim,)``
    made in ``build``: the output is the broadcast of the two shapes."""

    class_name = "LayerScale"
    signature = ("init_values", "projection_dim")
    mirrors = "keras/src/applications/convnext.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        shape = require_known(single_input(inputs))
        projection_dim = config.int("projection_dim")
        gamma = variable_size(self.class_name, "gamma", (projection_dim,))
        return LayerResult(outputs=[broadcast_shapes(tuple(shape), (projection_dim,))], trainable=gamma)


class StochasticDepth(LayerSpec):
    """``call(x)`` returns ``x`` outside training (and ``x`` scaled by a random mask in it)."""

    class_name = "StochasticDepth"
    signature = ("drop_path_rate",)
    mirrors = "keras/src/applications/convnext.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        return LayerResult(outputs=[require_known(single_input(inputs))])


class CustomScaleLayer(LayerSpec):
    """``call(inputs)`` is ``inputs[0] + inputs[1] * scale``: the broadcast of the two shapes."""

    class_name = "CustomScaleLayer"
    signature = ("scale",)
    takes_list = True
    mirrors = "keras/src/applications/inception_resnet_v2.py"

    def compute(self, config: LayerConfig, inputs: list) -> LayerResult:
        if len(inputs) != 2 or not getattr(inputs, "as_list", True):
            raise LayerError("keras-error", f"CustomScaleLayer.call() indexes two inputs, received {len(inputs)}")
        first, second = (tuple(require_known(shape)) for shape in inputs)
        return LayerResult(outputs=[broadcast_shapes(first, second)])


#: Class name -> spec.
SPECS: dict[str, LayerSpec] = {spec.class_name: spec for spec in (LayerScale(), StochasticDepth(), CustomScaleLayer())}
