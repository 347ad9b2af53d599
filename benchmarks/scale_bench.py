"""Whole-process scaling of `policydiff compare` on generated plans of many items.

Plans of N items (parts 一、… of 50 numbered items, one or two clauses each, every clause with
its own content words) and a child that mostly corresponds (jurisdiction words localized, 5 %
dropped, 5 % added, 10 % reworded). Prints, for each size, the median wall time and peak memory
of the process, and the growth exponent between consecutive sizes (log time ratio / log 2).

Also the long-clause cases: a 20,000-character single-clause pair, the same pair identical, and a
1 MB one-line plan against a copy of itself.

Usage: python benchmarks/scale_bench.py [--sizes 2500 5000 10000 20000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("农村人居环境 营商环境 重点项目 文旅融合 安全生产 城市更新 医疗保障 生态环境 乡村振兴 "
         "数字政府 公共法律 养老服务 住房公积金 教育督导 食品安全 水利工程 交通运输 退役军人 "
         "科技创新 普惠金融 就业创业 社会救助 文物保护 应急管理 林业草原 农田水利 电子证照 "
         "政务服务 信用评价 行政审批 知识产权 市场监管 统计调查 人才引进 气象灾害 海洋渔业").split()
VERBS = "加强 推进 完善 健全 落实 开展 建立 强化 规范 深化 优化 提升".split()
CN = "零一二三四五六七八九"


def han(n: int) -> str:
    """1 → 一, 23 → 二十三, 405 → 四百零五 (what the outline grammar reads)."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + han(rest) if rest < 10 else (("一" if rest < 20 else "") + han(rest)))
    return CN[n // 100] + "百" + tail


def clause(rng: random.Random, k: int) -> str:
    w = rng.sample(WORDS, 3)
    return (f"{rng.choice(VERBS)}{w[0]}和{w[1]}工作，省有关部门要在第{k}批{w[2]}试点中"
            f"{rng.choice(VERBS)}{rng.choice(WORDS)}机制，编号{rng.randrange(10**6):06d}")


def plans(n: int, seed: int = 7) -> tuple[str, str]:
    """A parent plan of ``n`` items and a child that mostly corresponds to it."""
    rng = random.Random(seed)
    parent, child = ["山东省某某工作方案"], ["聊城市某某工作方案"]
    for k in range(n):
        if k % 50 == 0:
            head = f"{han(k // 50 + 1)}、{rng.choice(WORDS)}"
            parent.append(head)
            child.append(head)
        body = "。".join(clause(rng, k * 3 + j) for j in range(1 + k % 2)) + "。"
        line = f"{k % 50 + 1}.{rng.choice(WORDS)}。{body}"
        r = rng.random()
        if r < 0.05:
            parent.append(line)  # dropped by the child
            continue
        parent.append(line)
        if r < 0.15:
            line = line.replace("加强", "强化").replace("推进", "推动").replace("工作", "任务")
        child.append(line.replace("省", "市"))
        if rng.random() < 0.05:
            child.append(f"{k % 50 + 1}.新增事项。{clause(rng, -k)}。")
    return "\n".join(parent) + "\n", "\n".join(child) + "\n"


def run(args: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident KB) of one policydiff process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        cmd = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name, sys.executable, "-m", "policydiff.cli", *args]
        subprocess.run(cmd, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        wall, kb = tf.read().split()
    return float(wall), int(kb)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-long", action="store_true", help="skip the long-clause cases")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        print("many items: compare --format json (whole process)")
        prev = first = None
        for n in args.sizes:
            p, c = plans(n)
            (d / "p.txt").write_text(p, encoding="utf-8")
            (d / "c.txt").write_text(c, encoding="utf-8")
            runs = [run(["compare", str(d / "p.txt"), str(d / "c.txt"), "--format", "json", "-o", str(d / "o.json")])
                    for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            mem = max(r[1] for r in runs) / 1024
            growth = "" if prev is None else \
                f"   growth exponent {math.log(wall / prev[1]) / math.log(n / prev[0]):4.2f}"
            print(f"  {n:>6} items  {wall:7.1f} s  peak {mem:7.0f} MB{growth}")
            prev = (n, wall)
            first = first or (n, wall)
        if first and prev and prev[0] != first[0]:
            print(f"  growth exponent {first[0]} → {prev[0]} items: "
                  f"{math.log(prev[1] / first[1]) / math.log(prev[0] / first[0]):4.2f} (1.0 = linear)")
        if args.no_long:
            return 0
        print("long clauses: compare --format json (whole process)")
        text = re.sub(r"[\s。；！？]", "", plans(400)[0])[:20000]
        (d / "a.txt").write_text("一、总体要求\n" + text + "。\n", encoding="utf-8")
        (d / "a2.txt").write_text("一、总体要求\n" + text + "。\n", encoding="utf-8")
        (d / "b.txt").write_text("一、总体要求\n" + text.replace("省", "市").replace("加强", "强化") + "。\n",
                                 encoding="utf-8")
        line = text
        while len(line.encode()) < 1_000_000:
            line += text
        (d / "mb.txt").write_text(line + "\n", encoding="utf-8")
        (d / "mb2.txt").write_text(line + "\n", encoding="utf-8")
        for name, a, b in (("20k-character clause pair", "a", "b"), ("20k-character clause, identical", "a", "a2"),
                           ("1 MB one-line plan vs itself", "mb", "mb2")):
            wall, kb = run(["compare", str(d / f"{a}.txt"), str(d / f"{b}.txt"), "--format", "json",
                            "-o", str(d / "o.json")])
            print(f"  {name:<34} {wall:7.1f} s  peak {kb / 1024:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
