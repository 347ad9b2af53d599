"""Build tests/cases/real.json and known_failures.json from the blind golds' 1:1 links.

The expected relation of each case is the annotator's (tests/gold/blind_*.json); the engine only
sorts the cases: those it gets right go to real.json (a regression set), the rest to
known_failures.json, which the case test runs as expected failures so they stay visible.
Usage: python scripts/build_cases.py
"""

from __future__ import annotations

import json
from pathlib import Path

from policydiff.cases import run_case

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    real, failing = [], []
    for gp in sorted((ROOT / "tests" / "gold").glob("blind_*.json")):
        g = json.loads(gp.read_text(encoding="utf-8"))
        pt = {u["id"]: u["text"] for u in g["parent_units"]}
        ct = {u["id"]: u["text"] for u in g["child_units"]}
        for link in g["links"]:
            if len(link["parent"]) != 1 or len(link["child"]) != 1:
                continue
            case = {"parent": pt[link["parent"][0]], "child": ct[link["child"][0]], "relation": link["relation"],
                    "source": f"{gp.name} {link['parent'][0]}→{link['child'][0]}", "why": link.get("why", "")}
            (real if run_case(case) == case["relation"] else failing).append(case)
    for name, rows in (("real", real), ("known_failures", failing)):
        (ROOT / "tests" / "cases" / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                                                               encoding="utf-8")
        print(name, len(rows))


if __name__ == "__main__":
    main()
