"""The pygls glue: LSP handlers, when documents are analysed, and what is published.

Analyses run one at a time on a worker thread, so the server keeps answering
while a document is analysed. A change waits for the debounce (``debounceMs``)
before its version is analysed; opening and saving analyse at once. A request
(hover, inlay hints, code actions) waits for the analysis of the text it was
made on rather than answering from an older version whose positions may have
moved. Diagnostics are published for the latest version only.

Nothing a document holds stops the server: every handler catches what it did
not expect, logs it to the client and answers with nothing.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from padlint import __version__
from padlint.config import CONFIG_FILES
from padlint.incremental import StatementCache
from padlint.server import actions, convert, hover, inlay
from padlint.server.documents import ServerOptions, Snapshot, Workspace, is_python

logger = logging.getLogger("padlint.server")

#: Stack of the analysis thread: the CLI analyses on the main thread, whose stack the
#: system sets (8 MB here); a thread's may be smaller, and padlint's walks recurse.
ANALYSIS_STACK_BYTES = 64 * 2**20
#: Longest a request waits for the analysis of the current text (a file at padlint's limits
#: takes seconds; the evaluator's own budget stops at 10).
REQUEST_WAIT_SECONDS = 30.0


@dataclass(eq=False)
class OpenDocument:
    """A document the client has open: its text, and the analyses of its versions."""

    uri: str
    #: The path its settings are resolved for (a file in the workspace root for unsaved buffers).
    path: str
    text: str
    version: int
    snapshot: Snapshot | None = None
    timer: asyncio.TimerHandle | None = None
    #: The version being analysed, if any; ``again``: analyse once more when it is done.
    analysing: int | None = None
    again: bool = False
    waiters: list[asyncio.Future] = field(default_factory=list)
    #: What was last logged about this document (notes, internal errors), to say it once.
    logged: tuple[tuple[types.MessageType, str], ...] = ()
    #: The parse of the version analysed last: an edit parses again only the statements it changed.
    statements: StatementCache = field(default_factory=StatementCache)

    @property
    def current(self) -> bool:
        return self.snapshot is not None and self.snapshot.version == self.version and self.snapshot.text == self.text


class PadlintServer(LanguageServer):
    """The language server, with padlint's state: options, open documents, the analysis thread."""

    def __init__(self) -> None:
        super().__init__("padlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.options = ServerOptions()
        self.documents: dict[str, OpenDocument] = {}
        self.project = Workspace(None)
        self.analyser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="padlint-analysis")
        self.shut_down = False
        #: Whether the client has said ``initialized`` (only then may the server send it requests).
        self.ready = False
        self._said: set[str] = set()

    # ------------------------------------------------------------ client facts

    @property
    def encoding(self) -> str:
        value = self.workspace.position_encoding
        return str(getattr(value, "value", value) or types.PositionEncodingKind.Utf16.value)

    def _supports(self, *path: str) -> bool:
        value: Any = self.client_capabilities
        for name in path:
            value = getattr(value, name, None)
            if value is None:
                return False
        return bool(value)

    def say(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def say_once(self, message: str) -> None:
        """A problem the user must fix (a bad configuration): shown once, and logged."""
        self.say(message, types.MessageType.Error)
        if message not in self._said:
            self._said.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    # ------------------------------------------------------------ analysing

    def changed(self, document: OpenDocument, delay: float) -> None:
        """The text changed: analyse it after ``delay`` seconds without a further change."""
        if document.timer is not None:
            document.timer.cancel()
            document.timer = None
        if delay <= 0:
            self.start(document)
        else:
            document.timer = asyncio.get_running_loop().call_later(delay, self.start, document)

    def start(self, document: OpenDocument, anew: bool = False) -> None:
        """Analyse the document's current text now (after the running analysis, if one is);
        ``anew``: even when the running analysis is of this text (the configuration changed)."""
        if document.timer is not None:
            document.timer.cancel()
            document.timer = None
        if document.analysing is not None:
            document.again = document.again or anew or document.analysing != document.version
            return
        document.analysing = document.version
        future = asyncio.get_running_loop().run_in_executor(self.analyser, self.project.analyse, document.path, document.text, document.version, document.statements)
        future.add_done_callback(functools.partial(self._finished, document))

    def _finished(self, document: OpenDocument, future: asyncio.Future) -> None:
        document.analysing = None
        try:
            snapshot: Snapshot | None = future.result()
        except Exception as bug:  # noqa: BLE001 - a bug of padlint's must not stop the server
            logger.exception("analysis failed")
            self.say(f"padlint: internal error in {document.path} (padlint {__version__}): {type(bug).__name__}: {bug}", types.MessageType.Error)
            snapshot = None
        if self.documents.get(document.uri) is not document:
            return  # closed meanwhile
        if snapshot is not None:
            document.snapshot = snapshot
        if document.again:
            document.again = False
            self.start(document)
            return
        if document.current:
            self.publish(document)
        if document.current or snapshot is None:
            self._release(document, document.snapshot if document.current else None)

    def _release(self, document: OpenDocument, snapshot: Snapshot | None) -> None:
        waiters, document.waiters = document.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(snapshot)

    async def snapshot_of(self, uri: str) -> Snapshot | None:
        """The analysis of the document's current text, waiting for it if need be."""
        document = self.documents.get(uri)
        if document is None:
            return None
        if document.current:
            return document.snapshot
        if document.timer is not None or document.analysing is None:
            self.start(document)  # a request wants the answer now: no need to wait for the debounce
        waiter = asyncio.get_running_loop().create_future()
        document.waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, REQUEST_WAIT_SECONDS)
        except asyncio.TimeoutError:
            return None

    def publish(self, document: OpenDocument) -> None:
        snapshot = document.snapshot
        if snapshot is None:
            return
        if snapshot.problem is not None:
            self.say_once(snapshot.problem)
        encoding = self.encoding
        diagnostics = [convert.diagnostic(finding, snapshot.lines, document.uri, encoding) for finding in snapshot.findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=document.uri, diagnostics=diagnostics, version=snapshot.version))
        said = tuple(
            [(types.MessageType.Info, f"padlint: note: {snapshot.source.path}: {note}") for note in snapshot.notes]
            + [
                (types.MessageType.Warning, f"padlint: internal error in {snapshot.source.path} (padlint {__version__}): {error}; please report it")
                for error in snapshot.internal_errors
            ]
        )
        if said != document.logged:
            document.logged = said
            for kind, line in said:
                self.say(line, kind)

    def analyse_all(self) -> None:
        """The configuration changed: analyse every open document again."""
        for document in self.documents.values():
            document.snapshot = None
            self.start(document, anew=True)

    def configure(self, settings: Any) -> None:
        before = self.options
        self.options, problems = self.options.updated(settings)
        for problem in problems:
            self.say(f"padlint: {problem}", types.MessageType.Warning)
        if self.ready and before.inlay_hints != self.options.inlay_hints and self._supports("workspace", "inlay_hint", "refresh_support"):
            self.workspace_inlay_hint_refresh(None)


