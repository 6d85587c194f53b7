"""The query language parser."""

from __future__ import annotations

import pytest

from kb.errors import QueryError
from kb.search.query import parse


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


def test_unbalanced_quote_is_taken_literally() -> None:
    assert [[t.text for t in g] for g in parse('"電子 政府').groups] == [["電子"], ["政府"]]
