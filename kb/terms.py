"""What the word index holds for a passage, shared by the import and the query side."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.models import Token
from kb.segment import short_units
from kb.text.fold import fold

_WORD = re.compile(r"[^\W_]")


def index_terms(tokens: Sequence[Token]) -> str:
    """The word-index column of a passage: the folded normalized forms of its short units, space-separated.

    Units with no letter or digit (punctuation, symbols) are left out, as the index tokenizer would
    drop them anyway. Normalized forms unify spelling variants (サーバ/サーバー, 取り組み/取組) and
    the query goes through the same function, so one column serves surface and variant matches
    (bench/bench_relevance.py measures the alternatives).
    """
    return fold(" ".join(u.normalized for u in short_units(tokens) if _WORD.search(u.surface)))
