"""jurisdiction: the words that change when a plan moves down a level, and masking them.

省→市, 全省→全市, 省财政厅→市财政局, 山东省→聊城市, 各市→各县（市、区）: a child plan rewrites
these without changing the policy. :func:`mask` replaces them with placeholder characters so a
localized clause compares as equal to its parent. The rules are data in ``rules/``.
"""

from __future__ import annotations

import functools
import re

from . import regions
from .rules import load_table

LEVEL_WORDS = {"省", "市", "县", "区", "镇", "省级", "市级", "县级", "区级", "全省", "全市", "全区", "全县"}
PLACEHOLDERS = "\ue001\ue002\ue003\ue004\ue005"
_LEVEL = "\ue001"
_PLACE = "\ue002"


@functools.lru_cache(maxsize=1)
def _places() -> regions.Names:
    stop = {row[0] for row in load_table("place_stoplist.tsv")}
    names = set()
    for r in regions.regions().values():
        names.add(r.name)
        if r.short and r.short not in stop and r.level in ("province", "city"):
            names.add(r.short)
    return regions.Names(names)


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for row in load_table("agencies.tsv"):
        out.append((re.compile(re.escape(row[0])), row[1]))
    for row in load_table("jurisdiction.tsv"):
        # re understands \uXXXX in patterns but not in replacements
        repl = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), row[1])
        out.append((re.compile(row[0]), repl))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _bare_re() -> re.Pattern[str]:
    words = sorted((row[0] for row in load_table("level_compounds.tsv")), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + ")|[省市区县镇乡](?=[\u4e00-\u9fff])")


@functools.lru_cache(maxsize=1 << 16)
def mask(text: str) -> str:
    """Text with jurisdiction words replaced by placeholders (see ``rules/jurisdiction.tsv``).

    Place names first, then the rules of ``jurisdiction.tsv`` in order; then a level character
    left standing before a noun (省公共资源交易目录) unless it belongs to a word such as 市场
    (``level_compounds.tsv``); last, level words and place names merge into one token. Cached:
    the same clause, note and edit fragment are masked many times in one comparison.
    """
    text = _places().sub(_PLACE, text)
    for pattern, repl in _rules():
        text = pattern.sub(repl, text)
    text = _bare_re().sub(lambda m: m.group(1) or _PLACE, text)
    return text.replace(_LEVEL, _PLACE)


def is_jurisdiction_change(old: str, new: str) -> bool:
    """Is replacing ``old`` with ``new`` only a change of jurisdiction words (省→市, 山东→聊城)?"""
    if old == new:
        return False
    if old in LEVEL_WORDS and new in LEVEL_WORDS:
        return True
    return bool(old) and bool(new) and mask(old) == mask(new) and any(c in mask(old) for c in PLACEHOLDERS)
