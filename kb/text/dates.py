"""Dates as councils write them (placeholder until the reading work lands: ISO forms only)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kb.errors import QueryError

_ISO = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$")


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive span of days."""

    start: dt.date
    end: dt.date


def parse_period(text: str) -> Period:
    """A period from 2018, 2018-04 or 2018-04-13; QueryError otherwise."""
    m = _ISO.match(text.strip())
    if m:
        y = int(m.group(1))
        try:
            if m.group(3):
                day = dt.date(y, int(m.group(2)), int(m.group(3)))
                return Period(day, day)
            if m.group(2):
                mo = int(m.group(2))
                return Period(dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]))
            return Period(dt.date(y, 1, 1), dt.date(y, 12, 31))
        except ValueError:
            pass
    raise QueryError(f"日付が読めません: {text!r} (例: 2018-04-13)")
