"""Which full-text index for Chinese clauses: FTS5's trigram tokenizer or character bigrams?

Builds both over the clauses of a results database (policydiff corpus --db) and prints each
index's size, its build time, and the median time and recall of phrase queries made of
6-character fragments taken from clauses (a fragment must find the clause it was taken from).
Usage: python benchmarks/fts_bench.py results.db [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time


def bigrams(text: str) -> str:
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("database")
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    src = sqlite3.connect(args.database)
    clauses = src.execute("select id, text from clauses").fetchall()
    src.close()
    rng = random.Random(1)
    sample = [c for c in clauses if len(c[1]) >= 12]
    probes = []
    for cid, text in rng.sample(sample, min(args.queries, len(sample))):
        k = rng.randrange(len(text) - 6)
        probes.append((cid, text[k : k + 6]))
    print(f"{len(clauses)} clauses, {len(probes)} fragments of 6 characters")
    for name, tokenize, prep, query in (
            ("trigram", "trigram", lambda t: t, lambda q: '"' + q.replace('"', '""') + '"'),
            ("bigram", "unicode61", bigrams, lambda q: '"' + bigrams(q).replace('"', '""') + '"')):
        with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
            conn = sqlite3.connect(tmp.name)
            conn.execute(f"create virtual table f using fts5(text, tokenize='{tokenize}')")
            t0 = time.perf_counter()
            conn.executemany("insert into f(rowid, text) values (?, ?)", ((i, prep(t)) for i, t in clauses))
            conn.commit()
            build = time.perf_counter() - t0
            size = conn.execute("select sum(pgsize) from dbstat where name like 'f_%'").fetchone()[0]
            times, found = [], 0
            for cid, frag in probes:
                t0 = time.perf_counter()
                hits = {r[0] for r in conn.execute("select rowid from f where f match ?", (query(frag),))}
                times.append(time.perf_counter() - t0)
                found += cid in hits
            conn.close()
        print(f"  {name:8} index {size / 2**20:.1f} MB, built in {build:.1f} s; query median "
              f"{statistics.median(times) * 1000:.2f} ms; recall {found}/{len(probes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
