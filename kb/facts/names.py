"""Organisations and places: runs of nouns read with Sudachi's parts of speech, general rules over
the shape of names (suffixes, heads of sites, legal forms, glosses and aliases) and general
knowledge where no suffix exists (kb/facts/data: parties, national and international bodies,
places Sudachi does not tag, generic bodies)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence

from kb.facts.knowledge import words
from kb.facts.tokindex import (
    ADJ,
    ADVERBIAL,
    COMMON,
    COUNTER,
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
from kb.record import field, record
from kb.text.eras import ERA_BASE

# ------------------------------------------------------------------------------------------ knowledge

_PARTIES = words("parties")
_PARTY_SHORT = words("party_short")
_GENERIC_BODIES = words("generic_bodies")
_EXTRA_PLACES = words("places")
# Well-known bodies whose names carry no suffix (general knowledge, not any one post's names).
FAMOUS_ORGS = _PARTIES | words("national_bodies") | words("international_bodies")


_Trie = dict[str, "_Trie"]


def _trie(names: Iterable[str]) -> str:
    """A regular expression matching any of the names, the longest at each position, written as a
    trie (one branch per first character: a flat alternation of hundreds of names is slow)."""
    tree: _Trie = {}
    for name in names:
        node = tree
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: _Trie) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(tree)


def _alternation(names: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of the names, the longest at each position."""
    return re.compile(_trie(names))


# every name the lists know, with what it is: "org", "place" or "short" (a party's short form)
_KNOWN = (
    dict.fromkeys(_PARTY_SHORT, "short")
    | dict.fromkeys(_EXTRA_PLACES, "place")
    | dict.fromkeys(FAMOUS_ORGS, "org")
)
_KNOWN_RE = _alternation(_KNOWN)
# What makes a passage speak of parties: then 自民 or 公明 standing alone is a party.
_PARTY_CONTEXT = re.compile("党|会派|与党|野党|クラブ|連立|推薦|公認")

# ---------------------------------------------------------------------------------------------- places

_ADMIN = frozenset("市区町村郡県府都道州")
# Administrative suffixes after which a compound name is split: 長野県|上田市, 中央区|日本橋.
_ADMIN_SPLIT = frozenset("県 都 府 市 区 町 村 郡 州".split())
_MUNICIPAL = frozenset("市 区 町 村".split())
# Second characters of words such as 市民, 区政, 県内, 都庁 that start with an administrative suffix.
_ADMIN_TAIL = frozenset("民政内外域長議役立営庁警全職税")
_ADMIN_WORDS = frozenset({"自治区", "自治州", "自治県", "特別区", "特別市", "広域市"})
_STATIONS = ("国際空港", "新幹線", "空港", "駅", "線", "港")
# What may follow a place name inside one word and leave the place standing: 韓国人, 日本国内.
_PLACE_TAILS = frozenset(
    "人 国内 国外 全土 各地 全域 国民 政府 出身 在住 側 産 製 沖 近郊 周辺 系 市内 県内 都内 府内 道内 区内 町内 "
    "村内 全体 中心部 郊外 市街".split()
)
# Event names swallow the place they start with: 長野オリンピック, 愛知万博, 東日本大震災; so do the names of
# treaties and accords (パリ協定, 京都議定書): the place names where they were signed.
_EVENTS = frozenset(
    "オリンピック パラリンピック 五輪 ワールドカップ W杯 万博 博覧会 マラソン 国体 選手権 サミット 映画祭 音楽祭 "
    "芸術祭 大会 ビエンナーレ トリエンナーレ 国際映画祭 駅伝 豪雨 地震 大震災 震災 台風 水害 大水害 噴火 "
    "まつり 祭り 祭 フェスティバル 条約 協定 議定書 憲章".split()
)
# Words a town's councillor uses for the own town (本町でも検討したい): standing alone they name no place,
# though Sudachi tags 本町 as one (a district name in many cities: 大阪の本町, 青葉区本町).
_DEICTIC_PLACES = frozenset({"本町", "本村"})
_EVENT_MODIFIERS = frozenset({"冬季", "夏季", "国際", "世界"})
# Products named after their place are no place: 魚沼米, 有田焼, 吉野杉.
_PRODUCTS = frozenset("米 焼 焼き 杉 茶 牛 豚 鶏 酒 塗 塗り 織 紬 漆 瓦 和紙 梨 柿 蕎麦 そば うどん".split())
# Words that Sudachi may tag as places but that name no place a reader would look up.
_PLACE_STOP = frozenset(
    "世界 海外 国内外 全国 日本語 国内 国外 地方 各地 現地 地元 市内 区内 県内 都内 中央 全米 本土 首都 駅前 駅東 駅西 "
    "駅南 駅北".split()
)
# What follows a place named on its own in a sentence (桐生から, 米沢の, 四国・中国と).
_AFTER_PLACE = frozenset("かへまをにとのはもでや・、。")
_STATION_AREA = frozenset("駅 駅前 駅東 駅西 駅南 駅北 駅裏".split())
# Parts of a country or region, not places of their own after it: タイ北部, 韓国南部.
_DIRECTION_AFTER = frozenset("北部 南部 東部 西部 中部 中央部 南西部 南東部 北西部 北東部".split())
# Words that join the place after them: 東南アジア, 北信濃, 西荻窪, 新白河 (a station).
_DIRECTION_BEFORE = frozenset("東 西 南 北 東南 西南 東北 北東 北西 南東 南西 新".split())
# Text right after a name that makes it a person's: 村井さん, 高田議員.
_PERSON_AFTER = re.compile("さん|氏|様|君|ちゃん|くん|先生|議員|市議|区議|町議|村議|県議|都議")
_SELF_INTRO = re.compile("です|でした|と申します")  # 議員の村井です: after a surname
_PERSON_AFTER_FIRST = frozenset("さ氏様君ちく先議市区町村県都でと")  # the first characters of both
# A title right before a name makes it a person's: 市長の佐久間, 委員長 北川.
_TITLE_BEFORE = re.compile(
    r"(?:議員|議長|市長|区長|町長|村長|知事|委員長|会長|社長|理事長|課長|部長|局長|所長|さん|氏)[の\s]?$"
)
# Facilities that a route (AからBまで) may name without B being a place.
_ROUTE_STOP = frozenset(
    "ホテル センター スタジアム ホール アリーナ キャンパス ターミナル オフィス エリア ビル タワー プラザ パーク "
    "ステーション ゲート ルート コース スタート ゴール".split()
)
# Heads of named sites (rivers, mountains, shrines, parks, stations, plants ...): a name followed by
# one is a place as a whole (釧路川, 弁天山公園, JR福井駅, 大垣市西部清掃工場). A one-character
# head must be a short unit of its own; longer ones may end a word.
_SITE_HEADS_1 = frozenset("川 山 島 湾 橋 港 駅 城 跡 海 岳 峠 岬 湖 池 沼 寺 塔".split())
_SITE_HEADS = tuple(
    sorted(
        "地区 地方 山脈 山地 高原 平野 盆地 半島 諸島 列島 本島 海峡 海岸 温泉 大橋 城跡 城址 神社 大社 神宮 八幡宮 "
        "天満宮 寺院 公園 庭園 植物園 動物園 通り 街道 朝市 夜市 市場 国際空港 空港 タワー スタジアム アリーナ "
        "ボールパーク 球場 競技場 ドーム 駐屯地 基地 清掃工場 発電所 処分場 工業地帯 工業団地 団地 特区 疏水 用水 "
        "運河 ダム 都市圏 ジオパーク 商店街 湿地 湿原 干潟 サイエンスパーク リサーチパーク テクノパーク".split(),
        key=len,
        reverse=True,
    )
)
# the heads of more than one character by their last character, longest first; the last characters
# of every head, to tell at once that a word ends with none
_HEADS_BY_LAST: dict[str, list[str]] = {}
for _h in _SITE_HEADS:
    _HEADS_BY_LAST.setdefault(_h[-1], []).append(_h)
_HEAD_ENDS = frozenset(_HEADS_BY_LAST) | _SITE_HEADS_1
_KANA_HEADS = frozenset(h for h in _SITE_HEADS if all("\u30a0" <= c <= "\u30ff" for c in h))
# Katakana words too common to start the name of a site: モデル地区, シンボルタワー.
_KATAKANA_GENERIC = frozenset(
    "モデル エリア センター シンボル メイン リゾート テーマ サブ ニュー スマート コミュニティ スポーツ パブリック "
    "ローカル ビジネス ショッピング レジャー キャンプ サッカー テニス ゴルフ".split()
)
_SITE_SPAN = 7  # tokens a site name may span
# Words made of a site's head and where along it (川沿い, 湖畔, 山頂): after a place they name the site
# (吉井|川沿い -> 吉井川, 東京|湾岸 -> 東京湾).
_HEAD_LOCATIVES = frozenset("川沿い 川岸 川辺 川べり 川面 湖畔 湖岸 湖面 湾岸 湾内 山頂 山麓 山腹".split())
# A quoted name right after a word for a facility names that facility: ビル「イノベーションベース長岡」.
_FACILITY_QUOTE = re.compile(
    r"(?:施設|ビル|発電所|工場|処分場|焼却場|プラント|スタジアム|アリーナ|球場|公園|タワー|ホール|館|拠点|広場)"
    r"[「『](?P<name>[^「」『』\s]{2,24})[」』]"
)

# ----------------------------------------------------------------------------------------------- orgs

# Suffixes that end an organisation's name, by how much of a name they need in front of them.
# strong: any content word will do (総務省, 警視庁); generic2: a proper name or two content words
# (全国防災技術協議会, 交通管制センター); proper: a proper name, a place or a Latin word (杉並区議会);
# school: a proper name or one word that is not a kind of school (東湖大学, not 医科大学).
_ORG_STRONG = (
    "省",
    "庁",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "ホールディングス",
    "大使館",
    "総領事館",
    "領事館",
    "党",  # あすか党; 与党, 各党 and 離党 are words of their own or weak
)
_ORG_GENERIC2 = tuple(
    "協議会 委員会 審議会 連盟 議連 連合会 連合 協会 財団 機構 機関 組合 公社 公団 事業団 研究所 研究機構 センター "
    "振興会 評議会 連絡会 連絡協議会".split()
)
_ORG_PROPER = tuple(
    "議会 市会 役所 役場 支所 局 署 団 本部 事務所 事務局 幼稚園 保育園 保育所 こども園 病院 県庁 都庁 府庁 道庁 県警 "
    "府警 道警 警察 警察署 消防署 消防本部 裁判所 会議所 商工会 社協 新聞社 社 警 図書館 美術館 博物館 公民館 政府 軍 "
    "クラブ ロータリークラブ ライオンズクラブ リーグ 師団 旅団 連隊 部隊 方面隊 隊".split()
)
_ORG_SCHOOL = tuple(
    "大学院 大学 高等学校 高校 中学校 中学 小学校 義務教育学校 学校 学園 学院 高級中学".split()
)
# Short forms of school names: a place, a direction or number, and 小/中/高 (湯沢北小, 長野一女 aside).
_ORG_SHORT = ("小", "中", "高")
_SHORT_MIDDLE = frozenset("東 西 南 北 中央 第一 第二 第三 一 二 三 四 五 六 七 八 九 十".split())


