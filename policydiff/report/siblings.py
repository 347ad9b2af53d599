"""Rendering of :class:`policydiff.siblings.Siblings` (heat map) and :class:`~policydiff.siblings.Depth`
(three-level coverage): terminal text, CSV, XLSX, JSON, self-contained HTML."""

from __future__ import annotations

import json
import os

from ..family import DEPTH_STATUSES, Depth, Siblings, _name


def siblings_text(sib: Siblings) -> str:
    """The per-child figures, then the tasks kept by all, some and none of the children."""
    out = [f"{sib.parent.title}: {len(sib.tasks)} tasks, {len(sib.children)} children", ""]
    out.append(f"{'child':<22}{'clauses':>8}{'copied':>8}{'local.':>8}{'adapted':>8}{'added':>8}"
               f"{'tasks':>8}{'relay':>8}{'再生产':>8}")
    for c in sib.per_child():
        name = " ".join(str(x) for x in (c["region"], c["year"]) if x) or os.path.basename(c["path"])
        out.append(f"{name:<22}{c['clauses']:>8}" + "".join(
            f"{c[k]:>8.1%}" for k in ("copied_share", "localized_share", "adapted_share", "added_share",
                                       "task_coverage", "relay_index", "reproduction")))
    tasks = sib.per_task()
    for reach, head in (("all", "reached every child"), ("some", "reached some children"), ("none", "reached none")):
        rows = [t for t in tasks if t["reach"] == reach]
        out += ["", f"{len(rows)} tasks {head}"]
        for t in rows[:40]:
            out.append(f"  {t['label']:<8} kept {t['kept']} adapted {t['adapted']} dropped {t['dropped']}"
                       f"  {t['task'][:50]}")
    if sib.clusters:
        out += ["", f"{len(sib.clusters)} clauses added by several children"]
        for cl in sib.clusters[:20]:
            out.append("  " + " ‖ ".join(f"{_name(sib.children[k])}: {s.text[:40]}" for k, s in cl))
    return "\n".join(out) + "\n"


def siblings_json(sib: Siblings) -> str:
    """JSON text of :meth:`Siblings.to_dict`."""
    return json.dumps(sib.to_dict(), ensure_ascii=False, indent=1) + "\n"


def siblings_csv(sib: Siblings) -> str:
    """The task × child matrix as CSV."""
    from ..output import frame_csv

    frame = sib.to_frame()
    return frame_csv(frame, list(frame.columns))


def siblings_xlsx(sib: Siblings) -> bytes:
    """A workbook: the matrix (cells coloured by relation) and the per-child figures."""

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..output import safe_cell

    fills = {"copied": "F4F4F4", "localized": "E3F1FB", "adapted": "FFF4D6", "dropped": "FDE2E1"}
    wb = Workbook()
    ws = wb.active
    ws.title = "matrix"
    names = [_name(c) for c in sib.children]
    ws.append(["item", "label", "task", *names])
    for task, row in zip(sib.tasks, sib.cells, strict=True):
        ws.append([safe_cell(task.item), safe_cell(task.label), safe_cell(task.text),
                   *[f"{c.relation} {c.kept:.0%}" for c in row]])
        for k, cell in enumerate(row):
            ws.cell(ws.max_row, 4 + k).fill = PatternFill("solid", fgColor=fills[cell.relation])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "D2"
    wc = wb.create_sheet("children")
    keys = ["clauses", "copied_share", "localized_share", "adapted_share", "added_share", "dropped_share",
            "task_coverage", "relay_index", "reproduction"]
    wc.append(["child", *keys])
    for c in sib.per_child():
        wc.append([safe_cell(c["title"] or c["path"]), *[c[k] for k in keys]])
    wb.properties.creator = "policydiff"
    from .coverage import workbook_bytes

    return workbook_bytes(wb)


def siblings_html(sib: Siblings, report_links: list[str] | None = None) -> str:
    """A self-contained heat map; ``report_links[k]`` is child k's diff report (relative), if written."""
    from .. import __version__
    from .diff import environment

    children = [{"name": _name(c), "path": c.path} for c in sib.children]
    per_task = sib.per_task()
    rows = []
    for row, t in zip(sib.cells, per_task, strict=True):
        cells = [{"relation": c.relation, "kept_pct": round(c.kept * 100), "child_item": c.child_item,
                  "link": report_links[k] if report_links and report_links[k] else ""}
                 for k, c in enumerate(row)]
        rows.append({**t, "cells": cells})
    per_child = [{**c, "name": _name(d)} for c, d in zip(sib.per_child(), sib.children, strict=True)]
    clusters = [[{"name": _name(sib.children[k]), "text": s.text} for k, s in cl] for cl in sib.clusters]
    return environment().get_template("siblings.html.j2").render(
        version=__version__, parent=sib.parent, children=children, rows=rows, per_child=per_child,
        clusters=clusters)


def _printed(doc, path: str) -> str:
    """An item path (2.20) as printed in the document (第二十条, 第二十四条（五）)."""
    from ..versions import label

    it = next((it for it in doc.items if it.path == path), None) if path else None
    return label(doc, it.id) if it is not None else path


