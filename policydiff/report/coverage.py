"""The coverage audit: does the child plan cover every task of the parent plan?

What an auditor counts as a task (rules in ``rules/coverage.tsv``):

- an **article** (第X条) of a 条例 / 办法, with its enumerated sub-items （一）…（十五） rolled up
  into it and listed; in an outline plan (一、（一）1.), an item with clauses of its own, or a
  leaf item;
- never the **preamble** (the issuing notice, an addressee line, a news lead 「新华社北京2月17日电」),
  never a **framing** item whose every clause is a purpose or basis statement (为了…制定本条例),
  entry into force (本条例自…起施行) or a repeal, and never a framing heading (总体要求, 指导思想,
  基本原则, 工作目标…) unless one of its clauses names a responsible unit: that one assigns work.

A task's **kept** share is the share of its text (characters of its clauses) that has a
counterpart in the child (copied, localized or adapted). A task is **covered** when at least
``min_kept`` (20 % by default, ``--min-kept``) of its text is kept: a child rarely restates a whole
article, and one kept clause out of five is where a reader still finds the task; **partly
covered** when something is kept but less than that; **missing** when nothing is; **by
reference** when the child adopts it by citing it (「…按照《条例》第九条至第十三条的规定执行」)
without restating enough of it — counted as covered, and marked. Task coverage (任务覆盖率) is
(covered + by reference) / tasks; the sentence coverage (句子覆盖率) of ``compare`` counts
parent sentences instead.

A covered task's counterpart is the child item (the article, for a 条例) that holds most of the
kept text, weighted by how close each kept clause is, the task's lead clause counting twice.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..classify import aggregate_relation
from ..model import Comparison, Document, Item, Sentence
from ..numbering import han_to_int
from ..rules import load_table

MIN_KEPT = 0.2
SEP = "；"  # between task labels: 、 ends labels such as 一、
STATUSES = ("covered", "by reference", "partly covered", "missing")
COLUMNS = ["status", "label", "parent_item", "task", "sub_items", "responsible", "relation", "kept", "score",
           "child_label", "child_item", "child_task", "child_responsible", "reference"]


@dataclass(frozen=True)
class TaskRow:
    """One parent task and what became of it."""

    parent_item: str
    task: str
    responsible: tuple[str, ...]
    relation: str
    kept: float  # share of the task's text that has a counterpart in the child
    score: float
    child_item: str
    child_task: str
    child_responsible: tuple[str, ...]
    label: str = ""  # as printed: 第九条, 二、（三）3. (with the labels above it in an outline plan)
    sub_items: tuple[str, ...] = ()  # enumerated sub-items rolled up into this task, as printed
    child_label: str = ""
    reference: tuple[str, ...] = ()  # child items that adopt this task by citing it (第三十一条)
    status: str = "missing"

    @property
    def covered(self) -> bool:
        """Counted as covered: enough text kept, or adopted by reference."""
        return self.status in ("covered", "by reference")


@dataclass(frozen=True)
class CoverageReport:
    """All task rows of one parent → child comparison."""

    cmp: Comparison
    rows: tuple[TaskRow, ...]
    min_kept: float = MIN_KEPT

    @property
    def coverage(self) -> float:
        """Task coverage (任务覆盖率): share of tasks covered or adopted by reference."""
        return sum(r.covered for r in self.rows) / len(self.rows) if self.rows else 0.0

    def counts(self) -> dict[str, int]:
        """Tasks per status, and in all."""
        c = Counter(r.status for r in self.rows)
        return {"tasks": len(self.rows), **{s: c.get(s, 0) for s in STATUSES}}

    def missing(self) -> list[str]:
        """Labels of the missing tasks, in the parent's order."""
        return [r.label or r.parent_item for r in self.rows if r.status == "missing"]

    def summary_line(self) -> str:
        """One line an auditor can paste: coverage, counts per status, the rule."""
        c = self.counts()
        return (f"任务覆盖率 task coverage {self.coverage:.1%}: {c['tasks']} tasks, {c['covered']} covered, "
                f"{c['partly covered']} partly covered, {c['missing']} missing, {c['by reference']} by reference "
                f"(covered = at least {self.min_kept:.0%} of a task's text kept, --min-kept)")

    def to_frame(self):
        """A pandas DataFrame with one row per parent task."""
        import pandas as pd

        return pd.DataFrame([_record(r) for r in self.rows], columns=COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """The audit as JSON-ready data: summary, missing task IDs, rule, rows, citation meta."""
        c = self.counts()
        out = {"parent": self.cmp.parent.meta(), "child": self.cmp.child.meta(),
               "coverage": round(self.coverage, 4), "tasks": c["tasks"], "covered": sum(r.covered for r in self.rows),
               "summary": {**c, "task_coverage": round(self.coverage, 4), "line": self.summary_line()},
               "missing": self.missing(), "min_kept": self.min_kept, "rule": RULE.format(self.min_kept),
               "rows": [_record(r) for r in self.rows]}
        out["meta"] = citation(self)
        return out


# Column and status names on the page: Chinese, with the English key in the tooltip.
HEADERS = {"status": "状态", "label": "条目", "parent_item": "路径", "task": "任务", "sub_items": "子项",
           "responsible": "责任单位", "relation": "关系", "kept": "保留", "score": "相似度", "child_label": "下级条目",
           "child_item": "下级路径", "child_task": "下级任务", "child_responsible": "下级责任单位", "reference": "援引"}
STATUS_LABELS = {"covered": "已覆盖", "by reference": "援引", "partly covered": "部分覆盖", "missing": "缺失"}

RULE = ("a task is covered when at least {:.0%} of its text has a counterpart in the child, partly covered "
        "when less is kept, missing when nothing is, by reference when the child cites it instead")


def citation(rep: CoverageReport) -> dict[str, Any]:
    """The citation block of the audit, as ``policydiff coverage`` reproduces it."""
    from .meta import provenance

    return provenance([("parent", rep.cmp.parent), ("child", rep.cmp.child)], "coverage",
                                  rep.cmp.thresholds,
                                  options=None if rep.min_kept == MIN_KEPT else {"min_kept": rep.min_kept})


def _record(r: TaskRow) -> dict[str, Any]:
    return {"status": r.status, "label": r.label, "parent_item": r.parent_item, "task": r.task,
            "sub_items": "".join(r.sub_items), "responsible": "、".join(r.responsible), "relation": r.relation,
            "kept": round(r.kept, 4), "score": round(r.score, 4), "child_label": r.child_label,
            "child_item": r.child_item, "child_task": r.child_task, "child_responsible": "、".join(r.child_responsible),
            "reference": SEP.join(r.reference)}


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, tuple[re.Pattern[str], ...]]:
    out: dict[str, list[re.Pattern[str]]] = {}
    for kind, pattern in load_table("coverage.tsv"):
        out.setdefault(kind, []).append(re.compile(pattern))
    return {k: tuple(v) for k, v in out.items()}


