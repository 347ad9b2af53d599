"""The self-contained HTML diff report: side by side, redlined, with outline navigation."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from markupsafe import Markup, escape

from .. import __version__
from ..model import RELATIONS, Comparison, Pair

LABELS = {"copied": "copied 照搬", "localized": "localized 属地化", "adapted": "adapted 改写",
          "dropped": "dropped 删除", "added": "added 新增"}
META_ROWS = [("title", "标题 title"), ("doc_number", "文号 doc no."), ("issuer", "发文机关 issuer"),
             ("level", "层级 level"), ("region", "地区 region"), ("year", "年份 year")]


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


def _rows(cmp: Comparison) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    nav: list[dict[str, Any]] = []
    current = None
    anchors: set[str] = set()
    child_of = {ip.parent.id: ip.child for ip in cmp.items if ip.parent and ip.child}
    for n, p in enumerate(cmp.pairs):
        if p.child:
            doc, item = cmp.child, cmp.child.item(p.child.item_id)
        elif p.parent.item_id in child_of:  # a dropped clause shows under its item's counterpart
            doc, item = cmp.child, child_of[p.parent.item_id]
        else:
            doc, item = cmp.parent, cmp.parent.item(p.parent.item_id)
        key = (doc.path, item.id)
        if key != current:
            anchor = "sec-" + ("c" if doc is cmp.child else "p") + "-" + item.path
            while anchor in anchors:
                anchor += "_"
            anchors.add(anchor)
            title = item.title or item.body[:24]
            if doc is cmp.parent:
                title = f"{title} (parent only)"
            rows.append({"section": True, "anchor": anchor, "path": item.path, "title": title})
            nav.append({"anchor": anchor, "path": item.path, "title": title,
                        "depth": min(item.level, 4)})
            current = key
        pi = cmp.parent.item(p.parent.item_id).path if p.parent else None
        ci = cmp.child.item(p.child.item_id).path if p.child else None
        rows.append({
            "section": False, "id": f"row{n + 1}", "relation": p.relation, "moved": p.moved, "score": p.score,
            "parent_item": pi, "child_item": ci,
            "parent_html": redline(p, "parent") if p.parent else Markup(""),
            "child_html": redline(p, "child") if p.child else Markup(""),
            "moved_link": ("sec-c-" + pi) if p.moved and pi else None,
            "evidence": _evidence_title(p),
        })
    return rows, nav


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
        label = top.path if doc is cmp.parent else f"{top.path} (child)"
        counts.setdefault(label, Counter())[p.relation] += 1
        titles.setdefault(label, top.title)
    return [{"label": f"{k} {titles[k][:8]}", "title": titles[k], "counts": counts[k]} for k in counts]


def render_diff_report(cmp: Comparison) -> str:
    """The full HTML report of one comparison, as a string (no external resources)."""
    rows, nav = _rows(cmp)
    parts = _parts(cmp)
    biggest = max((sum(p["counts"].values()) for p in parts), default=1) or 1
    template = environment().get_template("diff.html.j2")
    return template.render(
        version=__version__, parent=cmp.parent, child=cmp.child,
        parent_meta=cmp.parent.meta(), child_meta=cmp.child.meta(), meta_rows=META_ROWS,
        summary=cmp.summary, relations=RELATIONS, labels=LABELS, rows=rows, nav=nav, parts=parts,
        scale=500 / biggest,
    )