def _short_school_word(surface: str) -> bool:
    """Whether a word is the end of a school's short name that Sudachi keeps whole: 南高, 東中, 一小."""
    return len(surface) == 2 and surface[1] in _ORG_SHORT and surface[0] in _SHORT_MIDDLE


# Company words: a place or a proper name right before them makes a company (関東バス, 横浜銀行).
_ORG_COMPANY = tuple(
    "バス ランド 電鉄 鉄道 ガス 電力 新聞 放送 テレビ 航空 交通 証券 生命 保険 建設 工業 産業 商事 物産 製作所 "
    "グループ 信用金庫 信金 農協 生協 銀行 電機 自動車 製薬 製菓 百貨店".split()
)
_SUFFIX_CLASS: dict[str, str] = {}
for _cls, _words in (
    ("company", _ORG_COMPANY),
    ("proper", _ORG_PROPER),
    ("school", _ORG_SCHOOL),
    ("short", _ORG_SHORT),
    ("generic2", _ORG_GENERIC2),
    ("strong", _ORG_STRONG),
):
    for _w in _words:
        _SUFFIX_CLASS[_w] = _cls
# suffixes by their last character, longest first, so a token is checked against a handful only
_SUFFIXES_BY_LAST: dict[str, list[str]] = {}
for _w in sorted(_SUFFIX_CLASS, key=len, reverse=True):
    _SUFFIXES_BY_LAST.setdefault(_w[-1], []).append(_w)
# Units of armed forces: a number after 第 is their name (第12旅団).
_MILITARY = frozenset("師団 旅団 連隊 部隊 方面隊 隊 団 軍".split())
# Legal forms written before a name: 株式会社ABC, NPO法人みどりの森ネット.
_LEGAL_PREFIXES = frozenset(
    "株式会社 有限会社 合同会社 合資会社 一般社団法人 一般財団法人 公益社団法人 公益財団法人 社会福祉法人 学校法人 "
    "医療法人 宗教法人 NPO法人 特定非営利活動法人 独立行政法人 地方独立行政法人 国立大学法人 社会医療法人 "
    "認定NPO法人 生活協同組合 協同組合".split()
) | {"JA", "JF"}  # the brands agricultural and fishery cooperatives write before their names (JAみどり東部)
_LEGAL_RE = re.compile(_trie(_LEGAL_PREFIXES) + r"|[(（][株有][)）]|㈱|㈲")
_LEGAL_HINT = re.compile("会社|法人|組合|株|有\\)|㈱|㈲|JA|JF")  # what every legal form holds
_ABBREVIATED_FORM = re.compile(r"[(（][株有][)）]|㈱|㈲")
# Words that add nothing to a name: 総合案内センター is as generic as 案内センター, 区議会 as 議会.
_WEAK = frozenset(
    "総合 各 全 同 本 当 新 旧 元 前 現 第 副 特別 区 市 県 都 府 道 町 村 国 州 公立 私立 都立 県立 市立 区立 府立 道立 "
    "国立 町立 村立 州立 中央 地方 地域 関係 所管 担当 管轄 一般 公共 公的 民間 地元 他 近隣 周辺".split()
)
# Kinds of school: a school word after one of them alone names no one school (医科大学, 工業高校).
_SCHOOL_KINDS = frozenset(
    "医科 工科 女子 男子 短期 芸術 外国語 教育 看護 福祉 農業 工業 商業 水産 体育 音楽 美術 情報 経済 科学 技術 国際 "
    "理科 保健 歯科 薬科 医療 通信 附属 付属 中等教育 義務教育 特別支援 専門 職業 名門 有名 難関 進学 母校 高等 "
    "大学 高校 中学 小学 小 中 高 新設 統合 モデル 海外 国内 県外 市外 都内 県内 市内 全国".split()
)
# Words before a name that are no part of it: 旧ソ連軍, 元市長.
_ERAS = frozenset(ERA_BASE)
_DATE_WORDS = frozenset("年 年度 年代 月 月末 月初 日 期 号".split())  # after a number at a name's start
# 会派 is the word for a council group, no part of its name (会派みらいクラブ)
_LEADING_JUNK = frozenset("旧 元 前 現 新 故 同 当 本 各 全 会派".split())
_ROLE_TAILS = frozenset(
    "社長 会長 理事長 代表 議員 職員 担当 課長 部長 局長 所長 園長 校長 院長 知事 市長 区長 町長 村長 様 さん 氏 "
    "委員長 副委員長 議長 副議長 理事 事務局長 委員".split()
)
# What the council in a job title may be followed by inside one word: 刈谷市議会議員.
_TITLE_TAILS = frozenset("議員 議長 副議長 事務局長 事務局 委員 委員長".split())
# Groups formed for one trip are no organisation: 訪問団, 調査団, 視察団.
_MISSION = frozenset("訪問 調査 視察 使節 研修 派遣 交流 応援 見学 代表".split())
# Words that make a passage speak of sport: then a place and a katakana plural name a team.
_SPORT = re.compile(
    "チーム|球団|リーグ|試合|サッカー|野球|バスケ|バレー|ラグビー|ホッケー|ホームゲーム|選手|スタジアム|アリーナ"
)
# A Latin name in brackets after a word for a kind of body: 海外メディア(Daily Planet), 米紙(Evening Herald).
_BRACKETED_LATIN = re.compile(
    r"(?:メディア|紙|誌|新聞|通信社|企業|会社|団体|機関|組織|財団|政党|テレビ局|放送局|NGO|NPO)"
    r"\((?P<name>[A-Za-z][A-Za-z0-9 .&'\-]*[A-Za-z0-9.])\)"
)
_ALIAS = re.compile(r"\(([A-Za-z][A-Za-z0-9&.\-]{1,15})\)")  # 世界保健機関(WHO)
# A name's other name in brackets: (通称:みどネット), (愛称「こもれびん」), (略称 KDA).
_NICKNAME = re.compile(
    r"\((?:通称|愛称|略称|呼称)\s?[:：]?\s?[「『]?(?P<name>[^()「」『』:：、。\s]{1,24})[」』]?\)"
)
# An acronym with its name in brackets: STA(広域バス公社).
_ACRONYM_GLOSS = re.compile(r"(?<![A-Za-z0-9])(?P<acr>[A-Z][A-Z0-9&]{1,9})\((?P<name>[^()]{2,30})\)")
_GLOSS = re.compile(r"\s*\([^()]{1,20}\)\s*")
# …の会 standing alone: 仙台よみきかせの会が
_CIRCLE = re.compile(r"の会(?=[がはをにでとも、。・」)\s]|$)")
# A quoted title or slogan: short, with no comma or full stop
_QUOTED_TITLE = re.compile(r"「([^「」、。]{2,20})」")
# A name in brackets right after a word for a body: 総合支援センター(あおぞらベース).
_BRACKET_NAME = re.compile(r"\((?P<name>[^()\s、。:：「」]{2,15})\)")
_BODY_WORDS = ("センター", "協議会", "協会", "機構", "法人", "組合", "財団", "公社")
# A quoted name right after a word for a body names that body: 子育て応援センター「ぽかぽかひろば」.
_BODY_QUOTE = re.compile(
    r"(?:センター|協議会|協会|機構|組合|財団|公社|クラブ|法人)[「『](?P<name>[^「」『』\s、。]{2,20})[」』]"
)
_NAME_CHARS = re.compile(r"^[\w・ー々〆ヶ&]+$")
# Sudachi keeps some glosses in one token, alone or with the word after them: 江陵(カンヌン), 関西(かんさい)空港
_GLOSSED_TOKEN = re.compile(r"^\w+\(\w+\)\w*$")
# Particles that end a name written after a legal form (株式会社ゆきばら工務店が): the name goes on
# across hiragana only when the next word is hiragana too (さくら|や|ま is one name).
_NAME_STOPS = frozenset("が を に で へ と は も の から まで より や か ね よ など".split())
# What a name after a legal form may end with before の: ぬくもりの家, よみきかせの会.
_NO_NAMES = frozenset("家 会 郷 里 森 杜 丘 輪 園 館 舎".split())


@record(slots=True)
class Name:
    """An organisation or place found in a passage (passage offsets); note holds a gloss-free form."""

    kind: str  # "org" | "place"
    start: int
    end: int
    note: str | None = None
    site: bool = False  # a place named by a site's head (釧路川, JR福井駅): it wins over a body inside it


@record(slots=True)
class _Run:
    """Adjacent name-like tokens: a candidate for one or more names."""

    items: list[Token] = field(default_factory=list)
    quoted: bool = False
    org_key: bool = True  # whether a token may start or end an organisation's name (a legal form, a suffix)
    text: str = ""  # the passage


def _is_place_token(tok: Token) -> bool:
    """Whether Sudachi tags a token as a place name (名詞,固有名詞,地名)."""
    return bool(POS_FLAGS[tok.pos] & PLACE)


def _is_latin(text: str) -> bool:
    """Whether a text is a Latin word (ASCII with at least one letter)."""
    return bool(text) and text.isascii() and any(ch.isalpha() for ch in text)


def _is_katakana(text: str) -> bool:
    """Whether a text is all katakana."""
    return bool(text) and all("\u30a0" <= ch <= "\u30ff" for ch in text)


def _is_hiragana(text: str) -> bool:
    """Whether a text is all hiragana."""
    return bool(text) and all("\u3041" <= ch <= "\u309f" for ch in text)


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

