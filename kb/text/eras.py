"""Japanese era years (和暦): one table for the readers, the structure layer and the date facts."""

from __future__ import annotations

import datetime as dt
import re

# year 1 of an era is ERA_BASE + 1; the romanised name is for notes
ERA_BASE = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
ERA_ROMAN = {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"}
# the eras a blog post can be dated in (a post date line, a date in a file's header)
POST_ERAS = "昭和|平成|令和"


def match_day(m: re.Match[str]) -> str | None:
    """The ISO day of a match with groups era/ey (era year, 元 = 1) or y, and m, d; None if invalid."""
    if m.group("era"):
        ey = m.group("ey")
        year = ERA_BASE[m.group("era")] + (1 if ey == "元" else int(ey))
    else:
        year = int(m.group("y"))
    try:
        return dt.date(year, int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None
