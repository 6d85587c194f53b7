"""`kb search`: the query language (kb.search.query), how each term is looked up (kb.search.plan),
and post-level matching and ranking (kb.search.engine)."""

from __future__ import annotations

from collections.abc import Sequence

from kb.models import SearchResult
from kb.search.engine import Matches, match, rank
from kb.search.plan import Plan, plan_query
from kb.search.query import Query, describe, parse
from kb.store import IndexFilter, Store
from kb.text.fold import fold

__all__ = ["describe", "matched_passages", "parse", "run_search"]


def run_search(
    store: Store,
    text: str,
    flt: IndexFilter,
    limit: int,
    *,
    synonyms: bool = True,
    include_undated: bool = False,
    sort: str = "relevance",
    per_post: int = 3,
) -> SearchResult:
    """Posts matching a query under a filter, best first; posts without a date that a period leaves
    out are counted (and kept with ``include_undated``)."""
    query = parse(text)
    plan = plan_query(store, query, _expander(store) if synonyms else None)
    found = match(store, plan, flt, limit)
    undated = 0
    if flt.since or flt.until:
        other = match(store, plan, IndexFilter(topic=flt.topic, post_id=flt.post_id, undated=True))
        undated = len(other.candidates)
        if include_undated:
            found.candidates.update(other.candidates)
            found.bounded = found.bounded or other.bounded
            undated = 0
    hits = rank(store, plan, found, limit, sort=sort, per_post=per_post, topic=flt.topic)
    groups = len(plan.groups)
    return SearchResult(
        query=describe(query),
        hits=tuple(hits),
        total=len(found.candidates),
        substring_total=sum(1 for c in found.candidates.values() if c.coverage < groups),
        expansions=tuple(plan.expansions),
        bounded=found.bounded,
        undated_left_out=undated,
        since=flt.since,
        until=flt.until,
        sort=sort,
    )


def matched_passages(store: Store, text: str) -> list[int]:
    """Every passage that holds a term of the query, in every post the query matches."""
    query = parse(text)
    plan = plan_query(store, query, _expander(store))
    found = match(store, plan, IndexFilter())
    return sorted({pid for c in found.candidates.values() for pids in c.words for pid in pids})


def _expander(store: Store) -> _Expand:
    return _Expand(store.synonyms.all())


# Relations of the Sudachi synonym dictionary a term is expanded along by default: other spellings,
# abbreviations, translations and names of the same lexeme. Other lexemes of a group ("synonym":
# 介護 → 介助, 介錯) change what is asked for, and short Latin abbreviations (sp) are false friends.
SAME_WORD = frozenset(
    {"user", "variant", "abbreviation", "translation", "alias", "former", "misspelling", "misuse"}
)
_KIND = {"user": "user", "variant": "variant", "misspelling": "variant", "misuse": "variant"}


class _Expand:
    """The other words a term is looked up as: the user's synonyms (both ways) and the same word's
    other spellings and names in the Sudachi synonym dictionary."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.user: dict[str, list[str]] = {}  # folded word -> the other words as the user wrote them
        for a, b in pairs:
            self.user.setdefault(fold(a).strip(), []).append(b)
            self.user.setdefault(fold(b).strip(), []).append(a)

    def __call__(self, term: str) -> list[tuple[str, str]]:
        from kb.synonyms import expansion_details

        out = [(w, "user") for w in self.user.get(fold(term).strip(), ())]
        for e in expansion_details(term):
            if e.relation not in SAME_WORD or (e.alphabetic and len(e.word) < 4 and e.relation != "user"):
                continue
            out.append((e.word, _KIND.get(e.relation, "synonym")))
        return out


__all__ += ["Matches", "Plan", "Query"]
