"""One parent, several children: the 优化营商环境条例 family (national → 河南, 山东, 广东, 北京 2020).

Cells checked by reading the documents: the national 第四十三条 on 中介服务 (行政机关不得为市场主体
指定或者变相指定中介服务机构…) is kept by every province, each in its own words and place: 山东 第十九条
keeps the sentence word for word in a rewritten article, 河南 turns it into item （五） of its 第二十四条's
list of prohibited acts, 广东 第四十三条 and 北京 第三十六条 keep the 中介服务事项 list/目录 duty.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policydiff
from tests.conftest import chromium_or_skip, launch_chromium

LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
PARENT = LINEAGE / "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
CHILDREN = [LINEAGE / f"province-{n}-youhua-yingshang-huanjing-tiaoli.txt"
            for n in ("henan-2020", "shandong-2020", "guangdong-2022", "beijing-2020")]
pytestmark = pytest.mark.skipif(not PARENT.is_file(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def family():
    return policydiff.siblings(PARENT, CHILDREN)


def _row(sib, label):
    (k,) = [k for k, t in enumerate(sib.tasks) if t.label == label]
    return sib.cells[k]


def test_intermediary_article_reached_every_province_in_its_own_place(family):
    henan, shandong, guangdong, beijing = _row(family, "第四十三条")
    assert all(c.relation == "adapted" for c in (henan, shandong, guangdong, beijing))
    assert shandong.child_item.endswith(".19") and shandong.kept > 0.5
    assert ".24." in henan.child_item  # 第二十四条 （五）
    assert guangdong.child_item.endswith(".43") and beijing.child_item.endswith(".36")
    assert [t for t in family.per_task() if t["label"] == "第四十三条"][0]["reach"] == "all"


def test_every_province_has_its_own_commencement_date(family):
    assert {c.relation for c in _row(family, "第七十二条")} == {"adapted"}  # 本条例自…起施行, own dates


def test_per_child_figures_are_consistent(family):
    rows = family.per_child()
    assert [Path(r["path"]).name for r in rows] == [p.name for p in CHILDREN]
    for r in rows:
        assert r["relay_index"] + r["reproduction"] == pytest.approx(1.0)
        shares = r["copied_share"] + r["localized_share"] + r["adapted_share"] + r["added_share"]
        assert shares == pytest.approx(1.0, abs=1e-3)
        assert r["reproduction"] > 0.8  # every province rewrote most of what it kept (no 二传手 here)
    shandong = rows[1]
    assert shandong["copied_share"] == max(r["copied_share"] for r in rows)  # the closest to the national text


def test_frame_json_csv_xlsx_html(family, cli, tmp_path):
    frame = family.to_frame()
    assert len(frame) == len(family.tasks) and "河南省 2020" in frame.columns
    data = json.loads(cli("siblings", PARENT, *CHILDREN, "--format", "json").stdout)
    assert len(data["per_child"]) == 4 and "再生产系数" in data["definitions"]["reproduction"]
    assert len(data["matrix"]) == len(family.tasks)
    csv_text = cli("siblings", PARENT, *CHILDREN, "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("item,label,task,")
    out = tmp_path / "s.xlsx"
    assert cli("siblings", PARENT, *CHILDREN, "-o", out).exit_code == 0
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["matrix", "children"] and wb["matrix"].max_row == len(family.tasks) + 1
    first = out.read_bytes()
    assert cli("siblings", PARENT, *CHILDREN, "-o", out).exit_code == 0 and out.read_bytes() == first
    text = cli("siblings", PARENT, *CHILDREN).stdout
    assert "tasks reached every child" in text and "再生产" in text


@pytest.mark.browser
def test_heat_map_in_a_browser(cli, tmp_path):
    out = tmp_path / "sib.html"
    res = cli("siblings", PARENT, *CHILDREN, "-o", out, "--reports", "pairs")
    assert res.exit_code == 0, res.stderr
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw, chromium)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(out.as_uri())
        rows = page.locator("#matrix tbody tr")
        n = rows.count()
        assert n > 50
        # sort by the 河南 column: dropped cells sink to the bottom when ascending by relation
        page.click("#matrix th[data-col='2']")
        rels = page.evaluate("() => [...document.querySelectorAll('#matrix tbody tr')].map(r => r.cells[2].dataset.relation)")
        order = {"copied": 0, "localized": 1, "adapted": 2, "dropped": 3}
        assert [order[r] for r in rels] == sorted(order[r] for r in rels)
        link = page.locator("#matrix td.cell a").first
        href = link.get_attribute("href")
        assert href.startswith("./pairs/") and (tmp_path / href).is_file()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(".html") and page.locator("tr.pair").count() > 50
        browser.close()


HENAN = LINEAGE / "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt"
KAIFENG = LINEAGE / "city-kaifeng-2021-youhua-yingshang-huanjing-tiaoli.txt"
ZHUMADIAN = LINEAGE / "city-zhumadian-2021-youhua-yingshang-huanjing-tiaoli.txt"


def test_three_level_coverage_shallow_and_orphan(cli):
    """Read in the documents: 河南 第二十四条 keeps the national 第四十三条 on 中介服务, neither 开封 nor
    驻马店 has it (shallow); 河南 has no general 多元化纠纷解决机制 (national 第六十六条), 驻马店 第二十九条
    has it (orphan), 开封 has not (uncovered)."""
    res = cli("coverage", PARENT, HENAN, KAIFENG, ZHUMADIAN, "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    by_label = {t["label"]: t for t in data["tasks"]}
    assert by_label["第四十三条"]["child"] == "covered" and by_label["第四十三条"]["grandchildren"] == ["shallow", "shallow"]
    assert by_label["第六十六条"]["child"] == "missing"
    assert by_label["第六十六条"]["grandchildren"] == ["uncovered", "orphan"]
    assert len(data["reached"]) == 2 and all(0 < r < 1 for r in data["reached"])
    text = cli("coverage", PARENT, HENAN, KAIFENG, ZHUMADIAN).stdout
    assert "开封市: reached" in text and "orphan" in text
    assert cli("coverage", PARENT, HENAN, KAIFENG, ZHUMADIAN, "--fail-under", "0.9").exit_code == 1
    assert cli("coverage", PARENT, HENAN, KAIFENG, "--format", "html").exit_code == 2
