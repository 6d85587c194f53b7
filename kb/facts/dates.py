"""Dates: 西暦 and 和暦 years, fiscal years, month-day, day-only and relative words (昨日, 去年)."""

from __future__ import annotations

import datetime as dt
import re

from kb.facts.numerals import parse_number
from kb.facts.tokindex import TokenIndex
from kb.models import Fact
from kb.record import record
from kb.text.eras import ERA_BASE, ERA_ROMAN

_ERA_NAMES = "|".join(ERA_BASE)
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_N2 = r"[0-9]{1,2}|[〇一二三四五六七八九十]{1,3}"  # a month, day or era year, Arabic or kanji
_MD = rf"(?:\s?(?P<m>{_N2})\s?月(?:\s?(?P<d>{_N2})\s?日)?)?"  # optional month and day after a year

# Each pattern has a priority (lower wins when two overlap at the same start and length) and the
# characters one of which it needs: a passage without any of them is not searched with it.
_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "era",
        "年",
        re.compile(rf"(?P<era>{_ERA_NAMES})\s?(?P<y>元|{_N2})\s?年(?:(?P<fy>度)|(?P<decade>代))?{_MD}"),
    ),
    ("era", "年", re.compile(rf"(?<![A-Za-z])(?P<era>[MTSHR])\.?(?P<y>[0-9]{{1,2}})年(?P<fy>度)?{_MD}")),
    # R6.9.14, H30/4/1: an era letter with a dotted or slashed date
    (
        "era",
        "./",
        re.compile(
            r"(?<![A-Za-z0-9])(?P<era>[MTSHR])\.?(?P<y>[0-9]{1,2})(?P<sep>[/.])(?P<m>[0-9]{1,2})(?P=sep)"
            r"(?P<d>[0-9]{1,2})(?![0-9])(?!\.[0-9])"
        ),
    ),
    # 2019/4/1, 2021.07.05, 2025-02-18 (the same separator twice)
    (
        "ymd",
        "/.-",
        re.compile(
            r"(?<![0-9/.\-])(?P<y>[0-9]{4})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])"
            r"(?![/.\-][0-9])"
        ),
    ),
    # a four-digit year, unless the words after it make it a length of time (1000年以上, 2000年前)
    (
        "year",
        "年",
        re.compile(
            rf"(?<![0-9.,])(?P<y>[0-9]{{4}})\s?年(?:(?P<fy>度)|(?P<decade>代))?(?!間|以上|近く|余|前(?!半)|後(?!半)|ぶり){_MD}"
        ),
    ),
    ("md", "月", re.compile(rf"(?<![0-9.,])(?P<m>{_N2})\s?月\s?(?P<d>{_N2})\s?日(?![間目])")),
    # two days of one month in one expression: 5月13-14日, 8月1,2日
    (
        "md",
        "月",
        re.compile(
            r"(?<![0-9.,])(?P<m>[0-9]{1,2})\s?月\s?(?P<d>[0-9]{1,2})\s?(?:[〜~\-－–‐]|[,、・])\s?(?P<d2>[0-9]{1,2})\s?日(?![間目])"
        ),
    ),
    # M/D where it reads as a date: before a weekday, まで/から, a range mark, inside brackets, or alone on a line
    ("slash", "/", re.compile(r"(?<![0-9/.\-:A-Za-z])(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?![0-9/.:A-Za-z])")),
    (
        "month",
        "月",
        re.compile(
            r"(?<![0-9.,〇一二三四五六七八九十])(?P<m>[0-9]{1,2}|[一二三四五六七八九十]{1,2})月(?![間曜])"
        ),
    ),
    # a two-digit year only where it reads as one: 96年の春, 19年4月, ’96年
    (
        "yy",
        "年",
        re.compile(r"(?<![0-9.,])['’]?(?P<y>[0-9]{2})年(?=の?(?:春|夏|秋|冬|頃|ごろ|当時|[0-9]{1,2}月))"),
    ),
    # the first year of a range of years: 2017〜2019年
    ("year", "年", re.compile(r"(?<![0-9.,])(?P<y>[0-9]{4})(?=\s?[〜~\-－]\s?[0-9]{4}\s?年)(?P<fy>)")),
    # a day that ends a range of dates: 6月9日〜11日, 9日から11日
    ("day", "日", re.compile(r"(?:(?<=日[〜~\-－])|(?<=日から))(?P<d>[0-9]{1,2})日(?![間目分])")),
    # the day that ends a range after a weekday: 10/7(火)〜8(水) (the weekday stays out of both dates)
    (
        "day",
        "〜~",
        re.compile(r"(?<=[月火水木金土日][)）][〜~])(?P<d>[0-9]{1,2})(?=\s?[(（][月火水木金土日])"),
    ),
    # a day alone at the start of a sentence is a date: 14日は…, 22日午後は…
    (
        "day",
        "日",
        re.compile(
            r"(?:^|(?<=[。！？!?\s]))(?P<d>[0-9]{1,2})日(?=は|、|午前|午後|朝|夕方|夜|の(?:午前|午後|朝|夜|夕方|晩))"
        ),
    ),
    # a day alone is a date when it marks a point in time: 17日まで, 21日に, 5日(金)
    (
        "day",
        "日",
        re.compile(
            r"(?<![0-9.,第])(?P<d>[0-9]{1,2})日(?=まで|から|に(?![0-9一二三四五六七八九十])|より|以降|以前|付|頃|ごろ|[(（][月火水木金土日]"
            r"|の(?:午前|午後|朝|夜|夕方|晩))"
        ),
    ),
]
# What may follow an M/D that makes it a date (8/23(土), 6/14まで, 11/5〜6).
_SLASH_AFTER = re.compile(r"\s?[(（][月火水木金土日]|まで|から|より|以降|頃|ごろ|現在|時点|付|\s?[〜~]")

