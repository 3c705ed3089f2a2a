"""``.gitignore`` patterns, matched in time linear in the path, whatever the patterns.

A repository's ignore files and configured excludes are the repository's text,
not padlint's: translated to one backtracking regular expression per pattern (as
the pathspec package does), ``**/a/**/a/**/a/**/a/**/a/**/b`` takes minutes on a
deep path, and ``*a*a*a*a*a*a*b`` explodes on a long name. Here a pattern is
matched one path component at a time (a set of reachable components, as an NFA
runs, for ``**``), and inside a component its ``*`` wildcards split it into
fixed-length pieces, each found at its leftmost place (which is enough when the
wildcards are free to absorb the rest). A pattern of P segments costs at most
P times the path's components, each a scan of the component.

Meaning follows git's (gitignore(5), wildmatch), which the tests compare with
``git check-ignore``:

- ``#`` comments, blank lines, ``!`` negation, ``\\`` escapes, trailing spaces
  dropped unless escaped; ``*``, ``?``, ``[...]`` (``[!...]``/``[^...]`` negate)
  never match ``/``;
- a pattern with a ``/`` at its start or middle is anchored to the base folder,
  one without matches a name at any depth; a trailing ``/`` matches folders
  only; ``**/``, ``/**/`` and ``/**`` match any number of folders;
- the last matching pattern decides; a file inside an ignored folder is ignored
  (git cannot re-include it).

Lines git cannot use (``!`` alone, a trailing lone ``\\``, an unclosed ``[``)
match nothing, instead of stopping the run (pathspec raised on them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STAR = object()


class _Invalid(ValueError):
    """A line that is no pattern (git ignores it)."""


@dataclass(frozen=True)
class _Glob:
    """One path component's glob: fixed-length pieces between ``*`` wildcards."""

    pieces: tuple[re.Pattern | None, ...]  # None: an empty piece
    lengths: tuple[int, ...]
    starred: bool
    #: A whole-component ``*``: any name but the empty one.
    nonempty: bool = False
    #: The name itself, when the glob has no wildcard (most do not: ``build``, ``node_modules``).
    literal: str | None = None

    def matches(self, name: str) -> bool:
        if self.literal is not None:
            return name == self.literal
        if self.nonempty:
            return bool(name)
        pieces, lengths = self.pieces, self.lengths
        if not self.starred:
            return len(name) == lengths[0] and (pieces[0] is None or pieces[0].fullmatch(name) is not None)
        first, last = lengths[0], lengths[-1]
        if first + last > len(name):
            return False
        if pieces[0] is not None and pieces[0].fullmatch(name, 0, first) is None:
            return False
        end = len(name) - last
        if pieces[-1] is not None and pieces[-1].fullmatch(name, end) is None:
            return False
        position = first
        for piece, length in zip(pieces[1:-1], lengths[1:-1]):
            if piece is None:
                continue
            found = piece.search(name, position, end)
            if found is None:
                return False
            position = found.end()
        return True


def _atoms(segment: str) -> list:
    """The glob as atoms: a one-character regular expression each, or _STAR (pathspec's translation)."""
    atoms: list = []
    index, end = 0, len(segment)
    while index < end:
        char = segment[index]
        index += 1
        if char == "\\":
            if index >= end:
                raise _Invalid("an escape with nothing to escape")
            atoms.append(re.escape(segment[index]))
            index += 1
        elif char == "*":
            atoms.append(_STAR)
        elif char == "?":
            atoms.append("[^/]")
        elif char == "[":
            close = index
            if close < end and segment[close] in "!^":
                close += 1
            if close < end and segment[close] == "]":
                close += 1
            while close < end and segment[close] != "]":
                close += 1
            if close >= end:
                raise _Invalid("an unclosed [")
            negate = segment[index] in "!^"
            body = segment[index + 1 if negate else index : close].replace("\\", "\\\\")
            atoms.append("[" + ("^" if negate else "") + body + "]")
            index = close + 1
        else:
            atoms.append(re.escape(char))
    return atoms


def _glob(segment: str) -> _Glob:
    if segment == "*":
        return _Glob((), (), True, nonempty=True)
    atoms = _atoms(segment)
    runs: list[list[str]] = [[]]
    for atom in atoms:
        if atom is _STAR:
            runs.append([])
        else:
            runs[-1].append(atom)
    try:
        pieces = tuple(re.compile("".join(run), re.DOTALL) if run else None for run in runs)
    except re.error as error:  # a bracket Python's regular expressions reject: git would not match it either
        raise _Invalid(str(error)) from None
    literal = None
    if len(runs) == 1 and all(atom[0] != "[" for atom in runs[0]):
        literal = re.sub(r"\\(.)", r"\1", "".join(runs[0]), flags=re.DOTALL)  # re.escape undone
    return _Glob(pieces, tuple(len(run) for run in runs), len(runs) > 1, literal=literal)


