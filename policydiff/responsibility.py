"""Responsibility notes: （省财政厅牵头落实）, （各市、省政府有关部门负责落实）, 责任单位：….

The words that make a bracket a responsibility note, and the tails stripped from it, live in
``rules/responsibility.tsv``.
"""

from __future__ import annotations

import functools
import re

from .rules import load_table


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, value, *_ in load_table("responsibility.tsv"):
        out.setdefault(kind, []).append(value)
    return out


@functools.lru_cache(maxsize=1)
def _note_re() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, _rules()["keyword"])))


@functools.lru_cache(maxsize=1)
def _tail_re() -> re.Pattern[str]:
    tails = sorted(_rules()["tail"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, tails)) + ")+$")


@functools.lru_cache(maxsize=1)
def _unit_re() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(map(re.escape, _rules()["unit_suffix"])) + ")$")


def is_note(inner: str) -> bool:
    """Is the text inside a bracket a responsibility note?"""
    return bool(_note_re().search(inner)) and len(inner) <= 400


def units(note: str) -> tuple[str, ...]:
    """The units a note names, in order: "省财政厅、省国资委按职责分工分别牵头落实" → (省财政厅, 省国资委)."""
    text = note.strip().strip("（）()")
    text = re.sub(r"^(?:责任单位|牵头单位|配合单位|责任部门)[:：]", "", text)
    text = _tail_re().sub("", text)
    parts = []
    depth = 0
    current = []
    for ch in text:
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth -= 1
        if depth == 0 and ch in "、，,；;":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return tuple(p.strip() for p in parts if p.strip())


def looks_like_units(cell: str) -> bool:
    """Does a table cell list responsible units (区文旅局、区扶贫办) rather than a task?"""
    cell = cell.strip()
    if not cell or len(cell) > 120 or "。" in cell:
        return False
    found = units(cell)
    return bool(found) and all(_unit_re().search(u) for u in found)
