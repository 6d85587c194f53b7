"""Numerals as Japanese writers spell them: 1,234 / 1.5 / ２５ / 二十五 / 37万 / 512億30百万."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Width folding that keeps every offset: full-width digits, Latin letters and a few signs become
# ASCII one for one. Circled numbers (①), parenthesised numbers (⑴) and unit symbols (㎡) are left
# alone on purpose: NFKC would turn ① into 1 and ㎡ into two characters.
_FOLD = {0xFF10 + i: 0x30 + i for i in range(10)}
_FOLD.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FOLD.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FOLD.update({ord(a): ord(b) for a, b in zip("％，．～－：／＄＃＋（）", "%,.~-:/$#+()", strict=True)})
_FOLD[0x3000] = 0x20  # ideographic space
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, sorted(_FOLD)))) + "]")  # any character to fold

KANJI_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10**4, "億": 10**8, "兆": 10**12}
_ZERO = Decimal(0)
KANJI_NUMERALS = frozenset(KANJI_DIGITS) | frozenset(_SMALL) | frozenset(_LARGE)  # digits and multipliers

ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_KANJI_CHARS = "〇一二三四五六七八九十百千"
# A numeral: Arabic digits or kanji numerals, then any mix of both with 万/億/兆 (never leading).
NUMBER = re.compile(rf"(?:{ARABIC}|[{_KANJI_CHARS}])(?:{ARABIC}|[{_KANJI_CHARS}万億兆])*")
NUMBER_START = re.compile(f"[0-9{_KANJI_CHARS}]")  # the characters a numeral may start with
_TOKEN = re.compile(rf"{ARABIC}|[{_KANJI_CHARS}万億兆]")


def fold(text: str) -> str:
    """Fold full-width digits, Latin letters and signs to ASCII without changing any offset."""
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def is_kanji_numeral(ch: str) -> bool:
    """Whether a character is a kanji digit or multiplier (一, 十, 万, ...)."""
    return ch in KANJI_NUMERALS


def parse_number(text: str) -> Decimal | None:
    """The value of a numeral such as ``1,234``, ``1.5万``, ``二十五``, ``512億30百万``; None if malformed."""
    if text.isdigit() and text.isascii():  # plain digits: the sum below, with nothing but them
        return _ZERO + Decimal(text)
    total = Decimal(0)  # sum of the groups closed by 万/億/兆
    section = Decimal(0)  # sum below the current 万 group (closed by 十/百/千)
    current: Decimal | None = None  # the pending digits
    last_large: int | None = None
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        tok = m.group()
        if tok[0].isdigit():
            if current is not None:
                return None  # two runs of digits in a row
            try:
                current = Decimal(tok.replace(",", ""))
            except InvalidOperation:
                return None
        elif tok in KANJI_DIGITS:
            # consecutive kanji digits read positionally: 二〇一八 -> 2018
            current = (current or Decimal(0)) * 10 + KANJI_DIGITS[tok]
        elif tok in _SMALL:
            section += (current if current is not None else Decimal(1)) * _SMALL[tok]
            current = None
        else:
            mult = _LARGE[tok]
            if last_large is not None and mult >= last_large:
                return None  # 万 after 億 is fine, 億 after 万 is not
            group = section + (current or Decimal(0))
            if group == 0:
                return None
            total += group * mult
            section = Decimal(0)
            current = None
            last_large = mult
    if pos != len(text) or pos == 0:
        return None
    return total + section + (current or Decimal(0))


def as_value(number: Decimal) -> float:
    """A Decimal as the value stored in a Fact: an int when whole, else a float."""
    if number == number.to_integral_value():
        return int(number)
    return float(number)
