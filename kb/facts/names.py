"""Organisations and places: runs of nouns read with Sudachi's parts of speech and a few general rules."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field

from kb.facts.tokindex import (
    ADJ,
    ADVERBIAL,
    COMMON,
    COUNTRY,
    NAME_NOUN,
    NOUN,
    NOUN_SUFFIX,
    NUMERAL,
    PERSON,
    PLACE,
    POS_FLAGS,
    PREFIX,
    PROPER,
    SUFFIX,
    TokenIndex,
)
from kb.models import Token

# ---------------------------------------------------------------------------------------------- places

_ADMIN = frozenset("市区町村郡県府都道州")
# Second characters of words such as 市民, 区政, 県内, 都庁 that start with an administrative suffix.
_ADMIN_TAIL = frozenset("民政内外域長議役立営庁警全職税")
_ADMIN_WORDS = frozenset({"自治区", "自治州", "自治県", "特別区", "特別市", "広域市"})
_STATIONS = ("国際空港", "新幹線", "空港", "駅", "線", "港")
# What may follow a place name inside one word and leave the place standing: 韓国人, 日本国内.
_PLACE_TAILS = frozenset(
    "人 国内 国外 全土 各地 全域 国民 政府 出身 在住 側 産 製 沖 近郊 周辺 系 市内 県内 都内 府内 道内 区内 町内 "
    "村内 全体 中心部 郊外 市街 地方".split()
)
# Event names swallow the place they start with: 東京オリンピック, 大阪万博, 札幌冬季五輪.
_EVENTS = frozenset(
    "オリンピック パラリンピック 五輪 ワールドカップ W杯 万博 博覧会 マラソン 国体 選手権 サミット 映画祭 音楽祭 "
    "芸術祭 大会 ビエンナーレ トリエンナーレ 国際映画祭 駅伝".split()
)
_EVENT_MODIFIERS = frozenset({"冬季", "夏季", "国際", "世界"})
# Words that Sudachi may tag as places but that name no place a reader would look up.
_PLACE_STOP = frozenset(
    "世界 海外 国内外 全国 日本語 国内 国外 地方 各地 現地 地元 市内 区内 県内 都内 中央".split()
)
# Facilities that a route (AからBまで) may name without B being a place.
_ROUTE_STOP = frozenset(
    "ホテル センター スタジアム ホール アリーナ キャンパス ターミナル オフィス エリア ビル タワー プラザ パーク "
    "ステーション ゲート ルート コース スタート ゴール".split()
)

# ----------------------------------------------------------------------------------------------- orgs

# Suffixes that end an organisation's name, by how much of a name they need in front of them.
# strong: any content word will do (総務省, 警視庁); generic2: a proper name or two content words
# (世界電子政府協議会, 都市管制センター); proper: a proper name, a place or a Latin word (江東区議会).
_ORG_STRONG = ("省", "庁", "株式会社", "有限会社", "合同会社")
_ORG_GENERIC2 = tuple(
    "協議会 委員会 審議会 連盟 議連 連合会 連合 協会 財団 機構 機関 組合 公社 公団 事業団 "
    "研究所 研究機構 センター 党 振興会 評議会".split()
)
_ORG_PROPER = tuple(
    "議会 役所 役場 局 署 団 本部 事務所 事務局 大学院 大学 高等学校 高校 中学校 小学校 "
    "義務教育学校 学校 学園 学院 幼稚園 保育園 保育所 こども園 病院 県庁 都庁 府庁 道庁 県警 "
    "府警 道警 警察 警察署 消防署 消防本部 裁判所 会議所 商工会 社協 新聞社 社 警 図書館 美術館 "
    "博物館 公民館".split()
)
# Company words: a place or a proper name right before them makes a company (立川バス, 横浜銀行).
_ORG_COMPANY = tuple(
    "バス ランド 電鉄 鉄道 ガス 電力 新聞 放送 テレビ 航空 交通 証券 生命 保険 建設 工業 産業 "
    "商事 物産 製作所 ホールディングス グループ 信用金庫 信金 農協 生協 銀行 電機 自動車 製薬".split()
)
_SUFFIX_CLASS: dict[str, str] = {}
for _cls, _words in (
    ("company", _ORG_COMPANY),
    ("proper", _ORG_PROPER),
    ("generic2", _ORG_GENERIC2),
    ("strong", _ORG_STRONG),
):
    for _w in _words:
        _SUFFIX_CLASS[_w] = _cls
# suffixes by their last character, longest first, so a token is checked against a handful only
_SUFFIXES_BY_LAST: dict[str, list[str]] = {}
for _w in sorted(_SUFFIX_CLASS, key=len, reverse=True):
    _SUFFIXES_BY_LAST.setdefault(_w[-1], []).append(_w)
# Legal forms written before a name: 株式会社ABC, NPO法人フローレンス.
_LEGAL_PREFIXES = frozenset(
    "株式会社 有限会社 合同会社 合資会社 一般社団法人 一般財団法人 公益社団法人 公益財団法人 社会福祉法人 学校法人 "
    "医療法人 宗教法人 NPO法人 特定非営利活動法人 独立行政法人 地方独立行政法人 国立大学法人 社会医療法人".split()
)
# Words that add nothing to a name: 総合コールセンター is as generic as コールセンター, 区議会 as 議会.
_WEAK = frozenset(
    "総合 各 全 同 本 当 新 旧 第 副 特別 区 市 県 都 府 道 町 村 国 公立 私立 都立 県立 市立 区立 府立 道立 国立 町立 "
    "村立 中央 地方 地域 関係 所管 担当 管轄 一般 公共 公的 民間".split()
)
_ROLE_TAILS = frozenset(
    "社長 会長 理事長 代表 議員 職員 担当 課長 部長 局長 所長 園長 校長 院長 知事 市長 区長 町長 村長 様 さん 氏 "
    "委員長 副委員長 議長 副議長 理事 事務局長".split()
)
# Well-known bodies whose names carry no suffix (general knowledge, not any one post's names).
FAMOUS_ORGS = frozenset(
    "国連 国際連合 ユニセフ UNICEF ユネスコ UNESCO WHO OECD IMF WTO ILO UNHCR IOC JOC FIFA IAEA ASEAN APEC NATO "
    "EU 欧州連合 世界銀行 アジア開発銀行 赤十字 国際赤十字 国境なき医師団 国会 衆議院 参議院 内閣 内閣府 "
    "日本銀行 日銀 NHK JICA JETRO 経団連 日本経団連 自民党 自由民主党 公明党 立憲民主党 国民民主党 共産党 "
    "日本共産党 社民党 社会民主党 日本維新の会 れいわ新選組 参政党 民主党 民進党 希望の党 都民ファーストの会 "
    "全国知事会 全国市長会 全国町村会 全国市議会議長会 UR JA JR JR東日本 JR西日本 JR東海 JR九州 JR北海道 "
    "JR四国".split()
)
_FAMOUS_RE = re.compile("|".join(sorted(map(re.escape, FAMOUS_ORGS), key=len, reverse=True)))
# A Latin name in brackets after a word for a kind of body: 海外メディア(USA TODAY), 米紙(New York Times).
_BRACKETED_LATIN = re.compile(
    r"(?:メディア|紙|誌|新聞|通信社|企業|会社|団体|機関|組織|財団|政党|テレビ局|放送局|NGO|NPO)"
    r"\((?P<name>[A-Za-z][A-Za-z0-9 .&'\-]*[A-Za-z0-9.])\)"
)
_ALIAS = re.compile(r"\(([A-Za-z][A-Za-z0-9&.\-]{1,15})\)")  # 世界保健機関(WHO)
_GLOSS = re.compile(r"\s*\([^()]{1,20}\)\s*")
_NAME_CHARS = re.compile(r"^[\w・ー々〆ヶ&]+$")
_GLOSSED_TOKEN = re.compile(r"^\w+\(\w+\)$")  # Sudachi keeps some glosses in one token: 襄陽(ヤンヤン)


@dataclass(slots=True)
class Name:
    """An organisation or place found in a passage (passage offsets); note holds a gloss-free form."""

    kind: str  # "org" | "place"
    start: int
    end: int
    note: str | None = None


@dataclass(slots=True)
class _Run:
    """Adjacent name-like tokens: a candidate for one or more names."""

    items: list[Token] = field(default_factory=list)
    quoted: bool = False
    org_key: bool = True  # whether a token may start or end an organisation's name (a legal form, a suffix)


def _is_place_token(tok: Token) -> bool:
    """Whether Sudachi tags a token as a place name (名詞,固有名詞,地名)."""
    return bool(POS_FLAGS[tok.pos] & PLACE)


def _is_latin(text: str) -> bool:
    """Whether a text is a Latin word (ASCII with at least one letter)."""
    return bool(text) and text.isascii() and any(ch.isalpha() for ch in text)


def _is_katakana(text: str) -> bool:
    """Whether a text is all katakana."""
    return bool(text) and all("\u30a0" <= ch <= "\u30ff" for ch in text)


def _is_kanji(text: str) -> bool:
    """Whether every character of a text is a kanji."""
    return all("\u4e00" <= c <= "\u9fff" for c in text)


def _name_like(flags: int, surface: str) -> bool:
    """Whether a token can be part of a name: a noun, a nominal suffix or a prefix, made of word characters."""
    if not _NAME_CHARS.match(surface) and not _GLOSSED_TOKEN.match(surface):
        return False
    if flags & NOUN:
        return bool(flags & NAME_NOUN)
    if flags & SUFFIX:
        return bool(flags & NOUN_SUFFIX)
    if flags & PREFIX:
        return surface not in ("お", "ご", "御")
    return False


# ----------------------------------------------------------------------------------------------- runs

# Runs are found on a string with one letter per long unit: N a name-like token, A a 形状詞 in kanji
# that may join two of them, ( and ) a gloss's brackets, ・ a 中黒 or &, x anything else. Every rule
# below starts from a key token. K is a name-like key by its surface (区 or 市, a legal form, a word
# ending in an organisation's suffix): it needs a neighbour to make a name. P is a name-like key on
# its own: a place, or a word with short units that is a proper noun, starts with a place or is a key
# by its surface; Q is a P that is a key by its surface too. B is an A that is a key of either kind.
# Stretches of tokens without x that hold no P, Q or B, and no K with a neighbour, hold no name and
# are never looked at; an organisation needs a key by its surface (K, Q or B).
_KEY_SURFACES = frozenset({"区", "市", "郡", "町", "村", "州"}) | _LEGAL_PREFIXES
_KEY_ENDINGS = tuple(_SUFFIX_CLASS)
_STRETCH = re.compile(r"[^x]*(?:[PQB]|[^x]K|K[^x])[^x]*")
_ORG_KEY = re.compile("[KQB]")
_ANY_KEY = re.compile("[KPQB]").search
_MAX_SURFACES = 200_000  # surfaces remembered before the tables start afresh


def _letter(pos: tuple[str, ...], surface: str, parted: bool) -> str:
    """The letter of a long unit with this part of speech and surface (parted: it has short units)."""
    flags = POS_FLAGS[pos]
    by_surface = surface in _KEY_SURFACES or surface.endswith(_KEY_ENDINGS)
    alone = bool(flags & PLACE) or (parted and (by_surface or bool(flags & PROPER)))
    if _name_like(flags, surface):
        return ("Q" if by_surface else "P") if alone else "K" if by_surface else "N"
    if flags & ADJ and _is_kanji(surface):
        return "B" if alone or by_surface else "A"
    if surface in ("(", "（"):
        return "("
    if surface in (")", "）"):
        return ")"
    if surface in ("・", "&", "＆"):
        return "・"
    return "x"


# surface -> part of speech -> letter, for long units without (_LETTERS) and with short units
_LETTERS: dict[str, dict[tuple[str, ...], str]] = {}
_PARTED_LETTERS: dict[str, dict[tuple[str, ...], str]] = {}


def _learn(table: dict[str, dict[tuple[str, ...], str]], tok: Token, parted: bool) -> str:
    """Work out the letter of a token's surface and part of speech and remember it in table."""
    if len(table) >= _MAX_SURFACES:
        table.clear()
    letter = table.setdefault(tok.surface, {})[tok.pos] = _letter(tok.pos, tok.surface, parted)
    return letter


