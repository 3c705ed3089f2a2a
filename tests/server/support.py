"""A real LSP client for the tests: pygls' LanguageClient driving ``padlint server`` in a subprocess.

:class:`Session` wraps the asynchronous client in its own event loop so that
tests read as plain steps (open, wait for diagnostics, hover, change ...). The
server is run as ``python -m padlint server`` with this interpreter, as an editor starts it,
with the checkout first on PYTHONPATH (tests/checkout.py): the padlint under test, not one
installed beside it.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests import checkout

#: Longest a test waits for one answer or notification of the server.
TIMEOUT = 60.0


class _Client(LanguageClient):
    returncode: int | None = None

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.returncode = server.returncode


class Session:
    """One server process and the client talking to it."""

    def __init__(self, root: Path, options: dict | None = None, capabilities: types.ClientCapabilities | None = None) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.client = _Client("padlint-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = defaultdict(list)
        self.shown: list[types.ShowMessageParams] = []
        self.logged: list[types.LogMessageParams] = []
        self.refreshes = 0
        self._arrived: asyncio.Event | None = None
        client = self.client

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri].append(params)
            self._notify()

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.shown.append(params)
            self._notify()

        @client.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            self.logged.append(params)
            self._notify()

        @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
        def refresh(params: Any) -> None:
            self.refreshes += 1
            self._notify()

        self.run(client.start_io(sys.executable, "-m", "padlint", "server", cwd=str(root), env=checkout.environment()))  # the checkout's padlint
        self.initialized = self.run(
            client.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities or types.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                    initialization_options=options,
                )
            )
        )
        client.initialized(types.InitializedParams())

    # ------------------------------------------------------------ plumbing

    def run(self, coroutine: Any, timeout: float = TIMEOUT) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, timeout))

    def _notify(self) -> None:
        if self._arrived is not None:
            self._arrived.set()

    def wait_until(self, condition, timeout: float = TIMEOUT) -> None:
        """Let the client read what the server sends until ``condition()`` holds."""

        async def waiting() -> None:
            self._arrived = asyncio.Event()
            while not condition():
                self._arrived.clear()
                await self._arrived.wait()

        self.run(waiting(), timeout)

    def settle(self, seconds: float) -> None:
        """Let messages arrive for a while (to see that something is *not* sent)."""
        self.run(asyncio.sleep(seconds), seconds + TIMEOUT)

    # ------------------------------------------------------------ documents

    def open(self, path: Path, text: str | None = None, version: int = 1, language_id: str = "python", uri: str | None = None) -> str:
        uri = uri or path.as_uri()
        text = path.read_text() if text is None else text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The diagnostics published for a version of the document (waiting for them)."""

        def found() -> types.PublishDiagnosticsParams | None:
            for params in reversed(self.published[uri]):
                if version is None or params.version == version:
                    return params
            return None

        self.wait_until(lambda: found() is not None)
        return list(found().diagnostics)

    def versions(self, uri: str) -> list[int | None]:
        return [params.version for params in self.published[uri]]

    # ------------------------------------------------------------ requests

    def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return self.run(self.client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(line=line, character=character))))

    def inlay_hints(self, uri: str, first: int = 0, last: int = 100_000) -> list[types.InlayHint]:
        whole = types.Range(start=types.Position(line=first, character=0), end=types.Position(line=last, character=0))
        return list(self.run(self.client.text_document_inlay_hint_async(types.InlayHintParams(types.TextDocumentIdentifier(uri=uri), whole))) or [])

    def code_actions(self, uri: str, line: int, only: list[str] | None = None) -> list[types.CodeAction]:
        place = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))
        context = types.CodeActionContext(diagnostics=[], only=only)
        return list(self.run(self.client.text_document_code_action_async(types.CodeActionParams(types.TextDocumentIdentifier(uri=uri), place, context))) or [])

    def request(self, method: str, params: Any) -> Any:
        """Any request, by method name (the future is made inside the session's loop)."""

        async def sending() -> Any:
            return await self.client.protocol.send_request_async(method, params)

        return self.run(sending())

    def configure(self, settings: Any) -> None:
        self.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))

    def stop(self) -> int | None:
        """Shut down and exit as an editor does; the server process' exit code."""
        self.run(self.client.shutdown_async(None))
        self.client.exit(None)
        self.run(self.client.stop())
        self.loop.close()
        return self.client.returncode

    def kill(self) -> None:
        """End the server whatever its state (a failed test must not leave it running)."""
        server = self.client._server
        if server is not None and server.returncode is None:
            server.kill()
            self.run(server.wait())
        if not self.loop.is_closed():
            self.loop.close()


# ------------------------------------------------------------ text helpers


def utf16_column(line: str, column: int) -> int:
    """A character column as LSP's default UTF-16 counts it."""
    return len(line[:column].encode("utf-16-le")) // 2


def offset(text: str, position: types.Position) -> int:
    """The character offset of an LSP position (UTF-16) in a text."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, character in enumerate(line):
        if units >= position.character:
            return start + index
        units += len(character.encode("utf-16-le")) // 2
    return start + len(line.rstrip("\r\n"))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply a code action's edits as an editor does (from the last to the first)."""
    spans = sorted(((offset(text, edit.range.start), offset(text, edit.range.end), edit.new_text) for edit in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def line_of(text: str, needle: str) -> int:
    """The 0-based line holding ``needle`` (once)."""
    lines = [number for number, line in enumerate(text.splitlines()) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]
