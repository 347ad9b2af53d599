"""Rendering of :mod:`policydiff.versions`: version chains and suspect links as text, CSV and JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from ..versions import Suspects, VersionsReport


def suspects_text(items: Iterable[Suspects]) -> list[str]:
    """Terminal lines: per child, how many taken clauses are suspect, then each suspect."""
    out = []
    for s in items:
        name = s.child.title or os.path.basename(s.child.path)
        out.append(f"{name}: {len(s.suspects)} of {s.taken} clauses taken from {s.old.title} {s.old.year or ''}"
                   f" are suspect in {s.new.year or s.new.path}")
        for x in s.suspects:
            out.append(f"  {x.change:<8} {x.child_item:<12} ← {x.old_item:<12} {x.child_text[:40]}")
            if x.new_item:
                out.append(f"  {'':<8} {'now':<12}   {x.new_item:<12} {x.new_text[:40]}")
    return out


def versions_text(rep: VersionsReport) -> str:
    """The chains, then each child's suspect links."""
    out = [f"{len(rep.chains)} version chains"]
    for c in rep.chains:
        out.append(f"  {c.title} ({c.region or '—'}): " + " → ".join(str(y) for y in c.years))
        out += [f"    {y}  {p}" for p, y in zip(c.paths, c.years, strict=True)]
    out += ["", f"{len(rep.children)} children of an old version"]
    out += suspects_text(rep.children)
    return "\n".join(out) + "\n"


CSV_COLUMNS = ["child", "old", "new", "child_item", "child_text", "taken", "old_item", "old_text", "change",
               "new_item", "new_text"]


def suspects_csv(items: Iterable[Suspects], rel=lambda p: p) -> str:
    """One row per suspect link."""
    from ..output import csv_text

    rows = [[rel(s.child.path), rel(s.old.path), rel(s.new.path), x.child_item, x.child_text, x.taken,
             x.old_item, x.old_text, x.change, x.new_item, x.new_text] for s in items for x in s.suspects]
    return csv_text(CSV_COLUMNS, rows)


def versions_json(rep: VersionsReport, root: str | None = None) -> str:
    """JSON text of :meth:`VersionsReport.to_dict`."""
    return json.dumps(rep.to_dict(root), ensure_ascii=False, indent=2) + "\n"
