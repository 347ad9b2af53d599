"""Hostile input (issue 14): what an attacker or a careless user feeds policydiff.

Three tables, each run through every command a row applies to:
- ``PLAN_ROWS``: one bad plan file (or path) → outline, compare, report, coverage;
- ``MANIFEST_ROWS``: one bad manifest → corpus, graph (HTML and GraphML), trace;
- ``OUTPUT_ROWS``: one bad ``-o`` target → every command that writes a file.
Each row expects a correct result, or exit 2 with one line on stderr naming the file and the
problem; never a traceback, never exit 3. Single-item tests follow the tables.
"""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import policydiff
from policydiff.errors import InputError

from .conftest import LC17, SD17
from .test_bad_input import _write

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0

# Two small plans (a province and its city): fast enough to run a corpus per table row.
PROVINCE = ("2020年某省政务公开工作要点\n某省人民政府办公厅\n"
            "一、重点任务\n（一）推进决策公开。省财政厅要公开预算执行情况。各地要做好解读工作。\n"
            "（二）加强政策解读。做好政策解读，及时回应关切。\n（三）公开统计信息。加强统计信息公开。\n")
CITY = ("2020年某市政务公开工作要点\n某市人民政府办公室\n"
        "一、重点任务\n（一）推进决策公开。市财政局要公开预算执行情况。各地要做好解读工作。\n"
        "（二）加强政策解读。做好政策解读。\n（三）公开统计信息。加强统计信息公开。新增网格员制度。\n")
MANIFEST_HEAD = "path,level,region,year,doc_number,parent\n"


def _one_line_error(res, *needles: str) -> None:
    assert "Traceback" not in res.stderr
    assert res.exit_code == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])


# --- plans -----------------------------------------------------------------------------------

@dataclass
class PlanRow:
    name: str
    make: Callable[[Path], Path | str]
    error: str | None = None  # expected on the one stderr line (exit 2); None: a correct result
    shown: str | None = None  # how the file is named on that line (default: its name)
    check: Callable[[str, object], None] | None = None


def _fifo(folder: Path) -> Path:
    p = folder / "pipe.txt"
    os.mkfifo(p)
    return p


def _sparse(folder: Path) -> Path:
    p = folder / "huge.txt"
    with open(p, "wb") as fh:
        fh.truncate(101 * 1024 * 1024)  # sparse: no disk used, but larger than the read limit
    return p


