"""``padlint server``: the Language Server Protocol over stdio, for editors.

The server keeps padlint's engine loaded and analyses each open document in
process when it opens, changes (debounced) and is saved: diagnostics as
``padlint check`` reports them, hover with a layer's shape, parameters and
arithmetic (a model's summary table on a model variable), inlay hints with each
layer line's output shape, and code actions (the rules' fixes, ``# noqa``).

It is built on pygls, which is an optional extra (``pip install 'padlint[server]'``):
nothing here imports pygls until the server runs, so linting never pays for it.
Modules, one job each:

- :mod:`padlint.server.documents`: an open document's analysis, settings and configuration (no LSP);
- :mod:`padlint.server.convert`: padlint positions and findings as LSP ranges and diagnostics;
- :mod:`padlint.server.symbols`: which layer or model a position of the source names;
- :mod:`padlint.server.hover`, :mod:`padlint.server.inlay`, :mod:`padlint.server.actions`: the features;
- :mod:`padlint.server.protocol`: the pygls glue (handlers, debouncing, publishing).
"""

from __future__ import annotations

import sys

#: What ``padlint server`` says when the extra is not installed (exit code 2).
MISSING_EXTRA = (
    "padlint: error: `padlint server` needs the server extra (pygls), which is not installed; "
    "install it with: pip install 'padlint[server]'"
)


def main() -> int:
    """Serve LSP on stdin/stdout until the client says exit; 2 when pygls is missing."""
    try:
        import lsprotocol.types  # noqa: F401 - only to learn whether the extra is there
        import pygls.lsp.server  # noqa: F401
    except ImportError:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    from padlint.server.protocol import serve

    return serve()
