"""align: parent Document × child Document → matched items and sentences.

1. Items are aligned first, in outline order, by dynamic programming over a score matrix
   (rapidfuzz ``process.cdist`` on masked text), so repeated boilerplate is told apart by
   its place in the outline.
2. Sentences are aligned inside each pair of aligned items, again in order.
3. A rescue pass matches what is left across the whole document (clauses moved elsewhere).
4. Splits and merges: a leftover child sentence next to a matched one is attached to the same
   parent when the two together match it better (1:N), and the mirror for N:1.

All thresholds live in :class:`Thresholds`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .citations import article_number, article_refs
from .model import Document, MatchPass, Sentence


@dataclass(frozen=True)
class Thresholds:
    """Every number the aligner uses, tuned on the samples and the perturbation tests.

    Scores are rapidfuzz similarities in [0, 1] of masked text with responsibility notes removed.
    """

    item: float = 0.40  # an item pair gains (score - item) in the outline DP
    item_title_weight: float = 0.35  # share of the item score that comes from headings
    item_repair: float = 0.2  # an item paired in order moves to a far better free counterpart (by this)
    follow_leads: bool = True  # a sub-item its plan repeats (法律、法规的其他规定。) goes where its lead went
    references: bool = True  # clauses citing articles of their plan (违反本条例第十八条) pair by those articles…
    cited: float = 0.75  # … two citing articles the outline pairs score at least this; others do not pair
    sentence: float = 0.42  # inside aligned items, a sentence pair gains (score - sentence)
    sentence_short: float = 0.36  # same, when both clauses are short (< short_len characters)
    short_len: int = 24
    partial_weight: float = 0.8  # inside items: partial_ratio × this competes with the plain ratio
    partial_min_len: int = 10
    partial_max_len: int = 1000  # longer clauses: containment stands in for partial_ratio (cubic cost)
    partial_max_pairs: int = 20000  # … and in an item pair with more candidate pairs than this
    partial_content: float = 0.25  # … and only when the pair's content overlap reaches this
    rescue: float = 0.72  # a sentence matched anywhere in the document (moved)
    rescue_item: float = 0.62  # an unaligned item matched anywhere (a moved item)
    split_gain: float = 0.04  # a split/merge must raise the pair's score at least this much
    split_piece: float = 0.5  # the extra piece must itself look like part of the other side (partial_ratio)
    split_min_len: int = 4  # and have at least this many characters
    split_rest: float = 0.5  # or: the piece resembles what its neighbour left of the other side this much…
    split_rest_min_len: int = 8  # … both having at least this many characters
    rest_elsewhere: float = 0.5  # … or a clause of another item that is such a rest and scores this with it
    list_item: float = 0.8  # a list item of a split sentence: this share of it is in the sentence…
    list_lead_in: float = 0.5  # … and the list's lead-in, once two of its items went there
    list_max_items: int = 40  # past this many sub-items a lead is a chapter of articles, not a list
    merge_contained: float = 0.85  # a clause merged with a non-neighbour: this share of it is in the merged one
    merge_min_len: int = 12  # … and it has at least this many characters
    content_weight: float = 1.0  # IDF-weighted bigram cosine × this competes with the character ratio
    content_veto: float = 0.10  # below this content overlap a pair is a distractor, whatever its ratio
    content_veto_len: int = 12  # the veto applies when both clauses are at least this long
    contained_weight: float = 0.8  # a condensed clause: containment × this competes with the ratio
    contained_min_len: int = 8  # … when the shorter clause has at least this many characters
    reorder: float = 0.45  # inside aligned items, a leftover pair matched out of order
    rescue_content: float = 0.55  # a moved clause matched anywhere on content overlap alone
    mutual: float = 0.20  # leftovers that are each other's best counterpart on content overlap…
    mutual_margin: float = 0.05  # … by at least this much over either clause's next best
    sequence: float = 0.30  # leftovers of both documents aligned in document order (restructured outlines)
    sequence_content: float = 0.25  # … when they also share this much content (IDF-weighted)
    chunk_cells: int = 4_000_000  # past this many sentence pairs, plans are aligned in stretches…
    stretch_sentences: int = 600  # … of about this many parent sentences, cut at anchor items


DEFAULT = Thresholds()
_NOTE_STRIP = re.compile(r"[\s。；！？，、：“”‘’《》（）()]")


def core(s: Sentence) -> str:
    """What is compared: masked text without its responsibility note and punctuation."""
    text = s.masked
    if s.note:
        idx = text.rfind("（")
        if idx > 0:
            text = text[:idx]
    return _NOTE_STRIP.sub("", text)


@dataclass
class Match:
    """A sentence match found by the aligner."""

    parent: int | None  # index into parent.sentences
    child: int | None
    score: float
    evidence: MatchPass  # the pass that matched it (see model.PairEvidence)
    runner_up: float = 0.0
    content: float = 0.0


@dataclass
class Alignment:
    """Raw alignment result: item pairs and sentence matches (indices)."""

    items: list[tuple[int | None, int | None, float]]
    matches: list[Match]
    item_of_parent: dict[int, int] = field(default_factory=dict)  # parent item idx → child item idx
    moved_items: set[int] = field(default_factory=set)  # parent items aligned out of outline order


_LONG = 5000  # speed only: pairs of clauses both longer than this are scored one by one


def _scores(a: list[str], b: list[str]) -> np.ndarray:
    """fuzz.ratio of every pair, in [0, 1].

    The ratio of two clauses costs the product of their lengths (two 100,000-character clauses:
    4.5 s), so pairs of long clauses are scored one by one, and identical ones are 1.0 at once; a
    plan compared with itself no longer pays that product. The figures are the same either way.
    """
    if not a or not b:
        return np.zeros((len(a), len(b)))
    long_a = [i for i, x in enumerate(a) if len(x) > _LONG]
    long_b = [j for j, x in enumerate(b) if len(x) > _LONG]
    if not long_a or not long_b:
        return process.cdist(a, b, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0
    short_a = [i for i in range(len(a)) if len(a[i]) <= _LONG]
    short_b = [j for j in range(len(b)) if len(b[j]) <= _LONG]
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    if short_b:
        out[:, short_b] = process.cdist(a, [b[j] for j in short_b], scorer=fuzz.ratio, dtype=np.float32, workers=1)
    if short_a:
        out[np.ix_(short_a, long_b)] = process.cdist([a[i] for i in short_a], [b[j] for j in long_b],
                                                     scorer=fuzz.ratio, dtype=np.float32, workers=1)
    for i in long_a:
        for j in long_b:
            out[i, j] = 100.0 if a[i] == b[j] else fuzz.ratio(a[i], b[j])
    return out / 100.0


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)] or ([s] if s else [])


def content_scores(a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Content overlap of every clause pair: (cosine, containment) of IDF-weighted character bigrams.

    IDF is taken over the clauses of both documents, so frame words (各级各部门要…加强…工作) that
    occur in many clauses weigh little and the rare content words of a clause decide: a reworded
    clause still matches, a distractor does not. Containment is the weighted share of the shorter
    clause's bigrams found in the longer one: a condensed clause kept inside a longer one.
    """
    if not a or not b:
        z = np.zeros((len(a), len(b)), dtype=np.float32)
        return z, z
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, text in enumerate(a + b):
        counts: dict[int, int] = {}
        for g in _bigrams(text):
            k = vocab.setdefault(g, len(vocab))
            counts[k] = counts.get(k, 0) + 1
        for k, n in counts.items():
            rows.append(r)
            cols.append(k)
            vals.append(float(n))
    row, gram, tf = np.array(rows), np.array(cols), np.array(vals)
    idf = _idf(np.bincount(gram, minlength=len(vocab)), len(a) + len(b))
    w = tf * idf[gram]
    unit = w * (1 / _norms(np.sqrt(np.bincount(row, weights=w * w, minlength=len(a) + len(b)))))[row]
    weight = idf[gram]
    ones = np.ones_like(weight)
    mass = _norms(np.bincount(row, weights=weight, minlength=len(a) + len(b)))
    cosine = np.zeros((len(a), len(b)))
    shared, shared_b = np.zeros((len(a), len(b))), np.zeros((len(a), len(b)))
    for rows_of_a, pairs in _shared_grams(row, gram, len(a), len(b)):
        cosine[rows_of_a] = pairs.sum(unit, unit)
        shared[rows_of_a] = pairs.sum(weight, ones)
        shared_b[rows_of_a] = pairs.sum(ones, weight)
    # the shared mass is rounded to float32 before dividing, as it always was (outputs unchanged)
    a_in_b = shared.astype(np.float32) / mass[: len(a), None]
    b_in_a = shared_b.astype(np.float32) / mass[None, len(a) :]
    la = np.array([len(x) for x in a])[:, None]
    lb = np.array([len(x) for x in b])[None, :]
    containment = np.where(la <= lb, a_in_b, b_in_a).astype(np.float32)
    return cosine.astype(np.float32), containment


