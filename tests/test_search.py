"""`kb search`: posts, not sentences — every query word anywhere in a post, title included, ranked, with
its best passages highlighted; substring matches ranked below words, never hidden; hostile queries
answered or explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (
    import_folder,
    seed_line,
    seed_lines,
    seed_posts,
    seed_quantities,
    seed_sentence,
    seed_titles,
    write_posts,
)
from kb import api
from kb.errors import QueryError
from kb.models import PostHit, SearchResult
from kb.store import Store
from kb.text.fold import fold


def titles(result: SearchResult) -> list[str]:
    return [h.title for h in result.hits]


def passages(hit: PostHit) -> list[str]:
    return [p.text for p in hit.passages]


def marked(hit: PostHit) -> list[str]:
    return [p.text[a:b] for p in hit.passages for a, b in p.highlights]


# ----------------------------------------------------------------------------------- on the sample

MVOTING = seed_posts()[0]["sections"][6]  # the heading ◼️mVoting, as the gold has it


def test_a_compound_finds_the_posts_that_write_it_title_first(seed_store: Store) -> None:
    result = api.search(seed_store, "電子政府", passages=100)
    assert set(titles(result)) >= set(seed_titles()[:2])
    assert result.total == len(result.hits) == 3
    # the two posts whose title says it come first, the title marked on the post line
    assert all("電子政府" in t for t in titles(result)[:2])
    assert all(h.title[a:b] == "電子政府" for h in result.hits[:2] for a, b in h.title_highlights)
    assert all("電子政府" in marked(h) for h in result.hits)
    # passages come in reading order
    for h in result.hits:
        assert [p.start for p in h.passages] == sorted(p.start for p in h.passages)


def test_three_passages_at_most_by_default_and_every_one_when_asked(seed_store: Store) -> None:
    few = api.search(seed_store, "ソウル市")
    many = api.search(seed_store, "ソウル市", passages=1000)
    assert max(len(h.passages) for h in few.hits) == 3
    assert max(len(h.passages) for h in many.hits) > 3
    assert [h.post_id for h in few.hits] == [h.post_id for h in many.hits]


def test_limit_counts_posts_and_the_header_counts_them_all(seed_store: Store) -> None:
    result = api.search(seed_store, "ソウル", limit=1)
    assert len(result.hits) == 1 and result.total >= 3
    from kb.views.words import search_summary

    header = search_summary(result)
    assert f"{result.total} 件の投稿が一致" in header and "1 件を表示" in header and "-n" in header


@pytest.mark.parametrize("query", ["mVoting", "MVOTING", "ｍＶｏｔｉｎｇ", "mvoting"])
def test_width_and_case_fold_and_a_matching_heading_is_the_label(seed_store: Store, query: str) -> None:
    from kb.views.plain import format_search

    result = api.search(seed_store, query)
    assert len(result.hits) == 1
    first = result.hits[0].passages[0]
    assert first.heading and first.text == MVOTING and first.text[slice(*first.highlights[0])] == "mVoting"
    lineno = seed_lines().index(MVOTING) + 1
    after = seed_lines()[lineno]  # the line under the heading
    assert after.strip() and first.after == after
    # printed, the heading labels the line under it, marked, and is not printed twice
    out = format_search(result)
    marked_heading = MVOTING.replace("mVoting", "【mVoting】")
    assert f"  {marked_heading}  L{lineno}\n    {after}" in out and out.count("【mVoting】") == 1


@pytest.mark.parametrize("query", ["wifi", "ＷｉＦｉ", "WIFI"])
def test_wifi_in_any_width(seed_store: Store, query: str) -> None:
    result = api.search(seed_store, query, passages=50)
    assert any(seed_sentence("無料WiFi") in passages(h) for h in result.hits)


def test_spelling_variants_match_through_normalized_forms(seed_store: Store) -> None:
    # Sudachi normalises 取り組み/取組; the sample writes 取り組み
    result = api.search(seed_store, "取組", passages=50)
    assert any("取り組み" in marked(h) for h in result.hits)


def test_a_fragment_is_found_as_a_substring_and_marked(seed_store: Store) -> None:
    result = api.search(seed_store, "ノウォ", passages=50)
    assert result.hits and all(h.match == "substring" for h in result.hits)
    assert result.substring_total == result.total
    heading = next(h for h in seed_posts()[1]["sections"] if "ノウォ" in h)
    assert any(heading in (p.section or "") for h in result.hits for p in h.passages)


def test_what_segmentation_hides_is_found_like_ctrl_f(seed_store: Store) -> None:
    result = api.search(seed_store, "江東区", passages=50)
    assert any(t == seed_sentence("江東区政") for h in result.hits for t in passages(h))


def test_codes_with_digits_and_letters(seed_store: Store) -> None:
    (code,) = [q["surface"] for q in seed_quantities(unit="AP")]  # digits and letters
    result = api.search(seed_store, code)
    assert [passages(h) for h in result.hits] == [[seed_line(code)]]


def test_exclusion_phrase_and_or(seed_store: Store) -> None:
    plain = api.search(seed_store, "監視カメラ", passages=50)
    without = api.search(seed_store, "監視カメラ -CCTV", passages=50)
    assert len(without.hits) < len(plain.hits)
    assert all("CCTV" not in api.get_post(seed_store, h.post_id).text for h in without.hits)
    phrase = api.search(seed_store, '"電子 政府"')
    assert {h.post_id for h in phrase.hits} == {h.post_id for h in api.search(seed_store, "電子政府").hits}
    either = api.search(seed_store, "ノウォン OR 平昌", limit=50)
    texts = [api.get_post(seed_store, h.post_id).text for h in either.hits]
    assert any("ノウォン" in t for t in texts) and any("平昌" in t for t in texts)


def test_filters(seed_store: Store) -> None:
    topic = api.search(seed_store, "投票", topic="mvoting", passages=50)
    assert topic.hits and all(p.section == MVOTING for h in topic.hits for p in h.passages)
    one = api.search(seed_store, "オリンピック", post=topic.hits[0].post_id)
    assert one.hits == ()
    # the sample posts carry no date: a period leaves them out, says so, and can keep them
    dated = api.search(seed_store, "投票", since="2018")
    assert dated.hits == () and dated.undated_left_out == api.search(seed_store, "投票").total > 0
    kept = api.search(seed_store, "投票", since="2018", include_undated=True)
    assert kept.total == dated.undated_left_out


HOSTILE = [
    "AND", "OR", "NOT", "NEAR(", "NEAR(a b)", "*", "^", ":", "short:電子", '"', '"電子', '電子"政府', "(", ")",
    "[", "]", "{", "}", "-", "--", "- -", "-電子", "電子 AND 政府", "電子 NEAR 政府", "a*", "^電子", "😀", "👍🏻",
    "\x00", "\x1b[31m", "\u200b", "'; DROP TABLE posts; --", "x'); DELETE FROM passages; --", "　", "ＯＲ",
    "OR OR OR", '""', '"  "', "電子" * 300,
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_or_explain(seed_store: Store, query: str) -> None:
    before = seed_store.posts.counts()
    try:
        result = api.search(seed_store, query, limit=5)
    except QueryError as err:
        assert str(err)
    else:
        assert isinstance(result.hits, tuple)
    assert seed_store.posts.counts() == before


# ------------------------------------------------------------------------------ on posts of our own

POSTS = {
    # two words in different sentences of one post: a council-minutes search finds it
    "waste.txt": "清掃工場の視察\n\n新しいゴミ処理の方式を学びました。\n\n総事業費のうち建設費は約200億円です。\n",
    # both words in one sentence: ranks above the post where they are apart
    "together.txt": "広域処理の報告\n\nゴミ処理施設の建設費は300億円でした。\n",
    # a word that is only inside a longer word: a substring match, below the word matches
    "council.txt": "協議会の傍聴\n\n地域の協議会を傍聴しました。\n",
    "assembly.txt": "議会報告\n\n今月の議会では予算を審議しました。\n",
    # Latin: IR inside a longer word and in a URL is no match; IR standing alone is
    "airport.txt": "空港の視察\n\nAIRPORT の案内板を見ました。詳細は https://example.jp/IR/info にあります。\n",
    "casino.txt": "統合型リゾートの勉強会\n\nIR の誘致について説明を受けました。\n",
    # a sentence end inside a phrase Ctrl-F would find
    "visit.txt": "庁舎の見学\n\n市役所を訪問しました。職員の方に案内していただきました。\n",
}


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("own")
    write_posts(folder / "posts", POSTS)
    return import_folder(folder / "posts", folder / "kb.db")


def test_all_words_anywhere_in_the_post_not_in_one_sentence(own: Path) -> None:
    with Store(own, readonly=True) as store:
        result = api.search(store, "ゴミ処理 建設費")
    assert set(titles(result)) == {"清掃工場の視察", "広域処理の報告"}
    # the post where both words meet in one sentence ranks first
    assert titles(result)[0] == "広域処理の報告"


def test_a_word_inside_a_longer_word_ranks_below_and_is_marked(own: Path) -> None:
    with Store(own, readonly=True) as store:
        result = api.search(store, "議会")
    assert titles(result) == ["議会報告", "協議会の傍聴"]
    assert [h.match for h in result.hits] == ["word", "substring"]
    assert result.substring_total == 1


def test_latin_never_inside_a_longer_word_or_a_url(own: Path) -> None:
    with Store(own, readonly=True) as store:
        result = api.search(store, "IR")
    assert titles(result) == ["統合型リゾートの勉強会"]


def test_a_substring_crosses_a_sentence_end(own: Path) -> None:
    with Store(own, readonly=True) as store:
        result = api.search(store, "訪問しました。職員")
    assert titles(result) == ["庁舎の見学"] and result.hits[0].match == "substring"


def test_every_title_word_finds_its_post(own: Path) -> None:
    from kb.segment import segment

    with Store(own, readonly=True) as store:
        for post in api.list_posts(store):
            nouns = [t.surface for t in segment(post.title) if t.pos[0] == "名詞"]
            assert nouns, post.title
            for noun in nouns:
                assert post.id in {h.post_id for h in api.search(store, noun, limit=50).hits}, (
                    post.title,
                    noun,
                )


def test_the_same_text_from_two_files_is_one_hit_listing_both(tmp_path: Path) -> None:
    text = "図書館の視察\n\n開架の蔵書は12万冊です。\n"
    write_posts(tmp_path / "posts", {"a.txt": text, "b/copy.txt": text})
    db = import_folder(tmp_path / "posts", tmp_path / "kb.db")
    with Store(db, readonly=True) as store:
        result = api.search(store, "蔵書")
    assert len(result.hits) == 1
    assert sorted(Path(s).name for s in result.hits[0].sources) == ["a.txt", "copy.txt"]


def test_removed_posts_never_show_and_never_take_places(tmp_path: Path) -> None:
    write_posts(
        tmp_path / "posts",
        {f"p{i}.txt": f"視察{i}\n\n台北の事例を学んだ{i}回目の報告です。\n" for i in range(6)},
    )
    db = import_folder(tmp_path / "posts", tmp_path / "kb.db")
    with Store(db) as store:
        every = api.search(store, "台北", limit=10)
        assert every.total == 6
        gone = every.hits[0].post_id
        api.remove(store, api.plan_removal(store, [str(gone)]))
        after = api.search(store, "台北", limit=3)
    assert after.total == 5 and len(after.hits) == 3 and gone not in {h.post_id for h in after.hits}


def test_a_common_word_is_bounded_to_the_newest_posts_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kb.search import engine

    write_posts(
        tmp_path / "posts", {f"p{i:02d}.txt": f"報告{i}\n\n市の取り組みを聞いた。\n" for i in range(12)}
    )
    db = import_folder(tmp_path / "posts", tmp_path / "kb.db")
    monkeypatch.setattr(engine, "WINDOW", 5)
    with Store(db, readonly=True) as store:
        result = api.search(store, "取り組み", limit=20)
        narrowed = api.search(store, "取り組み", post=api.list_posts(store)[0].id)
    assert result.bounded and 0 < result.total < 12
    # a filter applies before the bound: the oldest post is reached
    assert len(narrowed.hits) == 1 and not narrowed.bounded


def test_substring_only_posts_are_shown_even_when_the_word_is_common(tmp_path: Path) -> None:
    posts = {f"w{i}.txt": f"杉並区の報告{i}\n\n杉並区で話を聞いた。\n" for i in range(30)}
    posts["only.txt"] = "区政の話\n\n杉並区政について考えた。\n"
    write_posts(tmp_path / "posts", posts)
    db = import_folder(tmp_path / "posts", tmp_path / "kb.db")
    with Store(db, readonly=True) as store:
        result = api.search(store, "杉並区", limit=40)
    assert result.total == 31 and result.substring_total == 1
    assert titles(result)[-1] == "区政の話" and result.hits[-1].match == "substring"


def test_fold_is_what_matching_uses() -> None:
    assert fold("ＷｉＦｉ") == "wifi"


# ----------------------------------------------------------------------- variants, synonyms, periods

WORDS = {
    "hira.md": "---\ntitle: 清掃センター\ndate: 2023-05-10\n---\nごみの分別を見直しました。\n",
    "kata.md": "---\ntitle: 資源循環\ndate: 2019-03-20\n---\nゴミの減量に取り組んでいます。\n",
    "phone.md": "---\ntitle: 窓口のデジタル化\ndate: 2018-10-24\n---\nスマートフォンで申請できます。\n",
    "casino.md": "---\ntitle: 統合型リゾート\ndate: 2020-06-01\n---\nカジノの依存症対策を聞いた。\n",
    "casino2.md": "---\ntitle: 観光戦略\ndate: 2021-01-15\n---\nカジノを核にした観光の話を聞いた。\n",
    "undated.txt": "日付のない報告\n\nごみの収集について調べた。\n",
}


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("words")
    write_posts(folder / "posts", WORDS)
    return import_folder(folder / "posts", folder / "kb.db")


def test_hiragana_and_katakana_spellings_are_one_word(words: Path) -> None:
    with Store(words, readonly=True) as store:
        hira = api.search(store, "ごみ", synonyms=False)
        kata = api.search(store, "ゴミ", synonyms=False)
    assert (
        {h.title for h in hira.hits}
        == {h.title for h in kata.hits}
        == {"清掃センター", "資源循環", "日付のない報告"}
    )
    assert all(h.match == "word" for h in hira.hits)


def test_synonyms_on_and_off_with_the_expansions_in_the_header(words: Path) -> None:
    from kb.views.words import search_summary

    with Store(words, readonly=True) as store:
        on = api.search(store, "スマホ")
        off = api.search(store, "スマホ", synonyms=False)
    assert titles(on) == ["窓口のデジタル化"] and off.hits == ()
    assert any(e.term == "スマホ" and "スマートフォン" in e.words for e in on.expansions)
    assert "スマホ → " in search_summary(on) and "スマートフォン" in search_summary(on)
    assert off.expansions == ()


def test_users_own_synonyms_are_used_both_ways(tmp_path: Path, words: Path) -> None:
    from helpers import copy_db

    db = copy_db(words, tmp_path / "kb.db")
    with Store(db) as store:
        assert api.search(store, "統合型リゾート 依存症").total == 1
        assert api.search(store, "IR").total == 0
        api.add_synonym(store, "IR", ["カジノ"])
        both = api.search(store, "IR")
        back = api.search(store, "カジノ")
    assert {h.title for h in both.hits} == {"統合型リゾート", "観光戦略"}
    assert any(e.kind == "user" and e.words == ("カジノ",) for e in both.expansions)
    assert any(e.kind == "user" and e.words == ("IR",) for e in back.expansions)


def test_an_excluded_phrase_removes_the_posts_that_hold_it(words: Path) -> None:
    with Store(words, readonly=True) as store:
        every = api.search(store, "カジノ")
        without = api.search(store, 'カジノ -"依存症対策"')
    assert every.total == 2 and titles(without) == ["観光戦略"]
    assert without.query == 'カジノ -"依存症対策"'


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("令和元年", None, {"清掃センター", "観光戦略", "統合型リゾート"}),  # from 2019-05-01
        ("平成31年", "平成31年", {"資源循環"}),  # 2019 up to the end of 平成 (2019-04-30)
        ("令和2年度", None, {"清掃センター", "観光戦略", "統合型リゾート"}),  # from 2020-04-01
        (None, "平成30年度", {"資源循環", "窓口のデジタル化"}),  # until 2019-03-31
        ("2018年10月24日", "2018.10.24", {"窓口のデジタル化"}),
        ("20181024", "２０１８－１０－２４", {"窓口のデジタル化"}),
        ("R3", None, {"観光戦略", "清掃センター"}),
        ("H30.4", "H31.3", {"資源循環", "窓口のデジタル化"}),
    ],
)
def test_periods_as_councils_write_them(
    words: Path, since: str | None, until: str | None, expected: set[str]
) -> None:
    query = "ごみ OR スマートフォン OR カジノ"
    with Store(words, readonly=True) as store:
        result = api.search(store, query, since=since, until=until)
    assert {h.title for h in result.hits} == expected
    assert result.undated_left_out == 1  # 日付のない報告 holds ごみ: the header says it was left out


def test_library_and_command_line_read_a_period_alike(words: Path) -> None:
    """`kb search --until 2018` and search(..., until="2018") agree: the rule lives in the library."""
    import json

    from typer.testing import CliRunner

    from kb.cli import app

    out = CliRunner().invoke(
        app, ["--db", str(words), "search", "スマートフォン", "--until", "2018", "--json"]
    )
    with Store(words, readonly=True) as store:
        lib = api.search(store, "スマートフォン", until="2018")
    assert out.exit_code == 0, out.output
    assert [h["post_id"] for h in json.loads(out.stdout)] == [h.post_id for h in lib.hits] != []


def test_sort_by_date_puts_the_newest_first_and_undated_last(words: Path) -> None:
    with Store(words, readonly=True) as store:
        result = api.search(store, "ごみ", sort="date")
    assert titles(result) == ["清掃センター", "資源循環", "日付のない報告"]


def test_a_period_that_cannot_be_read_is_refused(words: Path) -> None:
    with Store(words, readonly=True) as store, pytest.raises(QueryError, match="例"):
        api.search(store, "ごみ", since="平成30年2月30日")


def test_exclusions_reach_every_candidate_by_word_by_string_and_folded(tmp_path: Path) -> None:
    """-語 drops a post that holds the word (a spelling variant too), the string inside a longer
    word, or a full-width spelling of a Latin string; the other posts stay."""
    posts = {
        "a.txt": "防犯の取り組み\n\n駅前の防犯カメラを増やした。\n",
        "b.txt": "防犯カメラの更新\n\n防犯カメラのサーバーを入れ替えた。\n",
        "c.txt": "防犯と交通\n\n防犯カメラで交通量も数えている。\n",
        "d.txt": "防犯の委託\n\n防犯カメラの保守をＮＴＴ系の会社に委託した。\n",
    }
    db = import_folder(write_posts(tmp_path / "posts", posts), tmp_path / "kb.db")
    with Store(db, readonly=True) as store:
        assert len(api.search(store, "防犯カメラ").hits) == 4
        assert titles(api.search(store, "防犯カメラ -サーバ")) != []
        assert "防犯カメラの更新" not in titles(
            api.search(store, "防犯カメラ -サーバ")
        )  # サーバー: a variant
        assert "防犯と交通" not in titles(api.search(store, "防犯カメラ -交通"))  # two kanji: by instr
        assert "防犯と交通" not in titles(api.search(store, "防犯カメラ -通量"))  # inside 交通量
        assert "防犯の委託" not in titles(api.search(store, "防犯カメラ -ntt"))  # ＮＴＴ folded
        assert len(api.search(store, "防犯カメラ -交通 -ntt").hits) == 2