# Relative words: (kind, offset); the kind says what the offset counts.
_RELATIVE = {
    "一昨日": ("day", -2),
    "おととい": ("day", -2),
    "昨日": ("day", -1),
    "きのう": ("day", -1),
    "今日": ("day", 0),
    "きょう": ("day", 0),
    "本日": ("day", 0),
    "明日": ("day", 1),
    "明後日": ("day", 2),
    "今朝": ("day", 0),
    "今夜": ("day", 0),
    "今晩": ("day", 0),
    "昨夜": ("day", -1),
    "昨晩": ("day", -1),
    "一昨年": ("year", -2),
    "去年": ("year", -1),
    "昨年": ("year", -1),
    "今年": ("year", 0),
    "本年": ("year", 0),
    "来年": ("year", 1),
    "再来年": ("year", 2),
    "昨年度": ("fy", -1),
    "前年度": ("fy", -1),
    "今年度": ("fy", 0),
    "本年度": ("fy", 0),
    "来年度": ("fy", 1),
    "先月": ("month", -1),
    "今月": ("month", 0),
    "来月": ("month", 1),
    "先週": ("week", -1),
    "今週": ("week", 0),
    "来週": ("week", 1),
}
_RELATIVE_RE = re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True)))
# What any date needs: a character some pattern needs, or one that every relative word written in
# kanji holds (the others are spelled in kana).
_HINT_CHARS = "".join(sorted({ch for _, hint, _ in _PATTERNS for ch in hint}))
DATE_HINT = re.compile(f"[{re.escape(_HINT_CHARS)}週朝夜晩]|おととい|きのう|きょう")
# What every pattern above needs: an era name, or a digit right before 年, 月, 日, /, . or - (a space between).
_NUMBERED_HINT = re.compile(r"明治|大正|昭和|平成|令和|[0-9〇一二三四五六七八九十]\s?[年月日/.\-]")


