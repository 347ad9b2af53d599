"""segment: clean text → :class:`~policydiff.model.Document`.

Front matter (title, 文号, issuer, date, addressees), the outline tree (一、/（一）/1./（1）/①),
sentences with their responsibility notes, appendix task tables, and the footer (抄送/印发).
Segmentation is lossless: every character of the body lies in exactly one item's span and in
at most one sentence's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import frontmatter, numbering, responsibility
from .jurisdiction import mask
from .model import Clean, Document, Item, Raw, Sentence, Span

ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
                    r"[厅局委办])$")
FOOTER_START = re.compile(r"^(?:抄送|抄报|印发|主送)[:：]|^\S{2,30}办公[厅室]\s*\d{4}年\d{1,2}月\d{1,2}日印发$")
APPENDIX = re.compile(r"^附件\s*\d*[:：]?\s*$")
TABLE_HEADERS = {"序号", "工作任务", "具体要求", "责任单位", "牵头单位", "配合单位", "完成时限", "任务",
                 "主要任务", "重点任务", "工作内容", "责任部门", "时间节点"}
SENTENCE_END = "。；！？"
CLOSERS = "”’」』》"
TITLE_MAX = 45


@dataclass
class _Line:
    start: int
    end: int  # exclusive, without the newline
    text: str


@dataclass
class _Node:
    kind: str
    number: str
    value: int
    level: int
    start: int
    parent: int | None
    marker_end: int
    path: str = ""
    end: int = 0
    table_cells: list[tuple[int, int]] = field(default_factory=list)
    table_units: tuple[str, ...] = ()
    title: str = ""


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _footer_start(lines: list[_Line], body: int) -> int:
    for i in range(body, len(lines)):
        if FOOTER_START.match(lines[i].text.strip()):
            # the signature line just above a 印发 line belongs to the footer too
            j = i
            while j - 1 > body and (not lines[j - 1].text.strip() or ISSUER.match(lines[j - 1].text.strip())):
                j -= 1
            return j
    return len(lines)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """Split ``text[start:end]`` into sentences: (start, end, note_start, note_end).

    A sentence ends after 。；！？ (with any closing quotes) outside brackets, at a line end,
    and after a responsibility note that follows it.
    """
    out = []
    i = start
    s = None
    depth = 0
    while i < end:
        ch = text[i]
        if s is None:
            if ch.isspace():
                i += 1
                continue
            s = i
            depth = 0
        if ch == "\n":
            out.append(_trim(text, s, i))
            s = None
            i += 1
            continue
        if ch == "（":
            close = _matching(text, i, end)
            if close is not None and responsibility.is_note(text[i + 1 : close]):
                out.append((s, close + 1, i, close + 1))
                s = None
                i = close + 1
                continue
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif ch in SENTENCE_END and depth == 0:
            j = i + 1
            while j < end and text[j] in CLOSERS:
                j += 1
            note = None
            if j < end and text[j] == "（":
                close = _matching(text, j, end)
                if close is not None and responsibility.is_note(text[j + 1 : close]):
                    note = (j, close + 1)
                    j = close + 1
            out.append((s, j, *(note or (j, j))))
            s = None
            i = j
            continue
        i += 1
    if s is not None:
        out.append(_trim(text, s, end))
    return [x for x in out if x[1] > x[0]]


def _trim(text: str, s: int, e: int) -> tuple[int, int, int, int]:
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e, e, e)


def _matching(text: str, i: int, end: int) -> int | None:
    depth = 0
    for j in range(i, min(end, i + 600)):
        if text[j] == "（":
            depth += 1
        elif text[j] == "）":
            depth -= 1
            if depth == 0:
                return j
        elif text[j] == "\n":
            return None
    return None


def _split_title(text: str, start: int, end: int) -> int:
    """Where a numbered line's heading ends: "（一）加强预期引导。围绕…" → after 。 (or 0 if no heading)."""
    line_end = text.find("\n", start, end)
    line_end = end if line_end < 0 else line_end
    line = text[start:line_end]
    m = re.search("[。；！？]", line)
    if m and m.start() <= TITLE_MAX and not re.search("[，：；]", line[: m.start()]):
        return start + m.end()
    if not m and len(line.strip()) <= 60:
        return line_end
    return start


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.nodes: list[_Node] = []

    def outline(self, lines: list[_Line]) -> None:
        stack: list[int] = []  # indices into self.nodes of open outline items
        kinds: list[str] = []
        for line in lines:
            marker = numbering.match(line.text)
            if marker is None:
                continue
            if marker.kind in kinds:
                depth = kinds.index(marker.kind)
                del kinds[depth + 1 :]
                del stack[depth:]
            else:
                kinds.append(marker.kind)
            parent = stack[-1] if stack else None
            node = _Node(marker.kind, marker.text.strip(), marker.value, len(kinds), line.start, parent,
                         line.start + len(marker.text))
            self.nodes.append(node)
            stack.append(len(self.nodes) - 1)

    def table(self, lines: list[_Line], appendix_parent: int) -> None:
        """Appendix task table: rows separated by blank lines, cells on tab-indented lines."""
        rows: list[list[_Line]] = []
        current: list[_Line] = []
        for line in lines:
            if not line.text.strip():
                if current and not line.text.startswith("\t"):
                    rows.append(current)
                    current = []
                continue
            current.append(line)
        if current:
            rows.append(current)
        seen: set[str] = set()
        for row in rows:
            cells: list[tuple[int, int]] = []
            for line in row:
                t = line.text.strip()
                if not t:
                    continue
                s = line.start + (len(line.text) - len(line.text.lstrip()))
                if cells and (not line.text.startswith("\t") and t[0] in "，、；：）"):
                    cells[-1] = (cells[-1][0], line.end)  # a cell broken across lines
                else:
                    cells.append((s, line.end))
            texts = [self.text[a:b] for a, b in cells]
            if not cells or all(t in TABLE_HEADERS for t in texts):
                continue
            if len(cells) == 1 and responsibility.looks_like_units(texts[0]) and self.nodes[-1].kind == "table":
                prev = self.nodes[-1]
                if not prev.table_units:
                    prev.table_units = responsibility.units(texts[0])
                    prev.table_cells.append(cells[0])
                    continue
            unit_cells: tuple[str, ...] = ()
            if len(cells) > 1 and responsibility.looks_like_units(texts[-1]):
                unit_cells = responsibility.units(texts[-1])
            node = _Node("table", "", 0, self.nodes[appendix_parent].level + 1, row[0].start,
                         appendix_parent, row[0].start)
            new = [(a, b) for (a, b), t in zip(cells, texts, strict=True) if t not in seen or (a, b) == cells[-1]]
            if unit_cells and new and new[-1] == cells[-1]:
                new = new[:-1]
            content = texts[:-1] if unit_cells else texts
            headers = content[:-1]  # the cells before the row's own task: part, task group…
            node.title = headers[-1] if headers else ""
            node.table_cells = new
            node.table_units = unit_cells
            seen.update(texts[:-1] if unit_cells else texts)
            self.nodes.append(node)


