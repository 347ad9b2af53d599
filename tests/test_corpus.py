"""Many plans: parent discovery, the inheritance graph, lineage, parallel and Dask runs, caching."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from policydiff.corpus import Corpus, Entry
from policydiff.synth import derive

from .conftest import LC17, SAMPLES, SD17, SD17T, SD21, ZC20


def _manifest(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    """A manifest in ``tmp_path``; rows naming the samples in data/ need allow_outside."""
    m = tmp_path / "manifest.csv"
    m.write_text("path,level,region,year,doc_number,parent\n" + "".join(f"{p},,,,,{parent}\n" for p, parent in rows),
                 encoding="utf-8")
    return m


@pytest.fixture(scope="module")
def samples_corpus(tmp_path_factory):
    m = _manifest(tmp_path_factory.mktemp("c"), [(str(p), "") for p in SAMPLES])
    return Corpus.from_manifest(m, jobs=1, allow_outside=True)


def test_discovery_on_samples(samples_corpus):
    d = samples_corpus.discoveries
    lc = d[str(LC17)]
    # 聊城 names its parent: 围绕…及《山东省人民政府办公厅关于印发 2017 年山东省政务公开工作要点的通知》要求
    assert lc.parent == str(SD17) and lc.source == "cited" and lc.confident
    assert lc.evidence.role == "implements" and lc.evidence.covers >= 0.9
    assert d[str(SD17T)].source == "duplicate" and d[str(SD17T)].parent == str(SD17)
    zc = d[str(ZC20)]
    assert zc.parent is None and not zc.confident and zc.score < 0.3
    assert d[str(SD21)].parent is None and d[str(SD17)].parent is None


def test_graph_has_documents_clauses_and_edges(samples_corpus):
    g = samples_corpus.graph
    assert g.nodes[f"doc:{LC17}"]["level"] == "city"
    edge = g.edges[f"doc:{SD17}", f"doc:{LC17}"]
    assert edge["kind"] == "inherits" and edge["dropped"] == 7
    clause_edges = [e for e in g.out_edges(f"clause:{SD17}#s4", data=True)]
    assert clause_edges and clause_edges[0][2]["relation"] in ("copied", "localized", "adapted")
    df = samples_corpus.to_frame()
    assert len(df) == 5 and df.set_index("path").loc[str(LC17), "dropped"] == 7


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A province → city → district chain derived from the Shandong plan."""
    tmp = tmp_path_factory.mktemp("chain")
    base = SD17.read_text(encoding="utf-8")
    city = derive(base, "山东省", "province", "聊城市", "city", seed=7, move=False)
    dropped_by_city = "每月定期在网站发布疫情信息，遇重大、特大法定传染病疫情，及时向社会公布。"
    city.text = city.text.replace(dropped_by_city, "")
    district = derive(city.text, "聊城市", "city", "东昌府区", "district", seed=8, move=False)
    added_by_district = "东昌府区建立政务公开网格员制度，每个社区明确一名网格员。"
    # a sentence of its own (put inside a sentence, after 推行…民意调查制度，, it would make that sentence
    # half parent and half new: a split of the parent sentence, which trace follows up to the province)
    assert "推行卫生计生重大民生决策事项民意调查制度" in district.text
    district.text = district.text.replace("推行卫生计生重大民生决策事项民意调查制度",
                                          added_by_district + "推行卫生计生重大民生决策事项民意调查制度", 1)
    paths = {}
    for name, text in (("province.txt", base), ("city.txt", city.text), ("district.txt", district.text)):
        (tmp / name).write_text(text, encoding="utf-8")
        paths[name] = str(tmp / name)
    m = _manifest(tmp, [(n, "") for n in paths])
    return Corpus.from_manifest(m, jobs=1), paths, dropped_by_city, added_by_district


def test_three_level_chain_is_discovered(chain):
    corpus, paths, *_ = chain
    d = corpus.discoveries
    assert d[paths["city.txt"]].parent == paths["province.txt"]
    assert d[paths["district.txt"]].parent == paths["city.txt"]


