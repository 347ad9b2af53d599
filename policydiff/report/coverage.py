"""The coverage audit: does the child plan cover every task of the parent plan?

A *task* is a parent outline item that carries work (an item with body sentences, or a leaf
item, or an appendix table row). Its relation is taken from its sentences: dropped when none
of them survives, else copied / localized / adapted. Coverage is the share of tasks that are
copied, localized or adapted.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..classify import aggregate_relation
from ..model import Comparison, Item

COLUMNS = ["status", "parent_item", "task", "responsible", "relation", "kept", "score", "child_item",
           "child_task", "child_responsible"]


@dataclass(frozen=True)
class TaskRow:
    """One parent task and what became of it."""

    parent_item: str
    task: str
    responsible: tuple[str, ...]
    relation: str
    kept: float  # share of the task's sentences that have a counterpart
    score: float
    child_item: str
    child_task: str
    child_responsible: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return self.relation in ("copied", "localized", "adapted")


@dataclass(frozen=True)
class CoverageReport:
    """All task rows of one parent → child comparison."""

    cmp: Comparison
    rows: tuple[TaskRow, ...]

    @property
    def coverage(self) -> float:
        return sum(r.covered for r in self.rows) / len(self.rows) if self.rows else 0.0

    def to_frame(self):
        """A pandas DataFrame with one row per parent task."""
        import pandas as pd

        return pd.DataFrame([_record(r) for r in self.rows], columns=COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.cmp.parent.meta(), "child": self.cmp.child.meta(),
                "coverage": round(self.coverage, 4), "tasks": len(self.rows),
                "covered": sum(r.covered for r in self.rows), "rows": [_record(r) for r in self.rows]}


def _record(r: TaskRow) -> dict[str, Any]:
    return {"status": "covered" if r.covered else "MISSING", "parent_item": r.parent_item, "task": r.task,
            "responsible": "、".join(r.responsible), "relation": r.relation, "kept": round(r.kept, 4),
            "score": round(r.score, 4), "child_item": r.child_item, "child_task": r.child_task,
            "child_responsible": "、".join(r.child_responsible)}


def _is_task(item: Item, has_children: bool, n_body: int) -> bool:
    if item.kind == "appendix":
        return False
    return n_body > 0 or (not has_children and item.kind != "preamble")


def coverage(cmp: Comparison) -> CoverageReport:
    """Build the coverage audit of a comparison."""
    parent = cmp.parent
    children_of = Counter(it.parent_id for it in parent.items if it.parent_id)
    pairs_by_item: dict[str, list] = {}
    for p in cmp.pairs:
        if p.parent is not None:
            pairs_by_item.setdefault(p.parent.item_id, []).append(p)
    rows = []
    for it in parent.items:
        sents = parent.sentences_of(it.id)
        body = [s for s in sents if s.text.rstrip("。；") != it.title]
        if not _is_task(it, children_of[it.id] > 0, len(body)):
            continue
        pairs = pairs_by_item.get(it.id, [])
        # one row per parent sentence: splits share a parent, so count each parent sentence once
        best: dict[str, Any] = {}
        for p in pairs:
            if p.parent.id not in best or p.score > best[p.parent.id].score:
                best[p.parent.id] = p
        kept_pairs = [p for p in best.values() if p.relation != "dropped"]
        kept = len(kept_pairs) / len(best) if best else 0.0
        relation = aggregate_relation(p.relation for p in best.values()) if kept_pairs else "dropped"
        score = sum(p.score for p in best.values()) / len(best) if best else 0.0
        child_items = Counter(p.child.item_id for p in kept_pairs)
        child_item = cmp.child.item(child_items.most_common(1)[0][0]) if child_items else None
        units: list[str] = []
        for s in sents:
            units += [u for u in s.responsible if u not in units]
        child_units: list[str] = []
        if child_item is not None:
            for s in cmp.child.sentences_of(child_item.id):
                child_units += [u for u in s.responsible if u not in child_units]
        rows.append(TaskRow(
            parent_item=it.path, task=it.title or (body[0].text if body else ""), responsible=tuple(units),
            relation=relation, kept=kept, score=score,
            child_item=child_item.path if child_item else "",
            child_task=(child_item.title or _first(cmp, child_item)) if child_item else "",
            child_responsible=tuple(child_units)))
    return CoverageReport(cmp, tuple(rows))


def _first(cmp: Comparison, item: Item) -> str:
    sents = cmp.child.sentences_of(item.id)
    return sents[0].text if sents else ""


def coverage_text(rep: CoverageReport) -> str:
    """Terminal table, uncovered tasks first."""
    rows = sorted(rep.rows, key=lambda r: (r.covered, r.kept))
    out = [f"coverage of {rep.cmp.parent.title} by {rep.cmp.child.title}: "
           f"{sum(r.covered for r in rep.rows)}/{len(rep.rows)} tasks = {rep.coverage:.1%}", ""]
    for r in rows:
        mark = "✓" if r.covered else "✗"
        task = r.task[:40] + ("…" if len(r.task) > 40 else "")
        where = f"→ {r.child_item}" if r.child_item else "→ (none)"
        unit = f"  [{'、'.join(r.responsible[:3])}{'…' if len(r.responsible) > 3 else ''}]" if r.responsible else ""
        out.append(f"{mark} {r.parent_item:<9} {r.relation:<9} kept {r.kept:4.0%} {where:<12} {task}{unit}")
    return "\n".join(out) + "\n"


def coverage_csv(rep: CoverageReport) -> str:
    from ..output import frame_csv

    return frame_csv(rep.to_frame(), COLUMNS)


def coverage_xlsx(rep: CoverageReport) -> bytes:
    """An Excel workbook: frozen header, filters, formula-like cells neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..output import safe_cell

    wb = Workbook()
    ws = wb.active
    ws.title = "coverage"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    missing = PatternFill("solid", fgColor="FDE2E1")
    for rec in rep.to_frame().to_dict("records"):
        ws.append([safe_cell(rec[c]) for c in COLUMNS])
        if rec["status"] == "MISSING":
            for cell in ws[ws.max_row]:
                cell.fill = missing
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col, width in zip("ABCDEFGHIJ", (10, 10, 50, 30, 10, 7, 7, 10, 50, 30), strict=True):
        ws.column_dimensions[col].width = width
    # fixed timestamps so the same inputs give the same bytes
    import datetime

    stamp = datetime.datetime(2000, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _normalize_zip(buf.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member times (openpyxl stamps the current time)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def coverage_html(rep: CoverageReport) -> str:
    """A sortable HTML table (self-contained)."""
    from .. import __version__
    from .diff import environment

    return environment().get_template("coverage.html.j2").render(
        version=__version__, rep=rep, rows=rep.to_frame().to_dict("records"), columns=COLUMNS,
        parent=rep.cmp.parent, child=rep.cmp.child, coverage=rep.coverage)
