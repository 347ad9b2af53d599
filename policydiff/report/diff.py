"""The self-contained HTML diff report: side by side, redlined, with outline navigation."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from markupsafe import Markup, escape

from .. import __version__
from ..model import RELATIONS, Comparison, Document, Item, Pair

# Chinese on the page, English in the tooltip (one convention for every report page).
LABELS = {"copied": "照搬", "localized": "属地化", "adapted": "改写", "dropped": "删除", "added": "新增"}
ENGLISH = {"copied": "copied: identical after normalisation", "localized": "localized: only jurisdiction words differ",
           "adapted": "adapted: paired and rewritten", "dropped": "dropped: no counterpart in the child",
           "added": "added: no counterpart in the parent"}
META_ROWS = [("title", "标题", "title"), ("doc_number", "文号", "document number"), ("issuer", "发文机关", "issuer"),
             ("date", "日期", "date"), ("level", "层级", "level"), ("region", "地区", "region"),
             ("year", "年份", "year")]
LEVEL_LABELS = {"nation": "国家", "province": "省级", "city": "市级", "district": "县级", "town": "乡镇"}
KIND_LABELS = {"preamble": "导语", "paragraph": "段落", "table": "表格", "appendix": "附件"}


@functools.lru_cache(maxsize=1)
def environment():
    """The jinja2 environment for report templates (autoescaping on)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("policydiff.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def redline(pair: Pair, side: str) -> Markup:
    """One side of a pair as HTML: deleted words struck through, inserted underlined."""
    if not pair.edits:
        s = pair.parent if side == "parent" else pair.child
        return escape(s.text) if s else Markup("")
    out = []
    for e in pair.edits:
        if e.op == "equal":
            out.append(escape(e.new))
            continue
        cls = ' class="loc"' if e.localized else ""
        if side == "parent" and e.old:
            out.append(Markup(f"<del{cls}>{escape(e.old)}</del>"))
        if side == "child" and e.new:
            out.append(Markup(f"<ins{cls}>{escape(e.new)}</ins>"))
    return Markup("").join(out)


def printed_label(doc: Document, item: Item) -> str:
    """An item's label as the document prints it: 第二十条, （三）, 3.; a sub-item of an article
    carries the article (第九条（三）), since （三） alone recurs under every article."""
    label = item.number.strip()
    if not label:
        return KIND_LABELS.get(item.kind, item.path)
    if item.parent_id and not label.startswith("第"):
        up = doc.item(item.parent_id).number.strip()
        if up.startswith("第") and up.endswith("条"):
            return up + label
    return label


def full_label(doc: Document, item: Item) -> str:
    """A label that names one item of the document: an article as printed (第九条, 第九条（三）),
    an outline item with the labels above it (二、（三）1.), since 1. and （三） recur."""
    short = printed_label(doc, item)
    if short.startswith("第") or not item.number.strip():
        return short
    parts = []
    it: Item | None = item
    while it is not None:
        if it.number.strip():
            parts.append(it.number.strip())
        it = doc.item(it.parent_id) if it.parent_id else None
    return "".join(reversed(parts))


def _anchor(prefix: str, path: str, taken: set[str]) -> str:
    anchor = prefix + "-" + "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in path)
    while anchor in taken:
        anchor += "_"
    taken.add(anchor)
    return anchor


def _rows(cmp: Comparison) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Table rows (section headers and pairs) in the child's order, and the outline navigation.

    Every parent item with clauses gets a *home*: the section where its clauses are shown in
    place (its child counterpart's section, else its own parent-only section). A moved clause
    links to its parent item's home, and the home links back to every clause moved away from it.
    """
    rows: list[dict[str, Any]] = []
    sections: dict[tuple[str, str], dict[str, Any]] = {}  # ("c"|"p", item id) → section row
    taken: set[str] = set()
    child_of = {ip.parent.id: ip.child for ip in cmp.items if ip.parent and ip.child}
    parent_of = {ip.child.id: ip.parent for ip in cmp.items if ip.parent and ip.child}
    current = None
    where_pairs: list[tuple[dict[str, Any], Pair, dict[str, Any]]] = []
    for n, p in enumerate(cmp.pairs):
        if p.child:
            side, item = "c", cmp.child.item(p.child.item_id)
        elif p.parent.item_id in child_of:  # a dropped clause shows under its item's counterpart
            side, item = "c", child_of[p.parent.item_id]
        else:
            side, item = "p", cmp.parent.item(p.parent.item_id)
        if (side, item.id) != current:
            current = (side, item.id)
            if side == "c":
                counterpart = parent_of.get(item.id)
                plabel = printed_label(cmp.parent, counterpart) if counterpart else ""
                clabel = printed_label(cmp.child, item)
                kind = "paired" if counterpart else "child-only"
                ppath, cpath = (counterpart.path if counterpart else ""), item.path
            else:
                counterpart = None
                plabel, clabel, kind = printed_label(cmp.parent, item), "", "parent-only"
                ppath, cpath = item.path, ""
            section = {"section": True, "anchor": _anchor("sec-" + side, item.path, taken), "kind": kind,
                       "parent_label": plabel, "child_label": clabel, "parent_path": ppath, "child_path": cpath,
                       "title": item.title or item.body[:24], "homes": [], "back": []}
            sections.setdefault(current, section)
            rows.append(section)
        pi = cmp.parent.item(p.parent.item_id) if p.parent else None
        ci = cmp.child.item(p.child.item_id) if p.child else None
        row = {
            "section": False, "id": f"row{n + 1}", "relation": p.relation, "moved": p.moved, "score": p.score,
            "parent_item": pi.path if pi else None, "child_item": ci.path if ci else None,
            "parent_label": printed_label(cmp.parent, pi) if pi else "",
            "child_label": printed_label(cmp.child, ci) if ci else "",
            "parent_html": redline(p, "parent") if p.parent else Markup(""),
            "child_html": redline(p, "child") if p.child else Markup(""),
            "moved_link": None,
            "evidence": _evidence_title(p),
            "matched_by": p.evidence.matched_by,
        }
        rows.append(row)
        where_pairs.append((row, p, section))
    homes = _homes(cmp, sections, where_pairs, child_of, taken)
    for row, p, _section in where_pairs:
        if p.moved and p.parent is not None and p.parent.item_id in homes:
            home_section, anchor = homes[p.parent.item_id]
            row["moved_link"] = anchor
            home_section["back"].append({"row": row["id"], "label": row["child_label"] or row["child_item"]})
    return rows, _nav(cmp, rows, sections, homes)


def _homes(cmp: Comparison, sections: dict, where_pairs: list, child_of: dict,
           taken: set[str]) -> dict[str, tuple[dict[str, Any], str]]:
    """Parent item id → (its home section, the anchor placed there for it)."""
    votes: dict[str, Counter] = {}
    for _row, p, section in where_pairs:
        if p.parent is not None:
            # clauses still in place vote for where the item is shown; moved ones only break ties
            votes.setdefault(p.parent.item_id, Counter())[section["anchor"]] += 1 if p.moved else 1000
    by_anchor = {section["anchor"]: section for _row, _p, section in where_pairs}
    homes: dict[str, tuple[dict[str, Any], str]] = {}
    for item in cmp.parent.items:
        if item.id not in votes:
            continue
        counterpart = child_of.get(item.id)
        section = (sections.get(("c", counterpart.id)) if counterpart else None) or sections.get(("p", item.id))
        if section is None:
            section = by_anchor[votes[item.id].most_common(1)[0][0]]
        anchor = _anchor("from-p", item.path, taken)
        section["homes"].append({"anchor": anchor, "label": printed_label(cmp.parent, item), "path": item.path})
        homes[item.id] = (section, anchor)
    return homes


def _nav(cmp: Comparison, rows: list, sections: dict, homes: dict) -> list[dict[str, Any]]:
    """One entry per aligned item pair (parent label ↔ child label), parent-only and child-only
    items marked, in the order of the report; an item without clauses of its own leads to its
    first descendant's section."""
    order = {r["anchor"]: k for k, r in enumerate(rows) if r["section"]}
    child_target: dict[str, str] = {}
    for (side, item_id), section in sections.items():
        if side != "c":
            continue
        item = cmp.child.item(item_id)
        while True:
            old = child_target.get(item.id)
            if old is None or order[section["anchor"]] < order[old]:
                child_target[item.id] = section["anchor"]
            if not item.parent_id:
                break
            item = cmp.child.item(item.parent_id)
    parent_target: dict[str, str] = {}
    for item_id, (_section, anchor) in homes.items():
        item = cmp.parent.item(item_id)
        parent_target[item.id] = anchor
        while item.parent_id:
            item = cmp.parent.item(item.parent_id)
            parent_target.setdefault(item.id, anchor)
    anchor_section = {h["anchor"]: r["anchor"] for r in rows if r["section"] for h in r["homes"]}
    nav = []
    for k, ip in enumerate(cmp.items):
        target = (child_target.get(ip.child.id) if ip.child else None) \
            or (parent_target.get(ip.parent.id) if ip.parent else None)
        if target is None:
            continue
        kind = "paired" if ip.parent and ip.child else ("parent-only" if ip.parent else "child-only")
        shown = ip.child or ip.parent
        nav.append({
            "anchor": target, "kind": kind, "relation": ip.relation,
            "parent_label": printed_label(cmp.parent, ip.parent) if ip.parent else "",
            "child_label": printed_label(cmp.child, ip.child) if ip.child else "",
            "parent_path": ip.parent.path if ip.parent else "", "child_path": ip.child.path if ip.child else "",
            "title": shown.title or shown.body[:20], "depth": min(shown.level, 4),
            "section": anchor_section.get(target, target), "_order": (order[anchor_section.get(target, target)], k),
        })
    nav.sort(key=lambda e: e["_order"])
    return nav


def _evidence_title(p) -> str:
    """The pair's evidence as one line for the hover title: pass, score, runner-up, margin, note."""
    ev = p.evidence
    out = f"matched by {ev.matched_by}; score {ev.score:.2f}; runner-up {ev.runner_up:.2f}; margin {ev.margin:+.2f}"
    if ev.content:
        out += f"; content {ev.content:.2f}"
    if ev.masked:
        out += "; jurisdiction " + ", ".join(f"{a}→{b}" for a, b in ev.masked)
    if ev.note not in ("none", "same"):
        out += f"; responsibility note {ev.note}"
    return out


def _parts(cmp: Comparison) -> list[dict[str, Any]]:
    """Relation counts per top-level part of the parent outline (for the bar chart)."""
    counts: dict[str, Counter] = {}
    titles: dict[str, str] = {}
    parent_of = {ip.child.id: ip.parent for ip in cmp.items if ip.parent and ip.child}

    def top_of(doc, item):
        while item.parent_id:
            item = doc.item(item.parent_id)
        return item

    for p in cmp.pairs:
        if p.parent:
            doc, top = cmp.parent, top_of(cmp.parent, cmp.parent.item(p.parent.item_id))
        else:
            doc, top = cmp.child, top_of(cmp.child, cmp.child.item(p.child.item_id))
            if top.id in parent_of:
                doc, top = cmp.parent, parent_of[top.id]
        key = (doc is cmp.parent, top.id)
        counts.setdefault(key, Counter())[p.relation] += 1
        label = printed_label(doc, top) if doc is cmp.parent else f"{printed_label(doc, top)}（下级）"
        titles.setdefault(key, (label, top.title))
    return [{"label": f"{titles[k][0]} {titles[k][1][:8]}", "title": f"{titles[k][1]} ({'parent' if k[0] else 'child'} "
             f"{(cmp.parent if k[0] else cmp.child).item(k[1]).path})", "counts": counts[k]} for k in counts]


def render_diff_report(cmp: Comparison, meta: dict[str, Any] | None = None) -> str:
    """The full HTML report of one comparison, as a string (no external resources).

    ``meta`` is the citation block of :func:`policydiff.report.meta.provenance` (built for
    ``policydiff report PARENT CHILD`` when not given).
    """
    from .meta import provenance, thresholds_line

    rows, nav = _rows(cmp)
    parts = _parts(cmp)
    biggest = max((sum(p["counts"].values()) for p in parts), default=1) or 1
    meta = meta or provenance([("parent", cmp.parent), ("child", cmp.child)], "report", cmp.thresholds)
    template = environment().get_template("diff.html.j2")
    return template.render(
        version=__version__, parent=cmp.parent, child=cmp.child,
        parent_meta=_shown_meta(cmp.parent), child_meta=_shown_meta(cmp.child), meta_rows=META_ROWS,
        heading=_heading(cmp), summary=cmp.summary, relations=RELATIONS, labels=LABELS, english=ENGLISH,
        rows=rows, nav=nav, parts=parts, scale=500 / biggest, meta=meta, thresholds_line=thresholds_line(meta),
    )


def _shown_meta(doc: Document) -> dict[str, str]:
    """Front matter as shown: missing values are empty (never "None"), levels in Chinese."""
    out = {}
    for key, _zh, _en in META_ROWS:
        value = getattr(doc, key)
        if key == "level":
            value = LEVEL_LABELS.get(value, value)
        out[key] = "" if value is None else str(value)
    return out


def doc_name(doc: Document) -> str:
    """A plan's title, else its file name: a heading never starts with an arrow."""
    import os

    return doc.title or (os.path.basename(doc.path) if doc.path and doc.path != "-" else "") or "（无标题）"


def _heading(cmp: Comparison) -> str:
    return f"{doc_name(cmp.parent)} → {doc_name(cmp.child)}"
