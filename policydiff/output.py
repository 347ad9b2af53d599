"""Writing results safely: atomic files, no overwriting of inputs, CSV formula neutralising."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence

from .errors import OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (UTF-8 with BOM is added by :func:`write_output` for .csv files) with safe cells."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()


def frame_csv(frame, columns: Sequence[str] | None = None) -> str:
    """CSV text of a pandas DataFrame (all columns, or ``columns`` in that order), cells made safe."""
    columns = list(columns) if columns is not None else list(frame.columns)
    return csv_text(columns, frame[columns].itertuples(index=False, name=None))


def write_output(path: str, data: str | bytes, inputs: Iterable[str] = ()) -> None:
    """Write ``data`` to ``path`` atomically (temp file + rename), creating parent folders.

    Refuses to overwrite any of ``inputs``: nothing the user wrote is lost.
    """
    target = os.path.abspath(path)
    for src in inputs:
        try:
            if os.path.exists(target) and os.path.samefile(target, src):
                raise OutputError(f"{path}: refusing to overwrite an input file")
        except OSError:
            continue
    if os.path.isdir(target):
        raise OutputError(f"{path}: is a directory; give a file name")
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".policydiff-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
