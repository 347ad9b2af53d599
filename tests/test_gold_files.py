"""The gold files themselves, and the scoring that reads them (benchmarks/gold_bench.py).

A blind gold and a second reading must account for every unit once (linked, or dropped/added),
name only units that exist, and use the three relations; the scoring must give a reading against
itself full marks and count a disagreement the way its docstring says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.gold_bench import Reading, annotation, measure

GOLD = Path(__file__).parent / "gold"
READINGS = sorted(GOLD.glob("blind_*.json")) + sorted(GOLD.glob("second_*.json"))


def _with_units(path: Path) -> dict:
    g = json.loads(path.read_text(encoding="utf-8"))
    if "units_from" in g:
        first = json.loads((GOLD / g["units_from"]).read_text(encoding="utf-8"))
        assert (g["parent"], g["child"]) == (first["parent"], first["child"])
        g = {**g, "parent_units": first["parent_units"], "child_units": first["child_units"]}
    return g


@pytest.mark.parametrize("path", READINGS, ids=lambda p: p.name)
def test_every_unit_is_accounted_for_once(path):
    g = _with_units(path)
    parents = [u["id"] for u in g["parent_units"]]
    children = [u["id"] for u in g["child_units"]]
    assert len(set(parents)) == len(parents) and len(set(children)) == len(children)
    linked_p = {p for x in g["links"] for p in x["parent"]}
    linked_c = {c for x in g["links"] for c in x["child"]}
    assert linked_p <= set(parents) and linked_c <= set(children)
    assert all(x["parent"] and x["child"] and x["relation"] in {"copied", "localized", "adapted"} for x in g["links"])
    assert not linked_p & set(g["dropped"]) and not linked_c & set(g["added"])
    assert linked_p | set(g["dropped"]) == set(parents)
    assert linked_c | set(g["added"]) == set(children)


@pytest.mark.parametrize("path", sorted(GOLD.glob("second_*.json")), ids=lambda p: p.name)
def test_a_second_reading_is_a_reading_of_its_own(path):
    """Written from the first gold's units without its links: the two readers differ somewhere."""
    g = _with_units(path)
    first = json.loads((GOLD / g["units_from"]).read_text(encoding="utf-8"))

    def links(x):
        return {(tuple(k["parent"]), tuple(k["child"])) for k in x["links"]}
    assert links(g) != links(first)


def _reading(links: list[tuple[list[str], list[str], str]]) -> Reading:
    units = {"parent_units": [{"id": f"p{k}"} for k in range(1, 5)], "child_units": [{"id": f"c{k}"} for k in range(1, 5)]}
    return annotation({**units, "links": [{"parent": p, "child": c, "relation": r} for p, c, r in links]})


def test_measure_gives_a_reading_against_itself_full_marks_and_counts_a_disagreement():
    ref = _reading([(["p1"], ["c1"], "copied"), (["p2"], ["c2", "c3"], "adapted")])  # p3, p4 dropped; c4 added
    parents, children = {"p1", "p2", "p3", "p4"}, {"c1", "c2", "c3", "c4"}
    same = measure(ref, ref, parents, children)
    assert (same["counterparts"], same["dropped_f1"], same["added_f1"], same["relation_accuracy"]) == (1, 1, 1, 1)
    # p2 paired with c3 alone (overlap: right), p3 paired with c4 (a dropped unit paired: wrong),
    # p1's pair called adapted (right counterpart, wrong relation)
    hyp = _reading([(["p1"], ["c1"], "adapted"), (["p2"], ["c3"], "adapted"), (["p3"], ["c4"], "adapted")])
    got = measure(ref, hyp, parents, children)
    assert got["counterparts"] == 0.75
    assert got["dropped_f1"] == round(2 * 1 * 0.5 / 1.5, 4)  # predicted {p4}, gold {p3, p4}
    assert got["added_f1"] == 0.0  # predicted {c2} (left out of p2's pair), gold {c4}: nothing in common
    assert got["relation_accuracy"] == 0.5