def guarded(handler: Callable) -> Callable:
    """Run a handler so that no exception leaves it: what went wrong is logged, the answer is None."""

    if asyncio.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def run_async(ls: PadlintServer, params: Any) -> Any:
            try:
                return await handler(ls, params)
            except Exception as bug:  # noqa: BLE001
                _failed(ls, handler, bug)
                return None

        return run_async

    @functools.wraps(handler)
    def run(ls: PadlintServer, params: Any) -> Any:
        try:
            return handler(ls, params)
        except Exception as bug:  # noqa: BLE001
            _failed(ls, handler, bug)
            return None

    return run


def _failed(ls: PadlintServer, handler: Callable, bug: Exception) -> None:
    logger.exception("%s failed", handler.__name__)
    try:
        ls.say(f"padlint: internal error in {handler.__name__} (padlint {__version__}): {type(bug).__name__}: {bug}; please report it", types.MessageType.Error)
    except Exception:  # noqa: BLE001 - the connection itself is gone
        pass


def _path(uri: str) -> str | None:
    try:
        return to_fs_path(uri) if uri.startswith("file:") else None
    except Exception:  # noqa: BLE001 - a malformed URI is an unsaved buffer to us
        return None


def build_server() -> PadlintServer:
    """The server with its features registered."""
    server = PadlintServer()

    @server.feature(types.INITIALIZE)
    @guarded
    def initialize(ls: PadlintServer, params: types.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = _path(params.workspace_folders[0].uri)
        if root is None and params.root_uri:
            root = _path(params.root_uri)
        ls.project = Workspace(root or params.root_path)
        ls.configure(params.initialization_options)

    @server.feature(types.INITIALIZED)
    @guarded
    def initialized(ls: PadlintServer, params: types.InitializedParams) -> None:
        ls.ready = True
        if ls._supports("workspace", "did_change_watched_files", "dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            registration = types.Registration(
                id="padlint-configuration",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.SHUTDOWN)
    @guarded
    def shutdown(ls: PadlintServer, params: Any) -> None:
        ls.shut_down = True
        for document in ls.documents.values():
            if document.timer is not None:
                document.timer.cancel()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded
    def did_open(ls: PadlintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = _path(item.uri)
        if not is_python(path, item.language_id):
            return
        document = OpenDocument(item.uri, ls.project.path_for(path, item.uri), item.text, item.version)
        ls.documents[item.uri] = document
        ls.start(document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    def did_change(ls: PadlintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return
        document.text = ls.workspace.get_text_document(document.uri).source
        document.version = params.text_document.version
        ls.changed(document, ls.options.debounce_ms / 1000)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded
    def did_save(ls: PadlintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(_path(uri) or "") in CONFIG_FILES:
            ls.project.reload()
            ls.analyse_all()
            return
        document = ls.documents.get(uri)
        if document is None:
            return
        if document.current:
            ls.publish(document)
        else:
            ls.start(document)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded
    def did_close(ls: PadlintServer, params: types.DidCloseTextDocumentParams) -> None:
        document = ls.documents.pop(params.text_document.uri, None)
        if document is None:
            return
        if document.timer is not None:
            document.timer.cancel()
        ls._release(document, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=document.uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded
    def did_change_configuration(ls: PadlintServer, params: types.DidChangeConfigurationParams) -> None:
        ls.configure(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    def did_change_watched_files(ls: PadlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(_path(change.uri) or "") in CONFIG_FILES for change in params.changes):
            ls.project.reload()
            ls.analyse_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    async def on_hover(ls: PadlintServer, params: types.HoverParams) -> types.Hover | None:
        snapshot = await ls.snapshot_of(params.text_document.uri)
        if snapshot is None or not snapshot.parsed:
            return None
        encoding = ls.encoding
        subject = snapshot.index.subject_at(convert.server_column(snapshot.lines, params.position, encoding))
        if subject is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover.hover_markdown(subject, snapshot.index, snapshot.source)),
            range=convert.client_range(snapshot.lines, subject.span, encoding),
        )

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guarded
    async def on_inlay_hint(ls: PadlintServer, params: types.InlayHintParams) -> list[types.InlayHint]:
        if not ls.options.inlay_hints:
            return []
        snapshot = await ls.snapshot_of(params.text_document.uri)
        if snapshot is None:
            return []
        return inlay.inlay_hints(snapshot, params.range.start.line + 1, params.range.end.line + 1, ls.encoding)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL], resolve_provider=False),
    )
    @guarded
    async def on_code_action(ls: PadlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        snapshot = await ls.snapshot_of(params.text_document.uri)
        if snapshot is None:
            return []
        only = [str(getattr(kind, "value", kind)) for kind in params.context.only] if params.context.only else None
        return actions.code_actions(snapshot, params.text_document.uri, params.range.start.line + 1, params.range.end.line + 1, ls.encoding, only)

    return server


def serve() -> int:
    """Serve on stdin and stdout until the client says exit: 0 after a shutdown request, 1 without one."""
    import padlint.run

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="padlint server: %(levelname)s: %(name)s: %(message)s")
    # The engine is loaded before the first document arrives, then frozen out of the
    # collector's way, as ``padlint check`` does (padlint.run.load_engine).
    padlint.run.startup_gc_paused = True
    padlint.run.load_engine()
    if not gc.isenabled():
        gc.enable()
    threading.stack_size(ANALYSIS_STACK_BYTES)
    # stdout carries the protocol: anything else printed goes to stderr.
    channel = sys.stdout.buffer
    sys.stdout = sys.stderr
    server = build_server()
    server.start_io(sys.stdin.buffer, channel)
    return 0 if server.shut_down else 1
