"""The typed values that flow between kb's layers (reading → structure → facts → store → views):
kb.record classes (slotted; frozen and keyword-only where they cross into the library's results) and
named tuples for the tokens an import makes by the hundred."""

from __future__ import annotations

from typing import NamedTuple

from kb.record import field, record


@record(slots=True)
class Line:
    """One line of a post body as read from its source, before structure is applied."""

    text: str
    lineno: int = 0  # 1-based line in the source file; 0 when unknown (e.g. HTML)
    heading: bool = False  # the format itself marks this line as a heading (Markdown #, HTML h1-h6)
    photo: bool = False  # the format itself marks this line as an image (Markdown ![](), HTML <img>)


@record(slots=True)
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


@record(slots=True)
class Section:
    """A heading and the span of post text it governs (heading line included)."""

    heading: str | None  # None for the text before the first heading
    start: int
    end: int


@record(slots=True)
class Passage:
    """A sentence or short paragraph of a post, the unit of search."""

    section: int | None  # index into Post.sections; None for the title
    start: int  # offsets into Post.text
    end: int
    text: str
    line: int = 0  # 1-based line in the source file (0 when unknown)


@record(slots=True)
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


class Token(NamedTuple):
    """A morpheme as kb sees it; SudachiPy objects never leave kb.segment.

    A named tuple, not a dataclass: an import makes hundreds of them per post, and a tuple is built
    in C (kb.segment builds them with ``tuple.__new__``) while reading a field stays as cheap."""

    surface: str
    normalized: str
    pos: tuple[str, ...]
    start: int  # offsets into the text that was segmented
    end: int
    parts: tuple[Token, ...] = ()  # short units (mode A) of a long unit; empty if one


@record(slots=True)
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


@record(slots=True)
class ExportRow:
    """One row of an export table: a fact, or a search hit (kind "passage", no figure).

    ``source`` is the file the post was read from as it was stored; exports show only its name
    (an absolute path of the author's machine means nothing on a colleague's PC).
    """

    topic: str | None  # 項目 / 見出し: section heading (None before the first heading)
    kind: str  # 種別: quantity | date | org | place | passage
    sentence: str  # 原文 / 本文
    title: str  # タイトル: post title
    date: str | None  # 日付: ISO post date
    source: str  # ファイル: the post's source file (or URL, or <stdin>)
    line: int | None  # 行: 1-based line in the source file
    url: str | None = None  # URL: the post's address, when it has one
    surface: str | None = None  # the fact as written
    value: float | str | None = None  # 値
    value_max: float | None = None
    unit: str | None = None  # 単位
    qualifier: str | None = None  # 補足
    post_id: int | None = None  # 投稿: #id
    score: float | None = None  # search hits only


# ------------------------------------------------------------------------------------ what is stored


@record(frozen=True, slots=True, kw_only=True)
class PassageRecord:
    """A passage ready to be written: where it is, and its word-index terms."""

    section: int | None  # index into the post's sections; None for the title
    start: int
    end: int
    line: int
    terms: str  # folded normalized forms of the passage's short units, space-separated


@record(frozen=True, slots=True, kw_only=True)
class FactRecord:
    """A fact ready to be written; ``passage`` indexes the post's passages."""

    passage: int | None
    kind: str
    start: int
    end: int
    value_num: float | None
    value_text: str | None
    value_max: float | None
    unit: str | None
    qualifier: str | None
    note: str | None


@record(frozen=True, slots=True, kw_only=True)
class PostRecord:
    """A post with everything the store keeps of it (built by kb.pipeline)."""

    uid: str
    title: str
    title_from: str
    date: str | None
    author: str | None
    url: str | None
    categories: tuple[str, ...]
    text: str
    body_start: int
    photos: int
    title_line: int
    sections: tuple[Section, ...]
    passages: tuple[PassageRecord, ...]
    facts: tuple[FactRecord, ...]
    words: tuple[tuple[str, str], ...] = ()  # (surface, its normalized short units) for the lexicon


# --------------------------------------------------------------------------------- what is read back


@record(frozen=True, slots=True, kw_only=True)
class PostSummary:
    """A stored post as `kb posts` lists it."""

    id: int
    title: str
    title_from: str  # "line" | "meta" | "text" (titled by its first words)
    date: str | None
    author: str | None
    url: str | None
    sources: tuple[str, ...]  # every file that holds the post, in the order they were imported
    categories: tuple[str, ...]
    headings: tuple[str, ...]
    photos: int

    @property
    def source(self) -> str:
        """The first file that holds the post ('' when none does any more)."""
        return self.sources[0] if self.sources else ""


