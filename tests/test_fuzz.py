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
        doc = policydiff.parse(sample)
    except InputError:
        return  # empty or blank text: refused with a clear error, which is right
    assert_lossless(doc)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(text, text)
def test_compare_never_crashes(a, b):
    try:
        cmp = policydiff.compare(policydiff.parse(a), policydiff.parse(b))
    except InputError:
        return
    assert len({p.parent.id for p in cmp.pairs if p.parent}) == len(cmp.parent.sentences)
    assert len({p.child.id for p in cmp.pairs if p.child}) == len(cmp.child.sentences)


# --- manifests ------------------------------------------------------------------------------

GOOD_PATHS = ["p.txt", "c.txt", "./p.txt", "sub/../c.txt", "link.txt", "d.txt", "missing.txt"]
BAD_PATHS = ["../outside.txt", "/etc/passwd", "", " ", "p.txt\n", '"p.txt', 'c"x.txt', "-", "/dev/zero"]
GOOD_CELLS = ["", "某省", "聊城市", "鲁政办发〔2017〕39号", "Shandong, China", 'say "hi"']
BAD_CELLS = ['"', '""', ",", "\r", "\n", "\x00", "\ufeff", "town", "\x1b]0;x\x07"]


def _sometimes_bad(draw, good: list[str], bad: list[str], text: bool = False) -> str:
    """Mostly a good value, one time in eight a bad one: each bad one alone refuses the manifest."""
    if draw(st.integers(0, 7)) == 0:
        return draw(st.sampled_from(bad))
    if text and draw(st.booleans()):
        return draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6))
    return draw(st.sampled_from(good))


@st.composite
def manifests(draw) -> bytes:
    """A manifest CSV as bytes: odd encodings, quoting, stray quotes, repeats and parent cycles."""
    import csv
    import io

    n = draw(st.integers(1, 8))
    rows = []
    paths = GOOD_PATHS + BAD_PATHS
    for _ in range(n):
        path = _sometimes_bad(draw, GOOD_PATHS, BAD_PATHS)
        parent = draw(st.one_of(st.just(""), st.sampled_from(paths)))  # self-parents and cycles included
        level = _sometimes_bad(draw, ["province", "city", "district", "nation", ""], ["town", "省", "City"])
        year = _sometimes_bad(draw, ["2017", "2020", ""], ["²⁰¹⁷", "２０１７", "17", "二〇一七"])
        rows.append([path, level, _sometimes_bad(draw, GOOD_CELLS, BAD_CELLS, text=True), year,
                     _sometimes_bad(draw, GOOD_CELLS, BAD_CELLS, text=True), parent])
    header = draw(st.sampled_from([["path", "level", "region", "year", "doc_number", "parent"],
                                   ["PATH", "Level", "region", "year", "doc_number", "parent"],
                                   ["file", "level"], ["path"]]))
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    csv.writer(buf, quoting=quoting, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(
        [header, *rows])
    text = buf.getvalue()
    if draw(st.integers(0, 7)) == 0:  # a stray quote somewhere: an unterminated cell
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le"]))
    return text.encode(encoding, errors="replace")


def check_manifest(data: bytes, folder) -> None:
    """read_manifest returns confined, unique, acyclic entries, or refuses with an InputError."""
    import os

    from policydiff.corpus import read_manifest

    m = folder / "manifest.csv"
    m.write_bytes(data)
    from hypothesis import event

    try:
        entries = read_manifest(m)
    except InputError as exc:
        event(f"refused: {exc.problem.split(':')[-1].split('(')[0].strip()[:40]}")
        return
    event("read")
    root = os.path.realpath(folder)
    paths = [e.path for e in entries]
    assert len({os.path.realpath(p) for p in paths}) == len(paths)
    assert all(os.path.realpath(p).startswith(root + os.sep) for p in paths)
    parent = {e.path: e.parent for e in entries if e.parent}
    assert all(p in paths for p in parent.values())
    for p in paths:  # no cycles: every chain of parents ends
        seen = set()
        while p in parent:
            assert p not in seen
            seen.add(p)
            p = parent[p]


def make_manifest_folder(folder):
    """Plans the generated manifests name: three files, a symlink, a folder, one file outside."""
    import os

    folder.mkdir(parents=True)
    for name in ("p.txt", "c.txt", "d.txt"):
        (folder / name).write_text("一、任务\n（一）推进公开。\n", encoding="utf-8")
    (folder / "sub").mkdir()
    os.symlink("c.txt", folder / "link.txt")
    (folder.parent / "outside.txt").write_text("x", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def manifest_folder(tmp_path_factory):
    return make_manifest_folder(tmp_path_factory.mktemp("fuzz-manifest") / "plans")


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(manifests())
def test_manifest_reading_never_crashes(manifest_folder, data):
    check_manifest(data, manifest_folder)
