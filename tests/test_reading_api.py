"""read_source end to end: every sample and fixture, every format, errors and warnings."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from kb.errors import UnreadableFile
from kb.reading import ReadResult, Source, iter_sources, read_source

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "data" / "samples"
FORMATS = Path(__file__).parent / "fixtures" / "formats"
REPORT_TITLE = "会派視察①\u3000高松市の丸亀町商店街"


def read(path: Path, encoding: str | None = None) -> ReadResult:
    return read_source(str(path), path.read_bytes(), encoding)


@pytest.mark.parametrize(
    ("name", "fmt", "titles"),
    [
        ("report.md", "markdown", ["会派視察①金沢市\u3000北陸新幹線開業効果と観光施策"]),
        ("report.html", "html", ["常任委員会視察\u3000富山市のコンパクトシティ政策"]),
        (
            "livedoor-export.txt",
            "mt",
            [
                "所管事務調査で高松市の丸亀町商店街を視察",
                "常任委員会視察②\u3000富山市のコンパクトシティ",
                "議会報告会を開催しました",
            ],
        ),
    ],
)
def test_samples(name: str, fmt: str, titles: list[str]) -> None:
    result = read(SAMPLES / name)
    assert (result.format, result.encoding, result.warnings) == (fmt, "utf-8", [])
    assert [p.title for p in result.posts] == titles
    assert all(p.source == str(SAMPLES / name) for p in result.posts)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("report-utf8.txt", "utf-8"),
        ("report-utf8sig.txt", "utf-8-sig"),
        ("report-utf16.txt", "utf-16"),
        ("report-cp932.txt", "cp932"),
        ("report-eucjp.txt", "euc_jp"),
    ],
)
def test_encoding_fixtures_read_as_plain_text(name: str, encoding: str) -> None:
    result = read(FORMATS / name)
    assert (result.format, result.encoding) == ("text", encoding)
    (post,) = result.posts
    expected = REPORT_TITLE if encoding != "euc_jp" else REPORT_TITLE.replace("①", "(1)")
    assert (post.title, post.title_lineno) == (expected, 1)
    texts = [ln.text for ln in post.lines]
    assert "■商店街の概要" in texts
    assert "IMG_3021" in texts
    assert any("約142万人" in t for t in texts)
    assert post.lines[0].lineno == 2


def test_mt_export_in_cp932_saved_as_txt() -> None:
    data = (SAMPLES / "livedoor-export.txt").read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp932")
    result = read_source("export.txt", data)
    assert (result.format, result.encoding) == ("mt", "cp932")
    assert [p.date for p in result.posts] == ["2018-10-23", "2018-10-25", "2018-11-03"]


def test_html_saved_as_txt_in_euc_jp() -> None:
    html = "<html><head><title>視察</title></head><body><article><h1>金沢市視察</h1><p>本文です。</p></article></body></html>"
    result = read_source("page.txt", html.encode("euc_jp"))
    assert (result.format, result.encoding) == ("html", "euc_jp")
    assert [(p.title, [ln.text for ln in p.lines]) for p in result.posts] == [("金沢市視察", ["本文です。"])]


def test_markdown_by_content() -> None:
    result = read_source("note.txt", "---\ntitle: 視察\ndate: 2018/04/13\n---\n本文".encode())
    assert result.format == "markdown"
    assert result.posts[0].date == "2018-04-13"


@pytest.mark.parametrize("data", [b"", b"\n\n", " \u3000\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_files_have_no_posts_and_no_error(data: bytes) -> None:
    result = read_source("empty.txt", data)
    assert result.posts == []
    assert result.format == "text"


def test_warnings_are_passed_on() -> None:
    result = read_source("x.md", "---\ntitle: [壊れた\n---\n本文\x00です".encode())
    assert result.warnings[0] == "NUL バイト 1 個を取り除きました (NUL bytes)"
    assert result.warnings[1].startswith("front matter の YAML が壊れているため")


def test_binary_and_undecodable_raise() -> None:
    png = (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + bytes(13)
        + struct.pack(">I", zlib.crc32(b""))
    )
    with pytest.raises(UnreadableFile, match=r"バイナリファイル \(PNG image\) のため読み飛ばしました"):
        read_source("photo.txt", png)
    with pytest.raises(UnreadableFile, match="文字コードを判定できない"):
        read_source("x.txt", "Ça fait déjà très longtemps, n'est-ce pas?".encode("latin-1") * 2)


def test_a_whole_tree(tmp_path: Path) -> None:
    (tmp_path / "samples").symlink_to(SAMPLES, target_is_directory=True)
    (tmp_path / "formats").symlink_to(FORMATS, target_is_directory=True)
    with zipfile.ZipFile(tmp_path / "archive.docx", "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    (tmp_path / "empty.txt").write_bytes(b"")
    outcome: dict[str, str] = {}
    for src in iter_sources([str(tmp_path)]):
        name = Path(src.path).name
        if isinstance(src, UnreadableFile):
            outcome[name] = src.reason
            continue
        assert isinstance(src, Source)
        try:
            result = read_source(src.path, src.read_bytes())
        except UnreadableFile as err:
            outcome[name] = err.reason
        else:
            outcome[name] = f"{result.format}/{result.encoding}/{len(result.posts)}"
    assert outcome == {
        "archive.docx": "Word 文書 (.docx) を読めません (broken document: KeyError)",
        "empty.txt": "text/utf-8/0",
        "make_fixtures.py": "プログラムのソースコード (.py: source code) のため読み飛ばしました",
        "report-cp932.txt": "text/cp932/1",
        "report-eucjp.txt": "text/euc_jp/1",
        "report-utf16.txt": "text/utf-16/1",
        "report-utf8.txt": "text/utf-8/1",
        "report-utf8sig.txt": "text/utf-8-sig/1",
        "livedoor-export.txt": "mt/utf-8/3",
        "report.html": "html/utf-8/1",
        "report.md": "markdown/utf-8/1",
    }


def test_seed_archive_page_reads_as_five_posts() -> None:
    seed = Path(__file__).parent / "fixtures" / "seed-blog.txt"
    result = read(seed)
    assert result.format == "text"
    assert [p.title_lineno for p in result.posts] == [1, 162, 309, 461, 477]


def test_every_reason_and_warning_is_one_japanese_line(tmp_path: Path) -> None:
    import re

    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin.txt").write_bytes("Café crème à la française.\n".encode("latin-1") * 5)
    (tmp_path / "tool.py").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "page.html.bak").write_text("x", encoding="utf-8")
    (tmp_path / "~$doc.docx").write_bytes(b"x")
    (tmp_path / "script").write_text("#!/bin/sh\necho\n", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "bad.md").write_bytes("---\ntitle: [壊\n---\n本文\x00です\n".encode() + b"\xff")
    (tmp_path / "bomb.md").write_text("---\na: &a [x]\nb: *a\n---\n本文です。\n", encoding="utf-8")
    os_link = tmp_path / "gone.txt"
    os_link.symlink_to(tmp_path / "nowhere.txt")
    messages: list[str] = []
    for src in iter_sources([str(tmp_path), "https://example.jp/", str(tmp_path / "missing.txt")]):
        if isinstance(src, UnreadableFile):
            messages.append(src.reason)
            continue
        try:
            messages.extend(read_source(src.path, src.read_bytes()).warnings)
        except UnreadableFile as err:
            messages.append(err.reason)
    assert len(messages) >= 14
    for message in messages:
        assert "\n" not in message and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message), message
