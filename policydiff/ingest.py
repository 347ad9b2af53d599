"""ingest: a file on disk → :class:`~policydiff.model.Raw` text, with the encoding it was read in.

Plans come from government websites as .txt in any common Chinese encoding, .md, .docx, .pdf
or .html. Anything else — or anything that does not decode cleanly — is refused with an
:class:`~policydiff.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

import html.parser
import io
import os
import zipfile

from .errors import InputError
from .model import Raw

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}

# Magic numbers of formats people download by mistake; a clear name beats "cannot decode".
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF (rename it to .pdf)",
    b"PK\x03\x04": "a zip archive (a .docx? rename it to .docx)",
    b"\xd0\xcf\x11\xe0": "an old binary Word/Excel file (.doc/.xls): save it as .docx",
    b"\x7fELF": "an executable",
}

# Encodings we accept, in the order the detector may pick among them. GBK and GB2312 are
# decoded as their superset GB18030; Big5 as cp950 (Big5 plus Microsoft's common extensions).
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "big5": "cp950",
            "big5hkscs": "cp950", "cp950": "cp950", "utf_8": "utf-8", "gb18030": "gb18030",
            "utf_16": "utf-16", "utf_16_le": "utf-16", "utf_16_be": "utf-16"}


def read_plan(path: str | os.PathLike[str], encoding: str | None = None) -> Raw:
    """Read a plan file and return its text.

    ``encoding`` forces a text encoding; by default it is detected and reported in
    ``Raw.encoding``. Raises :class:`InputError` for anything that is not a readable plan.
    """
    name = os.fspath(path)
    if not os.path.exists(name):
        raise InputError(name, "no such file")
    if os.path.isdir(name):
        raise InputError(name, "is a directory, not a plan file")
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from None
    if not data:
        raise InputError(name, "file is empty")
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".docx":
        raw = Raw(name, _read_docx(name, data), "docx", "docx")
    elif suffix == ".pdf":
        raw = Raw(name, _read_pdf(name, data), "pdf", "pdf")
    elif suffix in HTML_SUFFIXES:
        text, enc = decode_bytes(name, data, encoding)
        raw = Raw(name, html_to_text(text), enc, "html")
    else:
        text, enc = decode_bytes(name, data, encoding)
        fmt = "md" if suffix in {".md", ".markdown"} else "txt"
        raw = Raw(name, text, enc, fmt)
    if not raw.text.strip():
        raise InputError(name, "file has no text (only white space)")
    return raw


def read_text(text: str, name: str = "<text>") -> Raw:
    """Wrap a string the caller already has (for the library API and tests)."""
    if not text.strip():
        raise InputError(name, "text is empty")
    return Raw(name, text, "utf-8", "txt")


def decode_bytes(name: str, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode plan bytes; returns ``(text, encoding name)``. Never guesses silently."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(name, f"cannot decode as {encoding} ({exc.__class__.__name__})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(name, data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(name, data, "utf-16"), "utf-16"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(name, f"binary file ({what}), not a plan")
    if b"\x00" in data[:4096]:
        raise InputError(name, "binary file (contains NUL bytes), not a plan")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES[1:3]).best()
    if best is None:
        raise InputError(name, "cannot tell the text encoding (not UTF-8, GB18030 or Big5); "
                               "try --encoding")
    enc = _ALIASES.get(best.encoding, best.encoding)
    return _strict(name, data, enc), enc


def _strict(name: str, data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"invalid {enc} at byte {exc.start}") from None


def _read_docx(name: str, data: bytes) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, f"not a valid .docx (truncated or corrupt: {exc})") from None
    except Exception as exc:  # lxml and python-docx raise many kinds for broken parts
        raise InputError(name, f"not a valid .docx ({exc.__class__.__name__})") from None
    lines: list[str] = []
    # Walk the body in order so tables stay where they were printed.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    # Merged cells repeat in python-docx; a repeat reads as an empty cell.
                    cells.append("" if cells and text == cells[-1] else text)
                lines.append("")
                lines.extend("\t" + c for c in cells)
            lines.append("")
    return "\n".join(lines)


def _read_pdf(name: str, data: bytes) -> str:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises its own zoo of exceptions for broken files
        raise InputError(name, f"not a readable PDF ({exc.__class__.__name__})") from None
    if not "".join(pages).strip():
        raise InputError(name, "PDF has no text layer (a scan?): run OCR on it first")
    return "\n".join(pages)


class _TextExtractor(html.parser.HTMLParser):
    """Keeps the readable text of a page, dropping scripts, styles and site navigation."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "select", "form",
            "iframe", "svg", "head"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
             "section", "article", "td", "th", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(page: str) -> str:
    """Readable text of an HTML page, one block per line."""
    parser = _TextExtractor()
    parser.feed(page)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)
