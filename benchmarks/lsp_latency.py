"""The language server's latency: from ``didChange`` to the diagnostics it publishes.

``python benchmarks/lsp_latency.py FILE EDITS`` starts ``padlint server`` (pygls'
own client drives it over stdio, as an editor would), opens FILE, then makes
EDITS changes, each an edit of a layer's argument as a user types it (version k
sets the first ``Dense(N`` to ``Dense(N+k``: every version is a text the server
has not seen, so no cache can answer it), and times each from
sending ``didChange`` to receiving the diagnostics of that version. The
debounce is set to 0 for the measurement: what an editor adds on top is the
debounce it is configured with (``debounceMs``, 200 ms by default), a
deliberate wait. Prints the times as JSON on stdout.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

#: Edits not timed while the server warms up (first analyses fill the engine's caches).
WARM_UP = 3
#: Longest wait for one version's diagnostics.
TIMEOUT = 60.0


def edited(text: str, version: int) -> str:
    """The text with the first ``Dense(N`` changed to ``Dense(N+version`` (version 0: the text itself)."""
    match = re.search(r"Dense\((\d+)", text)
    if match is None:
        raise SystemExit("lsp_latency: the file has no Dense(N) layer to edit")
    return text[: match.start(1)] + str(int(match.group(1)) + version) + text[match.end(1) :]


async def measure(path: Path, edits: int) -> dict:
    client = LanguageClient("padlint-benchmark", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            published.setdefault(params.version, time.perf_counter())
            arrived.set()

    script = Path(sys.executable).parent / "padlint"
    command = [str(script), "server"] if script.exists() else [sys.executable, "-m", "padlint", "server"]
    await client.start_io(*command, cwd=str(path.parent))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=path.parent.as_uri(),
            initialization_options={"debounceMs": 0, "inlayHints": True},
        )
    )
    client.initialized(types.InitializedParams())
    uri = path.as_uri()
    text = path.read_text()

    async def wait_for(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), TIMEOUT)
        return published[version]

    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=0, text=text)))
    await wait_for(0)
    times = []
    for version in range(1, edits + WARM_UP + 1):
        sent = time.perf_counter()
        change = types.TextDocumentContentChangeWholeDocument(text=edited(text, version))
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change])
        )
        received = await wait_for(version)
        if version > WARM_UP:
            times.append(received - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"seconds": times, "exit_code": client._server.returncode if client._server else None}


def main() -> int:
    path, edits = Path(sys.argv[1]).resolve(), int(sys.argv[2])
    print(json.dumps(asyncio.run(measure(path, edits))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
