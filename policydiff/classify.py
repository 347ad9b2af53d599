"""classify: aligned sentences → copied / localized / adapted / dropped / added (+ moved).

- copied: identical after normalization (terminal punctuation and spaces aside);
- localized: identical once jurisdiction words are masked (省→市, 省财政厅→市财政局);
- adapted: matched but reworded — carries a word-level edit script from jieba tokens;
- dropped / added: no counterpart;
- moved: the counterpart sits under a child item other than the one the outline alignment
  pairs with the parent's item, or one level from it (a sentence of measures that became a
  lead-in and sub-items has not moved).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from .align import DEFAULT, Alignment, Thresholds, align
from .jurisdiction import is_jurisdiction_change, mask
from .model import RELATIONS, Comparison, Document, Edit, ItemPair, Pair, PairEvidence, Sentence
from .words import cut as tokens
from .words import cut_many

_TOKENS = re.compile("[\ue001-\ue006]")
_PUNCT = re.compile(r"[\s。；！？，、：“”‘’《》〈〉「」…—]+")


def _plain(text: str) -> str:
    """The comparison key: text without white space and punctuation (，/、/“” differences are not edits)."""
    return _PUNCT.sub("", text)


def _clause(s: Sentence, masked: bool = False) -> str:
    """A sentence without its responsibility note: the task itself (masked after the note is cut)."""
    text = s.text
    if s.note and text.endswith(s.note):
        text = text[: len(text) - len(s.note)]
    return _plain(mask(text) if masked else text)


def _unit_set(s: Sentence, masked: bool = False) -> frozenset[str]:
    units = s.responsible or ((_plain(s.note),) if s.note else ())
    return frozenset(_plain(mask(u)) if masked else _plain(u) for u in units)


def responsible_change(p: Sentence, c: Sentence) -> str:
    """How the responsibility note changed: none, same, localized, changed, added, removed.

    Notes are compared as sets of units: the same units listed in another order are the same note;
    省财政厅 → 市财政局 is localized.
    """
    if not p.note and not c.note:
        return "none"
    if not c.note:
        return "removed"
    if not p.note:
        return "added"
    if _plain(p.note) == _plain(c.note) or _unit_set(p) == _unit_set(c):
        return "same"
    if _plain(mask(p.note)) == _plain(mask(c.note)) or _unit_set(p, True) == _unit_set(c, True):
        return "localized"
    return "changed"


_EXACT_EDIT_PAIRS = 1_000_000


def edit_script(old: str, new: str, words: Mapping[str, list[str]] | None = None) -> tuple[Edit, ...]:
    """Word-level edits turning ``old`` into ``new``; jurisdiction-only replacements are flagged.

    ``words`` holds texts already cut (:func:`policydiff.words.cut_many`); others are cut here.
    """
    a = words[old] if words is not None and old in words else tokens(old)
    b = words[new] if words is not None and new in words else tokens(new)
    # difflib is cubic on long repetitive word lists (a 20,000-character clause: minutes); past a
    # million word pairs, which no real clause reaches, its popular-word heuristic bounds it
    sm = difflib.SequenceMatcher(None, a, b, autojunk=len(a) * len(b) > _EXACT_EDIT_PAIRS)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        o, n = "".join(a[i1:i2]), "".join(b[j1:j2])
        localized = op == "replace" and is_jurisdiction_change(o, n)
        out.append(Edit(op, o, n, localized))
    return tuple(_merge_localized(out))


def _merge_localized(edits: list[Edit]) -> list[Edit]:
    """jieba may split 省财政厅 as 省/财政厅 and 市财政局 as 市/财政局: re-check neighbours together."""
    out: list[Edit] = []
    for e in edits:
        if out and e.op != "equal" and out[-1].op != "equal" and not e.localized:
            prev = out[-1]
            o, n = prev.old + e.old, prev.new + e.new
            if is_jurisdiction_change(o, n):
                out[-1] = Edit("replace", o, n, True)
                continue
        out.append(e)
    return out


def relation_of(p: Sentence, c: Sentence) -> str:
    """copied, localized or adapted for a matched pair.

    Decided on the clause without its responsibility note: a note is an attribute of the task
    (see :func:`responsible_change`), and a rewritten list of units does not make a copied task
    adapted.
    """
    if _clause(p) == _clause(c):
        return "copied"
    mp, mc = _clause(p, masked=True), _clause(c, masked=True)
    if mp == mc or _TOKENS.sub("", mp) == _TOKENS.sub("", mc):
        return "localized"  # only jurisdiction words changed, were added (全省…) or went
    return "adapted"


def classify(parent: Document, child: Document, granularity: str = "sentence",
             thresholds: Thresholds = DEFAULT) -> Comparison:
    """Compare two segmented plans and classify every clause."""
    al = align(parent, child, thresholds)
    pairs = _pairs(parent, child, al)
    items = _item_pairs(parent, child, al, pairs)
    summary = summarize(pairs, len(parent.sentences))
    summary["granularity"] = granularity
    return Comparison(parent, child, tuple(pairs), tuple(items), summary, thresholds)


def _pairs(parent: Document, child: Document, al: Alignment) -> list[Pair]:
    p_item = {it.id: k for k, it in enumerate(parent.items)}
    c_item = {it.id: k for k, it in enumerate(child.items)}
    built: list[tuple[tuple[int, int, int], Pair]] = []
    landed: dict[int, int] = {}
    p_up = [p_item.get(it.parent_id) for it in parent.items]
    c_up = [c_item.get(it.parent_id) for it in child.items]
    reworded: list[str] = []
    for m in al.matches:
        if m.parent is not None and m.child is not None:
            landed[m.parent] = max(landed.get(m.parent, -1), m.child)
            p, c = parent.sentences[m.parent], child.sentences[m.child]
            if p.text != c.text:
                reworded += (p.text, c.text)
    words = cut_many(reworded)  # in one go: from the preloaded helper when there is one
    for m in al.matches:
        p = parent.sentences[m.parent] if m.parent is not None else None
        c = child.sentences[m.child] if m.child is not None else None
        if p is not None and c is not None:
            rel = relation_of(p, c)
            edits = edit_script(p.text, c.text, words) if p.text != c.text else ()
            if rel == "localized":  # masked-equal: every word edit is a jurisdiction word
                edits = tuple(Edit(e.op, e.old, e.new, e.op != "equal" and bool(_plain(e.old + e.new)))
                              for e in edits)
            moved = not _in_place(p_item[p.item_id], c_item[c.item_id], al, p_up, c_up) \
                or p_item[p.item_id] in al.moved_items
            score = 1.0 if rel in ("copied", "localized") else m.score
            note = responsible_change(p, c)
            masked = tuple((e.old, e.new) for e in edits if e.localized)
            ev = PairEvidence(m.evidence, m.score, m.runner_up, m.score - m.runner_up, m.content, masked, note)
            pair = Pair(rel, moved, score, p, c, edits, ev)
        elif p is not None:
            pair = Pair("dropped", False, 0.0, p, None, (), PairEvidence("unmatched", 0.0, m.runner_up, -m.runner_up))
        else:
            pair = Pair("added", False, 0.0, None, c, (), PairEvidence("unmatched", 0.0, m.runner_up, -m.runner_up))
        built.append((_order_key(m, landed), pair))
    built.sort(key=lambda kp: kp[0])
    return [p for _, p in built]


def _in_place(i: int, j: int, al: Alignment, p_up: list[int | None], c_up: list[int | None]) -> bool:
    """Is child item ``j`` where parent item ``i`` went: its counterpart, or one level from it
    (a sentence of measures that became a lead-in and sub-items, or sub-items folded into one)."""
    went = al.item_of_parent.get(i)
    return went == j or (went is not None and went == c_up[j]) or \
        (p_up[i] is not None and al.item_of_parent.get(p_up[i]) == j)


def _order_key(m, landed: dict[int, int]) -> tuple[int, int, int]:
    """Child document order; a dropped sentence follows where its nearest kept predecessor landed."""
    if m.child is not None:
        return (m.child, 0, m.parent if m.parent is not None else -1)
    k = m.parent - 1
    while k >= 0 and k not in landed:
        k -= 1
    return (landed[k] if k >= 0 else -1, 1, m.parent)


def _item_pairs(parent: Document, child: Document, al: Alignment, pairs: list[Pair]) -> list[ItemPair]:
    rel_by_item: dict[str, Counter] = {}
    for p in pairs:
        if p.parent is not None:
            rel_by_item.setdefault(p.parent.item_id, Counter())[p.relation] += 1
    out = []
    for i, j, score in al.items:
        pi = parent.items[i] if i is not None else None
        ci = child.items[j] if j is not None else None
        if pi is None:
            rel = "added"
        elif ci is None:
            rel = "dropped"
        else:
            rel = aggregate_relation(rel_by_item.get(pi.id, Counter()))
        out.append(ItemPair(pi, ci, rel, score))
    return out


def aggregate_relation(relations: Iterable[str]) -> str:
    """One relation for a group of clauses (an item, a task): dropped only if all are."""
    rels = set(relations)
    if rels == {"dropped"}:
        return "dropped"
    if not rels or rels == {"copied"}:
        return "copied"
    if rels <= {"copied", "localized"}:
        return "localized"
    return "adapted"


def summarize(pairs: list[Pair] | tuple[Pair, ...], n_parent: int) -> dict:
    """Counts per relation, moved count and coverage (share of parent clauses kept)."""
    counts = Counter(p.relation for p in pairs)
    summary: dict = {r: counts.get(r, 0) for r in RELATIONS}
    summary["moved"] = sum(1 for p in pairs if p.moved)
    kept = {p.parent.id for p in pairs if p.parent is not None and p.relation != "dropped"}
    summary["coverage"] = round(len(kept) / n_parent, 4) if n_parent else 0.0
    return summary


__all__ = ["aggregate_relation", "classify", "edit_script", "relation_of", "summarize", "tokens", "mask"]