def _number_paths(nodes: list[_Node]) -> None:
    used: dict[str, int] = {}
    counters: dict[int | None, int] = {}
    for node in nodes:
        parent_path = nodes[node.parent].path if node.parent is not None else ""
        if node.kind in ("table", "paragraph"):
            counters[node.parent] = counters.get(node.parent, 0) + 1
            own = ("r" if node.kind == "table" else "p") + str(counters[node.parent])
        elif node.kind == "appendix":
            own = "A"
        else:
            own = str(node.value)
        path = f"{parent_path}.{own}" if parent_path else own
        if path in used:  # numbering repeats (two （三）): keep both, tell them apart
            used[path] += 1
            path = f"{path}~{used[path]}"
        else:
            used[path] = 1
        node.path = path


def segment(clean: Clean, raw: Raw | None = None) -> Document:
    """Segment normalized text into a :class:`Document`."""
    text = clean.text
    lines = _lines(text)
    info = frontmatter.read([line.text for line in lines], text, raw.path if raw else "")
    body_first = info.body
    footer_first = _footer_start(lines, body_first)
    body_lines = lines[body_first:footer_first]
    body_start = body_lines[0].start if body_lines else len(text)
    body_end = body_lines[-1].end if body_lines else len(text)
    footer = text[lines[footer_first].start :].strip() if footer_first < len(lines) else ""

    appendix_at = next((i for i, line in enumerate(body_lines) if APPENDIX.match(line.text.strip())), None)
    main_lines = body_lines if appendix_at is None else body_lines[:appendix_at]
    b = _Builder(text)
    b.outline(main_lines)
    if appendix_at is not None:
        app_lines = body_lines[appendix_at:]
        title_line = next((x for x in app_lines[1:4] if x.text.strip() and not x.text.startswith("\t")), None)
        node = _Node("appendix", "附件", 1, 1, app_lines[0].start, None, app_lines[0].end)
        node.title = title_line.text.strip() if title_line else "附件"
        b.nodes.append(node)
        after_title = app_lines[app_lines.index(title_line) + 1 :] if title_line else app_lines[1:]
        if any(x.text.startswith("\t") for x in after_title):
            b.table(after_title, len(b.nodes) - 1)
        else:
            b.outline(after_title)
    nodes = b.nodes
    if not nodes or text[body_start : nodes[0].start].strip():
        # text before the first numbered item: the preamble (总体要求…), or a plan without numbering
        pre_end = nodes[0].start if nodes else body_end
        pre_nodes = _paragraph_nodes(lines, body_start, pre_end) if not nodes else [
            _Node("preamble", "", 0, 1, body_start, None, body_start)]
        shift = len(pre_nodes)
        for n in nodes:
            if n.parent is not None:
                n.parent += shift
        nodes = pre_nodes + nodes
    for i, n in enumerate(nodes):
        n.end = nodes[i + 1].start if i + 1 < len(nodes) else body_end
    nodes[0].start = min(nodes[0].start, body_start)
    _number_paths(nodes)
    return _assemble(text, clean, raw, info, nodes, body_start, body_end, footer)


