"""The fact extractor: quantities, dates, organisations and places of a post, each with its span."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.facts.dates import DATE_HINT, DateState, find_dates, parse_post_date
from kb.facts.names import KnownPlaces, Name, find_names, unit_letters
from kb.facts.numerals import NUMBER_START, fold
from kb.facts.quantities import find_quantities
from kb.facts.tokindex import TokenIndex
from kb.models import Fact, Post, Token
from kb.vocab import KINDS, NAME_KINDS

_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}
# Passages with none of what a date or a numeral needs are not searched for either.
_FIGURE_HINT = re.compile(f"{DATE_HINT.pattern}|{NUMBER_START.pattern}")
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")


def extract_facts(
    post: Post, tokens: Sequence[Sequence[Token]], names: Sequence[tuple[str, str]] = ()
) -> list[Fact]:
    """Every quantity, date, organisation and place mentioned in a post, in text order.

    ``tokens[i]`` is ``segment(post.passages[i].text)``. ``names`` are user entries (surface, kind)
    with kind "org" or "place": each occurrence is a fact and wins over rule output overlapping it.
    Offsets index ``post.text`` and ``surface == post.text[start:end]``.
    """
    if len(tokens) != len(post.passages):
        raise ValueError(f"got tokens for {len(tokens)} passages, the post has {len(post.passages)}")
    state = DateState(post_date=parse_post_date(post.date))
    known_places = KnownPlaces(tokens)
    facts: list[Fact] = []
    found_names: list[Name] = []
    post_text = post.text
    for passage, toks in zip(post.passages, tokens, strict=True):
        text = passage.text
        base = passage.start
        if not post_text.startswith(text, base):
            base = _passage_offset(post_text, base, text)
        if base < 0:
            continue  # the passage is not in the post text: no offsets could point at it
        folded = fold(text)
        longs, letters = unit_letters(toks)
        idx = TokenIndex(longs, len(text), nonempty=True)
        urls = _urls(folded) if "://" in folded or "www." in folded else []  # nothing in one is a fact
        if _FIGURE_HINT.search(folded):
            refused = list(urls)
            dates = find_dates(text, folded, idx, state, refused)
            if refused:
                dates = [d for d in dates if not _inside(d.start, d.end, refused)]
            quantities = find_quantities(text, folded, idx, [(d.start, d.end) for d in dates] + refused)
            for fact in (*dates, *quantities):
                fact.start += base
                fact.end += base
                facts.append(fact)
        for name in find_names(text, folded, idx, known_places, letters):
            if urls and _inside(name.start, name.end, urls):
                continue
            name.start += base
            name.end += base
            found_names.append(name)
    facts.extend(_resolve_names(post.text, found_names, names))
    for fact in facts:
        fact.surface = post.text[fact.start : fact.end]
    facts.sort(key=lambda f: (f.start, -f.end, _KIND_ORDER.get(f.kind, 9)))
    return facts


def _urls(folded: str) -> list[tuple[int, int]]:
    """The spans of web addresses in a passage (https://…, www.…)."""
    if "://" not in folded and "www." not in folded:
        return []
    return [m.span() for m in _URL.finditer(folded)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of the spans."""
    return any(start < b and a < end for a, b in spans)


def _passage_offset(text: str, start: int, passage: str) -> int:
    """Where a passage sits in the post text: its start, else its nearest occurrence, else -1."""
    if text.startswith(passage, start):
        return start
    return text.find(passage, max(0, start - len(passage)))


def _user_spans(text: str, names: Sequence[tuple[str, str]]) -> list[Name]:
    """Every occurrence of the user's names (longest first, never overlapping), width-insensitive."""
    if not names:
        return []
    folded = fold(text)
    spans: list[Name] = []
    taken = bytearray(len(text) + 1)
    for surface, kind in sorted(names, key=lambda n: len(n[0]), reverse=True):
        if kind not in NAME_KINDS or not surface:
            continue
        needle = fold(surface)
        pos = folded.find(needle)
        while pos >= 0:
            end = pos + len(needle)
            if not any(taken[pos:end]):
                taken[pos:end] = b"\x01" * (end - pos)
                spans.append(Name(kind, pos, end))
            pos = folded.find(needle, pos + 1)
    return spans


def _overlaps(a: Name, others: list[Name]) -> bool:
    """Whether a name overlaps any of the others."""
    return any(a.start < b.end and b.start < a.end for b in others)


def _disjoint(candidates: list[Name], others: list[Name]) -> list[Name]:
    """The candidates, in order of start, that overlap neither the others nor a candidate kept before them."""
    kept: list[Name] = []
    reach = -1  # the furthest end of the kept names: they are apart and start no later than the candidate
    for c in sorted(candidates, key=lambda n: (n.start, -(n.end - n.start))):
        overlapped = c.start < reach if c.end > c.start else _overlaps(c, kept)
        if not overlapped and not _overlaps(c, others):
            kept.append(c)
            reach = max(reach, c.end)
    return kept


def _resolve_names(text: str, found: list[Name], names: Sequence[tuple[str, str]]) -> list[Fact]:
    """Organisations and places after precedence: user names, then longer organisations, then places."""
    user = _user_spans(text, names)
    if user:
        found = [n for n in found if not _overlaps(n, user)]
    orgs = _disjoint([n for n in found if n.kind == "org"], [])
    places = _disjoint([n for n in found if n.kind == "place"], orgs + [n for n in user if n.kind == "org"])
    out = [Fact(n.kind, "", n.start, n.end, note=n.note) for n in (*orgs, *places)]
    out.extend(Fact(n.kind, "", n.start, n.end) for n in user)
    return out
