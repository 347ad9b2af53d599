"""ingest: encodings, file formats, and clear errors for what is not a plan."""

from __future__ import annotations

import json

import pytest

import policydiff
from policydiff.errors import InputError

from .conftest import SD17, SD17T

PLAN = SD17.read_text(encoding="utf-8")


def _outline_json(cli, path):
    res = cli("outline", path, "--format", "json")
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_encodings_are_detected_and_reported(tmp_path, cli, encoding, expected):
    f = tmp_path / "plan.txt"
    f.write_bytes(PLAN.encode(encoding))
    data = _outline_json(cli, f)
    assert data["document"]["encoding"] == expected
    assert data["document"]["doc_number"] == "鲁政办发〔2017〕39号"
    assert [s["text"] for s in data["outline"][1]["sentences"]] == ["以政务公开助力稳增长"]


def test_big5_traditional_plan(tmp_path, cli):
    f = tmp_path / "big5.txt"
    f.write_bytes(SD17T.read_text(encoding="utf-8").encode("cp950", errors="replace"))  # a few rare forms have no Big5 code
    data = _outline_json(cli, f)
    assert data["document"]["encoding"] == "cp950"
    assert data["document"]["title"] == "2017年山东省政务公开工作要点"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends(tmp_path, newline):
    f = tmp_path / "plan.txt"
    f.write_bytes(PLAN.replace("\n", newline).encode("utf-8"))
    doc = policydiff.load(f)
    assert [s.text for s in doc.sentences] == [s.text for s in policydiff.load(SD17).sentences]


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("2020年某区政务公开工作要点")
    d.add_paragraph("一、主要任务")
    d.add_paragraph("（一）推进决策公开。制定发布重大行政决策事项目录。")
    d.add_paragraph("附件")
    d.add_paragraph("任务分解表")
    t = d.add_table(rows=2, cols=3)
    for i, cell in enumerate(["工作任务", "具体要求", "责任单位"]):
        t.rows[0].cells[i].text = cell
    for i, cell in enumerate(["推进决策公开", "公开重大行政决策事项目录", "区发改局、区司法局"]):
        t.rows[1].cells[i].text = cell
    f = tmp_path / "plan.docx"
    d.save(f)
    doc = policydiff.load(f)
    assert doc.encoding == "docx"
    assert [it.path for it in doc.items][:3] == ["1", "1.1", "A"]
    row = next(s for s in doc.sentences if s.text == "公开重大行政决策事项目录")
    assert row.responsible == ("区发改局", "区司法局")


def test_html_page_keeps_text_drops_navigation(tmp_path):
    page = ("<html><head><title>网站</title><script>var x=1;</script></head><body><nav>首页 | 政务公开</nav>"
            "<h1>2021年某市政务公开工作要点</h1><p>一、加强公开</p><p>（一）推进决策公开。公开目录。</p>"
            "<footer>版权所有</footer></body></html>")
    f = tmp_path / "plan.html"
    f.write_text(page, encoding="utf-8")
    doc = policydiff.load(f)
    texts = [s.text for s in doc.sentences]
    assert "公开目录。" in texts and not any("首页" in t or "版权" in t or "var x" in t for t in texts)


def _minimal_pdf(content: bytes) -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_pdf_with_text_layer(tmp_path):
    f = tmp_path / "plan.pdf"
    f.write_bytes(_minimal_pdf(b"BT /F1 12 Tf 20 250 Td (1. Publish the budget.) Tj ET"))
    doc = policydiff.load(f)
    assert "Publish the budget." in doc.text


def test_scanned_pdf_says_so(tmp_path, cli):
    f = tmp_path / "scan.pdf"
    f.write_bytes(_minimal_pdf(b"0 0 m 10 10 l S"))
    res = cli("outline", f)
    assert res.exit_code == 2
    assert "no text layer" in res.stderr and "scan.pdf" in res.stderr


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "file is empty"),
        (lambda p: p.write_text("  \n\u3000\n\t", encoding="utf-8"), "no text"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), "binary file (a PNG image)"),
        (lambda p: p.write_bytes(b"PK\x03\x04broken zip"), "not a valid .docx"),
    ],
    ids=["missing", "directory", "empty", "whitespace", "png", "truncated-docx"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, cli, make, problem):
    name = "plan.docx" if "docx" in problem else "plan.txt"
    p = tmp_path / name
    make(p)
    res = cli("outline", p)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and problem in lines[0] and name in lines[0]
    assert "Traceback" not in res.stderr
    with pytest.raises(InputError):
        policydiff.load(p)
