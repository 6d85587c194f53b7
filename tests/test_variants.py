"""kb.variants: spelling keys that merge what Sudachi's normalized form misses, never homophones.

The keys are functions of Sudachi's analysis (surface, normalized form, reading, part of speech).
kb.segment does not expose the reading yet, so ``_analysis`` asks SudachiPy directly, the way
kb.segment segments (mode C); switch it to kb.segment once its tokens carry the reading.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from kb.variants import kana_key, spelling_key, to_katakana

NOUN = ("名詞", "普通名詞", "一般", "*", "*", "*")
VERB_RENYOU = ("動詞", "一般", "*", "*", "五段-ラ行", "連用形-一般")


@lru_cache(maxsize=1)
def _tokenizer() -> object:
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def _analysis(text: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(surface, normalized, reading, part of speech) of each long unit of ``text``."""
    tok = _tokenizer()
    return [
        (m.surface(), m.normalized_form(), m.reading_form(), tuple(m.part_of_speech()))
        for m in tok.tokenize(text)  # type: ignore[attr-defined]
    ]


def _identity(word: str) -> tuple[str, ...]:
    """What a word matches by: its normalized forms through kana_key, and its spelling keys."""
    units = _analysis(word)
    return tuple(spelling_key(s, n, r, p) or kana_key(n) for s, n, r, p in units)


def _same_word(a: str, b: str) -> bool:
    na = tuple(kana_key(n) for _, n, _, _ in _analysis(a))
    nb = tuple(kana_key(n) for _, n, _, _ in _analysis(b))
    return na == nb or _identity(a) == _identity(b)


def test_to_katakana_changes_hiragana_only() -> None:
    assert to_katakana("ごみ箱、ゴミ袋、らーめん") == "ゴミ箱、ゴミ袋、ラーメン"
    assert to_katakana("ICT・123") == "ICT・123"


def test_kana_key_writes_kana_only_forms_in_katakana() -> None:
    assert kana_key("ごみ") == kana_key("ゴミ") == "ゴミ"
    assert kana_key("らーめん") == "ラーメン"
    assert kana_key("林檎") == "林檎"  # Sudachi's kanji form stays
    assert kana_key("取り組み") == "取り組み"  # kana next to kanji is okurigana, not a kana word
    assert kana_key("wi-fi") == "wi-fi"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ごみ", "ゴミ"),  # two dictionary entries, each its own normalized form
        ("ねぎ", "ネギ"),  # ネギ is normalized to 葱, ねぎ is not
        ("受入れ", "受け入れ"),  # verb (受け入れる) and noun (受け入れ)
        ("受入", "受入れ"),
        ("買取", "買い取り"),  # noun and verb
        ("持帰り", "持ち帰り"),
        ("乗継ぎ", "乗り継ぎ"),
        ("霞ヶ関", "霞が関"),  # ヶ and が are read, not written
        ("取組", "取り組み"),  # Sudachi unifies it already; the keys must not undo that
        ("子ども", "こども"),
    ],
)
def test_spelling_variants_merge(a: str, b: str) -> None:
    assert _same_word(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("公園", "講演"),
        ("公園", "公演"),
        ("市政", "市制"),
        ("市政", "施政"),
        ("市制", "施政"),
        ("会議", "懐疑"),
        ("機会", "機械"),
        ("こうえん", "公園"),  # a kana word may be any of the homophones: never keyed to one
        ("行い", "行き"),  # same kanji, other words
    ],
)
def test_homophones_never_merge(a: str, b: str) -> None:
    assert not _same_word(a, b)


def test_standard_kanji_spellings_carry_no_second_key() -> None:
    assert spelling_key("公園", "公園", "コウエン", NOUN) is None
    assert spelling_key("ごみ", "ごみ", "ゴミ", NOUN) is None  # kana_key(normalized) says it already
    assert spelling_key("受入", "受け入れ", "ウケイレ", NOUN) == "受入ウケイレ"


def test_function_words_carry_no_key() -> None:
    for surface, normalized, reading, pos in _analysis("市役所で説明を受けました。"):
        if pos[0] in ("助詞", "助動詞") or pos[1] == "非自立可能":
            assert spelling_key(surface, normalized, reading, pos) is None, surface


def test_verbs_only_in_the_form_that_doubles_as_a_noun() -> None:
    assert spelling_key("買い取り", "買い取る", "カイトリ", VERB_RENYOU) == "買取カイトリ"
    final = ("動詞", "一般", "*", "*", "五段-ラ行", "終止形-一般")
    assert spelling_key("買い取る", "買い取る", "カイトル", final) is None


def test_unknown_words_without_a_katakana_reading_carry_no_key() -> None:
    assert spelling_key("龘龘町", "龘龘町", "龘龘町", NOUN) is None


def test_a_variant_written_in_a_sentence_is_keyed_like_the_query_word() -> None:
    # an invented sentence: the verb form 受入れ in running text, the noun 受け入れ as a query
    text = {spelling_key(*u) for u in _analysis("町は来年度から研修生の受入れを始める。")}
    assert _identity("受け入れ")[0] in text
