"""The word-index column of a passage and the lexicon of words an import records (kb.terms,
kb.pipeline.new_words), on invented sentences."""

from __future__ import annotations

from kb.pipeline import forget_words, new_words
from kb.segment import segment
from kb.terms import has_word, index_terms


def terms(text: str) -> list[str]:
    return index_terms(segment(text), text).split()


def test_terms_are_normalized_short_units_without_punctuation() -> None:
    got = terms("市役所のサーバを更新しました。")
    assert "サーバー" in got  # the normalized form unifies サーバ and サーバー
    assert "市" in got and "役所" in got  # short units of 市役所
    assert "。" not in got and all(has_word(t) for t in got)


def test_kana_only_forms_are_katakana_and_width_is_folded() -> None:
    assert "ゴミ" in terms("ごみの分別を始めた")
    assert "ゴミ" in terms("ゴミの分別を始めた")
    assert terms("ＩＣＴ教育を進める")[:2] == ["ict", "教育"]


def test_words_of_a_web_address_are_left_out() -> None:
    text = "詳しくは https://example.jp/kosodate/info を見てください"
    got = terms(text)
    assert "info" not in got and "kosodate" not in got
    assert "詳しい" in got or "詳しく" in got


def test_the_same_units_give_the_same_terms_whatever_came_before() -> None:
    first = terms("図書館の蔵書を電子化した")
    terms("ｅスポーツとＩｏＴ")  # other units in between fill the memo
    assert terms("図書館の蔵書を電子化した") == first


def test_new_words_records_units_parts_and_noun_compounds_once() -> None:
    forget_words()
    tokens = [segment("防災無線の更新計画を説明した"), segment("防災無線の更新計画")]
    words = dict(new_words(tokens))
    assert "防災" in words and "無線" in words
    assert "防災無線" in words  # two adjacent nouns: a compound a user types as one word
    assert "防災無線の" not in words  # a particle ends a compound
    assert words["防災無線"] == index_terms(segment("防災無線"))  # segmented alone, as a query is
    assert not any(not has_word(w) for w in words)
    assert dict(new_words([segment("防災無線の更新計画")])) == {}  # this process recorded them all
    forget_words()
    assert "防災無線" in dict(new_words([segment("防災無線")]))
