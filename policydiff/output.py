"""Writing results safely: atomic files, no overwriting of inputs, CSV formula neutralising,
text made safe for terminals and XML."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence

from .errors import OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEMP_PREFIX = ".policydiff-"
TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 3600  # a temp file of ours this old, without a live writer, is left from a kill
UTF8_BOM = "\ufeff"

# Characters XML 1.0 cannot hold at all (GraphML and the XLSX parts are XML).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# C0/C1 controls but tab and newline; ESC is kept only where it starts a colour (SGR) sequence
# we wrote ourselves with click.style.
_TERMINAL_UNSAFE = re.compile("\x1b\\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters (OSC title/clipboard, cursor moves, bells) removed,
    colour sequences kept."""
    return _TERMINAL_UNSAFE.sub(lambda m: m.group(0) if m.group(0).startswith("\x1b[") else "", text)


def one_line(message: str) -> str:
    """A message for stderr on one line: newlines and other controls shown as escapes, not obeyed."""
    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group(0))[1:-1], message)


def xml_text(value: str) -> str:
    """``value`` without the characters XML cannot store (form feed, backspace, ESC…)."""
    return _XML_ILLEGAL.sub("", value)


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ gets a leading quote.

    Characters XML cannot hold are dropped too: openpyxl refuses them, and a CSV is often
    opened in the same spreadsheet programs.
    """
    if isinstance(value, str):
        value = xml_text(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (UTF-8 with BOM is added by :func:`write_output` for .csv files) with safe cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if _missing(v) else safe_cell(v) for v in row])
    return buf.getvalue()


def _missing(value: object) -> bool:
    # pandas gives NaN (a float) for a blank, None for a missing object, NA in nullable columns
    return value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType"


def frame_csv(frame, columns: Sequence[str] | None = None) -> str:
    """CSV text of a pandas DataFrame (all columns, or ``columns`` in that order), cells made safe."""
    columns = list(columns) if columns is not None else list(frame.columns)
    return csv_text(columns, frame[columns].itertuples(index=False, name=None))


# Names of our own standard streams: written through the stream itself. Re-opening them by
# name would start a second file offset on a redirected file (clobbering what stderr wrote).
STD_STREAMS = {"/dev/stdout": "stdout", "/dev/fd/1": "stdout", "/proc/self/fd/1": "stdout",
               "/dev/stderr": "stderr", "/dev/fd/2": "stderr", "/proc/self/fd/2": "stderr"}


def _write_stream(name: str, data: bytes) -> None:
    stream = getattr(sys, name)
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))
        stream.flush()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _direct(target: str, st: os.stat_result | None) -> bool:
    """Is ``target`` something to write into rather than replace? (/dev/null, a FIFO, /dev/stdout)."""
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        return True
    # /dev/stdout → /proc/self/fd/1 may resolve to a regular file the shell has open:
    # replacing it would detach the shell's descriptor from what we write
    return target.startswith(("/dev/", "/proc/"))


def remove_stale_temps(folder: str) -> None:
    """Remove temp files of our own pattern left by a killed run (their writer is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        path = os.path.join(folder, name)
        m = re.match(re.escape(TEMP_PREFIX) + r"(\d+)-", name)
        try:
            if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))) \
                    or now - os.lstat(path).st_mtime > STALE_TEMP_SECONDS:
                os.unlink(path)
        except OSError:
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def write_output(path: str, data: str | bytes, inputs: Iterable[str] = ()) -> None:
    """Write ``data`` to ``path`` atomically (temp file + rename), creating parent folders.

    - Refuses to overwrite any of ``inputs``: nothing the user wrote is lost.
    - A regular file is replaced atomically, keeping its permission bits (and owner, as root);
      a new file gets the umask's. A read-only file is refused, as by other tools.
    - A device or FIFO (/dev/null, /dev/stdout, a named pipe) is written into, never replaced.
    - A symlink is followed: the file it points to is replaced, the link stays.
    - A ``.csv`` file gets a UTF-8 BOM so that Excel reads Chinese correctly.
    Any failure is an :class:`OutputError` naming ``path``.
    """
    _write(path, data, _identities(inputs), sweep=True)


def write_outputs(files: dict[str, str | bytes], inputs: Iterable[str] = ()) -> None:
    """Write many files as :func:`write_output` does (a folder of per-plan files), in one pass:
    the inputs are identified once and each folder is swept for stale temp files once."""
    ids = _identities(inputs)
    swept: set[str] = set()
    for path, data in files.items():
        folder = os.path.dirname(os.path.realpath(os.path.abspath(path)))
        _write(path, data, ids, sweep=folder not in swept)
        swept.add(folder)


def _identities(paths: Iterable[str]) -> set[tuple[int, int]]:
    """(device, inode) of each path that exists: what an output must never be."""
    out = set()
    for src in paths:
        try:
            st = os.stat(src)
        except OSError:
            continue
        out.add((st.st_dev, st.st_ino))
    return out


def _write(path: str, data: str | bytes, inputs: set[tuple[int, int]], sweep: bool) -> None:
    """:func:`write_output` with the inputs' identities known, sweeping the folder or not."""
    if not path:
        raise OutputError("-o: empty file name; give a file name or leave -o out for stdout")
    if path.endswith(("/", os.sep)) or os.path.basename(path) in (".", ".."):
        raise OutputError(f"{path}: names a folder; give a file name (e.g. {path.rstrip('/')}/out.html)")
    if isinstance(data, str):
        if path.lower().endswith(".csv") and not data.startswith(UTF8_BOM):
            data = UTF8_BOM + data
        data = data.encode("utf-8")
    target = os.path.abspath(path)
    if target in STD_STREAMS:
        try:
            _write_stream(STD_STREAMS[target], data)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        return
    real = os.path.realpath(target)
    try:
        existing = os.stat(real)
    except OSError:
        existing = None
    if existing is not None and (existing.st_dev, existing.st_ino) in inputs:
        raise OutputError(f"{path}: refusing to overwrite an input file")
    try:
        # through symlinks: /dev/fd/N resolves to names like "pipe:[1234]" that only stat by the link
        st: os.stat_result | None = os.stat(target)
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a directory; give a file name")
    try:
        if _direct(target, st) or _direct(real, st):
            if st is None or not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISREG(st.st_mode)):
                raise OutputError(f"{path}: not a file, device or pipe policydiff can write to")
            with open(target, "ab" if st is not None and stat.S_ISREG(st.st_mode) else "wb") as fh:
                fh.write(data)
            return
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise OutputError(f"{path}: is not a regular file (a socket or block device); not replaced")
        if st is not None and (not st.st_mode & stat.S_IWUSR or not os.access(real, os.W_OK)):
            raise OutputError(f"{path}: is read-only; not overwritten")
        _replace(path, real, data, st, sweep)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or errno.errorcode.get(exc.errno, exc)})") from None


def _replace(path: str, real: str, data: bytes, st: os.stat_result | None, sweep: bool) -> None:
    folder = os.path.dirname(real)
    os.makedirs(folder, exist_ok=True)
    if sweep:
        remove_stale_temps(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if os.geteuid() == 0 and (st.st_uid, st.st_gid) != (0, 0):
                os.chown(tmp, st.st_uid, st.st_gid)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, real)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