def _parted_letter(tok: Token) -> str:
    """The letter of a long unit with short units: one that starts with a place is a key on its own."""
    try:
        letter = _PARTED_LETTERS[tok.surface][tok.pos]
    except KeyError:
        letter = _learn(_PARTED_LETTERS, tok, parted=True)
    if letter in "NA":
        for p in tok.parts:
            if p.end > p.start:  # the first short unit with text
                return ("P" if letter == "N" else "B") if POS_FLAGS[p.pos] & PLACE else letter
    return letter


def unit_letters(tokens: Sequence[Token]) -> tuple[list[Token], str]:
    """A passage's non-empty long units and their letters, one each (empty tokens carry no text)."""
    table, parted = _LETTERS, _parted_letter
    while True:
        try:
            letters = "".join(
                [
                    (table[t.surface][t.pos] if not t.parts else parted(t)) if t.end > t.start else ""
                    for t in tokens
                ]
            )
            break
        except KeyError:  # a unit not seen before
            for t in tokens:
                if not t.parts and t.pos not in table.get(t.surface, ()):
                    _learn(table, t, parted=False)
    if len(letters) == len(tokens) and isinstance(tokens, list):
        return tokens, letters
    return [t for t in tokens if t.end > t.start], letters


def _runs(text: str, longs: list[Token], letters: str) -> list[_Run]:
    """The runs of name-like tokens of a passage that may hold a name, in order."""
    runs: list[_Run] = []
    if not _ANY_KEY(letters):
        return runs  # no key at all: the common case
    for m in _STRETCH.finditer(letters):
        _runs_in(text, longs, letters, m.start(), m.end(), runs)
    return runs


