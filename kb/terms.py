"""What the word index holds for a passage, shared by the import and the query side."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.models import Token
from kb.segment import short_units
from kb.text.fold import fold

_WORD = re.compile(r"[^\W_]")
# A web address written in a post: its parts are no words of the post (IR in …/IR/info is no IR).
URL = re.compile(r"(?:https?://|www\.)[^\s　<>「」『』()（）]+", re.I)


def has_word(text: str) -> bool:
    """Whether a text holds a letter or a digit (what the index tokenizer keeps)."""
    return _WORD.search(text) is not None


def index_terms(tokens: Sequence[Token], text: str = "") -> str:
    """The word-index column of a passage: the folded normalized forms of its short units, space-separated.

    Units with no letter or digit (punctuation, symbols) are left out, as the index tokenizer would
    drop them anyway. Normalized forms unify spelling variants (サーバ/サーバー, 取り組み/取組) and
    the query goes through the same function, so one column serves surface and variant matches
    (bench/bench_relevance.py measures the alternatives). Units inside a web address in ``text``
    (the passage the tokens index) are left out.
    """
    units = short_units(tokens)
    if "://" in text or "www." in text:
        urls = [(m.start(), m.end()) for m in URL.finditer(text)]
        units = (u for u in units if not any(a <= u.start < b for a, b in urls))
    return fold(" ".join(u.normalized for u in units if _WORD.search(u.surface)))
