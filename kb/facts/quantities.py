"""Quantities: a number with its unit or counter (37万人, 15〜25件, 約450台, 64の自治体, 412.8km2)."""

from __future__ import annotations

import re
from decimal import Decimal

from kb.facts.numerals import KANJI_NUMERALS, NUMBER, NUMBER_START, as_value, parse_number
from kb.facts.tokindex import TokenIndex, is_counter, is_numeral
from kb.models import Fact, Token
from kb.record import record
from kb.text.eras import ERA_BASE
from kb.vocab import AFTER, BEFORE, qualifier_words

# What follows a number and makes it an ordinal, a rank, an address, a clock time or a name, not an amount.
_EXCLUDE_AFTER = re.compile(
    r"\s?(?:番|位|等(?!分)|着|号|丁目|番地|階(?!建)|年生|年代|年度|世紀|時(?!間)|次(?!元)|期目|期生|代目|回戦|"
    r"分の[0-9〇一二三四五六七八九十]|(?:st|nd|rd|th)(?![A-Za-z])|[:：/][0-9])"
)
# A single capital letter after a number names a thing, not a unit: 5G, 4K, 3D, 3F (floor), 3R, 3M;
# these few are units.
_CAPITAL_UNITS = frozenset({"L", "W", "V"})
_PERCENT = re.compile(r"\s?(?:%|パーセント|ﾊﾟｰｾﾝﾄ)")
# Unit symbols and spelled-out measures, with their canonical form.
_SYMBOLS = {
    "k㎡": "km2",
    "㎢": "km2",
    "km²": "km2",
    "平方キロメートル": "km2",
    "平方キロ": "km2",
    "㎡": "m2",
    "m²": "m2",
    "平方メートル": "m2",
    "㎞": "km",
    "㎏": "kg",
    "㎝": "cm",
    "㎜": "mm",
    "㎖": "ml",
    "ℓ": "L",
    "㏄": "cc",
    "℃": "℃",
    "°C": "℃",
    "ヘクタール": "ha",
    "㎥": "m3",
}
_SYMBOL_RE = re.compile("|".join(sorted(map(re.escape, _SYMBOLS), key=len, reverse=True)))
# Letters only (km2, m³ aside): 4618sites is a count, the 8c2e of a hex photo id 9b8c2e is not a unit.
_LATIN = re.compile(r"(\s?)([A-Za-z]+(?:[23²³](?![0-9]))?)(?![A-Za-z0-9])")
# Latin units that may stand after a space (5 km); any Latin word may be glued (4618sites).
_SPACED_LATIN = frozenset(
    "km m cm mm kg g mg t L l ml ha GB MB TB KB kB Gbps Mbps kW kWh MW MWh GW W V A Hz kHz MHz GHz "
    "km2 m2 cc".split()
)
# Measures for which "513、47k㎡" is a decimal typed with 、 for the point.
_MEASURE = re.compile(r"、([0-9]{2})(?![0-9])(k㎡|㎢|㎡|km2|m2|km²|m²|㎞|km|㎏|kg|ha|ヘクタール)")
# Counters read from the characters when Sudachi glued the number to its counter.
_COUNTER_RE = re.compile(
    r"か所|カ所|ヶ所|ヵ所|ケ所|箇所|か国|カ国|ヶ国|ヵ国|ケ国|か月|カ月|ヶ月|ヵ月|ケ月|日間|時間|週間|年間|分間|秒間|"
    r"種類|世帯|人|名|件|台|回|個|つ|本|枚|冊|棟|戸|社|校|店|歳|才|倍|割|円|ドル|ウォン|ユーロ|元|日|年|分|秒|週|泊|"
    r"軒|基|隻|機|頭|匹|羽|点|票|席|室|床|歩|区|市|町|村"
)
# Suffixes (接尾辞,名詞的,一般) that count things after a number: 31区, 72000人.
_SUFFIX_COUNTERS = frozenset(
    "人 名 区 市 町 村 県 州 校 園 社 店 館 局 院 者 戸 世帯 軒 棟 基 隻 頭 匹 羽 票 席 室 床 件 箇所 ヵ所 か所 カ所 "
    "ヶ所 ケ所 カ国 か国 ヶ国 ヵ国 ケ国 歳 才 代 組 チーム 団体 施設 都市 地域 か月 カ月 ヶ月 冊 種 品 曲 問 科 誌 紙 "
    "便 通 脚 足 杯 缶 袋 箱 粒 錠 株 輪 艘 両 門 口 面 台 本 枚 個 期 作 校舎 拠点 路線 系統 病院 団地 分 秒 "
    "橋 炉 棟 食 品目 試合".split()
)
# Counters of several short units that Sudachi does not mark as counters at their start (立方|メートル).
_MEASURE_WORDS = frozenset({"立方メートル", "立方センチメートル", "平方センチメートル"})
# Nouns of time that count nights or mornings after a number (1晩に4千人).
_TIME_COUNTERS = frozenset({"晩", "夜", "朝"})
# A verbal noun followed by する is an action, not what a number counts (5回転した is fine: 回転 is the unit).
_VERB_AFTER = re.compile("する|し[たてま]|され|でき")
# Currencies written after a country or city: ノルウェー・クローネ, 香港ドル, カナダドル.
_CURRENCIES = frozenset(
    "ドル クローネ クローナ ウォン ユーロ ポンド フラン ペソ ルピー ルピア バーツ リンギット ドン 元".split()
)
# What a counter makes one unit with: 3階建て (a building's height, 3階 alone is a floor), 6年制.
_UNIT_TAIL = {"階": re.compile("建て|建"), "年": re.compile("制(?!度)")}
_ALTERNATIVE = re.compile(r"([1-9])[,、]([1-9])(?![0-9,.])")  # 5,6軒: five or six
_MINUTES = re.compile(r"([0-5]?[0-9])分(?!の[0-9〇一二三四五六七八九十])")  # the minutes of 1時間15分
_RATE = re.compile(r"/(日|年|月|週|時間|時|h|人|回|台|件|炉)(?![A-Za-z0-9])")  # 150t/日
# Kinds of municipality counted together (5町村が合併, 3市町で連携).
_ADMIN_COMBOS = frozenset({"市町村", "市町", "町村", "区市町村", "区市", "市区町村"})
# Units that count administrative areas: a kanji numeral before them is usually part of a name.
_ADMIN_UNITS = frozenset("市 町 村 区 郡 県 州".split())
# Nouns that never count what precedes them (3対1 is a score).
_NOT_UNITS = frozenset({"対", "年代", "号", "番", "位", "次"})
# Shape words with a counter inside them: 六角形 is a hexagon, not five of anything.
_SHAPE_COUNTERS = frozenset({"角形", "角", "辺形", "重奏", "重", "次元"})
# Qualifiers written before or after a figure (kb.vocab); they stay out of the surface. 強 and 弱
# are qualifiers only when no verb or adjective goes on (強い, 弱める).
_NOT_AFTER = {"強": "(?![いくかさめ])", "弱": "(?![いくかさめ])"}
_PREFIX_Q = re.compile("(" + "|".join(qualifier_words(BEFORE)) + r")(?:で)?\s?$")  # 最大で3.8m
_SUFFIX_Q = re.compile("|".join(w + _NOT_AFTER.get(w, "") for w in qualifier_words(AFTER)))
_RANGE_SEP = re.compile(r"\s?(〜|~|-|‐|–|−|から)\s?")
_CURRENCY_PREFIX = {"$": "ドル", "¥": "円", "￥": "円", "€": "ユーロ", "£": "ポンド"}
# Canonical spellings of counters: か所/カ所/ヶ所 -> 箇所, ％/パーセント -> %.
_CANON = {
    **{k + "所": "箇所" for k in ("か", "カ", "ヶ", "ヵ", "ケ", "个")},
    **{k + "国": "カ国" for k in ("か", "カ", "ヶ", "ヵ", "ケ", "箇")},
    **{k + "月": "カ月" for k in ("か", "カ", "ヶ", "ヵ", "ケ", "箇")},
    **{k + "年": "カ年" for k in ("カ", "ヶ", "ヵ", "ケ", "箇")},
    "％": "%",
    "パーセント": "%",
}
_NO_PREFIX = re.compile(r"(?:No|NO|no|Ｎｏ)\.?\s?$")
# A number right after a word for a level, a stage or a version names that level (レベル3, フェーズ2,
# バージョン3): it counts nothing, as N4 or Ver.2 count nothing.
_LEVEL_BEFORE = re.compile(
    r"(?:レベル|ステージ|フェーズ|ステップ|ランク|グレード|バージョン|タイプ|ゾーン)\s?$"
)
_BU = re.compile(r"([0-9])分")  # the 分 of 3割5分
_THIRD_GROUP = re.compile(r"[-‐–−][0-9]")  # 03-1234-5678, 4-11-28: no range
_KANJI_NUMERAL = re.compile(f"[{''.join(KANJI_NUMERALS)}]")
_DIGIT = re.compile("[0-9]")  # the only digits a numeral matched by NUMBER holds
_ONE = Decimal(1)
_MULTIPLIERS = (("兆", Decimal(10) ** 12), ("億", Decimal(10) ** 8), ("万", Decimal(10) ** 4))
_SIGNS = ("マイナス", "▲", "−", "－", "-")
_SIGN_ENDS = "".join(sign[-1] for sign in _SIGNS)  # the character right before a signed number
_ERA_NAMES = frozenset(ERA_BASE)
_KANJI_DIGITS = "〇一二三四五六七八九十"


