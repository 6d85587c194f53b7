"""Width and case folding for matching, with a map back to the original text's offsets.

Full-width Latin and digits become ASCII, half-width katakana becomes full-width, Latin is
case-folded. Circled and parenthesised numbers (①, ⑴) and symbols such as ㈱ are left alone, so
list numbering never turns into figures and every folded character maps back to the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import overload


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:  # full-width ASCII
        return chr(o - 0xFEE0).casefold()
    if o == 0x3000:  # ideographic space
        return " "
    if 0xFF61 <= o <= 0xFF9F:  # half-width katakana and marks
        return unicodedata.normalize("NFKC", ch)
    if ch in "\ufe0e\ufe0f\u200b\u200d":  # variation selectors and zero-width joiners
        return ""
    if o < 0x250:  # one character for one, so that offsets map back: İ (i + a combining dot) is i
        for folded in (ch.casefold(), ch.lower()):
            if len(folded) == 1:
                return folded
        return unicodedata.normalize("NFD", ch)[0].lower()
    return ch


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for o in list(range(0x250)) + list(range(0xFF01, 0xFF5F)) + [0x3000, 0xFE0E, 0xFE0F, 0x200B, 0x200D]:
        folded = _fold_char(chr(o))
        if folded != chr(o):
            table[o] = folded
    return table


_TABLE = _table()
HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")


def fold(text: str) -> str:
    """Fold width and case for matching: ``ｍＶｏｔｉｎｇ`` → ``mvoting``, ``ＷｉＦｉ`` → ``wifi``."""
    if HALFWIDTH_KANA.search(text):
        return fold_with_map(text)[0]
    return text.translate(_TABLE)


_DROPPED = re.compile("[\ufe0e\ufe0f\u200b\u200d]")


class _Shifted(Sequence[int]):
    """The offsets back into a text from the text with some characters removed (at ``drops``):
    computed per lookup by bisection, where fold_with_map builds a list as long as the text."""

    def __init__(self, drops: list[int], n: int) -> None:
        self._adj = [d - k for k, d in enumerate(drops)]  # where each removed char would stand
        self._len = n - len(drops) + 1

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...
    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        return i + bisect_right(self._adj, i)


def without_dropped(text: str) -> tuple[str, Sequence[int]]:
    """The text without the marks folding drops (variation selectors, zero-width joiners) and the map
    back to its offsets, as fold_with_map gives them; cheap for a long text holding a few."""
    drops = [m.start() for m in _DROPPED.finditer(text)]
    if not drops:
        return text, range(len(text) + 1)
    return _DROPPED.sub("", text), _Shifted(drops, len(text))


def fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """What fold_with_map gives, with the map computed per lookup when folding is one character for
    one but for the marks it drops (a text without half-width katakana): a search folds whole posts
    to find a few strings in them, and the list fold_with_map builds is as long as the text."""
    if HALFWIDTH_KANA.search(text):
        return fold_with_map(text)
    folded = text.translate(_TABLE)
    if len(folded) == len(text):
        return folded, range(len(text) + 1)
    return folded, _Shifted([m.start() for m in _DROPPED.finditer(text)], len(text))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold text and return, for every folded character, the offset of its source character.

    Half-width katakana followed by a half-width voicing mark fold into one character (ｶﾞ → ガ).
    The map has one extra entry at the end, ``len(text)``, so spans map back with ``m[end]``.
    """
    if not HALFWIDTH_KANA.search(text):  # one character for one, but the marks folding drops
        folded = text.translate(_TABLE)
        n = len(text)
        if len(folded) == n:
            return folded, list(range(n + 1))
        dropped = {m.start() for m in _DROPPED.finditer(text)}
        return folded, [i for i in range(n) if i not in dropped] + [n]
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if i + 1 < n and text[i + 1] in "\uff9e\uff9f" and 0xFF61 <= ord(ch) <= 0xFF9D:
            folded = unicodedata.normalize("NFKC", text[i : i + 2])
            if len(folded) == 1:
                out.append(folded)
                offsets.append(i)
                i += 2
                continue
        for f in _fold_char(ch):
            out.append(f)
            offsets.append(i)
        i += 1
    offsets.append(n)
    return "".join(out), offsets


_HEADING_MARKS = re.compile(
    r"^[\s\u3000◼◾■□◆◇●○▼▽▲△▶▷★☆◎◉❖※【\[（(〔《〈「『\ufe0e\ufe0f]+|[\s\u3000】\]）)〕》〉」』]+$"
)


def heading_key(heading: str) -> str:
    """A heading as a topic: folded, without the marks and brackets around it (◼️MaaS, ■ＭａａＳ
    and 【MaaS】 are one topic)."""
    folded = fold(heading)
    stripped = _HEADING_MARKS.sub("", folded).strip()
    return stripped or folded.strip()
