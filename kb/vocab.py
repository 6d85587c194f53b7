"""kb's vocabulary, defined once: the kinds of fact and their labels, the qualifier words of figures
and where a reader writes them, and how a figure with its qualifiers is written. The extractor, every
view and every export read these tables, so a word added here is found, shown and exported alike."""

from __future__ import annotations

from kb.record import record

# --------------------------------------------------------------------------------------------- kinds

QUANTITY, DATE, ORG, PLACE = "quantity", "date", "org", "place"
KINDS: tuple[str, ...] = (QUANTITY, DATE, ORG, PLACE)
NAME_KINDS: tuple[str, ...] = (ORG, PLACE)
PASSAGE = "passage"  # an exported search hit: not a fact


@record(frozen=True, slots=True)
class Label:
    """A word shown to users, in Japanese and in English."""

    ja: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


KIND_LABELS: dict[str, Label] = {
    QUANTITY: Label("数量", "quantity"),
    DATE: Label("日付", "date"),
    ORG: Label("組織", "org"),
    PLACE: Label("地名", "place"),
    PASSAGE: Label("本文", "passage"),
}


def kind_label(kind: str, lang: str = "ja") -> str:
    """The label of a kind of fact (数量, 日付, 組織, 地名), or the kind itself when unknown."""
    label = KIND_LABELS.get(kind)
    return label(lang) if label is not None else kind


# What the unit column of a date fact says (the unit field holds the date's precision).
DATE_UNIT_LABELS: dict[str, Label] = {
    "year": Label("年", "year"),
    "date": Label("月日", "date"),
    "relative": Label("相対", "relative"),
}

# ---------------------------------------------------------------------------------------- qualifiers

BEFORE, AFTER = "before", "after"  # where the word stands: 約235万人, 235万人以上
APPROX, BOUND, COUNTING = "approx", "bound", "counting"  # what it says about the figure


@record(frozen=True, slots=True)
class Qualifier:
    """A word written next to a figure that is not part of it: 約, 以上, 延べ."""

    word: str
    position: str  # BEFORE | AFTER
    role: str  # APPROX | BOUND | COUNTING


def _q(position: str, role: str, words: str) -> list[Qualifier]:
    return [Qualifier(w, position, role) for w in words.split()]


# Longest words first within each position, so a pattern built from them prefers おおむね to お….
QUALIFIERS: tuple[Qualifier, ...] = (
    *_q(BEFORE, APPROX, "約 およそ 凡そ おおよそ 概ね おおむね ほぼ"),
    *_q(BEFORE, BOUND, "最大 最低 最高 最小"),
    *_q(BEFORE, COUNTING, "延べ 延"),
    *_q(AFTER, BOUND, "以上 以下 未満 を超える を超え 超え 超 に満たない に満たず 足らず"),
    *_q(AFTER, APPROX, "程度 ほど くらい ぐらい 余り あまり 余 強 弱 前後 近く 分"),
)
_BY_WORD: dict[str, Qualifier] = {q.word: q for q in QUALIFIERS}


def qualifier_words(position: str) -> list[str]:
    """The qualifier words written at a position, longest first (for building patterns)."""
    return sorted((q.word for q in QUALIFIERS if q.position == position), key=len, reverse=True)


def with_qualifiers(figure: str, qualifier: str | None) -> str:
    """A figure with its qualifier words where a reader writes them: 約20人以上, 延べ1400万人.

    ``qualifier`` is the space-separated words stored with a fact; an unknown word follows the figure.
    """
    before: list[str] = []
    after: list[str] = []
    for word in (qualifier or "").split():
        q = _BY_WORD.get(word)
        (before if q is not None and q.position == BEFORE else after).append(word)
    return "".join(before) + figure + "".join(after)