@record(slots=True)
class _Unit:
    """A unit found after a number, and where it ends."""

    unit: str
    end: int  # offset after the unit
    kind: str  # "counter" | "noun" | "measure" | "percent" | "currency"
    qualifier: str | None = None  # 余 written between the number and the counter (300余人)


class _Excluded(Exception):
    """The number is not an amount (an ordinal, a clock time, a tech name)."""


def canonical_unit(unit: str) -> str:
    """The canonical spelling of a unit: 箇所 for か所/カ所/ヶ所, % for ％/パーセント, km2 for k㎡."""
    unit = _CANON.get(unit, unit)
    if unit.endswith("間") and unit[:-1] in _CANON:
        return _CANON[unit[:-1]] + "間"
    return _SYMBOLS.get(unit, unit).replace("²", "2").replace("³", "3")


def _word_chars(text: str) -> bool:
    """Whether a text is made of word characters only (no symbols or brackets)."""
    return all(ch.isalnum() or ch in "ー・々〆ヶ" for ch in text)


def _kanji_ok(k: int, idx: TokenIndex) -> bool:
    """Whether the kanji numeral at k is a numeral to Sudachi, not part of a word (一環, 三重, 世界一)."""
    long = idx.long_covering(k)
    if long is not None and is_numeral(long):
        return True
    short = idx.short_covering(k)
    if long is None or short is None or not is_numeral(short) or not long.parts:
        return False
    # 一回: a numeral and a counter that Sudachi keeps as one word
    parts = [p for p in long.parts if p.end > p.start]
    return (
        len(parts) == 2
        and parts[0] is short
        and is_counter(parts[1])
        and parts[1].surface not in _SHAPE_COUNTERS
    )


