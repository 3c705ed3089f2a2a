"""Escaping text that comes from the user's files before padlint prints it.

File names, layer and model names, messages quoting them and source lines are
the user's (or an attacker's) text. Printed raw, a newline in a layer name
starts a line of its own (a ``::error`` workflow command in a GitHub log, a fake
finding in a CI log), and an ESC or C1 byte drives the terminal (``\\x1b]0;``
retitles it, CSI sequences move the cursor or hide text). So every text output
passes what came from the user through :func:`printable`, which writes these
characters as Python escapes (``\\n``, ``\\x1b``, ``\\u202e``), and JSON outputs
through :func:`json_safe`.

Undecodable bytes of file names reach padlint as surrogate escapes
(``os.fsdecode``: byte 0xE9 is U+DCE9). They are kept, so a terminal and
``--show-files`` get the name's bytes back (:func:`stream_errors` writes them as
those bytes), except 0x80-0x9F, which are C1 controls in 8-bit terminals. Other
lone surrogates (``name="\\ud800"``) cannot be written at all and are escaped.
"""

from __future__ import annotations

import codecs
import re
from typing import TextIO

#: What printable() escapes: C0 controls, DEL, C1 controls, the Unicode line and paragraph
#: separators, the bidirectional embedding/override/isolate controls ("Trojan source"),
#: and lone surrogates other than those of file-name bytes 0xA0-0xFF.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udc9f\udd00-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: In JSON text (``json.dumps(ensure_ascii=False)``, which already escapes C0 controls and
#: quotes): the characters that JSON allows raw but a terminal or a strict UTF-8 reader does not.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a file name's byte, shown as that byte
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character, separator and unwritable surrogate escaped."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def json_safe(document: str) -> str:
    """JSON text with C1 controls, separators and lone surrogates as ``\\uXXXX`` escapes: still the
    same JSON value, and always encodable as UTF-8."""
    if _JSON_UNSAFE.search(document) is None:
        return document
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", document)


# ------------------------------------------------------------ writing to a stream

#: The codec error handler of padlint's output streams (see :func:`stream_errors`).
ERRORS = "padlint-escape"


def _unencodable(error: UnicodeError) -> tuple[str | bytes, int]:
    """A file name's undecodable byte (U+DC80-U+DCFF) is written as that byte; any other
    character the stream's encoding lacks becomes a backslash escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    char = error.object[error.start]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return bytes([code - 0xDC00]), error.start + 1
    return (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"), error.start + 1


codecs.register_error(ERRORS, _unencodable)


def stream_errors(stream: TextIO) -> None:
    """Make a text stream write what its encoding cannot (a box-drawing character on a Latin-1
    terminal, a file name's stray byte) instead of raising UnicodeEncodeError mid-report."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    try:
        reconfigure(errors=ERRORS)
    except (ValueError, OSError, TypeError):
        pass  # a stream that cannot be reconfigured (detached, or not a TextIOWrapper)


def can_encode(stream: TextIO, text: str) -> bool:
    """Whether the stream's encoding holds every character of ``text``."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
