"""Dates as councils write them: days in lines and titles (西暦 and 和暦), and periods for filters.

Days: ``2024年10月02日``, ``2024.10.02``, ``2024/10/2``, ``2024-10-02 20:38``, ``20241002``,
``令和6年10月2日(水)``, ``R6.10.2``, ``H30.4.1``. A day that does not exist is refused: ``平成30年2月30日``,
a 平成 day after 2019-04-30 (平成31年5月 does not exist), a 令和 day before 2019-05-01.

Periods (``--since``/``--until``): a year, a month or a day in any of those forms, an era year
(``令和5年``, ``R5``, ``令和元年``), and fiscal years (``令和5年度`` = 2023-04-01..2024-03-31). Full-width
digits are read as digits. Anything else raises QueryError with a one-line message and examples.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence

from kb.errors import QueryError
from kb.record import record
from kb.text.eras import ERA_BASE

# The first and last day of each era (明治 is counted from the start of 1868, as its year 1 is).
ERA_SPANS: dict[str, tuple[dt.date, dt.date]] = {
    "明治": (dt.date(1868, 1, 1), dt.date(1912, 7, 29)),
    "大正": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (dt.date(2019, 5, 1), dt.date.max),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_ERA_NAMES = "|".join(ERA_SPANS)

# Full-width digits, Latin letters and punctuation to ASCII, one character for one: offsets stay valid.
_WIDTH = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")

_EY = r"(?:\d{1,2}|元)"
_DAY = re.compile(
    rf"(?<![\dA-Za-z])(?:"
    rf"(?P<era>{_ERA_NAMES})\s*(?P<ey>{_EY})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    rf"|(?P<el>[RHST])\s*(?P<ey2>{_EY})\s*(?:(?P<s2>[./])\s*(?P<m2>\d{{1,2}})\s*(?P=s2)\s*(?P<d2>\d{{1,2}})"
    rf"|年\s*(?P<m2k>\d{{1,2}})\s*月\s*(?P<d2k>\d{{1,2}})\s*日)"
    r"|(?P<y>(?:1[89]|20)\d{2})\s*年\s*(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日"
    r"|(?P<y4>(?:1[89]|20)\d{2})(?P<s4>[/.\-])(?P<m4>\d{1,2})(?P=s4)(?P<d4>\d{1,2})"
    r"|(?P<y5>(?:19|20)\d{2})(?P<m5>0[1-9]|1[0-2])(?P<d5>0[1-9]|[12]\d|3[01])"
    r")(?!\d)"
)
# A day written without its year (7月16日(火), 7/19(金)): a date line, but no date can be made of it.
_MONTH_DAY = re.compile(r"(?<!\d)(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}/\d{1,2})(?!\d)")
_YEAR_MONTH = re.compile(
    rf"(?<!\d)(?:(?:1[89]|20)\d{{2}}\s*(?:年\s*\d{{1,2}}\s*月|[/.\-]\d{{1,2}})|(?:{_ERA_NAMES})\s*{_EY}\s*年\s*\d{{1,2}}\s*月)(?![\d/.\-])"
)
# What may stand around a date on a line that is only a date.
_LABEL = (
    r"(?:(?:投稿|更新|公開|掲載|作成|記事|配信|登録|活動|視察)?(?:日時|日付|年月日|日)"
    r"|posted(?:\s+(?:on|at))?|date|updated|published)"
)
_LEAD = re.compile(rf"^[\s■□◆◇●○▼▽★☆◎【\[(（《〈「『]*(?:{_LABEL}\s*[:：]?\s*)?", re.I)
_WEEKDAY = r"(?:[(（]?\s*(?:[月火水木金土日](?:曜日?)?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)\s*[)）]?)"
_TIME = r"(?:(?:午前|午後|am|pm)?\s*\d{1,2}\s*[:時]\s*\d{2}(?:\s*[:分]\s*\d{2}秒?)?分?\s*(?:am|pm)?)"
_TAIL = re.compile(
    rf"^\s*(?:{_WEEKDAY})?\s*(?:{_TIME})?\s*(?:(?:投稿|更新|公開)(?:日時)?)?\s*[】\])）》〉」』]*\s*(?:[|｜].{{0,40}})?$",
    re.I,
)
# After a date that ends a title: a range's second end (〜25日, 〜6.9), a weekday, closing brackets.
_TITLE_END = re.compile(
    rf"^\s*{_WEEKDAY}?\s*(?:[〜~～\-–―ー]\s*[\d\s./年月日]*{_WEEKDAY}?)?\s*[)）】\]」』]*\s*$", re.I
)
_TITLE_START = re.compile(r"^[\s(（【\[「『]*$")
# After a date that opens a title: a space, a bracket or a separator, not a particle (…日に開所した).
_AFTER_START = re.compile(rf"^(?:$|\s|[(（【\[「『|｜:：/\-–―〜~]|{_WEEKDAY})")


@record(frozen=True, slots=True)
class Day:
    """A day found in a text: its ISO form and where it is written (offsets into the text given)."""

    iso: str
    start: int
    end: int


@record(frozen=True, slots=True)
class Period:
    """A span of days, both ends included: ``--since`` uses ``start``, ``--until`` uses ``end``."""

    start: dt.date
    end: dt.date


def widen(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII, with every offset kept."""
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text


