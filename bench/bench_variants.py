"""What kb.variants' keys merge, what they would add on the graded needs, and what a reading costs.

    python bench/bench_variants.py [--pairs] [--needs] [--synonyms] [--merges] [--cost]   (all by default)

* --pairs: Sudachi's normalized, dictionary and reading forms (mode C) of spelling pairs that
  should match and homophones that must not, and which key merges them.
* --needs: post-level word matching on tests/fixtures/needs.json (every query word, or one word
  of each OR group, occurs as a phrase of units anywhere in the post; -x excludes), with three
  keys: Sudachi's normalized short units (what kb's word index holds today), the same through
  kana_key, and kana_key plus the spelling keys of long units (a query word of one long unit
  also matches by its spelling key, or its kana_key, among the post's spelling keys and terms).
  Prints the relevant (grade >= 1) and other posts each reaches, summed over query forms, and
  every post a key adds.
* --synonyms: the same matching with every query word OR its kb.synonyms expansions (only the
  close ones: variants, abbreviations, translations and other names; or all of them).
* --merges: every set of distinct normalized forms in the corpus that a key puts together, to
  read for false merges.
* --cost: what Morpheme.reading_form() and the two keys cost per long unit, and what reading
  every long unit adds to a segmentation of the corpus done the way kb.segment does it.

kb.segment does not expose the reading form yet; this script segments with SudachiPy itself, in
the same way (mode C, short units by Morpheme.split), as a prototype of what segment.py would give.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_needs import DEVSET, SEED, Need, grep_query, load_needs, post_keys
from sudachipy import Dictionary, SplitMode

from kb.importer import import_paths
from kb.models import Token
from kb.segment import chunks
from kb.store import Store
from kb.synonyms import expansion_details, expansions
from kb.text.fold import fold
from kb.variants import kana_key, spelling_key

PAIRS = [
    ("ごみ", "ゴミ", True),
    ("ねぎ", "ネギ", True),
    ("取組", "取り組み", True),
    ("受入れ", "受け入れ", True),
    ("受入", "受入れ", True),
    ("買取", "買い取り", True),
    ("持帰り", "持ち帰り", True),
    ("乗継ぎ", "乗り継ぎ", True),
    ("霞ヶ関", "霞が関", True),
    ("公園", "講演", False),
    ("公園", "公演", False),
    ("市政", "市制", False),
    ("市政", "施政", False),
    ("会議", "懐疑", False),
    ("機会", "機械", False),
    ("こうえん", "公園", False),
]


@dataclass(slots=True)
class Unit:
    surface: str
    normalized: str
    reading: str
    pos: tuple[str, ...]


@dataclass(slots=True)
class Long(Unit):
    parts: list[Unit]


class Segmenter:
    """kb.segment's segmentation (mode C long units, mode A parts by split), with readings."""

    def __init__(self) -> None:
        self.dictionary = Dictionary(dict="core")
        self.tokenizer = self.dictionary.tokenizer(mode=SplitMode.C)

    def __call__(self, text: str) -> list[Long]:
        out: list[Long] = []
        for _, piece in chunks(text):
            for m in self.tokenizer.tokenize(piece):
                surface = m.surface()
                if surface.isspace():
                    continue
                subs = list(m.split(SplitMode.A)) if len(surface) > 1 else []
                if len(subs) < 2:  # as in kb.segment: a unit that does not split is its own part
                    subs = [m]
                parts = [Unit(s.surface(), s.normalized_form(), s.reading_form(), ()) for s in subs]
                pos = tuple(self.dictionary.pos_of(m.part_of_speech_id()))
                out.append(Long(surface, m.normalized_form(), m.reading_form(), pos, parts))
        return out


def _wordy(u: Unit) -> bool:
    return any(c.isalnum() for c in u.surface)


KEYS = ("normalized", "kana_key", "kana_key + spelling_key")


@dataclass(slots=True)
class Indexed:
    """A text as the word index would hold it under each key: the folded short-unit terms, and the
    spelling keys of its long units (appended to the same column in the proposal)."""

    terms: dict[str, list[str]]
    spelling: set[str]
    identity: str | None  # a one-long-unit query word: its spelling key, else its kana_key