def _close(text: str, items: list[Token], org_key: bool, runs: list[_Run]) -> None:
    """Add a run of tokens to runs, noting whether the text quotes it."""
    first, last = items[0], items[-1]
    quoted = text[first.start - 1 : first.start] in '「『"“' and text[last.end : last.end + 1] in '」』"”'
    runs.append(_Run(items, quoted and first.start > 0 and last.end < len(text), org_key))


def _runs_in(text: str, longs: list[Token], letters: str, i: int, n: int, runs: list[_Run]) -> None:
    """Split longs[i:n], a stretch without x, into runs of name-like tokens (glosses and 中黒 kept inside)."""
    items: list[Token] = []
    begin = i  # where the current run starts in longs
    while i < n:
        tok = longs[i]
        c = letters[i]
        if c in "NKPQ" or (
            c in "AB" and items and i + 1 < n and letters[i + 1] in "NKPQ" and longs[i + 1].start == tok.end
        ):
            if items and not _joined(text, items[-1], tok):
                _close(text, items, bool(_ORG_KEY.search(letters, begin, i)), runs)
                items = []
            if not items:
                begin = i
            items.append(tok)
            i += 1
            continue
        # a gloss: ノウォン(芦原)区役所, 仁川(インチョン)空港 -- the run goes on across the brackets
        if c == "(" and items and items[-1].end == tok.start:
            j = i + 1
            while j < n and j - i <= 4 and letters[j] != ")":
                j += 1
            if (
                j + 1 < n
                and j > i + 1
                and letters[j] == ")"
                and longs[j + 1].start == longs[j].end
                and letters[j + 1] in "NKPQ"
                and not letters[i + 1 : j].strip("NKPQ")
            ):
                items.append(longs[j + 1])
                i = j + 2
                continue
        # a 中黒 or & between two nouns: オリンピック・パラリンピック
        if (
            c == "・"
            and items
            and items[-1].end == tok.start
            and i + 1 < n
            and longs[i + 1].start == tok.end
            and letters[i + 1] in "NKPQ"
        ):
            items.append(longs[i + 1])
            i += 2
            continue
        if items:
            _close(text, items, bool(_ORG_KEY.search(letters, begin, i)), runs)
            items = []
        i += 1
    if items:
        _close(text, items, bool(_ORG_KEY.search(letters, begin, n)), runs)


