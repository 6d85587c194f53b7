"""Spelling variants that Sudachi's normalized form leaves apart, as keys the word index can hold.

Sudachi's normalized form already unifies most spellings (子ども/子供/こども, 取組/取り組み,
りんご/リンゴ/林檎, 問合せ/問い合わせ). Three kinds slip through (sudachidict-core 20261015;
bench/bench_variants.py prints the analyses):

* **hiragana and katakana entries**, each its own normalized form: ごみ/ゴミ. ``kana_key`` writes
  a normalized form made only of kana in katakana. It is a function of the normalized form alone,
  so it never splits what Sudachi unified and can replace the normalized form in the word index.
* **a kana spelling normalized to kanji while the other is not**: ネギ (normalized 葱) and ねぎ
  (normalized ねぎ). ``spelling_key`` of a unit written in kana only is its katakana spelling
  (ネギ for both) whenever its normalized form is not that already.
* **okurigana across parts of speech**: 受入れ (a verb, normalized 受け入れる) and 受け入れ/受入
  (a noun, normalized 受け入れ); 買取 (noun) and 買い取り (verb); 持帰り and 持ち帰り.
  ``spelling_key`` of a unit holding kanji is its kanji and its reading: 受入ウケイレ for all
  three. It needs Sudachi's reading form, and holds for long units (mode C): mode A splits 受入れ
  into 受/入れ but keeps 受け入れ whole.

spelling_key cannot replace the normalized form (受け入れる and 受け入れた share a normalized
form, not a reading): a unit matches by either. It is None for a unit whose normalized form is
already its key (公園, ごみ), so only the units a variant can hide behind carry one.

Homophones never merge: keys keep the kanji, so 公園/講演/公演, 市政/市制/施政, 会議/懐疑 and
機会/機械 stay apart, and kana keys only touch words written without kanji (こうえん is not 公園).
Keys are made of kana and kanji, which kb.text.fold leaves as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e]")
# kana (hiragana, katakana, the long-vowel mark, iteration marks) and nothing else
_KANA_ONLY = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+")
# ideographs (CJK unified, extension A, compatibility) and the marks that stand for one (々 〆 〇)
_KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005-\u3007]")
_KANJI_ONLY = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3005-\u3007]+")
# a katakana reading: an unknown word's reading is not one
_READING = re.compile(r"[\u30a1-\u30fa\u30fc]+")


def to_katakana(text: str) -> str:
    """Hiragana written as katakana (ごみ → ゴミ); every other character as it is."""
    return _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)


@lru_cache(maxsize=32768)
def kana_key(normalized: str) -> str:
    """The normalized form, in katakana when it is written in kana only: ごみ and ゴミ → ゴミ.

    A normalized form with any kanji, Latin letter or digit is returned unchanged: words Sudachi
    normalizes to kanji (りんご → 林檎) keep their kanji form and kanji homophones are untouched."""
    if _KANA_ONLY.fullmatch(normalized):
        return to_katakana(normalized)
    return normalized


def spelling_key(surface: str, normalized: str, reading: str, pos: Sequence[str]) -> str | None:
    """A second key for a long unit that a spelling variant could hide, or None.

    Only content words carry one: nouns (名詞), and verbs and adjectives in their 連用形, the form
    that doubles as a noun (受入れ, 買い取り, 学び); never particles, auxiliaries or 非自立 verbs.

    * kana only (ねぎ, ネギ; nouns only): the katakana spelling, unless kana_key(normalized) is that
      already;
    * with kanji (受入れ, 受け入れ, 受入): its kanji followed by its reading, 受入ウケイレ, unless
      the unit is written in kanji only and is its own normalized form (公園, 建設: the
      dictionary's standard spelling, matched by the normalized form). The kanji keep homophones
      apart (公園コウエン, 講演コウエン), the reading keeps apart different words with the same
      kanji (行う/行く). ヶ and ケ between kanji are read, not written: 霞ヶ関 and 霞が関 share
      霞関カスミガセキ. None without a katakana reading (an unknown word).
    """
    if not pos:
        return None
    head = pos[0]
    if head == "名詞":
        return _noun_key(surface, normalized, reading)
    if (head == "動詞" or head == "形容詞") and pos[5].startswith("連用形") and pos[1] != "非自立可能":
        return _kanji_key(surface, normalized, reading)
    return None


@lru_cache(maxsize=65536)
def _noun_key(surface: str, normalized: str, reading: str) -> str | None:
    if _KANA_ONLY.fullmatch(surface):
        key = to_katakana(surface)
        return None if key == kana_key(normalized) else key
    return _kanji_key(surface, normalized, reading)


@lru_cache(maxsize=65536)
def _kanji_key(surface: str, normalized: str, reading: str) -> str | None:
    if normalized == surface and _KANJI_ONLY.fullmatch(surface):
        return None
    kanji = "".join(_KANJI.findall(surface))
    if not kanji or not _READING.fullmatch(reading):
        return None
    return kanji + reading
