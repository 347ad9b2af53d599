"""citations: the documents a text cites, with the role of each citation, resolved against a corpus.

「根据《中华人民共和国大气污染防治法》《山东省大气污染防治条例》……制定本条例」 names the legal basis;
「为贯彻落实《国务院办公厅关于…的指导意见》（国办发〔2019〕6号）精神」 names what a plan implements;
any other 《…》 is a mention. The role words, issuer endings and title clean-up are rules in
``rules/citations.tsv``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .frontmatter import normalize_doc_number
from .model import Document
from .numbering import han_to_int
from .rules import load_table

_CITE = re.compile(r"《((?:[^《》]|《[^《》]*》){2,120})》(?:[（(]([^（）()]{2,30}?号)[）)])?")
_SENTENCE_START = re.compile(r"[。；！？\n]")
ROLES = ("basis", "implements", "mention")


@dataclass(frozen=True)
class Citation:
    """One document named by a text."""

    title: str  # as printed inside 《》
    issuer: str  # written before 《》 (国务院《…》), or ''
    doc_number: str  # printed after it （国办发〔2019〕6号）, or ''
    role: str  # basis | implements | mention
    quote: str  # the sentence that cites it, for explanations
    key: str  # the normalised title used for matching


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for kind, *rest in load_table("citations.tsv"):
        out.setdefault(kind, []).append(tuple(rest))
    return out


@functools.lru_cache(maxsize=1)
def _role_res() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((role, re.compile(p)) for role, p in _rules()["role"])


@functools.lru_cache(maxsize=1)
def _issuer_re() -> re.Pattern[str]:
    suffix = _rules()["issuer_suffix"][0][0]
    return re.compile(r"((?:[\u4e00-\u9fff]{1,20}" + suffix + r"[、和]?)+)$")


@functools.lru_cache(maxsize=1)
def _strip_res() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for (p,) in _rules()["strip"])


@functools.lru_cache(maxsize=1)
def _self_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_rules()["self_ref"][0][0]), re.compile(_rules()["self_article"][0][0])


def article_refs(text: str) -> frozenset[int]:
    """The articles of its own document a clause cites: 违反本条例第十八条第一款、第二十条规定的 → {18, 20}."""
    ref, article = _self_res()
    return frozenset(han_to_int(n) for m in ref.finditer(text) for n in article.findall(m.group(0)))


def article_number(label: str) -> int | None:
    """The number of an article label (第二十七条 → 27), or None for any other label."""
    m = _self_res()[1].fullmatch(label.strip())
    return han_to_int(m.group(1)) if m else None


def title_key(title: str) -> str:
    """A title reduced for matching: no 中华人民共和国, quotes, 印发…的通知 wrapper, （试行） or version."""
    t = title
    for pattern in _strip_res():
        t = pattern.sub("", t)
    return t


def extract(doc: Document | str) -> tuple[Citation, ...]:
    """Every document cited in the body, in order (each title once, with its strongest role)."""
    text = doc if isinstance(doc, str) else doc.text[doc.body_span.start : doc.body_span.end]
    own = "" if isinstance(doc, str) else title_key(doc.title)
    found: dict[str, Citation] = {}
    for m in _CITE.finditer(text):
        title = m.group(1).strip()
        key = title_key(title)
        if len(key) < 3 or key == own or key in ("条例", "办法", "规定", "细则", "意见", "方案"):
            continue  # （以下简称《条例》） names the parent already cited
        start = max((x.end() for x in _SENTENCE_START.finditer(text, max(0, m.start() - 300), m.start())),
                    default=max(0, m.start() - 300))
        end_m = _SENTENCE_START.search(text, m.end())
        end = end_m.end() if end_m else len(text)
        before = text[start : m.start()]
        im = _issuer_re().search(re.sub(r"[（(][^（）()]*[）)]$", "", before))
        issuer = im.group(1).rstrip("、和") if im and len(im.group(1)) <= 40 else ""
        issuer = re.sub(r"^(?:为了?|根据|依据|依照|按照|贯彻落实|贯彻|落实|实施|执行|和|及)+", "", issuer)
        role = "mention"
        lead = re.sub(r"《[^《》]*》", "", before)
        for name, pattern in _role_res():
            if pattern.search(lead) and (name != "basis" or re.search(r"制定|结合|实际", text[m.end() : end])):
                role = name
                break
        c = Citation(title, issuer, normalize_doc_number(m.group(2)) if m.group(2) else "", role,
                     text[start:end].strip(), key)
        old = found.get(key)
        if old is None or ROLES.index(role) < ROLES.index(old.role):
            found[key] = c
    return tuple(found.values())


@dataclass(frozen=True)
class Resolved:
    """A citation matched to a document of the corpus."""

    citation: Citation
    path: str
    by: str  # doc_number | title | fuzzy


class Index:
    """Documents of a corpus by 文号 and by normalised title, to resolve citations against."""

    def __init__(self, docs: Iterable[tuple[str, Document]]) -> None:
        self.by_number: dict[str, list[str]] = {}
        self.by_title: dict[str, list[str]] = {}
        self.docs: dict[str, Document] = {}
        for path, doc in docs:
            self.docs[path] = doc
            if doc.doc_number:
                self.by_number.setdefault(doc.doc_number, []).append(path)
            if doc.title:
                self.by_title.setdefault(title_key(doc.title), []).append(path)

    def resolve(self, citation: Citation, citing: str, fuzzy_cutoff: float = 95.0) -> Resolved | None:
        """The corpus document a citation names (the latest version not newer than the citing one)."""
        if citation.doc_number and citation.doc_number in self.by_number:
            paths, by = self.by_number[citation.doc_number], "doc_number"
        elif citation.key in self.by_title:
            paths, by = self.by_title[citation.key], "title"
        else:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(citation.key, list(self.by_title), scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff)
            if hit is None:
                return None
            paths, by = self.by_title[hit[0]], "fuzzy"
        paths = [p for p in paths if p != citing]
        if not paths:
            return None
        year = self.docs[citing].year if citing in self.docs else None
        older = [p for p in paths if year is None or self.docs[p].year is None or self.docs[p].year <= year]
        pick = max(older or paths, key=lambda p: (self.docs[p].date or str(self.docs[p].year or ""), p))
        return Resolved(citation, pick, by)
