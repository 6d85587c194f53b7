"""The command line: parses options, makes one library call, renders the result. Only module that knows typer."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from kb.errors import KbError
from kb.store_errors import StoreFailure

app = typer.Typer(
    help="kb — 視察報告のナレッジベース: import blog posts, search them, list their figures, export tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
names_app = typer.Typer(
    help="User dictionary of organisation and place names, applied on import and reindex.",
    no_args_is_help=True,
)
app.add_typer(names_app, name="names")

EXIT_FOUND, EXIT_NONE, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
_state: dict[str, Any] = {"db": None}

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Database file (default: $KB_DB, else kb.db in the user's kb folder).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (UTF-8) instead of a table.")]
MAX_LIMIT = 10_000_000
MAX_ID = 2**62
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="Show at most N results.")
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Posts dated on or after this day (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Posts dated on or before this day (YYYY-MM-DD).")
]
TopicOption = Annotated[str | None, typer.Option("--topic", "-t", help="Only this topic (section heading).")]
PostOption = Annotated[
    int | None, typer.Option("--post", min=1, max=MAX_ID, help="Only this post (its ID from kb posts).")
]


@app.callback()
def _main(ctx: typer.Context, db: DbOption = None) -> None:
    _state["db"] = db
    _state["stores"] = []
    ctx.call_on_close(_close_stores)


def _close_stores() -> None:
    for store in _state.get("stores", []):
        store.close()
    _state["stores"] = []


def db_path() -> Path:
    """--db, else $KB_DB, else kb.db in the user's application folder."""
    if _state["db"] is not None:
        return Path(_state["db"])
    env = os.environ.get("KB_DB")
    if env:
        return Path(env)
    return Path(typer.get_app_dir("kb")) / "kb.db"


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    typer.echo(f"kb: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn library errors and Ctrl-C into a message and the documented exit code: no traceback."""
    try:
        yield
    except KbError as err:
        fail(str(err), err.exit_code)
    except KeyboardInterrupt:
        _state["interrupt_reported"] = True
        typer.echo("\nkb: 中断しました (interrupted); 書きかけのファイルは取り消されました", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except StoreFailure as err:  # a damaged page or index found while reading
        fail(f"データベースを読めません ({err}); 索引の破損なら kb reindex で作り直せます")
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_FOUND) from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def open_store(readonly: bool = False) -> Any:
    from kb.store import Store

    path = db_path()
    if readonly and not path.exists():
        fail(f"データベースがありません: {path}\n  先に取り込んでください: kb import data/")
    store = Store(path, readonly=readonly or _is_readonly(path))
    _state.setdefault("stores", []).append(store)
    _warn_versions(store)
    return store


def _is_readonly(path: Path) -> bool:
    return path.exists() and not os.access(path, os.W_OK)


def _warn_versions(store: Any) -> None:
    from kb.segment import versions

    recorded = store.get_meta("segmenter")
    if recorded is None:
        return
    now = json.dumps(versions(), sort_keys=True)
    if recorded != now:
        typer.echo(
            f"kb: 形態素解析の版が変わりました ({recorded} → {now})。索引を作り直すには: kb reindex",
            err=True,
        )


def emit(text: str) -> None:
    """Write plain output and flush it here, inside handled(): a closed pipe (kb ... | head) then
    ends quietly with 0 wherever it happens, never in the interpreter's flush at exit."""
    with handled():
        sys.stdout.write(text)
        sys.stdout.flush()


def emit_json(data: Any) -> None:
    emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def is_terminal() -> bool:
    return sys.stdout.isatty()


def text_arg(value: str | None) -> str | None:
    """A text argument made safe: bytes that were not UTF-8 (surrogates) and control characters dropped."""
    if value is None:
        return None
    from kb.query import clean

    return clean(value)


def check_number(value: float | None, option: str) -> float | None:
    if value is not None and not math.isfinite(value):
        fail(f"{option} には有限の数を指定してください ({value})")
    return value


def check_date(value: str | None, option: str, *, end: bool = False) -> str | None:
    """An ISO day from YYYY-MM-DD, YYYY-MM or YYYY: the first day of the period, or its last with ``end``
    (so --until 2018 keeps posts of 2018-12-31)."""
    if value is None:
        return None
    text = (text_arg(value) or "").strip().replace("/", "-")
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if end and fmt == "%Y":
            day = day.replace(month=12, day=31)
        elif end and fmt == "%Y-%m":
            import calendar  # only for --until YYYY-MM

            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return day.isoformat()
    fail(f"{option} の日付が読めません: {value!r} (例: 2018-04-13)")


# --------------------------------------------------------------------------- import


@app.command("import")
def import_(
    paths: Annotated[
        list[str], typer.Argument(help="Files or directories to import; - reads standard input.")
    ],
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Decode every file with this encoding (e.g. cp932, euc-jp)."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=64,
            help="Worker processes for segmentation (default: the number of cores).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import blog posts: text, Markdown, HTML, Movable Type exports, archive pages."""
    from kb.importer import import_paths
    from kb.segment import versions

    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):  # ValueError: a NUL in the name
            fail(f"不明なエンコーディングです: {encoding} (例: utf-8, cp932, euc-jp)")
    with handled():
        store = open_store()
        if store.readonly:
            fail(f"{store.path} に書き込めません (読み取り専用)")
        now = json.dumps(versions(), sort_keys=True)
        recorded = store.get_meta("segmenter")
        if recorded is None:
            with store.transaction():
                store.set_meta("segmenter", now)
        show = not quiet and not as_json and sys.stderr.isatty()
        progress_cb, stop = _progress(show)
        try:
            report = import_paths(
                store,
                paths,
                encoding=encoding,
                jobs=jobs or (os.cpu_count() or 1),
                progress=progress_cb,
                stdin_bytes=lambda: sys.stdin.buffer.read(),
            )
        finally:
            stop()
    if as_json:
        emit_json(
            {
                "db": report.db,
                "files": report.file_count,
                "added": report.total("added"),
                "unchanged": report.total("unchanged"),
                "removed": report.total("removed"),
                "sections": report.total("sections"),
                "passages": report.total("passages"),
                "facts": report.total("facts"),
                "seconds": round(report.seconds, 3),
                "skipped": [{"path": f.path, "reason": f.reason} for f in report.skipped],
                "warnings": [{"path": f.path, "warning": w} for f in report.files for w in f.warnings],
            }
        )
    elif not quiet:
        from kb.render import console, print_import

        print_import(console(stderr=not is_terminal()), report)
        typer.echo(
            f"{report.total('unchanged')} unchanged, {report.total('added')} added (database: {report.db})",
            err=True,
        )
    if report.skipped:
        if quiet:
            for f in report.skipped:
                typer.echo(f"kb: スキップ: {f.path}: {f.reason}", err=True)
        typer.echo(f"kb: {len(report.skipped)} 件のファイルをスキップしました", err=True)
        raise typer.Exit(EXIT_NONE if report.file_count > len(report.skipped) else EXIT_ERROR)


def _progress(show: bool) -> tuple[Callable[[str, int, int], None] | None, Callable[[], None]]:
    if not show:
        return None, lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    task = bar.add_task("取り込み中", total=None)
    bar.start()

    def update(path: str, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total, description=f"取り込み中 {Path(path).name[:30]}")

    return update, bar.stop


# --------------------------------------------------------------------------- search


@app.command(context_settings={"ignore_unknown_options": True})
def search(
    query: Annotated[list[str], typer.Argument(help='Words (all must match), "a phrase", OR, -excluded.')],
    since: SinceOption = None,
    until: UntilOption = None,
    topic: TopicOption = None,
    post: PostOption = None,
    limit: LimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search passages; exit 0 when found, 1 when nothing matched, 2 on error."""
    from kb.query import parse
    from kb.search import describe
    from kb.search import search as run_search
    from kb.store import Filters
    from kb.text.fold import fold

    unknown = [w for w in query if w.startswith("--")]
    if unknown:
        fail(f"不明なオプションです: {text_arg(unknown[0])} (kb search --help)")
    text = text_arg(" ".join(query)) or ""
    topic = text_arg(topic)
    filters = Filters(
        check_date(since, "--since"),
        check_date(until, "--until", end=True),
        fold(topic).strip() if topic else None,
        post,
    )
    with handled():
        store = open_store(readonly=True)
        hits = run_search(store, text, filters, limit or (20 if is_terminal() or not as_json else 1000))
        if as_json:
            emit_json(
                [
                    {
                        "post_id": h.post_id,
                        "title": h.title,
                        "date": h.date,
                        "section": h.section,
                        "text": h.text,
                        "highlights": [list(s) for s in h.highlights],
                        "score": h.score,
                        "match": h.match,
                        "source": h.source,
                        "url": h.url,
                        "line": h.line,
                        "passage_id": h.passage_id,
                    }
                    for h in hits
                ]
            )
        if not hits:
            typer.echo(f"kb: 見つかりませんでした: {describe(parse(text))}", err=True)
            raise typer.Exit(EXIT_NONE)
        if not as_json:
            if is_terminal():
                from kb.render import console, print_hits

                print_hits(console(), hits)
            else:
                from kb.render_plain import format_hits

                emit(format_hits(hits))


# --------------------------------------------------------------------------- posts


@app.command()
def posts(limit: LimitOption = None, as_json: JsonOption = False) -> None:
    """List imported posts: id, date, title, sections, source."""
    with handled():
        store = open_store(readonly=True)
        rows = store.list_posts(limit=limit)
    if as_json:
        emit_json(
            [
                {
                    k: r[k]
                    for k in (
                        "id",
                        "title",
                        "date",
                        "author",
                        "url",
                        "source",
                        "categories",
                        "sections",
                        "photos",
                    )
                }
                for r in rows
            ]
        )
        return
    if not rows:
        typer.echo("kb: 投稿がありません。kb import で取り込んでください", err=True)
        raise typer.Exit(EXIT_NONE)
    if not is_terminal():
        from kb.render_plain import format_posts

        emit(format_posts(rows))
        return
    from kb.render import console, print_posts

    with handled():  # a closed pipe (kb posts | head) ends quietly
        print_posts(console(), rows)


@app.command()
def show(
    post_id: Annotated[int, typer.Argument(help="Post ID (see kb posts).")], as_json: JsonOption = False
) -> None:
    """Print one post with its sections."""
    if not 1 <= post_id <= MAX_ID:
        fail(f"投稿 #{post_id} はありません (kb posts で一覧を表示)", EXIT_NONE)
    with handled():
        store = open_store(readonly=True)
        post = store.get_post(post_id)
    if post is None:
        fail(f"投稿 #{post_id} はありません (kb posts で一覧を表示)", EXIT_NONE)
    if as_json:
        emit_json(
            {
                k: post[k]
                for k in (
                    "id",
                    "title",
                    "date",
                    "author",
                    "url",
                    "source",
                    "categories",
                    "sections",
                    "photos",
                    "text",
                )
            }
        )
        return
    from kb.render import console, print_post

    print_post(console(), post)


@app.command()
def remove(
    targets: Annotated[list[str], typer.Argument(help="Post IDs or source paths (files or folders).")],
) -> None:
    """Remove posts by ID, or every post imported from a file or folder."""
    with handled():
        store = open_store()
        ids: list[int] = []
        for t in targets:
            if t.isdigit():
                if int(t) > MAX_ID:
                    fail(f"投稿 #{t} はありません (kb posts で一覧を表示)", EXIT_NONE)
                ids.append(int(t))
            else:
                found = store.post_ids_for_path(os.path.abspath(t))
                if not found:
                    fail(f"{t} から取り込んだ投稿はありません")
                ids.extend(found)
        existing = {p["id"] for p in store.list_posts(post_ids=ids)} if ids else set()
        missing = [i for i in ids if i not in existing]
        if missing:
            fail(f"投稿 #{missing[0]} はありません (kb posts で一覧を表示)", EXIT_NONE)
        with store.transaction():
            n = store.remove_posts(sorted(set(ids)))
        store.release_free_pages()
    typer.echo(f"{n} 件の投稿を削除しました (database: {store.path})", err=True)


# --------------------------------------------------------------------------- facts


def _fact_filters(
    store: Any,
    topic: str | None,
    kind: str | None,
    unit: str | None,
    min_: float | None,
    max_: float | None,
    post: int | None,
    query: str | None,
    since: str | None,
    until: str | None,
) -> Any:
    from kb.store import FactFilters
    from kb.text.fold import fold

    topic, unit, query = text_arg(topic), text_arg(unit), text_arg(query)
    check_number(min_, "--min")
    check_number(max_, "--max")
    if kind is not None and kind not in ("quantity", "date", "org", "place"):
        fail(f"--kind は quantity, date, org, place のいずれかです ({kind!r})")
    from kb.errors import QueryError
    from kb.search import search as run_search

    passage_ids = None
    if query is not None:
        passage_ids = [h.passage_id for h in run_search(store, query, None, limit=MAX_LIMIT)]
    mentions: list[int] = []
    if topic and topic.strip():
        try:  # the topic's heading, then the passages that mention it
            mentions = [h.passage_id for h in run_search(store, f'"{topic}"', None, limit=MAX_LIMIT)]
        except QueryError:
            mentions = []
    return FactFilters(
        kind,
        unit,
        min_,
        max_,
        fold(topic).strip() if topic else None,
        mentions,
        post,
        passage_ids,
        check_date(since, "--since"),
        check_date(until, "--until", end=True),
    )


KindOption = Annotated[str | None, typer.Option("--kind", "-k", help="quantity, date, org or place.")]
UnitOption = Annotated[str | None, typer.Option("--unit", "-u", help="Only this unit, e.g. 人, 円, %.")]
MinOption = Annotated[float | None, typer.Option("--min", help="Smallest value (normalised, e.g. 1000000).")]
MaxOption = Annotated[float | None, typer.Option("--max", help="Largest value.")]
QueryOption = Annotated[
    str | None, typer.Option("--query", "-q", help="Only facts in passages matching a search.")
]


@app.command()
def facts(
    topic: TopicOption = None,
    kind: KindOption = None,
    unit: UnitOption = None,
    min_: MinOption = None,
    max_: MaxOption = None,
    post: PostOption = None,
    query: QueryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures, dates, organisations and places, each with its sentence and source."""
    from kb.store import list_facts

    with handled():
        store = open_store(readonly=True)
        filters = _fact_filters(store, topic, kind, unit, min_, max_, post, query, since, until)
        rows = list_facts(store, filters, limit or (50 if is_terminal() else None))
    if as_json:
        emit_json([_fact_json(r) for r in rows])
        if not rows:
            raise typer.Exit(EXIT_NONE)
        return
    if not rows:
        fail("該当する事実はありません", EXIT_NONE)
    if not is_terminal():
        from kb.render_plain import format_facts

        emit(format_facts(rows))
        return
    from kb.render import console, print_facts

    with handled():  # a closed pipe (kb facts | head) ends quietly
        print_facts(console(), rows)


def _fact_json(r: dict[str, Any]) -> dict[str, Any]:
    from kb.render_plain import fact_figure

    keys = (
        "kind",
        "surface",
        "written",
        "value",
        "value_max",
        "unit",
        "qualifier",
        "note",
        "post_id",
        "title",
        "date",
        "section",
        "sentence",
        "start",
        "end",
        "source",
        "url",
        "line",
        "mentions",
    )
    out = {k: r[k] for k in keys}
    out["figure"] = fact_figure(r)
    return out


@app.command()
def topics(as_json: JsonOption = False) -> None:
    """Topics (section headings) across posts, with the number of facts of each kind."""
    from kb.store import list_topics

    with handled():
        store = open_store(readonly=True)
        rows = list_topics(store)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        fail("見出しのある投稿がありません", EXIT_NONE)
    from kb.render import console, print_topics

    with handled():
        print_topics(console(), rows)


# --------------------------------------------------------------------------- export


@app.command()
def export(
    topic: TopicOption = None,
    kind: KindOption = None,
    unit: UnitOption = None,
    min_: MinOption = None,
    max_: MaxOption = None,
    post: PostOption = None,
    query: QueryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    search_: Annotated[
        str | None, typer.Option("--search", "-s", help="Export search hits instead of facts.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx, csv, tsv, md, json or jsonl (default: from the -o file name, else csv).",
        ),
    ] = None,
    out: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file (- for standard output).")
    ] = None,
    headers: Annotated[str, typer.Option("--headers", help="ja (日本語) or en.")] = "ja",
    sheet_per: Annotated[
        str | None, typer.Option("--sheet-per", help="xlsx: one sheet per topic or kind.")
    ] = None,
    sheet: Annotated[
        bool, typer.Option("--sheet", help="md: a council-question sheet with citations.")
    ] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="csv/tsv: utf-8-sig (default), utf-8 or cp932.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    limit: LimitOption = None,
) -> None:
    """Tables for a council-question draft: Excel, CSV, Markdown or JSON."""
    from kb.export import format_from_path, write_export
    from kb.models import ExportRow
    from kb.store import list_facts

    if headers not in ("ja", "en"):
        fail("--headers は ja か en です")
    if sheet_per not in (None, "topic", "kind"):
        fail("--sheet-per は topic か kind です")
    chosen = fmt or (format_from_path(out) if out and out != "-" else None) or "csv"
    with handled():
        store = open_store(readonly=True)
        rows: list[ExportRow] = []
        if search_ is not None:
            search_ = text_arg(search_) or ""
            topic = text_arg(topic)
            from kb.search import search as run_search
            from kb.store import Filters
            from kb.text.fold import fold

            filters = Filters(
                check_date(since, "--since"),
                check_date(until, "--until", end=True),
                fold(topic).strip() if topic else None,
                post,
            )
            for h in run_search(store, search_, filters, limit or 100_000):
                rows.append(
                    ExportRow(
                        topic=h.section,
                        kind="passage",
                        sentence=h.text,
                        title=h.title,
                        date=h.date,
                        location=h.url or h.source,
                        line=h.line,
                        post_id=h.post_id,
                        score=h.score,
                    )
                )
        else:
            ff = _fact_filters(store, topic, kind, unit, min_, max_, post, query, since, until)
            for f in list_facts(store, ff, limit):
                rows.append(
                    ExportRow(
                        topic=f["section"],
                        kind=f["kind"],
                        sentence=f["sentence"] or f["surface"],
                        title=f["title"],
                        date=f["date"],
                        location=f["url"] or f["source"],
                        line=f["line"],
                        surface=f["surface"],
                        value=f["value"],
                        value_max=f["value_max"],
                        unit=f["unit"],
                        qualifier=f["qualifier"],
                        post_id=f["post_id"],
                    )
                )
        result = write_export(
            rows,
            chosen,
            out,
            headers=headers,
            sheet_per=sheet_per,
            md_sheet=sheet,
            encoding=encoding,
            force=force,
        )
    for w in result.warnings:
        typer.echo(f"kb: 注意: {w}", err=True)
    if result.path:
        typer.echo(f"{result.rows} 行を書き出しました: {result.path}", err=True)
    if result.rows == 0:
        typer.echo("kb: 該当する行はありません (見出しだけを書き出しました)", err=True)
        raise typer.Exit(EXIT_NONE)


# --------------------------------------------------------------------------- names, reindex, info


@names_app.command("add")
def names_add(
    surface: Annotated[str, typer.Argument(help="The name exactly as written, e.g. ノウォン区役所.")],
    kind: Annotated[str, typer.Option("--kind", help="org or place.")] = "org",
) -> None:
    """Add a name; it is tagged in posts imported or reindexed from now on."""
    if kind not in ("org", "place"):
        fail("--kind は org か place です")
    name = surface.strip()
    if not name:
        fail("名前が空です")
    with handled():
        store = open_store()
        with store.transaction():
            store.add_name(name, kind)
    typer.echo(
        f"追加しました: {name} ({kind}); 既存の投稿に反映するには: kb reindex (database: {store.path})",
        err=True,
    )


@names_app.command("list")
def names_list(as_json: JsonOption = False) -> None:
    """List the names you added."""
    with handled():
        store = open_store(readonly=True)
        rows = store.names()
    if as_json:
        emit_json([{"surface": s, "kind": k} for s, k in rows])
        return
    for s, k in rows:
        typer.echo(f"{s}\t{k}")


@names_app.command("remove")
def names_remove(surface: Annotated[str, typer.Argument(help="The name to remove.")]) -> None:
    """Remove a name from the dictionary."""
    with handled():
        store = open_store()
        with store.transaction():
            ok = store.remove_name(surface.strip())
    if not ok:
        fail(f"辞書にありません: {surface}", EXIT_NONE)
    typer.echo(f"削除しました: {surface} (database: {store.path})", err=True)


@app.command()
def reindex(quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False) -> None:
    """Segment every passage and extract facts again (after a SudachiPy or dictionary update, or new names)."""
    from kb.reindex import reindex_all

    with handled():
        store = open_store()
        n = reindex_all(store)
    if not quiet:
        typer.echo(f"{n} 件の投稿の索引と事実を作り直しました (database: {store.path})", err=True)


@app.command()
def info(as_json: JsonOption = False) -> None:
    """Where the database is, what it holds, and the versions it was built with."""
    from kb.segment import versions

    with handled():
        store = open_store(readonly=True)
        data = {
            "db": store.path,
            "schema": store.schema_version(),
            **store.counts(),
            "segmenter": store.get_meta("segmenter"),
            "installed": json.dumps(versions(), sort_keys=True),
        }
    if as_json:
        emit_json(data)
        return
    for k, v in data.items():
        typer.echo(f"{k}: {v}")


def main() -> None:
    """Entry point: no traceback reaches the user unless KB_DEBUG is set."""
    try:
        app(standalone_mode=True)
    except SystemExit as done:
        # typer turns a Ctrl-C outside a command's own handling into a silent exit 130
        if done.code == EXIT_INTERRUPTED and not _state.get("interrupt_reported"):
            typer.echo("\nkb: 中断しました (interrupted)", err=True)
        raise
    except KeyboardInterrupt:
        typer.echo("\nkb: 中断しました (interrupted)", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as err:  # a bug in kb: say so briefly, keep the details for KB_DEBUG=1
        if os.environ.get("KB_DEBUG"):
            raise
        typer.echo(
            f"kb: 内部エラー (internal error): {type(err).__name__}: {err}\n"
            "  詳細は KB_DEBUG=1 を付けて再実行してください",
            err=True,
        )
        sys.exit(EXIT_ERROR)
