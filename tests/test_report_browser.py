"""The diff report in a real browser (Playwright + Chromium), item by item of issue 15, on a real
pair of ../shared/corpus/lineage/ (市场主体登记管理条例 → its 实施细则) and on the samples in data/.

Expected labels and places were read in the documents: the 细则 prints 第三十九条 「…按照《条例》
第二十九条规定办理备案」, the 条例 prints 第二十九条; 山东 2017 prints 「3.加强审计信息公开」 under
「(一)加强预期引导」 under 「一、以政务公开助力稳增长」, and so does 聊城 2017.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import policydiff

from .conftest import LC17, SD17, SD21, ZC20

LINEAGE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lineage"
TIAOLI = LINEAGE / "national-china-2021-shichang-zhuti-dengji-guanli-tiaoli.txt"
XIZE = LINEAGE / "national-china-2022-shichang-zhuti-dengji-guanli-tiaoli-shishi-xize.txt"

pytestmark = pytest.mark.browser


def _real_or_skip() -> None:
    if not TIAOLI.exists():
        pytest.skip("../shared/corpus/lineage/ not here")


PAIRS = {"real": (TIAOLI, XIZE), "sample": (SD17, LC17), "sample-moved": (SD21, ZC20)}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The reports, written through the CLI as a user would."""
    from click.testing import CliRunner

    from policydiff.cli import main

    out = {}
    folder = tmp_path_factory.mktemp("reports")
    for name, (parent, child) in PAIRS.items():
        if not parent.exists():
            continue
        target = folder / f"{name}.html"
        res = CliRunner().invoke(main, ["report", str(parent), str(child), "-o", str(target)])
        assert res.exit_code == 0, res.stderr
        out[name] = target
    return out


def _open(browser, reports, name):
    if name not in reports:
        _real_or_skip()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(reports[name].as_uri())
    page.requests = requests  # type: ignore[attr-defined]
    return page


def _landed(page) -> dict:
    """Where the current #hash landed: the section row holding the target, and its screen position."""
    return page.evaluate("""() => {
        const t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        const tr = t.closest('tr');
        let sec = tr; while (sec && !sec.classList.contains('section')) sec = sec.previousElementSibling;
        const paths = []; let r = sec.nextElementSibling;
        while (r && !r.classList.contains('section')) { paths.push(r.cells[1].dataset.path); r = r.nextElementSibling; }
        const top = tr.getBoundingClientRect().top;
        const atEnd = Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight;
        return {top: top, inView: top >= -5 && (top < 120 || (atEnd && top < window.innerHeight)), parentPath: sec.dataset.parentPath,
                homes: sec.dataset.parentItems.split(' '), rowParentPaths: paths, id: tr.id};
    }""")


# 1. moved-row links land on the parent clause's place, and come back
@pytest.mark.parametrize("name", ["real", "sample-moved"])
def test_moved_links_land_on_the_parent_item_and_back(browser, reports, name):
    page = _open(browser, reports, name)
    links = page.locator("a.moved-link")
    n = links.count()
    cmp = policydiff.compare(*PAIRS[name])
    assert n == sum(p.moved for p in cmp.pairs) > 5
    # every link and back link resolves
    assert page.evaluate("""() => [...document.querySelectorAll('a.moved-link, a.back-link')]
        .every(a => document.getElementById(a.getAttribute('href').slice(1)))""")
    for k in range(n):
        link = links.nth(k)
        parent_path = link.get_attribute("data-parent-path")
        row_id = link.evaluate("a => a.closest('tr').id")
        link.click()
        where = _landed(page)
        assert where["inView"], where  # scrolled to the top, or as far as the page goes
        # the parent item is shown there: its counterpart section, or a section holding its clauses in place
        assert parent_path in where["homes"]
        assert where["parentPath"] == parent_path or parent_path in where["rowParentPaths"], (parent_path, where)
        back = page.locator(f"tr.section a.back-link[href='#{row_id}']")
        assert back.count() == 1
        back.click()
        assert page.evaluate("location.hash") == f"#{row_id}"
    page.close()


def test_moved_link_of_the_real_pair_reads_as_printed(browser, reports):
    """Moved links name the parent's article as printed (↷ 自第二十九条), never a path (3.20)."""
    page = _open(browser, reports, "real")
    labels = page.locator("a.moved-link").all_inner_texts()
    assert all(re.fullmatch(r"↷ 自第[一二三四五六七八九十百]+[条章](（[一二三四五六七八九十]+）)?", t) for t in labels), labels
    page.close()


