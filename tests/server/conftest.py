"""The server tests need the server extra (pygls), which the test extra installs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lsprotocol import types

from tests.server.support import Session

#: What the tests' client announces: inlay hint refreshes, so the server may ask for them.
CAPABILITIES = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True)))


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """One server for a test module (starting one costs a second of CI time), in an empty workspace."""
    root = tmp_path_factory.mktemp("workspace")
    server = Session(root, options={"debounceMs": 20}, capabilities=CAPABILITIES)
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(scope="module")
def workspace(session: Session) -> Path:
    return session.root