@dataclass(frozen=True)
class _SharedGrams:
    """Every (a-clause, b-clause, shared bigram) triple of a block of a's clauses, as entry positions."""

    left: np.ndarray  # entry of the a-clause
    right: np.ndarray  # entry of the b-clause
    cell: np.ndarray  # (a-row - first row of the block) × len(b) + b-row
    shape: tuple[int, int]

    def sum(self, left_values: np.ndarray, right_values: np.ndarray) -> np.ndarray:
        """Σ over shared bigrams of left × right value, for every clause pair (a sparse product)."""
        flat = np.bincount(self.cell, weights=left_values[self.left] * right_values[self.right],
                           minlength=self.shape[0] * self.shape[1])
        return flat.reshape(self.shape)


_BLOCK_TRIPLES = 4_000_000  # memory only: triples held at once (~100 MB), results the same


def _shared_grams(row: np.ndarray, gram: np.ndarray, na: int, nb: int) -> Iterator[tuple[slice, _SharedGrams]]:
    """Pair the bigram entries of a's clauses with b's entries of the same bigram, a block of rows at a time.

    A sparse matrix product written with numpy alone: scipy.sparse did this before, and importing
    it cost a fifth of a second in every process. Frame bigrams shared by every clause make the
    triples number clauses² × frame words, so they are made for a block of a's rows at a time.
    """
    is_b = row >= na
    b_entries = np.flatnonzero(is_b)
    b_entries = b_entries[np.argsort(gram[b_entries], kind="stable")]
    b_grams = gram[b_entries]
    a_entries = np.flatnonzero(~is_b)
    start = np.searchsorted(b_grams, gram[a_entries], side="left")
    count = np.searchsorted(b_grams, gram[a_entries], side="right") - start
    per_row = np.bincount(row[a_entries], weights=count, minlength=na)
    first_entry = np.searchsorted(row[a_entries], np.arange(na + 1))  # a's entries are in row order
    r0 = 0
    while r0 < na:
        r1 = r0 + 1
        total = per_row[r0]
        while r1 < na and total + per_row[r1] <= _BLOCK_TRIPLES:
            total += per_row[r1]
            r1 += 1
        e0, e1 = first_entry[r0], first_entry[r1]
        c = count[e0:e1]
        left = np.repeat(a_entries[e0:e1], c)
        offsets = np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
        right = b_entries[np.repeat(start[e0:e1], c) + offsets]
        cell = (row[left] - r0) * nb + (row[right] - na)
        yield slice(r0, r1), _SharedGrams(left, right, cell, (r1 - r0, nb))
        r0 = r1


def _idf(df: np.ndarray, clauses: int) -> np.ndarray:
    # 20 pseudo-clauses that share nothing: in a plan of three clauses a shared bigram is not a frame word
    return np.log((clauses + 21) / (df + 0.5))


def _norms(x: np.ndarray) -> np.ndarray:
    """``x`` with zeros replaced by 1, so that an empty clause divides to zero, not NaN."""
    return np.where(x == 0, 1.0, x)


def _partial(pc: list[str], cc: list[str], rows: list[int], cols: list[int], content: np.ndarray,
             contained: np.ndarray, sent: np.ndarray, t: Thresholds) -> np.ndarray:
    """Inside aligned items, a clause cut down to its first half still matches (phrase-level drops).

    Only pairs that share content (or frame words would pair up) and that a partial score could
    still raise (their score is below ``partial_weight``) are scored. partial_ratio costs about the
    cube of a clause's length (a 20,000-character clause took minutes): past ``partial_max_len``
    characters, which no real clause reaches (the longest of ~70,000 in the corpus has 433), and in
    an item pair with more than ``partial_max_pairs`` such pairs (a plan with no outline), the
    bigram containment stands in for it.
    """
    block = np.ix_(rows, cols)
    la, lb = np.array([len(pc[r]) for r in rows]), np.array([len(cc[c]) for c in cols])
    wanted = (content[block] >= t.partial_content) & (sent[block] < t.partial_weight) \
        & (np.minimum.outer(la, lb) >= t.partial_min_len)
    part = np.where(wanted, contained[block], 0.0).astype(np.float32)
    exact = wanted & np.outer(la <= t.partial_max_len, lb <= t.partial_max_len)
    cells = np.argwhere(exact)
    if 0 < len(cells) <= t.partial_max_pairs:
        scores = [fuzz.partial_ratio(pc[rows[a]], cc[cols[b]]) for a, b in cells]
        part[exact] = np.array(scores, dtype=np.float32) / 100.0
    return part * t.partial_weight


