"""Alignment accuracy on the blind golds in tests/gold/blind_*.json.

A blind gold lists the units (sentences) of both documents as printed, the links between them
with their relation, and the dropped and added units; it was written by reading the documents
without the engine. Each gold unit is located in the engine's normalized text and owned by the
engine sentence that overlaps it most; the engine's pairs are then read back onto the units.

Figures per gold: counterparts right (share of parent units whose engine counterparts agree with
the gold: both none, or overlapping), dropped F1, added F1, relation accuracy on correctly paired
units, and per-relation recall. Where a second annotator read the same units
(``second_*.json``), the two readers are scored against each other too: how far careful reading
agrees, the ceiling any engine is held to. Usage: python benchmarks/gold_bench.py [GOLD.json ...]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import policydiff

ROOT = Path(__file__).resolve().parents[1]


def _locate(doc, units: list[dict]) -> dict[str, int | None]:
    """Gold unit id → index of the engine sentence that owns it (None if the text is not found)."""
    squashed, where = [], []
    for k, ch in enumerate(doc.text):
        if not ch.isspace():
            squashed.append(ch)
            where.append(k)
    flat = "".join(squashed)
    owner_at = [-1] * len(doc.text)
    for n, s in enumerate(doc.sentences):
        for k in range(s.span.start, s.span.end):
            owner_at[k] = n
    out: dict[str, int | None] = {}
    pos = 0
    for u in units:
        key = re.sub(r"\s", "", u["text"])
        i = flat.find(key, pos)
        if i < 0:
            i = flat.find(key)
        if i < 0 or not key:
            out[u["id"]] = None
            continue
        pos = i + len(key)
        counts = Counter(owner_at[where[j]] for j in range(i, i + len(key)) if owner_at[where[j]] >= 0)
        out[u["id"]] = counts.most_common(1)[0][0] if counts else None
    return out


def _f1(pred: set, gold: set) -> float:
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Reading:
    """One reading of a document pair on a gold's units: a human annotation or the engine's pairs.

    ``pairs_of`` maps a parent unit to its counterparts in order: (child units, relation) for
    each link (annotation) or pair (engine) it takes part in. ``paired_p`` and ``paired_c`` are the
    units with any counterpart; a unit with none is dropped (parent) or added (child).
    """

    pairs_of: dict[str, list[tuple[set[str], str]]]
    paired_p: set[str]
    paired_c: set[str]


def annotation(g: dict) -> Reading:
    """A gold's own reading of its units."""
    pairs_of: dict[str, list[tuple[set[str], str]]] = {u["id"]: [] for u in g["parent_units"]}
    paired_c: set[str] = set()
    for link in g["links"]:
        for pid in link["parent"]:
            pairs_of[pid].append((set(link["child"]), link["relation"]))
        paired_c |= set(link["child"])
    return Reading(pairs_of, {p for p, v in pairs_of.items() if v}, paired_c)


def engine_reading(g: dict, parent, child, cmp) -> tuple[Reading, set[str], set[str]]:
    """The engine's pairs read back onto the gold's units, and the units located in its text."""
    p_own = _locate(parent, g["parent_units"])
    c_own = _locate(child, g["child_units"])
    p_index = {s.id: n for n, s in enumerate(parent.sentences)}
    c_index = {s.id: n for n, s in enumerate(child.sentences)}
    engine_pairs: dict[int, list[tuple[int, str]]] = {}
    engine_child: set[int] = set()
    for pr in cmp.pairs:
        if pr.parent is not None and pr.child is not None:
            a, b = p_index[pr.parent.id], c_index[pr.child.id]
            engine_pairs.setdefault(a, []).append((b, pr.relation))
            engine_child.add(b)
    units_of_child: dict[int, set[str]] = {}
    for uid, own in c_own.items():
        if own is not None:
            units_of_child.setdefault(own, set()).add(uid)
    pairs_of = {pid: [(units_of_child.get(b, set()), r) for b, r in engine_pairs.get(own, [])]
                for pid, own in p_own.items() if own is not None}
    paired_c = {cid for cid, own in c_own.items() if own is not None and own in engine_child}
    located_p = {k for k, v in p_own.items() if v is not None}
    located_c = {k for k, v in c_own.items() if v is not None}
    return Reading(pairs_of, {p for p, v in pairs_of.items() if v}, paired_c), located_p, located_c


def measure(ref: Reading, hyp: Reading, parents: set[str], children: set[str]) -> dict:
    """Figures of ``hyp`` against ``ref`` on the given parent and child units.

    counterparts: share of parent units on which both have none, or overlapping ones; dropped
    and added F1; relation accuracy on the parent units both link, with overlapping counterparts.
    """
    right = total = rel_right = rel_total = 0
    per_rel: Counter[str] = Counter()
    per_rel_right: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for pid in ref.pairs_of:
        if pid not in parents:
            continue
        total += 1
        want = set().union(*(c for c, _r in ref.pairs_of[pid]))
        got_pairs = hyp.pairs_of.get(pid, [])
        got = set().union(*(c for c, _r in got_pairs))
        ok = (not want and not got) or bool(want & got)
        right += ok
        if want and ok:
            rel_total += 1
            want_rel = ref.pairs_of[pid][-1][1]
            rels = [r for c, r in got_pairs if c & want]
            got_rel = rels[0] if rels else "?"
            per_rel[want_rel] += 1
            confusion[(want_rel, got_rel)] += 1
            if got_rel == want_rel:
                rel_right += 1
                per_rel_right[want_rel] += 1
    return {
        "counterparts": round(right / total, 4) if total else 0.0,
        "dropped_f1": round(_f1(parents - hyp.paired_p, parents - ref.paired_p), 4),
        "added_f1": round(_f1(children - hyp.paired_c, children - ref.paired_c), 4),
        "relation_accuracy": round(rel_right / rel_total, 4) if rel_total else 0.0,
        "per_relation": {r: f"{per_rel_right[r]}/{per_rel[r]}" for r in sorted(per_rel)},
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items())},
    }


