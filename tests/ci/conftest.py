"""The CI integration tests reuse the CLI tests' fixture tree (a copy of fixtures/cli/tree)."""

from tests.cli.conftest import tree  # noqa: F401  (a pytest fixture, used by name)
