"""Allow ``python -m padlint``."""

from padlint.cli import main

raise SystemExit(main())
