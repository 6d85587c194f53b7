"""The library's face: every `kb` command is one call here, with typed arguments in the library's
words and typed results. Errors are KbError subclasses whose messages name what to do next; nothing
here prints. A script gets exactly what the command line gets:

    with api.open_store("kb.db") as store:
        result = api.search(store, "電子政府", until="2018")
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import DatabaseError, NotFound, QueryError
from kb.models import Counts, FoundFact, PostSummary, SearchResult, StoredPost, Topic
from kb.record import field, record
from kb.store import FactFilter, IndexFilter, Store
from kb.text.fold import fold, heading_key
from kb.vocab import KINDS, NAME_KINDS

if TYPE_CHECKING:  # the importer pulls in every reader, the exporter openpyxl: not on the search path
    from kb.export import ExportResult
    from kb.importer import ImportProgress, ImportReport
    from kb.models import ExportRow

SEGMENTER_KEY, REINDEX_KEY = "segmenter", "reindex"  # meta keys (see kb.reindex)
MAX_LIMIT = 10_000_000
_ASCII_NUMBER = re.compile(r"#?[0-9]+")


# ------------------------------------------------------------------------------------- the database


def open_store(path: str | Path, *, write: bool = False, create: bool = False) -> Store:
    """Open a kb database: read-only unless ``write``; a path that does not exist is refused unless
    ``create`` (only `kb import` makes a new database: a mistyped --db must not). ``write`` on a
    database that cannot be written raises ReadOnlyDatabase."""
    p = Path(path)
    if not p.exists() and not create:
        raise DatabaseError(f"データベースがありません: {p} (先に取り込んでください: kb import data/)")
    # a database kb may not write (the file, or the folder its journal goes to) raises ReadOnlyDatabase
    return Store(p, readonly=not write)


def notices(store: Store) -> list[str]:
    """What the user should know about a database before using it (the index is out of date)."""
    out: list[str] = []
    if store.get_meta(REINDEX_KEY):
        out.append("このデータベースは以前の kb で作られました。索引を作り直してください: kb reindex")
    recorded = store.get_meta(SEGMENTER_KEY)
    if recorded is not None:
        from kb.segment import versions

        now = json.dumps(versions(), sort_keys=True)
        if recorded != now:
            out.append(f"形態素解析の版が変わりました ({recorded} → {now})。索引を作り直すには: kb reindex")
    return out


@record(frozen=True, slots=True, kw_only=True)
class Info:
    """Where a database is, what it holds, and the versions behind its index."""

    db: str
    schema: str
    counts: Counts
    segmenter: str | None
    installed: str


def info(store: Store) -> Info:
    from kb.segment import versions

    return Info(
        db=store.path,
        schema=store.schema_version(),
        counts=store.posts.counts(),
        segmenter=store.get_meta(SEGMENTER_KEY),
        installed=json.dumps(versions(), sort_keys=True),
    )


# ------------------------------------------------------------------------------------------- import


def import_paths(
    store: Store,
    paths: Sequence[str],
    *,
    encoding: str | None = None,
    jobs: int | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport:
    """Import files and folders (``-`` is standard input); unchanged files are skipped. ``include``
    and ``exclude`` are globs over the paths inside folders (``!`` in front excludes too)."""
    from kb.importer import import_paths as run
    from kb.segment import versions

    if encoding is not None:
        check_encoding(encoding)
    if store.get_meta(REINDEX_KEY):
        reindex(store)
    if store.get_meta(SEGMENTER_KEY) is None:
        with store.transaction():
            store.set_meta(SEGMENTER_KEY, json.dumps(versions(), sort_keys=True))
    jobs = jobs or os.cpu_count() or 1
    return run(
        store, paths, encoding=encoding, jobs=jobs, include=include, exclude=exclude, progress=progress
    )


def check_encoding(encoding: str) -> str:
    """A character encoding's codec name; QueryError for a name Python does not know, or a codec that
    is no character encoding: bytes-to-bytes (base64, zlib), text-to-text (rot13), or one that writes
    whole strings rather than characters or cannot replace what it cannot hold (idna, punycode)."""
    import codecs

    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise QueryError(f"不明なエンコーディングです: {encoding} (例: utf-8, cp932, euc-jp)") from None
    if not getattr(info, "_is_text_encoding", True) or not _encodes_characters(info.name):
        raise QueryError(f"文字のエンコーディングではありません: {encoding} (例: utf-8, cp932, euc-jp)")
    return info.name


def _encodes_characters(name: str) -> bool:
    """Whether a text codec encodes character by character (as a file is written), gives back what
    it wrote, and replaces what it cannot hold."""
    import codecs

    sample = "Az09 -,.\n"
    try:
        whole = sample.encode(name)
        encoder = codecs.getincrementalencoder(name)()
        parts = b"".join(encoder.encode(ch) for ch in sample) + encoder.encode("", final=True)
        "視察\udcff".encode(name, "replace")
        return parts == whole and whole.decode(name) == sample
    except (UnicodeError, ValueError, LookupError, TypeError):
        return False


def reindex(store: Store, progress: Callable[[int, int], None] | None = None) -> int:
    """Segment and tag every post again; returns the number of posts."""
    from kb.reindex import reindex_all

    store.use_wal()  # searches go on meanwhile (reindex is one long transaction)
    return reindex_all(store, progress)


# ------------------------------------------------------------------------------------------- search


def period_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """ISO days from what councils write (2018, 令和5年, 平成30年度, 2018.10.24 …): the first day of
    ``since``'s period and the last day of ``until``'s."""
    if not since and not until:
        return None, None
    from kb.text.dates import parse_period

    lo = parse_period(clean(since)).start.isoformat() if since else None
    hi = parse_period(clean(until)).end.isoformat() if until else None
    return lo, hi


def search(
    store: Store,
    query: str,
    *,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
    post: int | None = None,
    limit: int = 20,
    synonyms: bool = True,
    include_undated: bool = False,
    sort: str = "relevance",
    passages: int = 3,
) -> SearchResult:
    """Posts matching a query, best first (``sort="date"``: newest first), each with its best
    ``passages``. Raises QueryError for a query or a period kb cannot read."""
    from kb.search import run_search

    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"--limit は 1 以上 {MAX_LIMIT} 以下にしてください")
    if sort not in ("relevance", "date"):
        raise QueryError(f"--sort は relevance か date です ({sort!r})")
    lo, hi = period_bounds(since, until)
    folded_topic = heading_key(clean(topic)) if topic and topic.strip() else None
    flt = IndexFilter(since=lo, until=hi, topic=folded_topic, post_id=post)
    return run_search(
        store, clean(query), flt, limit, synonyms=synonyms, include_undated=include_undated, sort=sort,
        per_post=passages,
    )  # fmt: skip


def clean(text: str | None) -> str:
    """User text made safe for every layer: bytes that were not UTF-8 and control characters dropped."""
    from kb.search.query import clean as drop_controls

    return drop_controls(text or "")


# -------------------------------------------------------------------------------------------- facts


@record(frozen=True, slots=True, kw_only=True)
class FactQuery:
    """What `kb facts` and `kb export` ask for; every field narrows."""

    topic: str | None = None  # a heading, or passages that mention it
    kind: str | None = None  # quantity | date | org | place
    unit: str | None = None  # as a user writes it: 人, ％, 億円, パーセント
    exact_unit: bool = False  # 人 alone (else 人 and 名 together)
    min: float | str | None = None  # 10万, 1.5億, 100,000
    max: float | str | None = None
    post: int | None = None
    query: str | None = None  # facts of the passages a search matches
    since: str | None = None
    until: str | None = None
    limit: int | None = None


@record(frozen=True, slots=True, kw_only=True)
class FactList:
    """Facts with their citations, and how the query's unit was read."""

    facts: tuple[FoundFact, ...]
    units: tuple[str, ...] | None = None  # the stored units that were looked for
    notes: tuple[str, ...] = ()  # what the user should know about how the query was read


