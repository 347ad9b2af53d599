"""compare: alignment and classification on the samples, a hand-checked gold set, perturbations."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import policydiff

from .conftest import LC17, SD17, SD17T, SD21, ZC20

GOLD = json.loads((Path(__file__).parent / "gold" / "shandong2017_liaocheng2017.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sd_lc():
    return policydiff.compare(SD17, LC17)


def _f1(pred: set, gold: set) -> float:
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    return 2 * tp / (len(pred) + len(gold))


def test_gold_set_is_big_enough_and_covers_every_relation():
    rels = {p["relation"] for p in GOLD["pairs"]}
    assert len(GOLD["pairs"]) >= 60
    assert {"copied", "localized", "adapted", "dropped", "added"} <= rels


def test_gold_dropped_added_f1_and_counterparts(sd_lc):
    pred_dropped = {p.parent.text for p in sd_lc.pairs if p.relation == "dropped"}
    pred_added = {p.child.text for p in sd_lc.pairs if p.relation == "added"}
    gold_dropped = {g["parent"] for g in GOLD["pairs"] if g["relation"] == "dropped"}
    gold_added = {g["child"] for g in GOLD["pairs"] if g["relation"] == "added"}
    assert _f1(pred_dropped, gold_dropped) >= 0.95
    assert _f1(pred_added, gold_added) >= 0.95
    counterpart = {p.parent.text: p.child.text for p in sd_lc.pairs if p.parent and p.child}
    kept = [g for g in GOLD["pairs"] if g["parent"] and g["child"]]
    correct = sum(counterpart.get(g["parent"]) == g["child"] for g in kept)
    assert correct / len(kept) >= 0.97
    relation = {(p.parent.text, p.child.text): p.relation for p in sd_lc.pairs if p.parent and p.child}
    agree = sum(relation.get((g["parent"], g["child"])) == g["relation"] for g in kept)
    assert agree / len(kept) >= 0.95


def test_localized_clauses_are_not_adapted(sd_lc):
    by_parent = {p.parent.text: p for p in sd_lc.pairs if p.parent}
    p = by_parent["3.加强审计信息公开。"[2:]]
    assert p.relation == "copied"
    audit = next(p for p in sd_lc.pairs if p.parent and p.parent.text.startswith("积极完善以省级预算执行"))
    assert audit.relation == "localized"
    assert any(e.localized and e.old == "省级" and e.new == "市级" for e in audit.edits)
    leading = next(p for p in sd_lc.pairs if p.parent and p.parent.text.startswith("各级、各部门要建立健全舆情收集"))
    assert leading.relation == "localized"  # 各级、各部门 → 各县（市、区）人民政府、市属开发区管委会、市政府有关部门


def test_traditional_copy_is_all_copied():
    cmp = policydiff.compare(SD17, SD17T)
    assert {p.relation for p in cmp.pairs} == {"copied"}
    assert cmp.summary["dropped"] == cmp.summary["added"] == 0
    assert cmp.summary["coverage"] == 1.0


def test_related_topics_do_not_invent_copies():
    """Two 政务公开 plans of different years and levels, neither derived from the other, share a topic.

    The mutual pass pairs a few of their clauses that make the same point (深化…救助…信息公开,
    在政务服务大厅…设立政务公开专区); the pairs found on firmer evidence stay under a fifth of the parent.
    """
    cmp = policydiff.compare(SD21, ZC20)
    assert cmp.summary["copied"] == 0 and cmp.summary["localized"] == 0
    firm = {p.parent.id for p in cmp.pairs if p.parent and p.child and p.evidence.matched_by != "mutual"}
    assert len(firm) / len(cmp.parent.sentences) < 0.2
    assert cmp.summary["coverage"] < 0.3


def test_every_sentence_appears_once_in_pairs(sd_lc):
    parents = [p.parent.id for p in sd_lc.pairs if p.parent and p.evidence.matched_by != "split"]
    children = [p.child.id for p in sd_lc.pairs if p.child and p.evidence.matched_by != "merge"]
    assert sorted(parents, key=lambda x: int(x[1:])) == [s.id for s in sd_lc.parent.sentences]
    assert sorted(children, key=lambda x: int(x[1:])) == [s.id for s in sd_lc.child.sentences]
    order = [int(p.child.id[1:]) for p in sd_lc.pairs if p.child]
    assert order == sorted(order)  # child document order


def test_to_frame_and_json_contract(sd_lc):
    df = sd_lc.to_frame()
    assert isinstance(df, pd.DataFrame) and len(df) == len(sd_lc.pairs)
    assert df["relation"].value_counts().to_dict()["dropped"] == sd_lc.summary["dropped"]
    data = json.loads(sd_lc.to_json())
    assert set(data) == {"parent", "child", "pairs", "items", "summary"}
    assert data["parent"]["doc_number"] == "鲁政办发〔2017〕39号" and data["child"]["level"] == "city"
    dropped = [p for p in data["pairs"] if p["relation"] == "dropped"]
    assert all(p["child"] is None and p["parent"]["item"] for p in dropped)


def test_compare_accepts_parsed_text():
    a = "一、总体要求\n（一）推进全省决策公开。省财政厅要公开预算。\n（二）加强解读。做好政策解读。\n"
    b = "一、总体要求\n（一）推进全市决策公开。市财政局要公开预算。\n（二）加强解读。\n"
    cmp = policydiff.compare(policydiff.parse(a), policydiff.parse(b))
    rel = {p.parent.text: p.relation for p in cmp.pairs if p.parent}
    assert rel["推进全省决策公开。"] == "localized"
    assert rel["省财政厅要公开预算。"] == "localized"
    assert rel["做好政策解读。"] == "dropped"


# --- perturbations of the sample plan: each must be recovered --------------------------------

BASE = SD17.read_text(encoding="utf-8")


def _cmp(child_text: str):
    return policydiff.compare(policydiff.parse(BASE), policydiff.parse(child_text))


def _pair_of_parent(cmp, start: str):
    return [p for p in cmp.pairs if p.parent and p.parent.text.startswith(start)]


def test_perturbation_drop_sentence():
    target = "开展公共资源交易制度规则清理，实施目录管理，目录之外一律不得作为监管依据。"
    cmp = _cmp(BASE.replace(target, ""))
    assert [p.relation for p in _pair_of_parent(cmp, target)] == ["dropped"]
    assert cmp.summary["dropped"] == 1 and cmp.summary["added"] == 0


def test_perturbation_add_sentence():
    new = "建立重大项目信息公开月报制度，每月通报各项目审批和建设进度。"
    anchor = "(省发展改革委牵头落实)\n2.推进公共资源配置信息公开。"
    cmp = _cmp(BASE.replace(anchor, anchor.replace("(省", new + "(省", 1)))
    added = [p for p in cmp.pairs if p.relation == "added"]
    assert [p.child.text for p in added] == [new] or added[0].child.text.startswith(new)
    assert cmp.summary["dropped"] == 0


def test_perturbation_reword():
    old = "加快现有专家库整合，做好与全国专家库对接共享。"
    new = "加快整合现有各类专家库，做好与国家专家库的对接和共享。"
    cmp = _cmp(BASE.replace(old, new))
    pairs = _pair_of_parent(cmp, "完成省综合评标评审专家库管理系统开发工作")
    assert len(pairs) == 1 and pairs[0].relation == "adapted"
    assert pairs[0].child.text.endswith(new)
    assert any(e.op != "equal" for e in pairs[0].edits)


def test_perturbation_localize_names():
    old = "研究出台山东省公共资源交易目录"
    cmp = _cmp(BASE.replace(old, "研究出台聊城市公共资源交易目录"))
    [p] = _pair_of_parent(cmp, "健全完善制度规则体系")
    assert p.relation == "localized"
    assert any(e.localized and "聊城" in e.new for e in p.edits)


def test_perturbation_move_item():
    block = re.search(r"\(四\)推进政府和社会资本合作.*?\n", BASE).group(0)
    moved = BASE.replace(block, "")
    anchor = "四、以政务公开助力惠民生\n"
    moved = moved.replace(anchor, anchor.replace("四、以政务公开助力惠民生\n", "") + "四、以政务公开助力惠民生\n" + block.replace("(四)", "(五)"), 1)
    cmp = _cmp(moved)
    pairs = _pair_of_parent(cmp, "充分运用政府网站设立PPP专题专栏")
    assert pairs and pairs[0].relation == "copied" and pairs[0].moved
    assert cmp.summary["dropped"] == 0 and cmp.summary["added"] == 0


def test_perturbation_split_sentence():
    old = "加强省内外舆情收集研判，针对涉及我省经济发展的误导和不实信息，及时通过有效公开渠道发布权威消息，解疑释惑，澄清事实。"
    new = "加强省内外舆情收集研判。针对涉及我省经济发展的误导和不实信息，及时通过有效公开渠道发布权威消息，解疑释惑，澄清事实。"
    cmp = _cmp(BASE.replace(old, new))
    pairs = _pair_of_parent(cmp, "加强省内外舆情收集研判")
    assert len(pairs) == 2 and {p.evidence.matched_by for p in pairs} >= {"split"}
    assert cmp.summary["added"] == 0 and cmp.summary["dropped"] == 0


def test_perturbation_merge_sentences():
    old = "组织召开月度、季度、年度国民经济运行情况新闻发布会，"
    text = BASE.replace("解读财政收支增减变化情况及原因、预判财政收入走势，主动解释说明", "解读财政收支增减变化情况及原因、预判财政收入走势。主动解释说明")
    cmp = policydiff.compare(policydiff.parse(text), policydiff.parse(BASE))
    pairs = [p for p in cmp.pairs if p.child and p.child.text.startswith("按月公开全省财政收支情况")]
    assert len(pairs) == 2 and any(p.evidence.matched_by == "merge" for p in pairs)
    assert cmp.summary["added"] == 0 and cmp.summary["dropped"] == 0
    assert old  # the neighbouring sentence is untouched


# --- the CLI -----------------------------------------------------------------------------------

def test_cli_compare_json(cli, tmp_path):
    out = tmp_path / "out" / "cmp.json"
    res = cli("compare", SD17, LC17, "--format", "json", "-o", out)
    assert res.exit_code == 0, res.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"]["dropped"] == sum(1 for g in GOLD["pairs"] if g["relation"] == "dropped")
    assert {p["relation"] for p in data["pairs"]} == {"copied", "localized", "adapted", "dropped", "added"}


def test_cli_compare_text_and_csv(cli):
    res = cli("compare", SD17, LC17, "--no-color")
    assert res.exit_code == 0
    assert "[省审计厅→市审计局]" in res.stdout
    assert res.stdout.strip().splitlines()[-1].startswith("summary: copied")
    assert "\x1b[" not in res.stdout
    res = cli("compare", SD17, LC17, "--format", "csv")
    df = pd.read_csv(io.StringIO(res.stdout))
    assert len(df) == len(GOLD["pairs"]) and set(df["relation"]) >= {"dropped", "added"}


def test_cli_compare_item_granularity(cli):
    res = cli("compare", SD17, LC17, "--granularity", "item", "--format", "json")
    data = json.loads(res.stdout)
    assert "pairs" not in data and len(data["items"]) == 50
    assert all(it["parent"] == it["child"] for it in data["items"])  # same outline, item for item


def test_cli_swapped_hint(cli):
    res = cli("compare", LC17, SD17, "--format", "json")
    assert res.exit_code == 0 and "did you swap them" in res.stderr
