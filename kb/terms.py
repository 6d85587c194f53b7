"""What the word index holds for a passage, shared by the import and the query side.

kb.segment.INDEX_VERSION names the rules below: a change to them changes what the index holds, and
kb.segment.versions() records it with the segmenter's versions, so kb asks for `kb reindex`."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.models import Token
from kb.segment import short_units
from kb.text.fold import fold
from kb.text.web import URL
from kb.variants import kana_key

_WORD = re.compile(r"[^\W_]")


def has_word(text: str) -> bool:
    """Whether a text holds a letter or a digit (what the index tokenizer keeps)."""
    return _WORD.search(text) is not None


def index_terms(tokens: Sequence[Token], text: str = "") -> str:
    """The word-index column of a passage: the folded normalized forms of its short units, space-separated.

    Units with no letter or digit (punctuation, symbols) are left out, as the index tokenizer would
    drop them anyway. Normalized forms unify spelling variants (サーバ/サーバー, 取り組み/取組), and a
    normalized form in kana alone is written in katakana (ごみ/ゴミ, kb.variants.kana_key); the query
    goes through the same function, so one column serves surface and variant matches
    (bench/bench_relevance.py measures the alternatives). Units inside a web address in ``text``
    (the passage the tokens index) are left out.
    """
    units = short_units(tokens)
    if "://" in text or "www." in text:
        urls = [(m.start(), m.end()) for m in URL.finditer(text)]
        units = (u for u in units if not any(a <= u.start < b for a, b in urls))
    memo = _TERMS
    if len(memo) > _TERMS_MEMORY:
        memo.clear()
    out = []
    for u in units:
        key = (u.surface, u.normalized)
        term = memo.get(key)
        if term is None:
            term = memo[key] = fold(kana_key(u.normalized)) if _WORD.search(u.surface) else ""
        if term:
            out.append(term)
    return " ".join(out)


# The index term of each (surface, normalized form) seen: most units recur, and their terms are asked
# for once per passage. fold is per character, so folding each term equals folding the joined column.
_TERMS: dict[tuple[str, str], str] = {}
_TERMS_MEMORY = 100_000
