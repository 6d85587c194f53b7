"""What the word index holds for a passage, shared by the import and the query side."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.models import Token
from kb.textnorm import fold

_WORD = re.compile(r"[^\W_]")


def index_terms(tokens: Sequence[Token]) -> str:
    """The word-index column of a passage: the folded normalized forms of its short units, space-separated.

    Units with no letter or digit (punctuation, symbols) are left out, as the index tokenizer would
    drop them anyway. Normalized forms unify spelling variants (サーバ/サーバー, 取り組み/取組) and
    the query goes through the same function, so one column serves surface and variant matches
    (bench/bench_relevance.py measures the alternatives).
    """
    words = _is_word
    out: list[str] = []
    for t in tokens:
        for u in t.parts or (t,):
            w = words.get(u.surface)
            if w is None:
                if len(words) > _CACHE_MAX:
                    words.clear()
                w = words[u.surface] = _WORD.search(u.surface) is not None
            if w:
                out.append(u.normalized)
    return fold(" ".join(out))


# whether a surface has a letter or digit, by surface: a dict lookup instead of a regex per unit
# (the import asks about a million units per 2M characters, most of them seen before)
_is_word: dict[str, bool] = {}
_CACHE_MAX = 200_000
