"""The bad-input table: whatever users download goes through every command, and gets a correct
result or one clear line on stderr with exit 2 — never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import SD17, SD17T

PLAN = SD17.read_text(encoding="utf-8")
COMMANDS = ("outline", "compare", "report", "coverage")


@dataclass
class Row:
    name: str
    make: Callable[[Path], Path]  # writes the bad file into a folder, returns its path
    error: str | None = None  # expected stderr text (exit 2), or None for a correct result
    check: Callable[[str, object], None] | None = None  # (command, result) → asserts


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        p = folder / name
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return p

    return make


def _dir(folder: Path) -> Path:
    p = folder / "plans"
    p.mkdir()
    return p


def _same_outline(cmd, res):
    if cmd == "outline":
        data = json.loads(res.stdout)
        assert data["document"]["doc_number"] == "鲁政办发〔2017〕39号"
        assert [n["path"] for n in data["outline"]] == ["0", "1", "2", "3", "4", "5", "6"]
    elif cmd == "compare":
        assert json.loads(res.stdout)["summary"]["dropped"] == 0


def _paragraphs(cmd, res):
    if cmd == "outline":
        data = json.loads(res.stdout)
        assert [n["kind"] for n in data["outline"]] == ["paragraph", "paragraph"]
        assert data["outline"][1]["sentences"][0]["text"] == "各部门要及时公开预算执行情况。"


def _skips_and_repeats(cmd, res):
    if cmd == "outline":
        paths = [n["path"] for n in json.loads(res.stdout)["outline"]]
        assert paths == ["2", "4"]
        kids = [c["path"] for c in json.loads(res.stdout)["outline"][1]["children"]]
        assert kids == ["4.3", "4.3~2"]


def _mid_sentence_number(cmd, res):
    if cmd == "outline":
        data = json.loads(res.stdout)
        first = data["outline"][0]["children"]
        assert [c["path"] for c in first] == ["1.1", "1.2"]
        texts = [s["text"] for s in first[0]["sentences"]]
        assert "各单位按照第（二）项规定的程序执行。" in texts


def _html(cmd, res):
    if cmd == "outline":
        data = json.loads(res.stdout)
        texts = [s["text"] for n in data["outline"] for c in [n, *n["children"]] for s in c["sentences"]]
        assert "公开预算执行情况。" in texts
        assert not any("网站首页" in t or "版权所有" in t or "function" in t for t in texts)


def _minimal_pdf_without_text() -> bytes:
    from .test_ingest import _minimal_pdf

    return _minimal_pdf(b"0 0 m 10 10 l S")


HTML = ("<html><head><script>function x(){}</script><style>p{}</style></head><body>"
        "<div class='nav'><nav><a href='/'>网站首页</a> | <a>政务公开</a></nav></div>"
        "<h2>2021年某市政务公开工作要点</h2><p>一、重点任务</p><p>（一）推进预算公开。公开预算执行情况。</p>"
        "<footer>版权所有 某市人民政府</footer></body></html>")
NO_NUMBERING = "某区政务公开工作安排\n今年要全面推进政务公开工作，提高透明度。\n各部门要及时公开预算执行情况。\n"
SKIPS = "二、总体要求\n做好公开工作。\n四、重点任务\n（三）推进预算公开。公开预算。\n（三）推进决算公开。公开决算。\n"
MID = ("一、重点任务\n（一）推进公开。各单位按照第（二）项规定的程序执行。\n（二）加强解读。做好解读。\n")

ROWS = [
    Row("missing", lambda f: f / "nope.txt", "no such file"),
    Row("directory", _dir, "is a directory"),
    Row("empty", _write("empty.txt", b""), "file is empty"),
    Row("whitespace", _write("blank.txt", "  \n\t\n\u3000\n"), "no text"),
    Row("png", _write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "binary file (a PNG image)"),
    Row("utf8-bom", _write("bom.txt", b"\xef\xbb\xbf" + PLAN.encode("utf-8")), None, _same_outline),
    Row("gb18030", _write("gbk.txt", PLAN.encode("gb18030")), None, _same_outline),
    Row("big5", _write("big5.txt", SD17T.read_text(encoding="utf-8").encode("cp950", errors="replace")), None,
        _same_outline),
    Row("utf16-bom", _write("utf16.txt", PLAN.encode("utf-16")), None, _same_outline),
    Row("crlf", _write("crlf.txt", PLAN.replace("\n", "\r\n")), None, _same_outline),
    Row("cr", _write("cr.txt", PLAN.replace("\n", "\r")), None, _same_outline),
    Row("no-numbering", _write("plain.txt", NO_NUMBERING), None, _paragraphs),
    Row("numbering-skips-repeats", _write("skips.txt", SKIPS), None, _skips_and_repeats),
    Row("numbering-mid-sentence", _write("mid.txt", MID), None, _mid_sentence_number),
    # a PDF line break right before the reference: "（二）项" at a line start is still no item
    Row("numbering-after-line-break", _write("mid2.txt", MID.replace("按照第（二）项", "按照第\n（二）项")), None,
        _mid_sentence_number),
    Row("truncated-docx", _write("cut.docx", b"PK\x03\x04\x14\x00\x00\x00broken"), "not a valid .docx"),
    Row("scanned-pdf", lambda f: _write("scan.pdf", _minimal_pdf_without_text())(f), "no text layer"),
    Row("html-clutter", _write("page.html", HTML), None, _html),
]


def _args(cmd: str, bad: Path, tmp: Path) -> list:
    if cmd == "outline":
        return ["outline", bad, "--format", "json"]
    if cmd == "compare":
        return ["compare", SD17, bad, "--format", "json"]
    if cmd == "report":
        return ["report", SD17, bad, "-o", tmp / "out" / "r.html"]
    return ["coverage", SD17, bad, "--format", "csv"]


@pytest.mark.parametrize("cmd", COMMANDS)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_bad_input_table(tmp_path, cli, row, cmd):
    bad = row.make(tmp_path)
    res = cli(*_args(cmd, bad, tmp_path))
    assert "Traceback" not in res.stderr
    if row.error:
        assert res.exit_code == 2, (res.stdout, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and row.error in lines[0] and bad.name in lines[0]
    else:
        assert res.exit_code == 0, res.stderr
        if row.check:
            row.check(cmd, res)


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory):
    """A 10 MB plan: the Shandong body repeated."""
    body = PLAN.split("2017年山东省政务公开工作要点\n2017年全省", 1)[1]
    reps = 10_000_000 // len(body.encode("utf-8")) + 1
    p = tmp_path_factory.mktemp("big") / "big.txt"
    p.write_text(PLAN + ("\n" + body) * reps, encoding="utf-8")
    return p


@pytest.mark.parametrize("cmd", COMMANDS)
def test_ten_megabyte_plan_finishes(tmp_path, cli, big_plan, cmd):
    assert big_plan.stat().st_size >= 10_000_000
    res = cli(*_args(cmd, big_plan, tmp_path))
    assert res.exit_code == 0, res.stderr
    if cmd == "outline":
        data = json.loads(res.stdout)
        assert data["document"]["sentences"] > 60_000
    if cmd == "compare":
        data = json.loads(res.stdout)
        assert data["summary"]["dropped"] == 0 and data["summary"]["added"] > 60_000


@pytest.mark.parametrize("cmd", ("compare", "report", "coverage"))
def test_same_file_as_parent_and_child(tmp_path, cli, cmd):
    args = _args(cmd, SD17, tmp_path)
    res = cli(*args)
    assert res.exit_code == 0 and "same file" in res.stderr
    if cmd == "compare":
        assert {p["relation"] for p in json.loads(res.stdout)["pairs"]} == {"copied"}


@pytest.mark.parametrize("cmd", ("compare", "report", "coverage"))
def test_swapped_parent_and_child_hint(tmp_path, cli, cmd):
    from .conftest import LC17

    args = [a if a != SD17 else LC17 for a in _args(cmd, SD17, tmp_path)]
    args[args.index(LC17) + 1] = SD17
    res = cli(*args)
    assert res.exit_code == 0 and "did you swap them" in res.stderr


def test_internal_errors_are_one_line_and_debug_shows_traceback(cli, monkeypatch):
    import policydiff.segment

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(policydiff.segment, "segment", boom)
    res = cli("outline", SD17)
    assert res.exit_code == 3 and res.stderr.strip().splitlines() == [
        "policydiff: internal error: RuntimeError: kaboom (run with --debug for the traceback)"]
    from click.testing import CliRunner

    from policydiff.cli import main

    res = CliRunner().invoke(main, ["--debug", "outline", str(SD17)])
    assert isinstance(res.exception, RuntimeError)
