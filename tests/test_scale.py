"""Big plans are aligned in stretches cut at anchor items; the result must still be an alignment.

Speed is measured in benchmarks/scale_bench.py; here: that the stretch path is taken when a plan
is past ``chunk_cells``, that it pairs every sentence exactly once, and that on real pairs it
finds the counterparts the whole-plan alignment finds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import policydiff
from policydiff import align as align_module
from policydiff.align import Thresholds, _increasing

ROOT = Path(__file__).resolve().parent.parent
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"
PAIRS = [
    (ROOT / "data" / "shandong-2017-province.txt", ROOT / "data" / "liaocheng-2017-city.md"),
    (LINEAGE / "province-shandong-2018-daqi-wuran-fangzhi-tiaoli.txt", LINEAGE / "city-dongying-2019-daqi-wuran-fangzhi-tiaoli.txt"),
    (LINEAGE / "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt", LINEAGE / "province-henan-2020-youhua-yingshang-huanjing-tiaoli.txt"),
]
SMALL = Thresholds(chunk_cells=20000, stretch_sentences=120)  # forces stretches on plans of a few hundred clauses


def _counterparts(cmp) -> dict[str, str | None]:
    return {p.parent.id: (p.child.id if p.child else None) for p in cmp.pairs if p.parent is not None}


@pytest.mark.parametrize("parent,child", PAIRS, ids=lambda p: p.stem[:24])
def test_stretches_pair_every_clause_once_and_agree_with_the_whole(parent, child, monkeypatch):
    if not parent.exists():
        pytest.skip("corpus not present")
    P, C = policydiff.load(parent), policydiff.load(child)
    whole = policydiff.compare(P, C)
    calls = Counter()
    real = align_module._align_whole

    def spy(p, c, t, **kw):
        calls["stretch"] += 1
        return real(p, c, t, **kw)

    monkeypatch.setattr(align_module, "_align_whole", spy)
    cut = policydiff.compare(P, C, thresholds=SMALL)
    assert calls["stretch"] >= 2  # it really was cut
    seen_p = Counter(p.parent.id for p in cut.pairs if p.parent)
    seen_c = Counter(p.child.id for p in cut.pairs if p.child)
    # every clause of both plans is in the result, once (merges and splits may share a counterpart)
    assert set(seen_p) == {s.id for s in P.sentences} and set(seen_c) == {s.id for s in C.sentences}
    a, b = _counterparts(whole), _counterparts(cut)
    # a pair of the mutual pass (each other's best among the leftovers) depends on what else is left
    # over, which a stretch does not see: the agreement is measured on the other clauses
    firm = [p.parent.id for p in whole.pairs if p.parent is not None and p.evidence.matched_by != "mutual"]
    same = sum(a[k] == b.get(k) for k in firm) / len(firm)
    assert same >= 0.85, same


def test_plans_under_the_cell_limit_are_aligned_whole(monkeypatch):
    calls = Counter()
    monkeypatch.setattr(align_module, "_align_in_stretches", lambda *a: calls.update(["cut"]))
    policydiff.compare(*PAIRS[0])
    assert not calls


def test_anchors_are_the_longest_increasing_run():
    pairs = [(0, 5), (1, 1), (2, 2), (3, 9), (4, 3), (5, 4), (6, 0)]
    assert _increasing(pairs) == [(1, 1), (2, 2), (4, 3), (5, 4)]
    assert _increasing([]) == []


def test_a_twenty_thousand_character_clause_is_compared():
    # partial_ratio on whole clauses was cubic in their length; past partial_max_len containment stands in
    text = "推进政务公开工作，完善信息发布机制" * 1200
    a = policydiff.parse("一、任务\n（一）" + text[:20000] + "。\n")
    b = policydiff.parse("一、任务\n（一）" + text[:20000].replace("工作", "任务") + "。\n")
    def clause_relations(cmp):
        return [p.relation for p in cmp.pairs if len((p.parent or p.child).text) > 1000]

    assert clause_relations(policydiff.compare(a, b)) == ["adapted"]
    same = policydiff.parse("一、任务\n（一）" + text[:20000] + "。\n")
    assert clause_relations(policydiff.compare(a, same)) == ["copied"]


def test_stretch_edges_one_item_and_a_side_that_ends_first():
    tight = Thresholds(chunk_cells=2000, stretch_sentences=30)
    # one item of 400 clauses on each side: no anchor to cut at, the stretch cannot be split
    body = "".join(f"第{i}项工作要抓紧落实到位并按期报告进展情况。" for i in range(400))
    one = policydiff.compare(policydiff.parse("一、任务\n" + body + "\n"),
                             policydiff.parse("一、任务\n" + body.replace("抓紧", "尽快") + "\n"), thresholds=tight)
    assert one.summary["adapted"] == 400 and one.summary["dropped"] == one.summary["added"] == 0
    # the child goes on after the parent's last item: the last stretch has no parent item
    items = "".join(f"{i}.第{i}项工作要抓紧落实到位并按期报告进展情况。\n" for i in range(1, 200))
    extra = "".join(f"{i}.新增第{i}项任务安排。\n" for i in range(200, 260))
    short, long = policydiff.parse("一、任务\n" + items), policydiff.parse("一、任务\n" + items + extra)
    down = policydiff.compare(short, long, thresholds=tight)
    assert (down.summary["copied"], down.summary["added"], down.summary["dropped"]) == (200, 60, 0)
    up = policydiff.compare(long, short, thresholds=tight)
    assert (up.summary["copied"], up.summary["dropped"], up.summary["added"]) == (200, 60, 0)
    # both plans end with the same anchor item: no empty stretch after it
    same = policydiff.compare(short, policydiff.parse("一、任务\n" + items), thresholds=tight)
    assert same.summary["copied"] == 200 and same.summary["dropped"] == same.summary["added"] == 0
