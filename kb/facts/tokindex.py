"""Look-ups over one passage's tokens: which long or short unit starts, ends or covers an offset."""

from __future__ import annotations

from collections.abc import Sequence

from kb.models import Token


def is_counter(tok: Token) -> bool:
    """Whether Sudachi marks a token as a counter (助数詞 or 助数詞可能)."""
    return len(tok.pos) > 2 and tok.pos[2] in ("助数詞", "助数詞可能")


def is_numeral(tok: Token) -> bool:
    """Whether a token is a numeral (名詞,数詞)."""
    return len(tok.pos) > 1 and tok.pos[1] == "数詞"


def _cover(tokens: list[Token], length: int) -> list[int]:
    """For every character offset, the index of the token covering it (-1 for none)."""
    cover = [-1] * (length + 1)
    for i, t in enumerate(tokens):
        end = min(t.end, length)
        if end > t.start:
            cover[t.start : end] = [i] * (end - t.start)
    return cover


class TokenIndex:
    """Long units (mode C) and short units (mode A) of a passage, indexed by offset."""

    __slots__ = ("longs", "shorts", "_long_at", "_short_at", "_long_cover", "_short_cover", "long_ends")

    def __init__(self, tokens: Sequence[Token], length: int) -> None:
        """Index the tokens of a passage of the given length."""
        # Sudachi may emit empty tokens (it expands ⑴ or ㎡ internally): they carry no text.
        self.longs = [t for t in tokens if t.end > t.start]
        self.shorts: list[Token] = []
        for t in self.longs:
            if t.parts:
                self.shorts.extend(p for p in t.parts if p.end > p.start)
            else:
                self.shorts.append(t)
        self._long_at = {t.start: i for i, t in enumerate(self.longs)}
        self._short_at = {t.start: i for i, t in enumerate(self.shorts)}
        self.long_ends = {t.end for t in self.longs}
        self._long_cover = _cover(self.longs, length)
        self._short_cover = _cover(self.shorts, length)

    def long_at(self, pos: int) -> int:
        """Index of the long unit starting at pos, or -1."""
        return self._long_at.get(pos, -1)

    def short_at(self, pos: int) -> int:
        """Index of the short unit starting at pos, or -1."""
        return self._short_at.get(pos, -1)

    def long_covering(self, pos: int) -> Token | None:
        """The long unit that covers the character at pos."""
        i = self._long_cover[pos] if 0 <= pos < len(self._long_cover) else -1
        return self.longs[i] if i >= 0 else None

    def short_covering(self, pos: int) -> Token | None:
        """The short unit that covers the character at pos."""
        i = self._short_cover[pos] if 0 <= pos < len(self._short_cover) else -1
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
