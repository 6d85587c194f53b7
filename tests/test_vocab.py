"""One vocabulary for the extractor and the views: every qualifier the extractor finds is written
where a reader expects it, whichever view prints it."""

from __future__ import annotations

import pytest

from kb.facts import extract_facts
from kb.models import Line, RawPost
from kb.segment import segment
from kb.structure import build_post
from kb.vocab import BEFORE, QUALIFIERS, kind_label, qualifier_words, with_qualifiers


@pytest.mark.parametrize(
    ("figure", "qualifier", "written"),
    [
        ("2600万人", "延べ", "延べ2600万人"),
        ("20人", "約 以上", "約20人以上"),
        ("243万人", "凡そ", "凡そ243万人"),
        ("300人", "程度", "300人程度"),
        ("5年", None, "5年"),
        ("7日", "謎", "7日謎"),  # an unknown word follows the figure
    ],
)
def test_qualifiers_stand_where_a_reader_writes_them(
    figure: str, qualifier: str | None, written: str
) -> None:
    assert with_qualifiers(figure, qualifier) == written


def test_every_prefix_word_the_extractor_reads_is_written_before() -> None:
    """The bug this table fixed: the extractor knew 延べ and 凡そ, the export printed them after."""
    for word in qualifier_words(BEFORE):
        text = f"来場者は{word}2600万人でした。"
        post = build_post(RawPost(title="t", lines=[Line(text, 1)], source="x"))
        facts = [
            f for f in extract_facts(post, [segment(p.text) for p in post.passages]) if f.kind == "quantity"
        ]
        assert [f.qualifier for f in facts] == [word], word
        assert with_qualifiers("2600万人", facts[0].qualifier) == f"{word}2600万人"


def test_qualifier_words_are_unique_and_labels_known() -> None:
    words = [q.word for q in QUALIFIERS]
    assert len(words) == len(set(words))
    assert [kind_label(k) for k in ("quantity", "date", "org", "place")] == ["数量", "日付", "組織", "地名"]
    assert kind_label("org", "en") == "org"
