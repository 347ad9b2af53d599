"""The coverage audit as an auditor counts (issue 15, items 8–12), on real pairs.

Expected tasks were written by reading the documents, not from the tool:

- 中华人民共和国市场主体登记管理条例 (2021) prints 第一条…第五十五条. 第一条 states its purpose
  (「为了规范市场主体登记管理行为…制定本条例」), 第五十五条 its entry into force and a repeal
  (「本条例自2022年3月1日起施行。《中华人民共和国公司登记管理条例》…同时废止」): neither assigns
  work, so the audit counts 第二条…第五十四条, 53 tasks. 第九条 lists （一）…（九）, 第十六条
  （一）…（五）, 第十二条 （一）…（六）: each is one task with its sub-items.
- Its 实施细则 (2022) restates the 条例 article by article: 第四条 (原则) → 细则 第二条, 第五条 (主管)
  → 第三条, 第六条 (信息化建设) → 第五条, 第八条 (登记事项) → 第六条, 第九条 (备案事项) → 第七条,
  第十六条 (申请材料) → 第二十五条, 第二十四条 (变更登记 30日内) → 第三十一条, 第二十七条 (跨辖区
  迁移) → 第三十五条, 第二十九条 (变更备案事项) → 第三十九条, 第三十条 (歇业, copied word for word)
  → 第四十条, 第三十一条 (注销) → 第四十四条, 第三十二条 (清算组) → 第四十五条, 第三十六条 (营业执照
  醒目位置) → 第六十四条. 细则 第三十九条 「按照《条例》第二十九条规定办理备案」 and 第四十八条（六）
  「不符合《条例》第三十三条规定的其他情形」 cite the 条例 (called 《条例》 after 「以下简称《条例》」).
- 国防教育法 (2018) prints 第一条…第三十八条 (第一条 purpose, 第三十八条 「本法自公布之日起施行」):
  36 tasks. 浙江省国防教育条例 (2020) 第三十一条 「分别依照《中华人民共和国国防教育法》第三十三条至
  第三十七条的规定处理」 adopts 第三十三–三十七条 by reference; its 第二十七条 「符合《中华人民共和国
  国防教育法》第二十八条规定条件的…」 cites 第二十八条.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

import policydiff
from policydiff.report.coverage import coverage

from .conftest import LC17, SD17

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
TIAOLI = CORPUS / "lineage" / "national-china-2021-shichang-zhuti-dengji-guanli-tiaoli.txt"
XIZE = CORPUS / "lineage" / "national-china-2022-shichang-zhuti-dengji-guanli-tiaoli-shishi-xize.txt"
GUOFANG = CORPUS / "laws" / "national" / "行政法" / "国防教育法(2018-04-27).md"
ZHEJIANG = CORPUS / "laws" / "浙江地方法规" / "地方性法规" / "浙江" / "浙江省国防教育条例(2020-09-24).md"

needs_corpus = pytest.mark.skipif(not TIAOLI.exists() or not GUOFANG.exists(), reason="../shared/corpus not here")

NUMS = "一二三四五六七八九十"


def han(n: int) -> str:
    """1 → 一, 29 → 二十九, 54 → 五十四 (to write the expected article labels)."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("" if tens == 1 else NUMS[tens - 1]) + "十") + ("" if ones == 0 else NUMS[ones - 1])


@pytest.fixture(scope="module")
def registration():
    return coverage(policydiff.compare(TIAOLI, XIZE))


@pytest.fixture(scope="module")
def defence():
    return policydiff.compare(GUOFANG, ZHEJIANG)


def _by_label(rep):
    return {r.label: r for r in rep.rows}


# 8. a preamble, a purpose clause, an entry into force are not tasks
@needs_corpus
def test_tasks_are_the_articles_that_assign_work(registration):
    assert [r.label for r in registration.rows] == [f"第{han(n)}条" for n in range(2, 55)]


@needs_corpus
def test_defence_law_counts_36_tasks(defence):
    labels = [r.label for r in coverage(defence).rows]
    assert labels == [f"第{han(n)}条" for n in range(2, 38)]


