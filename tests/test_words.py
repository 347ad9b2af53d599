"""Word edits come from rjieba (jieba-rs); they must be jieba's own words, or every redline changes.

jieba stays a test dependency for this one comparison: on the samples and on the real documents
of the lineage corpus, every line is cut into the same words by both (HMM off, as classify uses).
"""

from __future__ import annotations

import logging
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
