"""The SQL of facts and topics: facts with their citation (sentence, post, line, file), filtered;
headings grouped across posts with their counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.models import FoundFact, Topic
from kb.record import record
from kb.store.connection import guarded

if TYPE_CHECKING:
    from kb.store.connection import Connection


@record(frozen=True, slots=True, kw_only=True)
class FactFilter:
    """Which facts to list; every field narrows (None: no condition)."""

    kind: str | None = None
    units: tuple[str, ...] | None = None  # any of these canonical units
    min: float | None = None
    max: float | None = None
    topic: str | None = None  # a heading key (kb.text.fold.heading_key) the section's contains ...
    topic_passages: Sequence[int] = ()  # ... or one of these passages (that mention the topic)
    post_id: int | None = None
    passage_ids: Sequence[int] | None = None  # facts of these passages only (``--query``)
    since: str | None = None
    until: str | None = None
    limit: int | None = None


def _bindable(s: str | None) -> str | None:
    """Text SQLite can bind: characters that cannot be encoded (lone surrogates) dropped."""
    return None if s is None else s.encode("utf-8", "ignore").decode("utf-8")


def _ids(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class FactReads:
    """Facts and topics as the views read them."""

    def __init__(self, store: Connection) -> None:
        self.path = store.path
        self._c = store.conn

    def _where(self, f: FactFilter) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if f.kind:
            where.append("fa.kind = ?")
            params.append(f.kind)
        if f.units is not None:
            units = [_bindable(u) for u in f.units] or [""]
            where.append(f"fa.unit IN ({_ids(units)})")
            params.extend(units)
        if f.min is not None:
            where.append("coalesce(fa.value_max, fa.value_num) >= ?")
            params.append(f.min)
        if f.max is not None:
            where.append("fa.value_num <= ?")
            params.append(f.max)
        if f.topic:
            mentions = list(f.topic_passages)
            cond = "instr(s.heading_folded, ?) > 0"
            params.append(_bindable(f.topic))
            if mentions:
                cond = f"({cond} OR fa.passage_id IN ({_ids(mentions)}))"
                params.extend(mentions)
            where.append(cond)
        if f.post_id is not None:  # a post's facts are one id range: no scan
            where.append(
                "fa.id BETWEEN (SELECT facts_from FROM posts WHERE id = ?) "
                "AND (SELECT facts_from + facts_n - 1 FROM posts WHERE id = ?)"
            )
            params.extend([f.post_id, f.post_id])
        if f.since:
            where.append("po.date >= ?")
            params.append(_bindable(f.since))
        if f.until:
            where.append("po.date <= ?")
            params.append(_bindable(f.until))
        if f.passage_ids is not None:
            ids = list(f.passage_ids) or [-1]
            where.append(f"fa.passage_id IN ({_ids(ids)})")
            params.extend(ids)
        return where, params

    @guarded
    def find(self, f: FactFilter) -> list[FoundFact]:
        """Facts in post and text order; organisations and places once per post (first mention,
        with a count), under their name without a gloss in brackets (カンナム(江南)区役所 → カンナム区役所),
        at a mention written that way when there is one."""
        where, params = self._where(f)
        name = "coalesce(fa.note, fa.surface)"
        inner = (
            "SELECT fa.kind, "
            f"CASE WHEN fa.kind IN ('org', 'place') THEN {name} ELSE fa.surface END AS listed, "
            "fa.surface AS written, fa.value_num, fa.value_text, fa.value_max, fa.unit, fa.qualifier, "
            "CASE WHEN fa.kind IN ('org', 'place') THEN NULL ELSE fa.note END AS note, "
            'fa.start, fa."end", fa.post_id, po.title, po.date, po.url, '
            "(SELECT f.path FROM post_files pf JOIN files f ON f.id = pf.file_id "
            " WHERE pf.post_id = fa.post_id ORDER BY f.id LIMIT 1) AS source, "
            "s.heading AS section, p.line, "
            'substr(t.text, p.start + 1, p."end" - p.start) AS sentence, p.start AS sentence_start, '
            f"count(*) OVER (PARTITION BY fa.post_id, fa.kind, {name}) AS mentions, "
            f"row_number() OVER (PARTITION BY fa.post_id, fa.kind, {name} "
            f"ORDER BY fa.surface != {name}, fa.start) AS nth "
            "FROM facts_text fa JOIN posts po ON po.id = fa.post_id JOIN texts t ON t.post_id = fa.post_id "
            "LEFT JOIN passages p ON p.id = fa.passage_id LEFT JOIN sections s ON s.id = p.section_id"
            + (" WHERE " + " AND ".join(where) if where else "")
        )
        sql = f"SELECT * FROM ({inner}) WHERE kind IN ('quantity', 'date') OR nth = 1 ORDER BY post_id, start"
        if f.limit is not None:
            sql += " LIMIT ?"
            params.append(f.limit)
        return [_found(r) for r in self._c.execute(sql, params)]

    @guarded
    def topics(self) -> list[Topic]:
        """Headings grouped across posts by their topic key, with post and fact counts; in order of
        first appearance."""
        sql = (
            "WITH agg AS (SELECT p.section_id AS sid, sum(fa.kind = 'quantity') AS q, sum(fa.kind = 'date') AS d "
            "FROM facts fa JOIN passages p ON p.id = fa.passage_id WHERE p.section_id IS NOT NULL "
            "GROUP BY p.section_id), "
            "names AS (SELECT s.heading_folded AS k, "
            "count(DISTINCT CASE WHEN fa.kind = 'org' THEN fa.post_id || ':' || coalesce(fa.note, fa.surface) END) AS o, "
            "count(DISTINCT CASE WHEN fa.kind = 'place' THEN fa.post_id || ':' || coalesce(fa.note, fa.surface) END) "
            "AS pl FROM facts_text fa JOIN passages p ON p.id = fa.passage_id JOIN sections s ON s.id = p.section_id "
            "WHERE fa.kind IN ('org', 'place') GROUP BY s.heading_folded) "
            "SELECT min(s.id) AS first, s.heading, s.heading_folded AS k, count(DISTINCT s.post_id) AS posts, "
            "group_concat(DISTINCT s.post_id) AS ids, coalesce(sum(agg.q), 0) AS q, coalesce(sum(agg.d), 0) AS d, "
            "coalesce(names.o, 0) AS o, coalesce(names.pl, 0) AS pl, min(po.date) AS d0, max(po.date) AS d1 "
            "FROM sections s JOIN posts po ON po.id = s.post_id LEFT JOIN agg ON agg.sid = s.id "
            "LEFT JOIN names ON names.k = s.heading_folded "
            "WHERE s.heading IS NOT NULL GROUP BY s.heading_folded ORDER BY first"
        )
        return [
            Topic(
                heading=str(r["heading"]),
                posts=int(r["posts"]),
                post_ids=tuple(sorted(int(x) for x in str(r["ids"]).split(","))),
                quantities=int(r["q"]),
                dates=int(r["d"]),
                orgs=int(r["o"]),
                places=int(r["pl"]),
                first_date=r["d0"],
                last_date=r["d1"],
            )
            for r in self._c.execute(sql)
        ]


def _found(r: Any) -> FoundFact:
    kind = str(r["kind"])
    value: float | str | None = r["value_num"] if kind == "quantity" else r["value_text"]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    value_max = r["value_max"]
    if isinstance(value_max, float) and value_max.is_integer() and abs(value_max) < 2**53:
        value_max = int(value_max)
    return FoundFact(
        kind=kind,
        surface=str(r["listed"]),
        written=str(r["written"]),
        value=value,
        value_max=value_max,
        unit=r["unit"],
        qualifier=r["qualifier"],
        note=r["note"],
        post_id=int(r["post_id"]),
        title=str(r["title"]),
        date=r["date"],
        section=r["section"],
        sentence=r["sentence"],
        sentence_start=r["sentence_start"],
        start=int(r["start"]),
        end=int(r["end"]),
        source=str(r["source"] or ""),
        url=r["url"],
        line=r["line"],
        mentions=int(r["mentions"]),
    )
