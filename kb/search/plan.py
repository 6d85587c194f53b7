"""How each query term is looked up: its Sudachi short units (from the lexicon when the word is known,
else from SudachiPy), the other words it is also looked up as (synonyms), the FTS5 expression over
the word index, and the folded strings for substring search and highlighting."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kb.models import Expansion
from kb.record import field, record
from kb.search.query import Query, Term, fts_string
from kb.store import Store
from kb.text.fold import fold

Expand = Callable[[str], Sequence[tuple[str, str]]]  # term -> (other word, kind "synonym" | "user" …)


@record(slots=True)
class TermPlan:
    """One term of a query, ready to be looked up."""

    term: Term
    folded: str  # the term folded (width, case) for substring search
    units: list[str] = field(default_factory=list)  # word-index terms of the term and of each other word
    words: list[str] = field(default_factory=list)  # the other words it is also looked up as
    marks: list[str] = field(default_factory=list)  # folded strings to mark in a passage

    @property
    def word_expr(self) -> str | None:
        """The FTS5 expression of the term: its units as a phrase, or any of its other words'."""
        phrases = list(dict.fromkeys(fts_string(u) for u in self.units if u))
        return " OR ".join(phrases) if phrases else None

    @property
    def substrings(self) -> list[str]:
        """Folded strings whose occurrence matches the term as a substring (Ctrl-F)."""
        found = [self.folded, *(fold(w).strip() for w in self.words)]
        return [s for s in dict.fromkeys(found) if s]


@record(slots=True)
class Plan:
    """A whole query, planned: every group (one of its terms must match), and what is excluded."""

    query: Query
    groups: list[list[TermPlan]]
    excluded: list[TermPlan]
    expansions: list[Expansion]

    def group_expr(self, i: int) -> str | None:
        """The FTS5 expression of group i, or None when a term of it cannot be a word (punctuation)."""
        exprs = [t.word_expr for t in self.groups[i]]
        if any(e is None for e in exprs):
            return None
        return " OR ".join(f"({e})" for e in exprs if e)


def plan_query(store: Store, query: Query, expand: Expand | None = None) -> Plan:
    """Plan every term of a parsed query; ``expand`` gives the other words a term is looked up as."""
    groups = [[TermPlan(t, fold(t.text).strip()) for t in g] for g in query.groups]
    excluded = [TermPlan(t, fold(t.text).strip()) for t in query.excluded]
    expansions: list[Expansion] = []
    if expand is not None:
        for tp in (t for g in groups for t in g):
            found: dict[str, list[str]] = {}
            for word, kind in expand(tp.term.text):
                if fold(word).strip() != tp.folded and word not in tp.words:
                    tp.words.append(word)
                    found.setdefault(kind, []).append(word)
            expansions.extend(Expansion(term=tp.term.text, words=tuple(w), kind=k) for k, w in found.items())
    every = [t for g in groups for t in g] + excluded
    texts = [t.term.text for t in every] + [w for t in every for w in t.words]
    units = _units(store, texts)
    for tp in every:
        tp.units = [units[x] for x in (tp.term.text, *tp.words) if units.get(x)]
        tp.marks = tp.substrings
    _mark_surfaces(store, every)
    return Plan(query, groups, excluded, expansions)


def _units(store: Store, texts: Sequence[str]) -> dict[str, str]:
    """The word-index terms of each text: looked up in the lexicon, where import recorded how Sudachi
    segments every word it saw, else segmented now (which loads the dictionary)."""
    wanted = list(dict.fromkeys(t for t in texts if t.strip()))
    known = store.index.units_of(wanted) if wanted else {}
    missing = [t for t in wanted if t not in known]
    if missing:
        from kb.segment import segment
        from kb.terms import index_terms

        known.update((t, index_terms(segment(t))) for t in missing)
    return known


def _mark_surfaces(store: Store, plans: Sequence[TermPlan]) -> None:
    """Add to each term's marks the words the text writes with the same units (サーバー for サーバ,
    子ども for こども), so a word match is marked where the text spells it differently."""
    seqs = [u for tp in plans for u in tp.units]
    if not seqs:
        return
    surfaces = store.index.surfaces_of(seqs)
    for tp in plans:
        for u in tp.units:
            for s in surfaces.get(u, ()):
                f = fold(s).strip()
                if f and f not in tp.marks:
                    tp.marks.append(f)
