"""Word edits come from rjieba (jieba-rs); they must be jieba's own words, or every redline changes.

jieba stays a test dependency for this one comparison: on the samples and on the real documents
of the lineage corpus, every line is cut into the same words by both (HMM off, as classify uses).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from policydiff.classify import edit_script, tokens

ROOT = Path(__file__).resolve().parent.parent
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"


def _lines(files: list[Path]) -> list[str]:
    return [ln.strip() for f in files for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize("where", ["samples", "lineage"])
def test_rjieba_cuts_every_line_as_jieba_does(where):
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    if where == "lineage" and not LINEAGE.is_dir():
        pytest.skip("../shared/corpus not present")
    files = sorted((ROOT / "data").glob("*-*.*")) if where == "samples" else sorted(LINEAGE.glob("*.txt"))
    lines = _lines(files)
    assert len(lines) > (400 if where == "samples" else 2500)  # the five samples; the 31 lineage documents
    differ = [ln for ln in lines if tokens(ln) != list(jieba.cut(ln, HMM=False))]
    assert differ == []


def test_word_edits_are_whole_words():
    edits = edit_script("加大省级教育督导报告发布力度", "加大市级教育督导报告公开力度")
    changed = [(e.old, e.new) for e in edits if e.op != "equal"]
    # jieba's words: 省级→市级 is a jurisdiction change, 发布→公开 a rewording (not 发→公, 布→开)
    assert ("省级", "市级") in changed and ("发布", "公开") in changed
    assert [e.localized for e in edits if e.op != "equal"] == [True, False]


def _sample_texts() -> list[str]:
    return _lines(sorted((ROOT / "data").glob("*-*.*")))


def test_the_preloaded_helper_cuts_the_same_words_as_this_process(monkeypatch):
    from policydiff import words

    texts = _sample_texts()
    want = {t: tokens(t) for t in texts}
    monkeypatch.setattr(words.os, "cpu_count", lambda: 2)
    monkeypatch.delitem(sys.modules, "rjieba")  # as in a fresh process: the dictionary is not built yet
    words.preload()
    helper = words._helper
    assert helper is not None  # a second core: the dictionary builds in another process
    got = words.cut_many(texts)
    assert helper.returncode == 0 and words._helper is None  # it answered, and is spent
    assert got == want
    assert all("".join(got[t]) == t for t in texts)  # a cut covers its text, word by word


def test_a_helper_that_died_gives_the_same_words_cut_here(monkeypatch):
    from policydiff import words

    texts = _sample_texts()[:50]
    want = {t: tokens(t) for t in texts}
    monkeypatch.setattr(words.os, "cpu_count", lambda: 2)
    monkeypatch.delitem(sys.modules, "rjieba")
    words.preload()
    words._helper.kill()
    words._helper.wait()
    assert words.cut_many(texts) == want
    assert words._helper is None


def test_one_core_cuts_in_this_process(monkeypatch):
    from policydiff import words

    monkeypatch.setattr(words.os, "cpu_count", lambda: 1)
    words.preload()
    assert words._helper is None  # on one core a second process only competes with this one
    text = "研究出台山东省公共资源交易目录"
    assert words.cut_many([text]) == {text: ["研究", "出台", "山东省", "公共资源", "交易", "目录"]}


@pytest.mark.parametrize("pair", [
    ("data/shandong-2017-province.txt", "data/liaocheng-2017-city.md"),
    ("lineage/national-china-2019-zhengfuxing-rongzi-danbao-zhidao-yijian.txt",
     "lineage/province-jiangxi-2020-zhengfuxing-rongzi-danbao-ruogan-cuoshi.txt"),
])
def test_the_command_with_its_helper_gives_the_library_words(pair):
    """`compare` preloads the dictionary in a helper process; its word edits are the library's."""
    import json

    import policydiff
    from tests.conftest import run_process

    paths = [ROOT / p if p.startswith("data/") else LINEAGE / p.removeprefix("lineage/") for p in pair]
    if not paths[0].exists():
        pytest.skip("../shared/corpus not present")
    res = run_process("compare", *paths, "--format", "json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    want = policydiff.compare(*paths).to_dict()
    assert got["pairs"] == want["pairs"]
    assert sum(1 for p in got["pairs"] if len(p.get("edits", ())) > 1) > 10  # reworded pairs carry word edits
