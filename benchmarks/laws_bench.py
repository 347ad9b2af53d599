"""Discovery + comparisons over all of ../shared/corpus/laws/ (2,461 files, no truth).

Prints time, peak memory, pairs compared, parents found by source, and how many local
regulations got a parent whose title their 第一条 cites (the cited-parent agreement).
Usage: python benchmarks/laws_bench.py [--jobs 2] [--limit N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from policydiff import citations
from policydiff.corpus import Corpus

LAWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    files = sorted(str(p) for p in LAWS.rglob("*.md"))
    if args.limit:
        files = files[:: max(1, len(files) // args.limit)][: args.limit]
    t0 = time.perf_counter()
    corpus = Corpus.from_files(files, jobs=args.jobs)
    took = time.perf_counter() - t0
    sources = Counter(d.source for d in corpus.discoveries.values())
    local = agree = cited_any = 0
    for e in corpus.entries:
        if e.level in ("province", "city", "district"):
            local += 1
            basis = [c for c, _p, _b in corpus.lineage.cites.get(e.path, ()) if c.role == "basis"]
            d = corpus.discoveries[e.path]
            if basis:
                cited_any += 1
                if d.parent and citations.title_key(corpus.docs[d.parent].title) in {c.key for c in basis}:
                    agree += 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{len(files)} files, {took:.1f} s, peak RSS {peak:.0f} MB (largest worker {child_peak:.0f} MB), "
          f"pairs compared {len(corpus.results)}")
    print("  decisions:", ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    print(f"  local regulations {local}; with a 根据《…》 basis {cited_any}; parent is one they cite {agree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