@record(slots=True)
class DateState:
    """What earlier text in the post says about time: the post date and the last month named."""

    post_date: dt.date | None = None
    last_month: int | None = None
    last_month_surface: str | None = None


def parse_post_date(value: str | None) -> dt.date | None:
    """A post's ISO date as a date, or None when missing or malformed."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    """An integer from Arabic or kanji digits, or None."""
    if text is None:
        return None
    n = parse_number(text)
    return int(n) if n is not None and n == n.to_integral_value() else None


def _two_digit_year(yy: int, state: DateState) -> int:
    """A two-digit year read as the most recent year not far after the post (or today)."""
    ref = state.post_date.year if state.post_date else dt.date.today().year
    year = 2000 + yy
    return year if year <= ref + 5 else 1900 + yy


def _month_day(m: int | None, d: int | None, year: int | None = None) -> str | None:
    """MM or MM-DD when month and day make a real date (in that year, when known), else None."""
    if m is None or not 1 <= m <= 12:
        return None
    if d is None:
        return f"{m:02d}"
    try:  # 2月30日 is no date; 2月29日 is one when no year says otherwise
        dt.date(year if year is not None else 2000, m, d)
    except ValueError:
        return None
    return f"{m:02d}-{d:02d}"


class _Refused(Exception):
    """The expression reads as a date but names none (平成30年2月30日): neither a date nor an amount."""


def _absolute(name: str, g: dict[str, str | None], state: DateState) -> Fact | None:
    """A Fact (offsets unset) for one pattern match, or None when the numbers are not a date.

    Raises _Refused when the expression has a date's shape but its day or month cannot be."""
    note: str | None = None
    year: int | None = None
    if name == "era":
        era_text = g["era"] or ""
        era = _ERA_LETTERS.get(era_text, era_text)
        base, roman = ERA_BASE[era], ERA_ROMAN[era]
        n = 1 if g["y"] == "元" else _int(g["y"])
        if n is None or n < 1:
            return None
        year = base + n
        note = f"Japanese era year {roman} {'1 (元年)' if g['y'] == '元' else n}"
    elif name in ("year", "ymd"):
        year = _int(g["y"])
        if year is None or not 1500 <= year <= 2199:
            return None
    elif name == "yy":
        yy = _int(g["y"])
        if yy is None:
            return None
        year = _two_digit_year(yy, state)
        note = "two-digit year"
    m, d = _int(g.get("m")), _int(g.get("d"))
    if g.get("fy"):
        note = f"{note}; fiscal year" if note else "fiscal year"
    if g.get("decade"):
        note = f"{note}; decade" if note else "decade"
    if g.get("m") is None and name != "day":
        if year is None:
            return None
        return Fact("date", "", 0, 0, value=f"{year:04d}", unit="year", note=note)
    if name == "day":
        if d is None or not 1 <= d <= 31:
            return None
        if state.last_month is not None:
            if _month_day(state.last_month, d) is None:
                raise _Refused
            value = f"--{state.last_month:02d}-{d:02d}"
            note = f"day only in text; month inferred from {state.last_month_surface}"
        else:
            value = f"---{d:02d}"
            note = "day only in text"
        return Fact("date", "", 0, 0, value=value, unit="date", note=note)
    md = _month_day(m, d, year)
    if md is None:
        if m is not None and (1 <= m <= 12 and d is not None or name in ("era", "year", "ymd")):
            raise _Refused
        return None
    value = f"{year:04d}-{md}" if year is not None else f"--{md}"
    d2 = _int(g.get("d2"))
    if d2 is not None:  # 5月13-14日: two days of one month
        md2 = _month_day(m, d2, year)
        if md2 is None or d2 <= (d or 0):
            raise _Refused
        value += "/" + (f"{year:04d}-{md2}" if year is not None else f"--{md2}")
        note = f"{note}; range" if note else "range"
    return Fact("date", "", 0, 0, value=value, unit="date", note=note)


