"""Figures and units as users type them in filters: `--min 10万`, `--max 1.5億`, `--unit ％`,
`--unit 億円`, `--unit 万人`; read into the values and canonical units the extractor stores."""

from __future__ import annotations

import math
import unicodedata

from kb.errors import QueryError

_SCALES = {"十": 10, "百": 10**2, "千": 10**3, "万": 10**4, "億": 10**8, "兆": 10**12}
# Counters that count people: a filter on one finds both unless it asks for the exact unit.
PEOPLE = ("人", "名")


def resolve_unit(text: str, *, exact: bool = False) -> tuple[tuple[str, ...], int, str | None]:
    """The stored units a typed unit means, the scale its prefix gives (億円 → 円 and 10**8), and a
    note saying how it was read when that is not the unit as typed."""
    from kb.facts.quantities import canonical_unit

    typed = text.strip()
    unit = unicodedata.normalize("NFKC", typed).replace(" ", "")
    scale = 1
    while len(unit) > 1 and unit[0] in _SCALES:  # 百万円 is 円 in millions, 千万円 円 in 10 millions
        scale, unit = scale * _SCALES[unit[0]], unit[1:]
    unit = canonical_unit(unit)
    units: tuple[str, ...] = (unit,)
    if unit in PEOPLE and not exact:
        units = PEOPLE
    parts: list[str] = []
    if unit != typed:
        parts.append(f"単位 {typed} は {unit} として検索しました")
    if scale != 1:
        parts.append(f"--min/--max は {typed} 単位で読みました")
    if len(units) > 1:
        parts.append(f"{'・'.join(units)} をまとめて検索しました (分けるには --exact-unit)")
    return units, scale, "、".join(parts) or None


def parse_figure(value: float | str, option: str) -> float:
    """A number as a Japanese user writes it: 100000, 100,000, 10万, 1.5億, １０万 (full width)."""
    from kb.facts.numerals import fold, parse_number

    if isinstance(value, int | float):
        number = float(value)
    else:
        text = fold(unicodedata.normalize("NFKC", value).strip()).replace(" ", "")
        sign = -1.0 if text.startswith(("-", "−", "▲")) else 1.0
        parsed = parse_number(text.lstrip("-−▲+"))
        if parsed is None:
            raise QueryError(
                f"{option} には数を指定してください ({value!r}; 例: 100000, 10万, 1.5億; 単位は --unit で)"
            )
        number = sign * float(parsed)
    if not math.isfinite(number):
        raise QueryError(f"{option} には有限の数を指定してください ({value})")
    return number
