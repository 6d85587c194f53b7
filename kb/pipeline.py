"""From a read post to what the store keeps: structure, segmentation (once per passage) and facts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from kb.models import Fact, Post, RawPost, Token
from kb.segment import segment, short_units
from kb.store import FactRow, PassageRow, PostRecord
from kb.structure import build_post
from kb.textnorm import fold


def index_terms(tokens: Sequence[Token]) -> tuple[str, str, str]:
    """The three word-index columns of a passage: short-unit surfaces, their normalized forms, long units.

    Every column is folded (width, case) and space-separated; tokens with no letter or digit
    (punctuation, symbols) are left out, as the index tokenizer would drop them anyway.
    """
    short: list[str] = []
    norm: list[str] = []
    for t in short_units(tokens):
        s = fold(t.surface).strip()
        if _indexable(s):
            short.append(s)
            norm.append(fold(t.normalized).strip() or s)
    long = [s for s in (fold(t.surface).strip() for t in tokens) if _indexable(s)]
    return " ".join(short), " ".join(norm), " ".join(long)


def _indexable(s: str) -> bool:
    return any(ch.isalnum() for ch in s)


def analyze_post(raw: RawPost, names: Sequence[tuple[str, str]] = ()) -> PostRecord:
    """Structure a read post, segment each passage once, and extract its facts."""
    post = build_post(raw)
    tokens = [segment(p.text) for p in post.passages]
    return record_for(post, tokens, names)


def record_for(
    post: Post, tokens: Sequence[Sequence[Token]], names: Sequence[tuple[str, str]] = ()
) -> PostRecord:
    """The store's record of a structured, segmented post (facts included)."""
    passages = []
    for p, toks in zip(post.passages, tokens, strict=True):
        short, norm, long = index_terms(toks)
        passages.append(PassageRow(p.section, p.start, p.end, p.line, fold(p.text), short, norm, long))
    facts = [_fact_row(f, post) for f in extract(post, tokens, names)]
    return PostRecord(
        uid=post.uid,
        title=post.title,
        date=post.date,
        author=post.author,
        url=post.url,
        categories=post.categories,
        text=post.text,
        photos=post.photos,
        title_line=post.title_lineno,
        sections=[(s.heading, s.start, s.end) for s in post.sections],
        passages=passages,
        facts=facts,
    )


def extract(post: Post, tokens: Sequence[Sequence[Token]], names: Sequence[tuple[str, str]]) -> list[Fact]:
    from kb.facts import extract_facts

    return extract_facts(post, tokens, names)


def _fact_row(f: Fact, post: Post) -> FactRow:
    starts = [p.start for p in post.passages]
    i = bisect.bisect_right(starts, f.start) - 1
    passage = (
        i if i >= 0 and post.passages[i].start <= f.start < max(post.passages[i].end, f.start + 1) else None
    )
    value_num = float(f.value) if isinstance(f.value, (int, float)) else None
    value_text = f.value if isinstance(f.value, str) else None
    return FactRow(
        passage,
        f.kind,
        f.surface,
        f.start,
        f.end,
        value_num,
        value_text,
        f.value_max,
        f.unit,
        f.qualifier,
        f.note,
    )
