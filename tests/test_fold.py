"""Folding for matching and its map back to the text (kb.text.fold), the search's shortcut that
skips folding (kb.search.engine.text_spans), and the segmenter's chunker (kb.segment.chunks)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.engine import _find, highlight, text_spans
from kb.segment import MAX_CHUNK_CHARS, chunks
from kb.text.fold import fold, fold_with_map, fold_with_offsets, without_dropped


def test_width_and_case_fold_one_for_one() -> None:
    folded, back = fold_with_map("ＩｏＴ推進\u3000ＷｉＦｉ")
    assert folded == "iot推進 wifi"
    assert list(back) == list(range(len("ＩｏＴ推進\u3000ＷｉＦｉ") + 1))
    assert fold("ｍＶｏｔｉｎｇ") == "mvoting"


def test_half_width_kana_with_voicing_marks_fold_into_one() -> None:
    text = "ﾃﾞｼﾞﾀﾙ化"
    folded, back = fold_with_map(text)
    assert folded == "デジタル化"
    assert back == [0, 2, 4, 5, 6, 7]  # デ from ﾃﾞ (0-1), ジ from ｼﾞ (2-3), タ, ル, 化, and len(text)
    start, end = folded.index("ジタル"), folded.index("ジタル") + 3
    assert text[back[start] : back[end]] == "ｼﾞﾀﾙ"


def test_dropped_marks_map_around_them() -> None:
    text = "◼\ufe0f見出し\u200dです"
    folded, back = fold_with_map(text)
    assert folded == "◼見出しです"
    assert len(back) == len(folded) + 1 and back[-1] == len(text)
    stripped, shifted = without_dropped(text)
    assert stripped == folded
    assert [shifted[i] for i in range(len(shifted))] == back


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["視察", "ＩｏＴ", "Wi-Fi", "ｶﾞｲﾄﾞ", "\ufe0f", "\u200d", "◼", "１２３", "İzmir", "ß", "。", "\n"]
        ),
        max_size=40,
    )
)
def test_fold_with_offsets_folds_and_maps_as_fold_with_map_does(parts: list[str]) -> None:
    text = "".join(parts)
    folded, back = fold_with_offsets(text)
    want, want_back = fold_with_map(text)
    assert folded == want
    assert [back[i] for i in range(len(back))] == want_back


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["視察", "の", "報告", "\ufe0f", "\u200d", "◼", "カメラ", "。", "\n"]), max_size=40
    )
)
def test_without_dropped_maps_as_fold_with_map_does(parts: list[str]) -> None:
    text = "".join(parts)
    stripped, shifted = without_dropped(text)
    folded, back = fold_with_map(text)
    assert stripped == folded
    assert [shifted[i] for i in range(len(shifted))] == back


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["防犯", "カメラ", "ｶﾒﾗ", "\ufe0f", "◼", "ＡＩ", "ai", "の", "、", " ", "設置"]),
        max_size=30,
    ),
    st.sampled_from(["カメラ", "防犯カメラ", "◼防犯", "の設置", "ai", "設置"]),
)
def test_searching_as_written_finds_what_folding_finds(parts: list[str], string: str) -> None:
    """text_spans skips folding a text for a string in kana and kanji: same spans as folding it."""
    text = "".join(parts)
    folded, back = fold_with_map(text)
    assert text_spans(text, [string]) == [(back[a], back[b]) for a, b in _find(folded, [string])]
    marks = highlight(text, [string])
    assert all(fold(text[a:b]).replace("\ufe0f", "") for a, b in marks)


def test_chunks_cover_the_text_below_the_limit_at_line_or_sentence_ends() -> None:
    line = "市の図書館では電子書籍の貸出を始めた。" * 30 + "\n"
    text = line * 40
    pieces = list(chunks(text))
    assert "".join(p for _, p in pieces) == text  # nothing dropped, nothing repeated
    assert all(len(p) <= MAX_CHUNK_CHARS for _, p in pieces)
    assert all(text[off : off + len(p)] == p for off, p in pieces)
    assert all(p.endswith(("\n", "。")) for _, p in pieces[:-1])


def test_chunks_of_a_text_without_breaks_are_cut_at_the_limit() -> None:
    text = "あ" * (MAX_CHUNK_CHARS * 2 + 5)
    pieces = list(chunks(text))
    assert [len(p) for _, p in pieces] == [MAX_CHUNK_CHARS, MAX_CHUNK_CHARS, 5]


def test_chunks_never_split_a_character_from_its_variation_selector() -> None:
    text = "あ" * (MAX_CHUNK_CHARS - 1) + "◼\ufe0f" + "い" * 10
    pieces = list(chunks(text))
    assert "".join(p for _, p in pieces) == text
    assert not any(p.startswith("\ufe0f") for _, p in pieces)


def test_chunks_of_a_short_text_are_the_text() -> None:
    assert list(chunks("短い文。")) == [(0, "短い文。")]
    assert list(chunks("")) == []


def test_folding_is_one_character_for_one_so_spans_map_back() -> None:
    """İ lower-cases to two characters (i and a combining dot): folded as i, so that the offsets of
    whatever follows it still point at the right characters."""
    from kb.text.fold import _TABLE

    assert all(len(v) <= 1 for v in _TABLE.values())
    text = "友好都市İzmir市と2024年"
    assert [text[a:b] for a, b in highlight(text, ["2024"])] == ["2024"]
    assert [text[a:b] for a, b in highlight(text, ["izmir"])] == ["İzmir"]


def test_the_lazy_map_ends_where_the_text_ends() -> None:
    _, back = fold_with_offsets("視察\ufe0fです")
    assert list(back) == [0, 1, 3, 4, 5]  # iterating stops: an index past the end is an IndexError
    with pytest.raises(IndexError):
        back[5]
