"""File operations that a hostile repository cannot turn against the user.

A checkout is someone else's tree: a committed symbolic link can point a file
padlint writes (``.padlint_cache/.gitignore -> ~/.config/git/ignore``) or a folder
it fills (``.padlint_cache -> ~/Documents``) anywhere, and a ``.gitignore`` or
``pyproject.toml`` can be a link to ``/dev/zero`` (never ends) or a named pipe
(never answers). So:

- :func:`read_regular` reads only regular files, never blocking, up to a size;
  optionally without following a link (as git reads ``.gitignore``);
- :class:`Folder` creates and reads what lies inside a folder without following
  links: each step opens the next folder relative to the one before
  (``openat`` with ``O_NOFOLLOW``), so no link inside, committed or raced in,
  is ever followed, and files are created exclusively (``O_EXCL``: not through an
  existing name, link or not) and renamed into place;
- :func:`replace_file` rewrites a file atomically (a temporary file in the same
  folder, fsync, rename), keeping its mode, and only if it still holds what was read.

Where ``openat`` is missing (Windows), the same checks are made on paths with
``lstat`` (a link raced in between the check and the use is not caught there).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: Whether folders can be opened and used as handles (POSIX ``openat``).
HANDLES = bool(_NOFOLLOW and _DIRECTORY) and {os.open, os.mkdir, os.replace, os.unlink} <= os.supports_dir_fd


class NotRegular(OSError):
    """The path is not a regular file (a folder, device, pipe or socket), or is a link where none is followed."""


class TooLarge(OSError):
    """The file is larger than the caller reads."""


class Changed(OSError):
    """The file no longer holds what was read: someone saved it meanwhile."""


def kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "special"


def _read_descriptor(descriptor: int, limit: int) -> bytes:
    """The whole regular file open on ``descriptor``, refusing anything else or more than ``limit`` bytes."""
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegular(f"not a regular file ({kind(mode)})")
    chunks = []
    size = 0
    while size <= limit:
        chunk = os.read(descriptor, min(2**24, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise TooLarge(f"larger than {limit:,} bytes")
    return b"".join(chunks)


def read_regular(path: str | os.PathLike, limit: int, follow_symlinks: bool = True, dir_fd: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; OSError (NotRegular, TooLarge, or the
    system's) otherwise. Opening never blocks: a named pipe is refused, not waited on."""
    flags = os.O_RDONLY | _NONBLOCK | _BINARY | _CLOEXEC
    if not follow_symlinks:
        if not _NOFOLLOW and os.path.islink(path):
            raise NotRegular("not a regular file (a symbolic link)")
        flags |= _NOFOLLOW
    try:
        descriptor = os.open(path, flags, dir_fd=dir_fd) if dir_fd is not None else os.open(path, flags)
    except OSError as error:
        if not follow_symlinks and error.errno == errno.ELOOP:  # the last part is a link
            raise NotRegular("not a regular file (a symbolic link)") from None
        raise
    try:
        return _read_descriptor(descriptor, limit)
    finally:
        os.close(descriptor)


# ------------------------------------------------------------ folders without links