@dataclass(frozen=True)
class Pattern:
    """One compiled line: ``include`` True ignores (excludes), False re-includes (``!``)."""

    include: bool
    #: The components' globs; None stands for ``**`` between two of them.
    globs: tuple[_Glob | None, ...] = ()
    #: Starts with ``**/`` (or has no ``/``: a name matched at any depth).
    leading: bool = False
    #: Ends with ``/**``: matches what is inside the folder, not the folder.
    trailing: bool = False
    directory_only: bool = False
    #: ``**`` alone (or ``*``): every path.
    everything: bool = False

    def matches(self, components: list[str], is_directory: bool) -> bool:
        """Whether the pattern matches the path itself (split at ``/``), as git's wildmatch decides."""
        if self.directory_only and not is_directory:
            return False
        return len(components) in self.prefix_lengths(components)

    def name(self) -> str | None:
        """The name, for a pattern that is one plain name matched at any depth."""
        if self.leading and not self.trailing and len(self.globs) == 1 and self.globs[0] is not None:
            return self.globs[0].literal
        return None

    def prefix_lengths(self, components: list[str]) -> range | list[int]:
        """How many leading components make a path the pattern matches (the path itself, or a folder above)."""
        count = len(components)
        if self.everything:
            return range(1, count + 1)
        ends = self._ends(components)
        if not ends:
            return []
        if self.trailing:
            return range(ends[0] + 2, count + 1)
        return [end + 1 for end in ends]

    def _ends(self, components: list[str]) -> list[int]:
        """The components where the last glob can match, once the ones before have matched in order."""
        count = len(components)
        candidates: range | list[int] = range(count) if self.leading else [0]
        ends: list[int] = []
        skip = False
        for glob in self.globs:
            if glob is None:
                skip = True
                continue
            if skip:
                candidates = range(candidates[0], count) if candidates else []
                skip = False
            ends = [index for index in candidates if glob.matches(components[index])]
            if not ends:
                return []
            candidates = [index + 1 for index in ends if index + 1 < count]
        return ends


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go, unless escaped (``a\\ `` keeps one), as git trims them."""
    end = len(line)
    while end and line[end - 1] == " ":
        backslashes = len(line[:end - 1]) - len(line[:end - 1].rstrip("\\"))
        if backslashes % 2:
            break
        end -= 1
    return line[:end]


def compile_pattern(line: str) -> Pattern | None:
    """A line of an ignore file as a pattern; None for comments, blank and invalid lines."""
    line = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not line or line.startswith("#"):
        return None
    include = not line.startswith("!")
    if not include:
        line = line[1:]
    directory_only = line.endswith("/")
    if directory_only:
        line = line[:-1]
    if not line:
        return None
    if "/" in line:  # a separator at the start or in the middle: anchored to the base folder
        segments = line.removeprefix("/").split("/")
    else:
        segments = ["**", line]
    segments = [segment for index, segment in enumerate(segments) if not (segment == "**" and index and segments[index - 1] == "**")]
    if not segments or "" in segments:
        return None  # ``//`` or a lone ``/``: git matches nothing with it
    if segments == ["**"] or segments == ["**", "*"]:
        return Pattern(include, directory_only=directory_only, everything=True)
    leading = segments[0] == "**"
    trailing = len(segments) > 1 and segments[-1] == "**"
    inner = segments[1 if leading else 0 : len(segments) - 1 if trailing else len(segments)]
    try:
        globs = tuple(None if segment == "**" else _glob(segment) for segment in inner)
    except _Invalid:
        return None
    return Pattern(include, globs, leading, trailing, directory_only)


class IgnoreSpec:
    """The patterns of one ignore file (or one list of excludes), in order."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        #: Patterns that are a plain name at any depth (``build``, ``node_modules/``), by that name:
        #: only those naming a component of the path are tried.
        self._by_name: dict[str, list[int]] = {}
        self._others: list[int] = []
        for index, pattern in enumerate(patterns):
            name = pattern.name()
            if name is not None:
                self._by_name.setdefault(name, []).append(index)
            else:
                self._others.append(index)

    def _candidates(self, components: list[str]) -> list[Pattern]:
        """The patterns that may match the path, in their order (a plain name must be one of its components)."""
        if not self._by_name:
            return self.patterns
        indices = set(self._others)
        for component in components:
            indices.update(self._by_name.get(component, ()))
        return [self.patterns[index] for index in sorted(indices)]

    @classmethod
    def from_lines(cls, lines) -> IgnoreSpec:
        return cls([pattern for pattern in map(compile_pattern, lines) if pattern is not None])

    def _decide(self, components: list[str], is_directory: bool) -> bool | None:
        for pattern in reversed(self._candidates(components)):
            if pattern.matches(components, is_directory):
                return pattern.include
        return None

    def check(self, path: str, ancestors: bool = True) -> bool | None:
        """True: ignored, False: re-included by ``!``, None: no pattern matches.

        ``path`` is relative to the patterns' folder, with ``/`` separators and a
        trailing ``/`` for a folder. The last pattern matching the path decides; with
        ``ancestors``, a folder above it that is ignored ignores it first (git never
        re-includes a file of an ignored folder). A walk that never enters ignored
        folders passes ``ancestors=False``.
        """
        is_directory = path.endswith("/")
        components = path.removeprefix("./").strip("/").split("/")
        if not ancestors:
            return self._decide(components, is_directory)
        # One pass per pattern: the prefixes it matches are the folders above the path it matches.
        count = len(components)
        decided: list[bool | None] = [None] * (count + 1)  # by prefix length; count is the path itself
        for pattern in self._candidates(components):
            for length in pattern.prefix_lengths(components):
                if length < count or is_directory or not pattern.directory_only:
                    decided[length] = pattern.include
        if any(decided[length] for length in range(1, count)):
            return True
        return decided[count]

    def match(self, path: str) -> bool:
        """Whether the path (or a folder above it) is ignored."""
        return bool(self.check(path))
