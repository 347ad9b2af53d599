"""family (the `siblings` command): one parent × N children — which tasks each child kept, rewrote, added.

For each parent task (an outline item with work in it, as in the coverage audit) and each child:
the task's relation in that child (copied / localized / adapted / dropped) and the share of its
clauses kept. Per task: how many children kept (copied or localized), adapted or dropped it.
Per child, over the child's own clauses:

- **relay index** (二传手指数) = (copied + localized child clauses) / child clauses: how much of
  the child only passes the parent on;
- **再生产系数** (reproduction coefficient) = (adapted + added child clauses) / child clauses
  = 1 − relay index: how much of the child is its own (rewritten or new) content.

Clauses several children add independently (fuzzy-equal after jurisdiction masking) are listed
as clusters: often the trace of a common source the parent does not have.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .model import Comparison, Document, Sentence

CLUSTER_SCORE = 0.6  # masked-text similarity of two added clauses of different children, same cluster
CLUSTER_MIN_LEN = 8  # shorter added clauses (headings like 附则) are not clustered


@dataclass(frozen=True)
class Cell:
    """What one child made of one parent task."""

    relation: str  # copied | localized | adapted | dropped
    kept: float  # share of the task's clauses with a counterpart
    child_item: str  # where it went in the child ('' if dropped)


@dataclass(frozen=True)
class Task:
    """One parent task, as a row of the matrix."""

    item: str  # canonical path
    label: str  # as printed (第十九条, （三）, 3.)
    text: str


@dataclass
class Siblings:
    """The comparison of one parent with several children."""

    parent: Document
    children: tuple[Document, ...]
    comparisons: tuple[Comparison, ...]
    tasks: tuple[Task, ...]
    cells: tuple[tuple[Cell, ...], ...]  # [task][child]
    clusters: list[list[tuple[int, Sentence]]] = field(default_factory=list)  # (child index, clause)

    def per_task(self) -> list[dict[str, Any]]:
        """For each task: how many children kept, adapted, dropped it, and whether all, some or none kept it."""
        out = []
        n = len(self.children)
        for task, row in zip(self.tasks, self.cells, strict=True):
            c = Counter(cell.relation for cell in row)
            kept = c["copied"] + c["localized"]
            present = n - c["dropped"]
            out.append({"item": task.item, "label": task.label, "task": task.text, "kept": kept,
                        "adapted": c["adapted"], "dropped": c["dropped"],
                        "reach": "all" if present == n else "none" if present == 0 else "some"})
        return out

    def per_child(self) -> list[dict[str, Any]]:
        """For each child: shares of its clauses by relation, relay index, 再生产系数, added clauses."""
        out = []
        for doc, cmp in zip(self.children, self.comparisons, strict=True):
            best: dict[str, str] = {}
            order = ("copied", "localized", "adapted")
            for p in cmp.pairs:
                if p.child is not None and p.relation != "added":
                    old = best.get(p.child.id)
                    if old is None or order.index(p.relation) < order.index(old):
                        best[p.child.id] = p.relation
            total = len(doc.sentences) or 1
            counts = Counter(best.get(s.id, "added") for s in doc.sentences)
            relay = (counts["copied"] + counts["localized"]) / total
            dropped = sum(1 for p in cmp.pairs if p.relation == "dropped")
            out.append({"path": doc.path, "title": doc.title, "region": doc.region, "year": doc.year,
                        "clauses": len(doc.sentences),
                        **{f"{r}_share": round(counts[r] / total, 4)
                           for r in ("copied", "localized", "adapted", "added")},
                        "dropped_share": round(dropped / (len(cmp.parent.sentences) or 1), 4),
                        "relay_index": round(relay, 4), "reproduction": round(1 - relay, 4),
                        "task_coverage": round(sum(1 for row in self.cells
                                                   if row[len(out)].relation != "dropped") / (len(self.tasks) or 1), 4),
                        "added": [s.text for s in doc.sentences if best.get(s.id) is None]})
        return out

    def to_frame(self):
        """The task × child matrix as a DataFrame: one row per task, a relation column per child."""
        import pandas as pd

        rows = []
        for task, row in zip(self.tasks, self.cells, strict=True):
            rec: dict[str, Any] = {"item": task.item, "label": task.label, "task": task.text}
            for doc, cell in zip(self.children, row, strict=True):
                rec[_name(doc)] = cell.relation
                rec[_name(doc) + " kept"] = round(cell.kept, 4)
            rows.append(rec)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: parent, children, matrix, per-task and per-child figures, clusters, definitions."""
        return {
            "parent": self.parent.meta(),
            "children": [d.meta() for d in self.children],
            "definitions": {"relay_index": "(copied + localized child clauses) / child clauses",
                            "reproduction": "再生产系数 = (adapted + added child clauses) / child clauses "
                                            "= 1 - relay_index"},
            "matrix": [{"item": t.item, "label": t.label, "task": t.text,
                        "cells": [{"relation": c.relation, "kept": round(c.kept, 4), "child_item": c.child_item}
                                  for c in row]} for t, row in zip(self.tasks, self.cells, strict=True)],
            "tasks": self.per_task(),
            "per_child": self.per_child(),
            "clusters": [[{"child": self.children[k].path, "text": s.text} for k, s in cl] for cl in self.clusters],
        }


