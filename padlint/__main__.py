"""Allow ``python -m padlint``."""

import os
import sys

# ``python -m`` puts the current folder first on the import path: a project's own
# ``json.py`` or ``ast.py`` would then be imported (run) in place of the standard
# library's. padlint never imports the code it checks.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from padlint.cli import run

run()