@functools.cache
def _docx_bomb() -> bytes:
    """A .docx of about 200 KB whose one part inflates to 210 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(210):
                fh.write(block)
    return buf.getvalue()


@functools.cache
def _pdf_bomb() -> bytes:
    """A PDF of about 200 KB with one stream inflating to 210 MB."""
    body = zlib.compress(b"\0" * (210 << 20), 9)
    return (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + body + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\x9b31m\x08\x0c\x0b"
CONTROL_PLAN = PROVINCE.replace("推进决策公开。", f"推进决策{ESCAPES}公开。").replace("加强政策解读。", "加强政策\x0c解读。")


def _no_controls(cmd: str, res) -> None:
    for ch in ("\x1b", "\x07", "\x9b", "\x08", "\x0b", "\x0c"):
        assert ch not in res.stdout, (cmd, repr(ch))
    if cmd == "outline":  # the page break is a line break; the escapes' printable rest stays as text
        texts = [s["text"] for n in json.loads(res.stdout)["outline"] for c in [n, *n["children"]]
                 for s in c["sentences"]]
        assert "推进决策]0;pwned]52;c;ZWNobyBwd25lZA==31m公开。" in texts


PLAN_ROWS = [
    PlanRow("missing-no-extension", lambda f: f / "typo", "no such file"),  # D1: once taken as plan text
    PlanRow("missing-dash-name", lambda f: f / "-x", "no such file"),
    PlanRow("url", lambda f: "https://www.gov.cn/zhengce/plan", "no such file", "https://www.gov.cn"),
    PlanRow("newline-in-path", lambda f: f / "a\nb.txt", "no such file", "a\\nb.txt"),
    PlanRow("dev-zero", lambda f: Path("/dev/zero"), "not a regular file", "/dev/zero"),  # D11
    PlanRow("dev-urandom", lambda f: Path("/dev/urandom"), "not a regular file", "/dev/urandom"),
    PlanRow("fifo", _fifo, "not a regular file"),
    PlanRow("over-100MB", _sparse, "too large"),
    PlanRow("zero-width-only", _write("zw.txt", "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202e\n\u2066\u2069"),
            "no text"),  # D19
    PlanRow("docx-bomb", lambda f: _write("bomb.docx", _docx_bomb())(f), "inflate"),  # D8
    PlanRow("pdf-bomb", lambda f: _write("bomb.pdf", _pdf_bomb())(f), "inflate"),
    PlanRow("escape-sequences", _write("esc.txt", CONTROL_PLAN), None, None, _no_controls),  # S5, D7
]
PLAN_COMMANDS = ("outline", "compare", "report", "coverage", "suspects")


def _plan_args(cmd: str, bad, tmp: Path) -> list:
    if cmd == "outline":
        return ["outline", bad, "--format", "json"]
    if cmd == "compare":
        return ["compare", SD17, bad]  # text: what a terminal shows
    if cmd == "report":
        return ["report", SD17, bad, "-o", tmp / "out" / "r.html"]
    if cmd == "suspects":
        return ["suspects", SD17, SD17, bad]
    return ["coverage", SD17, bad]


@pytest.mark.parametrize("cmd", PLAN_COMMANDS)
@pytest.mark.parametrize("row", PLAN_ROWS, ids=lambda r: r.name)
def test_hostile_plan_table(tmp_path, cli, row, cmd):
    bad = row.make(tmp_path)
    start = time.monotonic()
    res = cli(*_plan_args(cmd, bad, tmp_path))
    assert time.monotonic() - start < 60
    if row.error:
        _one_line_error(res, row.error, row.shown or Path(bad).name)
    else:
        assert res.exit_code == 0 and "Traceback" not in res.stderr, res.stderr
        if row.check:
            row.check(cmd, res)


def test_load_takes_paths_and_parse_takes_text(tmp_path):  # D1
    with pytest.raises(InputError, match="typo: no such file"):
        policydiff.load(tmp_path / "typo")
    with pytest.raises(InputError, match="no such file"):
        policydiff.load("一、总体要求\n（一）推进公开。\n")
    with pytest.raises(TypeError, match="parse"):
        policydiff.load(policydiff.parse(PROVINCE))
    doc = policydiff.parse(PROVINCE, path="province")
    assert doc.path == "province" and doc.sentences
    cmp = policydiff.compare(doc, policydiff.parse(CITY))
    assert cmp.summary["localized"] >= 1
    assert policydiff.compare(Path(SD17), str(LC17)).summary["copied"] > 100  # path-like objects


def test_dash_reads_the_plan_from_stdin(cli):
    from click.testing import CliRunner

    from policydiff.cli import main

    res = CliRunner().invoke(main, ["outline", "-", "--format", "json"], input=PROVINCE.encode("gb18030"))
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["document"]["title"] == "2020年某省政务公开工作要点"
    res = CliRunner().invoke(main, ["compare", str(SD17), "-", "--format", "json"], input=SD17.read_bytes())
    assert res.exit_code == 0 and {p["relation"] for p in json.loads(res.stdout)["pairs"]} == {"copied"}
    res = CliRunner().invoke(main, ["compare", "-", "-"], input=PROVINCE)
    _one_line_error(res, "standard input")


def test_encoding_must_be_a_text_encoding(cli, tmp_path):  # D18
    p = tmp_path / "esc.txt"
    p.write_bytes(PROVINCE.encode("utf-8") + b"\\ud800\\udfff")
    for enc, problem in (("unicode_escape", "not a text encoding"), ("rot13", "not a text encoding"),
                         ("base64", "not a text encoding"), ("no-such-codec", "unknown encoding")):
        for args in (["outline", p], ["compare", SD17, p], ["coverage", SD17, p]):
            _one_line_error(cli(*args, "--encoding", enc), problem, enc)
    assert cli("outline", p, "--encoding", "gbk").exit_code == 2  # not GBK either: one clear line


def test_controls_never_reach_xlsx_or_graphml(cli, tmp_path):  # D7
    from openpyxl import load_workbook

    plan = tmp_path / "child.txt"
    plan.write_text(CONTROL_PLAN, encoding="utf-8")
    out = tmp_path / "cov.xlsx"
    res = cli("coverage", SD17, plan, "-o", out)
    assert res.exit_code == 0, res.stderr
    assert load_workbook(out).active.max_row > 1
    (tmp_path / "p.txt").write_text(CONTROL_PLAN, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "p.txt,province,某\x0c省\x1b,2020,,\nc.txt,city,某市,2020,,p.txt\n",
                                    encoding="utf-8")
    res = cli("graph", "-m", tmp_path / "m.csv", "-o", tmp_path / "g.graphml", "--jobs", "1")
    assert res.exit_code == 0, res.stderr
    import networkx as nx

    g = nx.read_graphml(tmp_path / "g.graphml")
    assert any(d.get("region") == "某省" for _, d in g.nodes(data=True))


# --- manifests -------------------------------------------------------------------------------

@dataclass
class ManifestRow:
    name: str
    manifest: str | bytes | Callable[[Path], str | bytes]  # text (UTF-8), bytes, or made in the folder
    error: str | None = None
    note: str | None = None  # expected on stderr for a correct result (exit 0)
    allow_outside: bool = False


def _outside(folder: Path) -> str:
    (folder.parent / "elsewhere.txt").write_text(CITY, encoding="utf-8")
    return MANIFEST_HEAD + "p.txt,province,,,,\n../elsewhere.txt,city,,,,\n"


def _symlink_out(folder: Path) -> str:
    (folder.parent / "secret.txt").write_text(CITY, encoding="utf-8")
    os.symlink(folder.parent / "secret.txt", folder / "link.txt")
    return MANIFEST_HEAD + "p.txt,province,,,,\nlink.txt,city,,,,\n"


def _spellings(folder: Path) -> str:
    os.link(folder / "c.txt", folder / "hard.txt")
    os.symlink("c.txt", folder / "soft.txt")
    sub = folder / "sub"
    sub.mkdir()
    return MANIFEST_HEAD + ("p.txt,province,,,,\nc.txt,city,,,,p.txt\n./c.txt,city,,,,\nsub/../c.txt,,,,,\n"
                            "hard.txt,,,,,\nsoft.txt,,,,,./p.txt\n")


MANIFEST_ROWS = [
    ManifestRow("plain", MANIFEST_HEAD + "p.txt,province,某省,2020,,\nc.txt,city,某市,2020,,p.txt\n"),
    # S4: confined to the manifest's folder
    ManifestRow("dotdot", _outside, "outside the manifest's folder"),
    ManifestRow("dotdot-allowed", _outside, None, allow_outside=True),
    ManifestRow("absolute", MANIFEST_HEAD + "p.txt,,,,,\n/etc/passwd,,,,,\n", "line 3: path /etc/passwd is outside"),
    ManifestRow("parent-outside", MANIFEST_HEAD + "c.txt,,,,,/etc/hostname\n", "parent /etc/hostname is outside"),
    ManifestRow("symlink-out", _symlink_out, "line 3: path link.txt is outside"),
    # D2: the same plan twice
    ManifestRow("duplicate-row", MANIFEST_HEAD + "p.txt,,,,,\nc.txt,,,,,\np.txt,,,,,\n", None, "line 4"),
    ManifestRow("many-spellings", _spellings, None, "same plan as line 3"),
    ManifestRow("10000-rows", MANIFEST_HEAD + "p.txt,,,,,\n" + "c.txt,,,,,\n" * 10_000, None, "more"),
    # D3: cycles
    ManifestRow("self-parent", MANIFEST_HEAD + "p.txt,,,,,p.txt\nc.txt,,,,,\n", "line 2: a plan cannot be its own parent"),
    ManifestRow("cycle", MANIFEST_HEAD + "p.txt,,,,,c.txt\nc.txt,,,,,p.txt\n", "lines 2, 3: parents form a cycle"),
    ManifestRow("unknown-parent", MANIFEST_HEAD + "c.txt,,,,,x.txt\n", "line 2: parent x.txt is not in the manifest"),
    # D4: encodings and sizes
    ManifestRow("gbk", (MANIFEST_HEAD + "p.txt,province,某省,2020,,\nc.txt,city,某市,2020,,p.txt\n").encode("gbk")),
    ManifestRow("utf16", (MANIFEST_HEAD + "p.txt,province,某省,2020,,\nc.txt,city,某市,2020,,p.txt\n").encode("utf-16")),
    ManifestRow("utf8-bom-crlf", ("\ufeff" + MANIFEST_HEAD + "p.txt,province,某省,,,\r\nc.txt,city,某市,,,\r\n").encode()),
    ManifestRow("huge-cell", MANIFEST_HEAD + "p.txt,," + "某" * 140_000 + ",,,\n", "line 2: a cell is longer"),
    ManifestRow("binary", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary file"),
    ManifestRow("empty", b"", "manifest is empty"),
    ManifestRow("header-only", MANIFEST_HEAD, "no rows"),
    # D5, D6
    ManifestRow("superscript-year", MANIFEST_HEAD + "p.txt,,,²⁰¹⁷,,\n", "line 2: year '²⁰¹⁷'"),
    ManifestRow("unterminated-quote", MANIFEST_HEAD + 'p.txt,,"某省,,,\nc.txt,,,,,\nz.txt,,,,,\n',
                "line 2: a quoted cell runs over 3 lines"),
    # D11: rows naming devices
    ManifestRow("dev-zero-row", MANIFEST_HEAD + "/dev/zero,,,,,\n", "/dev/zero: is not a regular file", allow_outside=True),
    ManifestRow("fifo-row", lambda f: (os.mkfifo(f / "fifo.txt"), MANIFEST_HEAD + "fifo.txt,,,,,\n")[1],
                "fifo.txt: is not a regular file"),
]
MANIFEST_COMMANDS = ("corpus", "graph-html", "graph-graphml", "trace", "versions")


def _manifest_args(cmd: str, m: Path, tmp: Path) -> list:
    base = {"corpus": ["corpus"], "graph-html": ["graph", "-o", tmp / "out" / "g.html"],
            "graph-graphml": ["graph", "-o", tmp / "out" / "g.graphml"], "trace": ["trace", "加强统计信息公开"], "versions": ["versions"]}[cmd]
    return [*base, "-m", m, "--jobs", "1"]


@pytest.mark.parametrize("cmd", MANIFEST_COMMANDS)
@pytest.mark.parametrize("row", MANIFEST_ROWS, ids=lambda r: r.name)
def test_hostile_manifest_table(tmp_path, cli, row, cmd):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (folder / "c.txt").write_text(CITY, encoding="utf-8")
    content = row.manifest(folder) if callable(row.manifest) else row.manifest
    m = folder / "manifest.csv"
    m.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    args = _manifest_args(cmd, m, tmp_path) + (["--allow-outside"] if row.allow_outside else [])
    start = time.monotonic()
    res = cli(*args)
    assert time.monotonic() - start < 60
    if row.error:
        _one_line_error(res, row.error)
        assert "manifest.csv" in res.stderr or row.error.split(":")[0] in res.stderr
        assert not (tmp_path / "out").exists()
    else:
        assert res.exit_code == 0 and "Traceback" not in res.stderr, res.stderr
        if row.note:
            assert row.note in res.stderr
            assert len(res.stderr.splitlines()) <= 8  # 10,000 repeats are not 10,000 lines
        if cmd == "graph-html":
            html = (tmp_path / "out" / "g.html").read_text(encoding="utf-8")
            assert html.count('"name":') == 2  # every plan once, none dropped
        if cmd == "trace":
            assert "加强统计信息公开" in res.stdout


def test_manifest_parents_spelled_differently_resolve_to_the_kept_row(tmp_path):
    from policydiff.corpus import read_manifest

    folder = tmp_path
    (folder / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (folder / "c.txt").write_text(CITY, encoding="utf-8")
    m = folder / "m.csv"
    m.write_text(MANIFEST_HEAD + "p.txt,,,,,\n./p.txt,,,,,\nc.txt,,,,,./sub/../p.txt\n", encoding="utf-8")
    (folder / "sub").mkdir()
    entries = read_manifest(m)
    assert [Path(e.path).name for e in entries] == ["p.txt", "c.txt"]
    assert entries[1].parent == entries[0].path


def test_the_same_file_twice_on_the_command_line(cli, tmp_path):  # D2
    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    os.chdir(tmp_path)
    res = cli("corpus", "p.txt", "./p.txt", str(tmp_path / "p.txt"), "c.txt", "--jobs", "1", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert [p["path"] for p in json.loads(res.stdout)["plans"]] == ["p.txt", "c.txt"]
    assert "same plan" in res.stderr


def test_trace_terminates_on_a_cycle_from_any_source(tmp_path):  # D3: the guard behind the manifest check
    from policydiff.corpus import Corpus, Discovery

    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(PROVINCE.replace("省", "市"), encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "p.txt,province,,,,\nc.txt,city,,,,p.txt\n", encoding="utf-8")
    corpus = Corpus.from_manifest(tmp_path / "m.csv", jobs=1)
    p, c = str(tmp_path / "p.txt"), str(tmp_path / "c.txt")
    r = corpus.results[(p, c)]
    from policydiff.corpus import PairResult

    corpus.results[(c, p)] = PairResult(c, p, r.summary, tuple((a, b, s, y, x) for a, b, s, x, y in r.pairs), 1.0)
    corpus.discoveries[p] = Discovery(p, c, 1.0, 1.0, True, "manifest")
    from policydiff.graph import build_graph

    corpus.graph = build_graph(corpus)
    done = {}
    t = threading.Thread(target=lambda: done.setdefault("r", corpus.trace("加强统计信息公开")), daemon=True)
    t.start()
    t.join(20)
    assert "r" in done, "trace loops on a parent cycle"
    from policydiff.graph import graph_html

    html = graph_html(corpus)
    data = json.loads(html.split('id="data">', 1)[1].split("</script>", 1)[0])
    assert [d["parent"] for d in data["docs"]] == [None, p]  # both drawn: the cycle cut above p.txt
    assert [(e["parent"], e["child"]) for e in data["edges"]] == [(p, c)]


# --- outputs ---------------------------------------------------------------------------------

WRITERS = {
    "outline": lambda o: ["outline", SD17, "-o", o],
    "compare": lambda o: ["compare", SD17, LC17, "-o", o],
    "report": lambda o: ["report", SD17, LC17, "-o", o],
    "coverage": lambda o: ["coverage", SD17, LC17, "-o", o],
    "corpus": lambda o: ["corpus", SD17, LC17, "--jobs", "1", "-o", o],
    "graph": lambda o: ["graph", SD17, LC17, "--jobs", "1", "-o", o],
    "trace": lambda o: ["trace", "加强统计信息公开", SD17, LC17, "--jobs", "1", "-o", o],
}
EXT = {"outline": ".json", "compare": ".json", "report": ".html", "coverage": ".csv", "corpus": ".json",
       "graph": ".json", "trace": ".json"}


@dataclass
class OutputRow:
    name: str
    target: Callable[[Path, str], str]  # (folder, extension) → the -o argument
    error: str | None = None
    check: Callable[[Path, str], None] | None = None  # (folder, target) after a successful run
    umask: int | None = None
    skip: tuple[str, ...] = ()  # commands the row does not apply to


def _chardev_kept(folder: Path, target: str) -> None:
    """The device is still a device (not a regular file put in its place)."""
    st = os.stat(target)
    assert stat.S_ISCHR(st.st_mode), f"{target} was replaced by a regular file"


def _existing(mode: int) -> Callable[[Path, str], str]:
    def make(folder: Path, ext: str) -> str:
        p = folder / f"old{ext}"
        p.write_text("old", encoding="utf-8")
        os.chmod(p, mode)
        return str(p)

    return make


def _mode(expected: int) -> Callable[[Path, str], None]:
    def check(folder: Path, target: str) -> None:
        assert stat.S_IMODE(os.stat(target).st_mode) == expected
        assert Path(target).read_bytes() != b"old"

    return check


def _link_to(name: str, minor: int) -> Callable[[Path, str], str]:
    """A symlink (the /dev/stdout kind) to the device that :func:`_device` gives."""

    def make(folder: Path, ext: str) -> str:
        device = _device(name, minor)(folder, ".dev")
        os.symlink(device, folder / f"link-{name}{ext}")
        return str(folder / f"link-{name}{ext}")

    return make


def _link_kept(folder: Path, target: str) -> None:
    assert os.path.islink(target) and stat.S_ISCHR(os.stat(target).st_mode)


def _device(name: str, minor: int) -> Callable[[Path, str], str]:
    """/dev/null or /dev/full. As root, a private copy of the device in the test folder: a
    regression (or the code before the fix) would replace the real /dev/null with a file, for
    the whole machine."""

    def make(folder: Path, ext: str) -> str:
        if not ROOT_USER:
            return f"/dev/{name}"
        p = folder / f"{name}{ext}"
        try:
            os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        except OSError as exc:
            pytest.skip(f"cannot make a device node here ({exc.strerror})")
        return str(p)

    return make


OUTPUT_ROWS = [
    OutputRow("dev-null", _device("null", 3), None, _chardev_kept),  # S2
    OutputRow("symlink-to-dev-null", _link_to("null", 3), None, _link_kept),
    OutputRow("dev-full", _device("full", 7), "cannot write (No space left on device)"),  # D12
    OutputRow("symlink-to-dev-full", _link_to("full", 7), "cannot write (No space left on device)"),
    OutputRow("name-too-long", lambda f, e: str(f / ("长" * 200 + e)), "cannot write (File name too long)"),
    OutputRow("existing-0600", _existing(0o600), None, _mode(0o600)),  # S3
    OutputRow("existing-0640", _existing(0o640), None, _mode(0o640)),
    OutputRow("read-only-0444", _existing(0o444), "is read-only"),
    OutputRow("new-file-umask-077", lambda f, e: str(f / f"new{e}"), None, _mode(0o600), umask=0o077),
    OutputRow("new-file-umask-022", lambda f, e: str(f / f"new{e}"), None, _mode(0o644), umask=0o022),
    OutputRow("empty-name", lambda f, e: "", "-o: empty file name"),  # D20
    OutputRow("trailing-slash", lambda f, e: str(f / "newdir") + "/", "names a folder"),  # D21
]


@pytest.mark.parametrize("cmd", list(WRITERS))
@pytest.mark.parametrize("row", OUTPUT_ROWS, ids=lambda r: r.name)
def test_hostile_output_table(tmp_path, cli, row, cmd):
    if cmd in row.skip:
        pytest.skip(f"{row.name} does not apply to {cmd}")
    target = row.target(tmp_path, EXT[cmd])
    before = Path(target).read_bytes() if target and os.path.isfile(target) else None
    old = os.umask(row.umask) if row.umask is not None else None
    try:
        res = cli(*WRITERS[cmd](target))
    finally:
        if old is not None:
            os.umask(old)
    if row.error:
        _one_line_error(res, row.error)
        if before is not None:
            assert Path(target).read_bytes() == before
        assert not (tmp_path / "newdir").exists()
    else:
        assert res.exit_code == 0, res.stderr
        if row.check:
            row.check(tmp_path, target)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".policydiff-")]


def test_output_into_a_fifo_is_written_not_replaced(cli, tmp_path):  # S2
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    got = {}

    def reader():
        with open(fifo, "rb") as fh:
            got["data"] = fh.read()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    res = cli("outline", SD17, "-o", fifo)
    t.join(30)
    assert res.exit_code == 0, res.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got["data"])["document"]["doc_number"] == "鲁政办发〔2017〕39号"


def test_file_too_large_for_the_limit_is_exit_2_with_the_path(tmp_path):  # D12: EFBIG
    import resource

    exe = Path(sys.executable).parent / "policydiff"
    out = tmp_path / "big.json"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    res = subprocess.run([str(exe), "outline", str(SD17), "-o", str(out)], capture_output=True, text=True,
                         preexec_fn=limit, timeout=120)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().splitlines() == [f"policydiff: error: {out}: cannot write (File too large)"]


@pytest.mark.parametrize("args, problem", [
    (["report", SD17, LC17, "-o", "x.pdf"], "cannot write .pdf"),
    (["coverage", SD17, LC17, "-o", "a.docx"], "cannot write .docx"),
    (["compare", SD17, LC17, "-o", "x.xlsx"], "cannot write .xlsx"),
    (["compare", SD17, LC17, "--format", "json", "-o", "x.csv"], "does not match --format json"),
    (["outline", SD17, "-o", "x.html"], "cannot write .html"),
    (["corpus", SD17, LC17, "-o", "x.xlsx"], "cannot write .xlsx"),
    (["trace", "q", SD17, "-o", "x.csv"], "cannot write .csv"),
    (["graph", SD17, LC17, "-o", "x.svg"], "must end in .html, .graphml or .json"),
])
def test_output_extension_must_match_the_format(cli, tmp_path, args, problem):  # D24
    os.chdir(tmp_path)
    _one_line_error(cli(*args), problem)
    assert os.listdir(tmp_path) == []


def test_sigterm_during_a_write_leaves_no_temp_file(tmp_path):  # D17
    script = tmp_path / "slow.py"
    script.write_text(
        "import sys, time, os\n"
        "import policydiff.output as out\n"
        "real = os.fdopen\n"
        "class Slow:\n"
        "    def __init__(self, fh): self.fh = fh\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *a): self.fh.close()\n"
        "    def write(self, data):\n"
        "        self.fh.write(data[:10]); self.fh.flush(); print('writing', flush=True); time.sleep(30)\n"
        "out.os.fdopen = lambda fd, mode: Slow(real(fd, mode)) if mode == 'wb' else real(fd, mode)\n"
        "from policydiff.cli import main\n"
        "main(['outline', sys.argv[1], '-o', sys.argv[2]])\n", encoding="utf-8")
    for sig in (signal.SIGTERM, signal.SIGHUP):
        out = tmp_path / "o" / "out.json"
        proc = subprocess.Popen([sys.executable, str(script), str(SD17), str(out)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"writing"
        assert [p.name for p in out.parent.iterdir()][0].startswith(".policydiff-")
        proc.send_signal(sig)
        proc.wait(30)
        assert proc.returncode == 128 + sig
        assert list(out.parent.iterdir()) == []


def test_stale_temp_files_of_ours_are_removed_on_the_next_write(cli, tmp_path):  # D17: after SIGKILL
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".policydiff-{dead.stdout.strip()}-abc.tmp"
    old = tmp_path / ".policydiff-old.tmp"
    mine = tmp_path / ".policydiff-notours.txt"
    for p in (stale, old, mine):
        p.write_text("x", encoding="utf-8")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    live = tmp_path / f".policydiff-{os.getpid()}-live.tmp"  # a write in progress in this process
    live.write_text("x", encoding="utf-8")
    assert cli("outline", SD17, "-o", tmp_path / "o.json").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, live.name, "o.json"])


def test_csv_files_get_a_bom_and_corpus_csv_has_no_nan_or_float_counts(cli, tmp_path):  # D24
    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "p.txt,province,某省,2020,,\nc.txt,city,某市,2020,,p.txt\n",
                                    encoding="utf-8")
    out = tmp_path / "out" / "corpus.csv"
    assert cli("corpus", "-m", tmp_path / "m.csv", "--jobs", "1", "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "nan" not in text.lower() and "<NA>" not in text
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(r[k] == "" or r[k].isdigit() for r in rows for k in ("year", "copied", "added"))  # not 127.0
    assert [r["path"] for r in rows] == ["p.txt", "c.txt"] and rows[1]["parent"] == "p.txt"
    assert rows[0]["copied"] == "" and rows[1]["copied"].isdigit() and rows[0]["year"] == "2020"
    res = cli("corpus", "-m", tmp_path / "m.csv", "--jobs", "1", "--format", "csv")
    assert not res.stdout.startswith("\ufeff")  # stdout is for programs: no BOM
    cov = tmp_path / "cov.csv"
    assert cli("coverage", SD17, LC17, "-o", cov).exit_code == 0 and cov.read_bytes().startswith(b"\xef\xbb\xbf")


# --- security, one by one ----------------------------------------------------------------------

def test_graph_html_links_cannot_run_script(cli, tmp_path):  # S1
    evil = tmp_path / "javascript:alert(1);x.txt"
    evil.write_text(CITY, encoding="utf-8")
    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + f'p.txt,province,,,,\n"{evil.name}",city,,,,p.txt\n',
                                    encoding="utf-8")
    for reports in ("", "javascript:alert(2)", "//evil.example", "r"):
        out = tmp_path / "g.html"
        res = cli("graph", "-m", tmp_path / "m.csv", "--jobs", "1", "-o", out, "--reports", reports)
        assert res.exit_code == 0, res.stderr
        html = out.read_text(encoding="utf-8")
        data = json.loads(html.split('id="data">', 1)[1].split("</script>", 1)[0])
        links = [e["report"] for e in data["edges"]]
        if not reports:  # no reports written: no links at all
            assert links == [""]
            continue
        assert links and all(link.startswith("./") and ":" not in link for link in links), links
        assert all(not link.startswith(".//") for link in links)
        assert not os.path.exists("/evil.example")  # written under the page's folder, never at the root


def test_graph_html_json_cannot_break_out_of_its_script(cli, tmp_path):  # S6
    nasty = "推进<!--<script>公开</script>&amp;\u2028\u2029工作。"
    (tmp_path / "p.txt").write_text(PROVINCE.replace("加强统计信息公开。", nasty), encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "p.txt,province,,,,\nc.txt,city,,,,p.txt\n", encoding="utf-8")
    out = tmp_path / "g.html"
    assert cli("graph", "-m", tmp_path / "m.csv", "--jobs", "1", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in block
    texts = [c[2] for d in json.loads(block)["docs"] for c in d["clauses"]]
    assert any("<!--<script>公开</script>&amp;" in t for t in texts)
    # the same clauses in per-plan files (a big graph): script-safe too, and the same text
    assert cli("graph", "-m", tmp_path / "m.csv", "--jobs", "1", "-o", out, "--clauses", "files").exit_code == 0
    scripts = sorted((tmp_path / "g_clauses").glob("*.js"))
    assert len(scripts) == 2
    for js in scripts:
        code = js.read_text(encoding="utf-8")
        for bad in ("<", ">", "&", "\u2028", "\u2029"):
            assert bad not in code
    first = scripts[0].read_text(encoding="utf-8")
    args = json.loads("[" + first[len("policydiffClauses("):-len(");\n")] + "]")
    assert any("<!--<script>公开</script>&amp;" in c[2] for c in args[1])


def test_terminal_output_of_trace_and_corpus_has_no_escapes(cli, tmp_path):  # S5
    (tmp_path / "p.txt").write_text(CONTROL_PLAN, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + f'p.txt,province,"某省{ESCAPES}",,,\nc.txt,city,某市,,,p.txt\n',
                                    encoding="utf-8")
    for args in (["trace", "推进决策公开"], ["corpus"], ["corpus", "--format", "csv"], ["corpus", "--format", "json"]):
        res = cli(*args, "-m", tmp_path / "m.csv", "--jobs", "1")
        assert res.exit_code == 0, res.stderr
        for ch in ("\x1b", "\x07", "\x9b", "\x08"):
            assert ch not in res.stdout, (args, repr(ch))
    res = cli("outline", tmp_path / f"x{ESCAPES}.txt")  # a hostile file name in an error message
    _one_line_error(res, "no such file", "\\x1b]0;pwned\\x07")
    assert "\x1b" not in res.stderr


def test_planted_jieba_cache_in_the_temp_dir_is_not_used(tmp_path):  # S7
    import marshal

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    (shared / "jieba.cache").write_bytes(marshal.dumps(({"省": 1}, 1)))  # every word unknown: diffs change
    exe = Path(sys.executable).parent / "policydiff"
    args = [str(exe), "compare", str(SD17), str(LC17), "--format", "json"]
    clean = subprocess.run(args, capture_output=True, timeout=300)
    planted = subprocess.run(args, capture_output=True, timeout=300,
                             env=dict(os.environ, TMPDIR=str(shared), XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert clean.returncode == planted.returncode == 0, planted.stderr
    assert planted.stdout == clean.stdout
    assert b'"op": "replace"' in clean.stdout  # word edits were computed, so a planted dictionary had its chance
    # the user's own cache holds the compiled patterns (regex_cache), in a folder only they can open,
    # and nothing else: no word dictionary
    cache = tmp_path / "cache" / "policydiff"
    assert [p.name.startswith("regex-") and p.suffix == ".json" for p in cache.iterdir()] == [True]
    assert cache.stat().st_mode & 0o077 == 0


def test_a_module_planted_in_the_working_folder_is_not_imported_by_the_word_helper(tmp_path):  # S7
    """`compare` cuts words in a helper process; run from a folder holding a planted rjieba.py, the
    helper must import the installed library, not the plant."""
    (tmp_path / "rjieba.py").write_text(f"open({str(tmp_path / 'pwned')!r}, 'w').close()\n"
                                        "def cut(text, hmm=True):\n    return list(text)\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "policydiff"
    args = [str(exe), "compare", str(SD17), str(LC17), "--format", "json"]
    clean = subprocess.run(args, capture_output=True, timeout=300)
    planted = subprocess.run(args, capture_output=True, timeout=300, cwd=tmp_path)
    assert clean.returncode == planted.returncode == 0, planted.stderr
    assert planted.stdout == clean.stdout
    assert not (tmp_path / "pwned").exists()


# --- reliability, one by one ---------------------------------------------------------------------

def test_input_errors_survive_worker_processes(tmp_path):  # D13
    from policydiff.corpus import run_pairs

    err = pickle.loads(pickle.dumps(InputError("a.txt", "no such file")))
    assert isinstance(err, InputError) and str(err) == "a.txt: no such file" and err.path == "a.txt"
    missing = str(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="gone.txt: no such file"):
        run_pairs([(str(SD17), missing), (str(SD17), str(LC17)), (missing, str(LC17))], jobs=2)


def test_a_worker_input_error_is_exit_2_like_jobs_1(cli, tmp_path, monkeypatch):  # D13 through the CLI
    from policydiff import corpus

    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    (tmp_path / "d.txt").write_text(CITY.replace("某市", "某县"), encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text(MANIFEST_HEAD + "p.txt,province,,,,\nc.txt,city,,,,p.txt\nd.txt,city,,,,p.txt\n", encoding="utf-8")
    real = corpus.run_pairs

    def vanish(pairs, jobs=None, *a, **k):  # a plan deleted after loading, before its comparison
        os.unlink(tmp_path / "c.txt")
        return real(pairs, jobs, *a, **k)

    monkeypatch.setattr(corpus, "run_pairs", vanish)
    res = cli("corpus", "-m", m, "--jobs", "2")
    _one_line_error(res, "c.txt: no such file")


def _corrupt_cache(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"))
    assert len(entries) >= 2
    entries[0].write_text('{"summary": {"copied"', encoding="utf-8")  # truncated
    entries[1].write_text('{"summary": {}, "pairs": [[1]], "derived": "x"}', encoding="utf-8")  # wrong schema
    for e in entries[2:3]:
        e.unlink()
        e.mkdir()  # a folder where an entry belongs


def test_corrupted_cache_entries_are_misses_and_rewritten(cli, tmp_path):  # D14
    m = tmp_path / "m.csv"
    for name, text in (("p.txt", PROVINCE), ("c.txt", CITY), ("d.txt", CITY.replace("某市", "某县"))):
        (tmp_path / name).write_text(text, encoding="utf-8")
    m.write_text(MANIFEST_HEAD + "p.txt,province,,,,\nc.txt,city,,,,\nd.txt,city,,,,\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = cli("corpus", "-m", m, "--jobs", "1", "--cache", cache, "--format", "json")
    assert first.exit_code == 0, first.stderr
    _corrupt_cache(cache)
    again = cli("corpus", "-m", m, "--jobs", "1", "--cache", cache, "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == first.stdout
    assert again.stderr.count("broken cache entry") == 1
    third = cli("corpus", "-m", m, "--jobs", "1", "--cache", cache, "--format", "json")
    assert third.exit_code == 0 and "broken" not in third.stderr and third.stdout == first.stdout
    for e in cache.glob("*.json"):
        assert e.is_file() and json.loads(e.read_text(encoding="utf-8"))["pairs"]


def test_unwritable_cache_fails_before_the_work(cli, tmp_path, monkeypatch):  # D22, D16
    from policydiff import corpus

    calls = []
    real = corpus.compare_paths
    monkeypatch.setattr(corpus, "compare_paths", lambda p, c: calls.append(1) or real(p, c))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for cache, problem in ((tmp_path / "file", "must be a folder"), ("/proc/policydiff-cache", "cannot be written")):
        res = cli("corpus", SD17, LC17, "--jobs", "1", "--cache", cache)
        _one_line_error(res, problem, str(cache))
    assert calls == []


def test_a_cache_write_failure_never_loses_results(cli, tmp_path, monkeypatch):  # D22
    from policydiff import output

    real = output.write_output

    def full(path, data, inputs=()):
        if str(path).startswith(str(tmp_path / "cache")):
            raise OSError(28, "No space left on device")
        return real(path, data, inputs)

    monkeypatch.setattr(output, "write_output", full)
    res = cli("corpus", SD17, LC17, "--jobs", "1", "--cache", tmp_path / "cache", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert "cannot keep a result in the cache" in res.stderr and len(json.loads(res.stdout)["plans"]) == 2


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1.5", "-0.1"])
def test_fail_under_must_be_a_share(cli, value):  # D15
    _one_line_error(cli("coverage", SD17, LC17, "--fail-under", value), "--fail-under", "between 0 and 1")


def test_unreadable_plan_and_manifest_are_one_line(cli, tmp_path, monkeypatch):  # D16
    plan = tmp_path / "locked.txt"
    plan.write_text(PROVINCE, encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text(MANIFEST_HEAD + "locked.txt,,,,,\n", encoding="utf-8")
    if ROOT_USER:
        # root reads anything: make click believe the files are unreadable, as it did for users
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode == os.R_OK else real(p, mode, **k))
        for args in (["outline", plan], ["corpus", "-m", m, "--jobs", "1"]):
            res = cli(*args)
            assert "Usage:" not in res.stderr and res.exit_code == 0, res.stderr
    else:
        os.chmod(plan, 0)
        os.chmod(m, 0)
        _one_line_error(cli("outline", plan), "locked.txt: cannot be read (Permission denied)")
        _one_line_error(cli("corpus", "-m", m), "m.csv: cannot be read (Permission denied)")


def test_usage_errors_are_one_line(cli):
    _one_line_error(cli("compare", SD17), "Missing argument", "compare -h")
    _one_line_error(cli("corpus"), "give plan FILES or --manifest M")


def test_unreachable_dask_scheduler_is_a_configuration_error(cli, monkeypatch):  # D23
    from policydiff import corpus

    monkeypatch.setattr(corpus, "DASK_CONNECT_TIMEOUT", 1)
    start = time.monotonic()
    res = cli("corpus", SD17, LC17, "--scheduler", "dask", "--address", "tcp://127.0.0.1:9")
    assert time.monotonic() - start < 20
    _one_line_error(res, "--address tcp://127.0.0.1:9", "cannot reach the Dask scheduler")


def test_long_clauses_and_many_items_finish_within_a_bound():  # D9, D10: a bound, not a fix
    # align is cubic in a clause's length and quadratic in items (the performance issue): a
    # 3,200-character clause takes ~13 s, a 20,000-character one does not finish in minutes.
    # This guards the sizes that real plans reach from getting worse.
    clause = "一、任务\n（一）" + "推进政务公开工作" * 200 + "。\n"
    other = "一、任务\n（一）" + "推进政务公开任务" * 200 + "。\n"
    items = "一、任务\n" + "".join(f"（{i}）第{i}项工作要做好公开。\n" for i in range(1, 1501))
    for a, b in ((clause, other), (items, items.replace("做好", "做实"))):
        start = time.monotonic()
        cmp = policydiff.compare(policydiff.parse(a), policydiff.parse(b))
        assert time.monotonic() - start < 60 and cmp.pairs


def test_generated_manifests_are_read_or_refused_clearly(tmp_path):  # the fuzz target, briefly
    from hypothesis import HealthCheck, given, settings

    from .test_fuzz import check_manifest, make_manifest_folder, manifests

    folder = make_manifest_folder(tmp_path / "plans")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(manifests())
    def run(data):
        check_manifest(data, folder)

    run()


@pytest.mark.parametrize("manifest, problem", [("/dev/zero", "not a regular file"), ("/nonexistent/m.csv",
                                                "no such manifest file")])
def test_the_manifest_itself_must_be_a_regular_file(cli, tmp_path, manifest, problem):  # D11
    for cmd in (["corpus"], ["graph", "-o", tmp_path / "g.html"], ["trace", "x"]):
        _one_line_error(cli(*cmd, "-m", manifest), manifest, problem)
    fifo = tmp_path / "m.csv"
    os.mkfifo(fifo)
    _one_line_error(cli("corpus", "-m", fifo), "m.csv: is not a regular file")


def test_output_to_dev_stdout_goes_through_the_stream(cli, tmp_path):  # S2: the /dev/stdout kind
    res = cli("outline", SD17, "--format", "json", "-o", "/dev/stdout")
    assert res.exit_code == 0 and json.loads(res.stdout)["document"]["doc_number"] == "鲁政办发〔2017〕39号"
    exe = Path(sys.executable).parent / "policydiff"
    log = tmp_path / "log.txt"
    with open(log, "wb") as fh:  # stdout and stderr to one file: neither may overwrite the other
        subprocess.run([str(exe), "outline", str(SD17), "-o", "/dev/stdout"], stdout=fh, stderr=subprocess.STDOUT,
                       timeout=120, check=True)
    text = log.read_text(encoding="utf-8")
    assert text.startswith("2017年山东省政务公开工作要点") and text.endswith("wrote /dev/stdout\n")
    assert stat.S_ISREG(os.stat(log).st_mode)


def test_corpus_build_takes_each_path_once(tmp_path, capsys):  # D2 for library callers
    from policydiff.corpus import Corpus, Entry

    (tmp_path / "p.txt").write_text(PROVINCE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(CITY, encoding="utf-8")
    p, c = str(tmp_path / "p.txt"), str(tmp_path / "c.txt")
    corpus = Corpus.build([Entry(p, "province"), Entry(c, "city"), Entry(p, "city")], jobs=1)
    assert [(e.path, e.level) for e in corpus.entries] == [(p, "province"), (c, "city")]
    assert "more than once" in capsys.readouterr().err