def test_trace_through_two_levels(chain):
    corpus, paths, dropped, added = chain
    kept = corpus.trace("积极完善以省级预算执行和其他财政收支审计情况及整改情况公告为主")
    assert kept["origin"] == paths["province.txt"]
    city = kept["lineage"]["children"][0]
    assert city["document"] == paths["city.txt"] and city["relation"] == "localized"
    district = city["children"][0]
    assert district["document"] == paths["district.txt"] and district["relation"] in ("copied", "localized")
    assert "区级预算执行" in district["text"]
    gone = corpus.trace(dropped)
    assert gone["lineage"]["children"] == [{"document": paths["city.txt"], "title": "2017年聊城市政务公开工作要点",
                                           "level": "city", "region": "聊城市", "relation": "dropped",
                                           "children": []}]
    new = corpus.trace(added)
    assert new["origin"] == paths["district.txt"] and new["lineage"]["relation"] == "added"
    # from the bottom up: asking with the district's own wording finds the province origin
    up = corpus.trace("积极完善以区级预算执行和其他财政收支审计情况")
    assert up["origin"] == paths["province.txt"]


def test_cli_trace_and_graph(cli, chain, tmp_path):
    corpus, paths, dropped, added = chain
    manifest = Path(paths["province.txt"]).parent / "manifest.csv"
    res = cli("trace", "-m", manifest, dropped)
    assert res.exit_code == 0, res.stderr
    assert "聊城市 (city)  dropped" in res.stdout
    res = cli("trace", "-m", manifest, added, "--format", "json")
    assert json.loads(res.stdout)["lineage"]["relation"] == "added"
    for ext in ("graphml", "json", "html"):
        out = tmp_path / f"g.{ext}"
        assert cli("graph", "-m", manifest, "-o", out).exit_code == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes[f"doc:{paths['city.txt']}"]["level"] == "city"
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["directed"] is True
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert "province__city.html" not in html and 'id="data"' in html  # no report written: no link
    assert cli("graph", "-m", manifest, "-o", tmp_path / "g2.html", "--reports", "rep").exit_code == 0
    assert (tmp_path / "rep" / "province__city.html").is_file()
    assert 'href="./rep/province__city.html"' in (tmp_path / "g2.html").read_text(encoding="utf-8")


def test_cache_computes_only_new_pairs(tmp_path):
    cache = tmp_path / "cache"
    entries = [Entry(str(SD17)), Entry(str(LC17))]
    first = Corpus.build(entries, jobs=1, cache_dir=str(cache))
    assert first.cache.hits == 0 and first.cache.misses > 0
    second = Corpus.build(entries + [Entry(str(SD21))], jobs=1, cache_dir=str(cache))
    assert second.cache.hits == first.cache.misses  # old pairs come from the cache
    assert second.results[(str(SD17), str(LC17))] == first.results[(str(SD17), str(LC17))]


def test_local_processes_and_dask_give_identical_json(tmp_path, cli):
    from distributed import LocalCluster

    m = _manifest(tmp_path, [(str(p), "") for p in (SD17, LC17, SD21, ZC20)])
    local = cli("corpus", "-m", m, "--allow-outside", "--jobs", "2", "--format", "json")
    assert local.exit_code == 0, local.stderr
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask = cli("corpus", "-m", m, "--allow-outside", "--scheduler", "dask", "--address", cluster.scheduler_address,
                   "--format", "json")
    assert dask.exit_code == 0, dask.stderr
    assert dask.stdout == local.stdout
    serial = cli("corpus", "-m", m, "--allow-outside", "--jobs", "1", "--format", "json")
    assert serial.stdout == local.stdout


