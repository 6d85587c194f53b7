"""The search query language: words (all must match), "quoted phrases", OR, and -excluded words.

User text never reaches FTS5 raw: the parser yields terms, and each term becomes FTS5 string
literals built from its segmented units, so FTS5 operators typed by a user (AND, NEAR, *, ^, :)
are only ever words.
"""

from __future__ import annotations

import re
import unicodedata

from kb.errors import QueryError
from kb.record import field, record

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
_SPACES = re.compile(r"[\s\u3000]+")


@record(slots=True)
class Term:
    """One thing to find: a word, or a phrase that was quoted."""

    text: str
    phrase: bool = False


@record(slots=True)
class Query:
    """A parsed query: every group must match (a group is a list of alternatives joined by OR)."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    raw: str = ""

    def terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]


def clean(text: str) -> str:
    """Drop control and format characters that no post contains and no terminal shows."""
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
    )


def parse(raw: str) -> Query:
    """Parse a query; raise QueryError with a message the user can act on."""
    text = clean(raw)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"検索語が長すぎます ({len(text)} 文字; 最大 {MAX_QUERY_CHARS} 文字)")
    text = text.replace("＂", '"').replace("“", '"').replace("”", '"')
    tokens = _lex(text)
    query = Query(raw=raw)
    pending_or = False
    for tok, quoted, negated in tokens:
        if not quoted and not negated and tok in ("OR", "|", "｜"):
            if not query.groups:
                continue  # a leading OR means nothing
            pending_or = True
            continue
        if negated:
            query.excluded.append(Term(tok, phrase=quoted))
            pending_or = False
            continue
        term = Term(tok, phrase=quoted)
        if pending_or and query.groups:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    query.groups = [g for g in query.groups if g]
    if len(query.terms()) + len(query.excluded) > MAX_TERMS:
        raise QueryError(f"検索語が多すぎます (最大 {MAX_TERMS} 語)")
    if not query.groups:
        if query.excluded:
            raise QueryError("除外する語 (-語) だけでは検索できません。探す語も入れてください")
        raise QueryError("検索語が空です。例: kb search 電子政府")
    return query


def _lex(text: str) -> list[tuple[str, bool, bool]]:
    """Split on spaces (ASCII or full-width) into (token, quoted, excluded); "…" is one token and
    -"…" an excluded phrase. An unbalanced quote is dropped: the words after it read as usual."""
    out: list[tuple[str, bool, bool]] = []
    i = 0
    n = len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] in "-－" and i + 1 < n and text[i + 1] == '"'
        if negated:
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            if close == -1:  # unbalanced: the quote is dropped and the rest read as usual
                # (-"word without its end: an excluded word)
                text = text[: i - 1] + "-" + text[i + 1 :] if negated else text[:i] + " " + text[i + 1 :]
                i -= negated
                n = len(text)
                continue
            phrase = text[i + 1 : close].strip()
            if phrase:
                out.append((_SPACES.sub(" ", phrase), True, negated))
            i = close + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        word = text[i:j]
        if word in ("-", "－"):
            pass  # a dash alone excludes nothing and is no word
        elif word[:1] in "-－" and len(word) > 1:
            out.append((word[1:], False, True))
        else:
            out.append((word, False, False))
        i = j
    return out


def fts_string(token: str) -> str:
    """An FTS5 string literal: the token in double quotes, inner quotes doubled."""
    return '"' + token.replace('"', '""') + '"'


def describe(query: Query) -> str:
    """The query as kb understood it: 電子政府 "公共 WiFi" カジノ OR 賭博 -依存症."""
    parts = [" OR ".join(f'"{t.text}"' if t.phrase else t.text for t in g) for g in query.groups]
    out = " ".join(parts)
    if query.excluded:
        out += " " + " ".join(
            f'-"{t.text}"' if t.phrase or " " in t.text else f"-{t.text}" for t in query.excluded
        )
    return out
