"""Decoding: BOMs, UTF-8, UTF-16 with and without BOM, cp932, EUC-JP, binary files, damaged text."""

from __future__ import annotations

import gzip
import io
import sqlite3
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from kb.errors import UnreadableFile
from kb.reading import decode_bytes
from kb.reading.decode import UNDECODABLE

FORMATS = Path(__file__).parent / "fixtures" / "formats"
REPORT = (FORMATS / "report-utf8.txt").read_text(encoding="utf-8")
EUC_SUBSTITUTES = {"①": "(1)", "㈱": "(株)", "髙": "高", "～": "〜"}
SPECIALS = "①㈱髙～"


def euc_report() -> str:
    text = REPORT
    for a, b in EUC_SUBSTITUTES.items():
        text = text.replace(a, b)
    return text


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_report_fixture_has_the_cp932_only_characters() -> None:
    assert all(ch in REPORT for ch in SPECIALS)
    assert "142万人" in REPORT


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("report-utf8.txt", "utf-8"),
        ("report-utf8sig.txt", "utf-8-sig"),
        ("report-utf16.txt", "utf-16"),
        ("report-cp932.txt", "cp932"),
    ],
)
def test_fixture_files_decode_to_the_same_report(name: str, encoding: str) -> None:
    decoded = decode_bytes((FORMATS / name).read_bytes(), name)
    assert decoded.encoding == encoding
    assert decoded.text == REPORT
    assert decoded.warnings == []


