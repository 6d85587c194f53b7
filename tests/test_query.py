"""The query language parser."""

from __future__ import annotations

import pytest

from kb.errors import QueryError
from kb.search.query import describe, parse


def test_words_phrases_or_and_exclusions() -> None:
    q = parse('電子政府 "ソウル 市" 投票 OR 選挙 -カジノ')
    assert [[t.text for t in g] for g in q.groups] == [["電子政府"], ["ソウル 市"], ["投票", "選挙"]]
    assert q.groups[1][0].phrase
    assert [t.text for t in q.excluded] == ["カジノ"]


def test_full_width_space_separates_words() -> None:
    assert [[t.text for t in g] for g in parse("電子政府　投票").groups] == [["電子政府"], ["投票"]]


@pytest.mark.parametrize("query", ["", "   ", "-カジノ", "OR"])
def test_empty_queries_are_explained(query: str) -> None:
    with pytest.raises(QueryError):
        parse(query)


def test_an_unbalanced_quote_is_dropped_and_the_rest_read_as_usual() -> None:
    assert [[t.text for t in g] for g in parse('"電子 政府').groups] == [["電子"], ["政府"]]
    q = parse('"公共 WiFi OR 無線 -有料')
    assert [[t.text for t in g] for g in q.groups] == [["公共"], ["WiFi", "無線"]]
    assert [t.text for t in q.excluded] == ["有料"]
    q = parse('図書館 -"電子 書籍')  # an excluded phrase without its end: its first word excluded
    assert [[t.text for t in g] for g in q.groups] == [["図書館"], ["書籍"]]
    assert [t.text for t in q.excluded] == ["電子"]
    assert describe(parse(describe(q))) == describe(q)


def test_a_dash_alone_is_no_word() -> None:
    q = parse("防災 - 訓練 －")
    assert [[t.text for t in g] for g in q.groups] == [["防災"], ["訓練"]] and not q.excluded
