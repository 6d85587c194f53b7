"""From a read post to what the store keeps: structure, segmentation (once per passage) and facts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from kb.models import Fact, Post, Token
from kb.store import FactRow, PassageRow, PostRecord
from kb.terms import index_terms


def record_for(
    post: Post, tokens: Sequence[Sequence[Token]], names: Sequence[tuple[str, str]] = ()
) -> PostRecord:
    """The store's record of a structured, segmented post (facts included)."""
    passages = [
        PassageRow(p.section, p.start, p.end, p.line, index_terms(toks))
        for p, toks in zip(post.passages, tokens, strict=True)
    ]
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