def _name(doc: Document) -> str:
    return " ".join(str(x) for x in (doc.region, doc.year) if x) or doc.path


def siblings(parent: Document, children: list[Document] | tuple[Document, ...],
             comparisons: list[Comparison] | None = None) -> Siblings:
    """Compare ``parent`` with each child (or use the given comparisons) and build the matrix."""
    from . import compare
    from .report.coverage import coverage

    comps = tuple(comparisons) if comparisons is not None else tuple(compare(parent, c) for c in children)
    audits = [coverage(c, unit="item") for c in comps]
    items = {it.path: it for it in parent.items}
    keys = [r.parent_item for r in audits[0].rows] if audits else []
    tasks = tuple(Task(k, items[k].number.strip() or k, r.task) for k, r in zip(keys, audits[0].rows, strict=True))
    by_child = [{r.parent_item: r for r in a.rows} for a in audits]
    cells = tuple(tuple(Cell(rows[k].relation, rows[k].kept, rows[k].child_item) for rows in by_child) for k in keys)
    return Siblings(parent, tuple(children), comps, tasks, cells, _clusters(comps))


def _clusters(comps: tuple[Comparison, ...]) -> list[list[tuple[int, Sentence]]]:
    """Added clauses that two or more children wrote independently (similar after masking)."""
    from rapidfuzz import fuzz

    from .align import core

    added = [(k, p.child) for k, c in enumerate(comps) for p in c.pairs
             if p.relation == "added" and p.child is not None and len(core(p.child)) >= CLUSTER_MIN_LEN]
    cores = [core(s) for _k, s in added]
    seen: set[int] = set()
    out = []
    for i, (k, s) in enumerate(added):
        if i in seen:
            continue
        group = [(k, s)]
        kids = {k}
        for j in range(i + 1, len(added)):
            kj, sj = added[j]
            if j in seen or kj in kids:
                continue
            if fuzz.ratio(cores[i], cores[j]) / 100 >= CLUSTER_SCORE:
                group.append((kj, sj))
                kids.add(kj)
                seen.add(j)
        if len(group) >= 2:
            out.append(group)
    return out


DEPTH_STATUSES = ("deep", "shallow", "orphan", "uncovered")