def _joined(text: str, a: Token, b: Token) -> bool:
    """Whether two tokens belong to one name: adjacent, or Latin words one space apart (USA TODAY)."""
    if a.end == b.start:
        return True
    return b.start - a.end == 1 and text[a.end] == " " and _is_latin(a.surface) and _is_latin(b.surface)


def _gloss_free(surface: str) -> str | None:
    """The name without a reading or gloss in brackets (仁川(インチョン)空港 -> 仁川空港), or None if none."""
    if "(" not in surface and "（" not in surface:
        return None
    stripped = _GLOSS.sub("", surface.replace("（", "(").replace("）", ")"))
    return stripped if stripped and stripped != surface else None


# ---------------------------------------------------------------------------------------------- places


def _is_event(items: list[Token], j: int, end: int) -> bool:
    """Whether the tokens from j on name an event (オリンピック, 冬季五輪), which swallows the place before."""
    if j < len(items) and items[j].start == end:
        if items[j].surface in _EVENTS:
            return True
        if items[j].surface in _EVENT_MODIFIERS and j + 1 < len(items) and items[j + 1].surface in _EVENTS:
            return True
    return False


def _brand(tok: Token, items: list[Token], j: int, end: int) -> bool:
    """Whether a town's name starts a katakana proper name: 富山ライトレール, 札幌ドーム, 「ちばレポ」."""
    if end != tok.end or POS_FLAGS[tok.pos] & COUNTRY or j >= len(items) or items[j].start != end:
        return False
    return _is_katakana(items[j].surface) and all(_is_katakana(t.surface) for t in items[j:])


