"""Generate padlint/layers/keywords.py: the keyword arguments each Keras layer accepts.

Run with TensorFlow/Keras installed (the test extra):

    python tools/generate_keywords.py > padlint/layers/keywords.py

A keyword is accepted when it is a named parameter of an ``__init__`` on the
class's MRO that the chain reaches through ``**kwargs`` (Keras' ``Layer``
raises "Unrecognized keyword arguments" for the rest), plus the keywords
``Layer.__init__`` itself pops (``input_shape``, ``input_dim``).
tests/layers/test_keywords.py regenerates the table and compares.
"""

from __future__ import annotations

import inspect
import os
import re
import sys

LAYER_POPS = ("input_dim", "input_shape")


#: ``kwargs.pop("input_length", ...)`` and ``if "input_shape" in kwargs``: keywords an
#: ``__init__`` takes out of ``**kwargs`` itself (Keras 2 names it still tolerates).
POPPED = re.compile(r"""kwargs\.pop\(\s*["'](\w+)["']|["'](\w+)["']\s+in\s+kwargs""")


def accepted_keywords(layer_class, base_layer) -> set[str]:
    accepted: set[str] = set()
    for klass in layer_class.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        parameters = inspect.signature(init).parameters.values()
        accepted.update(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self")
        try:
            accepted.update(name for match in POPPED.findall(inspect.getsource(init)) for name in match if name)
        except (OSError, TypeError):
            pass
        if klass is base_layer:
            return accepted | set(LAYER_POPS)
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            return accepted
    return accepted


def table() -> dict[str, list[str]]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from padlint.layers.registry import all_specs

    result = {}
    for name in sorted(all_specs()):
        layer_class = getattr(keras.layers, name, None)
        if layer_class is not None:
            result[name] = sorted(accepted_keywords(layer_class, keras.layers.Layer))
    return result


def render(data: dict[str, list[str]]) -> str:
    lines = [
        '"""Keyword arguments each Keras layer class accepts (generated; do not edit).',
        "",
        "Generated from Keras by tools/generate_keywords.py; tests/layers/test_keywords.py",
        "checks it against the installed Keras. Keras 3 raises \"Unrecognized keyword",
        'arguments" for any other keyword."""',
        "",
        "ACCEPTED_KEYWORDS: dict[str, frozenset[str]] = {",
    ]
    for name, keywords in data.items():
        lines.append(f"    {name!r}: frozenset({tuple(keywords)!r}),")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(table()))