def find_facts(store: Store, q: FactQuery) -> FactList:
    """Facts in post and text order; organisations and places once per post."""
    from kb.units import parse_figure, resolve_unit

    if q.kind is not None and q.kind not in KINDS:
        raise QueryError(f"--kind は {', '.join(KINDS)} のいずれかです ({q.kind!r})")
    lo, hi = period_bounds(q.since, q.until)
    units: tuple[str, ...] | None = None
    notes: list[str] = []
    if q.unit is not None and q.unit.strip():
        units, scale, note = resolve_unit(clean(q.unit), exact=q.exact_unit)
        if note:
            notes.append(note)
    else:
        scale = 1
    minimum = None if q.min is None else parse_figure(q.min, "--min") * scale
    maximum = None if q.max is None else parse_figure(q.max, "--max") * scale
    topic = clean(q.topic).strip() if q.topic else ""
    flt = FactFilter(
        kind=q.kind,
        units=units,
        min=minimum,
        max=maximum,
        topic=heading_key(topic) if topic else None,
        topic_passages=_mentions(store, topic) if topic else (),
        post_id=q.post,
        passage_ids=_passages_of(store, clean(q.query)) if q.query is not None else None,
        since=lo,
        until=hi,
        limit=q.limit,
    )
    return FactList(facts=tuple(store.facts.find(flt)), units=units, notes=tuple(notes))


