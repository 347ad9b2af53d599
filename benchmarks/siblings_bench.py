"""`policydiff siblings` on a laws/ family: 河南省大气污染防治条例 and the Henan cities' 条例 that
implement it (../shared/corpus/laws/河南地方法规). Prints the time of the whole command (one process)
and the per-child figures. Usage: python benchmarks/siblings_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HENAN = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws" / "河南地方法规" / "地方性法规" / "河南"


def main() -> int:
    parent = HENAN / "河南省大气污染防治条例.md"
    children = sorted(p for p in HENAN.glob("*市大气污染防治条例*.md"))
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "policydiff.cli", "siblings", str(parent), *map(str, children)],
                         capture_output=True, text=True, check=True).stdout
    took = time.perf_counter() - t
    print(f"siblings: 1 parent × {len(children)} children in {took:.1f} s (one process)")
    print("\n".join(out.splitlines()[:len(children) + 4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