def _number_span(folded: str, idx: TokenIndex, s: int, e: int) -> int:
    """The end of the usable numeral in [s, e): kanji that Sudachi reads as a word cut it short."""
    m = _KANJI_NUMERAL.search(folded, s, e)
    while m:
        if not _kanji_ok(m.start(), idx):
            return m.start()
        m = _KANJI_NUMERAL.search(folded, m.end(), e)
    while e > s and folded[e - 1] in ",.":
        e -= 1
    return e


def _blocked_before(folded: str, s: int) -> bool:
    """Context before a number that makes it no amount: 第3, No1, IMG_4410, 04-2345, 10:45, 〒981, 数百,
    レベル3."""
    if s == 0:
        return False
    prev = folded[s - 1]
    if prev in ":/":
        # 10:45, 8/23 and 2/7 are no amounts; after a label (人口:27万人, 定員/40人) the figure is one
        before = folded[s - 2 : s - 1]
        return before.isascii() and before.isalnum()
    if prev in "数何幾":  # 数百人, 何十年: but the figure after a noun in 数 is one (児童数238人)
        return not folded[s].isdigit()
    if prev in "第#№〒_." or prev.isascii() and prev.isalpha():
        return True
    if folded[max(0, s - 2) : s] in _ERA_NAMES:
        return True  # 令和4123日: a garbled era date is neither a date nor an amount
    if (
        folded[max(0, s - 2) : s] == "分の"
        and s >= 3
        and (folded[s - 3].isdigit() or folded[s - 3] in _KANJI_DIGITS)
    ):
        return True  # the 2 of 7分の2 (a fraction)
    if prev in "-‐" and s >= 2 and folded[s - 2].isascii() and folded[s - 2].isalnum():
        return True
    if _NO_PREFIX.search(folded[max(0, s - 4) : s]):
        return True
    return ("\u30a0" <= prev <= "\u30ff" or prev == " ") and bool(
        _LEVEL_BEFORE.search(folded[max(0, s - 7) : s])
    )