def _piece(piece: str, whole: str, t: Thresholds) -> float:
    """How much ``piece`` looks like part of ``whole``: partial_ratio, or containment past the length cap."""
    if not piece:
        return 0.0
    if max(len(piece), len(whole)) > t.partial_max_len:
        return _contained(piece, whole)
    return fuzz.partial_ratio(piece, whole) / 100


def _dp(gain: np.ndarray) -> list[tuple[int, int]]:
    """Order-preserving alignment maximising the sum of positive gains (gaps cost nothing)."""
    n, m = gain.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        row_gain = gain[i - 1]
        prev = best[i - 1]
        cur = best[i]
        for j in range(1, m + 1):
            g = row_gain[j - 1]
            diag = prev[j - 1] + g if g > 0 else -1.0
            cur[j] = max(prev[j], cur[j - 1], diag)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        g = gain[i - 1, j - 1]
        if g > 0 and best[i, j] == best[i - 1, j - 1] + g:
            pairs.append((i - 1, j - 1))
            i -= 1
            j -= 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _item_texts(doc: Document, cores: list[str]) -> tuple[list[str], list[str]]:
    body: dict[str, list[str]] = {}
    for s, c in zip(doc.sentences, cores, strict=True):
        body.setdefault(s.item_id, []).append(c)
    from .jurisdiction import mask

    titles = [_NOTE_STRIP.sub("", mask(it.title)) for it in doc.items]
    bodies = ["".join(body.get(it.id, [])) for it in doc.items]
    return titles, bodies


def _item_scores(parent: Document, child: Document, pc: list[str], cc: list[str], t: Thresholds) -> np.ndarray:
    pt, pb = _item_texts(parent, pc)
    ct, cb = _item_texts(child, cc)
    body = _scores(pb, cb)
    title = _scores(pt, ct)
    both = np.outer([bool(x) for x in pt], [bool(x) for x in ct])
    score = np.where(both, (1 - t.item_title_weight) * body + t.item_title_weight * title, body)
    # Items of different kinds (a table row vs an outline heading) are weaker evidence.
    pk = np.array([it.kind == "table" for it in parent.items])
    ck = np.array([it.kind == "table" for it in child.items])
    score = np.where(np.equal.outer(pk, ck), score, score * 0.8)
    return score


def align(parent: Document, child: Document, t: Thresholds = DEFAULT) -> Alignment:
    """Align two segmented plans.

    Plans with more than ``chunk_cells`` sentence pairs (thousands of items on both sides) are cut
    into corresponding stretches at anchor items and aligned stretch by stretch: see
    :func:`_align_in_stretches`.
    """
    if len(parent.sentences) * len(child.sentences) > t.chunk_cells:
        return _align_in_stretches(parent, child, t)
    return _align_whole(parent, child, t)


