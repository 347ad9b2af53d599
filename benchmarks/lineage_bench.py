"""Parent discovery on ../shared/corpus/lineage/ against its truth.csv (path-only input).

Prints one row per document (true parent, found parent, how it was decided) and the totals:
true parents found, false parents given to roots/distractors. Usage: python benchmarks/lineage_bench.py
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from policydiff.corpus import Corpus

LINEAGE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lineage"


def truth() -> dict[str, str]:
    with (LINEAGE / "truth.csv").open(encoding="utf-8") as f:
        return {r["path"]: r["true_parent"] for r in csv.DictReader(f)}


def evaluate(corpus: Corpus) -> dict[str, object]:
    """Found / missed / false parents of a corpus built from the lineage files."""
    t = truth()
    rows = []
    found = false = 0
    for path, want in sorted(t.items()):
        d = corpus.discoveries[str(LINEAGE / path)]
        got = Path(d.parent).name if d.parent else ""
        ok = got == want
        if want and ok:
            found += 1
        if got and not ok:
            false += 1
        rows.append((path, want, got, d.source, ok))
    return {"rows": rows, "found": found, "true_links": sum(1 for v in t.values() if v), "false": false}


def main() -> int:
    t0 = time.perf_counter()
    corpus = Corpus.from_files(sorted(str(LINEAGE / p) for p in truth()), jobs=2)
    res = evaluate(corpus)
    for path, want, got, source, ok in res["rows"]:
        mark = "ok " if ok else "BAD"
        print(f"{mark} {path[:58]:<58} want {want[:40] or '(root)':<40} got {got[:40] or '-':<40} {source}")
    print(f"true parents found {res['found']}/{res['true_links']}, false parents {res['false']}, "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