def _is_article(item: Item) -> bool:
    return any(p.match(item.number.strip()) for p in _rules()["article"])


def _framing(sentence: Sentence) -> bool:
    text = sentence.text.strip()
    return any(p.search(text) for p in _rules()["framing_sentence"])


def _article_of(doc: Document, item: Item) -> Item | None:
    """The article an item belongs to (itself, or the article above a sub-item), if any."""
    while True:
        if _is_article(item):
            return item
        if not item.parent_id:
            return None
        item = doc.item(item.parent_id)


def tasks_of(doc: Document) -> list[tuple[Item, list[Item]]]:
    """The document's tasks: (item, the items whose clauses it holds), in document order."""
    articles = any(_is_article(it) for it in doc.items)
    has_children = Counter(it.parent_id for it in doc.items if it.parent_id)
    members: dict[str, list[Item]] = {}
    order: list[Item] = []
    for it in doc.items:
        if it.kind in ("appendix", "preamble"):
            continue
        owner = _article_of(doc, it) if articles else None
        if owner is not None:
            if owner.id not in members:
                members[owner.id] = []
                order.append(owner)
            members[owner.id].append(it)
            continue
        if _own_unit(doc, it, has_children):
            members[it.id] = [it]
            order.append(it)
    out = []
    for it in order:
        sents = [s for m in members[it.id] for s in _body(doc, m)]
        if sents and all(_framing(s) for s in sents):
            continue
        if any(p.match(it.title.strip()) for p in _rules()["framing_heading"]) \
                and not any(s.lead or s.support or s.responsible for s in sents):
            continue
        out.append((it, members[it.id]))
    return out


