"""Keras' automatic layer and model names.

Mirrors keras/src/utils/naming.py: a name is the snake_case class name made
unique by a per-session counter (``conv2d``, ``conv2d_1``, ...). padlint
simulates one fresh Python session per file, so names match what
``model.summary()`` prints when the script runs.
"""

from __future__ import annotations

import re
from collections import defaultdict


def to_snake_case(name: str) -> str:
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class NameCounter:
    """The session-global ``object_name_uids`` of Keras."""

    def __init__(self) -> None:
        self._uids: defaultdict[str, int] = defaultdict(int)

    def uniquify(self, name: str) -> str:
        unique = f"{name}_{self._uids[name]}" if name in self._uids else name
        self._uids[name] += 1
        return unique

    def auto_name(self, class_name: str) -> str:
        return self.uniquify(to_snake_case(class_name))

    def reset(self) -> None:
        """``keras.backend.clear_session()``."""
        self._uids.clear()