def test_progress_bar_on_a_tty_only(tmp_path):
    m = _manifest(tmp_path, [(str(SD17), ""), (str(LC17), "")])
    exe = str(Path(sys.executable).parent / "policydiff")
    master, slave = pty.openpty()
    proc = subprocess.run([exe, "corpus", "-m", str(m), "--allow-outside", "--jobs", "1", "--format", "json"], stdout=subprocess.PIPE,
                          stderr=slave, timeout=300)
    os.close(slave)
    tty = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        tty += chunk
    os.close(master)
    assert proc.returncode == 0
    assert b"comparing" in tty
    data = json.loads(proc.stdout)  # stdout stays pure JSON
    assert data["plans"][1]["parent"] == os.path.relpath(SD17, tmp_path)
    piped = subprocess.run([exe, "corpus", "-m", str(m), "--allow-outside", "--jobs", "1", "--format", "json"], capture_output=True,
                           timeout=300)
    assert b"comparing" not in piped.stderr and piped.stdout == proc.stdout


def test_bad_manifest(cli, tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("file,level\nx.txt,city\n", encoding="utf-8")
    res = cli("corpus", "-m", m)
    assert res.exit_code == 2 and "needs a 'path' column" in res.stderr
    m.write_text("path,level\nx.txt,planet\n", encoding="utf-8")
    res = cli("corpus", "-m", m)
    assert res.exit_code == 2 and "level 'planet'" in res.stderr
    m.write_text("path,level\nmissing.txt,city\n", encoding="utf-8")
    res = cli("corpus", "-m", m)
    assert res.exit_code == 2 and "missing.txt: no such file" in res.stderr


def test_simplified_twin_stays_canonical_whatever_the_manifest_order(tmp_path):
    m = _manifest(tmp_path, [(str(SD17T), ""), (str(LC17), ""), (str(SD17), "")])
    d = Corpus.from_manifest(m, jobs=1, allow_outside=True).discoveries
    assert d[str(SD17T)].source == "duplicate" and d[str(SD17T)].parent == str(SD17)
    assert d[str(LC17)].parent == str(SD17)


def test_corpus_outputs_never_overwrite_the_manifest_or_a_plan(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_bytes(LC17.read_bytes())
    m = _manifest(tmp_path, [(str(SD17), ""), (str(plan), "")])
    before = (m.read_bytes(), plan.read_bytes())
    for args in (["corpus", "-m", m, "--allow-outside", "-o", m], ["corpus", "-m", m, "--allow-outside", "--format", "text", "-o", plan],
                 ["trace", "-m", m, "--allow-outside", "加强统计信息公开", "-o", plan]):
        res = cli(*args)
        assert res.exit_code == 2 and "refusing to overwrite an input file" in res.stderr
    assert (m.read_bytes(), plan.read_bytes()) == before


def test_a_declared_parent_wins_over_a_same_level_twin(tmp_path):
    # two cities localized from one province can be near-identical; the manifest says whose child
    # each is, and a twin found by content must not override it
    twin = tmp_path / "jinan-2017-city.md"
    twin.write_text(LC17.read_text(encoding="utf-8").replace("聊城", "济南"), encoding="utf-8")
    m = _manifest(tmp_path, [(str(SD17), ""), (str(LC17), str(SD17)), (str(twin), str(SD17))])
    d = Corpus.from_manifest(m, jobs=1, allow_outside=True).discoveries
    assert d[str(twin)].source == "manifest" and d[str(twin)].parent == str(SD17)
    assert d[str(LC17)].source == "manifest" and d[str(LC17)].parent == str(SD17)


def test_cached_results_depend_on_the_rules_and_thresholds(monkeypatch):
    """A result computed under other rule tables or thresholds is never reused (same version or not)."""
    from policydiff import corpus, db, rules

    c = corpus.Cache(None)
    before = c.key(str(SD17), str(LC17))
    assert before == c.key(str(SD17), str(LC17))
    monkeypatch.setattr(rules, "fingerprint", lambda: "other rules")
    corpus._settings_text.cache_clear()  # computed once per process: the rules do not change in one
    assert c.key(str(SD17), str(LC17)) != before
    assert db.settings()["rules"] == "other rules"
    monkeypatch.undo()
    corpus._settings_text.cache_clear()
    assert c.key(str(SD17), str(LC17)) == before
    monkeypatch.setattr(corpus, "_settings_text", lambda: "other thresholds")
    assert c.key(str(SD17), str(LC17)) != before