@dataclass
class Depth:
    """Whether each parent task reached the child and, through it, each grandchild.

    Per (task, grandchild): ``deep`` — the child covers the task and the grandchild keeps a clause
    of the child's version of it; ``shallow`` — the child covers it, the grandchild lost it;
    ``orphan`` — the child dropped it but the grandchild has it (straight from the parent, or
    from elsewhere); ``uncovered`` — neither has it.
    """

    parent: Document
    child: Document
    grandchildren: tuple[Document, ...]
    tasks: tuple[Task, ...]
    child_covers: tuple[bool, ...]
    statuses: tuple[tuple[str, ...], ...]  # [task][grandchild]
    child_items: tuple[str, ...] = ()  # [task]: where the child carries it ('' if dropped)
    where: tuple[tuple[str, ...], ...] = ()  # [task][grandchild]: the grandchild's item ('' if none)

    def counts(self, k: int) -> dict[str, int]:
        """How many tasks have each status in grandchild ``k``."""
        return {s: sum(1 for row in self.statuses if row[k] == s) for s in DEPTH_STATUSES}

    def reached(self, k: int) -> float:
        """Share of tasks that reach grandchild ``k`` (deep or orphan)."""
        n = len(self.tasks) or 1
        return sum(1 for row in self.statuses if row[k] in ("deep", "orphan")) / n

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the three levels, the definitions, the share reached and each task's statuses."""
        return {"parent": self.parent.meta(), "child": self.child.meta(),
                "grandchildren": [g.meta() for g in self.grandchildren],
                "definitions": {s: d for s, d in zip(DEPTH_STATUSES, (
                    "the child covers the task and the grandchild keeps the child's version of it",
                    "the child covers the task, the grandchild lost it",
                    "the child dropped the task, the grandchild has it", "neither has it"), strict=True)},
                "reached": [round(self.reached(k), 4) for k in range(len(self.grandchildren))],
                "tasks": [{"item": t.item, "label": t.label, "task": t.text, "child": "covered" if cov else "missing",
                           "grandchildren": list(row)}
                          for t, cov, row in zip(self.tasks, self.child_covers, self.statuses, strict=True)]}


def depth(parent: Document, child: Document, grandchildren: list[Document] | tuple[Document, ...]) -> Depth:
    """Three-level coverage: parent → child → each grandchild (see :class:`Depth`)."""
    from . import compare
    from .report.coverage import coverage

    pc = compare(parent, child)
    rows = coverage(pc, unit="item").rows
    items = {it.path: it for it in parent.items}
    tasks = tuple(Task(r.parent_item, items[r.parent_item].number.strip() or r.parent_item, r.task) for r in rows)
    # the child's clauses that carry each parent task
    carried: dict[str, set[str]] = {}
    for p in pc.pairs:
        if p.parent is not None and p.child is not None and p.relation != "dropped":
            carried.setdefault(parent.item(p.parent.item_id).path, set()).add(p.child.id)
    statuses, where = [], []
    kept_in: list[dict[str, str]] = []  # per grandchild: child clause id → the grandchild item keeping it
    direct: list[dict[str, str]] = []  # per grandchild: parent task → its grandchild item, compared directly
    for g in grandchildren:
        cg = compare(child, g)
        kept: dict[str, str] = {}
        for p in cg.pairs:
            if p.parent is not None and p.relation != "dropped":
                kept.setdefault(p.parent.id, g.item(p.child.item_id).path if p.child is not None else "")
        kept_in.append(kept)
        audit = coverage(compare(parent, g), unit="item")
        direct.append({r.parent_item: r.child_item for r in audit.rows if r.covered})
    for r in rows:
        row, at = [], []
        for k in range(len(grandchildren)):
            if r.covered:
                hits = sorted(carried.get(r.parent_item, set()) & kept_in[k].keys(), key=_clause_order)
                row.append("deep" if hits else "shallow")
                at.append(kept_in[k][hits[0]] if hits else "")
            else:
                row.append("orphan" if r.parent_item in direct[k] else "uncovered")
                at.append(direct[k].get(r.parent_item, ""))
        statuses.append(tuple(row))
        where.append(tuple(at))
    return Depth(parent, child, tuple(grandchildren), tasks, tuple(r.covered for r in rows), tuple(statuses),
                 tuple(r.child_item for r in rows), tuple(where))


def _clause_order(sentence_id: str) -> tuple[int, str]:
    # sentence ids are s1, s2, … in document order: the first clause that survives names the place
    digits = "".join(ch for ch in sentence_id if ch.isdigit())
    return (int(digits) if digits else 0, sentence_id)
