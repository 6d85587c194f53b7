"""Synonym expansion from the Sudachi synonym dictionary, plus the user's own pairs.

The table (kb/data/synonyms.txt, built by bench/build_synonyms.py; licence and origin in
kb/data/NOTICE) is one sorted text file read by binary search over an mmap: the first lookup in a
process opens it and reads a few lines, nothing is parsed up front. Words are compared after kb's
width and case folding.

The dictionary's flags are kept: a word marked "never a trigger" (展開制御フラグ 1: バス, 議会, ICT,
words that mean several things) expands to nothing, although other words of its group expand to it;
words marked "never expand" (flag 2) and offensive words are not in the table. Each expansion says
how it relates to the word (a spelling variant, an abbreviation, a translation, another lexeme of
the group ...), so that a caller can show or drop them by kind. Spelling variants that Sudachi's
normalized form already unifies (あいまい/曖昧, お出かけ/お出掛け) are merged in the table: they are
never returned as expansions, since the word index matches them already.
"""

from __future__ import annotations

import mmap
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, TypedDict, Unpack

from kb.text.fold import fold

TABLE = Path(__file__).with_name("data") / "synonyms.txt"
FORMAT = b"1"

# How a target entry relates to the word looked up, strongest first (the order expansions come in).
RELATIONS = (
    "user",  # a pair the user added
    "variant",  # the same word spelt otherwise (ごみ/ゴミ, an alphabetic spelling)
    "abbreviation",  # one is an abbreviation of the other (スマホ/スマートフォン)
    "translation",  # 対訳
    "alias",  # 別称: a common or pet name
    "former",  # 旧称: a former name
    "synonym",  # another lexeme of the group (ごみ/塵)
    "misspelling",  # 誤表記: a wrong spelling of the same word
    "misuse",  # 誤用: a wrong word used for it
)
_GOKEI = {1: "translation", 2: "alias", 3: "former", 4: "misuse"}


class Expansion(NamedTuple):
    """One word a query word may be expanded to."""

    word: str  # folded, as kb's index and queries are
    relation: str  # one of RELATIONS
    alphabetic: bool  # an alphabetic spelling or abbreviation (ict, sp, toyota)
    source: str  # "sudachi" or "user"


class _Entry:
    """An entry of a group line: a 7-character code, then the word (see bench/build_synonyms.py).

    A plain class, not a dataclass: creating a dataclass at import is a cost on every command's
    start-up (bench/README.md)."""

    __slots__ = ("word", "trigger", "noun", "gokei", "ryaku", "hyouki", "lexeme")

    def __init__(self, field: str) -> None:
        c = field[:7]
        self.word = field[7:]
        self.trigger = c[0] == "0"  # flag 0: may expand (flag 1 entries are only expanded to)
        self.noun = c[1] == "n"  # 体言 (else 用言)
        self.gokei = int(c[2])  # 0 代表語, 1 対訳, 2 別称, 3 旧称, 4 誤用
        self.ryaku = int(c[3])  # 0 代表語形, 1 alphabetic abbreviation, 2 other abbreviation
        self.hyouki = int(c[4])  # 0 代表表記, 1 alphabetic spelling, 2 異表記, 3 誤表記
        self.lexeme = int(c[5:7])  # 語彙素 number within the group, 0 when unknown


def _relation(query: _Entry, target: _Entry) -> str:
    if not query.lexeme or query.lexeme != target.lexeme:
        return "synonym"
    if query.gokei != target.gokei:
        return _GOKEI.get(target.gokei or query.gokei, "synonym")
    if query.ryaku != target.ryaku:
        return "abbreviation"
    return "misspelling" if 3 in (query.hyouki, target.hyouki) else "variant"


