"""Accuracy on the six blind golds (written by reading the documents, never from the engine).

The issue's targets (counterparts 0.95, dropped/added F1 0.9, relation accuracy 0.9) are not
reached on these heavily rewritten pairs; ``benchmarks/gold_bench.py`` prints the figures against
them. This test holds the floor the engine reaches today, so a change that loses accuracy fails.
The third and fourth golds were written blind while the mutual pass was built; their links were
never read. The fifth (河南 大气 2017 → 周口 2020) was held out: written blind in the third session and
scored on 97a13dd before its links or the engine's misses were read; the list pass came after.
The sixth (山东 大气 2018 → 临沂 2020) was held out in the fourth session the same way, scored on e85a86a.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.gold_bench import score

GOLD = Path(__file__).parent / "gold"
LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
# measured 2026-12-01 (second session): 0.804/0.780/0.721/0.980, 0.737/0.778/0.799/1.000,
# 0.915/0.956/0.911/0.950, 0.821/0.844/0.738/1.000; at the session's start (efbac6f) 0.765/0.736/0.667/0.978,
# 0.649/0.720/0.765/0.956, 0.929/0.961/0.915/0.947 and 0.799/0.820/0.703/1.000
FLOORS = {
    "blind_guobanfa2019_6_jiangxi.json": (0.79, 0.77, 0.71, 0.97),
    # fourth session: 河南 0.742/0.782/0.808/1.000 (splits before the rescues, list halves), 三门峡
    # 0.849/0.868/0.747/1.000 (item_repair), 0.866/0.868/0.747/1.000 (follow_leads), 0.872/0.874/0.747/1.000
    # (rest_elsewhere)
    "blind_youhua2019_henan2020.json": (0.73, 0.77, 0.80, 0.99),
    "blind_henan2020_kaifeng2021.json": (0.91, 0.95, 0.90, 0.94),
    "blind_wenming2020_sanmenxia2020.json": (0.86, 0.86, 0.74, 0.99),
    # held out, first scored on 97a13dd: 0.897/0.928/0.708/0.967; with the list pass (built after
    # reading its misses) 0.897/0.928/0.764/0.967, and 三门峡 0.821/0.844/0.738 → 0.832/0.855/0.747
    # and with the rewritten-halves split test (split_rest) 0.897/0.928/0.791/0.967
    # fourth session, with the articles penalties cite (references): 0.908/0.936/0.832/0.967
    # fifth session, the levels of government masked as levels: relation accuracy 0.967 → 1.000
    "blind_henan2017daqi_zhoukou2020.json": (0.90, 0.93, 0.82, 0.99),
    # held out (fourth session): 山东 大气 2018 → 临沂 2020, first scored on e85a86a: 0.900/0.939/0.704/0.956,
    # unchanged by the session's engine until rest_elsewhere (built after reading its misses): 0.904/0.942/0.704/0.957
    # fifth session, the levels of government masked as levels: 0.900/0.938/0.714/0.978
    "blind_shandong2018daqi_linyi2020.json": (0.89, 0.93, 0.71, 0.97),
}


def _gold(name: str) -> tuple[dict, dict[str, str]]:
    """A blind gold, and the text of each of its units by id."""
    import json

    gold = json.loads((GOLD / name).read_text(encoding="utf-8"))
    return gold, {u["id"]: u["text"] for u in gold["parent_units"] + gold["child_units"]}


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_gold_floor(name):
    r = score(GOLD / name)
    assert r["located"][0] >= 0.95 * r["units"][0] and r["located"][1] >= 0.95 * r["units"][1]
    floor = FLOORS[name]
    got = (r["counterparts"], r["dropped_f1"], r["added_f1"], r["relation_accuracy"])
    assert all(g >= f for g, f in zip(got, floor, strict=True)), (got, floor)


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_shows_the_gold_links_the_mutual_pass_finds(cli):
    """Through the CLI, on 国办发〔2019〕6号 → 江西: links of the blind gold (written by reading) that only the
    mutual pass finds, with ``matched_by: "mutual"`` in the JSON: p98→c55 (内部资金转移优惠定价 →
    内部资金转移定价优惠), p97→c81 (尽职免责 of 已按规定妥善履行…职责的业务人员), p47→c31 (总对总 合作)."""
    import json

    gold, units = _gold("blind_guobanfa2019_6_jiangxi.json")
    linked = {(p, c) for link in gold["links"] for p in link["parent"] for c in link["child"]}
    res = cli("compare", LINEAGE / "national-china-2019-zhengfuxing-rongzi-danbao-zhidao-yijian.txt",
              LINEAGE / "province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    mutual = [(p["parent"]["text"], p["child"]["text"], p["relation"]) for p in json.loads(res.stdout)["pairs"]
              if p["evidence"]["matched_by"] == "mutual"]
    for pid, cid in (("p98", "c55"), ("p97", "c81"), ("p47", "c31")):
        assert (pid, cid) in linked
        assert any(units[pid][:20] in pt and units[cid][:20] in ct and rel == "adapted" for pt, ct, rel in mutual), pid


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_splits_a_sentence_of_measures_into_the_lead_in_and_items_the_gold_links(cli):
    """Through the CLI, on 河南 大气 2017 → 周口 2020: the gold (written by reading) links 河南 第六十三条's
    sentence of measures to 周口 第三十八条's lead-in and five of its items; 实施大宗物料错峰运输 and
    停止组织露天体育比赛… are new (added); 第四十二条's first sentence went, reworded, into two."""
    import json

    gold, units = _gold("blind_henan2017daqi_zhoukou2020.json")
    (link,) = [x for x in gold["links"] if x["parent"] == ["p196"]]
    res = cli("compare", LINEAGE / "province-henan-2017-daqi-wuran-fangzhi-tiaoli.txt",
              LINEAGE / "city-zhoukou-2020-daqi-wuran-fangzhi-tiaoli.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = json.loads(res.stdout)["pairs"]
    took = {p["child"]["text"]: p for p in pairs if p["parent"] and p["child"]
            and p["parent"]["text"].startswith(units["p196"][:30])}
    assert {units[c] for c in link["child"]} <= set(took), sorted(took)
    assert sum(p["evidence"]["matched_by"] == "split" for p in took.values()) >= 4
    for cid in ("c108", "c111"):
        assert cid in gold["added"]
        assert [p["relation"] for p in pairs if p["child"] and p["child"]["text"] == units[cid]] == ["added"]
    # 第四十二条's first sentence, split in two and reworded (…定期对其进行排放检验。 / 经检验合格的，方可上道路行驶。)
    (halves,) = [x for x in gold["links"] if x["parent"] == ["p125"]]
    took = {p["child"]["text"] for p in pairs if p["parent"] and p["child"]
            and p["parent"]["text"].startswith(units["p125"][:30])}
    assert {units[c] for c in halves["child"]} <= took, sorted(took)


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_pairs_a_moved_article_with_its_own_lead_in(cli):
    """Through the CLI, on 河南 文明 → 三门峡: the child moved 保护生态环境 before 文明出行. The gold (written by
    reading) pairs the parent's lead-in 公民应当保护生态环境，自觉遵守下列规定： with the child's identical one,
    copied; the outline DP alone paired it with 公民应当文明使用互联网，自觉遵守下列规定：."""
    import json

    gold, units = _gold("blind_wenming2020_sanmenxia2020.json")
    assert units["p61"] == units["c39"] == "公民应当保护生态环境，自觉遵守下列规定："
    assert {"parent": ["p61"], "child": ["c39"], "relation": "copied"}.items() <= \
        next(x for x in gold["links"] if x["parent"] == ["p61"]).items()
    res = cli("compare", LINEAGE / "province-henan-2020-wenming-xingwei-cujin-tiaoli.txt",
              LINEAGE / "city-sanmenxia-2020-wenming-xingwei-cujin-tiaoli.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    took = [(p["child"]["text"] if p["child"] else None, p["relation"]) for p in json.loads(res.stdout)["pairs"]
            if p["parent"] and p["parent"]["text"] == units["p61"]]
    assert took == [(units["c39"], "copied")]


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_keeps_penalties_for_different_duties_apart(cli):
    """Through the CLI, on 河南 大气 2017 → 周口 2020: the gold (written by reading) pairs none of 周口's
    penalty articles with 河南's. 违反本条例第十九条规定，重点排污单位未按照规定公开环境信息的… and 违反本条例第
    二十三条第一款规定的，由市场监管部门… read alike but punish different duties; the engine paired them in
    outline order until the articles they cite were read. With the references off (library) they pair."""
    import json

    from policydiff.align import Thresholds

    gold, units = _gold("blind_henan2017daqi_zhoukou2020.json")
    assert {"p210", "p211", "p232"} <= set(gold["dropped"]) and {"c121", "c122"} <= set(gold["added"])
    parent = LINEAGE / "province-henan-2017-daqi-wuran-fangzhi-tiaoli.txt"
    child = LINEAGE / "city-zhoukou-2020-daqi-wuran-fangzhi-tiaoli.txt"
    res = cli("compare", parent, child, "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = json.loads(res.stdout)["pairs"]
    for pid in ("p210", "p211", "p232"):
        assert [p["relation"] for p in pairs if p["parent"] and p["parent"]["text"] == units[pid]] == ["dropped"], pid
    for cid in ("c121", "c122"):
        assert [p["relation"] for p in pairs if p["child"] and p["child"]["text"] == units[cid]] == ["added"], cid
    import policydiff

    off = policydiff.compare(policydiff.load(parent), policydiff.load(child), thresholds=Thresholds(references=False))
    paired = [p for p in off.pairs if p.parent is not None and p.child is not None
              and p.parent.text in {units[k] for k in ("p210", "p211", "p232")}]
    assert len(paired) >= 2


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_merges_sentences_of_two_articles_as_the_gold_does(cli):
    """Through the CLI, on 山东 大气 2018 → 临沂 2020: the held-out gold links both 禁止露天焚烧秸秆 (one article)
    and 禁止在城市建成区…露天焚烧树枝、落叶等… (another) to 临沂's 禁止露天焚烧秸秆、树枝、枯草、落叶等…; the second
    is what the child sentence says besides the first (align._rest_elsewhere)."""
    import json

    gold, units = _gold("blind_shandong2018daqi_linyi2020.json")
    assert any(x["parent"] == ["p138", "p146"] and x["child"] == ["c77"] for x in gold["links"])
    res = cli("compare", LINEAGE / "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt",
              LINEAGE / "city-linyi-2020-daqi-wuran-fangzhi-tiaoli.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = json.loads(res.stdout)["pairs"]

    def took(pid):
        return [(p["child"]["text"], p["evidence"]["matched_by"]) for p in pairs
                if p["parent"] and p["child"] and p["parent"]["text"] == units[pid]]

    assert took("p146") == [(units["c77"], "merge")]
    assert [c for c, _how in took("p138")] == [units["c77"]]


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_splits_a_liability_item_and_keeps_the_duty_it_echoes(cli):
    """Through the CLI, on 优化营商环境条例 → 河南: the gold (written by reading) splits the liability item
    不履行…政策承诺以及依法订立的各类合同，或者违约拖欠…账款 (p182) into two items, c227 and c228; the second keeps
    few of its words in order, and is the rewritten rest of it (list pass). With it attached, the duty
    国家机关、事业单位不得违约拖欠…账款 (p71) pairs with 各级国家机关不得违反合同约定拖欠…账款 (c75), as the gold
    has it: the item no longer stands as a near rival of c75 in the mutual pass."""
    import json

    gold, units = _gold("blind_youhua2019_henan2020.json")
    assert any(x["parent"] == ["p182"] and x["child"] == ["c227", "c228"] for x in gold["links"])
    assert any(x["parent"] == ["p71"] and x["child"] == ["c75"] for x in gold["links"])
    res = cli("compare", LINEAGE / "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt",
              LINEAGE / "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = json.loads(res.stdout)["pairs"]

    def took(pid):
        return sorted(p["child"]["text"] for p in pairs if p["parent"] and p["child"] and p["parent"]["text"] == units[pid])

    assert took("p182") == sorted([units["c227"], units["c228"]])
    assert took("p71") == [units["c75"]]


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
def test_compare_json_pairs_each_closing_item_inside_its_own_list(cli):
    """Through the CLI, on 河南 文明 → 三门峡: every list of both plans closes with 法律、法规的其他规定。 The gold
    (written by reading) links each such item to the one closing the list its lead-in went to (p39 → c38,
    p68 → c45, p93 → c69); the engine had paired three of them across lists (with c45, c69, c87)."""
    import json

    gold, units = _gold("blind_wenming2020_sanmenxia2020.json")
    for pid, cid in (("p39", "c38"), ("p68", "c45"), ("p93", "c69")):
        assert units[pid] == units[cid] == "法律、法规的其他规定。"
        assert any(x["parent"] == [pid] and x["child"] == [cid] for x in gold["links"])
    res = cli("compare", LINEAGE / "province-henan-2020-wenming-xingwei-cujin-tiaoli.txt",
              LINEAGE / "city-sanmenxia-2020-wenming-xingwei-cujin-tiaoli.txt", "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = [p for p in json.loads(res.stdout)["pairs"] if p["parent"] and p["child"]]
    went = {p["parent"]["item"]: p["child"]["item"] for p in pairs}

    def up(path):
        return path.rsplit(".", 1)[0]

    closing = [p for p in pairs if p["parent"]["text"] == "法律、法规的其他规定。"]
    assert len(closing) >= 5
    for p in closing:
        assert up(p["child"]["item"]) == went[up(p["parent"]["item"])], p


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
@pytest.mark.parametrize("name", ["blind_henan2017daqi_zhoukou2020.json", "blind_shandong2018daqi_linyi2020.json"])
def test_compare_json_labels_a_change_of_government_level_localized(cli, name):
    """Through the CLI, every link the readers of 周口 and 临沂 call localized comes out localized: the
    level of government a law names and the city's own (各级人民政府 / 城市人民政府 → 市、县（市、区）人民政府;
    省、设区的市人民政府 → 市人民政府) mask alike. On 963d7e2 two of 周口's three and one of 临沂's two were adapted."""
    import json

    gold, units = _gold(name)
    root = GOLD.parents[1]  # the gold names its documents from the repository's root
    res = cli("compare", root / gold["parent"], root / gold["child"], "--format", "json")
    assert res.exit_code == 0, res.stderr
    pairs = [(p["parent"]["text"], p["child"]["text"], p["relation"]) for p in json.loads(res.stdout)["pairs"]
             if p["parent"] and p["child"]]
    localized = [link for link in gold["links"] if link["relation"] == "localized"]
    assert len(localized) >= 2
    for link in localized:
        (pid,), (cid,) = link["parent"], link["child"]
        got = [rel for pt, ct, rel in pairs if units[pid][:20] in pt and units[cid][:20] in ct]
        assert got == ["localized"], (units[pid], got)
