"""Plain data that flows forward through the pipeline.

Every stage takes and returns these frozen dataclasses; nothing here knows how it was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

RELATIONS = ("copied", "localized", "adapted", "dropped", "added")
LEVELS = ("nation", "province", "city", "district", "town")


@dataclass(frozen=True)
class Raw:
    """A file's text as read, before normalization."""

    path: str
    text: str
    encoding: str
    format: str  # txt | md | docx | pdf | html


@dataclass(frozen=True)
class Clean:
    """Normalized text with, for every character, its offset in the raw text."""

    text: str
    origin: Sequence[int]  # array("l"): offset in the raw text of each character
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` in a document's normalized text."""

    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """One node of a plan's outline (一、 / （一） / 1. / （1） / ①, or a paragraph, or a table row)."""

    id: str
    path: str
    number: str
    title: str
    body: str
    level: int
    parent_id: str | None
    span: Span
    kind: str = "outline"  # outline | paragraph | preamble | table


@dataclass(frozen=True)
class Sentence:
    """One clause of an item. ``responsible`` holds the units named in its responsibility note."""

    id: str
    item_id: str
    text: str
    masked: str
    responsible: tuple[str, ...]
    span: Span
    note: str = ""  # the responsibility note as printed, part of ``text``
    lead: tuple[str, ...] = ()  # units the note makes responsible (牵头 / 责任单位)
    support: tuple[str, ...] = ()  # units that cooperate (配合 / 参与 / 配合单位)


@dataclass(frozen=True)
class Document:
    """A segmented plan: front matter, outline items and sentences over normalized ``text``."""

    path: str
    title: str
    doc_number: str
    issuer: str
    date: str
    level: str
    region: str
    year: int | None
    items: tuple[Item, ...]
    sentences: tuple[Sentence, ...]
    text: str
    encoding: str = "utf-8"
    addressees: str = ""
    body_span: Span = field(default_factory=lambda: Span(0, 0))
    footer: str = ""
    origin: Sequence[int] = field(default=(), repr=False)
    source: str = field(default="", repr=False)
    first_year: int | None = None  # first adoption, when this text is a later revision

    def item(self, item_id: str) -> Item:
        """The item with this id."""
        return self._items_by_id()[item_id]

    def _items_by_id(self) -> dict[str, Item]:
        cache = self.__dict__.get("_by_id")
        if cache is None:
            cache = {it.id: it for it in self.items}
            object.__setattr__(self, "_by_id", cache)
        return cache

    def sentences_of(self, item_id: str) -> list[Sentence]:
        """Sentences that belong directly to one item, in document order."""
        cache = self.__dict__.get("_sentences_by_item")
        if cache is None:  # built once: the coverage audit asks for every item's sentences, often twice
            cache = {}
            for s in self.sentences:
                cache.setdefault(s.item_id, []).append(s)
            object.__setattr__(self, "_sentences_by_item", cache)
        return list(cache.get(item_id, ()))

    def original(self, span: Span) -> str:
        """The source text (before normalization) that produced ``span``."""
        if not self.origin or not self.source or span.end <= span.start:
            return self.text[span.start : span.end]
        return self.source[self.origin[span.start] : self.origin[span.end - 1] + 1]

    def meta(self) -> dict[str, Any]:
        """Front matter as a JSON-ready dict."""
        return {
            "path": self.path,
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "date": self.date,
            "level": self.level,
            "region": self.region,
            "year": self.year,
            "encoding": self.encoding,
        }


@dataclass(frozen=True)
class Edit:
    """One step of a word-level edit script: ``op`` is equal, insert, delete or replace."""

    op: str
    old: str
    new: str
    localized: bool = False  # True where the change is only a jurisdiction word (省→市)


MatchPass = Literal["outline", "reorder", "sequence", "rescue", "mutual", "split", "merge", "unmatched"]
NoteChange = Literal["none", "same", "localized", "changed", "added", "removed"]


@dataclass(frozen=True)
class PairEvidence:
    """Why two clauses were paired (or not): the aligner's pass and the figures it decided on."""

    matched_by: MatchPass  # outline: in order inside aligned items; reorder: order-free inside them;
    # sequence: in document order across items (restructured outline); rescue: anywhere (moved);
    # mutual: anywhere, each other's best counterpart on content by a margin (rewritten and moved);
    # split / merge: one clause matched by several; unmatched: dropped or added
    score: float = 0.0  # similarity of the pair (max of character ratio, content cosine, containment)
    runner_up: float = 0.0  # best similarity of either clause with any other clause
    margin: float = 0.0  # score - runner_up
    content: float = 0.0  # IDF-weighted bigram cosine of the pair
    masked: tuple[tuple[str, str], ...] = ()  # jurisdiction words changed (old, new)
    note: NoteChange = "none"  # how the responsibility note changed

    def to_dict(self) -> dict[str, Any]:
        return {"matched_by": self.matched_by, "score": round(self.score, 4), "runner_up": round(self.runner_up, 4),
                "margin": round(self.margin, 4), "content": round(self.content, 4),
                "masked": [list(x) for x in self.masked], "note": self.note}

    def __str__(self) -> str:
        return self.matched_by


@dataclass(frozen=True)
class Pair:
    """What became of one parent clause in the child (or where a child clause came from)."""

    relation: str
    moved: bool
    score: float
    parent: Sentence | None
    child: Sentence | None
    edits: tuple[Edit, ...] = ()
    evidence: PairEvidence = field(default_factory=lambda: PairEvidence("unmatched"))

    @property
    def note_change(self) -> str:
        """How the responsibility note changed (none | same | localized | changed | added | removed)."""
        return self.evidence.note


@dataclass(frozen=True)
class ItemPair:
    """Item-level relation between outline nodes of parent and child."""

    parent: Item | None
    child: Item | None
    relation: str
    score: float


def _sentence_ref(doc: Document, s: Sentence | None) -> dict[str, Any] | None:
    if s is None:
        return None
    item = doc.item(s.item_id)
    return {"id": s.id, "item": item.path, "text": s.text}


def _responsible(p: Pair) -> dict[str, Any] | None:
    """The responsibility notes of a pair as data: units of each side and how they changed."""
    sides = [s for s in (p.parent, p.child) if s is not None]
    if not any(s.note for s in sides):
        return None

    def units(s: Sentence | None) -> dict[str, list[str]] | None:
        return {"lead": list(s.lead), "support": list(s.support)} if s is not None and s.note else None

    change = p.note_change
    if p.parent is None or p.child is None:
        change = "removed" if p.child is None else "added"
    return {"parent": units(p.parent), "child": units(p.child), "relation": change}


@dataclass(frozen=True)
class Comparison:
    """The result of comparing a parent plan with a child plan."""

    parent: Document
    child: Document
    pairs: tuple[Pair, ...]
    items: tuple[ItemPair, ...]
    summary: dict[str, Any]
    thresholds: Any = field(default=None, compare=False, repr=False)  # the align.Thresholds used

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON structure documented in DESIGN.md."""
        keys = ("path", "title", "level", "region", "year", "doc_number")
        return {
            "parent": {k: self.parent.meta()[k] for k in keys},
            "child": {k: self.child.meta()[k] for k in keys},
            "pairs": [
                {
                    "relation": p.relation,
                    "moved": p.moved,
                    "score": round(p.score, 4),
                    "parent": _sentence_ref(self.parent, p.parent),
                    "child": _sentence_ref(self.child, p.child),
                    "evidence": p.evidence.to_dict(),
                    "responsible": _responsible(p),
                    "edits": [
                        {"op": e.op, "old": e.old, "new": e.new, "localized": e.localized}
                        for e in p.edits
                        if e.op != "equal"
                    ],
                }
                for p in self.pairs
            ],
            "items": [
                {
                    "parent": ip.parent.path if ip.parent else None,
                    "child": ip.child.path if ip.child else None,
                    "relation": ip.relation,
                    "score": round(ip.score, 4),
                }
                for ip in self.items
            ],
            "summary": self.summary,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`; same inputs give the same bytes."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_frame(self):
        """A pandas DataFrame with one row per pair."""
        import pandas as pd

        rows = []
        for p in self.pairs:
            pi = self.parent.item(p.parent.item_id) if p.parent else None
            ci = self.child.item(p.child.item_id) if p.child else None
            rows.append(
                {
                    "relation": p.relation,
                    "moved": p.moved,
                    "score": round(p.score, 4),
                    "parent_id": p.parent.id if p.parent else None,
                    "parent_item": pi.path if pi else None,
                    "parent_text": p.parent.text if p.parent else None,
                    "child_id": p.child.id if p.child else None,
                    "child_item": ci.path if ci else None,
                    "child_text": p.child.text if p.child else None,
                    "matched_by": p.evidence.matched_by,
                    "runner_up": round(p.evidence.runner_up, 4),
                    "margin": round(p.evidence.margin, 4),
                    "note_change": p.evidence.note,
                }
            )
        return pd.DataFrame(rows)
