"""`kb search`: the query language (kb.search.query), how each term is looked up (kb.search.plan),
and post-level matching and ranking (kb.search.engine)."""

from __future__ import annotations

from collections.abc import Sequence

from kb.models import SearchResult
from kb.search.engine import Matches, match, rank
from kb.search.plan import Plan, plan_query
from kb.search.query import Query, describe, parse
from kb.store import IndexFilter, Store

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
    found = match(store, plan, flt)
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


class _Expand:
    """The other words a term is looked up as: the user's synonyms, in both directions."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.user: dict[str, list[str]] = {}
        for a, b in pairs:
            self.user.setdefault(a, []).append(b)
            self.user.setdefault(b, []).append(a)

    def __call__(self, term: str) -> list[tuple[str, str]]:
        return [(w, "user") for w in self.user.get(term, ())]


__all__ += ["Matches", "Plan", "Query"]