def _token_at(idx: TokenIndex, pos: int) -> tuple[Token | None, bool]:
    """The token starting at pos (long unit first, else short unit) and whether one starts there."""
    i = idx.long_at(pos)
    if i >= 0:
        return idx.longs[i], True
    j = idx.short_at(pos)
    if j >= 0:
        return idx.shorts[j], True
    return None, idx.long_covering(pos) is None


def _unit_at(
    text: str, folded: str, idx: TokenIndex, e: int, kanji: bool, year_like: bool = False
) -> _Unit | None:
    """The unit or counter that follows a number ending at e; raises _Excluded for ordinals and the like."""
    rest = folded[e : e + 12]
    if _EXCLUDE_AFTER.match(rest):
        raise _Excluded
    m = _PERCENT.match(rest)
    if m:
        return _Unit("%", e + m.end(), "percent")
    m = _SYMBOL_RE.match(folded, e)
    if m:
        return _Unit(canonical_unit(m.group()), m.end(), "measure")
    m = _LATIN.match(folded, e)
    if m:
        word = m.group(2)
        if len(word) == 1 and word.isupper() and word not in _CAPITAL_UNITS:
            raise _Excluded
        if not m.group(1) or word in _SPACED_LATIN:
            return _Unit(canonical_unit(text[m.start(2) : m.end(2)]), m.end(), "measure")
        return None
    if folded[e : e + 1] == "余":  # 300余人: "more than 300 people"
        m = _COUNTER_RE.match(folded, e + 1)
        return _Unit(canonical_unit(m.group()), m.end(), "counter", "余") if m else None
    tok, at_boundary = _token_at(idx, e)
    if tok is not None:
        if is_numeral(tok):
            return None
        surface = tok.surface
        if is_counter(tok) and _word_chars(surface):
            if kanji and surface in _SHAPE_COUNTERS:
                return None
            if tok.parts and not is_counter(tok.parts[0]) and surface not in _MEASURE_WORDS:
                return None
            if tok.parts and surface.endswith("児") and tok.parts[0].surface in ("歳", "才"):
                return _Unit(tok.parts[0].surface, tok.parts[0].end, "counter")  # 1歳児 counts 歳
            return _Unit(canonical_unit(surface), tok.end, "counter")
        if tok.pos[0] == "接尾辞" and tok.pos[1] == "名詞的" and surface in _SUFFIX_COUNTERS:
            return _Unit(canonical_unit(surface), tok.end, "counter")
        if tok.pos[1:3] == ("固有名詞", "地名"):
            return _currency(text, folded, idx, tok)  # 42億ノルウェー・クローネ, 200香港ドル
        if surface in _TIME_COUNTERS:
            return _Unit(surface, tok.end, "counter")  # 1晩
        if (
            not kanji
            and not year_like
            and tok.pos[:2] == ("名詞", "普通名詞")
            and tok.pos[2] in ("一般", "サ変可能")
            and surface not in _NOT_UNITS
            and _word_chars(surface)
            and not surface.isascii()
            and not (tok.pos[2] == "サ変可能" and _VERB_AFTER.match(folded, tok.end))
        ):
            return _Unit(surface, tok.end, "noun")  # 18万市民, 6大会, 1ポイント, 52試合
        return None
    if not at_boundary:  # Sudachi glued the number and its counter: read the counter from the text
        m = _COUNTER_RE.match(folded, e)
        if m:
            return _Unit(canonical_unit(m.group()), m.end(), "counter")
    return None


