"""Outlines of real documents: 第X章/第X条 regulations, PDF line breaks, tables of contents,
responsibility notes in the forms real plans print them.

Expected values were read off the documents in ``../shared/corpus/lineage/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policydiff
from tests.conftest import assert_lossless

LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
needs_corpus = pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
NATIONAL = "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
JIANGXI = "province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt"


def _wrap(text: str, width: int) -> str:
    """Text as a PDF extraction gives it: no blank lines, every line cut at the page width."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


@needs_corpus
def test_regulation_chapters_and_articles():
    doc = policydiff.load(LINEAGE / NATIONAL)
    chapters = [it for it in doc.items if it.number.endswith("章")]
    articles = [it for it in doc.items if it.number.endswith("条")]
    assert [c.title for c in chapters] == ["总则", "市场主体保护", "市场环境", "政务服务", "监管执法", "法治保障", "附则"]
    assert len(articles) == 72 and articles[0].number == "第一条" and articles[-1].number == "第七十二条"
    # an article is text, not a heading, however short
    assert articles[-1].title == "" and articles[-1].body == "本条例自2020年1月1日起施行。"
    # the adoption and promulgation lines are front matter, not a preamble clause
    assert not any("常务会议通过" in s.text or "国务院令" in s.text for s in doc.sentences)
    assert_lossless(doc)


@needs_corpus
@pytest.mark.parametrize("name", [NATIONAL, "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt", JIANGXI])
@pytest.mark.parametrize("width", [28, 33, 40])
def test_pdf_line_breaks_inside_articles_are_rejoined(name, width):
    src = (LINEAGE / name).read_text(encoding="utf-8")
    printed = policydiff.parse(src)
    pdf = policydiff.parse(_wrap(src, width))
    assert [s.text for s in pdf.sentences] == [s.text for s in printed.sentences]
    assert [it.path for it in pdf.items] == [it.path for it in printed.items]


PDF_ARTICLE = """智能网联汽车道路测试与示范应用管理规范（试行）
第一章 总则
第一条 为贯彻工业和信息化部、公安部、交通运输部《智
能网联汽车道路测试与示范应用管理规范（试行）》，规范道路测试，
制定本细则。
第二条 本细则适用于本市行政区域内的道路测试。
"""


def test_pdf_break_inside_a_quoted_title():
    doc = policydiff.parse(PDF_ARTICLE)
    first = [s.text for s in doc.sentences if s.text.startswith("为贯彻")]
    assert first == ["为贯彻工业和信息化部、公安部、交通运输部《智能网联汽车道路测试与示范应用管理规范（试行）》，"
                     "规范道路测试，制定本细则。"]
    assert [it.number for it in doc.items if it.number.endswith("条")] == ["第一条", "第二条"]


TOC = """某市智慧交通发展规划
目  录
一、发展基础……………………………………1
（一）取得成效……………………………………1
（二）面临形势……………………………………3
二、总体要求……………………………………5
三、重点任务……………………………………7
一、发展基础
（一）取得成效。全市建成智能信号灯。
（二）面临形势。需求持续增长。
二、总体要求
坚持系统谋划。
三、重点任务
加快系统创新。
"""


def test_table_of_contents_is_skipped():
    doc = policydiff.parse(TOC)
    assert [it.path for it in doc.items] == ["1", "1.1", "1.2", "2", "3"]
    assert not any("……" in s.text for s in doc.sentences)
    assert doc.title == "某市智慧交通发展规划"
    assert_lossless(doc)


TOC_NO_PAGES = """某省数据条例
目录
第一章 总则
第二章 数据共享
第三章 附则
第一章 总则
第一条 为了规范数据共享，制定本条例。
第二章 数据共享
第二条 数据应当共享。
第三章 附则
第三条 本条例自公布之日起施行。
"""


def test_table_of_contents_without_page_numbers():
    doc = policydiff.parse(TOC_NO_PAGES)
    assert [it.path for it in doc.items] == ["1", "1.1", "2", "2.2", "3", "3.3"]


NOTES = """某省推进政务公开工作要点
一、推进决策公开
（一）深化决策预公开。各地各部门要完善重大行政决策预公开制度。（省政府办公厅牵头，省直有关部门、各设区市人民政府负责）
（二）推进执行公开。加强重大政策落实情况公开。
责任单位：省发展改革委、省财政厅。
（三）做好解读回应。各级政府要加强政策解读。
牵头单位：省委宣传部 配合单位：省政府办公厅、省广电局
（四）加强平台建设。整合政府网站(省政务服务管理办公室牵头，各设区市人民政府负责)
"""


def test_responsibility_notes_in_real_forms():
    doc = policydiff.parse(NOTES)
    by_item = {doc.item(s.item_id).path: s for s in doc.sentences if s.note}
    assert by_item["1.1"].lead == ("省政府办公厅",)
    assert by_item["1.1"].support == ("省直有关部门", "各设区市人民政府")
    assert by_item["1.2"].lead == ("省发展改革委", "省财政厅")  # a 责任单位： sentence is the task's note
    assert by_item["1.3"].lead == ("省委宣传部",) and by_item["1.3"].support == ("省政府办公厅", "省广电局")
    assert by_item["1.4"].lead == ("省政务服务管理办公室",)  # half-width brackets
    # a note never stands as a clause of its own
    assert not any(s.text.startswith(("责任单位", "牵头单位")) and s.note != s.text for s in doc.sentences)
    assert_lossless(doc)


@needs_corpus
def test_jiangxi_notes_fill_coverage_responsible():
    doc = policydiff.load(LINEAGE / JIANGXI)
    noted = [s for s in doc.sentences if s.note]
    assert len(noted) == 25  # every numbered measure 1–25 ends in （责任单位：…）
    first = noted[0]
    assert first.lead == ("省财政厅", "省金融监管局")
    last = noted[-1]
    assert last.lead == ("省财政厅", "省金融监管局")


MID_LINE = """某市工作要点
一、加强政策解读
（一）深化解读。各部门要加强解读。（二）深化推广应用。各地要推广。
（三）做好回应关切（市政府办公室负责）
加强舆情回应。
"""


def test_item_starting_mid_line_and_numbered_line_ending_in_a_note():
    doc = policydiff.parse(MID_LINE)
    assert [it.path for it in doc.items] == ["1", "1.1", "1.2", "1.3"]
    assert doc.items[2].title == "深化推广应用"
    # the numbered line that ends in a note was not glued to the line before it
    assert doc.items[3].number == "（三）"


def test_markdown_headings_indented_with_ideographic_spaces():
    doc = policydiff.parse("# 某市条例\n\u3000\u3000## 第一章 总则\n第一条 为了规范，制定本条例。\n")
    assert [it.number for it in doc.items] == ["第一章", "第一条"]


CORPUS = LINEAGE.parent
_ALL = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt") and p.name not in ("SOURCES.md", "README.md")) \
    if CORPUS.is_dir() else []


def _check_files(files):
    assert files
    for p in files:
        assert_lossless(policydiff.load(p))


@needs_corpus
def test_lossless_on_a_sample_of_the_corpus():
    """Every lineage document and every 25th law: fast enough for every run."""
    _check_files([p for p in _ALL if p.parent == LINEAGE] + _ALL[::25])


@needs_corpus
@pytest.mark.slow
def test_lossless_on_every_corpus_file():
    """All 2,400+ files of ../shared/corpus (about two minutes: run by `make bench` / `-m slow`)."""
    assert len(_ALL) > 2400
    _check_files(_ALL)
