"""The numbering grammar of Chinese plans: 一、 / （一） / 1. / （1） / ① and 第一章/第一条.

Patterns live in ``rules/numbering.tsv``; this module only reads them and turns printed
numbers into integers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .rules import load_table

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Marker:
    """A numbering marker found at the start of a line."""

    kind: str
    value: int
    text: str  # the marker as printed, with trailing blanks


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(pattern)) for name, pattern, *_ in load_table("numbering.tsv"))


def han_to_int(text: str) -> int:
    """一 → 1, 十五 → 15, 二十三 → 23, 一百零二 → 102."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _DIGITS[ch] if current else _DIGITS[ch]
    return total + current


def match(line: str) -> Marker | None:
    """The numbering marker that starts ``line``, or None."""
    for kind, pattern in _patterns():
        m = pattern.match(line)
        if m is None:
            continue
        n = m.group("n")
        if n in _CIRCLED:  # before isdigit(): "①".isdigit() is True
            value = _CIRCLED.index(n) + 1
        elif n.isascii() and n.isdigit():
            value = int(n)
        else:
            value = han_to_int(n)
        return Marker(kind, value, m.group(0))
    return None
