"""Front matter of real documents: every lineage document against a table written by reading them.

``tests/data/lineage_metadata.csv`` was written by a reader who never ran the tool (see
``tests/data/README.md``); this test measures the tool against it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import policydiff
from policydiff import frontmatter

LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
TABLE = Path(__file__).parent / "data" / "lineage_metadata.csv"
FIELDS = ("title", "doc_number", "issuer", "level", "region", "year")

needs_corpus = pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")


def _expected() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _squash(s: object) -> str:
    return re.sub(r"\s", "", "" if s is None else str(s))


def misses() -> list[tuple[str, str, str, str]]:
    """(file, field, expected, got) for every field the tool gets wrong."""
    out = []
    for row in _expected():
        doc = policydiff.load(LINEAGE / row["path"])
        for field in FIELDS:
            got = _squash(getattr(doc, field))
            if got != _squash(row[field]):
                out.append((row["path"], field, row[field], got))
    return out


@needs_corpus
def test_lineage_metadata_at_least_95_percent_right():
    rows = _expected()
    assert len(rows) == 31
    wrong = misses()
    total = len(rows) * len(FIELDS)
    assert (total - len(wrong)) / total >= 0.95, wrong


@needs_corpus
@pytest.mark.parametrize("name,level", [
    ("national-china-2019-youhua-yingshang-huanjing-tiaoli.txt", "nation"),  # 国务院令
    ("national-china-2019-zhengfuxing-rongzi-danbao-zhidao-yijian.txt", "nation"),  # 国办发
    ("national-china-2018-daqi-wuran-fangzhi-fa.txt", "nation"),  # 全国人大常委会
    ("national-china-2022-shichang-zhuti-dengji-guanli-tiaoli-shishi-xize.txt", "nation"),  # 总局令
    ("province-beijing-2020-youhua-yingshang-huanjing-tiaoli.txt", "province"),  # 直辖市
    ("city-kaifeng-2021-youhua-yingshang-huanjing-tiaoli.txt", "city"),  # city 人大, province approves
])
def test_levels_of_real_documents(name, level):
    assert policydiff.load(LINEAGE / name).level == level


@needs_corpus
def test_year_is_this_versions_adoption_not_the_first_or_the_approval():
    b24 = policydiff.load(LINEAGE / "province-beijing-2024-youhua-yingshang-huanjing-tiaoli.txt")
    assert (b24.year, b24.date) == (2024, "2024-11-29")  # 2020 通过, 2022 修正, 2024 修订
    law = policydiff.load(LINEAGE / "national-china-2018-daqi-wuran-fangzhi-fa.txt")
    assert law.date == "2018-10-26"  # first adopted 1987; in force "2016年1月1日" in its last article


@pytest.mark.parametrize("text,date", [
    ("二○○七年四月五日", "2007-04-05"),
    ("二〇一九年十月二十二日", "2019-10-22"),
    ("2022 年3月10日", "2022-03-10"),
    ("2020年3月16日（此件公开发布）", "2020-03-16"),
    ("2003年9月27日 河南省第十届人民代表大会常务委员会第五次会议通过", "2003-09-27"),
])
def test_dates_as_printed(text, date):
    assert frontmatter.parse_date(text) == date


@pytest.mark.parametrize("head,title,doc_number,issuer,level,year", [
    # a plan's range is not its year; the issue date is
    ("国务院关于印发中医药发展战略规划纲要（2016—2030年）的通知\n国发〔2016〕15号\n各省、自治区、直辖市人民政府：\n"
     "现将《中医药发展战略规划纲要（2016—2030年）》印发给你们，请认真贯彻执行。\n国务院\n2016年2月22日\n"
     "中医药发展战略规划纲要（2016—2030年）\n一、基本形势\n中医药作为我国独特的卫生资源。\n",
     "中医药发展战略规划纲要（2016—2030年）", "国发〔2016〕15号", "国务院", "nation", 2016),
    # the child quotes its parent's title: that is not its own title
    ("北京市人民政府关于贯彻落实《中医药发展战略规划纲要（2016—2030年）》的实施意见\n京政发〔2017〕8号\n"
     "为贯彻落实《中医药发展战略规划纲要（2016—2030年）》，经市政府同意，提出以下意见。\n一、总体要求\n坚持。\n",
     "北京市人民政府关于贯彻落实《中医药发展战略规划纲要（2016—2030年）》的实施意见", "京政发〔2017〕8号",
     "北京市人民政府", "province", 2017),
    ("中华人民共和国国务院令\n第　492　号\n《中华人民共和国政府信息公开条例》已经2007年1月17日国务院第165次常务会议"
     "通过，现予公布，自2008年5月1日起施行。\n总理　温家宝\n二○○七年四月五日\n中华人民共和国政府信息公开条例\n"
     "第一章　总则\n第一条　为了保障公民。\n",
     "中华人民共和国政府信息公开条例", "国务院令第492号", "国务院", "nation", 2007),
    ("国家卫生和计划生育委员会令\n第15号\n《医疗机构管理条例实施细则》修改已于2017年2月3日经国家卫生计生委委主任会议"
     "讨论通过，现予公布，自2017年4月1日起施行。\n主任　李斌\n2017年2月21日\n第一条　为贯彻。\n",
     "医疗机构管理条例实施细则", "国家卫生和计划生育委员会令第15号", "国家卫生和计划生育委员会", "nation", 2017),
    ("工业和信息化部 公安部 交通运输部关于印发智能网联汽车道路测试与示范应用管理规范（试行）的通知\n"
     "工信部联通装〔2021〕97号\n各省、自治区、直辖市及计划单列市、新疆生产建设兵团工业和信息化主管部门：\n"
     "现将《智能网联汽车道路测试与示范应用管理规范（试行）》印发给你们，请遵照执行。\n"
     "2021 年7月27日\n第一章 总则\n第一条 为规范。\n",
     "智能网联汽车道路测试与示范应用管理规范（试行）", "工信部联通装〔2021〕97号", "工业和信息化部、公安部、交通运输部",
     "nation", 2021),
    ("江西省人民政府办公厅关于印发江西省数字政府建设三年行动计划（2020—2022年）的通知\n赣府厅发〔2020〕10号\n"
     "各市、县（区）人民政府，省政府各部门：\n现将《江西省数字政府建设三年行动计划（2020—2022年）》印发给你们。\n"
     "2020年3月16日（此件公开发布）\n一、总体要求\n坚持。\n",
     "江西省数字政府建设三年行动计划（2020—2022年）", "赣府厅发〔2020〕10号", "江西省人民政府办公厅", "province", 2020),
    ("淄川区昆仑镇人民政府关于印发2021年政务公开工作要点的通知\n各村（社区）：\n现将要点印发给你们。\n"
     "2021年4月1日\n一、总体要求\n坚持。\n", "2021年政务公开工作要点", "", "淄川区昆仑镇人民政府", "town", 2021),
])
def test_front_matter_of_printed_heads(head, title, doc_number, issuer, level, year):
    doc = policydiff.parse(head)
    assert (doc.title, doc.doc_number, doc.issuer, doc.level, doc.year) == (title, doc_number, issuer, level, year)


def test_level_words():
    assert frontmatter.canonical_level("national") == "nation"
    assert frontmatter.canonical_level("国家级") == "nation"
    assert frontmatter.canonical_level("省级") == "province"
    assert frontmatter.canonical_level("乡镇") == "town"
    assert frontmatter.canonical_level("planet") is None