def _extend_place(items: list[Token], j: int, end: int) -> tuple[int, int]:
    """Extend a place with what may follow it in the run: 市/区 (ソウル市, 江東区政 -> 江東区), 23区, 駅/空港."""
    n = len(items)
    if j < n:
        nxt = items[j]
        if nxt.surface in _ADMIN and len(nxt.surface) == 1:
            j, end = j + 1, nxt.end
        elif len(nxt.surface) >= 2 and nxt.surface[0] in _ADMIN and nxt.surface[1] in _ADMIN_TAIL:
            return j, nxt.start + 1  # the rest of 市民, 区政 is no part of the place
        elif (
            POS_FLAGS[nxt.pos] & NUMERAL
            and nxt.surface.isdigit()
            and j + 1 < n
            and items[j + 1].surface == "区"
        ):
            j, end = j + 2, items[j + 1].end  # 東京23区
        elif nxt.surface in _ADMIN_WORDS:
            j, end = j + 1, nxt.end  # 広西自治区
        elif nxt.surface == "広域" and j + 1 < n and items[j + 1].surface == "市":
            j, end = j + 2, items[j + 1].end  # 釜山広域市
    if j < n:
        nxt = items[j]
        if nxt.surface in _STATIONS:
            j, end = j + 1, nxt.end
        elif nxt.surface == "国際" and j + 1 < n and items[j + 1].surface == "空港":
            j, end = j + 2, items[j + 1].end
    return j, end


def _places_in_run(run: _Run) -> list[Name]:
    """Places in one run of nouns: place names with their suffixes, stations, 韓国人 -> 韓国."""
    items = run.items
    n = len(items)
    if n == 1 and not items[0].parts and POS_FLAGS[items[0].pos] & PLACE:
        return [Name("place", items[0].start, items[0].end)]  # a place on its own: the loop's first case
    out: list[Name] = []
    i = 0
    while i < n:
        tok = items[i]
        flags = POS_FLAGS[tok.pos]
        if flags & PLACE:
            start = tok.start
            if i == 1 and items[0].surface in ("東", "西", "南", "北") and items[0].end == tok.start:
                start = items[0].start  # 東小金井
            j, end = _extend_place(items, i + 1, tok.end)
            if (
                not _is_event(items, j, end)
                and not any(p.surface in _EVENTS for p in tok.parts)
                and not _brand(tok, items, j, end)
            ):
                out.append(Name("place", start, end))
            i = max(j, i + 1)
            continue
        nxt = items[i + 1] if i + 1 < n else None
        if (
            nxt is not None
            and nxt.surface in ("区", "市", "郡", "町", "村", "州")
            and (_is_katakana(tok.surface) or flags & PROPER)
            and not flags & PERSON
        ):
            out.append(Name("place", tok.start, nxt.end))  # ノウォン区
            i += 2
            continue
        parts = [p for p in tok.parts if p.end > p.start] if tok.parts else tok.parts
        if parts and flags & PROPER and parts[-1].surface in _STATIONS:
            start = tok.start
            # a one-kanji fragment that Sudachi split off the name: 金|沢駅 for 金沢駅
            if (
                i > 0
                and len(items[i - 1].surface) == 1
                and items[i - 1].end == tok.start
                and POS_FLAGS[items[i - 1].pos] & COMMON
                and "\u4e00" <= items[i - 1].surface <= "\u9fff"
            ):
                start = items[i - 1].start
            out.append(Name("place", start, tok.end))  # 国立駅, 中央線, 羽田空港
        elif parts and _is_place_token(parts[0]) and "".join(p.surface for p in parts[1:]) in _PLACE_TAILS:
            out.append(Name("place", parts[0].start, parts[0].end))  # 韓国人 -> 韓国, 日本国内 -> 日本
        i += 1
    return out


