"""Versions over time: version chains (北京 2020 → 2024, 慈善法 2016 → 2023) and suspect links.

A suspect link is a child clause copied or localized from old-version wording that the newest version
revised or deleted (see policydiff/versions.py). The generated case starts from the real 山东省大气
污染防治条例: a new version revises one sentence and deletes one article, a city child copies three
articles of the old version. The real case is 山东省慈善条例 (2021), made under 慈善法 2016, read
against 慈善法 2023.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import policydiff
from policydiff.versions import chains, family, suspects

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LINEAGE = CORPUS / "lineage"
LAWS = CORPUS / "laws"
SD_AIR = LINEAGE / "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt"
BJ = [LINEAGE / f"province-beijing-{y}-youhua-yingshang-huanjing-tiaoli.txt" for y in (2020, 2024)]
NATIONAL = LINEAGE / "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
CHARITY = [LAWS / "national" / "社会法" / f"慈善法({d}).md" for d in ("2016-03-16", "2023-12-29")]
SD_CHARITY = LAWS / "山东地方法规" / "地方性法规" / "山东" / "山东省慈善条例(2021-03-24).md"
pytestmark = pytest.mark.skipif(not SD_AIR.is_file(), reason="../shared/corpus not present")

REVISED_OLD = "禁止销售不符合质量标准的民用散煤。"
REVISED_NEW = "禁止销售、燃用不符合质量标准的民用散煤和劣质型煤，禁止向居民销售高硫煤炭。"
DELETED = ("第六十一条 城市人民政府应当根据大气污染防治的需要划定区域，禁止露天烧烤、骑墙(窗)烧烤或者为露天烧烤、"
           "骑墙(窗)烧烤提供场地。在其他区域内烧烤的，应当使用无烟烧烤炉具。")
UNCHANGED = ("从事畜禽养殖、屠宰生产经营活动的单位和个人，应当对畜禽养殖、屠宰产生的污水、废弃物进行处理、处置和综合"
             "利用，防止对周边环境造成恶臭影响。")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """old = the real 条例; new = old with 第二十七条's second sentence revised and 第六十一条 deleted;
    child = a city 条例 copying 第二十七条, 第六十一条 and 第五十九条 of the old one, plus one of its own."""
    folder = tmp_path_factory.mktemp("versions")
    old = SD_AIR.read_text(encoding="utf-8")
    assert REVISED_OLD in old and DELETED in old and UNCHANGED in old
    new = old.replace("2018年11月30日", "2018年11月30日 修正\n\n2023年9月28日 山东省第十四届人民代表大会常务委员会第五次会议修订")
    new = new.replace(REVISED_OLD, REVISED_NEW).replace(DELETED + "\n\n", "")
    child = "\n\n".join([
        "济南市大气污染防治条例", "2019年6月1日 济南市第十六届人民代表大会常务委员会第十二次会议通过",
        "第一条 为了防治大气污染，保护和改善大气环境，根据《山东省大气污染防治条例》，结合本市实际，制定本条例。",
        "第二条 市人民政府应当建立民用散煤管理制度，加强民用散煤质量监督和节能炉具的推广。" + REVISED_OLD,
        "第三条 " + DELETED.split(" ", 1)[1],
        "第四条 " + UNCHANGED,
        "第五条 本市在泉城特色风貌带内实行更加严格的扬尘管控措施，每日对主干道路进行不少于两次的洒水降尘作业。",
        "第六条 本条例自2019年10月1日起施行。"]) + "\n"
    paths = {}
    for name, text in (("old", old), ("new", new), ("child", child)):
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_generated_suspects_library(generated):
    old, new, child = (policydiff.load(generated[k]) for k in ("old", "new", "child"))
    s = suspects(old, new, child)
    by_text = {x.child_text: x for x in s.suspects}
    revised = by_text[REVISED_OLD]
    assert revised.change == "revised" and revised.old_item == "第二十七条" and revised.new_item == "第二十七条"
    assert revised.new_text == REVISED_NEW and revised.child_item == "第二条"
    deleted = [x for x in s.suspects if x.child_item == "第三条"]
    assert deleted and {x.change for x in deleted} == {"deleted"} and {x.old_item for x in deleted} == {"第六十一条"}
    assert all(x.new_item == "" for x in deleted)
    assert not [x for x in s.suspects if x.child_item == "第四条"]  # 第五十九条 is unchanged: not suspect
    assert not [x for x in s.suspects if x.child_item == "第五条"]  # the child's own clause: not a link
    assert s.taken >= 1 + len(deleted) + 1  # the revised, the deleted and the unchanged one at least
    assert policydiff.suspects(*(generated[k] for k in ("old", "new", "child"))).suspects == s.suspects


def test_generated_suspects_cli(cli, generated):
    args = [generated["old"], generated["new"], generated["child"]]
    res = cli("suspects", *args, "--format", "json")
    assert res.exit_code == 0, res.stderr
    (data,) = json.loads(res.stdout)
    assert data["child"] == str(generated["child"]) and data["suspect"] == len(data["suspects"])
    assert {(x["child_item"], x["change"]) for x in data["suspects"]} == {("第二条", "revised"), ("第三条", "deleted")}
    rows = list(csv.DictReader(io.StringIO(cli("suspects", *args, "--format", "csv").stdout)))
    assert len(rows) == len(data["suspects"]) and {r["old_item"] for r in rows} == {"第二十七条", "第六十一条"}
    text = cli("suspects", *args).stdout
    assert "revised" in text and "deleted" in text and "第五十九条" not in text
    # the unrevised old version itself as NEW: nothing is suspect
    same = json.loads(cli("suspects", generated["old"], generated["old"], generated["child"], "-f", "json").stdout)
    assert same[0]["suspects"] == [] and same[0]["taken"] == data["taken"]


def test_beijing_chain_from_a_path_only_manifest(cli, tmp_path):
    for p in (*BJ, NATIONAL):
        shutil.copy(p, tmp_path / p.name)
    manifest = tmp_path / "m.csv"
    manifest.write_text("path\n" + "".join(f"{p.name}\n" for p in (NATIONAL, *BJ)), encoding="utf-8")
    res = cli("versions", "-m", manifest, "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["chains"] == [{"title": "北京市优化营商环境条例", "region": "北京市",
                               "versions": [{"path": BJ[0].name, "year": 2020}, {"path": BJ[1].name, "year": 2024}]}]
    assert data["children"] == []  # the corpus has no child of 北京 2020 (both are children of the national 条例)
    text = cli("versions", "-m", manifest).stdout
    assert "北京市优化营商环境条例 (北京市): 2020 → 2024" in text
    # the corpus agrees: 2024 is a version of 2020, not its child
    plans = {p["path"]: p for p in json.loads(cli("corpus", "-m", manifest, "-f", "json").stdout)["plans"]}
    assert plans[BJ[1].name]["versions"] == [BJ[0].name] and plans[BJ[1].name]["parent"] != BJ[0].name


@pytest.mark.skipif(not SD_CHARITY.is_file(), reason="laws/ not present")
def test_charity_law_suspects_in_shandong(cli):
    """Read in the documents: 山东省慈善条例 第三十六条 second paragraph copies 慈善法 2016 第四十条 (不得指定捐赠人的
    利害关系人作为受益人), which 2023 revised (不得指定或者变相指定…); its 第六十四条（一）（二） copy 2016
    第九十三条（一）（二）, which 2023 第一百零四条 extended to 慈善信托的受托人; （三） is the same in 2023."""
    res = cli("versions", *CHARITY, SD_CHARITY, "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert [[v["year"] for v in c["versions"]] for c in data["chains"]] == [[2016, 2023]]
    (child,) = data["children"]
    assert child["child"] == str(SD_CHARITY) and child["old"] == str(CHARITY[0]) and child["new"] == str(CHARITY[1])
    got = {x["child_item"]: x for x in child["suspects"]}
    assert got["第三十六条"]["old_item"] == "第四十条" and got["第三十六条"]["change"] == "revised"
    assert "变相指定" in got["第三十六条"]["new_text"] and "变相指定" not in got["第三十六条"]["child_text"]
    for k in ("（一）", "（二）"):
        x = got["第六十四条" + k]
        assert (x["old_item"], x["new_item"], x["change"]) == ("第九十三条" + k, "第一百零四条" + k, "revised")
        assert "慈善信托的受托人" in x["new_text"]
    assert "第六十四条（三）" not in got  # unchanged in 2023
    rows = list(csv.DictReader(io.StringIO(cli("versions", *CHARITY, SD_CHARITY, "-f", "csv").stdout)))
    assert len(rows) == child["suspect"] and rows[0]["child"] == str(SD_CHARITY)


def test_annual_plans_are_versions_and_a_twin_is_not(cli):
    """data/: 2017年 and 2021年山东省政务公开工作要点 are one plan in two years; the traditional-script copy of
    2017 is the same plan, not a version and not a child; 聊城 2017 (manifest parent: 山东 2017) is the child."""
    from tests.conftest import DATA

    data = json.loads(cli("versions", "-m", DATA / "manifest.csv", "-f", "json").stdout)
    assert data["chains"] == [{"title": "山东省政务公开工作要点", "region": "山东省", "versions": [
        {"path": "shandong-2017-province.txt", "year": 2017}, {"path": "shandong-2021-province.txt", "year": 2021}]}]
    assert [c["child"] for c in data["children"]] == ["liaocheng-2017-city.md"]
    assert 0 < data["children"][0]["suspect"] <= data["children"][0]["taken"]


def test_family_strips_the_year_only():
    assert family("2017年山东省政务公开工作要点") == family("山东省2021年政务公开工作要点") == "山东省政务公开工作要点"
    assert family("关于印发山东省“十四五”规划（2021—2025年）的通知") == family("山东省“十四五”规划")
    assert family("北京市优化营商环境条例") != family("北京市优化营商环境条例实施细则")
    a, b = policydiff.load(BJ[0]), policydiff.load(BJ[1])
    assert [c.paths for c in chains([b, a, policydiff.load(NATIONAL)])] == [(str(BJ[0]), str(BJ[1]))]


def test_bad_input(cli, tmp_path):
    res = cli("suspects", tmp_path / "missing.txt", SD_AIR, SD_AIR)
    assert res.exit_code == 2 and "missing.txt" in res.stderr and "Traceback" not in res.stderr
    assert cli("suspects", "-", SD_AIR, SD_AIR).exit_code == 2
    assert cli("versions").exit_code == 2
