"""Synthetic plans derived from real ones, for tests and benchmarks.

:func:`derive` rewrites a plan the way a lower level does: jurisdiction words and names
localized into a real region (山东省 → 聊城市, 省财政厅 → 市财政局), some sentences dropped, a few
added, some reworded, an item moved. Everything is seeded, so the same call gives the same plan.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

LEVEL_CHAR = {"province": "省", "city": "市", "district": "区"}
OFFICE = {"province": "人民政府办公厅", "city": "人民政府办公室", "district": "人民政府办公室"}
AGENCY_END = {"province": "厅", "city": "局", "district": "局"}
LOWER = {"province": "各市", "city": "各县（市、区）", "district": "各镇（街道）"}
SYNONYMS = [("加强", "强化"), ("推进", "推动"), ("及时", "适时"), ("完善", "健全"), ("加大", "加强"),
            ("主动", "积极"), ("做好", "抓好"), ("深入", "全面"), ("信息公开", "公开工作")]
TOPICS = ["农村人居环境整治", "营商环境评价", "重点项目建设", "文旅融合发展", "安全生产执法", "城市更新改造",
          "医疗保障待遇", "生态环境监测", "乡村振兴衔接", "数字政府建设", "公共法律服务", "养老服务体系",
          "住房公积金管理", "教育督导评估", "食品安全抽检", "水利工程建设", "交通运输执法", "退役军人服务"]


@dataclass
class Derived:
    """A derived plan's text and what was done to it."""

    text: str
    region: str
    level: str
    dropped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    reworded: list[tuple[str, str]] = field(default_factory=list)


def localize(text: str, src_region: str, src_level: str, dst_region: str, dst_level: str) -> str:
    """Rewrite jurisdiction words and names from one region and level to another."""
    s, d = LEVEL_CHAR[src_level], LEVEL_CHAR[dst_level]
    # placeholders first, so a new name that contains the old short name (本溪市 → 本溪满族自治县)
    # is not rewritten again
    text = text.replace(src_region + OFFICE[src_level], "\ue010")
    text = text.replace(src_region, "\ue011")
    short = re.sub("[省市区县]$", "", src_region)
    if len(short) >= 2:
        text = text.replace(short, "\ue012")
    text = text.replace("\ue010", dst_region + OFFICE[dst_level]).replace("\ue011", dst_region)
    text = text.replace("\ue012", re.sub("[省市区县]$", "", dst_region))
    text = text.replace(LOWER[src_level], LOWER[dst_level])
    text = re.sub(rf"{s}([\u4e00-\u9fff]{{2,8}}?){AGENCY_END[src_level]}(?=[、，（）牵负按等])",
                  rf"{d}\1{AGENCY_END[dst_level]}", text)
    for word in ("全", "我", "本"):
        text = text.replace(word + s, word + d)
    for tail in ("政府", "委", "级", "直", "属", "内外", "内"):
        text = text.replace(s + tail, d + tail)
    return text


def derive(text: str, src_region: str, src_level: str, dst_region: str, dst_level: str, seed: int,
           drop: float = 0.05, add: float = 0.04, reword: float = 0.08, move: bool = True,
           year: int | None = None) -> Derived:
    """A child plan of ``text`` for ``dst_region``, with seeded drops, additions, rewording and a move."""
    rng = random.Random(seed)
    out = Derived(localize(text, src_region, src_level, dst_region, dst_level), dst_region, dst_level)
    lines = out.text.split("\n")
    # the sentences of body lines that hold an item's text (numbered lines with 。 in them)
    body = [i for i, line in enumerate(lines) if "。" in line and i > 8]
    for i in body:
        parts = re.findall(r"[^。；]*[。；](?:（[^（）]*(?:（[^（）]*）[^（）]*)*）)?", lines[i])
        if len(parts) < 2:
            continue
        kept = []
        for k, part in enumerate(parts):
            if k > 0 and len(part) > 12 and rng.random() < drop:
                out.dropped.append(part)
                continue
            if k > 0 and rng.random() < reword:
                new = part
                for a, b in rng.sample(SYNONYMS, 3):
                    new = new.replace(a, b, 1)
                if new != part:
                    out.reworded.append((part, new))
                    part = new
            kept.append(part)
            if rng.random() < add:
                topic = rng.choice(TOPICS)
                sentence = (f"{dst_region}结合实际建立{topic}信息公开第{rng.randint(2, 99)}号工作台账，"
                            f"按{rng.choice(['月', '季度', '半年'])}通报{rng.choice(['进展', '成效', '问题'])}。")
                kept.append(sentence)
                out.added.append(sentence)
        rest = lines[i][sum(len(p) for p in parts):]
        lines[i] = "".join(kept) + rest
    if move:
        marker = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
        numbered = [i for i, line in enumerate(lines) if marker.match(line) and "。" in line]
        if len(numbered) > 4:
            i = rng.choice(numbered[1:-1])
            line = lines.pop(i)
            j = rng.choice([k for k in numbered if k < len(lines) and abs(k - i) > 3] or [len(lines) - 1])
            lines.insert(j, line)
    if year is not None:
        lines = [re.sub(r"\d{4}年", f"{year}年", line, count=1) if n < 12 else line for n, line in enumerate(lines)]
    out.text = "\n".join(lines)
    return out
