"""Chinese text rules kept as data: numbering grammar, jurisdiction words, agencies, regions.

Each table is a UTF-8 TSV; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import functools
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
