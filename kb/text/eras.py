"""Japanese era years (和暦): one table for the readers, the structure layer and the date facts."""

from __future__ import annotations

# year 1 of an era is ERA_BASE + 1; the romanised name is for notes
ERA_BASE = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
ERA_ROMAN = {"明治": "Meiji", "大正": "Taisho", "昭和": "Showa", "平成": "Heisei", "令和": "Reiwa"}
