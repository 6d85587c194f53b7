"""Reading layer: files on disk (or standard input) to RawPost objects, whatever their encoding and format."""

from __future__ import annotations

import json

from kb.errors import UnreadableFile
from kb.models import RawPost
from kb.reading.archive import read_plain
from kb.reading.decode import Decoded, binary_kind, decode_bytes
from kb.reading.detect import detect_format, iso_date
from kb.reading.documents import read_docx, read_pdf
from kb.reading.html import html_to_lines, read_html
from kb.reading.markdown import read_markdown
from kb.reading.mt import read_mt
from kb.reading.sources import MAX_STREAM, STDIN, Source, iter_sources, os_reason, read_capped
from kb.record import field, record

__all__ = [
    "MAX_STREAM",
    "STDIN",
    "Decoded",
    "ReadResult",
    "Source",
    "UnreadableFile",
    "binary_kind",
    "decode_bytes",
    "detect_format",
    "html_to_lines",
    "iso_date",
    "iter_sources",
    "os_reason",
    "read_capped",
    "read_source",
    "read_text",
]


@record(slots=True)
class ReadResult:
    """The posts of one file, the encoding and format it was read as, and what was repaired (no path)."""

    posts: list[RawPost]
    encoding: str
    format: str  # "mt" | "html" | "markdown" | "text" | "pdf" | "docx"
    warnings: list[str] = field(default_factory=list)


def read_source(source_name: str, data: bytes, encoding: str | None = None) -> ReadResult:
    """Decode a file's bytes and read its posts; raises UnreadableFile for binary, undecodable or
    unsupported data (a script, a JSON document). PDF and Word .docx files are read as documents.

    An empty (or blank) file gives no posts and no error: the caller decides whether to report it.
    """
    kind = binary_kind(data)
    if kind == "PDF document":
        return ReadResult(read_pdf(data, source_name), "binary", "pdf", [])
    if kind == "ZIP archive (Word document)" or (
        kind == "ZIP archive" and source_name.lower().endswith(".docx")
    ):
        return ReadResult(read_docx(data, source_name), "binary", "docx", [])
    decoded = decode_bytes(data, source_name, encoding)
    warnings = list(decoded.warnings)
    if not decoded.text.strip():
        return ReadResult([], decoded.encoding, "text", warnings)
    fmt = detect_format(decoded.text, source_name)
    if fmt == "text":
        reason = content_skip_reason(decoded.text)
        if reason is not None:
            raise UnreadableFile(source_name, reason)
    return ReadResult(read_text(decoded.text, source_name, fmt, warnings), decoded.encoding, fmt, warnings)


def content_skip_reason(text: str) -> str | None:
    """Why a decoded file is not a post, judged by its content: a script, a JSON document."""
    head = text.lstrip("\ufeff")
    if head.startswith("#!"):
        return "スクリプト (script with #!) のため読み飛ばしました"
    stripped = head.strip()
    if stripped[:1] in "{[" and stripped[-1:] in "}]" and len(stripped) < 16 * 1024 * 1024:
        try:
            json.loads(stripped)
        except ValueError:
            return None
        return "JSON のデータ (JSON document) のため読み飛ばしました"
    return None


def read_text(text: str, source_name: str, fmt: str, warnings: list[str] | None = None) -> list[RawPost]:
    """The posts of decoded text in a known format; problems are appended to ``warnings``."""
    if fmt == "mt":
        return read_mt(text, source_name, warnings)
    if fmt == "html":
        return read_html(text, source_name)
    if fmt == "markdown":
        return read_markdown(text, source_name, warnings)
    return read_plain(text, source_name)
