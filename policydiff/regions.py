"""The gazetteer: China's provinces, prefecture cities and county-level districts.

Data in ``rules/regions.tsv`` (derived from the national division codes, see
``scripts/build_gazetteer.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from .rules import load_table


@dataclass(frozen=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    level: str  # province | city | district
    parent: str
    short: str


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """All regions by code."""
    return {row[0]: Region(*row[:5]) for row in load_table("regions.tsv")}


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Region]]:
    out: dict[str, list[Region]] = {}
    for r in regions().values():
        out.setdefault(r.name, []).append(r)
    return out


class Names:
    """Find any of a few thousand names in text: leftmost, longest first, never overlapping.

    The same matches as a regex alternation of the names sorted longest first, but built in
    milliseconds: compiling that regex over the 3,219-name gazetteer cost a quarter second per
    process, and an Aho-Corasick automaton also scans several times faster.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for name in names:
            self._automaton.add_word(name, len(name))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each name found, left to right."""
        if self._empty or not text:
            return
        for end, length in self._automaton.iter_long(text):
            yield end + 1 - length, end + 1

    def findall(self, text: str) -> list[str]:
        """The names found, left to right."""
        return [text[i:j] for i, j in self.spans(text)]

    def search(self, text: str) -> tuple[int, int] | None:
        """The first name's span, or None."""
        return next(self.spans(text), None)

    def sub(self, repl: str, text: str) -> str:
        """``text`` with each name replaced by ``repl``."""
        out, last = [], 0
        for i, j in self.spans(text):
            out.append(text[last:i])
            out.append(repl)
            last = j
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)


@functools.lru_cache(maxsize=1)
def names() -> Names:
    """Every full region name (山东省, 聊城市, 东昌府区)."""
    return Names(_by_name())


def lookup(name: str, within: str | None = None) -> Region | None:
    """The region called ``name``; ``within`` (a province or city name) breaks ties."""
    found = _by_name().get(name, [])
    if len(found) > 1 and within:
        for r in found:
            if ancestor_names(r) & {within}:
                return r
    return found[0] if found else None


def lookup_all(name: str) -> list[Region]:
    """Every region called ``name`` (铁西区 is a district of several cities)."""
    return list(_by_name().get(name, []))


@functools.lru_cache(maxsize=4096)
def enclosing_names(name: str) -> frozenset[str]:
    """Names of every region above any region called ``name`` (铁西区 → 沈阳市, 鞍山市, 辽宁省…)."""
    return frozenset(n for r in lookup_all(name) for n in ancestor_names(r))


def encloses(outer: str, inner: str) -> bool:
    """Is the region named ``outer`` above some region named ``inner``?"""
    return outer in enclosing_names(inner)


def parent_of(region: Region) -> Region | None:
    """The region one level up."""
    return regions().get(region.parent) if region.parent else None


def ancestor_names(region: Region) -> set[str]:
    """Names of the regions above ``region``."""
    out = set()
    r = parent_of(region)
    while r is not None:
        out.add(r.name)
        r = parent_of(r)
    return out


def find_issuer_region(text: str) -> Region | None:
    """The region an issuer or title names first ("聊城市人民政府办公室" → 聊城市)."""
    span = names().search(text)
    if span is None:
        return None
    # A district named inside a city ("淄博市淄川区") belongs to the more specific one.
    region = lookup(text[span[0]:span[1]])
    nxt = names().search(text[span[1]:])
    if nxt and nxt[0] == 0 and region is not None:
        child = lookup(text[span[1]:span[1] + nxt[1]], within=region.name)
        if child is not None:
            return child
    return region
