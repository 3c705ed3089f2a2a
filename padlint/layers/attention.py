"""attention layers (to be filled)."""

from __future__ import annotations
