"""Figures as a Japanese reader writes them: 235万人, 404億9900万円, 10〜15件, 412.35km2."""

from __future__ import annotations

import math
from decimal import Decimal

# Powers of 10_000 and their names; numbers beyond the last are written with a long top group.
_MYRIADS: tuple[str, ...] = ("", "万", "億", "兆", "京", "垓")

# At or above this magnitude a figure is written with 万/億/兆; below it, plain digits.
KANJI_THRESHOLD = 100_000

RANGE_SEP = "〜"


def _decimal(value: float) -> Decimal:
    """The value rounded to 15 significant digits, which drops binary float noise (0.30000000000000004)."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, ".15g"))


def plain_number(value: float) -> str:
    """A number as plain digits, no exponent, no float noise: 2350000.0 -> "2350000", 412.35 -> "412.35"."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    d = _decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f")


def _myriad_digits(value: float) -> str:
    """A number at or above 10万 written with 万/億/兆 groups: 123456789 -> "1億2345万6789"."""
    d = abs(_decimal(value))
    whole = int(d)
    fraction = format(d - whole, "f") if d != whole else ""
    groups: list[int] = []
    while whole and len(groups) < len(_MYRIADS) - 1:
        groups.append(whole % 10_000)
        whole //= 10_000
    if whole:  # beyond the last named unit: the top group keeps all its digits
        groups.append(whole)
    if fraction and not groups[0]:
        return plain_number(value)  # "100万0.5" reads oddly: keep the plain digits
    parts = [f"{group}{_MYRIADS[i]}" for i, group in reversed(list(enumerate(groups))) if group]
    text = "".join(parts) + fraction[1:]  # "0.5" -> ".5"
    return ("-" if value < 0 else "") + text


def _number(value: float, kanji: bool) -> str:
    if not isinstance(value, int) and not math.isfinite(value):
        return str(value)
    return _myriad_digits(value) if kanji else plain_number(value)


def japanese_figure(
    value: float | str | None,
    unit: str | None,
    value_max: float | None = None,
    surface: str | None = None,
) -> str:
    """A figure as a Japanese reader writes it.

    Below 10万 the digits are written plainly ("48000人", "412.35km2", "35%", "3割"); at or above,
    with 万/億/兆 and the remainder ("235万人", "404億9900万円", "1億2345万6789"). A range is written
    "10〜15件"; both ends use the same style, chosen by the larger magnitude. With no numeric value
    (None, or a string such as an ISO date) the surface is returned, else the string value, else "".
    """
    if value is None or isinstance(value, str):
        if surface is not None:
            return surface
        return value if isinstance(value, str) else ""
    unit = unit or ""
    magnitudes = [abs(value)] + ([abs(value_max)] if value_max is not None else [])
    finite = [m for m in magnitudes if math.isfinite(m)]
    kanji = bool(finite) and max(finite) >= KANJI_THRESHOLD
    text = _number(value, kanji)
    if value_max is not None and value_max != value:
        text += RANGE_SEP + _number(value_max, kanji)
    if unit and surface and ("の" + unit) in surface:  # 12の検討項目: the counted noun keeps its の
        return text + "の" + unit
    return text + unit
