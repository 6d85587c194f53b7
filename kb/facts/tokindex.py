"""Look-ups over one passage's tokens: what a part of speech says, and which unit covers an offset."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import attrgetter

from kb.models import Token

# Facts about a part-of-speech tuple, as bits (Sudachi has a few hundred tuples: each is read once).
NOUN = 1 << 0  # 名詞
NAME_NOUN = 1 << 1  # 名詞 that may be part of a name: 普通名詞, 固有名詞, 数詞
NOUN_SUFFIX = 1 << 2  # 接尾辞,名詞的
SUFFIX = 1 << 3  # 接尾辞
PREFIX = 1 << 4  # 接頭辞
ADJ = 1 << 5  # 形状詞
COMMON = 1 << 6  # 普通名詞
PROPER = 1 << 7  # 固有名詞
PLACE = 1 << 8  # 固有名詞,地名
PERSON = 1 << 9  # (固有名詞,)人名
COUNTRY = 1 << 10  # (固有名詞,地名,)国
ADVERBIAL = 1 << 11  # (普通名詞,)副詞可能
NUMERAL = 1 << 12  # 数詞
COUNTER = 1 << 13  # 助数詞, 助数詞可能


def _field(pos: tuple[str, ...], i: int) -> str:
    """Field i of a part of speech, or '' when Sudachi gives fewer fields."""
    return pos[i] if len(pos) > i else ""


def _classify(pos: tuple[str, ...]) -> int:
    """The flag bits of one part-of-speech tuple."""
    p0, p1, p2, p3 = (_field(pos, i) for i in range(4))
    checks = (
        (NOUN, p0 == "名詞"),
        (NAME_NOUN, p0 == "名詞" and p1 in ("普通名詞", "固有名詞", "数詞")),
        (NOUN_SUFFIX, p0 == "接尾辞" and p1 == "名詞的"),
        (SUFFIX, p0 == "接尾辞"),
        (PREFIX, p0 == "接頭辞"),
        (ADJ, p0 == "形状詞"),
        (COMMON, p1 == "普通名詞"),
        (PROPER, p1 == "固有名詞"),
        (PLACE, p1 == "固有名詞" and p2 == "地名"),
        (PERSON, p2 == "人名"),
        (COUNTRY, p3 == "国"),
        (ADVERBIAL, p2 == "副詞可能"),
        (NUMERAL, p1 == "数詞"),
        (COUNTER, p2 in ("助数詞", "助数詞可能")),
    )
    return sum(bit for bit, ok in checks if ok)


class _PosFlags(dict[tuple[str, ...], int]):
    """Part-of-speech tuple -> flag bits, classified on first sight."""

    def __missing__(self, pos: tuple[str, ...]) -> int:
        """Classify a tuple not seen before and remember it."""
        flags = self[pos] = _classify(pos)
        return flags


POS_FLAGS = _PosFlags()


def is_counter(tok: Token) -> bool:
    """Whether Sudachi marks a token as a counter (助数詞 or 助数詞可能)."""
    return bool(POS_FLAGS[tok.pos] & COUNTER)


def is_numeral(tok: Token) -> bool:
    """Whether a token is a numeral (名詞,数詞)."""
    return bool(POS_FLAGS[tok.pos] & NUMERAL)


_START = attrgetter("start")


def _in_order(tokens: list[Token], length: int) -> bool:
    """Whether tokens are non-empty, in order, apart and inside a passage of the given length."""
    end = 0
    for t in tokens:
        if not end <= t.start < t.end:
            return False
        end = t.end
    return end <= length


class _Offsets:
    """Which token starts at or covers a character offset: by bisection when the tokens are in order."""

    __slots__ = ("_tokens", "_at", "_cover")

    def __init__(self, tokens: list[Token], length: int) -> None:
        """Index the tokens of a passage of the given length."""
        self._tokens = tokens
        self._at: dict[int, int] | None = None
        self._cover: list[int] | None = None
        if not _in_order(tokens, length):  # offset-by-offset tables, the last token winning
            self._at = {t.start: i for i, t in enumerate(tokens)}
            cover = [-1] * (length + 1)
            for i, t in enumerate(tokens):
                end = min(t.end, length)
                if end > t.start:
                    cover[t.start : end] = [i] * (end - t.start)
            self._cover = cover

    def starting_at(self, pos: int) -> int:
        """Index of the token starting at pos, or -1."""
        if self._at is not None:
            return self._at.get(pos, -1)
        i = bisect_left(self._tokens, pos, key=_START)
        return i if i < len(self._tokens) and self._tokens[i].start == pos else -1

    def covering(self, pos: int) -> int:
        """Index of the token covering the character at pos, or -1."""
        cover = self._cover
        if cover is None:
            i = bisect_right(self._tokens, pos, key=_START) - 1
            return i if i >= 0 and pos < self._tokens[i].end else -1
        return cover[pos] if 0 <= pos < len(cover) else -1


def _shorts(longs: list[Token]) -> list[Token]:
    """The non-empty short units of a passage's long units."""
    out: list[Token] = []
    for t in longs:
        if t.parts:
            out.extend(p for p in t.parts if p.end > p.start)
        else:
            out.append(t)
    return out


