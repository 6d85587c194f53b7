"""Writing text in legacy encodings (cp932): replace what cannot be held and report each character."""

from __future__ import annotations

import codecs
import unicodedata

from kb.errors import ExportError
from kb.export import messages
from kb.record import record

REPLACEMENT = "〓"  # geta mark: the conventional stand-in for a missing character in Japanese text
FALLBACK_REPLACEMENT = "?"  # for encodings that cannot hold 〓 either
MAX_CHAR_WARNINGS = 20  # distinct characters reported one by one; the rest are summed up

# Same glyph, different code point in the JIS and Microsoft mappings: substituted silently.
_EQUIVALENTS: dict[str, str] = {
    "\u2014": "\u2015",  # EM DASH -> HORIZONTAL BAR (JIS 0x815C)
    "\u301c": "\uff5e",  # WAVE DASH -> FULLWIDTH TILDE (for encoders with only one of them)
    "\u2212": "\uff0d",  # MINUS SIGN -> FULLWIDTH HYPHEN-MINUS
}

# Close stand-ins that change the code point a reader sees: substituted and reported.
_LOOKALIKES: dict[str, str] = {
    "\u2013": "-",  # EN DASH
    "\u00a5": "\uffe5",  # YEN SIGN -> FULLWIDTH YEN SIGN
    "\u203e": "\uffe3",  # OVERLINE -> FULLWIDTH MACRON
    "\u00a6": "\uffe4",  # BROKEN BAR -> FULLWIDTH BROKEN BAR
}

# Invisible presentation marks (◼️ is U+25FC U+FE0F): dropped and reported rather than shown as 〓.
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0xFE00, 0xFE0F),  # variation selectors
    (0xE0100, 0xE01EF),  # variation selectors supplement
    (0x200B, 0x200D),  # zero width space, non-joiner, joiner
    (0x2060, 0x2060),  # word joiner
    (0xFEFF, 0xFEFF),  # zero width no-break space
)


def normalize_encoding(encoding: str) -> str:
    """The codec's canonical name ("CP932" -> "cp932", "utf8" -> "utf-8"); ExportError when unknown."""
    try:
        return codecs.lookup(encoding).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise ExportError(messages.unknown_encoding(encoding)) from None


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _INVISIBLE_RANGES)


def describe_char(ch: str) -> str:
    """A character for a message: "'◼' U+25FC", or "U+FE0F (VARIATION SELECTOR-16)" when invisible."""
    code = f"U+{ord(ch):04X}"
    category = unicodedata.category(ch)
    if _invisible(ch) or category[0] in ("M", "C", "Z"):
        name = unicodedata.name(ch, "")
        return f"{code} ({name})" if name else code
    return f"'{ch}' {code}"


@record(slots=True)
class _Loss:
    replacement: str
    count: int
    row: int
    column: str


class Transcoder:
    """Makes cell text writable in one encoding and remembers every character it had to give up."""

    def __init__(self, encoding: str, *, row_word: str = "row") -> None:
        self.encoding = normalize_encoding(encoding)
        self.row_word = row_word
        self._ok: dict[str, bool] = {}
        self._losses: dict[str, _Loss] = {}
        self._replacement = REPLACEMENT if self._can(REPLACEMENT) else FALLBACK_REPLACEMENT

    def _can(self, text: str) -> bool:
        ok = self._ok.get(text)
        if ok is None:
            try:
                text.encode(self.encoding)
                ok = True
            except UnicodeError:
                ok = False
            self._ok[text] = ok
        return ok

    def _substitute(self, ch: str) -> tuple[str, bool]:
        """The stand-in for a character the encoding lacks, and whether the substitution is reported."""
        equivalent = _EQUIVALENTS.get(ch)
        if equivalent is not None and self._can(equivalent):
            return equivalent, False
        lookalike = _LOOKALIKES.get(ch)
        if lookalike is not None and self._can(lookalike):
            return lookalike, True
        if _invisible(ch):
            return "", True
        try:
            compat = unicodedata.normalize("NFKC", ch)
        except ValueError:
            compat = ch
        if compat != ch and compat and self._can(compat):
            return compat, True  # e.g. "²" -> "2"
        return self._replacement, True

    def fix(self, text: str, row: int, column: str) -> str:
        """The text with every character the encoding cannot hold substituted; losses are recorded."""
        if self._can_fast(text):
            return text
        out: list[str] = []
        for ch in text:
            if self._can(ch):
                out.append(ch)
                continue
            substitute, reported = self._substitute(ch)
            out.append(substitute)
            if reported:
                loss = self._losses.get(ch)
                if loss is None:
                    self._losses[ch] = _Loss(substitute, 1, row, column)
                else:
                    loss.count += 1
        return "".join(out)

    def _can_fast(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeError:
            return False
        return True

    def warnings(self) -> list[str]:
        """One line per distinct character lost, in order of first appearance; the tail summed up."""
        lines: list[str] = []
        losses = list(self._losses.items())
        unit = "行目" if self.row_word == "row" else "件目"
        for ch, loss in losses[:MAX_CHAR_WARNINGS]:
            where = f"{loss.row} {unit}"
            lines.append(
                messages.char_lost(
                    where, loss.column, describe_char(ch), self.encoding, loss.replacement, loss.count
                )
            )
        rest = losses[MAX_CHAR_WARNINGS:]
        if rest:
            total = sum(loss.count for _, loss in rest)
            lines.append(messages.chars_lost_rest(len(rest), total, self.encoding))
        return lines


def _export_errors(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler for text kb itself generates: equivalent glyphs, else the replacement mark."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out: list[str] = []
    for ch in err.object[err.start : err.end]:
        candidates = [_EQUIVALENTS.get(ch, ""), REPLACEMENT, FALLBACK_REPLACEMENT]
        for candidate in candidates:
            if not candidate:
                continue
            try:
                candidate.encode(err.encoding)
            except UnicodeError:
                continue
            out.append(candidate)
            break
    return "".join(out), err.end


_ERRORS = "kb-export-replace"
codecs.register_error(_ERRORS, _export_errors)


def encode_text(text: str, encoding: str) -> bytes:
    """Text as bytes; anything still unencodable (cell text is fixed beforehand) becomes 〓."""
    return text.encode(encoding, errors=_ERRORS)
