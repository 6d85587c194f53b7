"""Bytes to text: binary sniffing, BOMs, UTF-8, UTF-16, cp932 and EUC-JP, newline normalisation."""

from __future__ import annotations

import codecs
import re

from kb.errors import UnreadableFile
from kb.record import field, record
from kb.text.fold import HALFWIDTH_KANA

_TRIED = (
    "文字コードを判定できないため読み飛ばしました (UTF-8, UTF-16, cp932, EUC-JP を試しました: cannot decode"
)
# No encoding is named when none of those reads the file: the option is, for one the user knows.
UNDECODABLE = f"{_TRIED}; 文字コードが分かっていれば --encoding で指定してください)"
# Damaged bytes tolerated when a file is otherwise text in one encoding: at most one damaged place
# in 30 characters, and (for UTF-8 found by its valid multi-byte sequences) 10 valid ones per damage.
_DAMAGE_RATIO = 30
_EVIDENCE = 10

# Magic numbers of binary formats people keep next to their notes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"OggS\x00", "Ogg media"),
    (b"ID3\x02\x00", "MP3 audio"),
    (b"ID3\x03\x00", "MP3 audio"),
    (b"ID3\x04\x00", "MP3 audio"),
    (b"fLaC\x00", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that never occur in text (tab, LF, FF, CR and ESC do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BAD_CHARS = re.compile(r"[\ud800-\udfff\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_KANA = re.compile(r"[\u3041-\u30ff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uffef\u2010-\u27bf\u3200-\u33ff\ufe0f]")
_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Labels Japanese pages declare; the cp932 superset reads what Shift_JIS pages really contain.
_CHARSET_ALIASES = {
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms-kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
}
_JAPANESE_CODECS = frozenset({"cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004"})
_ESCAPED = re.compile(r"[\udc80-\udcff]+")
# One damaged place: bad runs a character or two apart (a byte changed inside a character leaves
# its lead byte and its last byte stray on either side of the new one).
_PLACES = re.compile(r"[\udc80-\udcff]+(?:[^\udc80-\udcff]{1,2}[\udc80-\udcff]+)*")


@record(slots=True)
class Decoded:
    """A file's text, the encoding it was read with, and what was repaired on the way."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def binary_kind(data: bytes) -> str | None:
    """The kind of binary file ``data`` starts like ("PNG image", ...), or None when it may be text."""
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "MP4/HEIC media"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"BZh" and data[4:10] != b"1AY&SY":
                continue
            if magic == b"MZ" and b"This program" not in data[:512]:
                continue
            if kind == "ZIP archive":
                head = data[:4096]
                if b"word/" in head:
                    return "ZIP archive (Word document)"
                if b"xl/" in head:
                    return "ZIP archive (Excel workbook)"
                if b"ppt/" in head:
                    return "ZIP archive (PowerPoint document)"
            return kind
    return None


def binary_reason(kind: str) -> str:
    """The skip reason for a binary file, in the words the import report uses."""
    return f"バイナリファイル ({kind}) のため読み飛ばしました"


def decode_bytes(data: bytes, path: str, encoding: str | None = None) -> Decoded:
    """Decode a file's bytes to text with ``\\n`` newlines; raise UnreadableFile for binary or undecodable."""
    kind = binary_kind(data)
    if kind is not None:
        raise UnreadableFile(path, binary_reason(kind))
    if encoding is not None:
        decoded = _decode_explicit(data, path, encoding)
    elif not data:
        decoded = Decoded("", "utf-8")
    else:
        decoded = _decode_guess(data, path)
    return _finish(decoded)


def _decode_explicit(data: bytes, path: str, encoding: str) -> Decoded:
    """The encoding the user named: damaged bytes are replaced (with a warning), never a refusal."""
    name = _codec_name(encoding)
    if name is None:
        raise UnreadableFile(path, f"不明なエンコーディングです: {encoding!r} (unknown encoding)")
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        pass
    try:
        text, bad = _replace_bad(data, name)
    except UnicodeError:  # a stateful codec (ISO-2022-JP) that no error handler gets through
        raise UnreadableFile(path, f"{encoding} として読めません (cannot decode as {name})") from None
    return Decoded(text, name, [_replaced(bad, name)])


def _replace_bad(data: bytes, name: str) -> tuple[str, int]:
    """The text with each run of undecodable bytes as one U+FFFD, and the number of runs."""
    escaped = None
    if _ascii_compatible(name):
        try:
            escaped = data.decode(name, errors="surrogateescape")
        except UnicodeError:
            escaped = None
    if escaped is None:
        text = data.decode(name, errors="replace")
        return text, text.count("\ufffd")
    runs = _ESCAPED.findall(escaped)
    return _ESCAPED.sub("\ufffd", escaped), len(runs)


def _ascii_compatible(name: str) -> bool:
    return not name.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


def _replaced(bad: int, name: str) -> str:
    label = "UTF-8" if name.startswith("utf-8") or name == "utf_8" else name
    return f"壊れたバイト {bad} か所を U+FFFD に置き換えて読みました (invalid {label} bytes)"


def _decode_guess(data: bytes, path: str) -> Decoded:
    for bom, name in _BOMS:
        if data.startswith(bom):
            found = _decode_bom(data, name)
            if found is not None:
                return found
    nuls = data.count(0)
    controls = _control_ratio(data) > 0.1
    if nuls or controls:
        # UTF-16 puts NULs (ASCII) and control bytes (U+xx0F, U+xx1B ...) in perfectly good text
        found = _decode_utf16(data)
        if found is not None:
            return found
        if nuls * 20 > len(data) or controls:
            what = "binary: NUL bytes, not UTF-16 text" if nuls else "binary: control bytes"
            raise UnreadableFile(path, binary_reason(what))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _iso2022(data) or Decoded(text, "utf-8")
    lenient = _lenient_utf8(data, need_evidence=True)
    if lenient is not None:
        return lenient
    found = _declared(data) or _decode_japanese(data)
    if found is not None:
        return found
    lenient = _lenient_japanese(data) or _lenient_utf8(data, need_evidence=False)
    if lenient is not None:
        return lenient
    raise UnreadableFile(path, _undecodable(data))


def _undecodable(data: bytes) -> str:
    """The reason for a file no encoding reads, with ``--encoding X`` only when X reads it with few
    damaged places (then kb reads it with replacements); never a hint that cannot help."""
    best: tuple[float, str] | None = None
    for name in ("utf-8", "cp932", "euc_jp"):
        text, bad = _replace_bad(data, name)  # these codecs take every error handler
        ratio = bad / max(len(text), 1)
        if ratio < 0.1 and _looks_japanese(text) and (best is None or ratio < best[0]):
            best = (ratio, name)
    if best is None:
        return UNDECODABLE
    label = {"utf-8": "utf-8", "cp932": "cp932", "euc_jp": "euc-jp"}[best[1]]
    return f"{_TRIED}; 壊れたバイトを置き換えて読むには --encoding {label})"


def _iso2022(data: bytes) -> Decoded | None:
    """ISO-2022-JP (old mail and web pages): 7-bit, so valid UTF-8, but full of ESC $ B shifts."""
    if b"\x1b$B" not in data and b"\x1b$@" not in data:
        return None
    try:
        return Decoded(data.decode("iso2022_jp_ext"), "iso2022_jp_ext")
    except UnicodeDecodeError:
        return None


def _declared(data: bytes) -> Decoded | None:
    """The charset an HTML or XML file declares in its head, when the bytes agree with it."""
    m = _CHARSET.search(data[:4096])
    if m is None:
        return None
    name = _codec_name(m.group(1).decode("ascii"))
    if name not in _JAPANESE_CODECS:
        return None  # a page declaring ISO-8859-1 is no reason to read Japanese bytes as Latin-1
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        return None


def _codec_name(label: str) -> str | None:
    """Python's codec name for an encoding label, with Shift_JIS read as its superset cp932."""
    label = label.strip().lower().replace("_", "-")
    try:
        return codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None


def _decode_bom(data: bytes, name: str) -> Decoded | None:
    """A file with a BOM; a few damaged bytes are replaced rather than losing the file."""
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        pass
    if name == "utf-8-sig":
        return _lenient_utf8(data[3:], need_evidence=False, name=name)
    if name == "utf-32" and data.startswith(codecs.BOM_UTF32_LE):
        return None  # FF FE 00 00 may also be a UTF-16 BOM followed by U+0000
    text = data.decode(name, errors="replace")
    bad = text.count("\ufffd")
    if bad * 100 > max(len(text), 100):
        return None
    return Decoded(
        text, name, [f"壊れたコード単位 {bad} か所を U+FFFD に置き換えて読みました (invalid {name.upper()})"]
    )


def _decode_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM: whichever byte order decodes strictly to plausible text.

    ASCII characters put NUL bytes on one parity, but so do CJK characters such as 一 (U+4E00), so
    both orders are tried and the text is judged instead of the NUL positions.
    """
    if len(data) % 2 or len(data) < 4:
        return None
    best: tuple[float, str, str] | None = None
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not _plausible_utf16(text):
            continue
        score = _japanese_score(text) + sum(1 for ch in text if " " <= ch < "\x7f" or ch in "\t\n\r")
        if best is None or score > best[0]:
            best = (score, name, text)
    return Decoded(best[2], best[1]) if best is not None else None


def _plausible_utf16(text: str) -> bool:
    """Text, not byte pairs read as characters: no controls or private use, mostly ASCII or with kana."""
    if len(_BAD_CHARS.findall(text)) * 200 > len(text):
        return False
    latin = sum(1 for ch in text if ch < "\u0100")
    if latin * 2 >= len(text):
        return True
    others = len(text) - latin
    if len(_JAPANESE.findall(text)) * 10 < others * 9:
        return False
    # ASCII read as byte pairs gives kanji too, but neither kana nor line breaks
    return len(_KANA.findall(text)) * 20 >= others or (latin >= 2 and "\n" in text)


def _lenient_utf8(data: bytes, *, need_evidence: bool, name: str = "utf-8") -> Decoded | None:
    """Mostly valid UTF-8 with scattered damage: each run of bad bytes becomes one U+FFFD.

    A damaged byte inside a three-byte character leaves up to three bad bytes, so damage is counted
    in places (runs), against the characters around them: at most one place in _DAMAGE_RATIO
    characters, and with ``need_evidence`` at least _EVIDENCE valid Japanese characters per place,
    nine in ten of the valid multi-byte ones. EUC-JP and cp932 bytes form valid UTF-8 sequences
    too (a kanji's two bytes often do), but those read as Hangul, Cyrillic or Greek, rarely as
    kana or kanji; counting any valid sequence as evidence read one EUC-JP post in three as
    damaged UTF-8."""
    escaped = data.decode("utf-8", errors="surrogateescape")
    places = len(_PLACES.findall(escaped))
    if places * _DAMAGE_RATIO > max(len(escaped), _DAMAGE_RATIO):
        return None
    valid = [ch for ch in escaped if ch >= "\x80" and not "\udc80" <= ch <= "\udcff"]
    if need_evidence:
        japanese = sum(1 for ch in valid if _JAPANESE.match(ch))
        if japanese < _EVIDENCE * places or japanese * 10 < len(valid) * 9:
            return None
    elif len(valid) < 4 * places:
        return None
    text = _ESCAPED.sub("\ufffd", escaped)
    return Decoded(text, name, [_replaced(places, name)])


def _lenient_japanese(data: bytes) -> Decoded | None:
    """cp932 or EUC-JP text with a few damaged bytes: the one with the fewest damaged places."""
    best: tuple[float, str, str, int] | None = None
    for name in ("cp932", "euc_jp"):
        text, bad = _replace_bad(data, name)
        if bad * _DAMAGE_RATIO > max(len(text), _DAMAGE_RATIO):
            continue
        score = _japanese_score(text) - 10.0 * bad
        if score > 0 and _looks_japanese(text) and (best is None or score > best[0]):
            best = (score, name, text, bad)
    if best is None:
        return None
    return Decoded(best[2], best[1], [_replaced(best[3], best[1])])


def _decode_japanese(data: bytes) -> Decoded | None:
    """cp932 or EUC-JP, whichever decodes strictly and reads most like Japanese.

    cp932 "decodes" much EUC-JP as half-width katakana, so the candidates are scored, not taken in turn.
    euc_jis_2004 covers the NEC symbols (①, ㈱) that eucJP-ms files carry and plain euc_jp lacks;
    UTF-16 without a BOM or NUL bytes (kana and kanji only) competes here too.
    """
    best: tuple[float, str, str] | None = None
    for name in ("cp932", "euc_jp", "euc_jis_2004", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name.startswith("utf-16") and not _plausible_utf16(text):
            continue
        score = _japanese_score(text)
        if best is None or score > best[0]:
            best = (score, name, text)
    if best is None:
        return None
    return Decoded(best[2], best[1])


def _looks_japanese(text: str) -> bool:
    """Japanese prose: kana make up a good part of what is not ASCII (misread bytes give kanji)."""
    others = sum(1 for ch in text if ch >= "\x80" and ch != "\ufffd")
    return others > 0 and len(_KANA.findall(text)) * 5 >= others and _japanese_score(text) > 0


def _japanese_score(text: str) -> float:
    """Kana and kanji count for, half-width katakana and private-use characters count against."""
    return (
        2.0 * len(_KANA.findall(text))
        + len(_CJK.findall(text))
        - 2.0 * len(HALFWIDTH_KANA.findall(text))
        - 3.0 * len(_BAD_CHARS.findall(text))
    )


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    return sum(sample.count(b) for b in _CONTROL) / max(len(sample), 1)


def _finish(decoded: Decoded) -> Decoded:
    """Drop a leading BOM and NUL characters, normalise newlines."""
    text = decoded.text
    if text.startswith("\ufeff"):
        text = text[1:]
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        decoded.warnings.append(f"NUL バイト {nuls} 個を取り除きました (NUL bytes)")
    decoded.text = text.replace("\r\n", "\n").replace("\r", "\n")
    return decoded
