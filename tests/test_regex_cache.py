"""The command keeps compiled patterns between runs; what it prints must not depend on the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIR = (ROOT / "data" / "shandong-2017-province.txt", ROOT / "data" / "liaocheng-2017-city.md")
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"


def _command(cache_home: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "policydiff.cli", *map(str, args)], capture_output=True,
                          env=env, cwd=ROOT, timeout=300)


def _cache(cache_home: Path) -> Path:
    (found,) = (cache_home / "policydiff").glob("regex-*.json")
    return found


def test_cold_and_warm_cache_give_the_same_bytes(tmp_path):
    cold = _command(tmp_path, "compare", *PAIR, "--format", "json")
    assert cold.returncode == 0, cold.stderr
    cache = _cache(tmp_path)
    entries = json.loads(cache.read_text(encoding="utf-8"))
    assert len(entries) > 100  # the rules' patterns, kept
    stamp = cache.stat().st_mtime_ns
    warm = _command(tmp_path, "compare", *PAIR, "--format", "json")
    assert warm.returncode == 0 and warm.stdout == cold.stdout and warm.stderr == cold.stderr
    assert cache.stat().st_mtime_ns == stamp  # nothing new to keep: not written again
    # another path through the code (the HTML report) adds its patterns, and keeps the others
    html = _command(tmp_path, "compare", *PAIR, "--format", "html")
    assert html.returncode == 0
    assert set(entries) < set(json.loads(cache.read_text(encoding="utf-8")))


def test_a_damaged_cache_is_compiled_afresh(tmp_path):
    want = _command(tmp_path, "compare", *PAIR, "--format", "json")
    cache = _cache(tmp_path)
    entries = json.loads(cache.read_text(encoding="utf-8"))
    for key in list(entries)[::2]:  # half the programs cut short: the engine refuses them
        entries[key][1] = entries[key][1][:3]
    cache.write_text(json.dumps(entries), encoding="utf-8")
    got = _command(tmp_path, "compare", *PAIR, "--format", "json")
    assert got.returncode == 0 and got.stdout == want.stdout and got.stderr == want.stderr
    cache.write_text("{not json", encoding="utf-8")
    got = _command(tmp_path, "compare", *PAIR, "--format", "json")
    assert got.returncode == 0 and got.stdout == want.stdout
    assert len(json.loads(cache.read_text(encoding="utf-8"))) > 100  # rewritten whole


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")  # XDG_CACHE_HOME/policydiff cannot be made
    got = _command(blocked, "compare", *PAIR, "--format", "json")
    want = _command(tmp_path / "ok", "compare", *PAIR, "--format", "json")
    assert got.returncode == 0 and got.stdout == want.stdout and got.stderr == b""


def test_every_cached_pattern_is_the_pattern_re_compiles(tmp_path):
    """Through the cache, each pattern the command used has re's flags, groups and matches."""
    args = ["compare", *PAIR, "--format", "html"]
    if LINEAGE.is_dir():
        args = ["coverage", LINEAGE / "province-henan-2017-daqi-wuran-fangzhi-tiaoli.txt",
                LINEAGE / "city-zhoukou-2020-daqi-wuran-fangzhi-tiaoli.txt"]
    assert _command(tmp_path, *args).returncode == 0
    assert _command(tmp_path, "compare", *PAIR, "--format", "html").returncode == 0
    text = "".join(p.read_text(encoding="utf-8")[:4000] for p in PAIR)
    check = (
        "import json, re, sys\n"
        "from policydiff import regex_cache\n"
        "entries = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "text = open(sys.argv[2], encoding='utf-8').read()\n"
        "fresh = re._compiler.compile\n"
        "assert regex_cache.install()\n"
        "bad = []\n"
        "for key in entries:\n"
        "    flags, pattern = key.split('\\x00', 1)\n"
        "    mine = re._compiler.compile(pattern, int(flags))\n"
        "    theirs = fresh(pattern, int(flags))\n"
        "    same = (mine.flags, mine.groups, mine.groupindex) == (theirs.flags, theirs.groups, theirs.groupindex)\n"
        "    if not same or [m.span() for m in mine.finditer(text)] != [m.span() for m in theirs.finditer(text)]:\n"
        "        bad.append(pattern)\n"
        "print(len(entries), bad)\n"
    )
    sample = tmp_path / "sample.txt"
    sample.write_text(text, encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", check, str(_cache(tmp_path)), str(sample)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    n, bad = res.stdout.split(" ", 1)
    assert int(n) > 150 and bad.strip() == "[]"