def _depth_places(d: Depth) -> tuple[list[str], list[list[str]]]:
    """Where the child and each grandchild carry each task, as printed ('' where they do not)."""
    child = [_printed(d.child, p) for p in d.child_items] if d.child_items else [""] * len(d.tasks)
    grand = [[_printed(g, p) for g, p in zip(d.grandchildren, row, strict=True)] for row in d.where] \
        if d.where else [[""] * len(d.grandchildren) for _ in d.tasks]
    return child, grand


def _depth_names(d: Depth) -> list[str]:
    return [g.region or os.path.basename(g.path) for g in d.grandchildren]


def depth_text(d: Depth) -> str:
    """Reach per grandchild, then the tasks that are shallow or orphan somewhere."""
    names = _depth_names(d)
    lines = [f"{d.parent.title} → {d.child.title} → {', '.join(names)}: {len(d.tasks)} tasks"]
    for k, name in enumerate(names):
        lines.append(f"  {name}: reached {d.reached(k):.1%}  "
                     + "  ".join(f"{s} {n}" for s, n in d.counts(k).items()))
    lines.append("")
    for t, cov, row in zip(d.tasks, d.child_covers, d.statuses, strict=True):
        if any(x in ("shallow", "orphan") for x in row):
            lines.append(f"  {t.label:<8} {'covered' if cov else 'missing':<8} " + " ".join(f"{x:<9}" for x in row)
                         + f" {t.text[:40]}")
    return "\n".join(lines) + "\n"


def depth_csv(d: Depth) -> str:
    """One row per parent task: the child's status, then one status column per grandchild."""
    from ..output import csv_text

    rows = [[t.item, t.label, t.text, "covered" if cov else "missing", *row]
            for t, cov, row in zip(d.tasks, d.child_covers, d.statuses, strict=True)]
    return csv_text(["item", "label", "task", d.child.region or "child", *_depth_names(d)], rows)


def depth_json(d: Depth) -> str:
    """JSON text of :meth:`Depth.to_dict`."""
    return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"


DEPTH_FILLS = {"deep": "E3F6E3", "shallow": "FFF4D6", "orphan": "E3F1FB", "uncovered": "FDE2E1"}


def depth_xlsx(d: Depth) -> bytes:
    """A workbook: the task × grandchild statuses (coloured, with the item each level put it in) and the reach."""

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..output import safe_cell
    from .coverage import workbook_bytes

    names = _depth_names(d)
    child_at, grand_at = _depth_places(d)
    wb = Workbook()
    ws = wb.active
    ws.title = "depth"
    ws.append(["item", "label", "task", d.child.region or "child", "child item",
               *[x for n in names for x in (n, f"{n} item")]])
    for k, (t, cov, row) in enumerate(zip(d.tasks, d.child_covers, d.statuses, strict=True)):
        pairs = [x for s, w in zip(row, grand_at[k], strict=True) for x in (s, safe_cell(w))]
        ws.append([safe_cell(t.item), safe_cell(t.label), safe_cell(t.text), "covered" if cov else "missing",
                   safe_cell(child_at[k]), *pairs])
        if not cov:
            ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=DEPTH_FILLS["uncovered"])
        for j, status in enumerate(row):
            ws.cell(ws.max_row, 6 + 2 * j).fill = PatternFill("solid", fgColor=DEPTH_FILLS[status])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = ws.dimensions
    ws.column_dimensions["C"].width = 50
    wr = wb.create_sheet("reach")
    wr.append(["grandchild", "path", "reached", *DEPTH_STATUSES])
    for k, (name, g) in enumerate(zip(names, d.grandchildren, strict=True)):
        wr.append([safe_cell(name), safe_cell(g.path), round(d.reached(k), 4), *d.counts(k).values()])
    for cell in wr[1]:
        cell.font = Font(bold=True)
    wb.properties.creator = "policydiff"
    return workbook_bytes(wb)


def depth_html(d: Depth) -> str:
    """A self-contained page: reach per grandchild and a sortable, filterable task × grandchild grid."""
    from .. import __version__
    from .diff import environment

    names = _depth_names(d)
    grand = [{"name": n, "path": g.path, "reached_pct": round(d.reached(k) * 100, 1), "counts": d.counts(k)}
             for k, (n, g) in enumerate(zip(names, d.grandchildren, strict=True))]
    child_at, grand_at = _depth_places(d)
    rows = []
    for k, (t, cov, row) in enumerate(zip(d.tasks, d.child_covers, d.statuses, strict=True)):
        rows.append({"item": t.item, "label": t.label, "task": t.text, "child": "covered" if cov else "missing",
                     "child_item": child_at[k],
                     "cells": [{"status": s, "where": w} for s, w in zip(row, grand_at[k], strict=True)],
                     "flag": " ".join(sorted({s for s in row if s in ("shallow", "orphan")}))})
    definitions = d.to_dict()["definitions"]
    return environment().get_template("depth.html.j2").render(
        version=__version__, parent=d.parent, child=d.child, child_name=d.child.region or d.child.path,
        grand=grand, rows=rows, statuses=DEPTH_STATUSES, definitions=definitions)
