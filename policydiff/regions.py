"""The gazetteer: China's provinces, prefecture cities and county-level districts.

Data in ``rules/regions.tsv`` (derived from the national division codes, see
``scripts/build_gazetteer.py``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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


@functools.lru_cache(maxsize=1)
def names_pattern() -> re.Pattern[str]:
    """A regex matching any full region name, longest first."""
    names = sorted(_by_name(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


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
    m = names_pattern().search(text)
    if m is None:
        return None
    # A district named inside a city ("淄博市淄川区") belongs to the more specific one.
    region = lookup(m.group(0))
    rest = text[m.end():]
    nxt = names_pattern().match(rest)
    if nxt and region is not None:
        child = lookup(nxt.group(0), within=region.name)
        if child is not None:
            return child
    return region