def find_days(text: str) -> Iterator[Day]:
    """Every day that exists written in ``text``, in order; impossible dates are left out."""
    for m in _DAY.finditer(widen(text)):
        day = _day_of(m)
        if day is not None:
            yield Day(day.isoformat(), m.start(), m.end())


def first_day(text: str) -> str | None:
    """The ISO form of the first day that exists in ``text`` (``2018-04-13T21:30:00+09:00`` too)."""
    return next((d.iso for d in find_days(text)), None)


def date_line(text: str) -> str | None:
    """The ISO day of a line that is only a date: a label (投稿日:), a weekday or a time may stand
    around it, nothing that reads as a sentence. None for other lines and for impossible dates."""
    s = widen(text).strip()
    if not s or len(s) > 60:
        return None
    lead = _LEAD.match(s)
    start = lead.end() if lead else 0
    m = _DAY.match(s, start)
    if m is None or not _TAIL.match(s[m.end() :]):
        return None
    day = _day_of(m)
    return None if day is None else day.isoformat()


def tail_date(lines: Sequence[str], end: int | None = None, within: int = 6) -> str | None:
    """The day of a date line among the last ``within`` non-blank lines (before ``end``): many
    blogs print the date under the post."""
    seen = 0
    for s in reversed(lines[: len(lines) if end is None else end]):
        if not s.strip():
            continue
        found = date_line(s)
        if found is not None:
            return found
        seen += 1
        if seen >= within:
            break
    return None


def is_date_line(text: str) -> bool:
    """Whether a line is only a date, with or without its year (``7月16日(火)``, ``2024年10月``)."""
    s = widen(text).strip()
    if not s or len(s) > 60:
        return False
    lead = _LEAD.match(s)
    start = lead.end() if lead else 0
    for pattern in (_DAY, _MONTH_DAY, _YEAR_MONTH):
        m = pattern.match(s, start)
        if m is not None and _TAIL.match(s[m.end() :]):
            return True
    return False


def title_date(title: str) -> str | None:
    """The ISO day a title starts or ends with (``R5.11.8 …``, ``…(2023/2/14)``, ``…令和5年7月24日〜25日``)."""
    s = widen(title)
    for day in find_days(s):
        opens = _TITLE_START.match(s[: day.start]) and _AFTER_START.match(s[day.end :])
        if opens or _TITLE_END.match(s[day.end :]):
            return day.iso
    return None