def _own_unit(doc: Document, item: Item, has_children: Counter) -> bool:
    """An item that is a unit of its own: it has clauses, or it is a leaf (not the preamble)."""
    return bool(_body(doc, item)) or (not has_children[item.id] and item.kind != "preamble")


def _body(doc: Document, item: Item) -> list[Sentence]:
    return [s for s in doc.sentences_of(item.id) if s.text.rstrip("。；") != item.title]


def _references(cmp: Comparison) -> dict[int, list[str]]:
    """Parent article number → labels of the child items that cite it (adoption by reference)."""
    from ..citations import title_key
    from .diff import full_label as printed_label

    rules = _rules()
    child, parent = cmp.child, cmp.parent
    own = title_key(parent.title)
    names = {own} if own else set()
    body = child.text
    for pattern in rules["abbreviation"]:
        for m in pattern.finditer(body):
            if title_key(m.group(1)) == own:
                names.add(m.group(2))
    out: dict[int, list[str]] = {}
    for s in child.sentences:
        for pattern in rules["reference"]:
            for m in pattern.finditer(s.text):
                if m.group(1) not in names and title_key(m.group(1)) not in names:
                    continue
                item = child.item(s.item_id)
                where = printed_label(child, _article_of(child, item) or item)
                for n in _article_numbers(m.group(2)):
                    if where not in out.setdefault(n, []):
                        out[n].append(where)
    return out


_NUM = re.compile(r"第([零〇一二三四五六七八九十百千]+)条(?:第[零〇一二三四五六七八九十]+款)?(至|到)?")


def _article_numbers(run: str) -> list[int]:
    """第九条至第十三条、第十五条 → [9, 10, 11, 12, 13, 15]."""
    out: list[int] = []
    pending = None
    for m in _NUM.finditer(run):
        n = han_to_int(m.group(1))
        if pending is not None:
            out += range(pending + 1, n + 1)
            pending = None
        else:
            out.append(n)
        if m.group(2):
            pending = n
    return out


def _item_tasks(doc: Document) -> list[tuple[Item, list[Item]]]:
    """Every outline item with clauses of its own, or a leaf item: the unit of ``siblings``."""
    has_children = Counter(it.parent_id for it in doc.items if it.parent_id)
    return [(it, [it]) for it in doc.items if it.kind != "appendix" and _own_unit(doc, it, has_children)]


