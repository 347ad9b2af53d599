"""normalize: raw text → clean text, keeping for every character its offset in the raw text.

The steps run in the order of :data:`STEPS`; each is a small named function, and each can be
switched off by name (``normalize(raw, skip={"traditional"})``). Every step returns the new
text together with the origin offsets, so a report can always quote what the plan printed.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Callable, Iterable

from . import numbering, responsibility
from .model import Clean, Raw
from .rules import load_table

Origin = list[int]
Step = Callable[[str, Origin], tuple[str, Origin]]

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff65\u2018-\u201f\u2026\u2014"
# A line that ends in one of these has ended its sentence (or is an addressee line).
TERMINAL = "。；！？：”…）)】"


def _sub(pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str,
         origin: Origin) -> tuple[str, Origin]:
    """``re.sub`` that also rewrites the origin offsets.

    A replacement of the same length keeps offsets one to one; any other maps all of its
    characters to the start of what it replaced.
    """
    out: list[str] = []
    org: Origin = []
    last = 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new == m.group(0):
            continue
        out.append(text[last : m.start()])
        org.extend(origin[last : m.start()])
        if len(new) == m.end() - m.start():
            org.extend(origin[m.start() : m.end()])
        else:
            org.extend([origin[m.start()] if m.start() < len(origin) else 0] * len(new))
        out.append(new)
        last = m.end()
    if not out:
        return text, origin
    out.append(text[last:])
    org.extend(origin[last:])
    return "".join(out), org


def line_ends(text: str, origin: Origin) -> tuple[str, Origin]:
    """CRLF and lone CR become LF."""
    return _sub(re.compile(r"\r\n?"), lambda m: "\n", text, origin)


def docx_remnants(text: str, origin: Origin) -> tuple[str, Origin]:
    """Drop ``[bookmark: _GoBack]`` and similar leftovers of .docx → text conversion."""
    return _sub(re.compile(r"\[(?:bookmark|anchor|comment): [^\]\n]*\]"), lambda m: "", text, origin)


def markdown(text: str, origin: Origin) -> tuple[str, Origin]:
    """Strip Markdown markup: heading marks, bold/italic stars, horizontal rules."""
    text, origin = _sub(re.compile(r"^[ \t\u3000]*#{1,6}[ \t\u3000]*", re.M), lambda m: "", text, origin)
    text, origin = _sub(re.compile(r"\*\*|__"), lambda m: "", text, origin)
    return _sub(re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M), lambda m: "", text, origin)


def page_furniture(text: str, origin: Origin) -> tuple[str, Origin]:
    """Drop page numbers ("— 3 —", "- 3 -", "第3页 共9页") left by PDF and Word conversion."""
    pattern = re.compile(r"^[ \t\u3000]*(?:[—－\-–]+[ \t]*\d{1,3}[ \t]*[—－\-–]+|第\s*\d+\s*页"
                         r"(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})[ \t\u3000]*$", re.M)
    return _sub(pattern, lambda m: "", text, origin)


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    # tw2s rather than t2s: it also maps Taiwan-usage forms (著力 → 着力) that plain t2s keeps.
    return opencc.OpenCC("tw2s")


@functools.lru_cache(maxsize=1)
def _variants() -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in load_table("variants.tsv")]


TRADITIONAL_SHARE = 0.03  # share of Chinese characters OpenCC would change: above it, the text is traditional


def is_traditional(text: str) -> bool:
    """Is this text in traditional script? (Running t2s over simplified text is not harmless:
    OpenCC turns the 乾 of 乾安县 into 干.)"""
    han = re.findall(r"[\u3400-\u9fff]", text[:20000])
    if not han:
        return False
    sample = "".join(han)
    changed = sum(a != b for a, b in zip(sample, _converter().convert(sample), strict=False))
    return changed >= 2 and changed / len(sample) > TRADITIONAL_SHARE


def traditional(text: str, origin: Origin) -> tuple[str, Origin]:
    """Traditional → simplified script with OpenCC, then regional word variants (仲介 → 中介).

    Only for text that is traditional: simplified plans pass through untouched.
    """
    if not is_traditional(text):
        return text, origin
    lines = text.split("\n")
    out: list[str] = []
    org: Origin = []
    pos = 0
    conv = _converter()
    for n, line in enumerate(lines):
        new = conv.convert(line) if line else line
        for old, repl in _variants():
            if len(old) == len(repl):
                new = new.replace(old, repl)
        out.append(new)
        if len(new) == len(line):
            org.extend(origin[pos : pos + len(line)])
        else:  # a phrase conversion changed the length: map the line to its start
            org.extend([origin[pos] if pos < len(origin) else 0] * len(new))
        pos += len(line)
        if n < len(lines) - 1:
            org.append(origin[pos])
            pos += 1
    return "\n".join(out), org


_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# Chinese punctuation stays full-width: it is how plans print, and how we split sentences.
for _keep in "，。；：！？（）":
    _WIDTH.pop(ord(_keep), None)
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0xFF5F: ord("（"), 0xFF60: ord("）"), ord("﹝"): ord("〔"),
               ord("﹞"): ord("〕")})


def width(text: str, origin: Origin) -> tuple[str, Origin]:
    """Full-width letters and digits → ASCII; brackets → （ ）; ASCII ,;:!? beside Chinese → full."""
    text = text.translate(_WIDTH)
    # ASCII brackets in Chinese text become （ ）; in code-like runs ("alert(1)") they stay.
    cjk = rf"[{CJK}{CJK_PUNCT}]"
    text, origin = _sub(re.compile(rf"(?:(?<={cjk})|^)\(|\((?={cjk}|[A-Z]+\))", re.M), lambda m: "（", text, origin)
    text, origin = _sub(re.compile(rf"(?<=（[\dA-Z])\)|(?<=（\d\d)\)|(?<=（[A-Z]{{2}})\)|(?<=（[A-Z]{{3}})\)|"
                                   rf"(?<={cjk})\)|\)(?={cjk}|$)", re.M), lambda m: "）", text, origin)
    near = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[,;:!?]|[,;:!?](?=[{CJK}{CJK_PUNCT}])")
    full = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
    return _sub(near, lambda m: full[m.group(0)], text, origin)


def spaces(text: str, origin: Origin) -> tuple[str, Origin]:
    """Remove spaces inside Chinese text ("2017 年" → "2017年"); keep them between Latin words.

    A leading tab is kept: it marks a table cell in text made from .docx.
    """
    text, origin = _sub(re.compile(r"^[ \u3000]+|[ \t\u3000]+$", re.M), lambda m: "", text, origin)
    text, origin = _sub(re.compile(r"^\t[ \t]+", re.M), lambda m: "\t", text, origin)
    inner = re.compile(r"(?<=\S)[ \t]+(?=\S)")

    def keep_latin(m: re.Match[str]) -> str:
        before = text[m.start() - 1]
        after = text[m.end()]
        return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""

    return _sub(inner, keep_latin, text, origin)


# Lines of the front matter that a PDF never wraps into: a 文号, a date, a 令 number.
_HEAD_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}[〔\[［【（(]\d{4}[〕\]］】）)][\u4e00-\u9fff]?\d{1,4}号|"
                        r"\d{4}年\d{1,2}月\d{1,2}日.{0,40}|[（(]?第\d{1,4}号[）)]?)$")
_UNCLOSED = (("《", "》"), ("（", "）"), ("“", "”"), ("〔", "〕"))
_ITEM_MID_LINE = re.compile(r"(?<=[。！？])(?=(?:（[一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}、)"
                            r"[^\n。；，：]{2,25}(?:[。；]|$))", re.M)


@functools.lru_cache(maxsize=1)
def _title_ends() -> tuple[str, ...]:
    """Genre words that end a title standing on its own line (rules/genres.tsv, line_end = yes)."""
    return tuple(row[0] for row in load_table("genres.tsv") if row[1] == "yes")


def _continues(line: str, nxt: str, width: int = 45) -> bool:
    """Does ``line`` break off a sentence that ``nxt`` continues? (PDF hard line breaks).

    ``width`` is the length at which this document's lines wrap (45 unless the document shows a
    narrower page width).
    """
    if not line or not nxt or line.startswith("\t") or nxt.startswith("\t"):
        return False
    if numbering.match(nxt) is not None or _HEAD_LINE.match(nxt):
        return False
    if line[-1] in "。；！？”" and nxt.startswith("（") and responsibility.is_note(nxt[1:].removesuffix("）")):
        return True  # a responsibility note pushed onto its own line
    if any(line.count(a) > line.count(b) for a, b in _UNCLOSED):
        return True  # 《智 / 能网联汽车…》: a title or bracket broken off
    if line[-1] in "”’）)" and len(line) >= width and len(line) > 1 and line[-2] not in "。；！？" and \
            not (line[-1] == "）" and responsibility.is_note(line[line.rfind("（") + 1 : -1])):
        return True  # a full-width line that happens to end in ”/）: the page wrapped there
    if line[-1] in TERMINAL:
        return False
    marker = numbering.match(line)
    if marker is not None and marker.kind in ("article", "section_article"):
        return True  # an article is body text, never a heading: 第一条 为贯彻…
    if not re.search("[，、。；：]", line) and line.endswith(_title_ends()) and len(line) <= 60:
        return False  # a title on one line
    if len(line) >= width or re.search("[。；]", line):
        return True
    if marker is None:
        return bool(re.search("[，、]", line))
    # A numbered heading runs on only when the next line starts with a tail ("公" / "开。…").
    head = re.split("[，。；、：]", nxt, maxsplit=1)[0]
    return len(line) >= 26 and len(head) <= 3


def _wrap_width(lines: list[str]) -> int:
    """The width at which a PDF extraction wrapped this document's lines, or 45 if it did not.

    Wrapped lines share one length (the page width); a document with many unfinished lines of
    the same length was wrapped there, and a line that long continues on the next.
    """
    open_lines = [len(x) for x in lines if len(x) >= 12 and x[-1] not in TERMINAL and not x.startswith("\t")]
    nonblank = sum(1 for x in lines if x.strip())
    if len(open_lines) < 5:
        return 45
    counts: dict[int, int] = {}
    for n in open_lines:
        counts[n] = counts.get(n, 0) + 1
    mode = max(sorted(counts), key=lambda n: sum(counts.get(n + d, 0) for d in (-1, 0, 1)))
    near = sum(counts.get(mode + d, 0) for d in (-1, 0, 1))
    if near >= max(5, nonblank // 5) and mode < 45:
        return mode - 2
    return 45


def hard_breaks(text: str, origin: Origin) -> tuple[str, Origin]:
    """Re-join lines broken inside a sentence, even across blank lines; split items fused mid-line."""
    text, origin = _sub(_ITEM_MID_LINE, lambda m: "\n", text, origin)
    lines = text.split("\n")
    width = _wrap_width(lines)
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    joins: list[tuple[int, int]] = []  # (delete from, delete to) in text offsets
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and lines[i].strip() and _continues(lines[i], lines[j], width):
            joins.append((starts[i] + len(lines[i]), starts[j]))
        i = j
    if not joins:
        return text, origin
    out: list[str] = []
    org: Origin = []
    last = 0
    for a, b in joins:
        out.append(text[last:a])
        org.extend(origin[last:a])
        last = b
    out.append(text[last:])
    org.extend(origin[last:])
    return "".join(out), org


STEPS: tuple[tuple[str, Step], ...] = (
    ("line_ends", line_ends),
    ("docx_remnants", docx_remnants),
    ("markdown", markdown),
    ("page_furniture", page_furniture),
    ("traditional", traditional),
    ("width", width),
    ("spaces", spaces),
    ("hard_breaks", hard_breaks),
)


def normalize(raw: Raw | str, skip: Iterable[str] = ()) -> Clean:
    """Run the normalization steps over a plan's raw text."""
    text = raw.text if isinstance(raw, Raw) else raw
    skipped = set(skip)
    origin: Origin = list(range(len(text)))
    done = []
    for name, step in STEPS:
        if name in skipped:
            continue
        text, origin = step(text, origin)
        done.append(name)
    # array, not tuple: a plan of 10 MB would otherwise hold 10 million int objects
    return Clean(text=text, origin=array("l", origin), steps=tuple(done))
