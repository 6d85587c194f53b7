"""The terminal views as a user sees them, at 80 and 120 columns (and 20, the narrowest we promise to
stay readable at), recorded with rich's ``Console(width=…, record=True)`` and compared with golden
files in tests/golden/term/. To accept a deliberate change of a view: KB_UPDATE_GOLDEN=1 pytest …,
then read the diff of the golden files before committing them.

Besides the goldens, properties every width must keep: no line wider than the terminal, a figure
never cut across lines, no line starting with 、。 or a small kana, the figure marked in its sentence,
control characters from files shown escaped."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from helpers import seed_line, seed_lines, seed_posts, seed_quantities, seed_sentence, seed_titles
from kb import api
from kb.models import FoundFact
from kb.record import replace
from kb.store import Store
from kb.text.wrap import NO_LINE_START, width
from kb.views import term, words

GOLDEN = Path(__file__).parent / "golden" / "term"
WIDTHS = (80, 120)
# The sample's ◼️mVoting section and its first figures, as the gold has them (fixtures/seed.jsonl)
MV_HEADING = seed_posts()[0]["sections"][6]
MV = seed_quantities(section=MV_HEADING)
FIRST = MV[0]  # over 10万: the Japanese figure rounds the exact number into words
FIRST_LINE = seed_lines().index(seed_line(FIRST["surface"])) + 1


@pytest.fixture(autouse=True)
def _in_the_corpus_folder(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources show relative to the current folder: from the corpus folder, `seed-blog.txt` (the
    temporary folder's name would change the column widths from one run to the next)."""
    monkeypatch.chdir(seed_db.parent / "corpus")


def record(w: int, draw: Callable[[Console], None], styles: bool = False) -> str:
    con = term.console(width=w, record=True, file=io.StringIO(), color=styles)
    draw(con)
    return "\n".join(line.rstrip() for line in con.export_text(styles=styles).splitlines()) + "\n"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with KB_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def views(store: Store) -> dict[str, Callable[[Console], None]]:
    return {
        "search": lambda c: term.print_search(c, api.search(store, "電子政府")),
        "facts-mvoting": lambda c: term.print_facts(c, api.find_facts(store, api.FactQuery(topic="mVoting"))),
        "facts-volunteer": lambda c: term.print_facts(
            c, api.find_facts(store, api.FactQuery(query="ボランティア", kind="quantity"))
        ),
        "facts-people": lambda c: term.print_facts(
            c, api.find_facts(store, api.FactQuery(unit="万人", min="1"))
        ),
        "topics": lambda c: term.print_topics(c, api.topics(store)),
        "posts": lambda c: term.print_posts(c, api.list_posts(store)),
        "show": lambda c: term.print_post(c, api.get_post(store, 2)),
    }


VIEWS = ("search", "facts-mvoting", "facts-volunteer", "facts-people", "topics", "posts", "show")


@pytest.mark.parametrize("w", WIDTHS)
@pytest.mark.parametrize("view", VIEWS)
def test_terminal_view_matches_its_golden_file(seed_store: Store, view: str, w: int) -> None:
    golden(f"{view}-{w}.txt", record(w, views(seed_store)[view]))


@pytest.mark.parametrize("w", (20, 40, 80, 99, 100, 120, 200))
@pytest.mark.parametrize("view", [v for v in VIEWS if v != "show"])
def test_no_line_is_wider_than_the_terminal(seed_store: Store, view: str, w: int) -> None:
    text = record(w, views(seed_store)[view])
    assert text.strip()
    for line in text.splitlines():
        assert width(line) <= w, f"{width(line)} > {w}: {line}"
        stripped = line.lstrip()
        assert not stripped or stripped[0] not in NO_LINE_START or line == stripped, line


def test_narrow_terminals_still_show_every_row(seed_store: Store) -> None:
    """At COLUMNS=20 a table is a list: every post title and topic heading is there, readable."""
    posts = record(20, views(seed_store)["posts"])
    for p in api.list_posts(seed_store):
        assert p.title in posts.replace("\n", "").replace(" ", "")
    topics = record(20, views(seed_store)["topics"])
    assert "投稿数 2" in topics and "☆☆☆" in topics
    facts = record(20, views(seed_store)["facts-mvoting"])
    assert FIRST["surface"] in facts and f"#1 L{FIRST_LINE}" in facts


def _figures(found: api.FactList) -> list[str]:
    return [words.fact_figure(f) for f in found.facts]


@pytest.mark.parametrize("w", (20, 30, 80, 100, 120))
def test_figures_never_wrap(seed_store: Store, w: int) -> None:
    found = api.find_facts(seed_store, api.FactQuery(kind="quantity", limit=80))
    text = record(w, lambda c: term.print_facts(c, found))
    lines = text.splitlines()
    for figure in _figures(found):
        assert any(figure in line for line in lines), figure