def test_sample_preamble_is_not_a_task():
    rep = coverage(policydiff.compare(SD17, LC17))
    # 山东 2017 opens with the issuing notice, 「各市人民政府，省政府各部门、各直属机构：」 and the
    # 「2017年全省政务公开工作的总体要求是：…」 paragraph before 一、: none of them is a task
    assert not any(r.task.startswith(("2017年全省政务公开工作的总体要求", "各市人民政府", "《2017年山东省"))
                   for r in rep.rows)
    # its first task is 「一、以政务公开助力稳增长」 → 「(一)加强预期引导」 → 「1.加强财政政策…」
    assert rep.rows[0].label == "一、（一）1." and rep.rows[0].task.startswith("加强财政政策、金融政策和就业创业政策信息公开")


def test_news_lead_and_framing_heading_are_not_tasks_unless_work_is_assigned():
    parent = policydiff.parse(
        "新华社北京2月17日电 近日，中共中央办公厅、国务院办公厅印发了《关于全面推进政务公开工作的意见》。\n"
        "一、总体要求\n全面贯彻党的精神，坚持以公开为常态。\n"
        "二、基本原则\n坚持依法公开，建立考核机制（省政府办公厅牵头）。\n"
        "三、推进决策公开\n（一）实行重大决策预公开。\n（二）推进执行公开。\n", path="p")
    rep = coverage(policydiff.compare(parent, parent))
    tasks = [r.task for r in rep.rows]
    assert not any("新华社" in t or "全面贯彻党的精神" in t for t in tasks)
    assert "基本原则" in tasks  # names a responsible unit: it assigns work
    assert len(rep.rows) == 3


# 9. sub-items roll up into their article's task
@needs_corpus
def test_sub_items_roll_up_into_their_article(registration):
    rows = _by_label(registration)
    assert rows["第九条"].sub_items == tuple(f"（{NUMS[k]}）" for k in range(9))
    assert rows["第十六条"].sub_items == tuple(f"（{NUMS[k]}）" for k in range(5))
    assert rows["第十二条"].sub_items == tuple(f"（{NUMS[k]}）" for k in range(6))
    assert rows["第四条"].sub_items == ()
    assert not any("（" in r.label for r in registration.rows)  # no sub-item is a task of its own


# 10. adoption by reference counts as covered, marked
@needs_corpus
def test_adoption_by_reference_on_a_real_pair(defence):
    rows = _by_label(coverage(defence))
    for n in range(33, 38):
        assert rows[f"第{han(n)}条"].reference == ("第三十一条",)
    assert rows["第二十八条"].reference == ("第二十七条",)
    assert sum(bool(r.reference) for r in rows.values()) == 6
    # with a stricter rule the restatements no longer suffice: the citation still covers them, marked
    strict = _by_label(coverage(defence, min_kept=1.0))
    for n in range(33, 38):
        assert strict[f"第{han(n)}条"].status == "by reference" and strict[f"第{han(n)}条"].covered
    assert strict["第二条"].status == "missing"  # not cited, not restated


@needs_corpus
def test_abbreviated_title_is_resolved(registration):
    rows = _by_label(registration)
    assert rows["第二十九条"].reference == ("第三十九条",)
    assert rows["第三十三条"].reference == ("第四十八条",)


def test_a_range_cited_instead_of_restated_is_covered_by_reference():
    articles = "".join(f"第{han(n)}条 本市应当建立第{han(n)}项登记审查制度，明确{han(n)}类事项的办理时限。\n"
                       for n in range(1, 15))
    parent = policydiff.parse("某某条例\n" + articles, path="tiaoli")
    child = policydiff.parse("某某条例实施办法\n第一条 根据《某某条例》（以下简称《条例》），制定本办法。\n"
                             "第二条 登记审查的范围按照《条例》第九条至第十三条的规定执行。\n", path="banfa")
    rep = coverage(policydiff.compare(parent, child))
    rows = _by_label(rep)
    for n in range(9, 14):
        assert rows[f"第{han(n)}条"].status == "by reference" and rows[f"第{han(n)}条"].reference == ("第二条",)
    assert rows["第八条"].status == "missing" and rows["第十四条"].status == "missing"
    assert rep.counts()["by reference"] == 5


