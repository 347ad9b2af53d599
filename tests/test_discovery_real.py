"""Parent discovery on the real lineage corpus (path-only input) against its truth.csv."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.lineage_bench import LINEAGE, evaluate, truth
from policydiff import citations
from policydiff.corpus import Corpus

needs_corpus = pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")


@pytest.fixture(scope="module")
def lineage_corpus():
    return Corpus.from_files(sorted(str(LINEAGE / p) for p in truth()), jobs=2)


def _parent(corpus, name):
    d = corpus.discoveries[str(LINEAGE / name)]
    return Path(d.parent).name if d.parent else None


@needs_corpus
def test_true_parents_found_and_roots_left_alone(lineage_corpus):
    res = evaluate(lineage_corpus)
    assert res["true_links"] == 20
    assert res["found"] >= 18, res["rows"]
    assert res["false"] <= 1, res["rows"]


@needs_corpus
def test_every_decision_is_explained(lineage_corpus):
    for d in lineage_corpus.discoveries.values():
        assert d.evidence is not None
        if d.source == "cited":
            assert d.evidence.citation and d.evidence.role in ("basis", "implements")
        if d.parent is None:
            assert d.evidence.reason in ("no-candidate", "weak-content", "no-margin")


@needs_corpus
def test_three_level_chains_and_the_shangqiu_trap(lineage_corpus):
    c = lineage_corpus
    # 国务院 → 河南 → 开封 / 驻马店: the city cites both; the nearest level is the parent
    assert _parent(c, "city-kaifeng-2021-youhua-yingshang-huanjing-tiaoli.txt") == \
        "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt"
    assert _parent(c, "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt") == \
        "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
    # 法 → 山东 → 日照
    assert _parent(c, "city-rizhao-2019-daqi-wuran-fangzhi-tiaoli.txt") == "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt"
    assert _parent(c, "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt") == "national-china-2018-daqi-wuran-fangzhi-fa.txt"
    # 商丘 was enacted before the 河南 条例 and cites only the national one
    assert _parent(c, "city-shangqiu-2020-youhua-yingshang-huanjing-tiaoli.txt") == \
        "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"


@needs_corpus
def test_beijing_2024_is_a_version_of_2020_not_its_child(lineage_corpus):
    b24 = str(LINEAGE / "province-beijing-2024-youhua-yingshang-huanjing-tiaoli.txt")
    b20 = str(LINEAGE / "province-beijing-2020-youhua-yingshang-huanjing-tiaoli.txt")
    assert lineage_corpus.lineage.versions[b24] == (b20,)
    assert _parent(lineage_corpus, Path(b24).name) == "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"


@needs_corpus
def test_corpus_json_lists_citations_and_evidence(lineage_corpus):
    data = json.loads(json.dumps(lineage_corpus.to_dict(root=str(LINEAGE))))
    plans = {p["path"]: p for p in data["plans"]}
    jx = plans["province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt"]
    cited = {c["doc_number"]: c for c in jx["cites"]}
    assert cited["国办发〔2019〕6号"]["resolved"] == "national-china-2019-zhengfuxing-rongzi-danbao-zhidao-yijian.txt"
    assert cited["国办发〔2019〕6号"]["role"] == "implements" and cited["国办发〔2019〕6号"]["by"] == "doc_number"
    assert cited["国发〔2015〕43号"]["resolved"] is None  # not in the corpus
    assert jx["evidence"]["reason"] == "cited" and "国办发〔2019〕6号" in jx["evidence"]["citation"]


def test_citation_roles_and_issuers():
    text = ("第一条 为了规范，根据国务院《优化营商环境条例》《河南省优化营商环境条例》等法律法规，结合本市实际，制定本条例。"
            "第二条 参照《政府信息公开条例》执行。")
    got = {c.key: (c.role, c.issuer) for c in citations.extract(text)}
    assert got["优化营商环境条例"] == ("basis", "国务院")
    assert got["河南省优化营商环境条例"] == ("basis", "")
    assert got["政府信息公开条例"][0] == "mention"


def test_title_key_strips_wrappers_and_versions():
    assert citations.title_key("中华人民共和国大气污染防治法") == "大气污染防治法"
    assert citations.title_key("国务院关于印发“十三五”规划（2016—2020年）的通知") == "十三五规划"
    assert citations.title_key("托育机构登记和备案办法（试行）") == "托育机构登记和备案办法"
