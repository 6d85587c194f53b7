"""The fact extractor's short cuts skip only what could never give a fact."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.facts import dates, names, numerals
from kb.facts.tokindex import TokenIndex
from kb.models import Token
from kb.reading import read_source
from kb.reading.archive import read_plain
from kb.segment import segment
from kb.structure import build_post

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NAME_ALPHABET = st.sampled_from(
    "東京 ハンブルク ドイツ 杉並区 市 区 役所 議会 協議会 センター 株式会社 NPO法人 ABC 国連 (ILO) から まで 、 "
    "の は を 長野 オリンピック 大学 高校 都立 駅 空港 国際 ・ 「 」 ( ) 三鷹 環境省 横浜 銀行 人 国内 "
    "川 山 公園 八幡 宮 ボール パーク 地区 JR 株式会社 (株) クラブ 党 自民 さん 議員 市議会議員 東 小 ヶ 桐生 "
    "那珂川 大字 新".split()
)


@lru_cache(maxsize=1)
def _seed_passages() -> list[str]:
    text = (FIXTURES / "seed-blog.txt").read_text(encoding="utf-8")
    return [p.text for raw in read_plain(text, "seed-blog.txt") for p in build_post(raw).passages]


@lru_cache(maxsize=1)
def _heldout_passages() -> list[str]:
    out: list[str] = []
    for path in sorted((FIXTURES / "heldout" / "posts").glob("h*.txt")):
        for raw in read_source(str(path), path.read_bytes()).posts:
            out.extend(p.text for p in build_post(raw).passages)
    return out


def _skipped_runs_hold_nothing(text: str) -> None:
    """Every run the letters leave out yields no place and no organisation; org_key is never wrong."""
    longs, letters = names.unit_letters(segment(text))
    kept = {tuple(map(id, run.items)) for run in names._runs(text, longs, letters)}
    every: list[names._Run] = []
    for m in re.finditer(r"[^x]+", letters):
        names._runs_in(text, longs, letters, m.start(), m.end(), every)
    for run in every:
        places = names._places_in_run(run)
        orgs = names._orgs_in_run(run, places, run.items[0].start == 0)
        if tuple(map(id, run.items)) not in kept:
            assert not places and not orgs, (text, [t.surface for t in run.items])
        if not run.org_key:
            assert not orgs, (text, [t.surface for t in run.items])


def test_skipped_runs_hold_nothing_on_the_seed() -> None:
    for text in _seed_passages():
        _skipped_runs_hold_nothing(text)


def test_skipped_runs_hold_nothing_on_the_heldout_posts() -> None:
    passages = _heldout_passages()
    assert len(passages) > 100
    for text in passages:
        _skipped_runs_hold_nothing(text)


@_SETTINGS
@given(st.lists(_NAME_ALPHABET, min_size=1, max_size=12).map("".join))
def test_skipped_runs_hold_nothing(text: str) -> None:
    _skipped_runs_hold_nothing(text)


def test_letters_drop_empty_tokens() -> None:
    tokens = segment("⑴ソンパ区と513.47k㎡")
    longs, letters = names.unit_letters(tokens)
    assert longs == [t for t in tokens if t.end > t.start]
    assert len(letters) == len(longs)


def test_date_hints_cover_every_pattern_and_relative_word() -> None:
    for word in dates._RELATIVE:
        assert dates.DATE_HINT.search(word)
    samples = [
        "R2年4月1日",
        "2021.7.5",
        "3/5(火)",
        "9日から12日",
        "96年の春",
        "二〇一八年十月",
        "2017〜2019年",
    ]
    for text in [*_seed_passages(), *samples]:
        folded = numerals.fold(text)
        for _name, hint, pattern in dates._PATTERNS:
            for m in pattern.finditer(folded):
                assert dates.DATE_HINT.search(folded) and any(ch in folded for ch in hint), (text, m.group())
                assert dates._NUMBERED_HINT.search(folded), (text, m.group())


def _cover(tokens: list[Token], length: int) -> list[int]:
    """The offset table the index kept before it learned to bisect."""
    cover = [-1] * (length + 1)
    for i, t in enumerate(tokens):
        end = min(t.end, length)
        if end > t.start:
            cover[t.start : end] = [i] * (end - t.start)
    return cover


_SPAN = st.tuples(st.integers(0, 12), st.integers(0, 4))


@_SETTINGS
@given(st.lists(_SPAN, max_size=8), st.integers(0, 14), st.booleans())
def test_offset_lookups_match_the_table(spans: list[tuple[int, int]], length: int, in_order: bool) -> None:
    if in_order:  # the usual case: tokens one after another
        pos, ordered = 0, []
        for gap, size in spans:
            ordered.append((pos + gap % 2, pos + gap % 2 + size + 1))
            pos = ordered[-1][1]
        spans = ordered
    else:
        spans = [(a, a + b) for a, b in spans]
    tokens = [Token("x" * max(0, b - a), "", ("名詞",), a, b) for a, b in spans]
    idx = TokenIndex(tokens, length)
    cover = _cover(idx.longs, length)
    at = {t.start: i for i, t in enumerate(idx.longs)}
    for pos in range(-2, length + 4):
        i = cover[pos] if 0 <= pos < len(cover) else -1
        assert idx.long_covering(pos) is (idx.longs[i] if i >= 0 else None)
        assert idx.long_at(pos) == at.get(pos, -1)


@given(st.text(alphabet="0123456789０１２ＡＢa（）％：　漢字", max_size=20))
def test_fold_short_cut_matches_translate(text: str) -> None:
    assert numerals.fold(text) == text.translate(numerals._FOLD)


@given(st.text(alphabet="0123456789", min_size=1, max_size=40))
def test_plain_digits_parse_as_before(text: str) -> None:
    value = numerals.parse_number(text)
    assert value == Decimal(0) + Decimal(0) + Decimal(text)
    assert str(value) == str(Decimal(0) + Decimal(0) + Decimal(text))