def test_euc_jp_fixture() -> None:
    decoded = decode_bytes((FORMATS / "report-eucjp.txt").read_bytes(), "report-eucjp.txt")
    assert decoded.encoding == "euc_jp"
    assert decoded.text == euc_report()


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32"),
        ("cp932", "cp932"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_encoding_and_newline(codec: str, expected: str, newline: str) -> None:
    data = REPORT.replace("\n", newline).encode(codec)
    decoded = decode_bytes(data, "report.txt")
    assert decoded.encoding == expected
    assert decoded.text == REPORT


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_euc_jp_in_memory(newline: str) -> None:
    decoded = decode_bytes(euc_report().replace("\n", newline).encode("euc_jp"), "report.txt")
    assert decoded.encoding == "euc_jp"
    assert decoded.text == euc_report()


def test_euc_jp_ms_nec_symbols() -> None:
    """eucJP-ms files carry ① and ㈱ in row 13, which plain euc_jp rejects."""
    text = euc_report().replace("(1)", "①").replace("(株)", "㈱")
    decoded = decode_bytes(text.encode("euc_jis_2004"), "report.txt")
    assert decoded.text == text


def test_cp932_is_not_shift_jis() -> None:
    line = "①㈱髙島屋～の視察について報告します。"
    with pytest.raises(UnicodeEncodeError):
        line.encode("shift_jis")
    decoded = decode_bytes(line.encode("cp932"), "x.txt")
    assert (decoded.encoding, decoded.text) == ("cp932", line)


@pytest.mark.parametrize(
    "text",
    [
        "視察報告",
        "台北市のバス専用レーンの成果と課題",
        "台北市の人口は約250万人です。",
        "■概要\n年間来場者数は142万人。\n",
        "台湾視察〜台北市・シンイー区のスマート交通視察",
    ],
)
def test_short_japanese_in_each_legacy_encoding(text: str) -> None:
    assert decode_bytes(text.encode("utf-8"), "x").text == text
    assert decode_bytes(text.encode("euc_jp"), "x").text == text
    assert decode_bytes(text.encode("cp932"), "x").text == text.replace("〜", "～")  # cp932's wave dash


@pytest.mark.parametrize("codec", ["euc_jp", "cp932"])
@pytest.mark.parametrize(
    "text",
    [
        "市民会館の建て替えについて、担当課からお話を伺いました。",
        "保育士の確保のため、市独自の家賃補助制度を設けています。\n待機児童は3年でゼロになりました。\n",
    ],
)
def test_legacy_bytes_that_hold_valid_utf8_sequences_are_not_damaged_utf8(text: str, codec: str) -> None:
    """A kanji's two bytes often form a valid UTF-8 sequence (a Hangul or Cyrillic letter): that is
    no evidence of UTF-8. Read as damaged UTF-8, such a line came out as garbage with a warning."""
    data = text.encode(codec)
    escaped = data.decode("utf-8", errors="surrogateescape")
    assert sum(1 for ch in escaped if "\x80" <= ch < "\udc80") >= 10  # valid UTF-8 sequences by chance
    decoded = decode_bytes(data, "x.txt")
    assert (decoded.encoding, decoded.text, decoded.warnings) == (codec, text, [])


def test_utf16_without_bom_mostly_kanji() -> None:
    """一 (U+4E00) puts a NUL on the 'wrong' parity; the text decides, not the NUL count."""
    text = "2011年から5年連続で住みよさ日本一。\n私は現在、杉並区議会議員として活動しています。\n"
    for codec in ("utf-16-le", "utf-16-be"):
        decoded = decode_bytes(text.encode(codec), "x")
        assert (decoded.encoding, decoded.text) == (codec, text)


def test_explicit_encoding_wins() -> None:
    data = REPORT.encode("cp932")
    decoded = decode_bytes(data, "x.txt", encoding="cp932")
    assert decoded.encoding == "cp932"
    assert decoded.text == REPORT
    # a valid UTF-8 file read as EUC-JP on request: no guessing overrides the user
    assert decode_bytes(b"abc", "x.txt", encoding="euc-jp").encoding == "euc_jp"


def test_explicit_encoding_reads_damaged_bytes_with_replacements_and_a_warning() -> None:
    data = REPORT.encode("utf-8")
    damaged = data[:300] + b"\xff" + data[300:]
    decoded = decode_bytes(damaged, "report.txt", encoding="utf-8")
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 1
    assert decoded.warnings == ["壊れたバイト 1 か所を U+FFFD に置き換えて読みました (invalid UTF-8 bytes)"]
    # the wrong encoding asked for is still what the user asked: read, with the damage counted
    wrong = decode_bytes(REPORT.encode("cp932"), "report.txt", encoding="utf-8")
    assert wrong.encoding == "utf-8" and "U+FFFD" in wrong.warnings[0]


def test_unknown_encoding() -> None:
    with pytest.raises(UnreadableFile, match="unknown encoding"):
        decode_bytes(b"abc", "x.txt", encoding="klingon")


def test_utf8_with_a_few_invalid_bytes_is_repaired_with_a_warning() -> None:
    data = REPORT[:40].encode() + b"\xff" + REPORT[40:90].encode() + b"\xfe\xfe" + REPORT[90:].encode()
    decoded = decode_bytes(data, "x.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 2  # one replacement per run of bad bytes
    assert decoded.warnings == ["壊れたバイト 2 か所を U+FFFD に置き換えて読みました (invalid UTF-8 bytes)"]
    assert "142万人" in decoded.text


def test_utf8_truncated_in_the_middle_of_a_character() -> None:
    data = REPORT.encode("utf-8")[:-2] + "視".encode()[:2]
    decoded = decode_bytes(data, "x.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("\ufffd")
    assert decoded.warnings


def test_scattered_damage_in_a_utf8_file_is_repaired_not_skipped() -> None:
    """40 damaged bytes in about 6 KB, each inside a three-byte character (issue 17, item 2)."""
    import random

    rng = random.Random(17)
    data = bytearray((REPORT * 30).encode("utf-8")[:6144])
    starts = [i for i, b in enumerate(data) if 0xE0 <= b <= 0xEF and i < len(data) - 3]
    for i in rng.sample(starts, 40):
        data[i + 1] = 0x41  # breaks the character: its lead and last byte are now stray
    decoded = decode_bytes(bytes(data), "damaged.txt")
    assert decoded.encoding == "utf-8"
    assert 40 <= decoded.text.count("\ufffd") <= 81  # the lead and the last byte of each character
    assert decoded.warnings == ["壊れたバイト 40 か所を U+FFFD に置き換えて読みました (invalid UTF-8 bytes)"]
    assert "商店街" in decoded.text


def test_mostly_invalid_utf8_is_undecodable() -> None:
    data = bytes(range(0x80, 0x100)) * 4
    with pytest.raises(UnreadableFile) as err:
        decode_bytes(data, "bad.txt")
    # no encoding reads this: none is named (the option is, for an encoding the user knows)
    assert err.value.reason == UNDECODABLE
    assert not any(f"--encoding {name}" in err.value.reason for name in ("cp932", "euc-jp", "utf-8"))


def test_latin1_is_undecodable_and_no_japanese_encoding_is_suggested() -> None:
    data = "Café crème à la française, déjà vu: naïve façade.\n".encode("latin-1") * 3
    with pytest.raises(UnreadableFile) as err:
        decode_bytes(data, "latin.txt")
    assert err.value.reason == UNDECODABLE


def test_heavily_damaged_cp932_suggests_the_encoding_that_reads_it() -> None:
    good = (REPORT * 5).encode("cp932")
    # a broken double-byte character every 20 bytes: too many to guess, few enough for --encoding
    data = b"".join(good[i : i + 20] + b"\x81\x7f" for i in range(0, len(good), 20))
    with pytest.raises(UnreadableFile) as err:
        decode_bytes(data, "old.txt")
    assert err.value.reason.endswith("--encoding cp932)")
    decoded = decode_bytes(data, "old.txt", encoding="cp932")
    assert "商店街" in decoded.text and decoded.warnings


def test_nul_bytes_in_text_are_removed_with_a_warning() -> None:
    data = (REPORT[:30] + "\x00" + REPORT[30:90] + "\x00" + REPORT[90:]).encode()
    decoded = decode_bytes(data, "x.txt")
    assert decoded.text == REPORT
    assert decoded.warnings == ["NUL バイト 2 個を取り除きました (NUL bytes)"]


def test_empty_data() -> None:
    decoded = decode_bytes(b"", "empty.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == ("", "utf-8", [])


def test_bom_is_not_part_of_the_text() -> None:
    assert decode_bytes(b"\xef\xbb\xbf", "x").text == ""
    assert decode_bytes("\ufeff視察".encode(), "x", encoding="utf-8").text == "視察"


def zip_bytes(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<xml>視察</xml>")
    return buf.getvalue()


def sqlite_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "x.db"
    con = sqlite3.connect(path)
    con.execute("create table t (a text)")
    con.execute("insert into t values ('視察')")
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("PNG image", lambda _tmp: png_bytes()),
        ("JPEG image", lambda _tmp: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(100)),
        ("GIF image", lambda _tmp: b"GIF89a\x01\x00\x01\x00\x80\x00\x00"),
        (
            "PDF document",
            lambda _tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ),
        ("ZIP archive", lambda _tmp: zip_bytes(["a.txt"])),
        ("ZIP archive (Word document)", lambda _tmp: zip_bytes(["[Content_Types].xml", "word/document.xml"])),
        ("ZIP archive (Excel workbook)", lambda _tmp: zip_bytes(["[Content_Types].xml", "xl/workbook.xml"])),
        ("gzip archive", lambda _tmp: gzip.compress("視察報告".encode())),
        ("SQLite database", sqlite_bytes),
    ],
)
def test_binary_files_are_rejected_by_magic(kind: str, make: object, tmp_path: Path) -> None:
    assert callable(make)
    data = make(tmp_path)
    for encoding in (None, "utf-8"):
        with pytest.raises(UnreadableFile) as err:
            decode_bytes(data, "file.txt", encoding=encoding)
        assert err.value.reason == f"バイナリファイル ({kind}) のため読み飛ばしました"


def test_nul_heavy_content_is_binary() -> None:
    data = b"\x00\x01\x02\x03abc\x00\x00\x00\x10\x11" * 50
    with pytest.raises(UnreadableFile, match=r"バイナリファイル \(binary: NUL bytes"):
        decode_bytes(data, "blob.bin")


def test_random_bytes_are_rejected() -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(UnreadableFile):
        decode_bytes(data, "noise")


def test_utf16_with_bom_and_odd_length_is_repaired() -> None:
    data = REPORT.encode("utf-16") + b"\x00"
    decoded = decode_bytes(data, "x.txt")
    assert decoded.encoding == "utf-16"
    assert decoded.text.rstrip("\ufffd") == REPORT
    assert decoded.warnings
