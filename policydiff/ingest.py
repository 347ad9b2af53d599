"""ingest: a file on disk → :class:`~policydiff.model.Raw` text, with the encoding it was read in.

Plans come from government websites as .txt in any common Chinese encoding, .md, .docx, .pdf
or .html. Anything else — or anything that does not decode cleanly — is refused with an
:class:`~policydiff.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

import codecs
import html.parser
import io
import os
import re
import stat
import sys
import unicodedata
import zipfile
import zlib

from .errors import InputError
from .model import Raw

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
STDIN = "-"  # the path that means "read the plan from standard input"

# Limits on what one plan may cost. A plan is a few hundred kilobytes; the 10 MB test plan
# is already far beyond any real one. Above these, a file is refused rather than read until
# the machine runs out of memory (a .docx or PDF is a zip/deflate container: 1 MB can inflate
# to gigabytes).
MAX_FILE_BYTES = 100 * 1024 * 1024  # bytes read from disk or stdin
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # sum of the uncompressed parts of a .docx or a PDF's streams

# Codecs that name a text encoding but turn bytes into escapes, code points or nothing useful:
# "unicode_escape" can produce lone surrogates that no writer can encode.
_NOT_PLAN_ENCODINGS = {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined", "utf_7"}

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

    ``path`` is always a path (``"-"``: standard input, read as text); to segment a string
    the caller already has, use :func:`read_text`. ``encoding`` forces a text encoding; by
    default it is detected and reported in ``Raw.encoding``. Raises :class:`InputError` for
    anything that is not a readable plan.
    """
    name = os.fspath(path)
    if encoding:
        check_encoding(encoding)
    if name == STDIN:
        data = _read_stdin()
        name = "<stdin>"
    else:
        data = read_bytes(name)
    if not data:
        raise InputError(name, "file is empty")
    suffix = os.path.splitext(name)[1].lower() if name != "<stdin>" else ""
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
    raw = Raw(raw.path, drop_controls(raw.text), raw.encoding, raw.format)
    if not has_text(raw.text):
        raise InputError(name, "file has no text (only white space or invisible characters)")
    return raw


def read_bytes(name: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file, at most ``limit`` of them; :class:`InputError` otherwise.

    Devices (/dev/zero, /dev/urandom), FIFOs and sockets are refused: they never end, or block.
    """
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError(name, f"no such {what}") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, f"is a directory, not a plan {what}" if what == "file" else "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(name, "is not a regular file (a device, FIFO or socket); "
                               "save it to a file first, or pipe it to '-'")
    if st.st_size > limit:
        raise InputError(name, f"is too large ({st.st_size // 2**20} MB; the limit is {limit // 2**20} MB)")
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the stat must not hang the open
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(name, "is not a regular file (a device, FIFO or socket)")
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from None
    if len(data) > limit:  # grew since the stat
        raise InputError(name, f"is too large (the limit is {limit // 2**20} MB)")
    return data


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("<stdin>", "no standard input")
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError("<stdin>", f"is too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
    return data


def read_text(text: str, name: str = "<text>") -> Raw:
    """Wrap a string the caller already has (for :func:`policydiff.parse` and tests)."""
    text = drop_controls(text)
    if not has_text(text):
        raise InputError(name, "text is empty")
    return Raw(name, text, "utf-8", "txt")


# C0 and C1 control characters except tab, LF and CR (CR is a line end; normalize handles it),
# and DEL. They carry no text: in a plan they are leftovers of conversion, or an attack on the
# terminal (ESC ] 52 writes the clipboard) and on XML writers (GraphML, XLSX refuse them).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # VT, FF (page break), separators


def drop_controls(text: str) -> str:
    """Page breaks and other line separators become newlines; other control characters go."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def has_text(text: str) -> bool:
    """Is there a visible character? (Not only spaces, zero-width or bidi marks, controls.)"""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Cn", "Co")
               for c in text)


def check_encoding(encoding: str) -> str:
    """The codec's canonical name, if it decodes bytes to text; :class:`InputError` otherwise."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"--encoding {encoding}", "unknown encoding (try gbk, gb18030, big5, utf-8)") from None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_PLAN_ENCODINGS:
        raise InputError(f"--encoding {encoding}", "not a text encoding (try gbk, gb18030, big5, utf-8)")
    return info.name


def decode_bytes(name: str, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode plan bytes; returns ``(text, encoding name)``. Never guesses silently."""
    if encoding:
        check_encoding(encoding)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(name, f"cannot decode as {encoding} ({exc.__class__.__name__})") from None
        try:  # a lone surrogate cannot be written to any output
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(name, f"cannot decode as {encoding} (invalid character at {exc.start})") from None
        return text, encoding
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
    _check_zip_size(name, data)
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


def _check_zip_size(name: str, data: bytes) -> None:
    """Refuse a .docx whose parts inflate beyond :data:`MAX_INFLATED_BYTES` (a zip bomb).

    The sizes in the zip directory are the ones zipfile enforces while inflating, so summing
    them is enough.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(name, f"not a valid .docx (truncated or corrupt: {exc})") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_INFLATED_BYTES:
        raise InputError(name, f"not read: its parts inflate to {total // 2**20} MB "
                               f"(the limit is {MAX_INFLATED_BYTES // 2**20} MB)")


_STREAM = re.compile(rb"stream\r?\n")


def _check_pdf_size(name: str, data: bytes) -> None:
    """Refuse a PDF whose deflated streams inflate beyond :data:`MAX_INFLATED_BYTES`.

    pdfminer inflates every stream whole, with no limit; here each stream is inflated in
    chunks and thrown away, so measuring costs little memory.
    """
    total = 0
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        body = data[m.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(body, 1 << 20)
            while chunk:
                total += len(chunk)
                if total > MAX_INFLATED_BYTES:
                    raise InputError(name, f"not read: its streams inflate to more than "
                                           f"{MAX_INFLATED_BYTES // 2**20} MB")
                chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error:
            continue  # not a deflated stream (or a broken one: pdfminer will say so)


def _read_pdf(name: str, data: bytes) -> str:
    import logging

    _check_pdf_size(name, data)
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