# 2. filters and search hide empty sections, highlight hits, count per filter
@pytest.mark.parametrize("name", ["real", "sample"])
def test_filters_hide_empty_sections_and_count(browser, reports, name):
    page = _open(browser, reports, name)
    cmp = policydiff.compare(*PAIRS[name])
    for rel in ("dropped", "added", "adapted", "copied"):
        button = page.locator(f"button[data-filter={rel}]")
        assert button.locator(".count").inner_text() == f"({cmp.summary[rel]})"
        button.click()
        assert page.locator("tr.pair:visible").count() == cmp.summary[rel]
        empty = page.evaluate("""() => [...document.querySelectorAll('tr.section')].filter(s => {
            if (s.classList.contains('hidden')) return false;
            let r = s.nextElementSibling;
            while (r && !r.classList.contains('section')) { if (!r.classList.contains('hidden')) return false; r = r.nextElementSibling; }
            return true; }).length""")
        assert empty == 0
        assert page.locator("tr.section:visible").count() >= 1 if cmp.summary[rel] else True
    page.click("button[data-filter=moved]")
    assert page.locator("button[data-filter=moved] .count").inner_text() == f"({cmp.summary['moved']})"
    page.click("button[data-filter=all]")
    assert page.locator("tr.section.hidden").count() == 0
    page.close()


@pytest.mark.parametrize("name,query,expected", [
    ("sample", "医药代表", 1),  # 山东 2017 and 聊城 2017 each print 医药代表 once, in the same clause
    ("real", "个体工商户", None),
])
def test_search_highlights_hits_and_hides_empty_sections(browser, reports, name, query, expected):
    page = _open(browser, reports, name)
    page.fill("#search", query)
    visible = page.locator("tr.pair:visible")
    cmp = policydiff.compare(*PAIRS[name])
    want = sum(query in ((p.parent.text if p.parent else "") + "\n" + (p.child.text if p.child else ""))
               for p in cmp.pairs)
    assert visible.count() == want == (expected or want) > 0
    marks = page.locator("tr.pair:visible mark")
    assert marks.count() >= want and set(marks.all_inner_texts()) == {query}
    assert page.locator("tr.pair.hidden mark").count() == 0
    sections = page.locator("tr.section:visible").count()
    assert 1 <= sections <= want
    assert page.locator("button[data-filter=all] .count").inner_text() == f"({want})"
    page.fill("#search", "")
    assert page.locator("mark").count() == 0
    page.close()