def index(units: Sequence[Long]) -> Indexed:
    shorts = [p for u in units for p in u.parts if _wordy(p)]
    longs = [u for u in units if _wordy(u)]
    keys = {spelling_key(u.surface, u.normalized, u.reading, u.pos) for u in longs}
    identity = None
    if len(longs) == 1:
        u = longs[0]
        identity = fold(spelling_key(u.surface, u.normalized, u.reading, u.pos) or kana_key(u.normalized))
    return Indexed(
        {
            "normalized": [fold(p.normalized) for p in shorts],
            "kana_key": [fold(kana_key(p.normalized)) for p in shorts],
        },
        {fold(k) for k in keys if k},
        identity,
    )


def _has(seq: Sequence[str], phrase: Sequence[str]) -> bool:
    k = len(phrase)
    if not k:
        return False
    first = phrase[0]
    return any(seq[i] == first and list(seq[i : i + k]) == list(phrase) for i in range(len(seq) - k + 1))


def matches(doc: Indexed, term: Indexed, key: str) -> bool:
    """A query word matches a text: its short units as a phrase, or (spelling_key) a one-long-unit
    word by its identity among the text's spelling keys or terms."""
    if key == "normalized":
        return _has(doc.terms["normalized"], term.terms["normalized"])
    if _has(doc.terms["kana_key"], term.terms["kana_key"]):
        return True
    if key != KEYS[2] or term.identity is None:
        return False
    return term.identity in doc.spelling or term.identity in doc.terms["kana_key"]


def matched_posts(
    docs: dict[str, Indexed],
    seg: Segmenter,
    query: str,
    key: str,
    expand: Callable[[str], list[str]] | None = None,
) -> set[str]:
    q = grep_query(query, fold=str.strip)  # the words as typed: segmented first, folded after
    if expand is not None:  # each word, or one of its synonyms
        q.groups = [[x for w in g for x in (w, *expand(w))] for g in q.groups]
    groups = [[index(seg(w)) for w in g] for g in q.groups]
    excluded = [index(seg(w)) for w in q.excluded]
    return {
        name
        for name, doc in docs.items()
        if all(any(matches(doc, t, key) for t in g) for g in groups)
        and not any(matches(doc, t, key) for t in excluded)
    }


def show_synonyms(needs: list[Need], docs: dict[str, Indexed], seg: Segmenter) -> None:
    """Post-level word matching (kana_key + spelling_key) with each query word OR its expansions."""
    close = ("user", "variant", "abbreviation", "translation", "alias", "former")

    def close_only(w: str) -> list[str]:
        return [e.word for e in expansion_details(w) if e.relation in close]

    configs: dict[str, Callable[[str], list[str]] | None] = {
        "no expansion": None,
        "variants, abbreviations, names": close_only,
        "every expansion": lambda w: expansions(w),
    }
    totals = {name: [0, 0] for name in configs}
    gains: list[str] = []
    for n in needs:
        relevant = {p for p, g in n.grades.items() if g >= 1}
        for query in n.queries:
            found = {name: matched_posts(docs, seg, query, KEYS[2], f) for name, f in configs.items()}
            for name in configs:
                totals[name][0] += len(found[name] & relevant)
                totals[name][1] += len(found[name] - relevant)
            for p in sorted(found["every expansion"] - found["no expansion"]):
                gains.append(f"  {n.id} {query!r}: adds {p[:12]} (grade {n.grades.get(p, 0)})")
    print("\nsynonym expansion (kb.synonyms) on top of kana_key + spelling_key, post-level word matching")
    print(f"{'expansions':40} {'relevant reached':>17} {'others reached':>15}")
    for name, (rel, other) in totals.items():
        print(f"{name:40} {rel:17} {other:15}")
    print("\n".join(gains) if gains else "  (no post added)")


def corpus(seg: Segmenter) -> tuple[dict[str, str], dict[str, list[Long]]]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "variants.db"
        with Store(db) as store:
            import_paths(store, [str(SEED), str(DEVSET)], jobs=1)
        with Store(db, readonly=True) as store:
            texts: dict[str, str] = {}
            for post_id, name in post_keys(store).items():
                post = store.posts.get(post_id)
                if post is not None:
                    texts[name] = post.text
    return texts, {name: seg(text) for name, text in texts.items()}


