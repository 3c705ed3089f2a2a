"""padlint's table of layers Keras builds at construction equals Keras' own source.

A class is built at construction when an ``__init__`` on its MRO calls
``self._build_at_init()`` or sets ``self.built = True`` (keras/src/layers/layer.py);
it shows in a subclassed model's summary as "?" instead of an output shape.
"""

from __future__ import annotations

import inspect

import pytest

from padlint.layers.building import BUILT_AT_INIT
from padlint.layers.registry import all_specs



def test_built_at_init_table_matches_keras_source():
    import keras

    found = set()
    for name in all_specs():
        layer_class = getattr(keras.layers, name, None)
        if layer_class is None:
            continue
        for klass in layer_class.__mro__:
            init = klass.__dict__.get("__init__")
            try:
                source = inspect.getsource(init) if init is not None else ""
            except (OSError, TypeError):
                source = ""
            if "_build_at_init()" in source or "self.built = True" in source:
                found.add(name)
                break
    assert found == set(BUILT_AT_INIT)


@pytest.mark.parametrize("name", ["Dropout", "MaxPooling2D", "Reshape", "Dense", "Flatten", "Rescaling"])
def test_built_flag_after_construction(name):
    """The table agrees with a constructed layer's ``built`` (a spot check of the source scan)."""
    import keras

    arguments = {"Dropout": (0.5,), "Reshape": ((2,),), "Dense": (2,), "Rescaling": (0.5,)}.get(name, ())
    assert getattr(keras.layers, name)(*arguments).built == (name in BUILT_AT_INIT)
