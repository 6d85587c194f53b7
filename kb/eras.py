"""Japanese era years (和暦) shared by the readers and the structure layer."""

from __future__ import annotations

import datetime as dt
import re

ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925}


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
