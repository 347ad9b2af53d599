"""Run the front end (ingest → normalize → segment) over every file of ../shared/corpus/.

Prints how many documents got a level, a year and a title, the levels found, and every failure;
exits 1 if any file crashed. Usage: python scripts/outline_corpus.py [DIR ...]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import policydiff
from policydiff.errors import InputError

ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or [ROOT / "laws", ROOT / "lineage"]
    files = sorted(p for d in dirs for p in d.rglob("*") if p.suffix in (".md", ".txt") and p.name != "SOURCES.md")
    t0 = time.perf_counter()
    found: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    crashed: list[tuple[Path, str]] = []
    refused: list[tuple[Path, str]] = []
    for p in files:
        try:
            doc = policydiff.load(p)
        except InputError as e:
            refused.append((p, str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - the point is to list every crash
            crashed.append((p, f"{type(e).__name__}: {e}"))
            continue
        found["level"] += bool(doc.level)
        found["year"] += doc.year is not None
        found["title"] += bool(doc.title)
        found["doc_number"] += bool(doc.doc_number)
        found["issuer"] += bool(doc.issuer)
        levels[doc.level or "?"] += 1
    n = len(files)
    print(f"{n} files in {time.perf_counter() - t0:.1f} s; crashed {len(crashed)}, refused {len(refused)}")
    for k in ("title", "level", "year", "issuer", "doc_number"):
        print(f"  {k:<10} {found[k]:>5} / {n}  ({found[k] / n:.1%})")
    print("  levels:", ", ".join(f"{k} {v}" for k, v in levels.most_common()))
    for p, why in crashed + refused:
        print(f"  {p}: {why}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
