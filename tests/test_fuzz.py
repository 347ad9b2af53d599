"""Fuzz target for the normalizer and segmenter: long hypothesis runs, not in CI's default run.

Run: make fuzz   (or: pytest -m slow tests/test_fuzz.py --hypothesis-seed=N)
Each example is arbitrary text mixed with the pieces plans are made of (numbering markers,
brackets, responsibility notes, Markdown, tabs, CR/LF, full-width forms); the properties are
that nothing crashes and segmentation stays lossless.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.errors import InputError

from .conftest import assert_lossless

PIECES = ["一、", "（一）", "(二)", "1.", "（1）", "①", "第一条", "。", "；", "，", "（", "）", "(", ")",
          "（省财政厅牵头落实）", "责任单位：", "#", "## ", "**", "---", "\t", "\n", "\r\n", "\r", "\u3000", " ",
          "附件", "抄送：", "〔2017〕", "号", "２０１７", "年", "省", "市", "各县（市、区）", "[bookmark: _GoBack]",
          "“", "”", "《", "》", "乾", "著", "臺灣", "\ufeff", "\x00"]
text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
@given(text)
def test_normalize_and_segment_never_crash_and_stay_lossless(sample):
    try:
        doc = policydiff.load(sample)
    except InputError:
        return  # empty or blank text: refused with a clear error, which is right
    assert_lossless(doc)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(text, text)
def test_compare_never_crashes(a, b):
    try:
        cmp = policydiff.compare(a, b)
    except InputError:
        return
    assert len({p.parent.id for p in cmp.pairs if p.parent}) == len(cmp.parent.sentences)
    assert len({p.child.id for p in cmp.pairs if p.child}) == len(cmp.child.sentences)