def _currency(text: str, folded: str, idx: TokenIndex, place: Token) -> _Unit | None:
    """A currency named after a country written right after a number (42億ノルウェー・クローネ), or None."""
    pos = place.end + (1 if folded[place.end : place.end + 1] == "・" else 0)
    tok, _ = _token_at(idx, pos)
    if tok is None or tok.surface not in _CURRENCIES:
        return None
    return _Unit(text[place.start : tok.end], tok.end, "currency")


def _noun_after_no(text: str, idx: TokenIndex, pos: int) -> int:
    """End of the noun compound that starts at pos (the thing counted in 86の集落), or pos if none."""
    i = idx.long_at(pos)
    end = pos
    first = True
    while 0 <= i < len(idx.longs):
        tok = idx.longs[i]
        if tok.start != end or not _word_chars(tok.surface) or is_numeral(tok):
            break
        noun = tok.pos[0] == "名詞" and tok.pos[1] in ("普通名詞", "固有名詞")
        suffix = tok.pos[0] == "接尾辞" and tok.pos[1] == "名詞的"
        if not (noun or suffix) or (first and tok.pos[2] == "副詞可能"):
            break
        end = tok.end
        first = False
        i += 1
    return end


def _qualifier_before(folded: str, idx: TokenIndex, s: int) -> str | None:
    """The qualifiers written before a figure (約, およそ, 最大; 延べ約 gives both), or None."""
    words: list[str] = []
    while len(words) < 3:
        m = _PREFIX_Q.search(folded, max(0, s - 6), s)
        # the word must stand on its own: 約 in 予約 is no qualifier
        if not m or not idx.is_long_boundary(m.start()):
            break
        words.insert(0, m.group(1))
        s = m.start()
    return " ".join(words) or None


def _sign(folded: str, s: int) -> tuple[int, int]:
    """(-1, start of the sign) for a minus written before a number (▲2.7%, マイナス8℃, −6), else (1, s)."""
    if folded[s - 1 : s] not in _SIGN_ENDS:
        return 1, s
    for sign in _SIGNS:
        a = s - len(sign)
        if a >= 0 and folded.startswith(sign, a):
            before = folded[a - 1 : a]
            if a == 0 and sign != "マイナス":
                return 1, s  # a bullet at the start of a line, not a sign
            if sign in "-－" and (before.isalnum() or before in "-‐~〜"):
                return 1, s
            return -1, a
    return 1, s


def _qualifier_after(folded: str, end: int) -> str | None:
    """A qualifier written after a figure (以上, 程度, ほど, 余り), or None."""
    m = _SUFFIX_Q.match(folded, end)
    return m.group() if m else None


def _trailing_multiplier(numeral: str) -> Decimal:
    """The 万/億/兆 a numeral ends with, as a number (1 when none)."""
    for ch, mult in _MULTIPLIERS:
        if numeral.endswith(ch):
            return mult
    return _ONE


def _year_like(numeral: str) -> bool:
    """Whether a numeral reads as a year (2027): then a bare noun after it is no unit (2027実績)."""
    return len(numeral) == 4 and numeral.isdigit() and 1800 <= int(numeral) <= 2100


def _has_kanji(folded: str, s: int, e: int) -> bool:
    """Whether the numeral at [s, e) is written in kanji only."""
    return not _DIGIT.search(folded, s, e)


def find_quantities(text: str, folded: str, idx: TokenIndex, taken: list[tuple[int, int]]) -> list[Fact]:
    """Quantities in one passage, in text order, with passage offsets; spans in taken are skipped."""
    if not NUMBER_START.search(folded):
        return []
    blocked = bytearray(len(text) + 1)
    for a, b in taken:
        blocked[a:b] = b"\x01" * (b - a)
    out: list[Fact] = []
    consumed = 0
    for m in NUMBER.finditer(folded):
        s = m.start()
        if s < consumed or blocked[s] or _blocked_before(folded, s):
            continue
        e = _number_span(folded, idx, s, m.end())
        if e <= s or any(blocked[s:e]) or folded[e : e + 1] == "数":
            continue
        fact = _read(text, folded, idx, s, e)
        if fact is None or any(blocked[fact.start : fact.end]):
            continue
        size = fact.end - fact.start
        if _has_kanji(folded, s, e) and text[fact.end : fact.end + size] == fact.surface:
            consumed = fact.end + size  # 一つ一つ, 一人一人: "one by one", no amount
            continue
        out.append(fact)
        consumed = fact.end
    return out