def show_pairs(seg: Segmenter) -> None:
    print("pair (mode C: surface[normalized/reading])                  Sudachi  kana_key  +spelling_key")
    for a, b, want in PAIRS:
        ua, ub = seg(a), seg(b)
        ia, ib = index(ua), index(ub)
        found = [matches(ia, ib, k) and matches(ib, ia, k) for k in KEYS]
        merged = found[-1]
        verdict = "ok" if merged == want else "WRONG"
        desc = "  ".join("+".join(f"{u.surface}[{u.normalized}/{u.reading}]" for u in us) for us in (ua, ub))
        pad = 58 - sum(2 if ord(c) > 0x2E7F else 1 for c in desc)
        cells = " ".join(f"{'merge' if x else '-':>8}" for x in found)
        print(f"{desc}{' ' * max(pad, 1)} {cells}   {'should merge' if want else 'must not'}: {verdict}")


def show_needs(needs: list[Need], docs: dict[str, Indexed], seg: Segmenter) -> None:
    totals: dict[str, list[int]] = {k: [0, 0] for k in KEYS}
    gains: list[str] = []
    forms = 0
    for n in needs:
        relevant = {p for p, g in n.grades.items() if g >= 1}
        for query in n.queries:
            forms += 1
            found = {k: matched_posts(docs, seg, query, k) for k in KEYS}
            for k in KEYS:
                totals[k][0] += len(found[k] & relevant)
                totals[k][1] += len(found[k] - relevant)
            for k_prev, k in zip(KEYS, KEYS[1:], strict=False):
                for p in sorted(found[k] - found[k_prev]):
                    gains.append(f"  {n.id} {query!r}: {k} adds {p[:12]} (grade {n.grades.get(p, 0)})")
    all_relevant = sum(sum(1 for g in n.grades.values() if g >= 1) for n in needs for _ in n.queries)
    print(
        f"\npost-level word matching on {len(needs)} needs, {forms} query forms ({all_relevant} relevant posts)"
    )
    print(f"{'index key':40} {'relevant reached':>17} {'others reached':>15}")
    for k in KEYS:
        print(f"{k:40} {totals[k][0]:17} {totals[k][1]:15}")
    print("\n".join(gains) if gains else "  (no post added)")


def show_merges(units: dict[str, list[Long]]) -> None:
    by_kana: dict[str, set[str]] = defaultdict(set)
    by_spelling: dict[str, set[str]] = defaultdict(set)
    every_kanji = 0
    longs = 0
    keyed = 0
    shorts = 0
    for doc in units.values():
        for u in doc:
            if not _wordy(u):
                continue
            longs += 1
            shorts += sum(1 for p in u.parts if _wordy(p))
            every_kanji += any("\u4e00" <= c <= "\u9fff" for c in u.surface)
            for p in u.parts:
                by_kana[kana_key(p.normalized)].add(p.normalized)
            key = spelling_key(u.surface, u.normalized, u.reading, u.pos)
            identity = key or kana_key(u.normalized)
            by_spelling[identity].add(u.normalized)
            keyed += key is not None
    kana = {k: v for k, v in by_kana.items() if len(v) > 1}
    spell = {k: v for k, v in by_spelling.items() if len(v) > 1 and not k.isascii()}
    print(
        f"\ncorpus: {shorts} short units indexed, {longs} long units, {keyed} spelling keys "
        f"(+{keyed / shorts * 100:.1f} % terms; a key for every long unit with kanji would be {every_kanji})"
    )
    print(f"kana_key merges {len(kana)} sets of normalized forms:")
    for k, v in sorted(kana.items()):
        print(f"  {k}: {' / '.join(sorted(v))}")
    print(f"spelling_key (or kana_key) merges {len(spell)} sets of normalized forms:")
    for k, v in sorted(spell.items()):
        print(f"  {k}: {' / '.join(sorted(v))}")


def _segmentation(
    tok: Any, pieces: list[str], pos_of: Callable[[int], tuple[str, ...]], reading: bool, keys: bool
) -> float:
    """One pass of a copy of kb.segment.segment()'s loop over ``pieces``, optionally reading every
    long unit's reading form (``reading``) and computing both keys (``keys``); its seconds."""
    mode_a = SplitMode.A
    t0 = time.perf_counter()
    for offset, piece in ((0, p) for p in pieces):
        out: list[Token] = []
        for m in tok.tokenize(piece):
            surface = m.surface()
            if surface.isspace():
                continue
            begin = offset + m.begin()
            parts: list[Token] = []
            if len(surface) > 1:
                subs = m.split(mode_a)
                if len(subs) > 1:
                    parts = [
                        Token(
                            s.surface(),
                            s.normalized_form(),
                            pos_of(s.part_of_speech_id()),
                            offset + s.begin(),
                            offset + s.end(),
                        )
                        for s in subs
                    ]
            normalized, pos = m.normalized_form(), pos_of(m.part_of_speech_id())
            out.append(Token(surface, normalized, pos, begin, begin + len(surface), tuple(parts)))
            if reading:
                r = m.reading_form()
                if keys:
                    spelling_key(surface, normalized, r, pos)
                    for u in parts or (out[-1],):
                        kana_key(u.normalized)
    return time.perf_counter() - t0


