"""The segmentation layer: the only module that knows SudachiPy.

Text is segmented once into Sudachi's long units (mode C); each long unit carries its short units
(mode A), derived with ``Morpheme.split`` instead of a second pass over the text.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from kb.errors import KbError
from kb.models import Token

# One tokenize() call takes at most 49,149 bytes; stay well below it (a Japanese char is 3 bytes).
MAX_CHUNK_CHARS = 8000
_BREAKS = re.compile(r"\n|(?<=[。！？!?])")


# The version of kb.terms' rules (what the word index holds for a passage), recorded with SudachiPy's
# and its dictionary's: 2 = kana-only normalized forms in katakana, web addresses left out.
INDEX_VERSION = "2"


class SegmenterUnavailable(KbError):
    """SudachiPy or its dictionary cannot be loaded."""


def versions() -> dict[str, str]:
    """The versions that decide what the index holds (SudachiPy, its dictionary, kb's index rules):
    recorded in the store so a change can be detected."""
    return {
        "sudachipy": _dist_version("sudachipy"),
        "sudachidict-core": _dist_version("sudachidict_core"),
        "kb-index": INDEX_VERSION,
    }


def _dist_version(module: str) -> str:
    """An installed distribution's version, read from the ``*.dist-info`` folder beside its module.

    Every command compares these with the database's; ``importlib.metadata.version`` scans every
    distribution on the path (about 20 ms), this looks in one folder (falling back to it when the
    layout is unusual, e.g. an editable install)."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        return "missing"
    site = os.path.dirname(os.path.dirname(spec.origin))
    prefix = module.lower() + "-"
    try:
        found = [e for e in os.listdir(site) if e.lower().startswith(prefix) and e.endswith(".dist-info")]
    except OSError:
        found = []
    if len(found) == 1:
        return found[0][len(prefix) : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module.replace("_", "-"))
    except PackageNotFoundError:
        return "missing"


@lru_cache(maxsize=1)
def _dictionary() -> tuple[Any, Any, Any]:
    """The dictionary (loaded once per process), the short-unit split mode and the POS of an id."""
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise SegmenterUnavailable(
            "SudachiPy がインストールされていません: kb を入れ直してください (pip install shisatsu-kb)"
        ) from err
    try:
        dictionary = Dictionary(dict="core")
    except Exception as err:  # pragma: no cover - depends on the installation
        raise SegmenterUnavailable(
            f"Sudachi の辞書を読み込めません ({err}): pip install sudachidict-core で入れ直してください"
        ) from err
    table: list[tuple[str, ...]] = []  # every part of speech by id (about 1,600; read in 0.3 ms)
    while (pos := dictionary.pos_of(len(table))) is not None:
        table.append(tuple(pos))
    return dictionary, SplitMode.A, table.__getitem__


_per_thread = threading.local()


def _tokenizer() -> tuple[Any, Any, Any]:
    """This thread's tokenizer: a Sudachi tokenizer refuses to be used by two threads at once (kb
    import analyses in one thread while its writer streams a big file in another)."""
    found = getattr(_per_thread, "tokenizer", None)
    if found is None:
        from sudachipy import SplitMode

        dictionary, mode_a, pos_of = _dictionary()
        found = _per_thread.tokenizer = (dictionary.tokenizer(mode=SplitMode.C), mode_a, pos_of)
    return found


def chunks(text: str, limit: int = MAX_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split text into (offset, chunk) pieces below the tokenizer's input limit, at line or
    sentence ends where possible, so that no text is ever dropped."""
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start : start + limit]
        cut = 0
        for m in _BREAKS.finditer(window):
            if m.end() > limit // 2:
                cut = m.end()
        if not cut:
            space = max(window.rfind(" "), window.rfind("、"), window.rfind("\u3000"))
            cut = space + 1 if space > limit // 2 else limit
        # never split a base char from the variation selector or joiner after it: cut before the pair
        while cut > 1 and start + cut < n and text[start + cut] in "\ufe0e\ufe0f\u200d":
            cut -= 1
        yield start, text[start : start + cut]
        start += cut
    if start < n:
        yield start, text[start:]


def segment(text: str) -> list[Token]:
    """Segment text into long units, each with its short units in ``parts``. Offsets index ``text``."""
    tokenizer, mode_a, pos_of = _tokenizer()
    out: list[Token] = []
    append = out.append
    new = tuple.__new__  # Token(...) would run NamedTuple's Python-level __new__ per morpheme
    for offset, piece in chunks(text):
        for m in tokenizer.tokenize(piece):
            surface = m.surface()
            if surface.isspace():
                continue
            begin = offset + m.begin()
            parts: tuple[Token, ...] = ()
            if len(surface) > 1:
                subs = m.split(mode_a)
                if len(subs) > 1:
                    parts = tuple(
                        [
                            new(
                                Token,
                                (
                                    s.surface(),
                                    s.normalized_form(),
                                    pos_of(s.part_of_speech_id()),
                                    offset + s.begin(),
                                    offset + s.end(),
                                    (),
                                ),
                            )
                            for s in subs
                        ]
                    )
            append(
                new(
                    Token,
                    (
                        surface,
                        m.normalized_form(),
                        pos_of(m.part_of_speech_id()),
                        begin,
                        begin + len(surface),
                        parts,
                    ),
                )
            )
    return out


def short_units(tokens: Sequence[Token]) -> Iterator[Token]:
    """The short units (mode A) of a long-unit token list."""
    for t in tokens:
        if t.parts:
            yield from t.parts
        else:
            yield t