def test_wide_facts_table_drops_empty_columns_and_cites_every_fact(seed_store: Store) -> None:
    found = api.find_facts(seed_store, api.FactQuery(topic="mVoting"))
    text = record(120, lambda c: term.print_facts(c, found))
    header = next(line for line in text.splitlines() if "原文" in line)
    assert "項目" not in header and "単位" not in header  # shared topic said once; figures hold units
    assert text.splitlines()[0] == f"項目: {MV_HEADING}"
    for f in found.facts:
        assert words.citation(f) in text
    # the legend: every cited post once, with its date and file
    legend = [line for line in text.splitlines() if line.startswith("#")]
    assert legend == [f"#1  日付なし  {seed_titles()[0]}  seed-blog.txt"]
    # the exact number only where it differs from the Japanese figure
    assert FIRST["value"] >= 100000 > MV[1]["value"]
    assert f"{FIRST['value']:,}" in text and f"{MV[1]['value']:,}" not in text


def test_the_figure_is_marked_in_its_sentence(seed_store: Store) -> None:
    found = api.find_facts(seed_store, api.FactQuery(topic="mVoting", kind="quantity"))
    for w in (80, 120):
        styled = record(w, lambda c: term.print_facts(c, found), styles=True)
        assert re.search(r"\x1b\[[0-9;]*33m" + re.escape(FIRST["surface"]) + r"\x1b\[0m", styled), styled


def test_card_layout_below_100_columns(seed_store: Store) -> None:
    found = api.find_facts(seed_store, api.FactQuery(topic="mVoting", kind="quantity"))
    lines = record(99, lambda c: term.print_facts(c, found)).splitlines()
    assert lines[0] == f"種別: 数量  項目: {MV_HEADING}"
    assert lines[1] == f"{FIRST['surface']} ({FIRST['value']:,})  {FIRST['unit']}"
    assert lines[2] == f"  {seed_sentence(FIRST['surface'])}  #1 L{FIRST_LINE}"


def _fact(**kw: Any) -> FoundFact:
    """An invented fact: 来場者は3万人でした。 in post #7, line 12."""
    base = FoundFact(
        kind="quantity", surface="3万人", written="3万人", value=30000, value_max=None, unit="人",
        qualifier=None, note=None, post_id=7, title="視察", date="2023-04-01", section="概要",
        sentence="来場者は3万人でした。", sentence_start=0, start=4, end=7, source="/x/post.txt", url=None,
        line=12, mentions=1,
    )  # fmt: skip
    return replace(base, **kw)


def test_escape_sequences_from_files_are_shown_escaped() -> None:
    evil = "\x1b]0;owned\x07\x1b[2J"
    found = api.FactList(facts=(_fact(title=f"視察{evil}", source=f"/x/{evil}.txt", section=f"概要{evil}"),))
    for w in (40, 120):
        text = record(w, lambda c: term.print_facts(c, found))
        assert "\x1b" not in text and "\x07" not in text
        assert "\\x1b]0;owned\\x07" in text


def test_a_long_unbreakable_figure_stays_whole_on_a_narrow_terminal() -> None:
    fact = _fact(surface="1234567890人", written="1234567890人", value=1234567890,
                 sentence="延べ人数の合計は1234567890人でした。", start=8, end=19)  # fmt: skip
    text = record(20, lambda c: term.print_facts(c, api.FactList(facts=(fact,))))
    assert words.fact_figure(fact) == "12億3456万7890人"
    assert any(words.fact_figure(fact) in line for line in text.splitlines()), text
    assert any("1234567890人" in line for line in text.splitlines()), text


def test_escape_sequences_in_posts_and_file_names_are_shown_escaped(tmp_path: Path) -> None:
    from helpers import import_folder, write_posts

    evil = "\x1b[2J\x1b]0;x\x07"
    folder = write_posts(
        tmp_path / "posts",
        {f"視察{evil}.txt": f"視察の報告{evil}\n\n■概要{evil}\n参加者は約30人{evil}でした。\n"},
    )
    db = import_folder(folder, tmp_path / "evil.db")
    with Store(db, readonly=True) as store:
        for name, draw in views(store).items():
            if name == "show":
                draw = lambda c: term.print_post(c, api.get_post(store, 1))  # noqa: E731
            elif name == "search":
                draw = lambda c: term.print_search(c, api.search(store, "参加者"))  # noqa: E731
            for w in (20, 120):
                text = record(w, draw)
                assert "\x1b" not in text and "\x07" not in text, (name, text)
        assert "\\x1b[2J" in record(120, lambda c: term.print_posts(c, api.list_posts(store)))
