"""The pre-filter: files that cannot define a Keras model are not analysed.

Most files of a repository hold no model. Analysing one costs a libcst parse
and a walk of the static evaluator (tens of milliseconds, and the import of
libcst and networkx in the first place); deciding that it cannot hold a model
costs a substring search.

Why the search is safe: padlint finds a model only through a Keras name, and
it resolves names through the file's own imports and its own functions and
classes (``from keras import layers``, ``import tensorflow as tf`` then
``tf.keras...``, a helper defined in the same file; never a helper imported from
another module). Every Keras root padlint knows (``keras``, ``tf_keras``,
``tensorflow.keras``, ``tensorflow.python.keras``, ``tensorflow.compat.v1.keras``,
and ``tf.keras`` reached through ``import tensorflow``) has the text ``keras`` in
it, and an identifier cannot be split across lines, escapes or string
concatenation. So a file whose text has no ``keras`` has no Keras name reached
through an import. One more way exists: a snippet (a question's code, a star
import of a module padlint cannot read) that uses a Keras class name it never
binds, which padlint takes as Keras' class. A model is made only by calling
``Sequential`` or ``Model`` (or by a class deriving from ``Model``), so such a
file has one of those two names as a bare identifier (not an attribute:
``models.Model`` of Django is ``.Model``); a file with neither has no model.
Python folds identifiers to NFKC form (``ｋｅｒａｓ`` is ``keras``), so text
with non-ASCII characters is searched after the same folding.

A skipped file still gets the one finding that does not need a model: PAD001
when it does not parse. Python's own parser decides that, through
:func:`symtable.symtable` (it parses, then builds the symbol table, without the
Python objects of an ``ast`` tree: a third cheaper than ``ast.parse``, some
twenty times cheaper than libcst). Anything it rejects, including the few
things the symbol table refuses but the parser accepts (``nonlocal`` at module
level), or cannot judge (nesting too deep), is analysed in full, so its
finding is the one the full analysis gives.
"""

from __future__ import annotations

import re

#: The text every import of Keras contains.
MARKER = "keras"
#: The model names a snippet may use unbound, as a bare identifier (padlint/evaluation/interpreter.py
#: ``SNIPPET_MODEL_NAMES``: the layer and Input names make no model on their own).
SNIPPET_MODELS = ("Sequential", "Model")
_SNIPPET_MODEL = re.compile(r"(?<![\w.])(?:Sequential|Model)(?!\w)")


def _may_define_model(text: str) -> bool:
    if MARKER in text:
        return True
    # Substring tests first: the regular expression runs only on files that mention a model name.
    return any(name in text for name in SNIPPET_MODELS) and _SNIPPET_MODEL.search(text) is not None


def may_define_model(text: str) -> bool:
    """Whether the source could reach Keras at all (False: it certainly cannot)."""
    if _may_define_model(text):
        return True
    if text.isascii():
        return False
    import unicodedata

    return _may_define_model(unicodedata.normalize("NFKC", text))


def parses(text: str) -> bool:
    """Whether Python's parser accepts the text (False also when it cannot tell: too deep, too big)."""
    import symtable
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an invalid escape is the full analysis' business, not a message here
            symtable.symtable(text, "<padlint>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def can_skip(text: str) -> bool:
    """Whether a full analysis is certain to find no model and report nothing."""
    return not may_define_model(text) and parses(text)
