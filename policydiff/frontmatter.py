"""frontmatter: the head of a document → title, 文号, issuer, date, level, region, year.

Real documents put their metadata in many places: a red-head issuer line and a 文号 (国办发〔2019〕6号),
a cover notice (关于印发…的通知 / 《…》已经…现予公布), a 令 header (广东省人民政府令（第290号）),
adoption lines of a regulation (2003年9月27日 河南省第十届人民代表大会常务委员会第五次会议通过),
a signature date at the end, and, when nothing else exists, the file name. Which issuer is
national, which 文号 prefix is national, and the level vocabulary are tables in ``rules/``.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import numbering, regions
from .rules import load_table

_HAN_DIGIT = "〇○零一二三四五六七八九十"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HAN_DATE = re.compile(rf"([{_HAN_DIGIT}]{{4}})年([{_HAN_DIGIT}]{{1,3}})月([{_HAN_DIGIT}]{{1,3}})日")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【（(]\s*(\d{4})\s*[〕\]］】）)]"
                         r"\s*[\u4e00-\u9fff]?\s*\d{1,4}\s*号")
_ORDER = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,30}?)令\s*[（(]?\s*第\s*(\d{1,4})\s*号\s*[）)]?")
_ADOPTION = re.compile(r"^[（(]?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(.*?)"
                       r"(通过|公布|修订|修正|批准|施行|发布|印发|颁布)")
_CONGRESS = re.compile(r"(?:第[一二三四五六七八九十]+届)?([\u4e00-\u9fff]{0,20}?)(?:第[一二三四五六七八九十]+届)?"
                       r"(人民代表大会常务委员会|人民代表大会|人民政府)")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff、 ]{2,60}(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
                          r"人民代表大会常务委员会|[厅局委办部署院])(?:文件)?$")
_ISSUER_SUFFIX = re.compile(r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|常务委员会|总局|"
                            r"中央|国务院|[厅局委办部署院府])$")
_PUBLIC_NOTE = re.compile(r"[（(]此件[^）)]{0,6}[）)]")
_RANGE = re.compile(r"\d{4}\s*[—\-－–~～至到]\s*\d{4}\s*年")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:-(\d{2})-(\d{2}))?(?!\d)")
TITLE_LINE_MAX = 60


@dataclass(frozen=True)
class FrontMatter:
    """What a document says about itself, and the line where its body starts."""

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    date: str = ""  # ISO yyyy-mm-dd of issue / adoption of this version
    addressees: str = ""
    body: int = 0  # index of the first body line
    level: str = ""
    region: str = ""
    year: int | None = None
    first_year: int | None = None  # the first adoption of a revised text (1987 for a law revised in 2018)


@functools.lru_cache(maxsize=1)
def _genres() -> tuple[str, ...]:
    """What a title ends with (rules/genres.tsv)."""
    return tuple(row[0] for row in load_table("genres.tsv"))


@functools.lru_cache(maxsize=1)
def _issuer_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), lvl) for p, lvl, *_ in load_table("issuers.tsv"))


@functools.lru_cache(maxsize=1)
def _doc_number_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), lvl) for p, lvl, *_ in load_table("doc_numbers.tsv"))


@functools.lru_cache(maxsize=1)
def level_words() -> dict[str, str]:
    """Accepted level words (``national``, ``国家``, ``省级``, ``县``…) → canonical level."""
    return {w.casefold(): lvl for w, lvl, *_ in load_table("levels.tsv")}


def canonical_level(word: str) -> str | None:
    """``national`` / ``国家级`` / ``nation`` → ``nation``; None if the word is not a level."""
    return level_words().get(word.strip().casefold())


def _han_number(s: str) -> int:
    if "十" in s:
        return numbering.han_to_int(s.replace("〇", "零").replace("○", "零"))
    return int("".join(str(_HAN_DIGIT.index(c) if _HAN_DIGIT.index(c) > 2 else 0) if c in "〇○零"
                       else str(_HAN_DIGIT.index(c) - 2) for c in s))


def parse_date(text: str) -> str:
    """The first date in ``text`` as yyyy-mm-dd: 2022 年3月10日, 二○○七年四月五日; '' if none."""
    m = _DATE.search(text)
    hm = _HAN_DATE.search(text)
    if hm and (m is None or hm.start() < m.start()):
        y, mo, d = _han_number(hm.group(1)), _han_number(hm.group(2)), _han_number(hm.group(3))
    elif m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        return ""
    if not (1949 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _is_date_line(t: str) -> bool:
    """A line that is only a date (maybe fused with （此件公开发布））."""
    rest = _PUBLIC_NOTE.sub("", t)
    rest = _DATE.sub("", _HAN_DATE.sub("", rest)).strip(" \u3000（）()")
    return bool(parse_date(t)) and not rest


def normalize_doc_number(s: str) -> str:
    """国办发[2019] 6号 → 国办发〔2019〕6号; 中华人民共和国国务院令 第 492 号 → 国务院令第492号."""
    s = re.sub(r"\s+", "", s)
    m = _ORDER.fullmatch(s)
    if m:
        return f"{m.group(1)}令第{m.group(2)}号"
    return re.sub(r"[\[［【（(](\d{4})[\]］】）)]", r"〔\1〕", s)


def _join_title(lines: Sequence[str], start: int, stop: int) -> tuple[str, int]:
    """A title may wrap over several short lines (with blank lines between): join them."""
    parts: list[str] = []
    last = start
    for i in range(start, stop):
        t = lines[i].strip()
        if not t:
            continue
        if parts and (_is_date_line(t) or _DOC_NUMBER.search(t) or _ORDER.search(t) or t.endswith("：")
                      or numbering.match(t) or _ADOPTION.match(t) or len(t) > TITLE_LINE_MAX):
            break
        if t[-1] in "。；，：" or len(t) > TITLE_LINE_MAX * 2:
            break
        parts.append(t)
        last = i
        joined = "".join(parts)
        if joined.endswith(_genres()) or re.search(r"[（(](?:试行|征求意见稿|草案|修订|\d{4}年[^）)]*)[）)]$", joined):
            return joined, last
        if len(parts) >= 4:
            break
    return ("".join(parts[:1]), start) if parts else ("", start)


def _title(lines: Sequence[str], scan: int) -> tuple[str, int]:
    """The document's own title and the last line it occupies (-1 if none)."""
    head = "\n".join(lines[:scan])
    # a cover notice quotes the title of what it issues: 《X》已经…现予公布 / 关于印发X的通知
    m = (re.search(r"现将《([^《》\n]{4,80})》(?:印发|发布)", head)
         or re.search(r"《([^《》\n]{4,80})》(?:修改|修订)?(?:已经|已于|经)[^。\n]{0,100}?"
                      r"(?:印发|公布|发布|施行)", head))
    notice = m.group(1) if m else ""
    if not notice and (m := re.search(r"关于印发(?:《)?([^\n]{4,80}?)(?:》)?的通知", head)):
        notice = m.group(1)
    if notice:
        key = re.sub(r"\s", "", notice)
        last = -1
        for i in range(scan):
            if re.sub(r"\s", "", lines[i]) == key:
                last = i  # the last repeat of the title heads the body
        if last >= 0:
            return notice, last
    first = next((i for i in range(scan) if lines[i].strip()), None)
    if first is None:
        return notice, -1
    t = lines[first].strip()
    # a red-head line (XX人民政府文件), a 文号 or a 令 header is not the title
    while first < scan and (t.endswith("文件") or _DOC_NUMBER.fullmatch(t) or re.fullmatch(r"[（(]?第\d+号[）)]?", t)
                            or (t.endswith("令") and len(t) <= 20)):
        first = next((i for i in range(first + 1, scan) if lines[i].strip()), scan)
        t = lines[first].strip() if first < scan else ""
    if first < scan and t and t[-1] not in "。；，：" and len(t) <= TITLE_LINE_MAX and not _is_date_line(t) \
            and not numbering.match(t):
        title, last = _join_title(lines, first, scan)
        wrapper = "印发" in title and title.endswith("通知")
        if title and (notice == "" or (title.endswith(_genres()) and not wrapper)):
            return title, last
    if notice:
        return notice, -1
    for i in range(scan):
        t = lines[i].strip()
        if t and len(t) <= TITLE_LINE_MAX and t[-1] not in "。；，：" and t.endswith(_genres()):
            return t, i
    return "", -1


def _issuer_from_adoption(rest: str) -> str:
    """第十三届全国人民代表大会常务委员会第六次会议 → 全国人民代表大会常务委员会; 国务院第66次常务会议 → 国务院."""
    if "国务院" in rest and "常务会议" in rest and regions.names().search(rest) is None:
        return "国务院"
    m = _CONGRESS.search(rest)
    if m:
        who = m.group(1)
        who = re.sub(r"^第[一二三四五六七八九十]+届", "", who)
        return (who or "") + m.group(2) if who else ""
    m = _ORDER.search(rest)
    if m:
        return m.group(1)
    return ""


def _split_issuers(issuer: str) -> list[str]:
    return [p for p in re.split(r"[、\s]+", issuer) if p]


def split_joint(issuer: str) -> str:
    """工业和信息化部公安部交通运输部 → 工业和信息化部、公安部、交通运输部 (joint issuers lose their spaces)."""
    if "、" in issuer or len(issuer) < 6:
        return issuer
    parts: list[str] = []
    start = 0
    for i in range(1, len(issuer)):
        if issuer[i - 1] in "部委局署厅院" and i - start >= 2:
            rest = issuer[i:]
            if any(p.pattern.startswith("^(?:外交") and p.match(rest) for p, _ in _issuer_rules()) or \
                    rest.startswith(("国家", "中国人民银行", "海关总署", "审计署")):
                parts.append(issuer[start:i])
                start = i
    parts.append(issuer[start:])
    return "、".join(parts)


def level_of_issuer(issuer: str) -> str:
    """The level an issuer's name implies: 国务院办公厅 → nation, 省政府办公厅 → province ('' if unknown).

    Joint issuers take the highest level among them.
    """
    order = ("nation", "province", "city", "district", "town")
    found = []
    for part in _split_issuers(issuer):
        region = regions.find_issuer_region(part)
        if region is not None:
            found.append("town" if _town(part) else region.level)
            continue
        if _town(part):
            found.append("town")
            continue
        for pattern, level in _issuer_rules():
            if pattern.search(part):
                found.append(level)
                break
    return min(found, key=order.index) if found else ""


def _town(name: str) -> str:
    m = re.search(r"([\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))(?:人民政府|党委|委员会|办事处|政府|$)", name)
    return m.group(1) if m else ""


def level_of_doc_number(doc_number: str) -> str:
    """The level a 文号 prefix implies (国发, 国办发, 工信部联…, X部令 → nation), '' if unknown."""
    for pattern, level in _doc_number_rules():
        if pattern.search(doc_number):
            return level
    return ""


def _region_from_text(text: str, level: str) -> str:
    """The region of ``level`` a document names most often (for plans that say only 全省)."""
    counts: Counter[str] = Counter()
    for name in regions.names().findall(text[:20000]):
        r = regions.lookup(name)
        if r is not None and r.level == level:
            counts[r.name] += 1
    for r in regions.regions().values():
        if r.level == level and r.short and len(r.short) >= 2:
            n = text[:20000].count(r.short)
            if n:
                counts[r.name] += n
    return counts.most_common(1)[0][0] if counts else ""


_TOC_HEAD = re.compile(r"^目\s*录$")
_TOC_LINE = re.compile(r"^.{2,80}?(?:[…\.·．。\-—_]{2,}|\s{2,}|\t)\s*\d{1,3}$")


def table_of_contents(lines: Sequence[str]) -> tuple[int, int] | None:
    """Lines ``[start, end)`` of a table of contents (目录; dot leaders and page numbers), if any.

    A TOC line ends in a page number after dot leaders (3.1 加快系统创新…….5); a TOC without page
    numbers is the run of headings after 目录 that ends where its first heading repeats.
    """
    limit = min(len(lines), 400)
    head = next((i for i in range(limit) if _TOC_HEAD.match(lines[i].strip())), None)
    dotted = [i for i in range(limit) if _TOC_LINE.match(lines[i].strip())]
    if len(dotted) >= 3:
        start = head if head is not None and head < dotted[0] else dotted[0]
        end = dotted[0]
        for i in range(dotted[0], limit):
            t = lines[i].strip()
            if t and not _TOC_LINE.match(t):
                if i - end > 3:
                    break
                continue
            if t:
                end = i
        return start, end + 1
    if head is None:
        return None
    listed: list[str] = []
    for i in range(head + 1, limit):
        t = re.sub(r"\s", "", lines[i])
        if not t:
            continue
        if t in listed:
            return head, i
        if numbering.match(lines[i].strip()) is None or len(t) > 40:
            return None
        listed.append(t)
    return None


def read(lines: Sequence[str], text: str = "", path: str = "") -> FrontMatter:
    """Read the front matter of a document given as lines of normalized text."""
    toc = table_of_contents(lines)
    first_marker = next((i for i, line in enumerate(lines) if numbering.match(line)
                         and not (toc and toc[0] <= i < toc[1])), len(lines))
    scan = min(first_marker, 40 if not toc else max(40, toc[1] + 1), len(lines))
    title, title_line = _title(lines, min(scan, toc[0]) if toc else scan)
    body = title_line + 1 if title_line >= 0 else 0
    doc_number = issuer = date = addressees = ""
    adoption: list[tuple[str, str, str]] = []  # (date, verb, who)
    head_lines = [line.strip() for line in lines[: max(scan, body + 12)]]
    for i, t in enumerate(head_lines):
        if not t:
            continue
        m = _ADOPTION.match(t)
        if m and len(t) <= 200 and i < scan + 1:
            adoption.append((parse_date(m.group(1)), m.group(3), m.group(2)))
            if i >= body and i < scan:
                body = i + 1
        if len(t) <= 60:
            bare = _DATE.sub(" ", t)  # "2019年10月22日 中华人民共和国国务院令第722号公布"
            nxt = next((x for x in head_lines[i + 1 : i + 3] if x), "")
            order = _ORDER.search(bare) or (_ORDER.search(bare + nxt) if t.endswith("令") else None)
            if not doc_number and order and (i < scan or not title):
                doc_number = f"{order.group(1).removeprefix('中华人民共和国')}令第{order.group(2)}号"
                issuer = issuer or order.group(1).removeprefix("中华人民共和国")
                if i >= body and i < scan and _ADOPTION.match(t):
                    body = i + 1
            elif not doc_number and (dm := _DOC_NUMBER.search(t)) and len(t) <= 40:
                doc_number = normalize_doc_number(dm.group(0))
                if body <= i < scan and t == dm.group(0):
                    body = i + 1
        if not date and _is_date_line(t) and i < scan:
            date = parse_date(t)
            if body == i:
                body = i + 1
        if not issuer and _ISSUER_LINE.match(t) and len(t) <= 60 and i < scan and t != title:
            issuer = t.removesuffix("文件").strip()
        if not addressees and t.endswith("：") and len(t) < 120 and "、" in t + "，" and i < scan:
            addressees = t[:-1]
    if adoption:
        # this version's date: the latest adoption / promulgation / revision; approval (批准) by the
        # province of a city's regulation and the in-force date (施行) only when nothing else is printed
        main = [a for a in adoption if a[1] not in ("批准", "施行")] or adoption
        latest = max(main, key=lambda a: a[0])
        date = latest[0] or date
        if not issuer:
            enacted = [a for a in adoption if a[1] in ("通过", "公布", "发布", "颁布")]
            first = next((a for a in enacted if _issuer_from_adoption(a[2])), None)
            if first is not None:
                issuer = _issuer_from_adoption(first[2])
    first_line = next((t for t in head_lines if t), "")
    for candidate in (title, first_line):
        m = re.match(r"^(.{2,60}?)(?:关于|印发)", candidate) if not issuer else None
        if m and _ISSUER_SUFFIX.search(m.group(1)):
            issuer = m.group(1)
    if not date:
        # a signature date at the end of the document
        tail = [x.strip() for x in lines[-8:]]
        for t in reversed(tail):
            if t and _is_date_line(t):
                date = parse_date(t)
                break
    issuer = split_joint(issuer)
    level, region = _level_region(issuer, title, doc_number, text)
    year = int(date[:4]) if date else None
    if year is None and (m := re.search(r"〔(\d{4})〕", doc_number)):
        year = int(m.group(1))  # a 文号 carries its year of issue
    if year is None:
        m = re.search(r"(?<![\d—\-－–~～至到])(\d{4})\s*年(?!\s*[—\-－–~～至到])", _RANGE.sub("", title))
        if m and 1949 <= int(m.group(1)) <= 2100:
            year = int(m.group(1))
    if year is None and path:
        m = _FILE_DATE.search(os.path.basename(path))
        if m:
            year = int(m.group(1))
            if m.group(2):
                date = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    dated = [a[0] for a in adoption if a[0]]
    first_year = int(min(dated)[:4]) if dated else year
    if toc and toc[0] >= body - 1 and toc[0] <= first_marker:
        body = max(body, toc[1])  # the table of contents is front matter, never the outline
    return FrontMatter(title, doc_number, issuer, date, addressees, body, level, region, year, first_year)


def _level_region(issuer: str, title: str, doc_number: str, text: str) -> tuple[str, str]:
    for k, source in enumerate((issuer, title)):
        region = next((r for part in _split_issuers(source) if (r := regions.find_issuer_region(part))), None)
        if region is None:
            continue
        # an issuer names its region; a title only when it starts with it (not 关于贯彻《山东省…》)
        named = k == 0 or title.startswith(region.name)
        if named or title.startswith(region.short or "\0"):
            town = _town(source) if named else ""
            return ("town", town) if town else (region.level, region.name)
    level = level_of_issuer(issuer) or level_of_doc_number(doc_number)
    if not level and (title.startswith("中华人民共和国") or title.startswith(("国务院", "中共中央", "国家"))):
        level = "nation"
    if level == "nation":
        return level, "全国"
    if not level:
        m = re.search(r"全(省|自治区|市|区|县)|本(省|市)", title + text[:3000])
        if m:
            level = {"省": "province", "自治区": "province", "市": "city", "区": "district", "县": "district"}[
                m.group(1) or m.group(2)]
    if level in ("province", "city"):
        return level, _region_from_text(text, level)
    return level, ""
