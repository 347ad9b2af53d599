"""Whole-process timings (medians), in one run: `policydiff compare --format json` on the sample
pair and on a real pair, against a Python process running difflib.SequenceMatcher(autojunk=False)
over the same two texts; optionally the same commands from another source tree (a baseline
commit checked out elsewhere) so before/after come from the same run.

Each tree's bytecode is compiled first, as an install does: a process that compiles policydiff's
source on every start (PYTHONDONTWRITEBYTECODE=1 with no __pycache__, as in this sandbox) measures
the compiler, not the tool. CPU seconds (user + system, of the process and its helpers) are printed
beside the wall time: `compare` builds the word dictionary on the second core. The command keeps
compiled patterns between runs (policydiff/regex_cache.py, like bytecode): one row times it with
that cache emptied before every run, the first run on a machine.

Usage: python benchmarks/process_bench.py [--baseline-tree DIR] [--repeat 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"
PAIRS = {
    "sample SD2017 → LC2017": (ROOT / "data" / "shandong-2017-province.txt", ROOT / "data" / "liaocheng-2017-city.md"),
    "real 国办发〔2019〕6号 → 江西": (LINEAGE / "national-china-2019-zhengfuxing-rongzi-danbao-zhidao-yijian.txt",
                               LINEAGE / "province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt"),
}
DIFFLIB = ("import difflib, sys; a = open(sys.argv[1], encoding='utf-8').read(); "
           "b = open(sys.argv[2], encoding='utf-8').read(); "
           "print(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())")


# one cold process, timed stage by stage (what the process above spends its time on)
BREAKDOWN = """
import time, sys
t0 = time.perf_counter()
import json
import policydiff
from policydiff import cli  # noqa: F401  (what the command imports before it starts)
from policydiff.align import align
from policydiff.classify import classify
from policydiff import words
words.preload()  # as the command does: the dictionary builds on the other core meanwhile
t1 = time.perf_counter()
p, c = policydiff.load(sys.argv[1]), policydiff.load(sys.argv[2])
t2 = time.perf_counter()
align(p, c)
t3 = time.perf_counter()
cmp = classify(p, c)  # aligns again, then labels: the label cost is the difference
t4 = time.perf_counter()
out = json.dumps(cmp.to_dict(), ensure_ascii=False, indent=2)
t5 = time.perf_counter()
print(f"start-up {t1 - t0:.3f} load {t2 - t1:.3f} align {t3 - t2:.3f} classify {(t4 - t3) - (t3 - t2):.3f} "
      f"output {t5 - t4:.3f}")
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, children included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # run from the tree itself: `python -m` puts the working directory first on sys.path, so a
    # baseline run from this checkout would silently import this checkout's code
    subprocess.run(cmd, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree", default=None)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    empty_cache = tempfile.mkdtemp(prefix="process-bench-")
    for tree in filter(None, [str(ROOT), args.baseline_tree]):
        compileall.compile_dir(str(Path(tree) / "policydiff"), quiet=1)
    for name, (p, c) in PAIRS.items():
        if not p.exists():
            continue
        runs: dict[str, tuple[list[str], dict[str, str]]] = {
            "difflib process": ([sys.executable, "-c", DIFFLIB, str(p), str(c)], env),
            "policydiff (this tree)": ([sys.executable, "-m", "policydiff.cli", "compare", str(p), str(c),
                                        "--format", "json"], env),
        }
        runs["policydiff, no pattern cache"] = (runs["policydiff (this tree)"][0],
                                                 dict(env, XDG_CACHE_HOME=empty_cache))
        if args.baseline_tree:
            runs["policydiff (baseline tree)"] = (runs["policydiff (this tree)"][0],
                                                  dict(os.environ, PYTHONPATH=args.baseline_tree))
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in runs}
        for _ in range(args.repeat):  # interleaved, so load on the machine hits all alike
            for k, (cmd, e) in runs.items():
                shutil.rmtree(Path(empty_cache) / "policydiff", ignore_errors=True)
                times[k].append(timed(cmd, e))
        base = statistics.median(w for w, _ in times["difflib process"])
        print(name)
        for k, ts in times.items():
            med, cpu = statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts)
            print(f"  {k:<28} median {med:6.2f} s   ratio to difflib {med / base:5.2f}   cpu {cpu:5.2f} s")
        stages = [subprocess.run([sys.executable, "-c", BREAKDOWN, str(p), str(c)], env=env, cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.split() for _ in range(args.repeat)]
        names = stages[0][::2]
        medians = [statistics.median(float(s[2 * k + 1]) for s in stages) for k in range(len(names))]
        parts = "  ".join(f"{n} {m:.3f}" for n, m in zip(names, medians, strict=True))
        print(f"  one cold process, medians (s): {parts}")
    shutil.rmtree(empty_cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
