"""Discovery + comparisons over all of ../shared/corpus/laws/ (2,461 files, no truth), into a results database.

Two runs on one SQLite database (policydiff corpus --db): the first on every file but 10 held
out, the second on all of them, which must compute only the comparisons involving the 10 added
plans. Prints, per run, time, pairs compared and computed, and the database's size; for the full
corpus, parents found by source and how many local regulations got a parent whose title their
第一条 cites (the cited-parent agreement); peak memory.
Usage: python benchmarks/laws_bench.py [--jobs 2] [--limit N] [--db PATH] [--added 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from policydiff import citations, db
from policydiff.corpus import Corpus

LAWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws"


def run(files: list[str], path: str, jobs: int) -> tuple[Corpus, db.ResultsCache, float, float]:
    """One ``corpus --db`` run: (corpus, cache, seconds in all, seconds writing the database)."""
    t0 = time.perf_counter()
    with db.locked(path):
        cache = db.ResultsCache(path)
        corpus = Corpus.from_files(files, jobs=jobs, cache=cache)
        t1 = time.perf_counter()
        db.save(path, corpus, str(LAWS), "laws_bench", cache)
    t2 = time.perf_counter()
    return corpus, cache, t2 - t0, t2 - t1


def _browse(page: str, files_js: dict[str, str], where: str) -> str:
    """Open the page in headless Chromium, then a plan's clauses, then a clause's lineage: the times."""
    import shutil

    if not shutil.which("chromium"):
        return "skipped (no chromium)"
    from playwright.sync_api import sync_playwright

    from policydiff.output import write_output, write_outputs

    write_outputs({os.path.join(where, "laws_clauses", name): text for name, text in files_js.items()})
    target = os.path.join(where, "laws.html")
    write_output(target, page)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=shutil.which("chromium"),
                               args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        tab = b.new_page(viewport={"width": 1400, "height": 900})
        loaded: list[str] = []
        tab.on("request", lambda r: loaded.append(r.url) if r.url.endswith(".js") else None)
        t0 = time.perf_counter()
        tab.goto("file://" + target)
        tab.locator("#tree .doc").first.wait_for()
        t1 = time.perf_counter()
        plans = tab.locator("#tree .doc").count()
        tab.locator("#tree .doc", has_text="大气污染防治法").first.click()
        tab.locator("#clauses .clause").first.wait_for()
        t2 = time.perf_counter()
        tab.locator("#clauses .clause").nth(5).click()
        tab.locator("#lineage li").first.wait_for()
        t3 = time.perf_counter()
        b.close()
    return (f"page open {t1 - t0:.2f} s ({plans} plans in the tree), a plan's clauses {t2 - t1:.2f} s, "
            f"a lineage {t3 - t2:.2f} s; {len(loaded)} clause files loaded")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--db", default="", help="database file (default: a temporary one, removed at the end)")
    ap.add_argument("--added", type=int, default=10, help="plans held out of the first run and added in the second")
    args = ap.parse_args()
    files = sorted(str(p) for p in LAWS.rglob("*.md"))
    if args.limit:
        files = files[:: max(1, len(files) // args.limit)][: args.limit]
    added = set(files[len(files) // (2 * args.added) :: max(1, len(files) // args.added)][: args.added])
    tmp = tempfile.TemporaryDirectory() if not args.db else None
    path = args.db or os.path.join(tmp.name, "laws.db")
    if args.db and os.path.exists(path):
        os.unlink(path)  # the first run starts from an empty database
    first, cache1, took1, write1 = run([f for f in files if f not in added], path, args.jobs)
    size1 = os.path.getsize(path)
    print(f"first run: {len(first.entries)} files, {took1:.1f} s (writing the database {write1:.1f} s), "
          f"pairs compared {len(first.results)}, computed {cache1.misses}; database {size1 / 2**20:.1f} MB")
    del first  # the second run's memory is its own
    corpus, cache, took, write = run(files, path, args.jobs)
    size = os.path.getsize(path)
    involve = sum(1 for p, c in cache.computed if p in added or c in added)
    print(f"second run (+{len(added)} plans): {len(corpus.entries)} files, {took:.1f} s (writing {write:.1f} s), "
          f"pairs compared {len(corpus.results)}, reused {cache.hits}, computed {cache.misses} "
          f"(involving an added plan: {involve}); database {size / 2**20:.1f} MB")
    if involve != cache.misses:
        print("  ERROR: the second run recomputed pairs of plans that did not change", file=sys.stderr)
        return 1
    # the graph page: with clauses in per-plan files (what `graph` writes past 200 plans) and embedded
    from policydiff.graph import clause_files, graph_html

    t0 = time.perf_counter()
    page = graph_html(corpus, report_dir=None, clause_dir="laws_clauses")
    files_js = clause_files(corpus)
    took_graph = time.perf_counter() - t0
    biggest = max(len(v.encode()) for v in files_js.values())
    print(f"graph page: {took_graph:.1f} s; page {len(page.encode()) / 2**20:.1f} MB + {len(files_js)} clause files "
          f"(largest {biggest / 2**10:.0f} KB)")
    peak_before_embedding = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as where:
        print("  in Chromium: " + _browse(page, files_js, where))
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
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak RSS {peak_before_embedding:.0f} MB (largest worker {child_peak:.0f} MB)")
    # for comparison only, after the peak is read: the page with every clause embedded
    embedded = graph_html(corpus, report_dir=None)
    print(f"  the same page with every clause embedded: {len(embedded.encode()) / 2**20:.1f} MB, peak RSS then "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    del embedded
    print("  decisions:", ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    print(f"  local regulations {local}; with a 根据《…》 basis {cited_any}; parent is one they cite {agree}")
    conn = db.sqlite3.connect(path)
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in db.TABLES if t != "meta"}
    conn.close()
    print("  rows:", ", ".join(f"{t} {n}" for t, n in counts.items()))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
