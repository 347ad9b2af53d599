"""What a reader needs to cite a report: tool version, a command that reproduces it, the input
files with their SHA-256, the thresholds and a date.

The same block is the footer of every HTML page, the ``meta`` object of JSON and the ``meta``
sheet of XLSX. Outputs stay deterministic (same inputs, same bytes): the date is never the
clock. It is ``SOURCE_DATE_EPOCH`` when that is set (the reproducible-builds convention, so a
researcher who wants the day of the run sets ``SOURCE_DATE_EPOCH=$(date +%s)``), else left out;
the documents' own dates are always given with the inputs.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import shlex
from typing import Any

from .. import __version__
from ..model import Document

# Labels of the metadata rows: Chinese on the page, English in the tooltip and as JSON keys.
FIELDS = (("version", "版本", "policydiff version"), ("command", "命令", "command that reproduces this output"),
          ("inputs", "输入文件", "input files with SHA-256"), ("thresholds", "阈值", "thresholds"),
          ("date", "生成日期", "date (SOURCE_DATE_EPOCH)"))


def _sha256(doc: Document) -> tuple[str, str]:
    """SHA-256 of the file as read, or of the text for a plan given as a string or on stdin."""
    if doc.path and doc.path != "-" and os.path.isfile(doc.path):
        h = hashlib.sha256()
        with open(doc.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                h.update(block)
        return h.hexdigest(), "file"
    return hashlib.sha256(doc.text.encode("utf-8")).hexdigest(), "text"


def build_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as an ISO date (UTC), or None: never the clock, so bytes stay the same."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw.isdigit():
        return None
    return datetime.datetime.fromtimestamp(int(raw), tz=datetime.timezone.utc).date().isoformat()


def _name(doc: Document) -> str:
    return os.path.basename(doc.path) if doc.path and doc.path != "-" else (doc.path or "text")


def provenance(docs: list[tuple[str, Document]], command: str, thresholds: Any = None,
               options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The citation block for an output built from ``docs`` (role, document) by ``command``.

    ``command`` is the policydiff sub-command and its arguments, with input files named by their
    base name (run it in the folder that holds them): the same inputs give the same block on any
    machine, wherever the files live.
    """
    if thresholds is None:
        from ..align import DEFAULT as thresholds
    inputs = []
    for role, doc in docs:
        digest, of = _sha256(doc)
        entry = {"role": role, "name": _name(doc), "sha256": digest, "sha256_of": of}
        if doc.date:
            entry["date"] = doc.date
        inputs.append(entry)
    words = ["policydiff", *command.split(), *(_name(d) for _r, d in docs)]
    for key, value in (options or {}).items():
        words += [f"--{key.replace('_', '-')}", str(value)]
    out: dict[str, Any] = {"tool": "policydiff", "version": __version__, "command": shlex.join(words),
                           "inputs": inputs, "thresholds": dataclasses.asdict(thresholds)}
    if options:
        out["options"] = dict(options)
    date = build_date()
    if date:
        out["date"] = date
    return out


def meta_rows(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """The block as (key, value) rows for a spreadsheet sheet: one row per input and threshold."""
    rows = [("tool", meta["tool"]), ("version", meta["version"]), ("command", meta["command"])]
    for inp in meta["inputs"]:
        rows.append((f"input {inp['role']}", inp["name"]))
        rows.append((f"sha256 {inp['role']}", inp["sha256"] + ("" if inp["sha256_of"] == "file" else " (text)")))
        if inp.get("date"):
            rows.append((f"date {inp['role']}", inp["date"]))
    for key, value in (meta.get("options") or {}).items():
        rows.append((f"option {key}", str(value)))
    for key, value in meta["thresholds"].items():
        rows.append((f"threshold {key}", str(value)))
    if meta.get("date"):
        rows.append(("date", meta["date"]))
    return rows


def thresholds_line(meta: dict[str, Any]) -> str:
    """All thresholds on one line (for the HTML footer)."""
    return ", ".join(f"{k}={v}" for k, v in meta["thresholds"].items())