class Folder:
    """A folder reached without following a symbolic link in its last part, and the files in it.

    Open it with :meth:`open` (which refuses a link), go down with :meth:`child`,
    and close it (or use ``with``). Every method raises OSError on failure; callers
    that may do without (the cache) treat that as "skip".
    """

    def __init__(self, path: str, descriptor: int | None) -> None:
        self.path = path
        self._descriptor = descriptor

    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = False) -> Folder:
        """The folder at ``path``; with ``create``, made first if missing (its parents too: those are
        the user's choice, followed as given). A symbolic link at ``path`` itself is refused."""
        path = os.fspath(path)
        if create:
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
            try:
                os.mkdir(path, 0o777)
            except FileExistsError:
                pass
        if not HANDLES:
            _refuse_link(path)
            return cls(path, None)
        try:
            return cls(path, os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC))
        except OSError as error:
            if error.errno in (errno.ENOTDIR, errno.ELOOP):  # a link (or a file) where a folder should be
                _refuse_link(path)
            raise

    def child(self, name: str, create: bool = False) -> Folder:
        """The folder ``name`` inside this one (made when missing, with ``create``); never a link."""
        if create:
            try:
                if self._descriptor is not None:
                    os.mkdir(name, 0o777, dir_fd=self._descriptor)
                else:
                    os.mkdir(os.path.join(self.path, name), 0o777)
            except FileExistsError:
                pass
        joined = os.path.join(self.path, name)
        if self._descriptor is None:
            _refuse_link(joined)
            return Folder(joined, None)
        return Folder(joined, os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=self._descriptor))

    def read(self, name: str, limit: int) -> bytes:
        """A regular file of this folder (not a link), of at most ``limit`` bytes."""
        if self._descriptor is None:
            return read_regular(os.path.join(self.path, name), limit, follow_symlinks=False)
        return read_regular(name, limit, follow_symlinks=False, dir_fd=self._descriptor)

    def create(self, name: str, data: bytes) -> bool:
        """Write a new file; False when the name exists already (a file or a link: neither is touched)."""
        try:
            descriptor = self._open_new(name)
        except FileExistsError:
            return False
        self._fill(descriptor, data, name)
        return True

    def replace(self, name: str, data: bytes, unique: str) -> None:
        """Write ``name`` whole or not at all: a new temporary file (named with ``unique``), renamed over it."""
        temporary = f".{name}.{unique}.tmp"
        self._fill(self._open_new(temporary), data, temporary)
        try:
            if self._descriptor is not None:
                os.replace(temporary, name, src_dir_fd=self._descriptor, dst_dir_fd=self._descriptor)
            else:
                os.replace(os.path.join(self.path, temporary), os.path.join(self.path, name))
        except OSError:
            self._unlink(temporary)
            raise

    def _open_new(self, name: str) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | _CLOEXEC
        if self._descriptor is not None:
            return os.open(name, flags, 0o666, dir_fd=self._descriptor)
        return os.open(os.path.join(self.path, name), flags, 0o666)

    def _fill(self, descriptor: int, data: bytes, name: str) -> None:
        try:
            _write_all(descriptor, data)
        except OSError:
            os.close(descriptor)
            self._unlink(name)
            raise
        os.close(descriptor)

    def _unlink(self, name: str) -> None:
        try:
            if self._descriptor is not None:
                os.unlink(name, dir_fd=self._descriptor)
            else:
                os.unlink(os.path.join(self.path, name))
        except OSError:
            pass

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


def _refuse_link(path: str) -> None:
    if os.path.islink(path):
        raise NotRegular(f"{path} is a symbolic link")


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


# ------------------------------------------------------------ rewriting a file


def replace_file(path: str | os.PathLike, data: bytes, expected: bytes, unique: str) -> None:
    """Replace the regular file at ``path`` with ``data``, atomically, if it still holds ``expected``.

    The new text goes to a temporary file beside it (same folder, so the rename
    stays on one file system), with the file's permission bits (and owner, where
    allowed), is flushed to disk, and is renamed over the file only after the file
    is read again and found unchanged (else :class:`Changed`, and the temporary
    file is removed). A process killed at any moment leaves the file whole, old or
    new (and possibly a ``.NAME.UNIQUE.tmp`` beside it). ``path`` must not be a
    link: the caller resolves it (a rename would replace the link itself).
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    status = os.lstat(path)
    if not stat.S_ISREG(status.st_mode):
        raise NotRegular(f"not a regular file ({kind(status.st_mode)})")
    temporary = os.path.join(folder, f".{name}.{unique}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | _CLOEXEC, 0o600)
    try:
        try:
            _write_all(descriptor, data)
            if hasattr(os, "fchown"):
                try:
                    os.fchown(descriptor, status.st_uid, status.st_gid)
                except OSError:
                    pass  # not ours to give away: the new file keeps this process's owner
            if hasattr(os, "fchmod"):
                os.fchmod(descriptor, stat.S_IMODE(status.st_mode))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if not hasattr(os, "fchmod"):
            os.chmod(temporary, stat.S_IMODE(status.st_mode))
        try:
            unchanged = read_regular(path, len(expected), follow_symlinks=False) == expected
        except TooLarge:
            unchanged = False
        if not unchanged:
            raise Changed("the file changed since it was read")
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Flush the rename to disk (a crash right after it could otherwise bring the old name back)."""
    if not _DIRECTORY:
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def inside(path: str | os.PathLike, roots: list[Path]) -> bool:
    """Whether a resolved path lies in (or is) one of the resolved roots."""
    resolved = Path(os.path.realpath(path))
    return any(resolved == root or root in resolved.parents for root in roots)
