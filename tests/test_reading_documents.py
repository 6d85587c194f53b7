"""PDF (text layer) and Word .docx: one post per document, made by the tests themselves at run time."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from kb.errors import UnreadableFile
from kb.reading import Source, iter_sources, read_source
from kb.reading.documents import real_title
from kb.structure import build_post


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose text layer holds ``pages`` (lines per page), with a CID font and a ToUnicode map so
    that any extractor gets the Japanese text back; no glyphs are embedded (nothing is drawn)."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /KbTest def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange "
        f"{len(chars)} beginbfchar "
        + " ".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
        + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /KbTest /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KbTest /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, to_unicode)
    )
    page_ids: list[int] = []
    pages_id = len(objects) + 2 * len(pages) + 1
    for lines in pages:
        ops = []
        for k, line in enumerate(lines):
            hexs = "".join(f"{cid[ch]:04X}" for ch in line)
            ops.append(f"BT /F1 12 Tf 50 {780 - 20 * k} Td <{hexs}> Tj ET")
        stream = zlib.compress("\n".join(ops).encode())
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    kids = " ".join(f"{i} 0 R" for i in page_ids).encode()
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = (
        add(b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>")
        if title
        else None
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def make_docx(paragraphs: list[tuple[str, str | None]], title: str | None = None) -> bytes:
    from docx import Document

    doc = Document()
    for text, style in paragraphs:
        doc.add_paragraph(text, style=style)
    if title is not None:
        doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


REPORT_PAGES = [
    [
        "令和6年7月3日",
        "帯広市の農業DX視察報告",
        "産業建設委員会の委員6名で北海道帯広市を訪れました。",
        "■十勝の農業",
    ],
    ["畑作の面積は約25万ヘクタールです。", "ドローンによる防除を年間約1万2千ヘクタールで行っています。"],
]


def test_a_pdf_with_a_text_layer_is_one_post_with_page_numbers_as_lines() -> None:
    result = read_source("report.pdf", make_pdf(REPORT_PAGES))
    assert (result.format, result.encoding) == ("pdf", "binary")
    (raw,) = result.posts
    assert (raw.title, raw.title_from, raw.title_lineno, raw.date) == (
        "帯広市の農業DX視察報告",
        "line",
        1,
        "2024-07-03",
    )
    post = build_post(raw)
    lines = {p.text: p.line for p in post.passages}
    assert lines["産業建設委員会の委員6名で北海道帯広市を訪れました。"] == 1
    assert lines["畑作の面積は約25万ヘクタールです。"] == 2
    assert [s.heading for s in post.sections if s.heading] == ["■十勝の農業"]
    assert "令和6年7月3日" in post.text  # the date line stays in the text


def test_a_pdf_metadata_title_when_it_is_a_real_one() -> None:
    pages = [["本日は区役所で防災計画の説明を受けました。", "避難所は約40か所です。"]]
    (raw,) = read_source("a.pdf", make_pdf(pages, title="防災計画の説明会")).posts
    assert (raw.title, raw.title_from) == ("防災計画の説明会", "meta")
    (raw,) = read_source("b.pdf", make_pdf(pages, title="Microsoft Word - 報告書.docx")).posts
    assert raw.title_from == "text"  # a file name is no title: the first words stand in
    assert raw.title.startswith("本日は区役所で防災計画の説明を受けました")


def test_a_pdf_without_a_text_layer_is_skipped_with_a_reason() -> None:
    with pytest.raises(UnreadableFile, match=r"文字情報のない PDF \(scanned image\).*OCR は行いません"):
        read_source("scan.pdf", make_pdf([[]]))


def test_a_broken_pdf_is_skipped_not_raised() -> None:
    with pytest.raises(UnreadableFile, match="PDF を読めません"):
        read_source(
            "broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<<>>\n"
        )


def test_a_docx_is_one_post_with_paragraph_numbers_as_lines(tmp_path: Path) -> None:
    data = make_docx(
        [
            ("視察報告 豊橋市の子育て支援", "Title"),
            ("2023年11月8日", None),
            ("文教委員会で愛知県豊橋市を訪れ、子育て支援センターを視察しました。", None),
            ("■センターの概要", "Heading 2"),
            ("利用者は年間約3万人です。", None),
        ]
    )
    path = tmp_path / "報告.docx"
    path.write_bytes(data)
    (src,) = iter_sources([str(tmp_path)])
    assert isinstance(src, Source)
    result = read_source(src.path, src.read_bytes())
    assert result.format == "docx"
    (raw,) = result.posts
    assert (raw.title, raw.title_from, raw.title_lineno, raw.date) == (
        "視察報告 豊橋市の子育て支援", "line", 1, "2023-11-08",
    )  # fmt: skip
    post = build_post(raw)
    assert {p.text: p.line for p in post.passages}["利用者は年間約3万人です。"] == 5
    assert [s.heading for s in post.sections if s.heading] == ["■センターの概要"]


def test_a_docx_title_from_its_properties_and_a_sentence_first_body() -> None:
    data = make_docx(
        [("本日は市役所を訪問し、地域交通の取り組みを伺いました。", None)], title="地域交通の視察"
    )
    (raw,) = read_source("x.docx", data).posts
    assert (raw.title, raw.title_from, raw.title_lineno) == ("地域交通の視察", "meta", 0)
    assert [ln.text for ln in raw.lines] == ["本日は市役所を訪問し、地域交通の取り組みを伺いました。"]


def test_a_zip_that_is_not_a_docx_is_skipped() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnreadableFile, match=r"Word 文書 \(.docx\) を読めません"):
        read_source("x.docx", out.getvalue())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("防災計画の説明会", "防災計画の説明会"),
        ("Microsoft Word - 視察報告", "視察報告"),
        ("報告書.docx", ""),
        ("無題", ""),
        ("Untitled", ""),
        ("文書 1", ""),
        ("", ""),
        (None, ""),
        ("本日は市役所を訪問し、説明を受けました。", ""),
    ],
)
def test_real_titles(value: object, expected: str) -> None:
    assert real_title(value) == expected
