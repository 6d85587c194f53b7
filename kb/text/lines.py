"""The shapes of lines that every reader and the structure layer recognise: photo placeholders,
section headings by their mark, and lines that are only a date."""

from __future__ import annotations

import re
import unicodedata

from kb.text.eras import POST_ERAS, match_day

# Photo placeholders left in the text by blog editors and phone uploads: IMG_9012, FullSizeRender, image.
_PHOTO = re.compile(
    r"^(?:IMG[_-]?\d+|DSC[FN_]?\d+|P\d{7}|PXL_\d+[_\d]*|FullSizeRender|image\d*|画像|写真)"
    r"(?:\.(?:jpe?g|png|heic|gif|webp))?$",
    re.IGNORECASE,
)
# Marks that open a heading line in Japanese blogs.
_MARKS = "◼◾■□◆◇●○▼▽▲△▶▷★◎◉❖"
_HEADING_MARK = re.compile(rf"^[{_MARKS}][\ufe0e\ufe0f]?")
_CIRCLED = re.compile(r"^[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2474-\u2487\u2776-\u277f\u3220-\u3229]")
_BRACKET = re.compile(r"^【[^】]{1,40}】")
_STARS = re.compile(r"^[☆★]+.*[☆★]$|^[☆★]{2,}$")
_NOTE = re.compile(r"^※\S{1,12}$")
_DATE_LINE = re.compile(
    rf"^\s*(?:(?P<era>{POST_ERAS})(?P<ey>\d{{1,2}}|元)"
    r"|(?P<y>(?:19|20)\d{2}))\s*[年/.\-]\s*(?P<m>\d{1,2})\s*[月/.\-]"
    r"\s*(?P<d>\d{1,2})\s*日?(?P<rest>.*)$"
)
# What may follow a date on a date-only line: a weekday and a time, nothing that reads as a sentence.
_DATE_REST = re.compile(
    r"^\s*(?:[(（]?[月火水木金土日](?:曜日?)?[)）]?)?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)


def is_photo_line(text: str) -> bool:
    """Whether a line is only a photo placeholder such as ``IMG_9012`` or ``FullSizeRender``."""
    return bool(_PHOTO.match(text.strip()))


def is_heading(text: str) -> bool:
    """Whether a line is a section heading by its mark: ◼️…, ■…, ◆…, 【…】, ①…, ⑴…, ☆…☆, ※注記."""
    s = text.strip()
    if not s or len(s) > 60:
        return False
    if _STARS.match(s):
        return len(s) <= 30
    if _HEADING_MARK.match(s):
        return len(s) > 1 and not s.endswith("。")
    if _CIRCLED.match(s) or _BRACKET.match(s):
        return len(s) <= 40 and not s.endswith("。")
    return bool(_NOTE.match(s))


def date_from_line(text: str) -> str | None:
    """An ISO date when the line is only a date (and maybe a weekday or time), else None."""
    m = _DATE_LINE.match(unicodedata.normalize("NFKC", text))
    if not m or not _DATE_REST.match(m.group("rest")):
        return None
    return match_day(m)