def coverage(cmp: Comparison, min_kept: float = MIN_KEPT, unit: str = "task") -> CoverageReport:
    """Build the coverage audit of a comparison (see the module docstring for the rules).

    ``unit="item"`` keeps one row per outline item with clauses (sub-items apart, framing items
    kept, covered when any clause is kept, counterpart = the child item with most kept clauses):
    the unit of the sibling matrix, where a sub-item's own place matters.
    """
    from .diff import full_label as printed_label

    items = unit == "item"
    if items:
        min_kept = 0.0
    parent, child = cmp.parent, cmp.child
    pairs_by_item: dict[str, list] = {}
    for p in cmp.pairs:
        if p.parent is not None:
            pairs_by_item.setdefault(p.parent.item_id, []).append(p)
    references = _references(cmp) if not items and any(_is_article(it) for it in parent.items) else {}
    rows = []
    for it, members in (_item_tasks(parent) if items else tasks_of(parent)):
        sents = [s for m in members for s in _body(parent, m)]
        # one pair per parent sentence: splits share a parent, so count each parent sentence once
        best: dict[str, Any] = {}
        for m in members:
            for p in pairs_by_item.get(m.id, []):
                if p.parent.id not in best or p.score > best[p.parent.id].score:
                    best[p.parent.id] = p
        kept_pairs = [p for p in best.values() if p.relation != "dropped" and p.child is not None]
        mass = {s.id: len(s.text) for s in sents}
        if items:
            kept = len(kept_pairs) / len(best) if best else 0.0
        else:
            kept = sum(mass.get(p.parent.id, 0) for p in kept_pairs) / (sum(mass.values()) or 1) if sents else 0.0
        relation = aggregate_relation(p.relation for p in best.values()) if kept_pairs else "dropped"
        score = sum(p.score for p in best.values()) / len(best) if best else 0.0
        # the counterpart: the child item (article) holding most of the kept text, by closeness; the
        # task's lead clause states it, so it counts twice (an article split over several keeps its
        # counterpart where its lead went)
        article = _is_article(it)
        if items:
            weight = Counter(p.child.item_id for p in kept_pairs)
        else:
            lead = sents[0].id if sents else None
            weight = Counter()
            for p in kept_pairs:
                citem = child.item(p.child.item_id)
                home = _article_of(child, citem) if article else None
                weight[(home or citem).id] += mass.get(p.parent.id, 0) * p.score * (2 if p.parent.id == lead else 1)
        child_item = child.item(weight.most_common(1)[0][0]) if weight else None
        refs = references.get(han_to_int(it.number.strip()[1:-1]), []) if article else []
        if kept_pairs and kept >= min_kept:
            status = "covered"
        elif refs:
            status = "by reference"
        elif kept_pairs:
            status = "partly covered"
        else:
            status = "missing"
        units: list[str] = []
        for s in sents:
            units += [u for u in s.responsible if u not in units]
        child_units: list[str] = []
        child_sents = [] if child_item is None else \
            child.sentences_of(child_item.id) if items else _sentences_under(child, child_item)
        for s in child_sents:
            child_units += [u for u in s.responsible if u not in child_units]
        first = next((s.text for s in sents), "")
        rows.append(TaskRow(
            parent_item=it.path, task=it.title or first, responsible=tuple(units), relation=relation, kept=kept,
            score=score, child_item=child_item.path if child_item else "",
            child_task=(child_item.title or (child_sents[0].text if child_sents else "")) if child_item else "",
            child_responsible=tuple(child_units), label=printed_label(parent, it),
            sub_items=tuple(m.number.strip() for m in members if m is not it),
            child_label=printed_label(child, child_item) if child_item else "", reference=tuple(refs),
            status=status))
    return CoverageReport(cmp, tuple(rows), min_kept)


def _sentences_under(doc: Document, item: Item) -> list[Sentence]:
    """The clauses of an item and of the items below it (an article and its sub-items)."""
    inside = {item.id}
    for it in doc.items:
        if it.parent_id in inside:
            inside.add(it.id)
    return [s for s in doc.sentences if s.item_id in inside]


