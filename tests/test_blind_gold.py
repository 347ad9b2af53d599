"""Accuracy on the two blind golds (written by reading the documents, never from the engine).

The issue's targets (counterparts 0.95, dropped/added F1 0.9, relation accuracy 0.9) are not
reached on these heavily rewritten pairs; ``benchmarks/gold_bench.py`` prints the figures against
them. This test holds the floor the engine reaches today, so a change that loses accuracy fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.gold_bench import score

GOLD = Path(__file__).parent / "gold"
LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"
FLOORS = {  # measured 2026-12-01; before this change: 0.686/0.667/0.579/0.947 and 0.546/0.648/0.725/0.920
    "blind_guobanfa2019_6_jiangxi.json": (0.75, 0.72, 0.65, 0.95),
    "blind_youhua2019_henan2020.json": (0.63, 0.70, 0.75, 0.94),
}


@pytest.mark.skipif(not LINEAGE.is_dir(), reason="../shared/corpus not present")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_gold_floor(name):
    r = score(GOLD / name)
    assert r["located"][0] >= 0.95 * r["units"][0] and r["located"][1] >= 0.95 * r["units"][1]
    floor = FLOORS[name]
    got = (r["counterparts"], r["dropped_f1"], r["added_f1"], r["relation_accuracy"])
    assert all(g >= f for g, f in zip(got, floor, strict=True)), (got, floor)