def show_cost(texts: dict[str, str], reps: int) -> None:
    """Sudachi's accessors per call, and kb.segment.segment() as it is, reading every long unit's
    reading form, and also computing both keys (kana_key of short units, spelling_key of long ones).
    The three are copies of segment()'s loop, run in turn, so that load affects them alike."""
    dictionary = Dictionary(dict="core")
    tok = dictionary.tokenizer(mode=SplitMode.C)
    pieces = [piece for text in texts.values() for _, piece in chunks(text)]
    kept = [tok.tokenize(piece) for piece in pieces]  # MorphemeLists stay valid while referenced
    morphemes = [m for ml in kept for m in ml]
    pos_cache: dict[int, tuple[str, ...]] = {}

    def pos_of(pos_id: int) -> tuple[str, ...]:
        pos = pos_cache.get(pos_id)
        if pos is None:
            pos = pos_cache[pos_id] = tuple(dictionary.pos_of(pos_id))
        return pos

    def per_call(call: Callable[[Any], object]) -> float:
        t0 = time.perf_counter()
        for m in morphemes:
            call(m)
        return (time.perf_counter() - t0) / len(morphemes)

    inputs = [
        (m.surface(), m.normalized_form(), m.reading_form(), pos_of(m.part_of_speech_id())) for m in morphemes
    ]

    def keys_alone() -> float:
        """spelling_key and kana_key of every long unit from precomputed inputs (caches warm)."""
        t0 = time.perf_counter()
        for surface, normalized, reading, pos in inputs:
            spelling_key(surface, normalized, reading, pos)
            kana_key(normalized)
        return (time.perf_counter() - t0) / len(inputs)

    modes = {"as it is": (False, False), "+ reading_form()": (True, False), "+ both keys": (True, True)}
    _segmentation(tok, pieces, pos_of, True, True)  # warm-up, and the keys' caches filled as in a long import
    calls: dict[str, list[float]] = defaultdict(list)
    seg: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        calls["surface()"].append(per_call(lambda m: m.surface()))
        calls["normalized_form()"].append(per_call(lambda m: m.normalized_form()))
        calls["reading_form()"].append(per_call(lambda m: m.reading_form()))
        calls["(kb.variants) both keys"].append(keys_alone())
        for name, flags in modes.items():
            seg[name].append(_segmentation(tok, pieces, pos_of, *flags))
    chars = sum(len(p) for p in pieces)
    print(f"\ncost: {len(texts)} posts, {chars} chars, {len(morphemes)} long units, median of {reps} runs")
    for name, values in calls.items():
        label = name if name.startswith("(") else f"Morpheme.{name}"
        print(f"  {label:27} {statistics.median(values) * 1e9:5.0f} ns per call")
    base = statistics.median(seg["as it is"])
    for name, values in seg.items():
        more = statistics.median(values)
        print(
            f"  kb.segment.segment() {name:17} {more * 1000:6.1f} ms "
            f"({(more - base) / len(morphemes) * 1e9:+5.0f} ns per long unit, {(more - base) / base * 100:+5.1f} %)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag in ("pairs", "needs", "synonyms", "merges", "cost"):
        ap.add_argument(f"--{flag}", action="store_true")
    ap.add_argument("--reps", type=int, default=7, help="runs of the --cost measurement")
    args = ap.parse_args()
    every = not (args.pairs or args.needs or args.synonyms or args.merges or args.cost)
    seg = Segmenter()
    if every or args.pairs:
        show_pairs(seg)
    if every or args.needs or args.synonyms or args.merges or args.cost:
        texts, units = corpus(seg)
        docs = {name: index(u) for name, u in units.items()}
        if every or args.needs:
            show_needs(load_needs(), docs, seg)
        if every or args.synonyms:
            show_synonyms(load_needs(), docs, seg)
        if every or args.merges:
            show_merges(units)
        if every or args.cost:
            show_cost(texts, args.reps)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
