"""``flake8`` with its default plugins only (pyflakes, pycodestyle, mccabe), even where padlint is installed.

padlint registers itself as a flake8 plugin; the benchmark compares padlint
with flake8 as it is without padlint, so this runs flake8's own entry point
with padlint's distribution left out of plugin discovery (the list flake8
itself uses for obsolete plugins). The process costs what ``flake8`` costs.
"""

import flake8.plugins.finder

flake8.plugins.finder.BANNED_PLUGINS["padlint"] = "never"

from flake8.main.cli import main

raise SystemExit(main())
