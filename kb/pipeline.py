"""From a read post to what the store keeps, for import and reindex alike: structure, segmentation
(once per passage), facts, word-index terms and the lexicon of the words seen."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from kb.facts import extract_facts
from kb.models import (
    Fact,
    FactRecord,
    Passage,
    PassageRecord,
    Post,
    PostRecord,
    RawPost,
    Section,
    StoredPost,
    Token,
)
from kb.reading import read_source
from kb.record import field, record
from kb.segment import segment
from kb.structure import build_post
from kb.terms import has_word, index_terms

_LEXICON_MEMORY = 200_000  # surfaces a process remembers having segmented for the lexicon


@record(slots=True)
class AnalysedFile:
    """One file read and analysed: its posts as records, or as the uids of posts stored already."""

    format: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    posts: list[PostRecord | str] = field(default_factory=list)


def analyse_post(post: Post, names: Sequence[tuple[str, str]] = ()) -> PostRecord:
    """The store's record of a structured post: segmented once per passage, facts and terms included."""
    return post_record(post, segment_post(post), names)


def segment_post(post: Post) -> list[list[Token]]:
    """Each passage of a post segmented (the title is passage 0)."""
    return [segment(p.text) for p in post.passages]


def post_record(
    post: Post, tokens: Sequence[list[Token]], names: Sequence[tuple[str, str]] = ()
) -> PostRecord:
    """The store's record of a post from its passages' tokens: facts, word-index terms, new words."""
    facts = extract_facts(post, tokens, names)
    return PostRecord(
        uid=post.uid,
        title=post.title,
        title_from=post.title_from,
        date=post.date,
        author=post.author,
        url=post.url,
        categories=tuple(post.categories),
        text=post.text,
        body_start=post.body_start,
        photos=post.photos,
        title_line=post.title_lineno,
        sections=tuple(post.sections),
        passages=tuple(
            PassageRecord(
                section=p.section, start=p.start, end=p.end, line=p.line, terms=index_terms(toks, p.text)
            )
            for p, toks in zip(post.passages, tokens, strict=True)
        ),
        facts=tuple(_fact_record(f, post.passages) for f in facts),
        words=tuple(new_words(tokens)),
    )


@record(slots=True)
class ReadFile:
    """A file read and structured, not analysed yet: its posts in order, each a Post to analyse or the
    uid of a post stored already from this file."""

    analysed: AnalysedFile
    posts: list[Post | str]


def read_file(name: str, data: bytes, encoding: str | None, known: frozenset[str] = frozenset()) -> ReadFile:
    """Read a file's bytes and structure its posts. Raises UnreadableFile."""
    result = read_source(name, data, encoding)
    posts: list[Post | str] = []
    for raw in result.posts:
        post = build_post(raw)
        posts.append(post.uid if post.uid in known else post)
    return ReadFile(AnalysedFile(result.format, result.encoding, list(result.warnings)), posts)


def analyse_file(
    name: str,
    data: bytes,
    encoding: str | None,
    names: Sequence[tuple[str, str]] = (),
    known: frozenset[str] = frozenset(),
) -> AnalysedFile:
    """Read a file's bytes and analyse each post; posts whose uid is in ``known`` (stored already from
    this file) are not analysed again. Raises UnreadableFile."""
    read = read_file(name, data, encoding, known)
    read.analysed.posts = [p if isinstance(p, str) else analyse_post(p, names) for p in read.posts]
    return read.analysed


def analyse_posts(
    raws: Sequence[RawPost], names: Sequence[tuple[str, str]], known: frozenset[str] = frozenset()
) -> Iterator[PostRecord | str]:
    """Each read post as a record, or its uid when it is stored already."""
    for raw in raws:
        post = build_post(raw)
        yield post.uid if post.uid in known else analyse_post(post, names)


def stored_post(stored: StoredPost) -> Post:
    """A stored post rebuilt as a Post with its stored structure (for kb reindex)."""
    text = stored.text
    s = stored.summary
    return Post(
        uid=stored.uid,
        title=s.title,
        text=text,
        source=s.source,
        sections=[Section(x.heading, x.start, x.end) for x in stored.sections],
        passages=[
            Passage(p.section, p.start, p.end, text[p.start : p.end], p.line or 0) for p in stored.passages
        ],
        date=s.date,
        author=s.author,
        url=s.url,
        categories=list(s.categories),
        photos=s.photos,
        title_from=s.title_from,
        body_start=stored.body_start,
    )


def _fact_record(f: Fact, passages: Sequence[Passage]) -> FactRecord:
    starts = [p.start for p in passages]
    i = bisect.bisect_right(starts, f.start) - 1
    inside = i >= 0 and passages[i].start <= f.start < max(passages[i].end, f.start + 1)
    return FactRecord(
        passage=i if inside else None,
        kind=f.kind,
        start=f.start,
        end=f.end,
        value_num=float(f.value) if isinstance(f.value, (int, float)) else None,
        value_text=f.value if isinstance(f.value, str) else None,
        value_max=f.value_max,
        unit=f.unit,
        qualifier=f.qualifier,
        note=f.note,
    )


_seen_words: set[str] = set()


def forget_words() -> None:
    """Start the lexicon afresh for this process (at the start of an import or a reindex: each
    database records the words it holds)."""
    _seen_words.clear()


def new_words(tokens: Sequence[Sequence[Token]]) -> Iterator[tuple[str, str]]:
    """(surface, word-index terms) of the words of a post this process has not recorded yet: each
    long unit, each of its short units, and each run of two or three adjacent nouns (the compounds
    people type as one query word), segmented alone exactly as a query of that word would be, so
    that search can look a known word up instead of loading the dictionary."""
    if len(_seen_words) > _LEXICON_MEMORY:
        _seen_words.clear()
    fresh: set[str] = set()
    for toks in tokens:
        _candidates(toks, fresh)
    fresh -= _seen_words
    _seen_words.update(fresh)
    for surface in sorted(fresh):
        if has_word(surface):
            terms = index_terms(segment(surface))
            if terms:
                yield surface, terms


_NOMINAL = frozenset(("名詞", "接頭辞", "接尾辞"))


def _candidates(toks: Sequence[Token], out: set[str]) -> None:
    """Add the surfaces a query may be made of: units, short units, and short runs of adjacent nouns."""
    add = out.add
    run: list[Token] = []
    for tok in toks:
        surface = tok.surface
        add(surface)
        if tok.parts:
            out.update([p.surface for p in tok.parts])
        if tok.pos[0] in _NOMINAL and has_word(surface):  # not a mark such as ◼️
            if run and run[-1].end == tok.start:
                run.append(tok)
                add(run[-2].surface + surface)
                if len(run) > 2:
                    add(run[-3].surface + run[-2].surface + surface)
            else:
                run = [tok]
        elif run:
            run = []