def _load_pair(gold_path: Path, g: dict):
    def doc(rel: str):
        return policydiff.load(gold_path.parent / rel if (gold_path.parent / rel).exists() else ROOT / rel)
    return doc(g["parent"]), doc(g["child"])


def score(gold_path: str | Path, thresholds=None) -> dict:
    """Accuracy figures of ``policydiff.compare`` against one blind gold."""
    gold_path = Path(gold_path)
    g = json.loads(gold_path.read_text(encoding="utf-8"))
    parent, child = _load_pair(gold_path, g)
    cmp = policydiff.compare(parent, child) if thresholds is None else policydiff.compare(parent, child,
                                                                                          thresholds=thresholds)
    engine, located_p, located_c = engine_reading(g, parent, child, cmp)
    return {
        "gold": gold_path.name,
        "units": (len(g["parent_units"]), len(g["child_units"])),
        "located": (len(located_p), len(located_c)),
        **measure(annotation(g), engine, located_p, located_c),
        "engine": {k: cmp.summary[k] for k in ("copied", "localized", "adapted", "dropped", "added")},
    }


def _counterparts(r: Reading, pid: str) -> set[str]:
    return set().union(*(c for c, _r in r.pairs_of.get(pid, [])))


def agreement(gold_path: str | Path) -> dict | None:
    """Two readers against each other, and the engine against both, on a gold that has a second reading.

    The second reading (``second_<name>.json`` beside ``blind_<name>.json``) was written by another
    annotator from the same units without the first gold's links. Figures: the second reader
    against the first; the engine against the second; and the engine against the first on the units
    the two readers agree on (a parent unit both leave without counterpart or both link with
    overlapping ones; a child unit both link or both call added). None if there is no second reading.
    """
    gold_path = Path(gold_path)
    second = gold_path.with_name(gold_path.name.replace("blind_", "second_", 1))
    if not gold_path.name.startswith("blind_") or not second.exists():
        return None
    g = json.loads(gold_path.read_text(encoding="utf-8"))
    first = annotation(g)
    other = annotation({**json.loads(second.read_text(encoding="utf-8")),
                        "parent_units": g["parent_units"], "child_units": g["child_units"]})
    parents = {u["id"] for u in g["parent_units"]}
    children = {u["id"] for u in g["child_units"]}
    parent, child = _load_pair(gold_path, g)
    engine, located_p, located_c = engine_reading(g, parent, child, policydiff.compare(parent, child))
    agreed_p = {p for p in parents if bool(_counterparts(first, p) & _counterparts(other, p))
                or not (_counterparts(first, p) or _counterparts(other, p))}
    agreed_c = {c for c in children if (c in first.paired_c) == (c in other.paired_c)}
    return {
        "second": second.name,
        "readers": measure(first, other, parents, children),
        "engine_vs_second": measure(other, engine, located_p, located_c),
        "agreed": (len(agreed_p), len(parents), len(agreed_c), len(children)),
        "engine_on_agreed": measure(first, engine, located_p & agreed_p, located_c & agreed_c),
    }


def _figures(x: dict) -> str:
    return (f"counterparts {x['counterparts']:.3f}  dropped F1 {x['dropped_f1']:.3f}"
            f"  added F1 {x['added_f1']:.3f}  relation accuracy {x['relation_accuracy']:.3f}")


# the engine without the mutual pass (align._mutual), without the list pass (align._attach_list),
# without the test of a split's rewritten half (align._rest_matches), without the articles clauses
# cite (align._reference_agreement), without the repair of items paired in order (align._repaired)
# and without repeated sub-items following their lists (align._follow_leads), printed beside it so
# each change is measured in one run
WITHOUT = {"without mutual pass": {"mutual": 1.01}, "without list pass": {"list_item": 1.01, "list_lead_in": 1.01},
           "without split rest": {"split_rest": 1.01}, "without references": {"references": False},
           "without item repair": {"item_repair": 10.0}, "without follow leads": {"follow_leads": False}}


def main(argv: list[str]) -> int:
    from policydiff.align import Thresholds

    golds = [Path(a) for a in argv] or sorted((ROOT / "tests" / "gold").glob("blind_*.json"))
    for gp in golds:
        r = score(gp)
        runs = [("engine", r)] + [(name, score(gp, thresholds=Thresholds(**kw))) for name, kw in WITHOUT.items()]
        print(f"{r['gold']}: units {r['units']} located {r['located']}")
        for name, x in runs:
            print(f"  {name:<20} {_figures(x)}")
        print("  (targets 0.95 / 0.9 / 0.9 / 0.9)")
        a = agreement(gp)
        if a is not None:
            np_, tp, nc, tc = a["agreed"]
            print(f"  second reader ({a['second']}) against the first: {_figures(a['readers'])}")
            print(f"  engine against the second reader:     {_figures(a['engine_vs_second'])}")
            print(f"  engine on the {np_}/{tp} parent and {nc}/{tc} child units both readers agree on: "
                  f"{_figures(a['engine_on_agreed'])}")
        print(f"  per gold relation (engine right/gold): {r['per_relation']}")
        print(f"  confusion gold->engine: {r['confusion']}")
        print(f"  engine summary: {r['engine']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