@record(frozen=True, slots=True, kw_only=True)
class SectionSpan:
    """A stored section: its heading and its span of the post text."""

    heading: str | None
    start: int
    end: int


@record(frozen=True, slots=True, kw_only=True)
class PassageSpan:
    """A stored passage: its span of the post text, its section and its source line."""

    id: int
    section: int | None  # index into StoredPost.sections; None for the title
    start: int
    end: int
    line: int | None


@record(frozen=True, slots=True, kw_only=True)
class StoredPost:
    """A stored post with its text and structure (`kb show`, `kb reindex`)."""

    summary: PostSummary
    uid: str
    text: str
    body_start: int
    sections: tuple[SectionSpan, ...]
    passages: tuple[PassageSpan, ...]

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def title(self) -> str:
        return self.summary.title


@record(frozen=True, slots=True, kw_only=True)
class FoundFact:
    """A stored fact with its citation: the sentence, the post, the line and the file it is in."""

    kind: str
    surface: str  # as listed: a name without the gloss in brackets (カンナム区役所)
    written: str  # exactly as written in the text
    value: float | str | None  # a number for quantities (int when whole), an ISO string for dates
    value_max: float | None
    unit: str | None
    qualifier: str | None
    note: str | None
    post_id: int
    title: str
    date: str | None
    section: str | None
    sentence: str | None  # the passage the fact is in (None when it is in none)
    sentence_start: int | None  # offset of the sentence in the post text
    start: int  # offsets of the fact in the post text
    end: int
    source: str
    url: str | None
    line: int | None
    mentions: int  # organisations and places: how many times the post names them


@record(frozen=True, slots=True, kw_only=True)
class Topic:
    """A heading as it recurs across posts (folded: ◼️MaaS and ■ＭａａＳ are one topic)."""

    heading: str  # as first written
    posts: int
    post_ids: tuple[int, ...]
    quantities: int
    dates: int
    orgs: int
    places: int
    first_date: str | None
    last_date: str | None

    @property
    def facts(self) -> int:
        return self.quantities + self.dates + self.orgs + self.places


@record(frozen=True, slots=True, kw_only=True)
class Counts:
    """How much a database holds."""

    files: int
    posts: int
    sections: int
    passages: int
    facts: int
    names: int
    synonyms: int


# ----------------------------------------------------------------------------------------- search


Span = tuple[int, int]


@record(frozen=True, slots=True, kw_only=True)
class PassageHit:
    """A passage of a post that a search matched, with the matches marked."""

    passage_id: int
    section: str | None  # the heading of its section (None before the first heading)
    text: str
    start: int  # offset in the post text
    line: int | None  # 1-based line in the source file
    highlights: tuple[Span, ...]  # spans of text
    match: str  # "word" | "substring"
    score: float
    heading_highlights: tuple[Span, ...] = ()  # the section's heading holds a term: its spans
    heading: bool = False  # the passage is the section's heading (then ``text`` is the heading)
    after: str | None = None  # a heading's first line under it: what a view shows as its context


@record(frozen=True, slots=True, kw_only=True)
class PostHit:
    """A post that matches a search: its score and its best passages, in reading order."""

    post_id: int
    title: str
    date: str | None
    url: str | None
    sources: tuple[str, ...]
    score: float
    match: str  # "word": every term found as a word; "substring": some only inside longer words
    title_highlights: tuple[Span, ...]
    passages: tuple[PassageHit, ...]
    matched_passages: int  # how many passages of the post match

    @property
    def source(self) -> str:
        return self.sources[0] if self.sources else ""


@record(frozen=True, slots=True, kw_only=True)
class Expansion:
    """Other words a query term was also looked up as."""

    term: str
    words: tuple[str, ...]
    kind: str  # "variant" | "synonym" | "user"


@record(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """What a search found: posts best first, how many matched, and how the query was understood."""

    query: str  # the query as kb understood it
    hits: tuple[PostHit, ...]
    total: int  # posts that matched (word and substring)
    substring_total: int  # of which only by substring
    expansions: tuple[Expansion, ...] = ()
    bounded: bool = False  # very common words: only the most recently imported posts were ranked
    undated_left_out: int = 0  # posts without a date that a period left out
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"

    @property
    def shown(self) -> int:
        return len(self.hits)
