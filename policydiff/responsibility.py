"""Responsibility notes: （省财政厅牵头落实）, （各市、省政府有关部门负责落实）, 责任单位：….

The words that make a bracket a responsibility note, and the tails stripped from it, live in
``rules/responsibility.tsv``.
"""

from __future__ import annotations

import functools
import re

from .rules import load_table


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, list[tuple[str, ...]]]:
    """Rows of ``responsibility.tsv`` by kind: (value,) or (value, role)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for kind, *rest in load_table("responsibility.tsv"):
        out.setdefault(kind, []).append(tuple(rest))
    return out


def _rules() -> dict[str, list[str]]:
    return {kind: [row[0] for row in rows] for kind, rows in _table().items()}


@functools.cache
def _rules2(kind: str) -> tuple[tuple[str, str], ...]:
    """(value, role) rows of one kind: role verbs and labels."""
    return tuple((row[0], row[1]) for row in _table().get(kind, []) if len(row) > 1)


@functools.lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, str], ...]:
    """Unit names whose 、 does not separate units, longest first, with their placeholder."""
    phrases = sorted((row[0] for row in _table().get("phrase", [])), key=len, reverse=True)
    return tuple((ph, f"\ue010{k}\ue011") for k, ph in enumerate(phrases))


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


@functools.lru_cache(maxsize=1)
def _label_re() -> re.Pattern[str]:
    labels = sorted((v for v, *_ in _rules2("label")), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, labels)) + ")[:：]")


@functools.lru_cache(maxsize=1)
def _role_re() -> re.Pattern[str]:
    verbs = sorted((v for v, _ in _rules2("role")), key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, verbs)) + ")")


@functools.lru_cache(maxsize=1)
def _role_tail_re() -> re.Pattern[str]:
    """A role verb ending one part of a note: …牵头 / …按职责分工负责落实."""
    return re.compile(r"(?:按职责分工|分别|共同)?(?:" + _role_re().pattern + r")(?:落实)?$")


def _is_unit(name: str) -> bool:
    return bool(_unit_re().search(re.sub(r"（[^（）]*）$", "", name.strip())))


def is_note(inner: str) -> bool:
    """Is the text inside a bracket a responsibility note?

    Either it carries a note keyword (牵头落实, 责任单位：…) or every part of it is a list of units
    ending in a role verb: 省政府办公厅牵头，省直有关部门、各设区市人民政府负责.
    """
    if len(inner) > 400:
        return False
    if _note_re().search(inner):
        return True
    parts = [p for p in re.split(r"[，；,;]", inner) if p.strip()]
    if not parts:
        return False
    for part in parts:
        m = _role_tail_re().search(part.strip())
        if m is None:
            return False
        names = units(part[: m.start()])
        if not names or not all(_is_unit(n) for n in names):
            return False
    return True


def is_note_sentence(sentence: str) -> bool:
    """A sentence that is only a note: 责任单位：省财政厅、省金融监管局。 / 牵头单位：… 配合单位：…"""
    t = sentence.strip().rstrip("。；")
    return bool(_label_re().match(t)) and len(t) <= 400


def roles(note: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lead units, cooperating units) named by a note.

    （省政府办公厅牵头，省直有关部门、各设区市人民政府负责） → ((省政府办公厅,), (省直有关部门, 各设区市人民政府));
    牵头单位：省发展改革委 配合单位：省财政厅 → ((省发展改革委,), (省财政厅,)); a plain list is all lead.
    """
    text = note.strip().strip("（）()。；")
    lead: list[str] = []
    support: list[str] = []
    labelled = list(_label_re().finditer(text))
    if labelled:
        role_of = dict(_rules2("label"))
        for k, m in enumerate(labelled):
            end = labelled[k + 1].start() if k + 1 < len(labelled) else len(text)
            target = lead if role_of[m.group(1)] == "lead" else support
            target += [u for u in units(text[m.end() : end]) if u not in target]
        return tuple(lead), tuple(support)
    role_of = dict(_rules2("role"))
    parts = [p for p in re.split(r"[，；,;]", text) if p.strip()]
    for part in parts:
        verbs = [role_of[m.group(1)] for m in _role_re().finditer(part)]
        target = lead if not verbs or "lead" in verbs else support
        target += [u for u in units(part) if u not in target]
    if not lead:  # 省发展改革委负责: the only units named are the responsible ones
        lead, support = support, []
    return tuple(lead), tuple(support)


def units(note: str) -> tuple[str, ...]:
    """The units a note names, in order: "省财政厅、省国资委按职责分工分别牵头落实" → (省财政厅, 省国资委)."""
    text = note.strip().strip("（）()。；")
    text = _label_re().sub("、", text).strip("、 ")
    for ph, key in _phrases():
        text = text.replace(ph, key)
    parts = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "（〔":
            depth += 1
        elif ch in "）〕":
            depth -= 1
        if depth == 0 and ch in "、，,；; ":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out: list[str] = []
    for part in parts:
        part = _tail_re().sub("", part.strip())
        # 人行南昌中心支行和各市、县（区）人民政府: 和 between two units joins a list
        pieces = re.split(r"(?<=[行局厅委办院部室会司心])和", part)
        for piece in pieces:
            for ph, key in _phrases():
                piece = piece.replace(key, ph)
            piece = piece.strip()
            if piece and piece not in out:
                out.append(piece)
    return tuple(out)


def looks_like_units(cell: str) -> bool:
    """Does a table cell list responsible units (区文旅局、区扶贫办) rather than a task?"""
    cell = cell.strip()
    if not cell or len(cell) > 120 or "。" in cell:
        return False
    found = units(cell)
    return bool(found) and all(_unit_re().search(u) for u in found)
