"""The shapes of lines that every reader and the structure layer recognise: photo placeholders,
section headings by their mark, and lines that are only a date."""

from __future__ import annotations

import re

from kb.text.dates import date_line

# Photo placeholders left in the text by blog editors and phone uploads: IMG_9012, FullSizeRender, image,
# and the hex ids some blog services name uploaded images with (a91d0c7e44b2).
_PHOTO = re.compile(
    r"^(?:IMG[_-]?\d+|DSC[FN_]?\d+|P\d{7}|PXL_\d+[_\d]*|FullSizeRender|image\d*|画像|写真"
    r"|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,40})"
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
    """An ISO date when the line is only a date (and maybe a label, a weekday or a time), else None."""
    return date_line(text)