class _Table:
    """The sorted table, memory-mapped; ``line`` finds a line by its key with a binary search."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        header = self._buf[: self._buf.find(b"\n")].split(b"\t")
        if header[:2] != [b"#kb-synonyms", FORMAT]:
            raise ValueError(f"{path}: not a kb synonym table of format {FORMAT.decode()}")
        self.source = header[2].decode() if len(header) > 2 else ""

    def line(self, key: str) -> list[str] | None:
        """The tab-separated fields after ``key`` on its line, or None."""
        buf = self._buf
        target = key.encode("utf-8")
        lo, hi = 0, len(buf)  # the wanted line, if any, starts in [lo, hi); lo and hi are line starts
        while lo < hi:
            mid = (lo + hi) // 2
            start = buf.rfind(b"\n", 0, mid) + 1 if mid else 0
            end = buf.find(b"\n", start)
            if end < 0:
                end = len(buf)
            tab = buf.find(b"\t", start, end)
            found = buf[start : tab if tab >= 0 else end]
            if found == target:
                return buf[tab + 1 : end].decode("utf-8").split("\t") if tab >= 0 else []
            if found < target:
                lo = end + 1
            else:
                hi = start
        return None


_lock = threading.Lock()
_tables: dict[Path, _Table] = {}


def _table(path: Path = TABLE) -> _Table:
    found = _tables.get(path)
    if found is None:
        with _lock:
            found = _tables.get(path)
            if found is None:
                found = _tables[path] = _Table(path)
    return found


def source() -> str:
    """Where the table comes from, e.g. ``sudachi-synonyms-dictionary@18.0.0``."""
    return _table().source


def expansion_details(
    word: str,
    *,
    user_pairs: Iterable[tuple[str, str]] = (),
    removed_pairs: Iterable[tuple[str, str]] = (),
    verbs: bool = False,
    group_ids: Sequence[int] | None = None,
) -> list[Expansion]:
    """The words ``word`` may be expanded to, strongest relation first, without ``word`` itself.

    ``user_pairs`` are the user's own synonyms (``kb synonyms add スマホ スマートフォン``): a pair works
    both ways and is not chained further. ``removed_pairs`` are dictionary pairs the user switched
    off (either order). Expansions to 用言 (verbs, adjectives) are left out unless ``verbs``, as the
    Sudachi tools do. ``group_ids`` (Sudachi's ``Morpheme.synonym_group_ids()`` of the word as
    segmented in the query) restricts the lookup to those groups.
    """
    key = fold(word).strip()
    if not key:
        return []
    removed = {(fold(a).strip(), fold(b).strip()) for a, b in removed_pairs}
    out: dict[str, Expansion] = {}

    def add(exp: Expansion) -> None:
        if exp.word == key or (key, exp.word) in removed or (exp.word, key) in removed:
            return
        old = out.get(exp.word)
        if old is None or RELATIONS.index(exp.relation) < RELATIONS.index(old.relation):
            out[exp.word] = exp

    for a, b in user_pairs:
        fa, fb = fold(a).strip(), fold(b).strip()
        if fa == key and fb:
            add(Expansion(fb, "user", fb.isascii(), "user"))
        elif fb == key and fa:
            add(Expansion(fa, "user", fa.isascii(), "user"))
    table = _table()
    found = table.line("k" + key)
    refs = found[0].split(",") if found else []
    wanted = set(group_ids) if group_ids is not None else None
    for ref in refs:
        gid, _, pos = ref.partition(":")
        if wanted is not None and int(gid) not in wanted:
            continue
        fields = table.line("g" + gid)
        if not fields:
            continue
        entries = [_Entry(f) for f in fields]
        query = entries[int(pos)]
        for target in entries:
            if target is query or (not verbs and not target.noun):
                continue
            alphabetic = target.ryaku == 1 or target.hyouki == 1 or target.word.isascii()
            add(Expansion(target.word, _relation(query, target), alphabetic, "sudachi"))
    return sorted(out.values(), key=lambda e: RELATIONS.index(e.relation))


class ExpansionOptions(TypedDict, total=False):
    """The options of expansion_details, for what passes them on."""

    user_pairs: Iterable[tuple[str, str]]
    removed_pairs: Iterable[tuple[str, str]]
    verbs: bool
    group_ids: Sequence[int] | None


def expansions(word: str, **options: Unpack[ExpansionOptions]) -> list[str]:
    """The folded words ``word`` may be expanded to (see expansion_details, which takes the same
    options and says what they do)."""
    return [e.word for e in expansion_details(word, **options)]