def _in_article(nodes: list[_Node], node: _Node) -> bool:
    n: _Node | None = node
    while n is not None:
        if n.kind == "article":
            return True
        n = nodes[n.parent] if n.parent is not None else None
    return False


def _paragraph_nodes(lines: list[_Line], start: int, end: int) -> list[_Node]:
    """A plan with no numbering: one item per paragraph."""
    out = []
    for line in lines:
        if start <= line.start < end and line.text.strip():
            out.append(_Node("paragraph", "", 0, 1, line.start, None, line.start))
    return out or [_Node("paragraph", "", 0, 1, start, None, start)]


def _assemble(text: str, clean: Clean, raw: Raw | None, info: frontmatter.FrontMatter, nodes: list[_Node],
              body_start: int,
              body_end: int, footer: str) -> Document:
    items: list[Item] = []
    sentences: list[Sentence] = []
    ids = [f"i{k + 1}" for k in range(len(nodes))]
    for k, node in enumerate(nodes):
        start, end = node.start, node.end
        title_end = node.marker_end
        spans: list[tuple[int, int, int, int]] = []
        title = node.title
        if node.kind == "table":
            for a, c in node.table_cells:
                spans.extend(_sentences(text, a, c))
        elif node.kind == "appendix":
            title_end = node.marker_end
        elif node.kind in ("preamble", "paragraph"):
            spans = _sentences(text, start, end)
        elif _in_article(nodes, node):
            # 第X条 and its enumerated sub-items （一）… are text, never headings: 「本条例自…起施行。」
            spans.extend(_sentences(text, node.marker_end, end))
        else:
            title_end = _split_title(text, node.marker_end, end)
            if title_end > node.marker_end:
                title = text[node.marker_end : title_end].strip()
                spans.append(_trim(text, node.marker_end, title_end))
            spans.extend(_sentences(text, title_end, end))
        body_from = title_end if node.kind not in ("table", "preamble", "paragraph") else start
        body = text[body_from:end].strip()
        kind = node.kind if node.kind in ("table", "appendix", "preamble", "paragraph") else "outline"
        items.append(Item(ids[k], node.path, node.number, title.rstrip("。；"), body, node.level,
                          ids[node.parent] if node.parent is not None else None, Span(start, end), kind))
        merged: list[tuple[int, int, int, int]] = []
        for sp in spans:
            s, e, ns, ne = sp
            if ns == e == ne and responsibility.is_note_sentence(text[s:e]):
                ns, sp = s, (s, e, s, e)  # 责任单位：省财政厅、省金融监管局。 is the note of the task before it
            if merged and ns == s and ne == e:  # a note standing alone belongs to the sentence before it
                ps, _pe, _pns, _pne = merged[-1]
                merged[-1] = (ps, e, ns, ne)
            else:
                merged.append(sp)
        for s, e, ns, ne in merged:
            sent = text[s:e]
            note = text[ns:ne]
            lead, support = responsibility.roles(note) if note else (node.table_units, ())
            sentences.append(Sentence(f"s{len(sentences) + 1}", ids[k], sent, mask(sent), lead + support,
                                      Span(s, e), note, lead, support))
    return Document(
        path=raw.path if raw else "<text>",
        title=info.title,
        doc_number=info.doc_number,
        issuer=info.issuer,
        date=info.date,
        level=info.level,
        region=info.region,
        year=info.year,
        first_year=info.first_year,
        items=tuple(items),
        sentences=tuple(sentences),
        text=text,
        encoding=raw.encoding if raw else "utf-8",
        addressees=info.addressees,
        body_span=Span(body_start, body_end),
        footer=footer,
        origin=clean.origin,
        source=raw.text if raw else "",
    )