def coverage_text(rep: CoverageReport) -> str:
    """Terminal table, uncovered tasks first, under the summary line and the missing tasks."""
    order = {s: k for k, s in enumerate(("missing", "partly covered", "by reference", "covered"))}
    rows = sorted(rep.rows, key=lambda r: (order[r.status], r.kept))
    missing = rep.missing()
    out = [f"{_name(rep.cmp.parent)} → {_name(rep.cmp.child)}: {rep.summary_line()}",
           f"missing tasks ({len(missing)}): {SEP.join(missing) if missing else '(none)'}", ""]
    marks = {"covered": "✓", "by reference": "§", "partly covered": "~", "missing": "✗"}
    for r in rows:
        task = r.task[:40] + ("…" if len(r.task) > 40 else "")
        if r.sub_items:
            task += f" [{len(r.sub_items)} sub-items {r.sub_items[0]}…{r.sub_items[-1]}]"
        where = f"→ {r.child_label or r.child_item}" if r.child_item else "→ (none)"
        if r.reference:
            where += f" (cited by {SEP.join(r.reference)})"
        unit = f"  [{'、'.join(r.responsible[:3])}{'…' if len(r.responsible) > 3 else ''}]" if r.responsible else ""
        out.append(f"{marks[r.status]} {r.label or r.parent_item:<9} {r.status:<14} kept {r.kept:4.0%} "
                   f"{where:<12} {task}{unit}")
    return "\n".join(out) + "\n"


def _name(doc: Document) -> str:
    from .diff import doc_name

    return doc_name(doc)


def coverage_csv(rep: CoverageReport) -> str:
    """One row per task (the summary is in the other formats and on stderr)."""
    from ..output import frame_csv

    return frame_csv(rep.to_frame(), COLUMNS)


def coverage_xlsx(rep: CoverageReport) -> bytes:
    """An Excel workbook: the task sheet (frozen header, filters, formula-like cells neutralised),
    a summary sheet (the one-line summary, counts, missing tasks, the rule) and a meta sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ..output import safe_cell
    from .meta import meta_rows

    wb = Workbook()
    ws = wb.active
    ws.title = "coverage"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fills = {"missing": PatternFill("solid", fgColor="FDE2E1"),
             "partly covered": PatternFill("solid", fgColor="FFF4D6"),
             "by reference": PatternFill("solid", fgColor="E3F1FB")}
    for rec in rep.to_frame().to_dict("records"):
        ws.append([safe_cell(rec[c]) for c in COLUMNS])
        if rec["status"] in fills:
            for cell in ws[ws.max_row]:
                cell.fill = fills[rec["status"]]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col, width in zip("ABCDEFGHIJKLMN", (14, 10, 10, 50, 12, 30, 10, 7, 7, 10, 10, 50, 30, 12), strict=True):
        ws.column_dimensions[col].width = width
    summary = wb.create_sheet("summary")
    c = rep.counts()
    for key, value in (("summary", rep.summary_line()), ("task_coverage", round(rep.coverage, 4)),
                       *((k, v) for k, v in c.items()), ("missing_tasks", SEP.join(rep.missing())),
                       ("rule", RULE.format(rep.min_kept))):
        summary.append([key, safe_cell(value)])
    summary.column_dimensions["A"].width = 16
    summary.column_dimensions["B"].width = 100
    sheet = wb.create_sheet("meta")
    for key, value in meta_rows(citation(rep)):
        sheet.append([key, safe_cell(value)])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    return workbook_bytes(wb)


def workbook_bytes(wb: Any) -> bytes:
    """An openpyxl workbook as xlsx bytes that the same inputs always make the same (no clock in them)."""
    import datetime

    stamp = datetime.datetime(2000, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _normalize_zip(buf.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member times (openpyxl stamps the current time)."""
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
    """A sortable HTML table (self-contained) under the summary line, with the citation footer."""
    from .. import __version__
    from .diff import LABELS, environment
    from .meta import thresholds_line

    meta = citation(rep)
    return environment().get_template("coverage.html.j2").render(
        version=__version__, rep=rep, rows=rep.to_frame().to_dict("records"), columns=COLUMNS,
        parent=rep.cmp.parent, child=rep.cmp.child, coverage=rep.coverage, counts=rep.counts(),
        missing=rep.missing(), rule=RULE.format(rep.min_kept), headers=HEADERS, status_labels=STATUS_LABELS,
        relation_labels=LABELS, heading=f"{_name(rep.cmp.parent)} → "
        f"{_name(rep.cmp.child)}", meta=meta, thresholds_line=thresholds_line(meta))