def _passages_of(store: Store, query: str) -> list[int]:
    """The passages a search matches (``--query``): every matched passage of every matched post."""
    from kb.search import matched_passages

    return matched_passages(store, query)


def _mentions(store: Store, topic: str) -> list[int]:
    """The passages that mention a topic as a phrase (the facts of a topic: its heading, or these)."""
    from kb.search import matched_passages

    try:
        return matched_passages(store, '"' + topic.replace('"', " ") + '"')
    except QueryError:
        return []


# ------------------------------------------------------------------------------------------- topics


def topics(store: Store, *, limit: int | None = None, sort: str = "count") -> list[Topic]:
    """Headings grouped across posts: by how many posts hold them (``count``), by ``name``, or by the
    newest post (``date``)."""
    found = store.facts.topics()
    if sort == "count":
        found.sort(key=lambda t: (-t.posts, -t.facts))
    elif sort == "name":
        found.sort(key=lambda t: fold(t.heading))
    elif sort == "date":
        found.sort(key=lambda t: t.last_date or "", reverse=True)
    else:
        raise QueryError(f"--sort は count, name, date のいずれかです ({sort!r})")
    return found[:limit] if limit is not None else found


# -------------------------------------------------------------------------------------------- posts


def list_posts(store: Store, limit: int | None = None) -> list[PostSummary]:
    return store.posts.summaries(limit=limit)


def get_post(store: Store, post_id: int) -> StoredPost:
    found = store.posts.get(post_id) if 1 <= post_id < 2**62 else None
    if found is None:
        raise NotFound(f"投稿 #{post_id} はありません (kb posts で一覧を表示)")
    return found


@record(frozen=True, slots=True, kw_only=True)
class Removal:
    """What `kb remove` would remove: posts by number, and files with the posts only they hold."""

    posts: tuple[PostSummary, ...]  # posts that go
    files: tuple[tuple[int, str], ...] = ()  # files that are forgotten (id, path)
    kept: tuple[PostSummary, ...] = ()  # posts of those files that another file still holds
    post_ids: tuple[int, ...] = field(default=(), repr=False)


def plan_removal(store: Store, targets: Sequence[str]) -> Removal:
    """Resolve `kb remove` targets: a post number (``12`` or ``#12``, ASCII digits only) or a path
    (a file or a folder, as it was imported). Raises NotFound for a target that names nothing."""
    from kb.importer.plan import file_key, storable

    ids: list[int] = []
    files: list[tuple[int, str]] = []
    for raw in targets:
        t = clean(raw).strip()
        if _ASCII_NUMBER.fullmatch(t):
            n = int(t.lstrip("#"))
            if not 1 <= n < 2**62 or not store.posts.existing([n]):
                raise NotFound(f"投稿 #{n} はありません (kb posts で一覧を表示)")
            ids.append(n)
            continue
        found = store.posts.files_under(file_key(raw))
        if not found:  # a name that is not UTF-8 is shown with its bytes escaped, as kb stores it
            raise NotFound(f"{clean(storable(raw)).strip()} から取り込んだ投稿はありません")
        files.extend(found)
    only, shared = store.writes.held_by([f for f, _ in files])
    going = sorted(set(ids) | set(only))
    return Removal(
        posts=tuple(store.posts.summaries(ids=going)),
        files=tuple(dict.fromkeys(files)),
        kept=tuple(store.posts.summaries(ids=sorted(set(shared) - set(going)))),
        post_ids=tuple(going),
    )


def remove(store: Store, removal: Removal) -> int:
    """Carry out a removal; returns the number of posts removed."""
    store.use_wal()  # a folder of thousands of posts takes a while: searches go on meanwhile
    with store.transaction():
        n = store.writes.remove_posts(removal.post_ids)
        if removal.files:
            store.writes.forget_files([f for f, _ in removal.files])
    store.release_free_pages()
    return n


# --------------------------------------------------------------------------------- names, synonyms


def add_name(store: Store, surface: str, kind: str) -> str:
    if kind not in NAME_KINDS:
        raise QueryError(f"--kind は {' か '.join(NAME_KINDS)} です ({kind!r})")
    name = clean(surface).strip()
    if not name:
        raise QueryError("名前が空です")
    with store.transaction():
        store.names.add(name, kind)
    return name


def remove_name(store: Store, surface: str) -> None:
    name = clean(surface).strip()
    with store.transaction():
        if not store.names.remove(name):
            raise NotFound(f"辞書にありません: {name}")