# ------------------------------------------------------------------------------------------------ orgs


def _suffix_of(tok: Token) -> str | None:
    """The organisation suffix a token ends with, aligned to its short units (協議|会, not 同窓会)."""
    candidates = _SUFFIXES_BY_LAST.get(tok.surface[-1:])
    if not candidates:
        return None
    starts = {p.start for p in tok.parts} if tok.parts else {tok.start}
    for suffix in candidates:
        if tok.surface.endswith(suffix) and tok.end - len(suffix) in starts:
            return suffix
    return None


def _modifier_units(items: list[Token], k: int, suffix_start: int) -> Iterable[tuple[Token, bool]]:
    """The short units before an organisation suffix, each with whether its long unit is a proper noun."""
    for tok in items[: k + 1]:
        proper_long = bool(POS_FLAGS[tok.pos] & PROPER)
        if tok.start >= suffix_start:
            break
        if tok.end <= suffix_start and (not tok.parts or proper_long and tok is not items[k]):
            yield tok, proper_long
            continue
        for p in tok.parts or [tok]:
            if p.end <= suffix_start and p.end > p.start:
                yield p, proper_long and tok is items[k]


def _org_ok(items: list[Token], start_i: int, k: int, suffix: str, places: list[Name], quoted: bool) -> bool:
    """Whether the tokens start_i..k, ending with suffix, make an organisation's name."""
    cls = _SUFFIX_CLASS[suffix]
    suffix_start = items[k].end - len(suffix)
    proper = generic = 0
    last_proper = False
    for unit, proper_long in _modifier_units(items[start_i:], k - start_i, suffix_start):
        in_place = any(p.start <= unit.start and unit.end <= p.end for p in places)
        flags = POS_FLAGS[unit.pos]
        if flags & PROPER or proper_long or in_place or _is_latin(unit.surface) or _gloss_free(unit.surface):
            proper += 1
            last_proper = True
        elif flags & (NUMERAL | SUFFIX | PREFIX) or unit.surface in _WEAK:
            last_proper = False
        else:
            generic += 1
            last_proper = False
    if cls == "company":
        return last_proper
    if cls == "strong":
        return proper + generic >= 1
    if cls == "proper":
        return proper >= 1
    return proper >= 1 or generic >= 2 or (quoted and generic >= 1)


def _orgs_in_run(run: _Run, places: list[Name], passage_start: bool) -> list[Name]:
    """The organisation a run of nouns names, if any: the longest span ending in a suffix."""
    items = run.items
    first = 0
    # leading words that never begin a name: 今回, 昨日 (time nouns), numerals, Q/A markers
    while first < len(items) and (
        POS_FLAGS[items[first].pos] & (ADVERBIAL | NUMERAL)
        or (
            passage_start
            and first == 0
            and len(items[0].surface) == 1
            and items[0].surface.isascii()
            and len(items) > 1
        )
    ):
        first += 1
    if first >= len(items):
        return []
    for k in range(first, len(items)):
        if items[k].surface in _LEGAL_PREFIXES and k + 1 < len(items):  # 株式会社ABC
            end = len(items)
            while end > k + 1 and items[end - 1].surface in _ROLE_TAILS:
                end -= 1
            return [Name("org", items[k].start, items[end - 1].end)]
    for k in range(len(items) - 1, first - 1, -1):
        suffix = _suffix_of(items[k])
        if suffix is None or _is_place_token(items[k]) or items[k].end - len(suffix) <= items[first].start:
            continue
        if _org_ok(items, first, k, suffix, places, run.quoted):
            return [Name("org", items[first].start, items[k].end)]
    return []