def _read(text: str, folded: str, idx: TokenIndex, s: int, e: int) -> Fact | None:
    """The quantity that starts with the number at [s, e), or None.

    The unit is read after the number (or its range), else a noun after の or a currency sign before
    it; then what the counter makes one unit with, then the checks that make it no amount after all,
    then a sign and the qualifiers around it."""
    number = parse_number(folded[s:e])
    if number is None:
        return None
    kanji = _has_kanji(folded, s, e)
    note: str | None = None
    value_max: Decimal | None = None
    start = s
    unit: _Unit | None
    try:
        typo = _MEASURE.match(folded, e) if not kanji and "," not in folded[s:e] else None
        if typo:  # 513、47k㎡: a decimal point typed as 、
            number += Decimal(typo.group(1)) / 100
            unit = _Unit(canonical_unit(typo.group(2)), typo.end(), "measure")
            note = "typo 、 for ."
        else:
            unit, value_max, scale = _range_or_unit(text, folded, idx, s, e, kanji)
            if _trailing_multiplier(folded[s:e]) == 1:
                number *= scale  # 35〜45万人: the 万 of the upper bound applies to both
    except _Excluded:
        return None
    if unit is None:
        unit = _counted_noun(text, folded, idx, s, e, kanji)
        if unit is None and s > 0 and folded[s - 1] in _CURRENCY_PREFIX:
            start = s - 1
            unit = _Unit(_CURRENCY_PREFIX[folded[s - 1]], e, "currency")  # $30
        if unit is None:
            return None
    number, end = _counter_tail(text, folded, unit, number, value_max)
    if _no_amount(folded, s, end, unit, number, kanji):
        return None
    if start == s:
        sign, start = _sign(folded, s)
        if sign < 0:
            number = -number
            value_max = None if value_max is None else -value_max
    pre = _qualifier_before(folded, idx, start)
    post = _qualifier_after(folded, end)
    qualifier = " ".join(q for q in (pre, unit.qualifier, post) if q) or None
    return Fact(
        "quantity",
        text[start:end],
        start,
        end,
        value=as_value(number),
        value_max=None if value_max is None else as_value(value_max),
        unit=unit.unit,
        qualifier=qualifier,
        note=note,
    )


def _counted_noun(text: str, folded: str, idx: TokenIndex, s: int, e: int, kanji: bool) -> _Unit | None:
    """The noun that the number at [s, e) counts with の between them (64の自治体, 86の集落), or None;
    a kanji numeral, a decimal or a year before の counts nothing."""
    if folded[e : e + 1] != "の" or kanji or "." in folded[s:e] or _year_like(folded[s:e]):
        return None
    end = _noun_after_no(text, idx, e + 1)
    return _Unit(text[e + 1 : end], end, "noun") if end > e + 1 else None


def _counter_tail(
    text: str, folded: str, unit: _Unit, number: Decimal, value_max: Decimal | None
) -> tuple[Decimal, int]:
    """(number, end of the quantity) once what a counter makes one unit with is read after it: kinds
    of municipality counted together (7町村), a counter's own tail (2ヶ月間, 3年半, 2割7分, 3階建て),
    hours and minutes as one duration (1時間15分) and a rate (150t/日). unit.unit takes the tail in."""
    end = unit.end
    if unit.unit in ("市", "区", "町"):  # 7町|村, 3市|町: kinds of municipality counted together
        for size in (3, 2, 1):
            if unit.unit + folded[end : end + size] in _ADMIN_COMBOS:
                unit.unit += text[end : end + size]
                end += size
                break
    # 2ヶ月間, 3年半, 2割7分: a counter's own tail
    if folded[end : end + 1] == "間" and unit.unit in ("カ月", "週", "カ年"):
        unit.unit += "間"
        end += 1
    if (
        folded[end : end + 1] == "半"
        and unit.unit in ("年", "時間", "日", "カ月", "週間", "年間", "日間")
        and value_max is None
    ):
        number += Decimal("0.5")
        end += 1
    if unit.unit == "割":
        tail = _BU.match(folded, end)
        if tail:
            number += Decimal(tail.group(1)) / 10
            end += 2
    word = _UNIT_TAIL.get(unit.unit)
    if word is not None:
        m = word.match(folded, end)
        if m:  # 3階建て, 6年制: the word the counter makes with what follows is the unit
            unit.unit += text[end : m.end()]
            end = m.end()
    if unit.unit == "時間" and value_max is None:
        minutes = _MINUTES.match(folded, end)
        if minutes and number == number.to_integral_value():  # 1時間15分 is one duration: 75 minutes
            number = number * 60 + int(minutes.group(1))
            unit.unit = "分"
            end = minutes.end()
    rate = _RATE.match(folded, end)
    if rate and unit.kind in ("measure", "counter", "currency"):
        unit.unit += "/" + rate.group(1)  # 150t/日, 45km/h
        end = rate.end()
    return number, end