def _shift_month(day: dt.date, months: int) -> str:
    """The ISO year-month that lies months after the day's month."""
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative_value(word: str, post_date: dt.date | None) -> str | None:
    """The ISO value of a relative word against the post date (None without a post date)."""
    if post_date is None:
        return None
    kind, offset = _RELATIVE[word]
    if kind == "day":
        return (post_date + dt.timedelta(days=offset)).isoformat()
    if kind == "year":
        return f"{post_date.year + offset:04d}"
    if kind == "fy":  # the Japanese fiscal year starts on 1 April
        fiscal = post_date.year if post_date.month >= 4 else post_date.year - 1
        return f"{fiscal + offset:04d}"
    if kind == "month":
        return _shift_month(post_date, offset)
    iso = (post_date + dt.timedelta(weeks=offset)).isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _slash_ok(folded: str, start: int, end: int) -> bool:
    """Whether an M/D reads as a date: before a weekday, まで/から or a range mark, in brackets, alone,
    or opening a sentence before a comma."""
    if _SLASH_AFTER.match(folded, end):
        return True
    before = folded[start - 1 : start]
    if before in "(（" and folded[end : end + 1] in ")）":
        return True  # (7/26)
    # alone on a line, or opening a sentence before a comma (7/3、委員会で…)
    return (start == 0 or before.isspace()) and (
        end == len(folded) or folded[end].isspace() or folded[end] in "、,"
    )


def find_dates(
    text: str, folded: str, idx: TokenIndex, state: DateState, refused: list[tuple[int, int]] | None = None
) -> list[Fact]:
    """Dates in one passage, in text order, with passage offsets; updates state (last month named).

    Spans that look like dates but name none (平成30年2月30日) are appended to ``refused``."""
    if not DATE_HINT.search(folded):
        return []
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    if _NUMBERED_HINT.search(folded):
        seen = {ch for ch in _HINT_CHARS if ch in folded}
        for prio, (name, hint, pattern) in enumerate(_PATTERNS):
            if seen.isdisjoint(hint):
                continue
            for m in pattern.finditer(folded):
                if name == "slash":
                    if not _slash_ok(folded, m.start(), m.end()):
                        continue
                    name = "md"
                candidates.append((m.start(), -(m.end() - m.start()), prio, name, m))
                name = _PATTERNS[prio][0]
    for m in _RELATIVE_RE.finditer(folded):
        if idx.is_long_boundary(m.start()) and idx.is_long_boundary(m.end()):
            candidates.append((m.start(), -(m.end() - m.start()), len(_PATTERNS), "relative", m))
    if not candidates:
        return []
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    out: list[Fact] = []
    taken_end = 0
    for start, _neg, _prio, name, m in candidates:
        if start < taken_end:
            continue
        end = m.end()
        if name == "relative":
            word = m.group()
            kind = _RELATIVE[word][0]
            note = "relative to post date" + ("; fiscal year" if kind == "fy" else "")
            fact = Fact(
                "date", "", 0, 0, value=_relative_value(word, state.post_date), unit="relative", note=note
            )
        else:
            try:
                found = _absolute(name, m.groupdict(), state)
            except _Refused:
                if refused is not None:
                    refused.append((start, end))
                taken_end = end
                continue
            if found is None:
                continue
            fact = found
        fact.start, fact.end, fact.surface = start, end, text[start:end]
        if name != "relative" and m.groupdict().get("m"):
            month = _int(m.group("m"))
            if month is not None and 1 <= month <= 12:
                state.last_month, state.last_month_surface = month, text[start:end]
        out.append(fact)
        taken_end = end
    return _ranges(text, folded, out) if len(out) > 1 or "〜" in folded or "~" in folded else out


