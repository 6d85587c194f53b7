"""Plain dataclasses that flow between kb's layers (reading → structure → facts → store → views)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    """One line of a post body as read from its source, before structure is applied."""

    text: str
    lineno: int = 0  # 1-based line in the source file; 0 when unknown (e.g. HTML)
    heading: bool = False  # the format itself marks this line as a heading (Markdown #, HTML h1-h6)
    photo: bool = False  # the format itself marks this line as an image (Markdown ![](), HTML <img>)


@dataclass(slots=True)
class RawPost:
    """A post as a format reader produces it: metadata plus body lines, no sections yet."""

    title: str
    lines: list[Line]
    source: str
    date: str | None = None  # ISO date (YYYY-MM-DD) when the format gives one
    author: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    title_lineno: int = 0
    # where the title comes from: "line" (a line of the text), "meta" (front matter, <title>, an MT
    # TITLE field) or "text" (no title was written: the post's first words stand in for one)
    title_from: str = "line"


@dataclass(slots=True)
class Section:
    """A heading and the span of post text it governs (heading line included)."""

    heading: str | None  # None for the text before the first heading
    start: int
    end: int


@dataclass(slots=True)
class Passage:
    """A sentence or short paragraph of a post, the unit of search."""

    section: int | None  # index into Post.sections; None for the title
    start: int  # offsets into Post.text
    end: int
    text: str
    line: int = 0  # 1-based line in the source file (0 when unknown)


@dataclass(slots=True)
class Post:
    """A post with its structure, ready to be segmented, tagged and stored.

    ``text`` is the title line (unless the title only stands in for the first words) and the body:
    the title is the first passage, searched and scanned for facts like the others.
    """

    uid: str  # content hash: identifies the post across imports
    title: str
    text: str
    source: str
    sections: list[Section]
    passages: list[Passage]
    date: str | None = None
    author: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    photos: int = 0
    title_lineno: int = 0
    title_from: str = "line"
    body_start: int = 0  # offset of the body in text (after the title line and its newline)

    @property
    def body(self) -> str:
        """The text after the title."""
        return self.text[self.body_start :]


@dataclass(slots=True)
class Token:
    """A morpheme as kb sees it; SudachiPy objects never leave kb.segment."""

    surface: str
    normalized: str
    pos: tuple[str, ...]
    start: int  # offsets into the text that was segmented
    end: int
    parts: list[Token] = field(default_factory=list)  # short units (mode A) of a long unit; empty if one


@dataclass(slots=True)
class Fact:
    """A figure, date, organisation or place found in a post."""

    kind: str  # "quantity" | "date" | "org" | "place"
    surface: str  # exactly as in the text
    start: int  # offsets into Post.text
    end: int
    value: float | str | None = None  # number for quantities, ISO string for dates
    value_max: float | None = None  # upper bound of a range
    unit: str | None = None  # canonical unit
    qualifier: str | None = None  # 約, 以上, 程度, ...
    note: str | None = None  # e.g. "fiscal year", "relative to post date"


@dataclass(slots=True)
class ExportRow:
    """One row of an export table: a fact, or a search hit (then the figure columns are empty)."""

    topic: str | None  # 項目: section heading (or None before the first heading)
    kind: str  # 種別: quantity | date | org | place | passage
    sentence: str  # 原文
    title: str  # 出典: post title
    date: str | None  # 日付: ISO post date
    location: str  # URL/ファイル: the post's url, else its source file
    line: int | None  # 位置: 1-based line in the source file
    surface: str | None = None  # the fact as written
    value: float | str | None = None  # 値
    value_max: float | None = None
    unit: str | None = None  # 単位
    qualifier: str | None = None  # 補足
    post_id: int | None = None
    score: float | None = None  # search hits only
