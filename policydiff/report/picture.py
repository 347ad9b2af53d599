"""The inheritance graph as a picture: levels as layers, documents as boxes, edges by kind.

Laid out here in Python, deterministically, as inline SVG (no script, no CDN): one row per level
(national, province, city, district, town, unknown), documents ordered under their parents;
inheritance edges solid with their copied/localized/adapted/dropped/added figures, citations that
are not the chosen parent dashed, versions of one document dotted.
"""

from __future__ import annotations

import os
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..model import LEVELS

if TYPE_CHECKING:
    from ..corpus import Corpus

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 150, 44, 24, 90, 20
LEVEL_NAMES = {"nation": "国家 national", "province": "省级 province", "city": "市级 city",
               "district": "县区 district", "town": "乡镇 town", "": "未知 unknown"}


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def layout(corpus: Corpus, parents: dict[str, str | None]) -> dict[str, tuple[float, float]]:
    """Top-left corner of every document's box: a row per level, each subtree under its root.

    ``parents`` is each plan's drawn parent, cycles already cut (``graph._acyclic_parents``).
    A tidy-tree layout: leaves take consecutive slots in depth-first order (children by level,
    then name), a parent sits at the mean of its children's slots, so two subtrees never overlap.
    """
    level = {e.path: e.level for e in corpus.entries}
    kids: dict[str, list[str]] = {}
    for child, par in parents.items():
        if par in corpus.docs:
            kids.setdefault(par, []).append(child)

    def key(p: str) -> tuple[int, str]:
        return (_rank(level.get(p, "")), os.path.basename(p))

    slot: dict[str, float] = {}
    counter = [0]

    def place(p: str) -> float:
        children = sorted(kids.get(p, ()), key=key)
        if not children:
            slot[p] = counter[0]
            counter[0] += 1
        else:
            xs = [place(c) for c in children]
            slot[p] = sum(xs) / len(xs)
        return slot[p]

    for root in sorted((e.path for e in corpus.entries if parents.get(e.path) not in corpus.docs), key=key):
        place(root)
    rows = {r: k for k, r in enumerate(sorted({_rank(e.level) for e in corpus.entries}))}
    return {e.path: (MARGIN + 110 + slot[e.path] * (BOX_W + GAP_X), MARGIN + rows[_rank(e.level)] * (BOX_H + GAP_Y))
            for e in corpus.entries}


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def graph_svg(corpus: Corpus, report_links: dict[tuple[str, str], str], parents: dict[str, str | None]) -> str:
    """Inline SVG of the corpus; ``report_links`` maps (parent, child) to a relative report path,
    ``parents`` gives each plan's drawn parent (cycles cut)."""
    pos = layout(corpus, parents)
    if not pos:
        return ""
    width = max(x for x, _ in pos.values()) + BOX_W + MARGIN
    height = max(y for _, y in pos.values()) + BOX_H + MARGIN
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="picture" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="inheritance graph">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    levels = sorted({_rank(e.level) for e in corpus.entries})
    for k, r in enumerate(levels):
        y = MARGIN + k * (BOX_H + GAP_Y) + BOX_H / 2
        name = LEVELS[r] if r < len(LEVELS) else ""
        out.append(f'<text class="layer" x="{MARGIN}" y="{y:.0f}" data-level="{name}">'
                   f'{escape(LEVEL_NAMES.get(name, name))}</text>')

    def centre(p: str, bottom: bool) -> tuple[float, float]:
        x, y = pos[p]
        return x + BOX_W / 2, y + (BOX_H if bottom else 0)

    drawn: set[tuple[str, str]] = set()
    for parent, child, kind in corpus.edges():
        x1, y1 = centre(parent, True)
        x2, y2 = centre(child, False)
        r = corpus.results.get((parent, child))
        s = r.summary if r else {}
        fig = f"={s.get('copied', 0)} ≈{s.get('localized', 0)} ~{s.get('adapted', 0)} " \
              f"-{s.get('dropped', 0)} +{s.get('added', 0)}"
        line = (f'<line class="edge {kind}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                f'stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>'
                f'<text class="edge-label" x="{x1 + 0.7 * (x2 - x1) + 4:.0f}" y="{y1 + 0.7 * (y2 - y1):.0f}">'
                f'{escape(fig)}</text>')
        link = report_links.get((parent, child))
        out.append(f'<a href="{escape(link)}" class="report-link">{line}</a>' if link else line)
        drawn.add((parent, child))
    for child, cites in sorted(corpus.lineage.cites.items()):
        for c, path, _by in cites:
            if path and (path, child) not in drawn and path in pos and child in pos:
                x1, y1 = centre(path, True)
                x2, y2 = centre(child, False)
                out.append(f'<line class="edge cites" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                           f'stroke="#999" stroke-dasharray="5 4" marker-end="url(#arrow)">'
                           f'<title>{escape(c.role)}: 《{escape(c.title)}》</title></line>')
                drawn.add((path, child))
    for newer, older in sorted(corpus.lineage.versions.items()):
        for o in older:
            if o in pos and newer in pos:
                (xa, ya), (xb, yb) = pos[o], pos[newer]
                out.append(f'<line class="edge version" x1="{xa + BOX_W:.0f}" y1="{ya + BOX_H / 2:.0f}" '
                           f'x2="{xb:.0f}" y2="{yb + BOX_H / 2:.0f}" stroke="#36c" stroke-dasharray="2 3" '
                           f'marker-end="url(#arrow)"><title>version</title></line>')
    for e in corpus.entries:
        x, y = pos[e.path]
        doc = corpus.docs[e.path]
        head = " ".join(str(v) for v in (e.region, e.year) if v) or os.path.basename(e.path)
        out.append(f'<g class="node {e.level or "unknown"}" data-doc="{escape(quote(e.path, safe="/"))}" '
                   f'data-level="{e.level}" tabindex="0">'
                   f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="5"/>'
                   f'<text x="{x + 6:.0f}" y="{y + 17:.0f}" class="head">{escape(_label(head, 14))}</text>'
                   f'<text x="{x + 6:.0f}" y="{y + 35:.0f}">{escape(_label(doc.title, 11))}</text>'
                   f'<title>{escape(doc.title)} ({escape(os.path.basename(e.path))})</title></g>')
    out.append("</svg>")
    return "\n".join(out)