def _day_of(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    if g["era"] or g["el"]:
        era = g["era"] or ERA_LETTERS[g["el"].upper()]
        ey = g["ey"] or g["ey2"]
        month, day = (g["m"], g["d"]) if g["era"] else (g["m2"] or g["m2k"], g["d2"] or g["d2k"])
        year = ERA_BASE[era] + (1 if ey == "元" else int(ey))
        if ey != "元" and int(ey) == 0:
            return None
        found = _date(year, int(month), int(day))
        if found is None or not ERA_SPANS[era][0] <= found <= ERA_SPANS[era][1]:
            return None
        return found
    for y, mo, d in (("y", "m3", "d3"), ("y4", "m4", "d4"), ("y5", "m5", "d5")):
        if g[y]:
            return _date(int(g[y]), int(g[mo]), int(g[d]))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --------------------------------------------------------------------------- periods

_EXAMPLES = "例: 2018, 2018-04, 2018年4月13日, 20181024, 令和5年, R5, H30.4.1, 令和5年度, 2023年度"
_ERA = rf"(?:(?P<era>{_ERA_NAMES})|(?P<el>[MTSHRmtshr]))(?P<ey>\d{{1,2}}|元)"
_PERIODS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<y>\d{4})年度$"), "fiscal"),
    (re.compile(rf"^{_ERA}年度$"), "fiscal"),
    (re.compile(r"^(?P<y>\d{4})年?$"), "year"),
    (re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})|年(?P<mk>\d{1,2})月|(?P<m6>0[1-9]|1[0-2]))$"), "month"),
    (
        re.compile(
            r"^(?P<y>\d{4})(?:(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
            r"|年(?P<mk>\d{1,2})月(?P<dk>\d{1,2})日|(?P<m8>\d{2})(?P<d8>\d{2}))$"
        ),
        "day",
    ),
    (re.compile(rf"^{_ERA}年?$"), "year"),
    (re.compile(rf"^{_ERA}(?:[-/.](?P<m>\d{{1,2}})|年(?P<mk>\d{{1,2}})月)$"), "month"),
    (
        re.compile(
            rf"^{_ERA}(?:(?P<s>[-/.])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}})|年(?P<mk>\d{{1,2}})月(?P<dk>\d{{1,2}})日)$"
        ),
        "day",
    ),
)


def parse_period(text: str) -> Period:
    """The days a filter value stands for; QueryError (one line, with examples) when it is not a date."""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    for pattern, kind in _PERIODS:
        m = pattern.match(s)
        if m is not None:
            return _period(m, kind, text)
    raise QueryError(f"日付として読めません: {text.strip()!r} ({_EXAMPLES})")


def _period(m: re.Match[str], kind: str, text: str) -> Period:
    g = m.groupdict()
    era: str | None = None
    if g.get("ey") is not None:
        era = g["era"] or ERA_LETTERS[g["el"].upper()]
        ey = 1 if g["ey"] == "元" else int(g["ey"])
        if ey == 0:
            raise QueryError(f"{era}0年はありません: {text.strip()!r} (元年は1年です。{_EXAMPLES})")
        year = ERA_BASE[era] + ey
    else:
        year = int(g["y"])
    month = g.get("m") or g.get("mk") or g.get("m6") or g.get("m8")
    day = g.get("d") or g.get("dk") or g.get("d8")
    try:
        if kind == "fiscal":
            start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        elif kind == "year":
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif kind == "month":
            start = dt.date(year, int(month or 0), 1)
            end = (dt.date(year + 1, 1, 1) if start.month == 12 else dt.date(year, start.month + 1, 1)) - (
                dt.timedelta(days=1)
            )
        else:
            start = end = dt.date(year, int(month or 0), int(day or 0))
    except (ValueError, OverflowError):
        raise QueryError(f"その日付はありません: {text.strip()!r} ({_EXAMPLES})") from None
    if era is not None:
        first, last = ERA_SPANS[era]
        if kind == "fiscal":
            # 平成31年度 and 令和元年度 are both the year from 2019-04-01: the era only has to hold its year
            if not first.year <= year <= last.year:
                raise QueryError(_outside(era, text))
        else:
            start, end = max(start, first), min(end, last)
            if start > end:
                raise QueryError(_outside(era, text))
    return Period(start, end)


def _outside(era: str, text: str) -> str:
    first, last = ERA_SPANS[era]
    span = f"{_ja(first)}から" + ("" if last == dt.date.max else f"{_ja(last)}まで")
    return f"{era}にその日付はありません: {text.strip()!r} ({era}は{span}です。{_EXAMPLES})"


def _ja(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