# 11. a covered task's match is its real counterpart; the 20 % rule explained, optional, shown
COUNTERPARTS = {"第四条": "第二条", "第五条": "第三条", "第六条": "第五条", "第八条": "第六条", "第九条": "第七条",
                "第十六条": "第二十五条", "第二十四条": "第三十一条", "第二十七条": "第三十五条",
                "第二十九条": "第三十九条", "第三十条": "第四十条", "第三十一条": "第四十四条",
                "第三十二条": "第四十五条", "第三十六条": "第六十四条"}


@needs_corpus
def test_covered_tasks_match_their_real_counterpart(registration):
    rows = _by_label(registration)
    got = {k: rows[k].child_label for k in COUNTERPARTS}
    assert got == COUNTERPARTS
    assert all(rows[k].covered for k in COUNTERPARTS)


@needs_corpus
def test_min_kept_rule_is_an_option_and_explained(cli, registration):
    rows = _by_label(registration)
    assert 0 < rows["第二条"].kept < 0.2 and rows["第二条"].status == "partly covered"
    loose = _by_label(coverage(policydiff.compare(TIAOLI, XIZE), min_kept=0.1))
    assert loose["第二条"].status == "covered"
    res = cli("coverage", TIAOLI, XIZE, "--min-kept", "0.1", "--format", "json")
    data = json.loads(res.stdout)
    assert data["min_kept"] == 0.1 and "10%" in data["rule"]
    assert "--min-kept 0.1" in data["meta"]["command"]
    text = cli("coverage", TIAOLI, XIZE).stdout
    assert "covered = at least 20% of a task's text kept" in text.splitlines()[0]
    line = next(x for x in text.splitlines() if x.split()[1:2] == ["第二条"])
    assert "kept  18%" in line or "kept 18%" in line
    bad = cli("coverage", TIAOLI, XIZE, "--min-kept", "2")
    assert bad.exit_code == 2 and "--min-kept 2.0: give a share between 0 and 1" in bad.stderr


# 12. one-line summary and the IDs of missing tasks in every format
@needs_corpus
def test_summary_and_missing_ids_in_every_format(cli, tmp_path, registration):
    c = registration.counts()
    assert c["tasks"] == 53 and sum(c[s] for s in ("covered", "by reference", "partly covered", "missing")) == 53
    missing = registration.missing()
    assert missing and all(_by_label(registration)[m].kept == 0 for m in missing)
    line = registration.summary_line()
    assert f"{c['tasks']} tasks, {c['covered']} covered, {c['partly covered']} partly covered, " \
           f"{c['missing']} missing, {c['by reference']} by reference" in line
    text = cli("coverage", TIAOLI, XIZE).stdout.splitlines()
    assert line in text[0] and text[1] == f"missing tasks ({len(missing)}): {'；'.join(missing)}"
    res = cli("coverage", TIAOLI, XIZE, "--format", "csv")
    df = pd.read_csv(io.StringIO(res.stdout))
    assert list(df[df.status == "missing"].label) == missing
    assert line in res.stderr and "；".join(missing) in res.stderr
    data = json.loads(cli("coverage", TIAOLI, XIZE, "--format", "json").stdout)
    assert data["summary"]["line"] == line and data["missing"] == missing
    assert data["summary"]["missing"] == len(missing)
    out = tmp_path / "a.xlsx"
    assert cli("coverage", TIAOLI, XIZE, "-o", out).exit_code == 0
    summary = pd.read_excel(out, sheet_name="summary", header=None, index_col=0)[1]
    assert summary["summary"] == line and summary["missing_tasks"] == "；".join(missing)
    meta = pd.read_excel(out, sheet_name="meta", header=None, index_col=0)[1]
    assert meta["input parent"] == TIAOLI.name and len(meta["sha256 parent"]) == 64
    html_out = tmp_path / "a.html"
    assert cli("coverage", TIAOLI, XIZE, "-o", html_out).exit_code == 0
    html = html_out.read_text(encoding="utf-8")
    assert f'<b data-count="missing">{len(missing)}</b>' in html and "；".join(missing) in html


def test_summary_on_the_sample_pair(cli):
    rep = coverage(policydiff.compare(SD17, LC17))
    data = json.loads(cli("coverage", SD17, LC17, "--format", "json").stdout)
    assert data["summary"]["tasks"] == len(rep.rows) and data["missing"] == rep.missing()
    assert data["meta"]["inputs"][0]["name"] == SD17.name
