"""Corpus benchmark: parent discovery + comparisons on synthetic corpora of N plans.

Plans are derived from the Shandong 2017 sample: province plans for real provinces, city plans
for their real prefecture cities, district plans for real districts, each with seeded drops,
additions, rewording and a moved item (policydiff.synth). No parents are given: discovery must
find them. Prints, for each N, wall time, peak memory, discovery accuracy, and the growth
exponent of time vs N (least squares on log-log). Run: make bench  (or: python benchmarks/corpus_bench.py 100 300)
"""

from __future__ import annotations

import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policydiff import regions  # noqa: E402
from policydiff.corpus import Corpus  # noqa: E402
from policydiff.synth import derive  # noqa: E402

BASE = (ROOT / "data" / "shandong-2017-province.txt").read_text(encoding="utf-8")


def _children(code: str, level: str) -> list[str]:
    return sorted(r.name for r in regions.regions().values() if r.parent == code and r.level == level)


def make_corpus(n: int, folder: Path) -> dict[str, str | None]:
    """Write ``n`` plans and a parent-less manifest; returns {file: true parent file or None}."""
    provinces = [r for r in sorted(regions.regions().values(), key=lambda r: r.code)
                 if r.level == "province" and r.name.endswith("省")]
    k = max(2, math.ceil(n / 60))
    per_province = n // k
    cities_per = 5
    truth: dict[str, str | None] = {}
    seed = 0
    for prov in provinces[:k]:
        if len(truth) >= n:
            break
        seed += 1
        ptext = derive(BASE, "山东省", "province", prov.name, "province", seed=seed).text
        pfile = f"p{seed:04d}.txt"
        (folder / pfile).write_text(ptext, encoding="utf-8")
        truth[pfile] = None
        budget = per_province - 1
        cities = _children(prov.code, "city")[:cities_per]
        for city in cities:
            if len(truth) >= n or budget <= 0:
                break
            seed += 1
            ctext = derive(ptext, prov.name, "province", city, "city", seed=seed).text
            cfile = f"c{seed:04d}.txt"
            (folder / cfile).write_text(ctext, encoding="utf-8")
            truth[cfile] = pfile
            budget -= 1
            code = next(r.code for r in regions.regions().values() if r.name == city and r.level == "city")
            n_dist = max(0, (per_province - 1) // len(cities) - 1)
            for district in _children(code, "district")[:n_dist]:
                if len(truth) >= n or budget <= 0:
                    break
                seed += 1
                dtext = derive(ctext, city, "city", district, "district", seed=seed).text
                dfile = f"d{seed:04d}.txt"
                (folder / dfile).write_text(dtext, encoding="utf-8")
                truth[dfile] = cfile
                budget -= 1
    with open(folder / "manifest.csv", "w", encoding="utf-8") as fh:
        fh.write("path,level,region,year,doc_number,parent\n")
        for f in truth:
            fh.write(f"{f},,,,,\n")
    return truth


def peak_rss_mb() -> float:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (self_kb + kids_kb) / 1024


def run(n: int) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truth = make_corpus(n, folder)
        t = time.perf_counter()
        corpus = Corpus.from_manifest(folder / "manifest.csv", jobs=os.cpu_count())
        elapsed = time.perf_counter() - t
        correct = 0
        for f, parent in truth.items():
            d = corpus.discoveries[str(folder / f)]
            found = os.path.basename(d.parent) if d.parent else None
            correct += found == parent
        return elapsed, correct / len(truth), peak_rss_mb(), len(corpus.results)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 300, 1000]
    print(f"{'N':>6} {'time s':>8} {'s/plan':>7} {'accuracy':>9} {'pairs':>6} {'peak RSS MB':>12}")
    points = []
    for n in sizes:
        elapsed, acc, rss, pairs = run(n)
        points.append((n, elapsed))
        print(f"{n:>6} {elapsed:>8.1f} {elapsed / n:>7.3f} {acc:>9.3f} {pairs:>6} {rss:>12.0f}", flush=True)
    if len(points) > 1:
        xs = [math.log(n) for n, _ in points]
        ys = [math.log(t) for _, t in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        print(f"growth exponent of time vs N: {slope:.2f}  (target ≲ 1.2)")


if __name__ == "__main__":
    main()
