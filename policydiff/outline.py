"""Views of one segmented plan: the outline tree as text or as a JSON-ready dict."""

from __future__ import annotations

from typing import Any

from .model import Document


def outline_dict(doc: Document) -> dict[str, Any]:
    """Metadata and the full outline tree, with sentences, as plain dicts."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    by_item: dict[str, list[dict[str, Any]]] = {}
    for s in doc.sentences:
        by_item.setdefault(s.item_id, []).append(
            {"id": s.id, "text": s.text, "responsible": list(s.responsible), "span": [s.span.start, s.span.end]})
    for it in doc.items:
        node = {"id": it.id, "path": it.path, "number": it.number, "kind": it.kind, "title": it.title,
                "span": [it.span.start, it.span.end], "sentences": by_item.get(it.id, []), "children": []}
        nodes[it.id] = node
        children.setdefault(it.parent_id, []).append(node)
    for it in doc.items:
        nodes[it.id]["children"] = children.get(it.id, [])
    meta = doc.meta()
    meta.update({"addressees": doc.addressees, "footer": doc.footer, "items": len(doc.items),
                 "sentences": len(doc.sentences)})
    from .citations import extract

    cites = [{"title": c.title, "issuer": c.issuer, "doc_number": c.doc_number, "role": c.role}
             for c in extract(doc)]
    return {"document": meta, "cites": cites, "outline": children.get(None, [])}


def outline_text(doc: Document) -> str:
    """The outline as an indented tree: path, title, sentence count, responsible units."""
    counts: dict[str, int] = {}
    units: dict[str, list[str]] = {}
    for s in doc.sentences:
        counts[s.item_id] = counts.get(s.item_id, 0) + 1
        for u in s.responsible:
            if u not in units.setdefault(s.item_id, []):
                units[s.item_id].append(u)
    lines = [
        f"{doc.title or '(untitled)'}",
        f"  {doc.doc_number or '-'} · {doc.issuer or '-'} · {doc.date or '-'} · "
        f"{doc.level or '?'} {doc.region or ''} · {doc.year or ''} · encoding {doc.encoding}",
        "",
    ]
    for it in doc.items:
        title = it.title or (it.body[:30] + ("…" if len(it.body) > 30 else ""))
        label = f"{'  ' * (it.level - 1)}{it.path:<10} {title}"
        extra = f"  [{counts.get(it.id, 0)} sent.]"
        if units.get(it.id):
            extra += "  责任: " + "、".join(units[it.id][:6]) + ("…" if len(units[it.id]) > 6 else "")
        lines.append(label + extra)
    from .citations import extract

    cites = extract(doc)
    if cites:
        lines += ["", f"cites {len(cites)} documents:"]
        for c in cites:
            number = f"（{c.doc_number}）" if c.doc_number else ""
            lines.append(f"  {c.role:<10} {c.issuer}《{c.title}》{number}")
    return "\n".join(lines) + "\n"
