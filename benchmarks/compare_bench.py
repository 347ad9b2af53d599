"""Benchmark: compare Shandong 2017 → Liaocheng 2017, against difflib over the same sentences.

Prints times and ratios measured in this run; the baseline is difflib.SequenceMatcher
aligning the two sentence lists and scoring each replaced block pairwise, which is what a
hand-written tool would do. Run: make bench
"""

from __future__ import annotations

import difflib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import policydiff  # noqa: E402
from policydiff.classify import classify  # noqa: E402

PARENT = ROOT / "data" / "shandong-2017-province.txt"
CHILD = ROOT / "data" / "liaocheng-2017-city.md"


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def difflib_baseline(a: list[str], b: list[str]) -> int:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            matched += i2 - i1
        elif op == "replace":
            for x in a[i1:i2]:
                scores = [difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() for y in b[j1:j2]]
                matched += max(scores) > 0.5
    return matched


def main() -> None:
    p, c = policydiff.load(PARENT), policydiff.load(CHILD)
    classify(p, c)  # warm up jieba and the rule tables
    a = [s.text for s in p.sentences]
    b = [s.text for s in c.sentences]
    t_load = best(lambda: (policydiff.load(PARENT), policydiff.load(CHILD)))
    t_compare = best(lambda: classify(p, c))
    t_difflib = best(lambda: difflib_baseline(a, b))
    exe = Path(sys.executable).parent / "policydiff"
    env = dict(os.environ)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([str(exe), "compare", str(PARENT), str(CHILD), "--format", "json"], check=True,
                       capture_output=True, env=env)
        runs.append(time.perf_counter() - t)
    t_cli = statistics.median(runs)
    print(f"sentences: parent {len(a)}, child {len(b)}")
    print(f"load+segment both plans      {t_load * 1000:8.1f} ms")
    print(f"policydiff align+classify    {t_compare * 1000:8.1f} ms")
    print(f"difflib baseline (same lists){t_difflib * 1000:8.1f} ms")
    print(f"ratio policydiff / difflib   {t_compare / t_difflib:8.2f}x")
    print(f"CLI end to end (median of 3) {t_cli * 1000:8.1f} ms  target < 1000 ms: {'ok' if t_cli < 1 else 'MISSED'}")
    big_plan_ratio()


def big_plan_ratio() -> None:
    """Time per character of loading a 10 MB plan vs the normal one (target: within 20x)."""
    import tempfile

    text = PARENT.read_text(encoding="utf-8")
    body = text.split("2017年山东省政务公开工作要点\n2017年全省", 1)[1]
    reps = 10_000_000 // len(body.encode("utf-8")) + 1
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_text(text + ("\n" + body) * reps, encoding="utf-8")
        t_small = best(lambda: policydiff.load(PARENT)) / len(text)
        t = time.perf_counter()
        doc = policydiff.load(big)
        t_big = (time.perf_counter() - t) / len(doc.text)
        t = time.perf_counter()
        classify(policydiff.load(PARENT), doc)
        t_cmp = time.perf_counter() - t
    print(f"10 MB plan: load {t_big * 1e6:.2f} us/char vs {t_small * 1e6:.2f} us/char normal "
          f"= {t_big / t_small:.1f}x (target within 20x); compare with the province plan {t_cmp:.1f} s")


if __name__ == "__main__":
    main()