# Runs are found on a string with one letter per long unit: N a name-like token, S one that is a
# person's name (read as N in runs; standing alone it may be a place the post names elsewhere), H
# one that ends like the head of a site (川, 公園, パーク) and is no other key, A a 形状詞 in kanji or kana
# that may join two of them, ( and ) a gloss's brackets, ・ a 中黒, & or ヶ, x anything else. Every
# rule below starts from a key token. K is a name-like key by its surface (区 or 市, 大字, a legal form, a
# word ending in an organisation's suffix or a site's head): it needs a neighbour to make a name. P is
# a name-like key on its own: a place or a person's name, or a word with short units that is a
# proper noun, starts with a place or is a key by its surface; Q is a P that is a key by its surface
# too. B is an A that is a key of either kind. Stretches of tokens without x that hold no P, Q or B,
# and no K or H with a neighbour, hold no name and are never looked at; an organisation needs a key
# by its surface (K, Q or B), a site a head (H, or a K, P or Q that ends like one).
_KEY_SURFACES = frozenset({"区", "市", "郡", "町", "村", "州", "大字", "字"}) | _LEGAL_PREFIXES
# a site's head may be cut into words (ボール|パーク, 八幡|宮): every ending of a head is a key
# (小, 中 and 高 end a school's name only as suffixes of their own: 湯沢|北|小, not 集中 or 最高)
_KEY_ENDINGS = tuple(s for s in _SUFFIX_CLASS if s not in _ORG_SHORT)
_HEAD_ENDINGS = (*_SITE_HEADS, *_SITE_HEADS_1, "宮", "パーク", "工場", "地帯")
_STRETCH = re.compile(r"[^x]*(?:[PQB]|[^x][KH]|[KH][^x])[^x]*")
_ORG_KEY = re.compile("[KQB]")
_ANY_KEY = re.compile("[KHPQB]").search
_MAX_SURFACES = 200_000  # surfaces remembered before the tables start afresh
_JOINERS = frozenset(("・", "&", "＆", "ヶ", "ケ", "=", "＝"))


def _letter(pos: tuple[str, ...], surface: str, parted: bool) -> str:
    """The letter of a long unit with this part of speech and surface (parted: it has short units)."""
    flags = POS_FLAGS[pos]
    by_surface = (
        surface in _KEY_SURFACES
        or surface.endswith(_KEY_ENDINGS)
        or (surface in _ORG_SHORT and pos[0] == "接尾辞")
        or _short_school_word(surface)  # 湯沢|南高
        or (parted and ("議会" in surface or "市会" in surface))  # 市議会議員: a council in a job title
    )
    alone = bool(flags & PLACE) or (parted and (by_surface or bool(flags & PROPER)))
    if flags & PERSON and not parted and len(surface) >= 3 and surface[-1] in "川山島湾":
        alone = True  # 那珂川, tagged as a surname: a river unless a title or honorific goes with it
    if _name_like(flags, surface):
        if alone:
            return "Q" if by_surface else "P"
        if by_surface:
            return "K"
        if surface.endswith(_HEAD_ENDINGS):
            return "H"
        return "S" if flags & PERSON else "N"
    if flags & ADJ and (_is_kanji(surface) or _is_hiragana(surface)):
        return "B" if alone or by_surface else "A"
    if surface in ("(", "（"):
        return "("
    if surface in (")", "）"):
        return ")"
    if surface in _JOINERS:
        return "・"
    return "x"


# surface -> part of speech -> letter, for long units without (_LETTERS) and with short units
_LETTERS: dict[str, dict[tuple[str, ...], str]] = {}
_PARTED_LETTERS: dict[str, dict[tuple[str, ...], str]] = {}


def _learn(table: dict[str, dict[tuple[str, ...], str]], tok: Token, parted: bool) -> str:
    """Work out the letter of a token's surface and part of speech and remember it in table."""
    if len(table) >= _MAX_SURFACES:
        table.clear()
    letter = _letter(tok.pos, tok.surface, parted)
    if parted and letter in "NHSA":  # a word with short units that starts with a place is a key on its own
        for p in tok.parts:
            if p.end > p.start:  # the first short unit with text
                if POS_FLAGS[p.pos] & PLACE:
                    letter = "B" if letter == "A" else "P"
                break
    table.setdefault(tok.surface, {})[tok.pos] = letter
    return letter


def unit_letters(tokens: Sequence[Token]) -> tuple[list[Token], str]:
    """A passage's non-empty long units and their letters, one each (empty tokens carry no text).

    Letters are remembered by surface and part of speech (a word's short units follow from both)."""
    table, parted = _LETTERS, _PARTED_LETTERS
    while True:
        try:
            letters = "".join(
                [(parted if t.parts else table)[t.surface][t.pos] if t.end > t.start else "" for t in tokens]
            )
            break
        except KeyError:  # a unit not seen before
            for t in tokens:
                if t.end > t.start and t.pos not in (parted if t.parts else table).get(t.surface, ()):
                    _learn(parted if t.parts else table, t, parted=bool(t.parts))
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
    runs.append(_Run(items, quoted and first.start > 0 and last.end < len(text), org_key, text))


