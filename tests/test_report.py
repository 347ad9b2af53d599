"""Reports for people: the HTML diff report, the coverage audit, and a browser test."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import zipfile

import pandas as pd
import pytest

import policydiff
from policydiff.report.coverage import coverage
from policydiff.report.diff import render_diff_report

from .conftest import LC17, SD17, SD21, ZC20


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "sd-lc.html"
    from click.testing import CliRunner

    from policydiff.cli import main

    res = CliRunner().invoke(main, ["report", str(SD17), str(LC17), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    return out


def test_report_is_self_contained_and_complete(report_file):
    html = report_file.read_text(encoding="utf-8")
    assert "鲁政办发〔2017〕39号" in html and "聊政办发〔2017〕9号" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html and "src=" not in html
    cmp = policydiff.compare(SD17, LC17)
    assert html.count('class="pair ') == len(cmp.pairs)
    assert html.count('data-relation="dropped" data-moved') == cmp.summary["dropped"]
    assert '<ins class="loc">市审计局</ins>' in html or '<ins class="loc">市级</ins>' in html
    assert "<del>" in html and "<ins>" in html  # a real redline inside adapted clauses
    assert 'id="outline"' in html and 'id="bars"' in html and 'id="search"' in html


def test_plan_text_is_escaped(tmp_path):
    evil = "一、总体要求\n（一）公开<script>alert(1)</script>信息。做好R&D公开。\n（二）发布<b>预算</b>。\n"
    child = "一、总体要求\n（一）公开<script>alert(1)</script>信息。做好R&D公开。\n（二）发布<i>决算</i>。\n"
    html = render_diff_report(policydiff.compare(policydiff.parse(evil), policydiff.parse(child)))
    assert "<script>alert" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "R&amp;D" in html and "&lt;/" in html


def test_compare_format_html_equals_report(cli, tmp_path, report_file):
    out = tmp_path / "c.html"
    assert cli("compare", SD17, LC17, "-o", out).exit_code == 0  # format from the extension
    assert out.read_text(encoding="utf-8") == report_file.read_text(encoding="utf-8")


def test_coverage_fail_under_exit_codes(cli):
    ok = cli("coverage", SD17, LC17, "--fail-under", "0.9")
    assert ok.exit_code == 0, ok.stderr
    first = ok.stdout.splitlines()[0]
    assert "任务覆盖率 task coverage 100.0%" in first and "missing" in ok.stdout.splitlines()[1]
    bad = cli("coverage", SD21, ZC20, "--fail-under", "0.9")
    assert bad.exit_code == 1
    assert len(bad.stderr.strip().splitlines()) == 1 and "below --fail-under" in bad.stderr
    first = [line for line in bad.stdout.splitlines()[3:] if line]
    assert first[0].startswith("✗")  # uncovered tasks first


def test_coverage_csv_and_xlsx_one_row_per_task(cli, tmp_path):
    rep = coverage(policydiff.compare(SD17, LC17))
    res = cli("coverage", SD17, LC17, "--format", "csv")
    df = pd.read_csv(io.StringIO(res.stdout))
    assert len(df) == len(rep.rows) >= 35
    assert set(df.columns) >= {"parent_item", "task", "responsible", "child_item", "relation", "score", "child_responsible"}
    row = df[df.parent_item == "1.1.3"].iloc[0]
    assert row.responsible == "省审计厅" and row.child_responsible == "市审计局" and row.child_item == "1.1.3"
    out = tmp_path / "cov.xlsx"
    assert cli("coverage", SD17, LC17, "-o", out).exit_code == 0
    x = pd.read_excel(out)
    assert len(x) == len(rep.rows)
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    first = out.read_bytes()
    assert cli("coverage", SD17, LC17, "-o", out).exit_code == 0
    assert out.read_bytes() == first  # deterministic bytes
    assert zipfile.is_zipfile(out)


def test_coverage_html_and_json(cli, tmp_path):
    out = tmp_path / "cov.html"
    assert cli("coverage", SD21, ZC20, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert 'id="tasks"' in html and 'data-status="missing"' in html and "<th data-col" in html
    data = json.loads(cli("coverage", SD21, ZC20, "--format", "json").stdout)
    # 淄川 2020 is not SD2021's child, but both are 政务公开 plans: about half of SD2021's tasks have a
    # related (adapted, never copied) task in 淄川 (政府开放日…公众参与, 依申请公开, 培训组织…)
    assert data["tasks"] == len(data["rows"]) and data["coverage"] < 0.5
    assert data["covered"] < data["tasks"]


def test_xlsx_needs_a_file(cli):
    res = cli("coverage", SD17, LC17, "--format", "xlsx")
    assert res.exit_code == 2 and "give -o FILE" in res.stderr


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="no chromium here")
def test_report_in_headless_chromium(report_file, tmp_path):
    from playwright.sync_api import sync_playwright

    requests = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report_file.as_uri())
        total = page.locator("tr.pair").count()
        assert total > 150
        page.click("button[data-filter=dropped]")
        visible = page.locator("tr.pair:visible")
        assert visible.count() == 7
        assert all(v == "dropped" for v in visible.evaluate_all("rs => rs.map(r => r.dataset.relation)"))
        page.click("button[data-filter=all]")
        assert page.locator("tr.pair:visible").count() == total
        page.fill("#search", "医药代表")
        assert page.locator("tr.pair:visible").count() == 1
        page.fill("#search", "")
        # outline navigation: clicking a part scrolls its section into view
        link = page.locator("#outline a", has_text="以政务公开助力防风险").first
        target = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == target
        top = page.evaluate(f"document.getElementById('{target[1:]}').getBoundingClientRect().top")
        assert -5 <= top < 200
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests


def test_json_meta_cites_inputs_and_thresholds(cli, monkeypatch):
    import hashlib

    data = json.loads(cli("compare", SD17, LC17, "--format", "json").stdout)
    meta = data["meta"]
    assert meta["version"] == policydiff.__version__
    assert meta["command"] == f"policydiff compare --format json {SD17.name} {LC17.name}"
    assert [(i["role"], i["name"], i["sha256"]) for i in meta["inputs"]] == [
        ("parent", SD17.name, hashlib.sha256(SD17.read_bytes()).hexdigest()),
        ("child", LC17.name, hashlib.sha256(LC17.read_bytes()).hexdigest())]
    assert meta["inputs"][0]["date"] == "2017-05-04"  # 山东 2017 is signed 2017年5月4日
    assert meta["thresholds"] == dataclasses.asdict(policydiff.Thresholds())
    assert "date" not in meta  # no clock: same inputs, same bytes
    item = json.loads(cli("compare", SD17, LC17, "--format", "json", "--granularity", "item").stdout)
    assert item["meta"]["command"].endswith("--granularity item")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = json.loads(cli("compare", SD17, LC17, "--format", "json").stdout)
    assert dated["meta"]["date"] == "2023-11-14"
    html = render_diff_report(policydiff.compare(SD17, LC17))
    assert '<dd id="cite-date">2023-11-14</dd>' in html


def test_text_summary_names_sentence_coverage(cli):
    last = cli("compare", SD17, LC17).stdout.strip().splitlines()[-1]
    assert "句子覆盖率 sentence coverage" in last and " coverage " not in last.replace("sentence coverage ", "")


def test_the_citation_block_names_the_thresholds_a_library_caller_used():
    from policydiff.report.coverage import citation, coverage
    from policydiff.report.diff import render_diff_report

    custom = policydiff.Thresholds(sentence=0.5, rescue=0.8)
    cmp = policydiff.compare(SD17, LC17, thresholds=custom)
    assert cmp.thresholds == custom
    assert citation(coverage(cmp))["thresholds"]["rescue"] == 0.8  # not the default 0.72
    page = render_diff_report(cmp)
    assert "rescue=0.8," in page and "rescue=0.72" not in page and "sentence=0.5," in page