# ----------------------------------------------------------------------------------------------- entry


def place_parts(tokens: Iterable[Token]) -> set[str]:
    """Surfaces Sudachi tags as place names anywhere in a post, including inside words (国立 in 国立駅)."""
    out: set[str] = set()
    flags = POS_FLAGS
    for tok in tokens:
        if tok.parts:
            out.update(p.surface for p in tok.parts if flags[p.pos] & PLACE)
        elif flags[tok.pos] & PLACE:
            out.add(tok.surface)
    return out


class KnownPlaces:
    """The place_parts of a post's tokens, collected when first asked about."""

    __slots__ = ("_tokens", "_surfaces")

    def __init__(self, tokens: Iterable[Iterable[Token]]) -> None:
        """Places of the given tokens (one token list per passage)."""
        self._tokens = tokens
        self._surfaces: set[str] | None = None

    def __contains__(self, surface: object) -> bool:
        """Whether Sudachi tags the surface as a place name somewhere in the post."""
        if self._surfaces is None:
            self._surfaces = place_parts(t for toks in self._tokens for t in toks)
        return surface in self._surfaces


def find_names(
    text: str, folded: str, idx: TokenIndex, known_places: Container[str], letters: str | None = None
) -> list[Name]:
    """Organisations and places in one passage (passage offsets, possibly overlapping each other).

    ``letters`` are the unit_letters of ``idx.longs`` when the caller has them already.
    """
    if letters is None:
        letters = unit_letters(idx.longs)[1]
    places: list[Name] = []
    orgs: list[Name] = []
    for run in _runs(text, idx.longs, letters):
        run_places = _places_in_run(run)
        if run.org_key:
            orgs.extend(_orgs_in_run(run, run_places, run.items[0].start == 0))
        whole = (run.items[0].start, run.items[-1].end)
        if run.quoted and any((p.start, p.end) != whole for p in run_places):
            continue  # a place inside a quoted name: 「ちばレポ」, 「江東区子育てプラン」
        places.extend(run_places)
    for m in _FAMOUS_RE.finditer(folded):
        if idx.is_short_boundary(m.start()) and idx.is_short_boundary(m.end()):
            orgs.append(Name("org", m.start(), m.end()))
    if "(" in folded:  # every pattern below needs a bracket
        for m in _BRACKETED_LATIN.finditer(folded):
            orgs.append(Name("org", m.start("name"), m.end("name")))
        for org in list(orgs):  # an acronym in brackets after an organisation: 世界電子政府協議会(WeGo)
            alias = _ALIAS.match(folded, org.end)
            if alias:
                orgs.append(Name("org", org.end + 1, org.end + 1 + len(alias.group(1))))
    if places and "から" in text:
        places.extend(_routes(text, idx, places, known_places))
    out = orgs + [p for p in places if text[p.start : p.end] not in _PLACE_STOP]
    if "(" in text or "（" in text:  # without brackets no name has a gloss to drop
        for name in out:
            name.note = _gloss_free(text[name.start : name.end])
    return out


def _routes(text: str, idx: TokenIndex, places: list[Name], known: Container[str]) -> list[Name]:
    """Places named as the other end of a route: 東小金井から国立まで, ソウルからウォンジュ、."""
    out: list[Name] = []
    for p in places:
        if text[p.end : p.end + 2] != "から":
            continue
        i = idx.long_at(p.end + 2)
        if i < 0:
            continue
        tok = idx.longs[i]
        if text[tok.end : tok.end + 2] not in ("まで",) and text[tok.end : tok.end + 1] not in ("、", "へ"):
            continue
        if any(q.start <= tok.start < q.end for q in places):
            continue
        flags = POS_FLAGS[tok.pos]
        if not flags & NOUN or flags & ADVERBIAL or tok.surface in _ROUTE_STOP:
            continue
        if (_is_katakana(tok.surface) and len(tok.surface) >= 3) or tok.surface in known:
            out.append(Name("place", tok.start, tok.end))
    return out