def add_synonym(store: Store, word: str, others: Sequence[str]) -> list[str]:
    """Make ``word`` and each of ``others`` find each other; returns the words added."""
    w = clean(word).strip()
    added = [o for o in (clean(x).strip() for x in others) if o and o != w]
    if not w or not added:
        raise QueryError(
            "同義語にする語を2つ以上指定してください (例: kb synonyms add スマホ スマートフォン)"
        )
    with store.transaction():
        for o in added:
            store.synonyms.add(w, o)
    return added


def remove_synonym(store: Store, word: str, other: str | None = None) -> int:
    with store.transaction():
        n = store.synonyms.remove(clean(word).strip(), clean(other).strip() if other else None)
    if not n:
        raise NotFound(f"同義語にありません: {word}")
    return n


# ------------------------------------------------------------------------------------------- export


@record(frozen=True, slots=True, kw_only=True)
class ExportRequest:
    """What `kb export` writes: the facts of a query, or the hits of a search; where and how."""

    facts: FactQuery = field(default_factory=FactQuery)
    search: str | None = None  # export search hits (their own columns) instead of facts
    format: str | None = None  # xlsx, csv, tsv, md, json, jsonl (default: from the file name, else csv)
    output: str | None = None  # a file, or None / "-" for standard output
    headers: str = "ja"
    sheet_per: str | None = None
    sheet: bool = False  # Markdown: a council-question sheet
    encoding: str | None = None
    bom: bool = True  # csv/tsv in UTF-8 start with a BOM, on stdout too (`--no-bom` leaves it out)
    force: bool = False


def export(
    store: Store, req: ExportRequest, *, progress: Callable[[int, int], None] | None = None
) -> ExportResult:
    """Write an export; raises ExportError for what cannot be written as asked. ``progress`` is
    called with (rows written, rows in all) while the file is made, for a progress bar."""
    from kb.export import format_from_path, write_export

    if req.headers not in ("ja", "en"):
        raise QueryError(f"--headers は ja か en です ({req.headers!r})")
    if req.sheet_per not in (None, "topic", "kind"):
        raise QueryError(f"--sheet-per は topic か kind です ({req.sheet_per!r})")
    if req.encoding is not None:
        check_encoding(req.encoding)
    notes: tuple[str, ...] = ()
    if req.search is not None:
        rows = _search_rows(store, req)
    else:
        found = find_facts(store, req.facts)
        rows, notes = _fact_rows(found), found.notes
    to_stdout = req.output in (None, "-")
    fmt = req.format or (None if to_stdout else format_from_path(str(req.output))) or "csv"
    result = write_export(
        rows, fmt, req.output, layout="search" if req.search is not None else "facts", headers=req.headers,
        sheet_per=req.sheet_per, md_sheet=req.sheet, encoding=req.encoding, bom=req.bom, force=req.force,
        progress=progress,
    )  # fmt: skip
    result.warnings[:0] = notes  # how the query's unit was read comes first
    return result


def _fact_rows(found: FactList) -> list[ExportRow]:
    """Every fact with its citation: post #id, date, file, URL and line."""
    from kb.models import ExportRow

    return [
        ExportRow(
            topic=f.section,
            kind=f.kind,
            sentence=f.sentence or f.written,
            title=f.title,
            date=f.date,
            source=f.source,
            url=f.url,
            line=f.line,
            surface=f.surface,
            value=f.value,
            value_max=f.value_max,
            unit=f.unit,
            qualifier=f.qualifier,
            post_id=f.post_id,
        )
        for f in found.facts
    ]


def _search_rows(store: Store, req: ExportRequest) -> list[ExportRow]:
    """Every matched passage of every matched post, best post first. A matched heading is its own
    row only when no passage under it matched; its row quotes the first line under it, as the
    search views do."""
    from kb.models import ExportRow

    q = req.facts
    result = search(
        store, req.search or "", since=q.since, until=q.until, topic=q.topic, post=q.post,
        limit=q.limit or 100_000, passages=MAX_LIMIT,
    )  # fmt: skip
    rows: list[ExportRow] = []
    for h in result.hits:
        passages = list(h.passages)
        for i, p in enumerate(passages):
            text = p.text
            if p.heading:
                nxt = passages[i + 1] if i + 1 < len(passages) else None
                if nxt is not None and nxt.section == p.section and not nxt.heading:
                    continue  # the passage under it says where it is
                text = p.after or p.text
            rows.append(
                ExportRow(
                    topic=p.section,
                    kind="passage",
                    sentence=text,
                    title=h.title,
                    date=h.date,
                    source=h.source,
                    url=h.url,
                    line=p.line,
                    post_id=h.post_id,
                    score=h.score,
                )
            )
    return rows
