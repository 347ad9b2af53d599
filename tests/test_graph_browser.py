"""The graph page in a real browser, with its clauses embedded and loaded per plan on demand.

A page of thousands of plans cannot embed every clause: past ``graph.EMBED_CLAUSES`` plans (or with
``--clauses files``) each plan's clauses and clause links live in ``<page>_clauses/<n>.js``, loaded
when the plan or a lineage is opened. Both pages must show the same things; read in the documents:
国务院 优化营商环境条例 「行政机关不得为市场主体指定或者变相指定中介服务机构；」 is copied by 山东 2020, reworded
by 商丘 2020 (行政机关不得指定或者变相指定中介服务机构) and kept inside a longer clause by 河南 2020.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LINEAGE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lineage"
NATIONAL = "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
CLAUSE = "行政机关不得为市场主体指定或者变相指定中介服务机构"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from click.testing import CliRunner

    from policydiff.cli import main

    folder = tmp_path_factory.mktemp("graph")
    files = sorted(str(p) for p in LINEAGE.glob("*.txt"))
    out = {}
    for mode in ("embed", "files"):
        target = folder / f"{mode}.html"
        res = CliRunner().invoke(main, ["graph", *files, "--jobs", "1", "-o", str(target), "--clauses", mode])
        assert res.exit_code == 0, res.stderr
        out[mode] = target
    return out


def _data(page_file: Path) -> dict:
    html = page_file.read_text(encoding="utf-8")
    return json.loads(html.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0])


def test_files_page_embeds_no_clause_and_writes_one_file_per_plan(pages):
    embed, files = _data(pages["embed"]), _data(pages["files"])
    assert all("clauses" in d and "src" not in d for d in embed["docs"]) and embed["links"]
    assert all("clauses" not in d for d in files["docs"]) and files["links"] == []
    written = sorted(p.name for p in (pages["files"].parent / "files_clauses").iterdir())
    assert written == sorted(f"{n}.js" for n in range(len(files["docs"])))
    assert [d["src"] for d in files["docs"]] == [f"./files_clauses/{n}.js" for n in range(len(files["docs"]))]
    assert pages["files"].stat().st_size < pages["embed"].stat().st_size / 3


def _show(browser, page_file: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    page.locator("#tree .doc", has_text="优化营商环境条例").first.wait_for()
    loaded_at_start = [u for u in requests if u.endswith(".js")]
    national = page.locator("#tree .doc").filter(has_text="2019").filter(has_text="优化营商环境条例").first
    national.click()
    page.locator("#clauses .clause", has_text=CLAUSE).first.wait_for()
    rows = page.locator("#clauses .clause").count()
    page.locator("#clauses .clause", has_text=CLAUSE).first.click()
    page.locator("#lineage li").first.wait_for()
    lineage = page.locator("#lineage").inner_text()
    page.close()
    return loaded_at_start, rows, lineage, [u for u in requests if u.endswith(".js")]


def test_both_pages_show_the_same_clauses_and_lineage(browser, pages):
    start_e, rows_e, lineage_e, js_e = _show(browser, pages["embed"])
    start_f, rows_f, lineage_f, js_f = _show(browser, pages["files"])
    assert start_e == js_e == [] and start_f == []  # nothing is loaded before a plan is opened
    assert 0 < len(js_f) < len(_data(pages["files"])["docs"])  # only the plan's family is loaded
    assert rows_f == rows_e > 100
    assert lineage_f == lineage_e
    lines = lineage_f.splitlines()
    assert any(x.startswith("copied山东省") and CLAUSE in x for x in lines)
    assert any("商丘市" in x and "行政机关不得指定或者变相指定中介服务机构" in x for x in lines)
    assert any("河南省" in x and "指定或者变相指定中介服务机构" in x for x in lines)
