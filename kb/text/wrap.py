"""Display width and line breaking for Japanese text in a terminal: wide characters take two columns,
no line starts with 、。」 or a small kana (kinsoku), and a number or a Latin word is never cut."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters a line must not start with (行頭禁則): closing brackets and punctuation, small kana, ー.
NO_LINE_START = frozenset(
    "、。，．,.・：:；;！!？?)）]］}｝」』】〕〉》”’ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々ゝゞヽヾ%％"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ｡､｣゛゜〻"
)
# Characters a line must not end with (行末禁則): opening brackets.
NO_LINE_END = frozenset("(（[［{｛「『【〔〈《“‘")
_KEEP = frozenset("0123456789,.%+-/:０１２３４５６７８９，．％")  # inside a number: never cut
_MULTIPLIERS = frozenset("万億兆千")  # 235万人, 30億円: a figure stays on one line with its unit
_AFTER_FIGURE = frozenset("万億兆千百円人名件台回個歳年月日時分秒倍割")
_QUOTES = frozenset("\"'")  # ASCII quotes open or close: they stay with the word they touch


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Columns one character takes: 2 for wide and full-width ones, 0 for combining marks."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns a one-line text takes (◼️ with its variation selector counts as wide)."""
    total = 0
    for i, ch in enumerate(text):
        w = char_width(ch)
        if w == 1 and text[i + 1 : i + 2] == "\ufe0f":
            w = 2
        total += w
    return total


def _unbreakable(a: str, b: str) -> bool:
    """Whether a line may not break between a and b: inside a number or a Latin word, before a
    character that may not start a line, after one that may not end it."""
    if b in NO_LINE_START or a in NO_LINE_END or b in "\ufe0e\ufe0f":
        return True
    if (a in _QUOTES and not b.isspace()) or (b in _QUOTES and not a.isspace()):
        return True
    if (a.isdigit() or a in _MULTIPLIERS) and b in _AFTER_FIGURE:
        return True
    if a in _MULTIPLIERS and (b.isdigit() or b in _KEEP):  # 8901万2345: one figure
        return True
    latin = (a.isascii() and a.isalnum()) or a in _KEEP
    return latin and ((b.isascii() and b.isalnum()) or b in _KEEP)


def breaks(text: str, columns: int) -> list[tuple[int, int]]:
    """Where one line of text is cut into lines of at most ``columns``: (start, end) of each line in
    the text (spaces at a cut are left out). A piece that cannot be cut and is longer stays whole."""
    columns = max(columns, 4)
    n = len(text)
    if width(text) <= columns:
        return [(0, n)] if n else []
    out: list[tuple[int, int]] = []
    start = used = 0
    last_break = -1  # the latest index where a new line may start
    i = 0
    while i < n:
        w = char_width(text[i])
        if w == 1 and text[i + 1 : i + 2] == "\ufe0f":
            w = 2
        if i > start and not _unbreakable(text[i - 1], text[i]):
            last_break = i
        if used + w > columns and i > start:
            cut = last_break if last_break > start else i
            end = cut
            while end > start and text[end - 1] == " ":
                end -= 1
            out.append((start, end))
            start = cut
            while start < n and text[start] == " ":
                start += 1
            used = width(text[start:i]) if start < i else 0
            last_break = -1
            if start > i:
                i = start
                continue
        used += w
        i += 1
    if start < n:
        out.append((start, n))
    return out


def wrap(text: str, columns: int) -> list[str]:
    """One line of text cut into lines of at most ``columns`` where Japanese typesetting allows."""
    return [text[a:b] for a, b in breaks(text, columns)]