class TokenIndex:
    """Long units (mode C) and short units (mode A) of a passage, indexed by offset on first use."""

    __slots__ = ("longs", "_length", "_shorts", "_long_offsets", "_short_offsets")

    def __init__(self, tokens: Sequence[Token], length: int, *, nonempty: bool = False) -> None:
        """Index the tokens of a passage of the given length (nonempty: no token is empty)."""
        # Sudachi may emit empty tokens (it expands ⑴ or ㎡ internally): they carry no text.
        if nonempty and isinstance(tokens, list):
            self.longs = tokens
        else:
            self.longs = [t for t in tokens if t.end > t.start]
        self._length = length
        self._shorts: list[Token] | None = None
        self._long_offsets: _Offsets | None = None
        self._short_offsets: _Offsets | None = None

    @property
    def shorts(self) -> list[Token]:
        """The short units of the passage, in order."""
        if self._shorts is None:
            self._shorts = _shorts(self.longs)
        return self._shorts

    def _longs_by_offset(self) -> _Offsets:
        """The offsets of the long units."""
        if self._long_offsets is None:
            self._long_offsets = _Offsets(self.longs, self._length)
        return self._long_offsets

    def _shorts_by_offset(self) -> _Offsets:
        """The offsets of the short units."""
        if self._short_offsets is None:
            self._short_offsets = _Offsets(self.shorts, self._length)
        return self._short_offsets

    def long_at(self, pos: int) -> int:
        """Index of the long unit starting at pos, or -1."""
        return self._longs_by_offset().starting_at(pos)

    def short_at(self, pos: int) -> int:
        """Index of the short unit starting at pos, or -1."""
        return self._shorts_by_offset().starting_at(pos)

    def long_covering(self, pos: int) -> Token | None:
        """The long unit that covers the character at pos."""
        i = self._longs_by_offset().covering(pos)
        return self.longs[i] if i >= 0 else None

    def short_covering(self, pos: int) -> Token | None:
        """The short unit that covers the character at pos."""
        i = self._shorts_by_offset().covering(pos)
        return self.shorts[i] if i >= 0 else None

    def is_short_boundary(self, pos: int) -> bool:
        """Whether a short unit starts or ends at pos (or pos is outside every token)."""
        before = self.short_covering(pos - 1) if pos > 0 else None
        after = self.short_covering(pos)
        return before is None or after is None or before is not after

    def is_long_boundary(self, pos: int) -> bool:
        """Whether a long unit starts or ends at pos (or pos is outside every token)."""
        before = self.long_covering(pos - 1) if pos > 0 else None
        after = self.long_covering(pos)
        return before is None or after is None or before is not after
