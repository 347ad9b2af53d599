"""Corpus results in SQLite: what is written, what a rerun recomputes, safety, queries, Datasette."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policydiff import db, open_db
from policydiff.synth import derive

from .conftest import LC17, SAMPLES, SD17, ZC20, chromium_or_skip, launch_chromium, run_process

ROOT = Path(__file__).resolve().parent.parent
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"
LAWS = ROOT.parent / "shared" / "corpus" / "laws"
needs_corpus = pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
TABLES = ("documents", "items", "clauses", "citations", "comparisons", "pairs", "discoveries", "edges")


def _rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"select * from {table} order by 1, 2").fetchall()
    finally:
        conn.close()


def _scalar(path: Path, sql: str, *params) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def _manifest(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    m = folder / "manifest.csv"
    m.write_text("path,level,region,year,doc_number,parent\n"
                 + "".join(f"{p},{level},,,,{parent}\n" for p, level, parent in rows), encoding="utf-8")
    return m


def _copy_samples(folder: Path, paths=SAMPLES) -> list[str]:
    names = []
    for p in paths:
        (folder / p.name).write_bytes(p.read_bytes())
        names.append(p.name)
    return names


# --- the lineage corpus, checked with sqlite3 against the JSON and the documents -------------------

@pytest.fixture(scope="module")
def lineage_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lineage-db")
    files = sorted(str(p) for p in LINEAGE.glob("*.txt"))
    out, path = tmp / "corpus.json", tmp / "results.db"
    exe = Path(sys.executable).parent / "policydiff"
    # run from the corpus folder: paths in the JSON and the database are the file names
    res = subprocess.run([str(exe), "corpus", *(os.path.basename(f) for f in files), "--db", str(path), "-f", "json",
                          "-o", str(out), "--jobs", "2"], cwd=LINEAGE, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return path, json.loads(out.read_text(encoding="utf-8")), files


@needs_corpus
def test_lineage_corpus_in_the_database_agrees_with_the_json(lineage_db):
    path, data, files = lineage_db
    assert _scalar(path, "select count(*) from documents") == len(files) == len(data["plans"]) == 31
    assert _scalar(path, "select count(*) from comparisons") == len(data["comparisons"])
    # every comparison's pairs add up to the summary the JSON shows
    conn = sqlite3.connect(path)
    by_path = {r[0]: r[1] for r in conn.execute("select path, id from documents")}
    for c in data["comparisons"]:
        cid = conn.execute("select id from comparisons where parent_id = ? and child_id = ?",
                           (by_path[c["parent"]], by_path[c["child"]])).fetchone()[0]
        counts = dict(conn.execute("select relation, count(*) from pairs where comparison_id = ? group by relation",
                                   (cid,)))
        for rel in ("copied", "localized", "adapted", "dropped", "added"):
            assert counts.get(rel, 0) == c["summary"][rel], (c["parent"], c["child"], rel)
    # every clause of a document is in the database, in order
    for f in files[:3]:
        from policydiff import load

        doc = load(f)
        texts = [r[0] for r in conn.execute("select c.text from clauses c join documents d on d.id = c.document_id "
                                            "where d.path = ? order by c.position", (os.path.basename(f),))]
        assert texts == [s.text for s in doc.sentences]
    conn.close()


@needs_corpus
def test_lineage_rows_hold_what_the_documents_say(lineage_db):
    path, _data, _files = lineage_db
    conn = sqlite3.connect(path)
    kaifeng = "city-kaifeng-2021-youhua-yingshang-huanjing-tiaoli.txt"
    # 开封市优化营商环境条例, adopted 2021 by the city's people's congress
    row = conn.execute("select title, level, region, year from documents where path = ?", (kaifeng,)).fetchone()
    assert row == ("开封市优化营商环境条例", "city", "开封市", 2021)
    # 第一条: 根据国务院《优化营商环境条例》《河南省优化营商环境条例》等法律法规
    cites = conn.execute("select c.title, c.issuer, c.role, t.path from citations c join documents d on "
                         "d.id = c.from_id left join documents t on t.id = c.to_id where d.path = ? "
                         "order by c.position", (kaifeng,)).fetchall()
    assert ("优化营商环境条例", "国务院", "basis", "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt") in cites
    assert any(t == "河南省优化营商环境条例" and p == "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt"
               for t, _i, _r, p in cites)
    # truth.csv: 开封 → 河南 2020, and the decision rests on the citation
    parent, source, reason = conn.execute(
        "select p.path, x.source, x.reason from discoveries x join documents d on d.id = x.child_id "
        "join documents p on p.id = x.parent_id where d.path = ?", (kaifeng,)).fetchone()
    assert parent == "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt" and source == reason == "cited"
    kind = conn.execute("select e.kind from edges e join documents p on p.id = e.parent_id join documents c on "
                        "c.id = e.child_id where p.path = ? and c.path = ?", (parent, kaifeng)).fetchone()
    assert kind == ("inherits",)
    conn.close()


@needs_corpus
def test_fts_finds_a_clause_by_six_characters(lineage_db):
    path, _data, _files = lineage_db
    # 开封 第五条: 市人民政府以郑开同城化等发展战略为载体……
    found = open_db(path).search("郑开同城化等")
    assert len("郑开同城化等") == 6
    assert list(found["document"]) == ["city-kaifeng-2021-youhua-yingshang-huanjing-tiaoli.txt"]
    assert "以郑开同城化等发展战略为载体" in found["text"][0]
    # the same through the raw FTS5 table, as a researcher would query it
    n = _scalar(path, "select count(*) from clauses_fts where clauses_fts match ?", '"郑开同城化等"')
    assert n == 1
    assert open_db(path).search("郑开同城化不等").empty  # not a substring of any clause


@needs_corpus
def test_trace_from_the_database_answers_like_trace_from_the_files(lineage_db, cli):
    path, _data, files = lineage_db
    query = "市人民政府以郑开同城化等发展战略为载体"
    from_db = cli("trace", query, "--db", path, "-f", "json")
    assert from_db.exit_code == 0, from_db.stderr
    cwd = os.getcwd()
    os.chdir(LINEAGE)  # the files as the run named them
    try:
        from_files = cli("trace", query, *(os.path.basename(f) for f in files), "--jobs", "2", "-f", "json")
    finally:
        os.chdir(cwd)
    assert from_files.stdout == from_db.stdout
    assert json.loads(from_db.stdout)["matched"].startswith("city-kaifeng")


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/corpus not present")
def test_laws_load_into_a_database(tmp_path, cli):
    # the national air-pollution law and local regulations that cite it (their 第一条 says so)
    national = sorted(LAWS.rglob("大气污染防治法*.md"))[-1:]
    local = sorted(p for p in LAWS.rglob("*大气污染防治条例*.md"))[:4]
    assert national and len(local) == 4
    out, path = tmp_path / "laws.json", tmp_path / "laws.db"
    res = cli("corpus", *national, *local, "--db", path, "-o", out, "--jobs", "1")
    assert res.exit_code == 0, res.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert _scalar(path, "select count(*) from documents") == 5 == len(data["plans"])
    assert _scalar(path, "select count(*) from comparisons") == len(data["comparisons"]) > 0
    cited = _scalar(path, "select count(*) from citations where title = '中华人民共和国大气污染防治法'")
    assert cited >= 4  # each local regulation names the law in its 第一条


# --- outputs come from the database ----------------------------------------------------------------------

def test_json_csv_and_text_from_the_database_are_the_outputs_without_it(tmp_path, cli):
    names = _copy_samples(tmp_path)
    m = _manifest(tmp_path, [(n, "", "") for n in names])
    for fmt in ("json", "csv", "text"):
        plain = cli("corpus", "-m", m, "--jobs", "1", "-f", fmt)
        stored = cli("corpus", "-m", m, "--jobs", "1", "-f", fmt, "--db", tmp_path / "r.db")
        assert plain.exit_code == 0 and stored.exit_code == 0, stored.stderr
        assert stored.stdout == plain.stdout, fmt
    # the second and third runs reused every comparison of the first
    assert "0 computed" in stored.stderr


# --- incremental -----------------------------------------------------------------------------------------

def _involves(pairs: list[tuple[str, str]], names: set[str]) -> bool:
    return all(os.path.basename(p) in names or os.path.basename(c) in names for p, c in pairs)


def test_rerun_with_more_plans_computes_only_the_new_pairs_and_matches_a_fresh_build(tmp_path):
    from policydiff.corpus import Corpus

    names = _copy_samples(tmp_path)
    first, later = names[:3], names[3:]
    path = tmp_path / "r.db"

    def run(files: list[str], target: Path):
        with db.locked(str(target)):
            cache = db.ResultsCache(str(target))
            c = Corpus.from_files([str(tmp_path / f) for f in files], jobs=1, cache=cache)
            db.save(str(target), c, str(tmp_path), "test", cache, date="2000-01-01T00:00:00+00:00")
        return c, cache

    c1, cache1 = run(first, path)
    assert cache1.hits == 0 and cache1.misses == len(c1.results) > 0
    c2, cache2 = run(names, path)
    # what was computed the first time is reused; everything computed now involves an added plan
    assert cache2.hits == len(set(c1.results) & set(c2.results)) > 0
    assert cache2.misses == len(c2.results) - cache2.hits > 0
    assert _involves(cache2.computed, set(later))
    fresh = tmp_path / "fresh.db"
    run(names, fresh)
    for t in TABLES:
        assert _rows(path, t) == _rows(fresh, t), t  # same inputs, same rows, whatever the history
    assert _scalar(path, "select value from meta where key = 'computed'") == str(cache2.misses)


def test_a_changed_plan_is_recomputed_alone_and_its_old_rows_are_gone(tmp_path, cli):
    names = _copy_samples(tmp_path, [SD17, LC17, ZC20])
    m = _manifest(tmp_path, [(SD17.name, "", ""), (LC17.name, "", SD17.name), (ZC20.name, "", "")])
    path = tmp_path / "r.db"
    assert cli("corpus", "-m", m, "--db", path, "--jobs", "1").exit_code == 0
    before = _scalar(path, "select count(*) from comparisons")
    child = tmp_path / LC17.name
    text = child.read_text(encoding="utf-8")
    added = "聊城市建立政务公开网格员制度，每个社区明确一名网格员。"
    child.write_text(text.replace("做好医疗机构院务公开", added + "做好医疗机构院务公开", 1), encoding="utf-8")
    res = cli("corpus", "-m", m, "--db", path, "--jobs", "1")
    assert res.exit_code == 0, res.stderr
    computed = int(_scalar(path, "select value from meta where key = 'computed'"))
    involving = _scalar(path, "select count(*) from comparisons m join documents d on d.id in (m.parent_id, "
                              "m.child_id) where d.path = ?", LC17.name)
    assert computed == involving > 0 and _scalar(path, "select count(*) from comparisons") == before
    assert _scalar(path, "select count(*) from clauses where text like ?", f"%{added[:12]}%") == 1
    sha = _scalar(path, "select sha256 from documents where path = ?", LC17.name)
    import hashlib

    assert sha == hashlib.sha256(child.read_bytes()).hexdigest()
    assert names


def test_other_thresholds_are_recomputed_never_mixed(tmp_path, cli, monkeypatch):
    import dataclasses

    from policydiff import align

    names = _copy_samples(tmp_path, [SD17, LC17])
    m = _manifest(tmp_path, [(n, "", "") for n in names])
    path = tmp_path / "r.db"
    assert cli("corpus", "-m", m, "--db", path, "--jobs", "1").exit_code == 0
    old_key = _scalar(path, "select value from meta where key = 'settings_key'")
    n = _scalar(path, "select count(*) from comparisons")
    monkeypatch.setattr(align, "DEFAULT", dataclasses.replace(align.DEFAULT, sentence=0.5))
    res = cli("corpus", "-m", m, "--db", path, "--jobs", "1")
    assert res.exit_code == 0, res.stderr
    assert "other thresholds; recomputing all" in res.stderr and f"{n} computed, 0 reused" in res.stderr
    new_key = _scalar(path, "select value from meta where key = 'settings_key'")
    assert new_key != old_key
    assert _scalar(path, "select count(*) from comparisons where settings_key != ?", new_key) == 0
    assert json.loads(_scalar(path, "select value from meta where key = 'settings'"))["align"]["sentence"] == 0.5


# --- safety ---------------------------------------------------------------------------------------------

KILLER = """
import sys, time
from pathlib import Path
from policydiff import db
from policydiff.cli import main
real = db._save_small
def slow(*args):
    real(*args)
    Path(sys.argv[1]).write_text("inside the transaction")
    time.sleep(60)
