"""PDF (with a text layer) and Word .docx: one post per document, titled by the same shape rules.

Each line of a PDF carries its page number as its line; each paragraph of a .docx its paragraph
number. The document's metadata title is the title when it is a real one (not a file name or a
placeholder such as 無題). pypdf and python-docx are imported only when such a file is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from kb.errors import UnreadableFile
from kb.models import Line, RawPost
from kb.reading.titles import read_head, reads_as_sentence, same_text

MAX_PAGES = 2000  # pages of a PDF read at most
MAX_UNZIPPED = 256 * 1024 * 1024  # bytes a .docx may unpack to (a zip bomb is refused)
_WORD_PREFIX = re.compile(r"^(?:Microsoft\s+(?:Word|PowerPoint|Excel)\s*-\s*)", re.I)
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|txt|rtf|odt|jtd|xlsx?|pptx?|html?)$", re.I)
_PLACEHOLDER = re.compile(
    r"^(?:無題|untitled|タイトルなし|no\s*title|document\s*\d*|文書\s*\d*|新規\s*microsoft\s*word.*|"
    r"スライド\s*\d*|slide\s*\d*|[-_\s\d.]+)$",
    re.I,
)
_SENTENCE_END = "。！？!?」』）)"
_HEADING_STYLE = re.compile(r"^(?:heading|見出し|title|subtitle|表題|副題)", re.I)


def real_title(value: object) -> str:
    """A document's metadata title when it is a real title, else ""."""
    if not isinstance(value, str):
        return ""
    title = " ".join(_WORD_PREFIX.sub("", value).split())
    if not title or len(title) > 120 or _FILE_NAME.search(title) or _PLACEHOLDER.match(title):
        return ""
    return "" if reads_as_sentence(title) else title


def read_pdf(data: bytes, source: str) -> list[RawPost]:
    """The text layer of a PDF as one post; UnreadableFile for a scan without text or a broken file."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency of kb
        raise UnreadableFile(source, "PDF を読むには pypdf が必要です (pip install pypdf)") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(source, "パスワード付きの PDF (encrypted PDF) は読めません")
        pages = [page.extract_text() or "" for page in list(reader.pages)[:MAX_PAGES]]
        meta = reader.metadata
        title = real_title(meta.title if meta is not None else None)
    except UnreadableFile:
        raise
    except Exception as err:  # noqa: BLE001 - a broken or hostile PDF costs this file only
        raise UnreadableFile(source, f"PDF を読めません (broken PDF: {type(err).__name__})") from None
    lines: list[Line] = []
    for number, text in enumerate(pages, start=1):
        lines.extend(Line(t, number) for t in _unwrap(text.split("\n")))
    if not any(ln.text.strip() for ln in lines):
        raise UnreadableFile(
            source, "文字情報のない PDF (scanned image) のため読み飛ばしました: OCR は行いません"
        )
    return [_post(lines, source, title)]


def _unwrap(raw: list[str]) -> list[str]:
    """A page's lines with the layout's wrapping undone: a line as long as the longest ones on the
    page that does not end a sentence continues on the next line."""
    rows = [" ".join(r.split()) for r in raw]
    width = max((len(r) for r in rows), default=0)
    out: list[str] = []
    joining = False
    for row in rows:
        if joining and out and row:
            out[-1] += row
        else:
            out.append(row)
        joining = bool(row) and width >= 20 and len(row) >= width * 0.8 and row[-1] not in _SENTENCE_END
    return out


def read_docx(data: bytes, source: str) -> list[RawPost]:
    """A Word document as one post; each Line's number is its paragraph's (1-based)."""
    _check_zip(data, source)
    try:
        from docx import Document
    except ImportError:  # pragma: no cover - a dependency of kb
        raise UnreadableFile(
            source, "Word 文書を読むには python-docx が必要です (pip install python-docx)"
        ) from None
    try:
        doc = Document(io.BytesIO(data))
        title = real_title(doc.core_properties.title)
        lines = _docx_lines(doc)
    except Exception as err:  # noqa: BLE001 - a broken document costs this file only
        raise UnreadableFile(
            source, f"Word 文書 (.docx) を読めません (broken document: {type(err).__name__})"
        ) from None
    if not any(ln.text.strip() for ln in lines):
        return []
    return [_post(lines, source, title)]


def _check_zip(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            size = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise UnreadableFile(source, f"Word 文書 (.docx) を読めません (broken ZIP: {err})") from None
    if size > MAX_UNZIPPED:
        raise UnreadableFile(
            source,
            f"展開すると {MAX_UNZIPPED // (1024 * 1024)} MB を超える Word 文書のため読み飛ばしました (zip bomb)",
        )


def _docx_lines(doc: Any) -> list[Line]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[Line] = []
    number = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            number += 1
            style = block.style.name if block.style is not None else ""
            lines.append(Line(block.text.strip(), number, heading=bool(_HEADING_STYLE.match(style or ""))))
        elif isinstance(block, Table):
            for row in block.rows:
                first = number + 1
                cells: list[str] = []
                for cell in row.cells:
                    number += len(cell.paragraphs)
                    text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append(Line(" ".join(cells), first))
    return lines


def _post(lines: list[Line], source: str, meta_title: str) -> RawPost:
    head = read_head([ln.text for ln in lines], title_known=bool(meta_title))
    title, title_from, title_lineno = meta_title, "meta", 0
    title_index = None
    if meta_title:
        first = next((k for k, ln in enumerate(lines) if ln.text.strip() and k not in head.drop), None)
        if first is not None and same_text(lines[first].text, meta_title):
            title_from, title_lineno, title_index = "line", lines[first].lineno, first
    else:
        title, title_from, title_index = head.title, head.title_from, head.title_index
        if title_index is not None:
            title_lineno = lines[title_index].lineno
    body = [ln for k, ln in enumerate(lines[: head.end]) if k not in head.drop and k != title_index]
    return RawPost(
        title=title,
        lines=body,
        source=source,
        date=head.date,
        title_lineno=title_lineno,
        title_from=title_from,
    )