# 3. one navigation of aligned item pairs
@pytest.mark.parametrize("name", ["real", "sample"])
def test_outline_navigation_pairs_items(browser, reports, name):
    page = _open(browser, reports, name)
    entries = page.evaluate("""() => [...document.querySelectorAll('#outline a')].map(a => ({
        kind: a.dataset.kind, p: a.dataset.parentPath, c: a.dataset.childPath, text: a.textContent,
        href: a.getAttribute('href')}))""")
    pairs = [(e["p"], e["c"]) for e in entries]
    assert len(pairs) == len(set(pairs))  # each item pair once
    for side in ("p", "c"):
        shown = [e[side] for e in entries if e[side]]
        assert len(shown) == len(set(shown))  # an item appears in one entry only
    assert {e["kind"] for e in entries} <= {"paired", "parent-only", "child-only"}
    for e in entries:
        assert (e["kind"] == "paired") == bool(e["p"] and e["c"])
        assert ("仅上级" in e["text"]) == (e["kind"] == "parent-only")
        assert "↔" in e["text"]
    for e in entries[:: max(1, len(entries) // 12)]:
        page.click(f"#outline a[href='{e['href']}'] >> nth=0")
        where = _landed(page)
        assert where["inView"], where
    page.close()


def test_navigation_of_the_sample_pair_reads_as_printed(browser, reports):
    page = _open(browser, reports, "sample")
    texts = page.locator("#outline a").all_inner_texts()
    # both plans print 一、以政务公开助力稳增长 … 六、增强政务公开实效, so each pair of parts is one entry
    for label, title in (("一、", "以政务公开助力稳增长"), ("五、", "以政务公开助力防风险"), ("六、", "增强政务公开实效")):
        assert sum(t.startswith(f"{label} ↔ {label} {title}") for t in texts) == 1, (label, texts[:10])
    assert sum("以政务公开助力稳增长" in t for t in texts) == 1
    link = page.locator("#outline a", has_text="以政务公开助力防风险").first
    link.click()
    assert page.evaluate("location.hash") == link.get_attribute("href")
    page.close()


# 4. labels as printed, canonical path as attribute
def test_labels_as_printed(browser, reports):
    page = _open(browser, reports, "sample")
    cell = page.locator("tr.pair td.loc[data-path='1.1.3']").first
    assert cell.inner_text().strip() == "3." and cell.get_attribute("title") == "parent 1.1.3"
    assert page.locator("tr.section:has-text('以政务公开助力稳增长') .pl").first.inner_text() == "一、"
    page.close()
    _real_or_skip()
    page = _open(browser, reports, "real")
    cells = page.locator("tr.pair td.loc").all_inner_texts()
    assert not any(re.fullmatch(r"\d+(\.\d+)+", c.strip()) for c in cells)  # never 3.20
    # 细则 第三十九条 prints 「市场主体变更备案事项的，应当按照《条例》第二十九条规定办理备案」
    row = page.locator("tr.pair", has_text="应当按照《条例》第二十九条规定办理备案").first
    assert row.locator("td.loc").nth(1).inner_text().startswith("第三十九条")
    assert re.fullmatch(r"child \d+\.\d+", row.locator("td.loc").nth(1).get_attribute("title"))
    page.close()


# 5. one name per figure
@pytest.mark.parametrize("name", ["real", "sample"])
def test_sentence_coverage_is_named(browser, reports, name):
    page = _open(browser, reports, name)
    cmp = policydiff.compare(*PAIRS[name])
    fig = page.locator("#sentence-coverage").inner_text()
    assert fig == f"句子覆盖率 {cmp.summary['coverage'] * 100:.1f}%"
    assert "task coverage" in page.locator("#sentence-coverage").get_attribute("title")
    header = page.locator("header").inner_text()  # the page's own words, not the plans'
    assert not re.search(r"(?<![句务])覆盖率|\bcoverage\b", header.replace("句子覆盖率", ""))
    page.close()


# 6. language and metadata
@pytest.mark.parametrize("name", ["real", "sample"])
def test_chinese_ui_no_missing_values(browser, reports, name):
    page = _open(browser, reports, name)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    h1 = page.locator("h1").inner_text()
    assert not h1.startswith("→") and " → " in h1
    meta = page.locator("table.meta").inner_text()
    assert "None" not in meta and "title" not in meta and "year" not in meta
    assert page.locator("table.meta th[title=title]").inner_text() == "标题"
    buttons = page.locator(".controls button").all_inner_texts()
    assert [b.split(" ")[0] for b in buttons] == ["全部", "删除", "新增", "改写", "属地化", "照搬", "移位"]
    assert all(page.locator(".controls button").nth(k).get_attribute("title") for k in range(len(buttons)))
    page.close()


def test_untitled_plans_have_a_heading_without_arrow(browser, tmp_path):
    from policydiff.report.diff import render_diff_report

    cmp = policydiff.compare(policydiff.parse("（一）推进决策公开。\n", path="draft-a"),
                             policydiff.parse("（一）推进决策公开。\n", path="draft-b"))
    out = tmp_path / "u.html"
    out.write_text(render_diff_report(cmp), encoding="utf-8")
    page = browser.new_page()
    page.goto(out.as_uri())
    assert page.locator("h1").inner_text() == "draft-a → draft-b"
    assert "None" not in page.locator("table.meta").inner_text()
    page.close()


# 7. a footer a researcher can cite
@pytest.mark.parametrize("name", ["real", "sample"])
def test_footer_can_be_cited(browser, reports, name):
    page = _open(browser, reports, name)
    parent, child = PAIRS[name]
    assert page.locator("#cite-version").inner_text() == f"policydiff {policydiff.__version__}"
    assert page.locator("#cite-command").inner_text() == f"policydiff report {parent.name} {child.name}"
    for role, path in (("parent", parent), ("child", child)):
        cell = page.locator(f".cite-input[data-role={role}]")
        assert cell.locator(".name").inner_text() == path.name
        assert cell.locator(".sha256").inner_text() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "sequence=0.3" in page.locator("#cite-thresholds").inner_text()
    assert page.locator("#cite-date").count() == 0  # no clock in the bytes (see policydiff/report/meta.py)
    assert all(u.startswith(("file:", "data:", "about:")) for u in page.requests)
    page.close()


# 12. the coverage audit page: one-line summary, missing task IDs, citable footer
@pytest.mark.parametrize("name", ["real", "sample"])
def test_coverage_page_summary_and_missing_ids(browser, tmp_path, name):
    from click.testing import CliRunner

    from policydiff.cli import main
    from policydiff.report.coverage import coverage

    parent, child = PAIRS[name]
    if not parent.exists():
        _real_or_skip()
    out = tmp_path / f"{name}.coverage.html"
    res = CliRunner().invoke(main, ["coverage", str(parent), str(child), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    rep = coverage(policydiff.compare(parent, child))
    page = browser.new_page()
    page.goto(out.as_uri())
    counts = rep.counts()
    for key in ("tasks", "covered", "partly covered", "missing", "by reference"):
        assert page.locator(f"#summary b[data-count='{key}']").inner_text() == str(counts[key])
    assert page.locator("tr[data-status=missing]").count() == counts["missing"]
    shown = page.locator("#missing").inner_text()
    assert shown == "缺失任务：" + ("；".join(rep.missing()) if rep.missing() else "（无）")
    assert page.locator("#coverage").inner_text() == f"{rep.coverage * 100:.1f}%"
    assert "任务覆盖率" in page.locator("header").inner_text() and "20%" in page.locator("#rule").inner_text()
    assert page.locator("#cite-command").inner_text() == f"policydiff coverage {parent.name} {child.name}"
    assert page.locator(".cite-input[data-role=child] .sha256").inner_text() == \
        hashlib.sha256(child.read_bytes()).hexdigest()
    # sorting by kept still works with the % column
    assert page.locator("#tasks th[data-key=kept]").inner_text() == "保留"
    assert page.locator("#tasks th[data-key=status]").get_attribute("title") == "status"
    statuses = set(page.locator("#tasks td[data-col=status]").all_inner_texts())
    assert statuses <= {"已覆盖", "援引", "部分覆盖", "缺失"}
    page.click("#tasks th[data-key=kept]")
    kept = [float(x.rstrip("%")) for x in page.locator("#tasks td[data-col=kept]").all_inner_texts()]
    assert kept == sorted(kept)
    page.close()
