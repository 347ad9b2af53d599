"""versions: one document over time — version chains, and the suspect links they leave in children.

A **version chain** is a set of documents of one region with the same title family and different
years: 《北京市优化营商环境条例》 2020 and its 2024 修订, or 《2017年山东省政务公开工作要点》 and the
2021 one. The family is :func:`policydiff.citations.title_key` without the year a title may carry
(2021年, （2021年）, 2021—2025年). A newer version is not a child of the older one; :mod:`policydiff.corpus` never
takes it for one.

A **suspect link** (Doorstop's term) is a child clause that was copied or localized from a clause
of an old version of its parent, where the newest version has since *revised* that clause (its best
counterpart there is localized or adapted, not copied) or *deleted* it (no counterpart). A child
clause taken from a clause the new version keeps word for word is not suspect. Clauses the child
adapted, or added, are not links to parent wording and are not listed; nor are preambles (front
matter and adoption notes are not wording a child inherits).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import Comparison, Document, Pair

TAKEN = ("copied", "localized")  # how a child clause takes parent wording
CHANGE_ORDER = ("copied", "localized", "adapted")  # best counterpart first
_TITLE_YEAR = re.compile(r"[（(]?(?:19|20)\d{2}(?:\s*[—\-－~至]\s*(?:19|20)?\d{2,4})?年度?[）)]?")
_DIVISION = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[编章节]")


@dataclass(frozen=True)
class Chain:
    """Versions of one document, oldest first."""

    title: str  # the title family (title_key)
    region: str
    paths: tuple[str, ...]
    years: tuple[int | None, ...]

    @property
    def latest(self) -> str:
        return self.paths[-1]


@dataclass(frozen=True)
class Suspect:
    """A child clause taken from old wording that the new version revised or deleted."""

    child_item: str  # as printed: 第十二条, 第二十四条（五）
    child_text: str
    taken: str  # copied | localized: how the child took the old wording
    old_item: str
    old_text: str
    change: str  # revised | deleted
    new_item: str  # '' when deleted
    new_text: str


@dataclass(frozen=True)
class Suspects:
    """The suspect links of one child of an old version."""

    old: Document
    new: Document
    child: Document
    taken: int  # child clauses copied or localized from the old version
    suspects: tuple[Suspect, ...]

    def to_dict(self, rel=lambda p: p) -> dict[str, Any]:
        """JSON-ready; ``rel`` maps paths (e.g. relative to a manifest's folder)."""
        return {"child": rel(self.child.path), "old": rel(self.old.path), "new": rel(self.new.path),
                "old_year": self.old.year, "new_year": self.new.year, "taken": self.taken,
                "suspect": len(self.suspects), "suspects": [s.__dict__ for s in self.suspects]}


def label(doc: Document, item_id: str) -> str:
    """An item as printed, with the article it belongs to: 第二十四条（五）, not only （五）."""
    parts = []
    it = doc.item(item_id)
    while it is not None:
        number = it.number.strip()
        if number and not _DIVISION.match(number):
            parts.append(number)
        it = doc.item(it.parent_id) if it.parent_id else None
    return "".join(reversed(parts)) or doc.item(item_id).path


def family(title: str) -> str:
    """The title family: the title for matching, without the year it may carry."""
    from .citations import title_key

    return _TITLE_YEAR.sub("", title_key(title))


def chains(docs: Iterable[Document]) -> list[Chain]:
    """Version chains among ``docs``: same region, same title family, at least two different years."""
    families: dict[tuple[str, str], list[Document]] = {}
    for d in docs:
        key = family(d.title)
        if key:
            families.setdefault((key, d.region), []).append(d)
    out = []
    for (key, region), fam in sorted(families.items()):
        dated = sorted((d for d in fam if d.year), key=lambda d: (d.year, d.path))
        if len({d.year for d in dated}) >= 2:
            out.append(Chain(key, region, tuple(d.path for d in dated), tuple(d.year for d in dated)))
    return out


def _best(pairs: Iterable[Pair]) -> dict[str, Pair]:
    """For each parent-side clause, its best surviving counterpart (copied before localized before adapted)."""
    best: dict[str, Pair] = {}
    for p in pairs:
        if p.parent is None or p.child is None or p.relation not in CHANGE_ORDER:
            continue
        old = best.get(p.parent.id)
        if old is None or (CHANGE_ORDER.index(p.relation), -p.score) < (CHANGE_ORDER.index(old.relation), -old.score):
            best[p.parent.id] = p
    return best


def suspects(old: Document, new: Document, child: Document, revision: Comparison | None = None,
             derivation: Comparison | None = None) -> Suspects:
    """The suspect links of ``child`` (derived from ``old``) now that ``new`` has replaced ``old``.

    ``revision`` (old → new) and ``derivation`` (old → child) are computed when not given.
    """
    from . import compare

    revision = revision or compare(old, new)
    derivation = derivation or compare(old, child)
    now = _best(revision.pairs)
    seen: set[str] = set()
    out = []
    # the preamble (front matter, adoption notes, a Markdown comment) is not wording a child inherits
    links = [p for p in derivation.pairs if p.relation in TAKEN and p.parent is not None and p.child is not None
             and old.item(p.parent.item_id).kind != "preamble" and child.item(p.child.item_id).kind != "preamble"]
    for p in sorted(links, key=lambda p: (p.child.span.start, p.parent.span.start)):
        if p.child.id in seen:  # a child clause merged from two old clauses: judged on the first
            continue
        seen.add(p.child.id)
        q = now.get(p.parent.id)
        if q is not None and q.relation == "copied":
            continue
        out.append(Suspect(label(child, p.child.item_id), p.child.text, p.relation,
                           label(old, p.parent.item_id), p.parent.text,
                           "revised" if q is not None else "deleted",
                           label(new, q.child.item_id) if q is not None else "", q.child.text if q is not None else ""))
    return Suspects(old, new, child, len(seen), tuple(out))


@dataclass(frozen=True)
class VersionsReport:
    """Version chains of a corpus and, for each child of an old version, its suspect links."""

    chains: tuple[Chain, ...]
    children: tuple[Suspects, ...]

    def to_dict(self, root: str | None = None) -> dict[str, Any]:
        """JSON-ready, paths relative to ``root`` when given."""
        rel = (lambda p: os.path.relpath(p, root)) if root else (lambda p: p)
        return {"definitions": {
                    "chain": "same region, same title family, different years: versions, not parent and child",
                    "suspect": "a child clause copied or localized from old-version wording that the newest "
                               "version revised (counterpart localized or adapted) or deleted (no counterpart)"},
                "chains": [{"title": c.title, "region": c.region,
                            "versions": [{"path": rel(p), "year": y} for p, y in zip(c.paths, c.years, strict=True)]}
                           for c in self.chains],
                "children": [s.to_dict(rel) for s in self.children]}


def report(corpus) -> VersionsReport:
    """Chains among the corpus's plans; suspects for every plan whose parent is an old version.

    The parent is the manifest's ``parent`` column or the one the corpus discovered.
    """
    # a duplicate (the same plan twice, e.g. a traditional-script copy) is not a version
    found = chains(corpus.docs[e.path] for e in corpus.entries
                   if getattr(corpus.discoveries.get(e.path), "source", "") != "duplicate")
    newest = {p: c.latest for c in found for p in c.paths[:-1]}
    chain_of = {p: k for k, c in enumerate(found) for p in c.paths}
    revisions: dict[str, Comparison] = {}  # one old → new compare for all the children of an old version
    kids = []
    for e in corpus.entries:
        d = corpus.discoveries.get(e.path)
        old = d.parent if d is not None and d.source != "duplicate" else None
        if old not in newest or chain_of.get(e.path) == chain_of[old]:  # a version is not a child
            continue
        o, n = corpus.docs[old], corpus.docs[newest[old]]
        if old not in revisions:
            from . import compare

            revisions[old] = compare(o, n)
        kids.append(suspects(o, n, corpus.docs[e.path], revisions[old]))
    return VersionsReport(tuple(found), tuple(kids))
