"""The commands: each parses its options, makes one kb.api call and shows the result through kb.views."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from kb.cli.core import EXIT_ERROR, EXIT_NONE, search_command
from kb.cli.frame import (
    Command,
    DbOption,
    JsonOption,
    LimitOption,
    PostOption,
    QuietOption,
    SinceOption,
    TopicOption,
    UntilOption,
    app,
    db_path,
    fail,
    interactive,
    is_terminal,
    names_app,
    note,
    progress,
    store,
    synonyms_app,
)

if TYPE_CHECKING:
    from kb.importer import ImportReport

# ------------------------------------------------------------------------------------------- import


PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="取り込むファイルやフォルダ (- は標準入力)。", metavar="ファイル...", show_default=False
    ),
]
ReadEncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="文字コード",
        help="すべてのファイルをこの文字コードで読みます (例: cp932, euc-jp)。",
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", metavar="N", min=1, max=64, help="解析に使うプロセスの数 (既定: CPU の数)。"
    ),
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        "-g",
        metavar="形",
        help="フォルダの中でこの形に合うファイルだけ (例: '*.txt'; ! を前に付けると除外)。",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="形", help="フォルダの中でこの形に合うファイルを除きます。"),
]


@app.command("import", cls=Command)
def import_(
    paths: PathsArgument,
    encoding: ReadEncodingOption = None,
    jobs: JobsOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    quiet: QuietOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """投稿を取り込みます: テキスト, Markdown, HTML, Movable Type 形式, 複数の投稿を含むページ。"""
    from kb import api

    with store(db, write=True, create=True) as s, progress(not (quiet or as_json), "取り込み中") as bar:
        report = api.import_paths(
            s, paths, encoding=encoding, jobs=jobs, include=include or (), exclude=exclude or (),
            progress=bar.on_import if bar else None,
        )  # fmt: skip
    _show_import(report, quiet=quiet, as_json=as_json)
    if report.skipped:
        note(f"kb: {len(report.skipped)} 件のファイルをスキップしました")
        raise typer.Exit(EXIT_NONE if report.file_count > len(report.skipped) else EXIT_ERROR)


def _show_import(report: ImportReport, *, quiet: bool, as_json: bool) -> None:
    """The import's summary: JSON on stdout, a table on a terminal's stderr, lines on stderr; with
    --quiet only the skipped files."""
    from kb.views import contract, plain, write

    if as_json:
        write(contract.dumps(contract.import_report(report)))
    elif not quiet and sys.stderr.isatty():
        from kb.views import term

        term.print_import(term.console(stderr=True), report)
    elif not quiet:
        note(plain.format_import(report).rstrip())
    else:
        for f in report.skipped:
            note(f"kb: スキップ: {f.path}: {f.reason}")


# ------------------------------------------------------------------------------------------- search


@app.command(cls=Command, context_settings={"ignore_unknown_options": True})
def search(
    query: Annotated[
        list[str],
        typer.Argument(
            help='検索語 (すべて含む投稿)、"語句"、A OR B、-除外語、-"除外する語句"。',
            metavar="検索語...",
            show_default=False,
        ),
    ],
    since: SinceOption = None,
    until: UntilOption = None,
    topic: TopicOption = None,
    post: PostOption = None,
    limit: LimitOption = None,
    synonyms: Annotated[
        bool,
        typer.Option(
            "--synonyms/--no-synonyms", help="同義語でも検索します (既定: する)。", show_default=False
        ),
    ] = True,
    include_undated: Annotated[
        bool, typer.Option("--include-undated", help="期間を指定しても日付のない投稿を含めます。")
    ] = False,
    sort: Annotated[
        str, typer.Option("--sort", metavar="順", help="relevance (関連度) か date (新しい順)。")
    ] = "relevance",
    passages: Annotated[bool, typer.Option("--passages", help="投稿ではなく文ごとに一覧します。")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """投稿を検索します。見つかれば 0、なければ 1、エラーは 2 で終了します。"""
    code = search_command(
        db_path(db), query, since=since, until=until, topic=topic, post=post, limit=limit, synonyms=synonyms,
        include_undated=include_undated, sort=sort, passages=passages, as_json=as_json,
    )  # fmt: skip
    if code:
        raise typer.Exit(code)


# -------------------------------------------------------------------------------------------- posts


@app.command(cls=Command)
def posts(limit: LimitOption = None, as_json: JsonOption = False, db: DbOption = None) -> None:
    """取り込んだ投稿の一覧: ID, 日付, タイトル, 見出しの数, 写真, ファイル。"""
    from kb import api
    from kb.views import contract, plain, show

    with store(db) as s:
        found = api.list_posts(s, limit)
        if not found and not as_json:
            fail("投稿がありません。kb import で取り込んでください", EXIT_NONE)
        show(found, as_json, plain=plain.format_posts, term="print_posts", contract=contract.posts)


@app.command(cls=Command)
def show(
    post_id: Annotated[
        int, typer.Argument(help="投稿の ID (kb posts で)。", metavar="ID", show_default=False)
    ],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """投稿を1件、見出しと本文の行のまま表示します。"""
    from kb import api
    from kb.views import contract, plain
    from kb.views import show as view

    with store(db) as s:
        view(
            api.get_post(s, post_id),
            as_json,
            plain=plain.format_post,
            term="print_post",
            contract=contract.stored_post,
        )


@app.command(cls=Command)
def remove(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="投稿の ID、または取り込んだファイルやフォルダ。",
            metavar="ID|ファイル...",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="削除せずに、削除される投稿を表示します。")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="確認せずに削除します。")] = False,
    db: DbOption = None,
) -> None:
    """投稿を削除します: ID で、またはファイル・フォルダから取り込んだものを (ほかのファイルにもある投稿は残ります)。"""
    from kb import api
    from kb.views import plain, write

    with store(db, write=not dry_run) as s:
        removal = api.plan_removal(s, targets)
        ask = len(removal.posts) > 1 and not yes and interactive()
        if dry_run or ask:
            write(plain.format_removal(removal))
        if dry_run:
            note(f"{len(removal.posts)} 件の投稿を削除します (--dry-run: まだ削除していません)")
            return
        if ask and not typer.confirm(f"{len(removal.posts)} 件の投稿を削除しますか?", default=False):
            fail("削除を取りやめました", EXIT_NONE)
        n = api.remove(s, removal)
    note(f"{n} 件の投稿を削除しました (データベース: {s.path})")


# -------------------------------------------------------------------------------------------- facts


KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind", "-k", metavar="種別", help="quantity (数量), date (日付), org (組織), place (地名)。"
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option("--unit", "-u", metavar="単位", help="この単位だけ (例: 人, 円, %, 億円, 万人)。"),
]
ExactUnitOption = Annotated[
    bool, typer.Option("--exact-unit", help="人 と 名 のような同じ種類の単位をまとめません。")
]
MinOption = Annotated[
    str | None, typer.Option("--min", metavar="数", help="この値以上 (例: 100000, 10万, 1.5億)。")
]
MaxOption = Annotated[str | None, typer.Option("--max", metavar="数", help="この値以下。")]
QueryOption = Annotated[
    str | None, typer.Option("--query", "-q", metavar="検索語", help="この検索に一致する文の事実だけ。")
]


def _fact_query(**kw: object) -> object:
    from kb.api import FactQuery

    return FactQuery(**kw)  # type: ignore[arg-type]


@app.command(cls=Command)
def facts(
    topic: TopicOption = None,
    kind: KindOption = None,
    unit: UnitOption = None,
    exact_unit: ExactUnitOption = False,
    min_: MinOption = None,
    max_: MaxOption = None,
    post: PostOption = None,
    query: QueryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """数値・日付・組織・地名を、その文・投稿・行とともに一覧します。"""
    from kb import api
    from kb.views import contract, plain, show

    q = _fact_query(topic=topic, kind=kind, unit=unit, exact_unit=exact_unit, min=min_, max=max_, post=post,
                    query=query, since=since, until=until, limit=limit or (50 if is_terminal() else None))  # fmt: skip
    with store(db) as s:
        found = api.find_facts(s, q)  # type: ignore[arg-type]
        for message in found.notes:  # how the unit was read: on stderr, so a pipe gets only the facts
            note(f"kb: {message}")
        if not found.facts and not as_json:
            fail("該当する事実はありません", EXIT_NONE)
        show(found, as_json, plain=plain.format_facts, term="print_facts", contract=contract.facts)
    if not found.facts:
        raise typer.Exit(EXIT_NONE)


@app.command(cls=Command)
def topics(
    limit: LimitOption = None,
    sort: Annotated[
        str,
        typer.Option("--sort", metavar="順", help="count (投稿の多い順), name (名前順), date (新しい順)。"),
    ] = "count",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """項目 (見出し) を投稿をまたいでまとめ、投稿と事実の数を表示します。"""
    from kb import api
    from kb.views import contract, plain, show

    with store(db) as s:
        found = api.topics(s, limit=limit, sort=sort)
        if not found and not as_json:
            fail("見出しのある投稿がありません", EXIT_NONE)
        show(found, as_json, plain=plain.format_topics, term="print_topics", contract=contract.topics)


# ------------------------------------------------------------------------------------------- export


ExportSearchOption = Annotated[
    str | None,
    typer.Option("--search", "-s", metavar="検索語", help="事実ではなく検索結果を書き出します。"),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="形式",
        help="xlsx, csv, tsv, md, json, jsonl (既定: -o の拡張子、なければ csv)。",
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="ファイル", help="書き出すファイル (- は標準出力)。"),
]
HeadersOption = Annotated[
    str, typer.Option("--headers", metavar="言語", help="見出しの言葉: ja (日本語) か en。")
]
SheetPerOption = Annotated[
    str | None,
    typer.Option(
        "--sheet-per", metavar="分け方", help="xlsx: 項目 (topic) か種別 (kind) ごとにシートを分けます。"
    ),
]
SheetOption = Annotated[bool, typer.Option("--sheet", help="md: 出典つきの質問準備シートにします。")]
WriteEncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding", metavar="文字コード", help="csv/tsv の文字コード: utf-8-sig (既定), utf-8, cp932。"
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="既にあるファイルを上書きします。")]
NoBomOption = Annotated[
    bool,
    typer.Option("--no-bom", help="csv/tsv の先頭に BOM を付けません (既定では付けます: Excel 用)。"),
]


@app.command(cls=Command)
def export(
    topic: TopicOption = None,
    kind: KindOption = None,
    unit: UnitOption = None,
    exact_unit: ExactUnitOption = False,
    min_: MinOption = None,
    max_: MaxOption = None,
    post: PostOption = None,
    query: QueryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    search_: ExportSearchOption = None,
    fmt: FormatOption = None,
    out: OutputOption = None,
    headers: HeadersOption = "ja",
    sheet_per: SheetPerOption = None,
    sheet: SheetOption = False,
    encoding: WriteEncodingOption = None,
    force: ForceOption = False,
    no_bom: NoBomOption = False,
    limit: LimitOption = None,
    db: DbOption = None,
) -> None:
    """一般質問の原稿に貼れる表を書き出します: Excel, CSV, Markdown, JSON。"""
    from kb import api

    q = _fact_query(topic=topic, kind=kind, unit=unit, exact_unit=exact_unit, min=min_, max=max_, post=post,
                    query=query, since=since, until=until, limit=limit)  # fmt: skip
    req = api.ExportRequest(facts=q, search=search_, format=fmt, output=out, headers=headers,  # type: ignore[arg-type]
                            sheet_per=sheet_per, sheet=sheet, encoding=encoding, force=force, bom=not no_bom)  # fmt: skip
    with store(db) as s, progress(True, "書き出し中") as bar:
        result = api.export(s, req, progress=bar.update if bar else None)
    for w in result.warnings:
        note(f"kb: 注意: {w}")
    if result.path:
        note(f"{result.rows} 行を書き出しました: {result.path}")
    if result.rows == 0:
        note("kb: 該当する行はありません (見出しだけを書き出しました)")
        raise typer.Exit(EXIT_NONE)


# --------------------------------------------------------------------------- names, synonyms, index


@names_app.command("add", cls=Command)
def names_add(
    surface: Annotated[
        str,
        typer.Argument(help="書かれているとおりの名前 (例: ○○区役所)。", metavar="名前", show_default=False),
    ],
    kind: Annotated[str, typer.Option("--kind", metavar="種別", help="org (組織) か place (地名)。")] = "org",
    db: DbOption = None,
) -> None:
    """名前を追加します。これから取り込む投稿と kb reindex で使われます。"""
    from kb import api

    with store(db, write=True) as s:
        name = api.add_name(s, surface, kind)
    note(f"追加しました: {name} ({kind}); 取り込み済みの投稿に使うには: kb reindex (データベース: {s.path})")


def _show_pairs(
    pairs: list[tuple[str, str]],
    as_json: bool,
    *,
    rows: Callable[[list[tuple[str, str]]], list[tuple[str, str]]],
    columns: tuple[str, str],
    keys: tuple[str, str],
    term: str,
) -> None:
    """`kb names list` and `kb synonyms list`: the pairs as ``rows`` shows them under two ``columns``,
    or JSON objects with these ``keys``; ``term`` names the terminal view."""
    from kb.views import contract, plain, show

    show(pairs, as_json, plain=lambda p: plain.format_names(rows(p), columns), term=term,
         contract=lambda p: contract.pairs(p, keys))  # fmt: skip


@names_app.command("list", cls=Command)
def names_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """追加した名前の一覧。"""
    from kb.views import words

    with store(db) as s:
        _show_pairs(s.names.all(), as_json, rows=words.name_rows, columns=words.NAME_COLUMNS,
                    keys=("surface", "kind"), term="print_names")  # fmt: skip


@names_app.command("remove", cls=Command)
def names_remove(
    surface: Annotated[str, typer.Argument(help="削除する名前。", metavar="名前", show_default=False)],
    db: DbOption = None,
) -> None:
    """名前を辞書から削除します。"""
    from kb import api

    with store(db, write=True) as s:
        api.remove_name(s, surface)
    note(f"削除しました: {surface} (データベース: {s.path})")


@synonyms_app.command("add", cls=Command)
def synonyms_add(
    word: Annotated[str, typer.Argument(help="語。", metavar="語", show_default=False)],
    others: Annotated[
        list[str], typer.Argument(help="その同義語 (1つ以上)。", metavar="同義語...", show_default=False)
    ],
    db: DbOption = None,
) -> None:
    """同義語を登録します: どの語で検索しても互いに見つかります。"""
    from kb import api

    with store(db, write=True) as s:
        added = api.add_synonym(s, word, others)
    note(f"登録しました: {word} ＝ {'・'.join(added)} (データベース: {s.path})")


@synonyms_app.command("list", cls=Command)
def synonyms_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """登録した同義語の一覧。"""
    from kb.views import words

    with store(db) as s:
        _show_pairs(s.synonyms.all(), as_json, rows=list, columns=words.SYNONYM_COLUMNS,
                    keys=("word", "other"), term="print_synonyms")  # fmt: skip


@synonyms_app.command("remove", cls=Command)
def synonyms_remove(
    word: Annotated[str, typer.Argument(help="語。", metavar="語", show_default=False)],
    other: Annotated[
        str | None,
        typer.Argument(
            help="その同義語 (省略するとその語のすべて)。", metavar="[同義語]", show_default=False
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """同義語を削除します。"""
    from kb import api

    with store(db, write=True) as s:
        n = api.remove_synonym(s, word, other)
    note(f"{n} 組の同義語を削除しました (データベース: {s.path})")


@app.command(cls=Command)
def reindex(quiet: QuietOption = False, db: DbOption = None) -> None:
    """すべての投稿を解析し直します (SudachiPy や辞書の更新、名前の追加のあとに)。"""
    from kb import api

    with store(db, write=True) as s, progress(not quiet, "解析し直し中") as bar:
        n = api.reindex(s, (lambda done, total: bar.update(done, total)) if bar else None)
    if not quiet:
        note(f"{n} 件の投稿の索引と事実を作り直しました (データベース: {s.path})")


@app.command(cls=Command)
def info(as_json: JsonOption = False, db: DbOption = None) -> None:
    """データベースの場所、中身の数、索引を作った版を表示します。"""
    from kb import api
    from kb.views import contract, plain, show

    with store(db) as s:
        show(api.info(s), as_json, plain=plain.format_info, term="print_info", contract=contract.info)