db._save_small = slow
main(sys.argv[2:])
"""


def test_kill_9_during_a_write_leaves_the_previous_run(tmp_path, cli):
    names = _copy_samples(tmp_path)
    small = _manifest(tmp_path, [(n, "", "") for n in names[:2]])
    path = tmp_path / "r.db"
    assert cli("corpus", "-m", small, "--db", path, "--jobs", "1").exit_code == 0
    before = {t: _rows(path, t) for t in (*TABLES, "meta")}
    big = tmp_path / "big.csv"
    big.write_text(small.read_text(encoding="utf-8") + "".join(f"{n},,,,,\n" for n in names[2:]), encoding="utf-8")
    marker = tmp_path / "inside"
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(marker), "corpus", "-m", str(big), "--db", str(path),
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 240
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert db.check(str(path))  # opens, is ours, passes quick_check (the hot journal rolled back)
    for t, rows in before.items():
        assert _rows(path, t) == rows, t
    again = cli("corpus", "-m", big, "--db", path, "--jobs", "1")
    assert again.exit_code == 0 and _scalar(path, "select count(*) from documents") == 5


def test_a_second_run_on_a_locked_database_fails_clearly(tmp_path, cli):
    names = _copy_samples(tmp_path, [SD17, LC17])
    m = _manifest(tmp_path, [(n, "", "") for n in names])
    path = tmp_path / "r.db"
    assert cli("corpus", "-m", m, "--db", path, "--jobs", "1").exit_code == 0
    before = path.read_bytes()
    with db.locked(str(path)):
        res = run_process("corpus", "-m", m, "--db", path, "--jobs", "1")
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "another policydiff run is writing" in lines[0]
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["text", "foreign", "truncated", "folder"])
def test_foreign_or_corrupt_database_is_refused_and_kept(tmp_path, cli, kind):
    names = _copy_samples(tmp_path, [SD17, LC17])
    m = _manifest(tmp_path, [(n, "", "") for n in names])
    path = tmp_path / "r.db"
    if kind == "text":
        path.write_text("name,value\na,1\n", encoding="utf-8")
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("create table birds (name text)")
        conn.execute("insert into birds values ('sparrow')")
        conn.commit()
        conn.close()
    elif kind == "truncated":
        assert cli("corpus", "-m", m, "--db", path, "--jobs", "1").exit_code == 0
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    for args in (("corpus", "-m", m, "--db", path, "--jobs", "1"), ("trace", "1.2", "--db", path)):
        res = run_process(*args)
        lines = res.stderr.strip().splitlines()
        assert res.returncode == 2 and len(lines) == 1, res.stderr
        assert lines[0].startswith(f"policydiff: error: {path}: ")
        if before is not None:
            assert path.read_bytes() == before


# --- queries ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def family(tmp_path_factory):
    """A province and two cities derived from it: both drop task 1.1.3 (审计); 聊城 also drops 2.2 (国资国企),
    济南 1.4 (PPP), so that neither city is a copy of the other."""
    tmp = tmp_path_factory.mktemp("family")
    base = SD17.read_text(encoding="utf-8")
    lines = base.split("\n")
    audit = next(i for i, line in enumerate(lines) if line.startswith("3.加强审计信息公开"))
    ppp = next(i for i, line in enumerate(lines) if line.startswith("(四)推进政府和社会资本合作(PPP)"))
    soe = next(i for i, line in enumerate(lines) if line.startswith("(二)推进国资国企信息公开工作"))
    plans = {"province.txt": base}
    for name, region, seed, drop in (("liaocheng.txt", "聊城市", 7, {audit, soe}),
                                     ("jinan.txt", "济南市", 9, {audit, ppp})):
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
        plans[name] = derive(kept, "山东省", "province", region, "city", seed=seed, drop=0.0, add=0.0, reword=0.0,
                             move=False).text
    for name, text in plans.items():
        (tmp / name).write_text(text, encoding="utf-8")
    m = _manifest(tmp, [("province.txt", "province", ""), ("liaocheng.txt", "city", "province.txt"),
                        ("jinan.txt", "city", "province.txt")])
    path = tmp / "family.db"
    res = run_process("corpus", "-m", m, "--db", path, "--jobs", "1")
    assert res.returncode == 0, res.stderr
    reports = tmp / "reports"
    res = run_process("graph", "-m", m, "-o", tmp / "graph.html", "--reports", "reports", "--jobs", "1")
    assert res.returncode == 0, res.stderr
    return path, reports, m


def test_open_db_answers_the_common_questions(family):
    path, _reports, _m = family
    r = open_db(path)
    kids = r.children("province.txt")
    assert list(kids["child"]) == ["liaocheng.txt", "jinan.txt"]
    assert list(kids["region"]) == ["聊城市", "济南市"]
    # the audit item has 2 clauses, 国资国企 10, PPP 3: each city drops exactly what was removed from it
    assert list(kids["dropped"]) == [12, 5]
    dropped = r.dropped_tasks("province.txt")
    top = dropped.iloc[0]
    assert (top["item"], top["dropped_by"], top["children"]) == ("1.1.3", 2, 2)
    assert top["task"].startswith("加强审计信息公开")
    assert list(dropped["item"]) == ["1.1.3", "1.4", "2.2"] and list(dropped["dropped_by"]) == [2, 1, 1]
    # a kept clause goes down to both cities; a dropped one stays at the province
    kept = r.lineage("季度、年度国民经济运行情况")  # 1.1.2, kept by both
    dropped_clause = r.lineage("审计结果公告体系")
    assert list(dropped_clause["document"]) == ["province.txt"]
    assert kept["document"].iloc[0] == "province.txt" and set(kept["document"][1:]) == {"liaocheng.txt", "jinan.txt"}
    assert set(kept["region"][1:]) == {"聊城市", "济南市"}
    assert r.meta()["app"] == "policydiff"
    assert len(r.table("documents")) == 3


def test_siblings_from_the_database_are_the_children_found(family):
    path, _reports, m = family
    folder = m.parent
    # whole processes, as at a terminal
    from_db = run_process("siblings", folder / "province.txt", "--db", path, "-f", "json")
    listed = run_process("siblings", folder / "province.txt", folder / "liaocheng.txt", folder / "jinan.txt",
                         "-f", "json")
    assert from_db.returncode == 0, from_db.stderr
    assert from_db.stdout == listed.stdout and json.loads(from_db.stdout)


def _client_get(ds, url: str):
    import asyncio

    return asyncio.run(ds.client.get(url))


def test_datasette_canned_queries_return_the_expected_rows(family):
    pytest.importorskip("datasette")
    path, reports, _m = family
    ds = db.datasette_app(str(path), str(reports))
    name = path.stem
    kids = _client_get(ds, f"/{name}/children_of_plan.json?plan=province.txt&_shape=array").json()
    assert [(k["child"], k["dropped"]) for k in kids] == [("liaocheng.txt", 12), ("jinan.txt", 5)]
    tasks = _client_get(ds, f"/{name}/dropped_tasks.json?plan=province.txt&_shape=array").json()
    assert [(t["item"], t["dropped_by"]) for t in tasks] == [("1.1.3", 2), ("1.4", 1), ("2.2", 1)]
    lineage = _client_get(ds, f"/{name}/clause_lineage.json?fragment=审计结果公告体系&_shape=array").json()
    assert [row["document"] for row in lineage] == ["province.txt"]
    citing = _client_get(ds, f"/{name}/citing_documents.json?document=province.txt&_shape=array").json()
    assert citing == []  # the derived cities do not cite the province by title
    # table and column descriptions in both languages
    page = _client_get(ds, f"/{name}/clauses")
    assert page.status_code == 200 and "句子（条款）" in page.text and "clauses: text" in page.text
    # the report column links to the diff report written by graph --reports
    html = _client_get(ds, f"/{name}/children_of_plan?plan=province.txt").text
    assert 'href="/reports/province__liaocheng.html"' in html
    assert _client_get(ds, "/reports/province__liaocheng.html").status_code == 200
    # immutable: no write is possible through Datasette
    assert ds.databases[name].is_mutable is False


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp*) listening on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                out.append(local.split(":")[0])
    return out


@pytest.mark.browser
def test_serve_binds_localhost_and_shows_a_canned_query_page(family):
    pytest.importorskip("datasette")
    chromium = chromium_or_skip()
    import socket

    from playwright.sync_api import sync_playwright

    path, reports, _m = family
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "policydiff"
    proc = subprocess.Popen([str(exe), "serve", str(path), "--port", str(port), "--reports", str(reports)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while not _listening(port):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.time() < deadline
            time.sleep(0.2)
        assert _listening(port) == ["0100007F"]  # 127.0.0.1 only, no 0.0.0.0 or ::
        with sync_playwright() as pw:
            browser = launch_chromium(pw, chromium)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{path.stem}/dropped_tasks?plan=province.txt")
            rows = page.locator("table.rows-and-columns tbody tr")
            assert rows.count() == 3
            first = rows.nth(0)
            assert first.locator("td.col-item").inner_text().strip() == "1.1.3"
            assert first.locator("td.col-dropped_by").inner_text().strip() == "2"
            assert "多数下级文件删去的任务" in page.content()
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_open_db_refuses_what_is_not_a_results_database(tmp_path):
    with pytest.raises(db.DatabaseError, match="no policydiff results here"):
        open_db(tmp_path / "missing.db")
    (tmp_path / "x.db").write_text("hello", encoding="utf-8")
    with pytest.raises(db.DatabaseError, match="not a SQLite database"):
        open_db(tmp_path / "x.db")



def test_a_cache_folder_still_serves_a_run_into_a_new_database(tmp_path, cli):
    names = _copy_samples(tmp_path, [SD17, LC17, ZC20])
    m = _manifest(tmp_path, [(n, "", "") for n in names])
    cache = tmp_path / "cache"
    first = cli("corpus", "-m", m, "--jobs", "1", "--cache", cache, "-f", "json")
    assert first.exit_code == 0 and any(cache.iterdir())
    stored = cli("corpus", "-m", m, "--jobs", "1", "--cache", cache, "--db", tmp_path / "r.db", "-f", "json")
    assert stored.exit_code == 0, stored.stderr
    assert " 0 computed" in stored.stderr and stored.stdout == first.stdout
    # -o never replaces the database
    res = cli("corpus", "-m", m, "--jobs", "1", "--db", tmp_path / "r.db", "-o", tmp_path / "r.db")
    assert res.exit_code == 2 and "refusing to overwrite an input file" in res.stderr
    assert db.check(str(tmp_path / "r.db"))