# A range mark between two dates of one expression (から … まで gives two dates, not a range).
_RANGE_MARK = re.compile(r"\s?[〜~\-－–‐]\s?")
# The end of a range written short after a slashed or dotted start: 6/29〜30, R7.5.12〜5.15, 11/5〜6.
_SHORT_END = re.compile(r"(?:(?P<m>[0-9]{1,2})[/.])?(?P<d>[0-9]{1,2})(?![0-9/.:年月日時])")


def _parts(value: str) -> tuple[str | None, str | None, str | None]:
    """(year, month, day) of an ISO value such as 2024-10-15, --10-15, ---15, 2024-10 or 2024."""
    if value.startswith("---"):
        return None, None, value[3:]
    if value.startswith("--"):
        m, _, d = value[2:].partition("-")
        return None, m, d or None
    y, _, rest = value.partition("-")
    m, _, d = rest.partition("-")
    return y, m or None, d or None


def _iso(y: str | None, m: str | None, d: str | None) -> str:
    """An ISO value from its parts (--MM-DD, ---DD, YYYY-MM, ...)."""
    if y is None:
        return f"--{m}-{d}" if m and d else f"--{m}" if m else f"---{d}"
    return "-".join(p for p in (y, m, d) if p)


def _range_end(first: Fact, y: str | None, m: str | None, d: str | None) -> str | None:
    """The ISO end of a range that starts with first and ends with the parts given (the rest from first)."""
    fy, fm, fd = _parts(str(first.value))
    if fd is not None:  # a range of days ends with a day: 9月24日〜25日, 9月30日〜10月2日
        if d is None:
            return None
        end, start = _iso(y or fy, m or fm, d), _iso(fy, fm, fd)
    elif fm is not None:  # of months with a month: 4月〜6月, 2019年4月〜2020年3月
        if m is None or d is not None:
            return None
        end, start = _iso(y or fy, m, None), _iso(fy, fm, None)
    else:  # of years with a year: 2017〜2019年, 平成21年度〜平成23年度
        if y is None or m is not None or d is not None:
            return None
        end, start = y, fy or ""
    return end if end > start else None


def _ranges(text: str, folded: str, facts: list[Fact]) -> list[Fact]:
    """Join a date, a range mark and the date that ends the range into one fact (9月24日〜25日)."""
    out: list[Fact] = []
    i = 0
    while i < len(facts):
        fact = facts[i]
        i += 1
        mark = _RANGE_MARK.match(folded, fact.end) if fact.unit != "relative" else None
        if mark is None or "/" in str(fact.value):
            out.append(fact)
            continue
        nxt = facts[i] if i < len(facts) else None
        end: str | None = None
        stop = 0
        if nxt is not None and nxt.start == mark.end():
            same_kind = _fiscal(fact) == _fiscal(nxt) or fact.surface.isdigit()  # 2021〜2025年度
            if nxt.unit != "relative" and "/" not in str(nxt.value) and same_kind:
                end, stop = _range_end(fact, *_parts(str(nxt.value))), nxt.end
        elif any(ch in fact.surface for ch in "/.") and _parts(str(fact.value))[2] is not None:
            short = _SHORT_END.match(folded, mark.end())  # 6/29〜30, R7.5.12〜5.15
            if short:
                m2, d2 = short.group("m"), short.group("d")
                end = _range_end(fact, None, m2.zfill(2) if m2 else None, d2.zfill(2))
                stop = short.end()
        if end is None:
            out.append(fact)
            continue
        if nxt is not None and nxt.start < stop:
            i += 1  # the end of the range was found as a date of its own
            if _fiscal(nxt) and not _fiscal(fact):
                fact.note = nxt.note  # 2021〜2025年度: fiscal years
        fact.value = f"{fact.value}/{end}"
        fact.end = stop
        fact.surface = text[fact.start : stop]
        fact.note = f"{fact.note}; range" if fact.note else "range"
        out.append(fact)
    return out


def _fiscal(fact: Fact) -> bool:
    """Whether a date fact is a fiscal year (…年度)."""
    return "fiscal year" in (fact.note or "")