def _no_amount(folded: str, s: int, end: int, unit: _Unit, number: Decimal, kanji: bool) -> bool:
    """Whether the number at s read with its unit up to end is no amount after all: part of a town's
    name, an ordinal, a calendar month, a clock time or an idiom."""
    if kanji and unit.unit in _ADMIN_UNITS and number >= 100:
        return True  # 八千代町: a kanji numeral in a town's name, not a count of towns
    if folded[end : end + 1] == "目" or unit.unit == "月":
        return True  # 4回目, 3人目 are ordinals; N月 is a calendar month
    if unit.unit in ("分", "秒") and s > 0 and folded[s - 1] in "時分":
        return True  # 10時45分 is a clock time
    return kanji and unit.unit == "度"  # 二度と, 今一度: idioms


def _range_or_unit(
    text: str, folded: str, idx: TokenIndex, s: int, e: int, kanji: bool
) -> tuple[_Unit | None, Decimal | None, Decimal]:
    """(unit, range's upper bound, its multiplier) after a number: 15〜25件, 15から25件, 15件〜25件."""
    one = _ONE
    alt = _ALTERNATIVE.match(folded, s)
    if alt and alt.end(1) == e and int(alt.group(2)) == int(alt.group(1)) + 1:
        # 5,6軒 and 3、4人: "five or six", one figure with two bounds
        unit = _unit_at(text, folded, idx, alt.end(), False)
        if unit is not None:
            return unit, Decimal(alt.group(2)), one
    sep = _RANGE_SEP.match(folded, e)
    if sep:
        second = NUMBER.match(folded, sep.end())
        if second and _range_ok(folded, s, e, sep.group(1), second.start(), second.end()):
            e2 = _number_span(folded, idx, second.start(), second.end())
            number2 = parse_number(folded[second.start() : e2]) if e2 > second.start() else None
            if number2 is not None:
                unit = _unit_at(text, folded, idx, e2, _has_kanji(folded, second.start(), e2))
                if unit is not None:
                    return unit, number2, _trailing_multiplier(folded[second.start() : e2])
    unit = _unit_at(text, folded, idx, e, kanji, _year_like(folded[s:e]))
    if unit is None:
        return None, None, one
    # 15件〜25件, 35分から55分: a range with the unit written twice; a から that leads to a smaller
    # figure or to one followed by に is a change (15分から6分に縮んだ, 25件から40件に増えた)
    sep = _RANGE_SEP.match(folded, unit.end + (folded[unit.end : unit.end + 1] == "児"))  # 1歳児から4歳児
    if sep:
        second = NUMBER.match(folded, sep.end())
        if second and _range_ok(folded, s, e, sep.group(1), second.start(), second.end()):
            try:
                unit2 = _unit_at(text, folded, idx, second.end(), kanji)
            except _Excluded:
                unit2 = None
            number2 = parse_number(second.group())
            number1 = parse_number(folded[s:e])
            if unit2 is not None and unit2.unit == unit.unit and number2 is not None:
                if sep.group(1) != "から" or (
                    number1 is not None
                    and number2 > number1
                    and folded[unit2.end : unit2.end + 1] not in "にへ"
                ):
                    return unit2, number2, one
    return unit, None, one


def _range_ok(folded: str, s: int, e: int, sep: str, s2: int, e2: int) -> bool:
    """Whether two numbers joined by sep read as a range rather than a phone number or an address."""
    if sep in "-‐–−":
        if (e - s > 1 and folded[s] == "0") or (e2 - s2 > 1 and folded[s2] == "0"):
            return False
        if _THIRD_GROUP.match(folded, e2):
            return False
    return True
