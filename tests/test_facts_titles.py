"""Facts in the page shapes of the reading issue, read as kb imports a file (read_source →
build_post → segment → extract_facts): a title that carries facts, and a page whose first line is
a date. Invented pages; the facts of both are listed."""

from __future__ import annotations

from kb.facts import extract_facts
from kb.models import Fact, Post
from kb.reading import read_source
from kb.segment import segment
from kb.structure import build_post

TITLE_WITH_FACTS = """令和7年5月 宇部市議会 建設委員会 行政視察(福岡県久留米市)

5月20日〜21日の二日間にわたり、委員8名で福岡県久留米市を訪ねました。
・人口:30万2,115人
筑後川の治水対策を学びました。
"""

DATE_FIRST = """2025.03.14
岩国市の子育て支援を視察

周南市議会議員の川村です。3月12日、山口県岩国市を訪ねました。
市内の認定こども園は約40か所です。
"""


def _facts(name: str, text: str) -> tuple[Post, list[Fact]]:
    (raw,) = read_source(name, text.encode("utf-8")).posts
    post = build_post(raw)
    return post, extract_facts(post, [segment(p.text) for p in post.passages])


def _listed(facts: list[Fact]) -> list[tuple[str, str]]:
    return [(f.kind, f.surface) for f in facts]


def test_the_facts_of_a_title_are_found() -> None:
    post, facts = _facts("title.txt", TITLE_WITH_FACTS)
    title = post.passages[0]
    in_title = [(f.kind, f.surface) for f in facts if title.start <= f.start < title.end]
    assert in_title == [
        ("date", "令和7年5月"),
        ("org", "宇部市議会"),
        ("place", "福岡県"),
        ("place", "久留米市"),
    ]
    assert _listed(facts)[len(in_title) :] == [
        ("date", "5月20日〜21日"),
        ("quantity", "二日間"),
        ("quantity", "8名"),
        ("place", "福岡県"),
        ("place", "久留米市"),
        ("quantity", "30万2,115人"),
        ("place", "筑後川"),
    ]


def test_a_date_first_page_lists_its_facts() -> None:
    post, facts = _facts("dated.txt", DATE_FIRST)
    body = [
        (f.kind, f.surface)
        for f in facts
        if not post.text.startswith("2025.03.14", f.start) and f.surface != "2025.03.14"
    ]
    assert body == [
        ("place", "岩国市"),
        ("org", "周南市議会"),
        ("date", "3月12日"),
        ("place", "山口県"),
        ("place", "岩国市"),
        ("quantity", "40か所"),
    ]
    # the date line is the post's date; when the reader keeps it in the text, it is a date fact too
    dated = [f for f in facts if f.surface == "2025.03.14"]
    assert post.date == "2025-03-14" or [(f.kind, f.value) for f in dated] == [("date", "2025-03-14")]
    if "2025.03.14" in post.text:
        assert [(f.kind, f.value) for f in dated] == [("date", "2025-03-14")]
