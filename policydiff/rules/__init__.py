"""Chinese text rules kept as data: numbering grammar, jurisdiction words, agencies, regions.

Each table is a UTF-8 TSV; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources


@functools.cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``policydiff/rules/<name>`` as tuples of cells (comments and blanks skipped)."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(tuple(line.split("\t")))
    return tuple(rows)


@functools.cache
def fingerprint() -> str:
    """A short hash of every rule table: a stored result made under other rules is not reused."""
    digest = hashlib.sha256()
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