def _align_in_stretches(parent: Document, child: Document, t: Thresholds) -> Alignment:
    """Align two big plans in corresponding stretches, so that cost grows with their length, not its square.

    Anchors are items whose masked text occurs once in each plan and identically in both, kept
    where they run in the same order in both (a longest increasing subsequence, as patience diff
    does). The plans are cut after an anchor once a stretch holds ``stretch_sentences`` parent
    sentences; a stretch still too big (few anchors) is cut in proportion. Each stretch is aligned
    as a whole plan would be; a last rescue pass matches what the stretches left with each other
    (clauses moved far), and what it cannot match is reported dropped and added: the price of a
    bound on time and memory.
    """
    once_p, once_c = _unique(_item_keys(parent)), _unique(_item_keys(child))
    anchors = _increasing(sorted((i, once_c[k]) for k, i in once_p.items() if k in once_c))
    p_sent, c_sent = _sentences_by_item(parent), _sentences_by_item(child)
    per_item, per_child_item = [len(x) for x in p_sent], [len(x) for x in c_sent]
    cuts = [(0, 0)]
    for i, j in anchors:
        if sum(per_item[cuts[-1][0] : i + 1]) >= t.stretch_sentences:
            cuts.append((i + 1, j + 1))
    cuts.append((len(parent.items), len(child.items)))
    stretches: list[tuple[int, int, int, int]] = []
    for (p0, c0), (p1, c1) in zip(cuts, cuts[1:], strict=False):
        if p0 == p1 and c0 == c1:
            continue  # both plans ended with the last anchor
        pieces = max(1, -(-sum(per_item[p0:p1]) * sum(per_child_item[c0:c1]) // t.chunk_cells))
        pieces = min(pieces, max(1, min(p1 - p0, c1 - c0)))  # every piece keeps an item of each side
        stretches += _proportional(p0, p1, c0, c1, pieces)
    return _stitch(parent, child, p_sent, c_sent, stretches, t)


def _item_keys(doc: Document) -> list[str]:
    """Each item's masked heading and clauses (as the item scores see them): what an anchor must share exactly."""
    titles, bodies = _item_texts(doc, [core(s) for s in doc.sentences])
    return [title + "\0" + body for title, body in zip(titles, bodies, strict=True)]


def _unique(keys: list[str]) -> dict[str, int]:
    """Keys with some text (8 characters or more) that occur exactly once, and where."""
    seen: dict[str, int] = {}
    twice: set[str] = set()
    for i, k in enumerate(keys):
        if len(k) < 8:
            continue
        if k in seen:
            twice.add(k)
        seen[k] = i
    return {k: i for k, i in seen.items() if k not in twice}


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by first) whose seconds increase too (patience sorting)."""
    tails: list[int] = []  # tails[k]: the smallest second that ends a run of length k + 1
    tail_at: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
        back.append(tail_at[k - 1] if k else -1)
    out, n = [], tail_at[-1] if tail_at else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def _proportional(p0: int, p1: int, c0: int, c1: int, pieces: int) -> list[tuple[int, int, int, int]]:
    """Cut a stretch into ``pieces`` of equal shares of both plans (a stretch with too few anchors)."""
    return [(p0 + (p1 - p0) * k // pieces, p0 + (p1 - p0) * (k + 1) // pieces,
             c0 + (c1 - c0) * k // pieces, c0 + (c1 - c0) * (k + 1) // pieces) for k in range(pieces)]


def _stitch(parent: Document, child: Document, p_sent: list[list[int]], c_sent: list[list[int]],
            stretches: list[tuple[int, int, int, int]], t: Thresholds) -> Alignment:
    """Align each stretch as a plan of its own and put the results back in the plans' numbering.

    ``p_sent`` and ``c_sent`` are each plan's sentences by item (:func:`_sentences_by_item`).
    """
    items: list[tuple[int | None, int | None, float]] = []
    matches: list[Match] = []
    item_of_parent: dict[int, int] = {}
    moved: set[int] = set()
    for p0, p1, c0, c1 in stretches:
        ps = [k for i in range(p0, p1) for k in p_sent[i]]
        cs = [k for j in range(c0, c1) for k in c_sent[j]]
        sub_p = replace(parent, items=parent.items[p0:p1], sentences=tuple(parent.sentences[k] for k in ps))
        sub_c = replace(child, items=child.items[c0:c1], sentences=tuple(child.sentences[k] for k in cs))
        al = _align_whole(sub_p, sub_c, t)
        items += [(None if i is None else i + p0, None if j is None else j + c0, sc) for i, j, sc in al.items]
        for m in al.matches:
            m.parent = None if m.parent is None else ps[m.parent]
            m.child = None if m.child is None else cs[m.child]
            matches.append(m)
        item_of_parent.update({i + p0: j + c0 for i, j in al.item_of_parent.items()})
        moved |= {i + p0 for i in al.moved_items}
    matches = _rescue_across(parent, child, matches, t)
    # the order _align_whole gives: aligned pairs, then parent-only, then child-only items
    out = sorted(x for x in items if x[0] is not None and x[1] is not None)
    out += sorted((x for x in items if x[1] is None), key=lambda x: x[0])
    out += sorted((x for x in items if x[0] is None), key=lambda x: x[1])
    return Alignment(out, matches, item_of_parent, moved)


def _rescue_across(parent: Document, child: Document, matches: list[Match], t: Thresholds) -> list[Match]:
    """Clauses left unmatched in their stretch, matched with those left in any other (moved far).

    The same two rescue passes as inside a plan, over the leftovers only; skipped when even the
    leftovers have more than ``chunk_cells`` pairs.
    """
    free_p = [m.parent for m in matches if m.child is None]
    free_c = [m.child for m in matches if m.parent is None]
    if not free_p or not free_c or len(free_p) * len(free_c) > t.chunk_cells:
        return matches
    pc = [core(parent.sentences[i]) for i in free_p]
    cc = [core(child.sentences[j]) for j in free_c]
    sent, content, _, veto = _sentence_scores(pc, cc, t)
    leads = (_lead_ins([parent.sentences[i] for i in free_p]), _lead_ins([child.sentences[j] for j in free_c]))
    found = _rescues(sent, content, veto, list(range(len(pc))), list(range(len(cc))), t, leads)
    if not found:
        return matches
    rescued_p, rescued_c = {free_p[a] for a, _, _ in found}, {free_c[b] for _, b, _ in found}
    out = [m for m in matches if not ((m.child is None and m.parent in rescued_p)
                                      or (m.parent is None and m.child in rescued_c))]
    for a, b, how in found:
        out.append(_evidence(Match(free_p[a], free_c[b], float(sent[a, b]), how), a, b, sent, content))
    return out


def _lead_ins(sents: list[Sentence]) -> set[int]:
    """Positions of the clauses that introduce a list (…有下列情形之一的：): frames, not tasks."""
    return {k for k, s in enumerate(sents) if s.text.rstrip().endswith(("：", ":"))}


def _rescues(sent: np.ndarray, content: np.ndarray, veto: np.ndarray, rows: list[int], cols: list[int],
             t: Thresholds, leads: tuple[set[int], set[int]] = (set(), set())) -> list[tuple[int, int, MatchPass]]:
    """Leftover pairs matched anywhere, with the pass that found them.

    First on the score, then (reworded moves) on content overlap alone, then pairs whose content
    overlap is lower but that are each other's best counterpart by a margin: a rewritten clause
    that kept a few rare words of its parent and resembles nothing else. A list's lead-in clause
    (``leads``: rows and columns) shares little but frame words and the list's subject, so it takes
    no part in that last pass.
    """
    overlap = np.where(veto, 0.0, content)
    first = _greedy(sent, rows, cols, t.rescue)
    used_r, used_c = {i for i, _ in first}, {j for _, j in first}
    rows, cols = [r for r in rows if r not in used_r], [c for c in cols if c not in used_c]
    second = _greedy(overlap, rows, cols, t.rescue_content)
    used_r, used_c = {i for i, _ in second}, {j for _, j in second}
    third = _mutual(overlap, [r for r in rows if r not in used_r and r not in leads[0]],
                    [c for c in cols if c not in used_c and c not in leads[1]], t)
    return [(i, j, "rescue") for i, j in first + second] + [(i, j, "mutual") for i, j in third]


def _mutual(score: np.ndarray, rows: list[int], cols: list[int], t: Thresholds) -> list[tuple[int, int]]:
    """Pairs of leftovers that are each other's best counterpart, at least ``mutual`` and by ``mutual_margin``."""
    if not rows or not cols:
        return []
    sub = score[np.ix_(rows, cols)]
    best_col, best_row = sub.argmax(axis=1), sub.argmax(axis=0)
    out = []
    for a, b in enumerate(best_col):
        value = sub[a, b]
        if value < t.mutual or best_row[b] != a:
            continue
        row, col = sub[a].copy(), sub[:, b].copy()
        row[b] = col[a] = 0.0
        if value - max(row.max(initial=0.0), col.max(initial=0.0)) >= t.mutual_margin:
            out.append((rows[a], cols[int(b)]))
    return out


def _evidence(m: Match, i: int | None, j: int | None, sent: np.ndarray, content: np.ndarray) -> Match:
    """Set ``m``'s runner-up (the best other counterpart either clause had) and content overlap.

    ``i`` and ``j`` are its clauses' rows and columns in ``sent`` and ``content``.
    """
    if i is not None and j is not None:
        row, col = sent[i].copy(), sent[:, j].copy()
        row[j] = col[i] = -1.0
        m.runner_up = float(max(row.max(initial=0.0), col.max(initial=0.0)))
        m.content = float(content[i, j])
    elif i is not None:
        m.runner_up = float(sent[i].max(initial=0.0))
    else:
        m.runner_up = float(sent[:, j].max(initial=0.0))
    return m


def _sentences_by_item(doc: Document) -> list[list[int]]:
    """For each item, the indices of its sentences in document order."""
    index = {it.id: k for k, it in enumerate(doc.items)}
    out: list[list[int]] = [[] for _ in doc.items]
    for k, s in enumerate(doc.sentences):
        out[index[s.item_id]].append(k)
    return out


def _sentence_scores(pc: list[str], cc: list[str], t: Thresholds
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(score, content overlap, containment, veto) of every clause pair."""
    ratio = _scores(pc, cc)
    content, contained = content_scores(pc, cc)
    long_pair = np.logical_and.outer(np.array([len(x) >= t.content_veto_len for x in pc], dtype=bool),
                                     np.array([len(x) >= t.content_veto_len for x in cc], dtype=bool))
    veto = long_pair & (content < t.content_veto)
    shorter = np.minimum.outer(np.array([len(x) for x in pc]), np.array([len(x) for x in cc]))
    kept_inside = np.where((shorter >= t.contained_min_len) & (content >= t.partial_content),
                           contained * t.contained_weight, 0.0)
    sent = np.where(veto, 0.0, np.maximum(np.maximum(ratio, content * t.content_weight), kept_inside))
    return sent, content, contained, veto


def _align_whole(parent: Document, child: Document, t: Thresholds) -> Alignment:
    """Align two plans with every sentence pair scored (see :func:`align`).

    Penalty articles read alike (违反本条例第…条规定…责令改正…罚款); what tells them apart is the article
    each punishes. When both plans have clauses citing their own articles, the plans are aligned
    once without that, the articles are paired by the clauses matched across them, and the plans
    are aligned again (on the same scores) with the agreement of the articles two clauses cite.
    """
    pc = [core(s) for s in parent.sentences]
    cc = [core(s) for s in child.sentences]
    scores = (pc, cc, *_sentence_scores(pc, cc, t), _item_scores(parent, child, pc, cc, t))
    first = _align_once(parent, child, t, scores)
    if not t.references:
        return first
    votes, ref_sents = _reference_agreement(parent, child, first)
    if ref_sents is None or _agrees(first, votes, ref_sents):
        return first
    return _align_once(parent, child, t, scores, (votes, ref_sents))


def _agrees(first: Alignment, votes: dict[tuple[int, int], int], ref_sents: np.ndarray) -> bool:
    """Whether the references have nothing to change in the first alignment: it pairs no two
    clauses or items they keep apart, and every pair they vote for is one of its pairs already."""
    pairs = {(m.parent, m.child) for m in first.matches if m.parent is not None and m.child is not None}
    if any(ref_sents[i, j] < 0 for i, j in pairs):
        return False
    if any((i, j) not in pairs for i, j in zip(*np.nonzero(ref_sents > 0), strict=True)):
        return False
    return all((first.item_of_parent.get(a) == b) == (vote > 0) for (a, b), vote in votes.items()
               if vote > 0 or first.item_of_parent.get(a) == b)


def _align_once(parent: Document, child: Document, t: Thresholds, scores: tuple,
                refs: tuple[dict[tuple[int, int], int], np.ndarray] | None = None) -> Alignment:
    """One alignment of two plans on ``scores`` (clause cores, the four arrays of
    :func:`_sentence_scores` and the item scores); ``refs`` (see :func:`_reference_agreement`) vote on
    item and clause pairs."""
    pc, cc, sent, content, contained, veto, item_score = scores
    if refs is not None:
        votes, ref_sents = refs
        item_score = item_score.copy()
        for (a, b), vote in votes.items():
            item_score[a, b] = max(item_score[a, b], t.cited) if vote > 0 else 0.0
        sent = np.where(ref_sents < 0, 0.0, np.where(ref_sents > 0, np.maximum(sent, t.cited), sent))
        veto = veto | (ref_sents < 0)

    items_aligned, moved_items = _align_items(item_score, t)
    if t.follow_leads:
        _follow_leads(parent, child, item_score, items_aligned, moved_items, t)

    p_sents, c_sents = _sentences_by_item(parent), _sentences_by_item(child)

    matched_p: dict[int, Match] = {}
    matched_c: dict[int, Match] = {}

    def take(i: int, j: int, score: float, evidence: MatchPass) -> None:
        m = Match(i, j, score, evidence)
        matched_p[i] = m
        matched_c[j] = m

    for pi, ci in sorted(items_aligned.items()):
        rows, cols = p_sents[pi], c_sents[ci]
        if not rows or not cols:
            continue
        # a clause cut short (partial match) must share content too, or frame words pair up
        partial = _partial(pc, cc, rows, cols, content, contained, sent, t)
        sub = np.maximum(sent[np.ix_(rows, cols)], partial)
        sub = np.where(veto[np.ix_(rows, cols)], 0.0, sub)
        short = np.outer([len(pc[r]) < t.short_len for r in rows], [len(cc[c]) < t.short_len for c in cols])
        gain = sub - np.where(short, t.sentence_short, t.sentence)
        for a, b in _dp(gain):
            take(rows[a], cols[b], float(sub[a, b]), "outline")
        # a second, order-free pass: clauses reordered inside the item
        left_r = [k for k, r in enumerate(rows) if r not in matched_p]
        left_c = [k for k, c in enumerate(cols) if c not in matched_c]
        for a, b in _greedy(sub, left_r, left_c, t.reorder):
            take(rows[a], cols[b], float(sub[a, b]), "reorder")

    def leftovers() -> tuple[list[int], list[int]]:
        return ([i for i in range(len(pc)) if i not in matched_p], [j for j in range(len(cc)) if j not in matched_c])

    # restructured outlines: what the item pass left is aligned again in document order, across items
    free_p, free_c = leftovers()
    if free_p and free_c:
        sub = np.where(content[np.ix_(free_p, free_c)] >= t.sequence_content, sent[np.ix_(free_p, free_c)], 0.0)
        for a, b in _dp(sub - t.sequence):
            take(free_p[a], free_c[b], float(sub[a, b]), "sequence")

    # a clause split into pieces before the rescues, so a piece left over competes with no one
    pieces = _splits_and_merges(parent, child, pc, cc, matched_p, matched_c, t)
    leads = (_lead_ins(parent.sentences), _lead_ins(child.sentences))
    for i, j, how in _rescues(sent, content, veto, *leftovers(), t, leads):
        take(i, j, float(sent[i, j]), how)

    # the merges of the first call are in matched_p too: they come once, with the splits, in pieces
    matches = [m for m in matched_p.values() if m.evidence not in ("split", "merge")] + pieces
    matches += _splits_and_merges(parent, child, pc, cc, matched_p, matched_c, t)
    matches += _rest_elsewhere(pc, cc, sent, content, matches, t)
    covered_p = {m.parent for m in matches}
    covered_c = {m.child for m in matches}
    matches += [Match(i, None, 0.0, "unmatched") for i in range(len(pc)) if i not in covered_p]
    matches += [Match(None, j, 0.0, "unmatched") for j in range(len(cc)) if j not in covered_c]
    for m in matches:
        _evidence(m, m.parent, m.child, sent, content)
    item_pairs = [(i, j, float(item_score[i, j])) for i, j in sorted(items_aligned.items())]
    aligned_c = set(items_aligned.values())
    item_pairs += [(i, None, 0.0) for i in range(len(parent.items)) if i not in items_aligned]
    item_pairs += [(None, j, 0.0) for j in range(len(child.items)) if j not in aligned_c]
    return Alignment(item_pairs, matches, items_aligned, moved_items)


def _align_items(item_score: np.ndarray, t: Thresholds) -> tuple[dict[int, int], set[int]]:
    """Parent item → child item, in outline order (DP), repaired, then moved items matched anywhere."""
    items_aligned = dict(_dp(item_score - t.item))
    moved_items = _repaired(item_score, items_aligned, t)
    # moved items: unaligned on both sides but similar
    free_p = [i for i in range(item_score.shape[0]) if i not in items_aligned]
    used_c = set(items_aligned.values())
    free_c = [j for j in range(item_score.shape[1]) if j not in used_c]
    for i, j in _greedy(item_score, free_p, free_c, t.rescue_item):
        items_aligned[i] = j
        moved_items.add(i)
    return items_aligned, moved_items


def _follow_leads(parent: Document, child: Document, item_score: np.ndarray, items_aligned: dict[int, int],
                  moved_items: set[int], t: Thresholds) -> None:
    """A sub-item whose text its plan repeats (法律、法规的其他规定。 closing every list) matches all its
    copies alike; it goes with its lead: to the copy under the item its lead is aligned with, which
    gives its place to the sub-item that held that copy."""
    p_index = {it.id: k for k, it in enumerate(parent.items)}
    bodies = Counter(it.body for it in parent.items)
    holder = {j: i for i, j in items_aligned.items()}
    kids: dict[str, list[int]] = {}
    for j, c in enumerate(child.items):
        if c.parent_id is not None:
            kids.setdefault(c.parent_id, []).append(j)
    for i, it in enumerate(parent.items):
        lead = p_index.get(it.parent_id) if it.parent_id is not None else None
        if lead is None or not it.body or bodies[it.body] < 2 or lead not in items_aligned:
            continue
        home = child.items[items_aligned[lead]].id
        now = items_aligned.get(i)
        if now is not None and child.items[now].parent_id == home:
            continue
        mine = now if now is not None else -1
        best = max((j for j in kids.get(home, []) if j != mine), key=lambda j: item_score[i, j], default=None)
        if best is None or item_score[i, best] < max(t.rescue_item, item_score[i, now] if now is not None else 0.0):
            continue
        other = holder.get(best)
        if other is not None and parent.items[other].parent_id == it.parent_id:
            continue  # a sibling copy holds it already
        if other is not None:
            if now is not None:
                items_aligned[other] = now
                holder[now] = other
            else:
                del items_aligned[other]
        elif now is not None:
            del holder[now]
        items_aligned[i] = best
        holder[best] = i
        moved_items.discard(i)


def _reference_agreement(parent: Document, child: Document, first: Alignment
                         ) -> tuple[dict[tuple[int, int], int], np.ndarray | None]:
    """Votes on item pairs and clause pairs from the articles of its own plan a clause cites.

    Where each article went is read from the ``first`` alignment: its item pairs and clause pairs
    between articles that cite none (the duties). For two citing clauses (违反本条例第十八条规定 …):
    +1 when the articles the parent clause cites went to one the child clause cites; -1 when the
    articles either cites went elsewhere, or all of them exist and went nowhere; 0 otherwise. An
    item pair takes +1 if any of its clause pairs has it, else -1; the other clauses of two items
    voted apart are kept apart too. A citing clause and a clause of the cited article's counterpart
    (the penalty and the duty it punishes) get -1. ``None`` for the clauses when either plan cites
    none of its articles."""
    p_refs = [article_refs(s.text) for s in parent.sentences]
    c_refs = [article_refs(s.text) for s in child.sentences]
    rows = [i for i, r in enumerate(p_refs) if r]
    cols = [j for j, r in enumerate(c_refs) if r]
    if not rows or not cols:
        return {}, None
    items: dict[tuple[int, int], int] = {}
    sents = np.zeros((len(p_refs), len(c_refs)), dtype=np.int8)
    p_number = {k: n for k, it in enumerate(parent.items) if (n := article_number(it.number)) is not None}
    c_number = {k: n for k, it in enumerate(child.items) if (n := article_number(it.number)) is not None}
    p_article = _article_of(parent, p_number)
    c_article = _article_of(child, c_number)
    # article number → the other plan's article numbers it went to: by the first alignment's item
    # pairs and clause pairs, between articles that cite none (the duties, not the penalties)
    went: dict[int, set[int]] = {}
    came: dict[int, set[int]] = {}
    citing_p, citing_c = {p_article[i] for i in rows}, {c_article[j] for j in cols}
    links = [(p_number.get(a), c_number.get(b)) for a, b in first.item_of_parent.items()]
    links += [(p_article[m.parent], c_article[m.child]) for m in first.matches
              if m.parent is not None and m.child is not None]
    for a, b in links:
        if a is not None and b is not None and a not in citing_p and b not in citing_c:
            went.setdefault(a, set()).add(b)
            came.setdefault(b, set()).add(a)
    known_p, known_c = set(p_number.values()), set(c_number.values())
    p_item = {it.id: k for k, it in enumerate(parent.items)}
    c_item = {it.id: k for k, it in enumerate(child.items)}
    # where the articles each citing clause cites went (parent side) and came from (child side)
    to = {i: set().union(*(went.get(n, set()) for n in p_refs[i])) for i in rows}
    frm = {j: set().union(*(came.get(n, set()) for n in c_refs[j])) for j in cols}
    for i in rows:
        a = p_item[parent.sentences[i].item_id]
        for j in cols:
            if to[i] & c_refs[j]:
                sents[i, j] = 1
            elif to[i] or frm[j] or (p_refs[i] <= known_p and c_refs[j] <= known_c):
                sents[i, j] = -1
            else:
                continue
            b = c_item[child.sentences[j].item_id]
            items[a, b] = max(items.get((a, b), -1), int(sents[i, j]))
    # the other clauses of two penalty articles that punish different duties (情节严重的，… / 拒不改正的，…)
    # go with their articles
    p_by_item, c_by_item = _sentences_by_item(parent), _sentences_by_item(child)
    for (a, b), vote in items.items():
        if vote < 0:
            block = np.ix_(p_by_item[a], c_by_item[b])
            sents[block] = np.where(sents[block] == 0, -1, sents[block])
    # a penalty is not the duty it punishes: a clause citing an article is not paired with a clause
    # of that article's counterpart (禁止新建…高污染燃料的设施 → 违反本条例第十六条第二款规定，…新建…的)
    for j in cols:
        duty = [i for i, n in enumerate(p_article) if n in frm[j] and not p_refs[i] and sents[i, j] == 0]
        sents[duty, j] = -1
    for i in rows:
        duty = [k for k, n in enumerate(c_article) if n in to[i] and not c_refs[k] and sents[i, k] == 0]
        sents[i, duty] = -1
    return items, sents


def _article_of(doc: Document, number: dict[int, int]) -> list[int | None]:
    """The number of the article each clause belongs to (its item's, or the nearest enclosing one's)."""
    index = {it.id: k for k, it in enumerate(doc.items)}
    of_item: list[int | None] = []
    for k, it in enumerate(doc.items):
        up = index.get(it.parent_id) if it.parent_id is not None else None
        of_item.append(number.get(k, of_item[up] if up is not None and up < k else None))
    return [of_item[index[s.item_id]] for s in doc.sentences]


def _repaired(item_score: np.ndarray, items_aligned: dict[int, int], t: Thresholds) -> set[int]:
    """Items the outline DP paired in order although each has a far better counterpart out of order.

    A child that moves a chapter forward (生态环境 before 文明出行) leaves the DP a choice of one of the
    two orders; the other chapter's lead-in then pairs with whatever lead-in stands in its place, on
    frame words alone (公民应当保护生态环境，自觉遵守下列规定： → 公民应当文明使用互联网，自觉遵守下列规定：).
    A parent item moves to a child item the DP left free when they are each other's best counterpart,
    at least ``rescue_item`` and ``item_repair`` above the pair the DP made. Returns the moved items.
    """
    if not items_aligned or not item_score.size:
        return set()
    used_c = set(items_aligned.values())
    free = np.array([j not in used_c for j in range(item_score.shape[1])], dtype=bool)
    best_p = item_score.argmax(axis=0)
    moved = set()
    for i, j in sorted(items_aligned.items()):
        row = np.where(free, item_score[i], -1.0)
        k = int(row.argmax())
        if free[k] and best_p[k] == i and row[k] >= t.rescue_item and row[k] - item_score[i, j] >= t.item_repair:
            items_aligned[i] = k
            free[k], free[j] = False, True
            moved.add(i)
    return moved


def _greedy(score: np.ndarray, rows: list[int], cols: list[int], threshold: float) -> list[tuple[int, int]]:
    """Best-first one-to-one matching of the leftovers above ``threshold``."""
    if not rows or not cols:
        return []
    sub = score[np.ix_(rows, cols)]
    order = np.argsort(-sub, axis=None, kind="stable")
    used_r: set[int] = set()
    used_c: set[int] = set()
    out = []
    for flat in order:
        a, b = divmod(int(flat), len(cols))
        if sub[a, b] < threshold:
            break
        if a in used_r or b in used_c:
            continue
        used_r.add(a)
        used_c.add(b)
        out.append((rows[a], cols[b]))
    return sorted(out)


def _splits_and_merges(parent: Document, child: Document, pc: list[str], cc: list[str],
                       matched_p: dict[int, Match], matched_c: dict[int, Match], t: Thresholds) -> list[Match]:
    """Attach a leftover clause to its neighbour's counterpart when together they match it better."""
    splits = _attach(child.sentences, cc, pc, matched_c, lambda m: m.parent,
                     lambda j, i, score: Match(i, j, score, "split"), t)
    splits += _attach_list(child, cc, pc, matched_c, lambda m: m.parent,
                           lambda j, i, score: Match(i, j, score, "split"), t)
    split_parents = {m.parent for m in splits}
    merges = _attach(parent.sentences, pc, cc, matched_p, lambda m: m.child,
                     lambda i, j, score: Match(i, j, score, "merge"), t, skip=split_parents)
    merges += _attach_list(parent, pc, cc, matched_p, lambda m: m.child,
                           lambda i, j, score: Match(i, j, score, "merge"), t, skip=split_parents)
    return splits + merges


def _attach_list(doc: Document, own: list[str], other: list[str], matched: dict[int, Match], counterpart,
                 build, t: Thresholds, skip: set[int] | frozenset[int] = frozenset()) -> list[Match]:
    """A sentence that lists measures (采取责令…停产、限制…行驶、停止…施工等措施), rewritten as a lead-in
    and numbered sub-items, or the reverse: the leftover items of the list go where a matched item
    of theirs went, when that sentence contains them; the lead-in follows two of its items.
    """
    index = {it.id: k for k, it in enumerate(doc.items)}
    by_item = _sentences_by_item(doc)
    leads = _lead_ins(list(doc.sentences))
    # a formula the plan repeats (构成犯罪的，依法追究刑事责任) is contained anywhere: it proves nothing
    seen = Counter(own)
    sub_items: dict[str, list[int]] = {}
    for k, it in enumerate(doc.items):
        if it.parent_id in index:
            sub_items.setdefault(it.parent_id, []).append(k)
    out: list[Match] = []
    for lead_id, subs in sub_items.items():
        if not 2 <= len(subs) <= t.list_max_items or not leads.intersection(by_item[index[lead_id]]):
            continue
        members = [k for item in subs for k in by_item[item]]
        heads = by_item[index[lead_id]]
        for o in sorted({counterpart(matched[k]) for k in members + heads if k in matched} - {None}):
            went = sum(1 for item in subs if any(k in matched and counterpart(matched[k]) == o for k in by_item[item]))
            free = [k for k in members if k not in matched and k not in skip and seen[own[k]] == 1
                    and len(own[k]) >= t.split_min_len]
            for k in free:
                inside = _contained(own[k], other[o])
                # or the rewritten other half of a sentence its neighbouring item took part of
                if inside >= t.list_item or any(
                        nb in matched and counterpart(matched[nb]) == o and _rest_matches(own[k], other[o], own[nb], t)
                        for nb in (k - 1, k + 1) if nb in members):
                    out.append(build(k, o, inside))
                    matched[k] = out[-1]
                    went += 1
            if went >= 2:
                for k in heads:
                    if k in matched or k in skip or seen[own[k]] != 1:
                        continue
                    inside = _contained(own[k], other[o])
                    if inside >= t.list_lead_in:
                        out.append(build(k, o, inside))
                        matched[k] = out[-1]
    return out


def _attach(sents, own: list[str], other: list[str], matched: dict[int, Match], counterpart,
            build, t: Thresholds, skip: set[int] | frozenset[int] = frozenset()) -> list[Match]:
    """One side of :func:`_splits_and_merges`: leftovers of ``own`` joined to a matched neighbour."""
    out: list[Match] = []
    for k in range(len(own)):
        if k in matched or k in skip:
            continue
        for nb in (k - 1, k + 1):
            m = matched.get(nb)
            o = counterpart(m) if m is not None else None
            if o is None or sents[nb].item_id != sents[k].item_id:
                continue
            joined = own[nb] + own[k] if nb < k else own[k] + own[nb]
            together = fuzz.ratio(other[o], joined) / 100
            piece = _piece(own[k], other[o], t)
            if (together >= m.score + t.split_gain and piece >= t.split_piece and len(own[k]) >= t.split_min_len) \
                    or _rest_matches(own[k], other[o], own[nb], t):
                out.append(build(k, o, max(together, m.score)))
                matched[k] = out[-1]
                break
        else:
            # not a neighbour: a clause of the same item whose counterpart contains this one too
            # (two clauses merged around a third); each piece is judged by containment
            for nb in sorted((x for x in matched if x != k and sents[x].item_id == sents[k].item_id),
                             key=lambda x: abs(x - k)):
                m = matched[nb]
                o = counterpart(m)
                if o is None or len(own[k]) < t.merge_min_len:
                    continue
                inside = _contained(own[k], other[o])
                if inside >= t.merge_contained and \
                        len(other[o]) >= len(own[nb]) + t.merge_contained * len(own[k]) * 0.8:
                    out.append(build(k, o, inside))
                    matched[k] = out[-1]
                    break
    return out


def _rest_elsewhere(pc: list[str], cc: list[str], sent: np.ndarray, content: np.ndarray, matches: list[Match],
                    t: Thresholds) -> list[Match]:
    """Leftover clauses that are the rewritten rest of a sentence a clause of another item took part of:
    the split-half test (:func:`_rest_matches`) without the neighbour. 禁止露天焚烧秸秆 (one article) and
    禁止在城市建成区…露天焚烧树枝、落叶等产生烟尘污染的物质 (another) → 禁止露天焚烧秸秆、树枝、枯草、落叶等…:
    once 禁止露天焚烧秸秆 is taken out of the child sentence, the rest resembles the second clause. The
    leftover is tried against its best matched counterpart only, which it must resemble at least
    ``rest_elsewhere`` and share content with (``partial_content``: not frame words alone, as in
    加大扶贫信息公开力度 → 加大实施质量强省和品牌战略信息公开力度); a formula the plan repeats never counts."""
    by_c: dict[int, list[int]] = {}
    by_p: dict[int, list[int]] = {}
    for m in matches:
        if m.parent is not None and m.child is not None:
            by_c.setdefault(m.child, []).append(m.parent)
            by_p.setdefault(m.parent, []).append(m.child)
    if not by_c:
        return []
    out: list[Match] = []

    def side(own: list[str], other: list[str], score: np.ndarray, shared: np.ndarray, mine: dict[int, list[int]],
             theirs: dict[int, list[int]], build) -> None:
        seen = Counter(own)
        targets = sorted(theirs)
        for k in range(len(own)):
            if k in mine or seen[own[k]] != 1:
                continue
            o = targets[int(score[k, targets].argmax())]
            if score[k, o] >= t.rest_elsewhere and shared[k, o] >= t.partial_content \
                    and any(_rest_matches(own[k], other[o], own[nb], t) for nb in theirs[o]):
                out.append(build(k, o, float(score[k, o])))

    side(pc, cc, sent, content, by_p, by_c, lambda k, o, score: Match(k, o, score, "merge"))
    side(cc, pc, sent.T, content.T, by_c, by_p, lambda k, o, score: Match(o, k, score, "split"))
    return out


def _rest_matches(piece: str, whole: str, kept: str, t: Thresholds) -> bool:
    """A rewritten half of a split sentence: ``piece`` resembles what is left of ``whole`` once the
    characters its neighbour ``kept`` matched are taken out (在用机动车应当…定期进行…排放检验，经检验合格
    方可上道路行驶 → 在用机动车应当…定期对其进行排放检验。 + 经检验合格的，方可上道路行驶。)."""
    if len(piece) < t.split_rest_min_len or max(len(whole), len(kept)) > t.partial_max_len:
        return False
    left = list(whole)
    for op in Indel.opcodes(whole, kept):
        if op.tag == "equal" and op.src_end - op.src_start >= 2:
            left[op.src_start:op.src_end] = [""] * (op.src_end - op.src_start)
    rest = "".join(left)
    return len(rest) >= t.split_rest_min_len and fuzz.ratio(piece, rest) / 100 >= t.split_rest


def _contained(piece: str, whole: str) -> float:
    """Share of the character bigrams of ``piece`` found in ``whole``."""
    grams = set(_bigrams(piece))
    return len(grams & set(_bigrams(whole))) / len(grams) if grams else 0.0