def _runs_in(text: str, longs: list[Token], letters: str, i: int, n: int, runs: list[_Run]) -> None:
    """Split longs[i:n], a stretch without x, into runs of name-like tokens (glosses and 中黒 kept inside)."""
    items: list[Token] = []
    begin = i  # where the current run starts in longs
    while i < n:
        tok = longs[i]
        c = letters[i]
        if c in "NKHPQS" or (
            c in "AB" and items and i + 1 < n and letters[i + 1] in "NKHPQS" and longs[i + 1].start == tok.end
        ):
            if items and not _joined(text, items[-1], tok):
                _close(text, items, bool(_ORG_KEY.search(letters, begin, i)), runs)
                items = []
            if not items:
                begin = i
            items.append(tok)
            i += 1
            continue
        # a gloss: ソンパ(松坡)区役所, 清州(チョンジュ)空港 -- the run goes on across the brackets
        if c == "(" and items and items[-1].end == tok.start:
            j = i + 1
            while j < n and j - i <= 4 and letters[j] != ")":
                j += 1
            if (
                j + 1 < n
                and j > i + 1
                and letters[j] == ")"
                and longs[j + 1].start == longs[j].end
                and letters[j + 1] in "NKHPQS"
                and not letters[i + 1 : j].strip("NKHPQS")
            ):
                items.append(longs[j + 1])
                i = j + 2
                continue
        # a 中黒, & or ヶ between two nouns: ワーク・ライフ・バランス, 霞ヶ浦
        if (
            c == "・"
            and items
            and items[-1].end == tok.start
            and i + 1 < n
            and longs[i + 1].start == tok.end
            and letters[i + 1] in "NKHPQS"
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
    """Whether two tokens belong to one name: adjacent, or Latin words one space apart (Daily Planet)."""
    if a.end == b.start:
        return True
    return b.start - a.end == 1 and text[a.end] == " " and _is_latin(a.surface) and _is_latin(b.surface)


def _gloss_free(surface: str) -> str | None:
    """The name without a reading or gloss in brackets (清州(チョンジュ)空港 -> 清州空港), or None if none."""
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
    """Whether a town's name starts a katakana proper name: 岡崎ライトレール, 静岡ドーム, 「ながのレポ」."""
    if end != tok.end or POS_FLAGS[tok.pos] & COUNTRY or j >= len(items) or items[j].start != end:
        return False
    return _is_katakana(items[j].surface) and all(_is_katakana(t.surface) for t in items[j:])


def _extend_place(items: list[Token], j: int, end: int) -> tuple[int, int]:
    """Extend a place with what may follow it in the run: 市/区 (フエ市, 杉並区政 -> 杉並区), 15区, 駅/空港."""
    n = len(items)
    if j < n:
        nxt = items[j]
        if nxt.surface in _HEAD_LOCATIVES and nxt.start == end:
            return j + 1, nxt.start + 1  # 吉井|川沿い -> 吉井川, 東京|湾岸 -> 東京湾
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
            j, end = j + 2, items[j + 1].end  # 大阪24区
        elif nxt.surface in _ADMIN_WORDS:
            j, end = j + 1, nxt.end  # 寧夏自治区
        elif nxt.surface in ("南道", "北道"):
            j, end = j + 1, nxt.end  # 慶尚|北道: a province of Korea
        elif nxt.surface == "広域" and j + 1 < n and items[j + 1].surface == "市":
            j, end = j + 2, items[j + 1].end  # 大邱広域市
    if j < n:
        nxt = items[j]
        if nxt.surface in _STATIONS:
            j, end = j + 1, nxt.end
        elif nxt.surface == "国際" and j + 1 < n and items[j + 1].surface == "空港":
            j, end = j + 2, items[j + 1].end
    return j, end


def _admin_segments(tok: Token) -> list[tuple[int, int]]:
    """A place word cut after its administrative suffixes: 長野県上田市 -> 長野県, 上田市; 中央区日本橋 -> 中央区, 日本橋."""
    if not tok.parts:
        return [(tok.start, tok.end)]
    parts = [p for p in tok.parts if p.end > p.start]
    out: list[tuple[int, int]] = []
    start = tok.start
    for k, p in enumerate(parts[:-1]):
        if p.surface in _ADMIN_SPLIT and k > 0 and POS_FLAGS[parts[k - 1].pos] & PLACE:
            if POS_FLAGS[parts[k + 1].pos] & (PLACE | PROPER) or parts[k + 1].surface in _EXTRA_PLACES:
                out.append((start, p.end))
                start = p.end
    out.append((start, tok.end))
    return out


def _ends_admin(tok: Token) -> bool:
    """Whether a place word ends with an administrative suffix (上田市, 長野県上田市, 中央区)."""
    if tok.surface[-1:] not in _ADMIN_SPLIT:
        return False
    return not tok.parts or tok.parts[-1].surface in _ADMIN_SPLIT


def _head_of(tok: Token) -> str | None:
    """The head of a site a token ends with (川, 公園, アリーナ), aligned to its short units."""
    surface = tok.surface
    if surface[-1:] not in _HEAD_ENDS:
        return None
    if surface in _SITE_HEADS_1:
        return surface
    parts = tok.parts
    if parts and parts[-1].surface in _SITE_HEADS_1:
        return parts[-1].surface
    for head in _HEADS_BY_LAST.get(surface[-1:], ()):
        if surface.endswith(head):
            if head in _KANA_HEADS or not parts or surface == head:
                return head
            cut = tok.end - len(head)
            if any(p.start == cut for p in parts):
                return head
    return None


def _may_head(surface: str) -> bool:
    """Whether a word may end a site's name: it ends with a head, or is the last word of one that
    Sudachi cut in two (宮 of 八幡|宮, パーク of ボール|パーク)."""
    if surface[-1:] not in _HEAD_ENDS:
        return False
    if surface[-1] in _SITE_HEADS_1 or surface.endswith(_SITE_HEADS):
        return True
    return (len(surface) >= 2 or surface == "宮") and any(h.endswith(surface) for h in _SITE_HEADS)


_MAY_HEAD: dict[str, bool] = {}  # surface -> _may_head(surface)


def _head_in(items: list[Token], i: int, k: int, text: str) -> str | None:
    """The head of a site that items[i..k] end with: in the last token, or across the last tokens
    (熊野|八幡|宮, ボール|パーク)."""
    head = _head_of(items[k])
    if head is not None or k == i:
        return head
    last = items[k].surface
    if len(last) < 2 and last != "宮":
        return None
    span = text[items[i].start : items[k].end]
    for head in _HEADS_BY_LAST.get(last[-1:], ()):
        if len(head) > len(last) and span.endswith(head):
            cut = items[k].end - len(head)
            if any(t.start == cut for t in items[i : k + 1]):
                return head
    return None


def _site_start(tok: Token, stems: Container[str] = ()) -> bool:
    """Whether a token may start the name of a site: a place, a proper noun, a katakana or Latin name, or
    a name the post gave as a place (stems)."""
    flags = POS_FLAGS[tok.pos]
    surface = tok.surface
    if surface in stems:
        return True
    if flags & (PLACE | PROPER):  # (not a body: 米軍基地 is no one site)
        return surface not in _PLACE_STOP and not _is_hiragana(surface) and surface[-1] not in "軍隊省庁党"
    if surface in _EXTRA_PLACES:
        return True
    if _is_katakana(surface):
        return len(surface) >= 3 and surface not in _KATAKANA_GENERIC and _head_of(tok) is None
    return surface.isascii() and surface.isupper() and 2 <= len(surface) <= 4  # an operator: JR


def _site_at(items: list[Token], i: int, text: str) -> int:
    """The index of the token that ends the site starting at items[i] (JR福井駅, 弁天山公園), or -1."""
    best = -1
    first = items[i]
    for k in range(i, min(len(items), i + _SITE_SPAN)):
        tok = items[k]
        if k > i:
            if POS_FLAGS[tok.pos] & ADVERBIAL and not POS_FLAGS[tok.pos] & PROPER:
                break
            if tok.start != items[k - 1].end and (best >= 0 or POS_FLAGS[items[k - 1].pos] & PLACE):
                break  # 小豆島・直島, 四国・中国: a list of places, not one
        head = _head_in(items, i, k, text)
        if head is None or (k == i and tok.surface == head):
            continue
        if head == "市場" and POS_FLAGS[first.pos] & COUNTRY:
            continue  # 韓国市場 is an economy, not a market hall
        best = k
    if best < 0 and len(first.surface) >= 3 and POS_FLAGS[first.pos] & PERSON and not first.parts:
        if first.surface[-1] in "川山島湾":
            return i  # 那珂川, tagged as a surname: a river where no title or honorific makes it a person
    return best


def _person_context(text: str, tok: Token, nxt: Token | None) -> bool:
    """Whether a name is a person's: a given name or an honorific follows (村井さん, 高田議員), or, for a
    surname, です (議員の村井です)."""
    if nxt is not None and nxt.start == tok.end and POS_FLAGS[nxt.pos] & PERSON:
        return True
    if text[tok.end : tok.end + 1] not in _PERSON_AFTER_FIRST:
        return False
    if POS_FLAGS[tok.pos] & PERSON and _SELF_INTRO.match(text, tok.end):
        return True
    return bool(_PERSON_AFTER.match(text, tok.end))


def _region_before(prev: Token, tok: Token, text: str) -> bool:
    """Whether the place before a word is a province or prefecture written against it, or a country
    joined to it by ・ (江原道|太白市, 韓国・太白市): then the word and 市 or 郡 name a municipality."""
    if not POS_FLAGS[prev.pos] & PLACE:
        return False
    if prev.end == tok.start:
        return prev.surface[-1] in "道県省州府"
    return text[prev.end : tok.start] == "・" and bool(POS_FLAGS[prev.pos] & COUNTRY)


def _places_in_run(run: _Run, stems: set[str] | None = None) -> list[Name]:
    """Places in one run of nouns: place names with their suffixes, sites, 韓国人 -> 韓国.

    ``stems`` are the names the post gave as places with a suffix where Sudachi has no place tag for
    them (太白 of 江原道太白市): they may start a site (太白湖公園); new ones are added to it.

    The run is read from left to right in steps; each step looks at the tokens from one position
    on, adds the places they name and says where the next step starts: a site up to its head, else a
    place word with what follows it, else a word that a suffix or a context makes a place, else a
    compound word with a place inside it."""
    items = run.items
    text = run.text
    first = items[0]
    if len(items) == 1 and not first.parts and POS_FLAGS[first.pos] & PLACE:
        return _lone_place(first, text)  # the common case: one word
    out: list[Name] = []
    headed = _may_hold_site(items)
    n = len(items)
    i = 0
    while i < n:
        tok = items[i]
        place = POS_FLAGS[tok.pos] & PLACE
        if place and tok.parts and tok.parts[0].surface in _STATION_AREA:
            i += 1  # 駅前通り: the area around any station
            continue
        if headed:
            after = _site_from(items, i, text, stems, out)
            if after > 0:
                i = after
                continue
        if place:
            i = _place_from(items, i, text, out)
            continue
        after = _place_by_context(items, i, text, stems, out)
        if after > 0:
            i = after
            continue
        if tok.parts:
            _place_in_word(items, i, out)
        i += 1
    return out


def _lone_place(tok: Token, text: str) -> list[Name]:
    """The place a run of one place word names: none when the word is hiragana, a person's name
    (村井さん) or the councillor's word for the own town (本町でも)."""
    if _is_hiragana(tok.surface) or _person_context(text, tok, None):
        return []
    if tok.surface in _DEICTIC_PLACES and text[tok.start - 1 : tok.start] != "の":
        return []  # 本町でも: "this town" (大阪の本町 is a district)
    return [Name("place", tok.start, tok.end)]


def _may_hold_site(items: list[Token]) -> bool:
    """Whether a run may name a site: one of its words ends like a head (八幡|宮 and ボール|パーク end
    like 八幡宮, パーク). A site needs a head, so a run without one is read for other places only."""
    for t in items:
        if t.surface[-1] not in _HEAD_ENDS:
            continue
        may = _MAY_HEAD.get(t.surface)
        if may is None:
            if len(_MAY_HEAD) >= _MAX_SURFACES:
                _MAY_HEAD.clear()
            may = _MAY_HEAD[t.surface] = _may_head(t.surface)
        if may:
            return True
    return False


def _site_from(items: list[Token], i: int, text: str, stems: set[str] | None, out: list[Name]) -> int:
    """A site starting at items[i]: a name and what follows it up to a head (釧路川, JR福井駅,
    大垣市西部清掃工場), added to out; returns where the next step starts, or -1 when no site starts
    here. A town before another name is a place of its own (上田市|弁天山公園), a surname followed by
    an honorific or after a title a person (村井川さん), and a site before an event's name is none."""
    tok = items[i]
    flags = POS_FLAGS[tok.pos]
    nxt = items[i + 1] if i + 1 < len(items) else None
    place = flags & PLACE
    if not _site_start(tok, stems or ()) or (
        place
        and _ends_admin(tok)
        and nxt is not None
        and nxt.start == tok.end
        and _site_start(nxt, stems or ())
    ):
        return -1
    if flags & PERSON and (_person_context(text, tok, nxt) or _TITLE_BEFORE.search(text, 0, tok.start)):
        return -1
    k = _site_at(items, i, text)
    if k < 0 or _is_event(items, k + 1, items[k].end):
        return -1
    start = _admin_start(tok, out) if place else tok.start
    if start == tok.start and i > 0 and _joins_site(items[i - 1], tok, bool(place)):
        start = items[i - 1].start  # 東南アジア; 金|沢駅, a fragment Sudachi split off
    out.append(Name("place", start, items[k].end, site=True))
    return k + 1


def _admin_start(tok: Token, out: list[Name]) -> int:
    """Where the last administrative area of a place word starts (上田市 of 長野県上田市); the areas
    before it are added to out as places of their own (長野県)."""
    segments = _admin_segments(tok)
    if len(segments) > 1:
        out.extend(Name("place", a, b) for a, b in segments[:-1])
    return segments[-1][0]


def _split_fragment(prev: Token, tok: Token) -> bool:
    """Whether prev is one kanji that Sudachi split off the name that tok goes on with (金|沢駅)."""
    return (
        prev.end == tok.start
        and len(prev.surface) == 1
        and bool(POS_FLAGS[prev.pos] & COMMON)
        and _is_kanji(prev.surface)
    )


def _joins_site(prev: Token, tok: Token, place: bool) -> bool:
    """Whether the word before a site's first word starts the site's name: a direction written against
    it (東南アジア) or, when the first word is no place, a fragment split off it (金|沢駅)."""
    if prev.end == tok.start and prev.surface in _DIRECTION_BEFORE:
        return True
    return not place and _split_fragment(prev, tok)


def _place_from(items: list[Token], i: int, text: str, out: list[Name]) -> int:
    """The place that the place word items[i] names with what follows it in the run (フエ市, 大阪24区,
    アジア太平洋), added to out; returns where the next step starts."""
    tok = items[i]
    nxt = items[i + 1] if i + 1 < len(items) else None
    passed = _no_place_at(items, i, text, nxt)
    if passed:
        return i + passed
    start = _place_start(items, i, text, out)
    if nxt is None:
        out.append(Name("place", start, tok.end))
        return i + 1
    if nxt.start == tok.end and nxt.surface.endswith("洋") and POS_FLAGS[nxt.pos] & PLACE:
        out.append(Name("place", start, nxt.end))  # アジア太平洋: one region
        return i + 2
    j, end = _extend_place(items, i + 1, tok.end)
    if (
        not _is_event(items, j, end)
        and not (tok.parts and any(p.surface in _EVENTS for p in tok.parts))
        and not _brand(tok, items, j, end)
    ):
        out.append(Name("place", start, end))
    return max(j, i + 1)


def _no_place_at(items: list[Token], i: int, text: str, nxt: Token | None) -> int:
    """How many tokens from the place word items[i] on name no place (0 when it names one): a hiragana
    word without its suffix, a person's name, a product named after its place, a part of the place
    before it."""
    tok = items[i]
    surface = tok.surface
    if "\u3041" <= surface[0] <= "\u309f" and _is_hiragana(surface):
        if not (nxt is not None and nxt.surface in _ADMIN):
            return 1  # にほん, みなと: a hiragana word is a place only with its suffix (むつ市)
    if (
        (text[tok.end : tok.end + 1] in _PERSON_AFTER_FIRST or nxt is not None)
        and _person_context(text, tok, nxt)
        and not (nxt is not None and nxt.surface[:1] in _ADMIN)
    ):
        return 1
    if nxt is not None and nxt.start == tok.end and nxt.surface in _PRODUCTS:
        return 2  # 魚沼米, 吉野杉
    if i > 0 and surface in _DIRECTION_AFTER and POS_FLAGS[items[i - 1].pos] & PLACE:
        return 1  # タイ北部
    return 0


def _place_start(items: list[Token], i: int, text: str, out: list[Name]) -> int:
    """Where the place that the place word items[i] names starts: at its last administrative area
    (the ones before it are added to out), or at the word before it when that joins it."""
    tok = items[i]
    start = _admin_start(tok, out) if tok.parts else tok.start
    if i > 0 and start == tok.start:
        before = items[i - 1]
        if text[before.end : tok.start] in ("=", "＝") and _is_katakana(before.surface):
            return before.start  # ノルトライン=ヴェストファーレン州
        if before.surface in _DIRECTION_BEFORE and before.end == tok.start:
            return before.start  # 西荻窪, 東南アジア, 新白河
    return start


def _place_by_context(items: list[Token], i: int, text: str, stems: set[str] | None, out: list[Name]) -> int:
    """A place named by a word that is no place word, made one by the words around it (ソンパ区,
    江原道|太白|市, 白鷺|国際|空港, 大字長倉), added to out; returns where the next step starts, or -1.
    A common word that a region before it and 市 after it make a city is added to stems."""
    tok = items[i]
    flags = POS_FLAGS[tok.pos]
    n = len(items)
    nxt = items[i + 1] if i + 1 < n else None
    if (
        nxt is not None
        and nxt.surface in ("区", "市", "郡", "町", "州")
        and (_is_katakana(tok.surface) or flags & PROPER)
        and not flags & PERSON
    ):
        out.append(Name("place", tok.start, nxt.end))  # ソンパ区
        return i + 2
    if (
        nxt is not None
        and nxt.surface in ("市", "郡", "区")
        and nxt.start == tok.end
        and flags & COMMON
        and len(tok.surface) >= 2
        and _is_kanji(tok.surface)
        and i > 0
        and _region_before(items[i - 1], tok, text)
    ):
        out.append(Name("place", tok.start, nxt.end))  # 江原道|太白|市: a city named by a common word
        if stems is not None:
            stems.add(tok.surface)
        return i + 2
    if (
        flags & COMMON
        and i + 2 < n
        and items[i + 1].surface == "国際"
        and items[i + 2].surface == "空港"
        and len(tok.surface) >= 2
        and _is_kanji(tok.surface)
        and tok.surface not in _WEAK
        and tok.end == items[i + 1].start
    ):
        out.append(Name("place", tok.start, items[i + 2].end, site=True))  # 白鷺|国際|空港
        return i + 3
    if i > 0 and items[i - 1].surface in ("大字", "字") and flags & (PROPER | PLACE):
        out.append(Name("place", tok.start, tok.end))  # 大字長倉: a district of an address
        return i + 1
    return -1


def _place_in_word(items: list[Token], i: int, out: list[Name]) -> None:
    """The place that the compound word items[i] names, added to out: a station, line or airport
    (福井駅, 山手線, 那覇空港), or the place it starts with before a tail (韓国人 -> 韓国)."""
    tok = items[i]
    parts = [p for p in tok.parts if p.end > p.start]
    if parts and POS_FLAGS[tok.pos] & PROPER and parts[-1].surface in _STATIONS:
        start = tok.start
        if i > 0 and _split_fragment(items[i - 1], tok):
            start = items[i - 1].start  # 金|沢駅 for 金沢駅
        out.append(Name("place", start, tok.end))  # 福井駅, 山手線, 那覇空港
    elif parts and _is_place_token(parts[0]) and "".join(p.surface for p in parts[1:]) in _PLACE_TAILS:
        end = parts[0].end
        tail = parts[1].surface
        if len(tail) >= 2 and tail[0] in _ADMIN and tail[1] in _ADMIN_TAIL:
            end += 1  # 東京|都内 -> 東京都
        out.append(Name("place", parts[0].start, end))  # 韓国人 -> 韓国, 日本国内 -> 日本


# ------------------------------------------------------------------------------------------------ orgs


def _suffix_of(tok: Token) -> tuple[str, int] | None:
    """The organisation suffix a token ends with (aligned to its short units: 協議|会, not 同窓会) and
    where it ends; a council inside a job title ends before the title (刈谷|市|議会|議員)."""
    surface = tok.surface
    if not tok.parts:
        if surface[-1:] not in _SUFFIXES_BY_LAST:
            return None
        by_pos = _SUFFIX_CACHE.get(surface)
        if by_pos is None:
            if len(_SUFFIX_CACHE) >= _MAX_SURFACES:
                _SUFFIX_CACHE.clear()
            by_pos = _SUFFIX_CACHE[surface] = {}
        if tok.pos in by_pos:
            found = by_pos[tok.pos]
        else:  # the end is stored relative to the token's end
            got = _suffix_in(tok)
            found = by_pos[tok.pos] = None if got is None else (got[0], got[1] - tok.end)
        return None if found is None else (found[0], found[1] + tok.end)
    return _suffix_in(tok)


# unparted surface -> part of speech -> (suffix, its end less the token's end), or None
_SUFFIX_CACHE: dict[str, dict[tuple[str, ...], tuple[str, int] | None]] = {}


def _suffix_in(tok: Token) -> tuple[str, int] | None:
    """_suffix_of, worked out."""
    surface = tok.surface
    candidates = _SUFFIXES_BY_LAST.get(surface[-1:])
    starts = {p.start for p in tok.parts} if tok.parts else {tok.start}
    if candidates:
        for suffix in candidates:
            if surface.endswith(suffix) and tok.end - len(suffix) in starts:
                if surface == suffix and suffix in _ORG_SHORT and tok.pos[0] != "接尾辞":
                    continue  # 小 of 小ドイツ is a prefix: 小, 中 and 高 end a school only as suffixes
                return suffix, tok.end
        if not tok.parts and POS_FLAGS[tok.pos] & PROPER:
            for suffix in candidates:  # エナジー社: a katakana name glued to its suffix
                head = surface[: -len(suffix)]
                if surface.endswith(suffix) and len(head) >= 2 and (_is_katakana(head) or _is_latin(head)):
                    return suffix, tok.end
    if not tok.parts and _short_school_word(surface):
        return surface[1], tok.end  # 南高: the school word inside a word of its own
    if tok.parts and len(tok.parts) > 2 and tok.parts[-1].surface in _TITLE_TAILS:
        inner = tok.parts[-1].start
        head = surface[: inner - tok.start]
        for suffix in ("議会", "市会"):
            if head.endswith(suffix) and inner - len(suffix) in starts:
                return suffix, inner
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


def _org_ok(
    items: list[Token], start_i: int, k: int, suffix: str, end: int, places: list[Name], quoted: bool
) -> bool:
    """Whether the tokens start_i..k, the suffix ending at end, make an organisation's name."""
    cls = _SUFFIX_CLASS[suffix]
    suffix_start = end - len(suffix)
    proper = generic = named = names = affixes = 0
    last_proper = ordinal = False
    last: Token | None = None
    for unit, proper_long in _modifier_units(items[start_i:], k - start_i, suffix_start):
        flags = POS_FLAGS[unit.pos]
        surface = unit.surface
        if surface == "第":
            ordinal = True
        if (
            flags & PROPER
            or (proper_long and cls != "company")
            or any(p.start <= unit.start and unit.end <= p.end for p in places)
            or (surface.isascii() and _is_latin(surface))
            or ("(" in surface and _gloss_free(surface))
            or (cls in ("proper", "company") and suffix.endswith("社") and _is_katakana(surface))
        ):
            proper += 1
            last_proper = True
        elif flags & (NUMERAL | SUFFIX | PREFIX) or surface in _WEAK:
            affixes += bool(flags & SUFFIX)
            last_proper = False
        else:
            generic += 1
            if surface not in _SCHOOL_KINDS:
                named += len(surface)
                names += 1
            last_proper = False
        last = unit
    if suffix in _MILITARY and ordinal:
        return True  # 第12旅団
    if cls == "short":  # 湯沢北小, 盛岡一高, 松本高 (a place and 中 alone is 日本中: all over Japan)
        units = [u for u, _ in _modifier_units(items[start_i:], k - start_i, suffix_start)]
        if _short_school_word(items[k].surface) and suffix_start == items[k].start + 1:
            return bool(units) and bool(POS_FLAGS[units[-1].pos] & (PLACE | PROPER))  # 湯沢|南高
        if len(units) >= 2 and units[-1].surface in _SHORT_MIDDLE:
            return bool(POS_FLAGS[units[-2].pos] & PLACE or any(p.end == units[-1].start for p in places))
        return suffix != "中" and bool(units) and bool(POS_FLAGS[units[-1].pos] & (PLACE | PROPER))
    if suffix == "団" and last is not None and last.surface in _MISSION:
        return False  # 訪問団, 調査団: a group for one trip
    if cls == "company":
        return last_proper
    if cls == "strong":
        return proper + generic >= 1
    if cls == "proper":
        return proper >= 1 or (quoted and suffix == "クラブ" and generic >= 1)  # 「市民・みらいクラブ」
    if cls == "school":  # 東湖大学, 奥|陵医科大学; not 総合学科型単位制高校 (a kind of school)
        return proper >= 1 or (named >= 2 and names <= 2 and not affixes)
    return proper >= 1 or generic >= 2 or (quoted and generic >= 1)


def _org_start(items: list[Token], first: int) -> int:
    """Where an organisation's name starts in items from first: past junk (旧, 今回, numerals, a person's
    name before a place) and past a prefecture in front of a municipality (福島県|会津若松市議会)."""
    n = len(items)
    while first < n - 1:
        tok = items[first]
        flags = POS_FLAGS[tok.pos]
        if (flags & (ADVERBIAL | NUMERAL) and not flags & PROPER) or tok.surface in _LEADING_JUNK:
            first += 1
        elif tok.surface in _ERAS or (
            first > 0
            and POS_FLAGS[items[first - 1].pos] & NUMERAL
            and (flags & COUNTER or tok.surface in _DATE_WORDS)
        ):
            first += 1  # 令和7年度|杉並区議会, 2025年6月|…: a date before the name
        elif (
            tok.surface == "第"
            and first + 2 < n
            and POS_FLAGS[items[first + 1].pos] & NUMERAL
            and POS_FLAGS[items[first + 2].pos] & COUNTER
        ):
            first += 3  # 第4回|杉並区議会 (第2空挺団 is a name: 空挺 counts nothing)
        elif flags & PERSON and not flags & PLACE and POS_FLAGS[items[first + 1].pos] & PLACE:
            first += 1
        else:
            break
    return first


def _prefecture_cut(items: list[Token], first: int, k: int) -> int:
    """The start of a municipal body's name after a prefecture (福島県会津若松市議会 -> 会津若松市議会), or -1."""
    tok = items[first]
    if POS_FLAGS[tok.pos] & PLACE:
        segments = _admin_segments(tok)
        if len(segments) > 1 and first < k:
            return segments[-1][0]
        if (
            len(segments) == 1
            and tok.surface[-1:] in "県都府道"
            and first + 1 < k
            and POS_FLAGS[items[first + 1].pos] & PLACE
            and (
                items[first + 1].surface[-1:] in _MUNICIPAL | {"郡"}
                or items[first + 2].surface[:1] in _MUNICIPAL  # 岩手県|奥州|市議会議員
            )
        ):
            j = first + 1
            while j + 1 < k and items[j].surface[-1:] == "郡" and POS_FLAGS[items[j + 1].pos] & PLACE:
                j += 1
            return items[j].start
    return -1


def _org_in(
    text: str, items: list[Token], places: list[Name], passage_start: bool, quoted: bool
) -> Name | None:
    """The organisation a run of nouns names, if any: the longest span ending in a suffix."""
    first = 0
    if passage_start and len(items) > 1 and len(items[0].surface) == 1 and items[0].surface.isascii():
        first = 1  # Q/A markers
    first = _org_start(items, first)
    if first >= len(items):
        return None
    for k in range(first, len(items)):
        legal = items[k].surface
        if legal not in _LEGAL_PREFIXES:
            continue
        if k > first and items[k - 1].surface + legal in _LEGAL_PREFIXES:
            legal, k = items[k - 1].surface + legal, k - 1  # 地方|独立行政法人
        if k + 1 < len(items) and not POS_FLAGS[items[k + 1].pos] & SUFFIX:  # 株式会社ABC, not 株式会社等
            end = len(items)
            for j in range(k + 1, len(items)):  # a list goes on after a 中黒: 株式会社A・B株式会社
                if items[j].start != items[j - 1].end:
                    end = j
                    break
            while end > k + 1 and items[end - 1].surface in _ROLE_TAILS:
                end -= 1
            if end > k + 1:
                return Name("org", items[k].start, items[end - 1].end)
    for k in range(len(items) - 1, first - 1, -1):
        found = _suffix_of(items[k])
        if found is None or (
            _is_place_token(items[k])
            and found[1] == items[k].end
            and (not items[k].parts or POS_FLAGS[items[k].parts[0].pos] & PLACE)
        ):
            continue  # 広東省 is a province (医療センター, tagged as a place too, is a body)
        suffix, end = found
        if (
            items[k].surface == suffix
            and k > 0
            and POS_FLAGS[items[k - 1].pos] & NUMERAL
            and not (k > 1 and items[k - 2].surface == "第")
        ):
            continue  # 4社, 6団体: a counter (第9師団 is a name)
        if end - len(suffix) <= items[first].start:
            continue
        if not _org_ok(items, first, k, suffix, end, places, quoted):
            continue
        if _SUFFIX_CLASS[suffix] == "company" and k + 1 < len(items) and _head_of(items[k + 1]):
            continue  # 大村航空|基地: the company word is part of a site's name
        start = items[first].start
        cut = _prefecture_cut(items, first, k)
        if cut > 0:
            start = cut
        if (
            end == items[k].end and text[start:end] in _GENERIC_BODIES
        ):  # 教育委員会 (刈谷市議会|議員 has a name)
            return None
        return Name("org", start, end)
    return None


def _dot_segments(items: list[Token], text: str) -> list[list[Token]]:
    """The tokens of a run cut at each 中黒 between them (not at & or ヶ, which join one name)."""
    segments: list[list[Token]] = [[]]
    for a, b in zip(items, [*items[1:], None], strict=True):
        segments[-1].append(a)
        if b is not None and text[a.end : b.start] in ("・", "･"):
            segments.append([])
    return segments


def _orgs_in_run(run: _Run, places: list[Name], passage_start: bool) -> list[Name]:
    """The organisations a run of nouns names: one, or one per part of a list joined by ・ when every
    part is an organisation of its own (株式会社A・B協同組合, 自民党・公明党)."""
    items = run.items
    if len(items) > 1 and run.text.find("・", items[0].start, items[-1].end) >= 0:
        segments = _dot_segments(items, run.text)
        if len(segments) > 1:
            cut = len(segments[-1]) == 1 and segments[-1][0].surface in _LEGAL_PREFIXES
            if cut:
                segments.pop()  # A株式会社・株式会社|ゆきばら…: the last name goes on outside the run
            found = [
                _org_in(run.text, seg, places, passage_start and i == 0, False)
                for i, seg in enumerate(segments)
            ]
            if (len(found) > 1 or cut) and all(
                f is not None and f.end == seg[-1].end for f, seg in zip(found, segments, strict=True)
            ):
                return [f for f in found if f is not None]
    org = _org_in(run.text, items, places, passage_start, run.quoted or _group_sentence(run))
    return [org] if org is not None else []


def _group_sentence(run: _Run) -> bool:
    """Whether a run ending in クラブ stands in a sentence about council groups (会派): then a name of
    common words is a group's (自由民主党、みらいクラブ、公明党の各会派), as it is in quotes."""
    if not run.items[-1].surface.endswith("クラブ"):
        return False
    text = run.text
    start = text.rfind("。", 0, run.items[0].start) + 1
    end = text.find("。", run.items[-1].end)
    return "会派" in text[start : end if end >= 0 else len(text)]


# ------------------------------------------------------------------------------ names around the runs


def _legal_names(folded: str, idx: TokenIndex) -> list[Name]:
    """Names written after a legal form, hiragana included (株式会社ゆきばら工務店, NPO法人さくらやま…),
    and before (株)/㈱: ○○株式会社 is found by its suffix."""
    out: list[Name] = []
    longs = idx.longs
    for m in _LEGAL_RE.finditer(folded):
        i = idx.long_at(m.end())
        if i < 0 or not idx.is_short_boundary(m.start()):
            continue
        start = m.start()
        if m.start() >= 2 and folded[m.start() - 2 : m.start()] == "地方" and m.group() == "独立行政法人":
            start -= 2
        end = _name_after(longs, i)
        if end > m.end():
            out.append(Name("org", start, end))
    for m in _ABBREVIATED_FORM.finditer(folded):  # よしのがわ茶工房(株)
        j = idx.long_covering(m.start() - 1) if m.start() else None
        if j is None:
            continue
        begin = _name_before(longs, idx.long_at(j.start))
        if begin is not None and begin < m.start():
            out.append(Name("org", begin, m.end()))
    return out


def _name_after(longs: list[Token], i: int) -> int:
    """The end of a name that starts with longs[i]: nouns and the hiragana that Sudachi breaks names
    into, up to a particle before a non-hiragana word, a bracket or a sign."""
    end = -1
    n = len(longs)
    if POS_FLAGS[longs[i].pos] & SUFFIX:
        return end  # NPO法人化, 株式会社等: no name follows the legal form
    j = i
    while j < n and j - i < 12:
        tok = longs[j]
        if j > i and tok.start != longs[j - 1].end:
            break
        flags = POS_FLAGS[tok.pos]
        surface = tok.surface
        nxt = longs[j + 1] if j + 1 < n else None
        if surface == "の" and nxt is not None and nxt.surface in _NO_NAMES and end > 0:
            j += 1  # ぬくもりの家, みどりの森ネット
            continue
        if surface in _ROLE_TAILS:
            break  # 株式会社ABC社長, JA職員: a role, no part of the name
        if _name_like(flags, surface):
            end = tok.end
        elif end > 0 and _final_particle_in_name(longs, j):
            end = tok.end  # みず|ね|農園: a sentence-final particle cannot go on a sentence
        elif _is_hiragana(surface) and (
            surface not in _NAME_STOPS
            or (nxt is not None and _glued_kana(nxt))
            or (
                j > i
                and _is_hiragana(longs[j - 1].surface)
                and surface != "の"
                and _nouns_to_end(longs, j + 1)
            )
        ):
            pass  # さくら|や|ま, ゆき|ばら, よし|の|がわ|茶工房: pieces of one hiragana name
        elif surface in ("&", "ー") and nxt is not None and nxt.start == tok.end:
            pass
        else:
            break
        j += 1
    return end


def _final_particle_in_name(longs: list[Token], j: int) -> bool:
    """Whether longs[j], a sentence-final particle (ね, よ, わ) glued to a hiragana noun and followed by a
    case particle, a noun or a closing bracket, is a piece of a hiragana name Sudachi broke up: a
    particle that ends a sentence cannot stand inside one (合同会社みず|ね|農園, 株式会社こもれび|ね|が)."""
    tok = longs[j]
    if tok.pos[:2] != ("助詞", "終助詞") or not _is_hiragana(tok.surface) or j == 0:
        return False
    before = longs[j - 1]
    if before.end != tok.start or not _is_hiragana(before.surface) or not POS_FLAGS[before.pos] & NOUN:
        return False
    if j + 1 >= len(longs) or longs[j + 1].start != tok.end:
        return False
    nxt = longs[j + 1]
    return (
        nxt.pos[:2] in (("助詞", "格助詞"), ("助詞", "係助詞"))
        or _name_like(POS_FLAGS[nxt.pos], nxt.surface)
        or nxt.surface in ("」", "』", ")", "）")
    )


def _nouns_to_end(longs: list[Token], j: int) -> bool:
    """Whether longs[j:] up to a bracket, a sign or the end are nouns only (the rest of one name)."""
    seen = False
    while j < len(longs):
        tok = longs[j]
        if j > 0 and tok.start != longs[j - 1].end:
            return seen
        if _name_like(POS_FLAGS[tok.pos], tok.surface):
            seen = True
        else:
            return seen and tok.pos[0] == "補助記号"
        j += 1
    return seen


def _glued_kana(tok: Token) -> bool:
    """Whether a token after a hiragana particle goes on with the same hiragana name (さくらや|ま)."""
    if not _is_hiragana(tok.surface) or tok.surface in _NAME_STOPS:
        return False
    flags = POS_FLAGS[tok.pos]
    return not (tok.pos[0] in ("動詞", "助動詞", "形容詞") or flags & SUFFIX)


def _name_before(longs: list[Token], k: int) -> int | None:
    """Where a name that ends with longs[k] starts: back over nouns and glued hiragana to a noun."""
    start: int | None = None
    j = k
    while j >= 0 and k - j < 10:
        tok = longs[j]
        if j < k and tok.end != longs[j + 1].start:
            break
        if _name_like(POS_FLAGS[tok.pos], tok.surface):
            start = tok.start
        elif not (_is_hiragana(tok.surface) and tok.surface not in _NAME_STOPS):
            break
        j -= 1
    return start


def _clubs(idx: TokenIndex) -> list[Name]:
    """Clubs and companies whose name is a place and hiragana that Sudachi breaks up before the word
    (釧路みず|の|わロータリークラブ, 上田や|まゆりライオンズクラブ)."""
    out: list[Name] = []
    longs = idx.longs
    for k, tok in enumerate(longs):
        if not tok.surface.endswith(("ロータリークラブ", "ライオンズクラブ")) or k == 0:
            continue
        j = k - 1
        kana = 0
        while j >= 0 and longs[j].end == longs[j + 1].start and _is_hiragana(longs[j].surface):
            kana += len(longs[j].surface)
            j -= 1
        if not kana or kana > 6 or j < 0 or longs[j].end != longs[j + 1].start:
            continue
        flags = POS_FLAGS[longs[j].pos]
        if flags & (PLACE | PROPER) and not longs[j + 1].surface.startswith(("さん", "ちゃん", "くん")):
            first = j
            while (
                first > 0
                and longs[first - 1].end == longs[first].start
                and POS_FLAGS[longs[first - 1].pos] & (PLACE | PROPER)
            ):
                first -= 1
            out.append(Name("org", longs[first].start, tok.end))
    return out


def _teams(run: _Run, sport: bool) -> list[Name]:
    """Sports teams: a place or a name and a katakana plural (松江サンダーズ, オースティン・サンダーバーズ)
    where the passage speaks of sport."""
    items = run.items
    if not sport or len(items) < 2:
        return []
    last = items[-1].surface
    if not (_is_katakana(last) and len(last) >= 3 and last[-1] in "スズ"):
        return []
    j = len(items) - 1
    while j > 0 and _is_katakana(items[j - 1].surface) and not POS_FLAGS[items[j - 1].pos] & PLACE:
        j -= 1
    if j > 0 and POS_FLAGS[items[j - 1].pos] & (PLACE | PROPER):
        j -= 1
    elif not POS_FLAGS[items[j].pos] & (PLACE | PROPER):
        return []
    if j == len(items) - 1:
        return []
    return [Name("org", items[j].start, items[-1].end)]


def _aliases(folded: str, orgs: list[Name], places: list[Name]) -> list[Name]:
    """Other names written in brackets after a name: (通称:みどネット), (愛称「こもれびん」), (KDA), and the
    name after an acronym (STA(広域バス公社))."""
    out: list[Name] = []
    ends = {n.end: n.kind for n in orgs} | {
        n.end: n.kind for n in places if n.end not in {o.end for o in orgs}
    }
    for m in _NICKNAME.finditer(folded):
        pos = m.start()
        kind = ends.get(pos) or (ends.get(pos - 1) if folded[pos - 1 : pos] in "」』" else None)
        if kind is not None:
            out.append(Name(kind, m.start("name"), m.end("name")))
    for org in orgs:  # an acronym in brackets after an organisation: 全国防災技術協議会(ZBG)
        alias = _ALIAS.match(folded, org.end)
        if alias:
            out.append(Name("org", org.end + 1, org.end + 1 + len(alias.group(1))))
    for m in _ACRONYM_GLOSS.finditer(folded):
        inner = m.group("name")
        if any(o.start == m.start("name") and o.end == m.end("name") for o in orgs):
            out.append(Name("org", m.start("acr"), m.end("acr")))
        elif (
            _NAME_CHARS.match(inner) and inner.endswith(tuple(_SUFFIX_CLASS)) and inner not in _GENERIC_BODIES
        ):
            out.append(Name("org", m.start("acr"), m.end("acr")))  # STA(広域バス公社): both are its names
            out.append(Name("org", m.start("name"), m.end("name")))
    for m in _BRACKET_NAME.finditer(folded):  # 総合支援センター(あおぞらベース): the centre's own name
        name = m.group("name")
        if (
            folded.endswith(_BODY_WORDS, 0, m.start())
            and not _is_hiragana(name)
            and not any(ch.isdigit() for ch in name)
            and name not in ("仮称", "旧称", "略称", "通称", "愛称")
            and not _is_latin(name)
        ):
            out.append(Name("org", m.start("name"), m.end("name")))
    return out


# ----------------------------------------------------------------------------------------------- entry


def place_parts(tokens: Iterable[Token]) -> set[str]:
    """Surfaces Sudachi tags as place names anywhere in a post, including inside words (福井 in 福井駅)."""
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

    __slots__ = ("_tokens", "_surfaces", "stems")

    def __init__(self, tokens: Iterable[Iterable[Token]]) -> None:
        """Places of the given tokens (one token list per passage)."""
        self._tokens = tokens
        self._surfaces: set[str] | None = None
        self.stems: set[str] = set()  # names the rules found as places where Sudachi tags none (太白)

    def __contains__(self, surface: object) -> bool:
        """Whether Sudachi tags the surface as a place name somewhere in the post."""
        if self._surfaces is None:
            self._surfaces = place_parts(t for toks in self._tokens for t in toks)
        return surface in self._surfaces


def find_names(
    text: str, folded: str, idx: TokenIndex, known_places: Container[str], letters: str | None = None
) -> list[Name]:
    """Organisations and places in one passage (passage offsets, possibly overlapping each other).

    ``letters`` are the unit_letters of ``idx.longs`` when the caller has them already. Names come
    from the runs of nouns, then from the rules that a word in the passage calls for (a legal form,
    の会, 道の駅, という ...), the lists of well-known names, and quoted and bracketed names; the
    names found are then weighed against each other (a body inside a site is the site's)."""
    if letters is None:
        letters = unit_letters(idx.longs)[1]
    stems = known_places.stems if isinstance(known_places, KnownPlaces) else None
    orgs, places = _names_in_runs(text, idx.longs, letters, stems)
    _names_by_cue(text, folded, idx, letters, known_places, orgs, places)
    _known_names(text, folded, idx, orgs, places)
    if "「" in folded or "『" in folded:
        _quoted_names(folded, orgs, places)
    if "(" in folded:  # every pattern below needs a bracket
        for m in _BRACKETED_LATIN.finditer(folded):
            orgs.append(Name("org", m.start("name"), m.end("name")))
        for alias in _aliases(folded, orgs, places):
            (orgs if alias.kind == "org" else places).append(alias)
    # a body's name inside a site's (JR in JR福井駅, 富山工業 in 富山工業団地) is part of the place
    sites = [p for p in places if p.site] if orgs and places else None
    if sites:
        orgs = [o for o in orgs if not any(p.start <= o.start and o.end < p.end for p in sites)]
    if places and "から" in text:
        places.extend(_routes(text, idx, places, known_places))
    if places and "「" in folded:
        places = _outside_titles(folded, places)
    out = orgs + [p for p in places if text[p.start : p.end] not in _PLACE_STOP]
    if ")" in folded:
        out.extend(_trailing_glosses(folded, out))
    if "(" in text or "（" in text:  # without brackets no name has a gloss to drop
        for name in out:
            name.note = _gloss_free(text[name.start : name.end])
    return out


def _names_in_runs(
    text: str, longs: list[Token], letters: str, stems: set[str] | None
) -> tuple[list[Name], list[Name]]:
    """(organisations, places) named by the runs of nouns of a passage; a place inside a quoted name
    (「ながのレポ」, 「杉並区子育てプラン」) names no place of its own."""
    places: list[Name] = []
    orgs: list[Name] = []
    sport: bool | None = None
    for run in _runs(text, longs, letters):
        run_places = _places_in_run(run, stems)
        if run.org_key:
            orgs.extend(_orgs_in_run(run, run_places, run.items[0].start == 0))
        if len(run.items) > 1 and run.items[-1].surface[-1:] in "スズ":
            if sport is None:
                sport = bool(_SPORT.search(text))
            orgs.extend(_teams(run, sport))
        whole = (run.items[0].start, run.items[-1].end)
        if run.quoted and any((p.start, p.end) != whole for p in run_places):
            continue
        places.extend(run_places)
    return orgs, places


def _names_by_cue(
    text: str,
    folded: str,
    idx: TokenIndex,
    letters: str,
    known_places: Container[str],
    orgs: list[Name],
    places: list[Name],
) -> None:
    """Add to orgs and places the names that the rules find which a word of the passage calls for
    (a legal form, クラブ, の会, 道の駅, という, 愛称, a surname standing alone): each rule runs only
    where its word is written."""
    if _LEGAL_HINT.search(folded) and _LEGAL_RE.search(folded):
        orgs.extend(_legal_names(folded, idx))
    if "クラブ" in folded:
        orgs.extend(_clubs(idx))
    if "の会" in folded:
        orgs.extend(_circles(folded, idx))
    if "議員" in folded and ("クラブ" in folded or "の会" in folded):
        orgs.extend(_signature_groups(folded, idx))
    if "道の駅" in folded:
        places.extend(_roadside_stations(folded, idx))
    if "という" in folded:
        orgs.extend(_called_bodies(text, folded, idx))
    if "称" in folded:
        for nickname in _said_nicknames(folded, idx):
            (orgs if nickname.kind == "org" else places).append(nickname)
    if "S" in letters:
        places.extend(_surname_places(text, idx.longs, letters, known_places))


def _known_names(text: str, folded: str, idx: TokenIndex, orgs: list[Name], places: list[Name]) -> None:
    """Add the names the lists know (famous bodies, places Sudachi misses) where they stand as words
    of their own, and a party's short form (自民) where the passage speaks of parties."""
    for m in _KNOWN_RE.finditer(folded):
        known = _KNOWN[m.group()]
        if known == "short":  # 自民 in a passage that speaks of parties, standing as a word of its own
            if (
                idx.is_long_boundary(m.start())
                and idx.is_long_boundary(m.end())
                and folded[m.end() : m.end() + 1] != "党"
                and _PARTY_CONTEXT.search(text)
            ):
                orgs.append(Name("org", m.start(), m.end()))
        elif idx.is_short_boundary(m.start()) and idx.is_short_boundary(m.end()):
            (orgs if known == "org" else places).append(Name(known, m.start(), m.end()))


def _quoted_names(folded: str, orgs: list[Name], places: list[Name]) -> None:
    """Add the quoted names right after a word for a facility (焼却施設「グリーンフォート」, a place)
    or for a body (子育て応援センター「ぽかぽかひろば」, an organisation), unless an organisation has
    the same span already."""
    for m in _FACILITY_QUOTE.finditer(folded):
        s, e = m.start("name"), m.end("name")
        if not any(o.start == s and o.end == e for o in orgs):
            places.append(Name("place", s, e))
    for m in _BODY_QUOTE.finditer(folded):
        s, e = m.start("name"), m.end("name")
        if not any(o.start == s and o.end == e for o in orgs):
            orgs.append(Name("org", s, e))


_LONE_PERSON = re.compile("(?<![NKHPQS])S(?![NKHPQS(])")


def _surname_places(text: str, longs: list[Token], letters: str, known: Container[str]) -> list[Name]:
    """Surnames standing alone where the post names them as places too (桐生からは…, 米沢の…)."""
    out: list[Name] = []
    for m in _LONE_PERSON.finditer(letters):
        tok = longs[m.start()]
        nxt = longs[m.start() + 1] if m.start() + 1 < len(longs) else None
        if text[tok.end : tok.end + 1] in _AFTER_PLACE and not _person_context(text, tok, nxt):
            if not _TITLE_BEFORE.search(text, 0, tok.start) and tok.surface in known:
                out.append(Name("place", tok.start, tok.end))
    return out


# A nickname given in a sentence: 図書館の愛称は「ことのは」, 公園の通称「みどりの丘」.
_NICKNAME_SAID = re.compile(
    r"の(?:愛称|通称|略称|呼称)(?:は|が|も)?\s?[:：]?\s?[「『](?P<name>[^「」『』、。\s]{1,20})[」』]"
)


def _said_nicknames(folded: str, idx: TokenIndex) -> list[Name]:
    """Nicknames a sentence gives to the word before の愛称 (図書館の愛称は「ことのは」): an organisation's
    when the word ends like one (図書館, センター), a place's when it ends like a site (公園, タワー)."""
    out: list[Name] = []
    for m in _NICKNAME_SAID.finditer(folded):
        tok = idx.long_covering(m.start() - 1) if m.start() else None
        if tok is None or tok.end != m.start():
            continue
        if _suffix_of(tok) is not None:
            out.append(Name("org", m.start("name"), m.end("name")))
        elif _head_of(tok) is not None:
            out.append(Name("place", m.start("name"), m.end("name")))
    return out


# A name said to be a body's: ノルドバーン(Nordbahn)という公共交通機関, ノルテックという企業.
_CALLED_BODY = re.compile(
    r"(?:\((?P<alias>[A-Za-z][A-Za-z0-9&.\- ]{0,20}[A-Za-z0-9.])\))?という[^\s、。「」()]{0,10}?"
    r"(?:団体|組織|会社|企業|機関|法人|事業者|財団|協会|組合|公社|グループ|チーム|クラブ)"
)


def _called_bodies(text: str, folded: str, idx: TokenIndex) -> list[Name]:
    """Names a passage says are a body's (Xという会社, X(Y)という機関): a katakana or Latin name, or one
    with a proper noun in it, and its Latin spelling in brackets."""
    out: list[Name] = []
    longs = idx.longs
    for m in _CALLED_BODY.finditer(folded):
        end = m.start()
        last = idx.long_covering(end - 1) if end > 0 else None
        if last is None or last.end != end:
            continue
        start = _name_before(longs, idx.long_at(last.start))
        if start is None or start >= end:
            continue
        while start >= 2 and text[start - 1] == " " and _is_latin(text[start]):  # ABC Transit
            before = idx.long_covering(start - 2)
            if before is None or not _is_latin(before.surface):
                break
            start = before.start
        name = text[start:end]
        k = idx.long_at(start)
        proper = any(POS_FLAGS[t.pos] & PROPER for t in longs[k : idx.long_at(last.start) + 1])
        if not (_is_katakana(name) or _is_latin(name) or proper) or name in _GENERIC_BODIES:
            continue
        out.append(Name("org", start, end))
        if m.group("alias"):
            out.append(Name("org", m.start("alias"), m.end("alias")))
    return out


def _roadside_stations(folded: str, idx: TokenIndex) -> list[Name]:
    """Roadside stations named after the word (道の駅あさひの里, 道の駅かわもと): 道の駅 and a name that
    starts with a place, a proper noun or a kana word, hiragana pieces included (道の駅直売所 is none)."""
    out: list[Name] = []
    longs = idx.longs
    for m in re.finditer("道の駅", folded):
        i = idx.long_at(m.end())
        if i < 0 or not idx.is_long_boundary(m.start()):
            continue
        first = longs[i]
        flags = POS_FLAGS[first.pos]
        if not (
            flags & PLACE
            or (flags & PROPER and not first.parts)  # (直売所, a compound Sudachi calls proper, is no name)
            or _is_hiragana(first.surface)
            or _is_katakana(first.surface)
        ):
            continue
        end = _name_after(longs, i)
        if end > m.end():
            out.append(Name("place", m.start(), end, site=True))
    return out


def _circles(folded: str, idx: TokenIndex) -> list[Name]:
    """Groups named …の会 after a place or a name (仙台よみきかせの会): a place or proper noun, words or
    hiragana after it, の and 会 standing alone; and council groups with a party in their name."""
    out: list[Name] = []
    longs = idx.longs
    for m in _CIRCLE.finditer(folded):
        k = idx.long_covering(m.start() - 1) if m.start() else None
        if k is None or k.end != m.start():
            continue
        i = idx.long_at(k.start)
        start = _name_before(longs, i)
        if start is None:
            continue
        while start >= 2 and folded[start - 1] == "・":  # 市民・みらいの会: one name across the 中黒
            j = idx.long_covering(start - 2)
            before = _name_before(longs, idx.long_at(j.start)) if j is not None else None
            if before is None:
                break
            start = before
        first = idx.long_at(start)
        if first < 0:
            continue
        # a council group names a party in it (市民・社民の会); other groups start with a place or a name
        partisan = any(t.surface in _PARTY_SHORT or t.surface in _PARTIES for t in longs[first : i + 1])
        if not partisan and (first == i or not POS_FLAGS[longs[first].pos] & (PLACE | PROPER)):
            continue
        out.append(Name("org", start, m.end()))
    return out


# A group's name right before a councillor's title in a signature: みらいクラブ 上田市議会議員 村井.
_SIGNATURE_GROUP = re.compile(
    r"(?:^|(?<=\s))(?P<name>[^\s、。「」()・]{1,14}?(?:クラブ|の会))(?=\s+[^\s、。]{0,12}議員(?:\s|$))"
)


def _signature_groups(folded: str, idx: TokenIndex) -> list[Name]:
    """Council groups named in a signature before the councillor's title (みらいクラブ 上田市議会議員)."""
    out: list[Name] = []
    for m in _SIGNATURE_GROUP.finditer(folded):
        name = m.group("name")
        if name in _GENERIC_BODIES or not idx.is_long_boundary(m.start("name")):
            continue
        start = m.start("name") + (2 if name.startswith("会派") and len(name) > 4 else 0)  # 会派みらいクラブ
        out.append(Name("org", start, m.end("name")))
    return out


def _outside_titles(folded: str, places: list[Name]) -> list[Name]:
    """Places without those that only end a quoted title or slogan (「みどりと水のまち大垣」); a place
    in a quoted remark (「…米沢を訪ねた友人が、…」) stays."""
    titles = [m.span(1) for m in _QUOTED_TITLE.finditer(folded)]
    if not titles:
        return places
    return [p for p in places if not any(a < p.start and p.end == b for a, b in titles)]


def _trailing_glosses(folded: str, names: list[Name]) -> list[Name]:
    """A reading or other name in brackets that ends a name (済州(チェジュ)) is cut off it and kept as
    a name of its own; a gloss inside a name (清州(チョンジュ)空港) stays."""
    out: list[Name] = []
    for name in names:
        if folded[name.end - 1 : name.end] != ")":
            continue
        cut = folded.rfind("(", name.start, name.end)
        if cut > name.start and cut + 1 < name.end - 1:
            out.append(Name(name.kind, cut + 1, name.end - 1))
            name.end = cut
    return out


def _routes(text: str, idx: TokenIndex, places: list[Name], known: Container[str]) -> list[Name]:
    """Places named as the other end of a route: 西荻窪から三鷹まで, フエからクアンガイ、."""
    out: list[Name] = []
    for p in places:
        if text[p.end : p.end + 2] != "から":
            continue
        i = idx.long_at(p.end + 2)
        if i < 0:
            continue
        tok = idx.longs[i]
        last = tok
        if i + 1 < len(idx.longs) and POS_FLAGS[tok.pos] & PROPER:
            nxt = idx.longs[i + 1]  # 蔵王|中央: a proper name and a noun before まで
            if nxt.start == tok.end and POS_FLAGS[nxt.pos] & NOUN and text[nxt.end : nxt.end + 2] == "まで":
                last = nxt
        if text[last.end : last.end + 2] not in ("まで",) and text[last.end : last.end + 1] not in (
            "、",
            "へ",
        ):
            continue
        if any(q.start <= tok.start < q.end for q in places):
            continue
        flags = POS_FLAGS[tok.pos]
        if not flags & NOUN or flags & ADVERBIAL or tok.surface in _ROUTE_STOP:
            continue
        if (
            (_is_katakana(tok.surface) and len(tok.surface) >= 3)
            or tok.surface in known
            or (last is not tok and flags & PROPER)
        ):
            out.append(Name("place", tok.start, last.end))
    return out
