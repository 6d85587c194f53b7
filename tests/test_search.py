"""`kb search` on the sample corpus: the passages a councillor means, ranked, highlighted, safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED
from kb.errors import QueryError
from kb.reading.archive import read_plain
from kb.search import Hit, search
from kb.store import Filters, Store
from kb.structure import build_post
from kb.text.fold import fold


def passages_containing(needle: str) -> set[str]:
    """Ctrl-F over the sample, sentence by sentence: what a search must at least find."""
    posts = [build_post(r) for r in read_plain(SEED.read_text(encoding="utf-8"), "seed")]
    return {p.text for post in posts for p in post.passages if needle in fold(p.text)}


def texts(hits: list[Hit]) -> list[str]:
    return [h.text for h in hits]


def marked(h: Hit) -> list[str]:
    return [h.text[a:b] for a, b in h.highlights]


def test_compound_query_finds_every_passage_that_writes_it(seed_store: Store) -> None:
    hits = search(seed_store, "電子政府", limit=100)
    assert all("電子政府" in h.text for h in hits)
    assert set(texts(hits)) == passages_containing("電子政府")
    assert {h.title for h in hits} >= {
        "韓国視察③ソウル市の電子政府の取り組み",
        "韓国視察②〜ソウル市・ノウォン区の電子政府視察",
    }
    assert all("電子政府" in marked(h) for h in hits)
    # the headings that are about it rank first
    assert hits[0].section in ("①韓国の電子政府", "◼️ソウル市の電子政府政策")


def test_part_of_a_compound_matches(seed_store: Store) -> None:
    hits = search(seed_store, "政府", limit=100)
    assert len(hits) >= len(search(seed_store, "電子政府", limit=100))
    assert any("地方自治体" not in h.text and "政府" in h.text for h in hits)


@pytest.mark.parametrize("query", ["mVoting", "MVOTING", "ｍＶｏｔｉｎｇ", "mvoting"])
def test_width_and_case_fold(seed_store: Store, query: str) -> None:
    hits = search(seed_store, query)
    assert texts(hits) == ["◼️mVoting"]
    assert marked(hits[0]) == ["mVoting"]


@pytest.mark.parametrize("query", ["wifi", "ＷｉＦｉ", "WIFI"])
def test_wifi_in_any_width(seed_store: Store, query: str) -> None:
    hits = search(seed_store, query, limit=50)
    assert "ソウル市は無料WiFiを市全体で導入を目指している。" in texts(hits)
    assert all("wifi" in fold(h.text) for h in hits)


def test_voting(seed_store: Store) -> None:
    hits = search(seed_store, "投票", limit=50)
    assert {"モバイル投票。", "5520の投票項目がある。", "投票で選定され、予算化"} <= set(texts(hits))
    assert all("投票" in h.text for h in hits)


def test_surveillance_cameras(seed_store: Store) -> None:
    hits = search(seed_store, "監視カメラ", limit=50)
    assert len(hits) == 2
    assert all("監視カメラ" in h.text and h.match == "word" for h in hits)


def test_seoul_city_prefers_its_own_sections(seed_store: Store) -> None:
    hits = search(seed_store, "ソウル市", limit=200)
    assert len(hits) > 20
    assert all("ソウル市" in h.text or "ソウル市" in (h.section or "") for h in hits)
    assert "ソウル市" in (hits[0].section or "") or "ソウル市" in hits[0].title


def test_part_of_a_long_organisation_name(seed_store: Store) -> None:
    for query in ("組織委員会", "東京オリンピック組織委員会"):
        hits = search(seed_store, query)
        assert any("東京オリンピック組織委員会からも200人くらい派遣" in h.text for h in hits), query
    assert any("オリンピック" in marked(h) for h in search(seed_store, "オリンピック"))


def test_fragment_falls_back_to_substring(seed_store: Store) -> None:
    hits = search(seed_store, "ノウォ", limit=50)
    assert hits and all(h.match == "substring" for h in hits)
    assert all("ノウォ" in h.text for h in hits)
    assert "⑴ノウォン区役所" in texts(hits)


def test_what_segmentation_hides_is_found_like_ctrl_f(seed_store: Store) -> None:
    hits = search(seed_store, "江東区", limit=50)
    assert any(h.text.startswith("私自身 江東区政に対しても") for h in hits)


def test_codes_with_digits_and_letters(seed_store: Store) -> None:
    assert texts(search(seed_store, "10786AP")) == ["3729sites、10786AP"]


def test_exclusion_phrase_and_or(seed_store: Store) -> None:
    with_cctv = search(seed_store, "監視カメラ -CCTV", limit=50)
    assert len(with_cctv) == 1 and "CCTV" not in with_cctv[0].text
    phrase = search(seed_store, '"電子 政府"', limit=100)
    assert all("電子政府" in h.text for h in phrase)
    either = search(seed_store, "ノウォン OR 平昌", limit=200)
    assert any("ノウォン" in h.text for h in either) and any("平昌" in h.text for h in either)
    both = search(seed_store, "ソウル市 電子政府", limit=200)
    assert all("ソウル市" in h.text and "電子政府" in h.text for h in both) and both


def test_filters(seed_store: Store) -> None:
    hits = search(seed_store, "投票", Filters(topic=fold("mvoting")), limit=50)
    assert hits and all(h.section == "◼️mVoting" for h in hits)
    one = search(seed_store, "オリンピック", Filters(post_id=hits[0].post_id), limit=50)
    assert one == []
    # the sample posts carry no date: a date filter leaves nothing
    assert search(seed_store, "投票", Filters(since="2018-01-01"), limit=50) == []


def test_spelling_variants_match_through_normalized_forms(seed_store: Store) -> None:
    # Sudachi normalises 取り組み/取組; the sample writes 取り組み
    hits = search(seed_store, "取組", limit=50)
    assert any("取り組み" in h.text for h in hits)
    assert any("取り組み" in marked(h) for h in hits)


HOSTILE = [
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b)",
    "*",
    "^",
    ":",
    "short:電子",
    '"',
    '"電子',
    '電子"政府',
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "--",
    "- -",
    "-電子",
    "電子 AND 政府",
    "電子 NEAR 政府",
    "a*",
    "^電子",
    "😀",
    "👍🏻",
    "\x00",
    "\x1b[31m",
    "\u200b",
    "'; DROP TABLE posts; --",
    "x'); DELETE FROM passages; --",
    "　",
    "ＯＲ",
    "OR OR OR",
    '""',
    '"  "',
    "電子" * 300,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_or_explain(seed_store: Store, query: str) -> None:
    before = seed_store.counts()
    try:
        hits = search(seed_store, query, limit=5)
    except QueryError as err:
        assert str(err)
    else:
        assert isinstance(hits, list)
    assert seed_store.counts() == before


def test_ranking_is_bounded_to_the_newest_matches_and_filters_apply_first(seed_store: Store) -> None:
    expr = "terms : ソウル"
    every = seed_store.match_words(expr, Filters(), 10_000)
    assert len(every) > 6
    newest = sorted(pid for pid, _ in every)[-4:]
    bounded = seed_store.match_words(expr, Filters(), 10_000, window=4)
    assert sorted(pid for pid, _ in bounded) == newest
    # the bound starts beyond exactly ``window`` matches
    n = len(every)
    assert len(seed_store.match_words(expr, Filters(), 10_000, window=n)) == n
    just_over = seed_store.match_words(expr, Filters(), 10_000, window=n - 1)
    assert sorted(pid for pid, _ in just_over) == sorted(pid for pid, _ in every)[1:]
    # scores of the bounded set are ranked best first, like the unbounded ones
    assert [s for _, s in bounded] == sorted((s for _, s in bounded), reverse=True)
    # a filter narrows before the bound: every match of the oldest matching post is reachable
    oldest_post = min(int(r["post_id"]) for r in seed_store.passage_details([pid for pid, _ in every]))
    in_post = {pid for pid, _ in every if int(seed_store.passage_details([pid])[0]["post_id"]) == oldest_post}
    filtered = seed_store.match_words(expr, Filters(post_id=oldest_post), 10_000, window=len(in_post))
    assert {pid for pid, _ in filtered} == in_post


def test_removed_posts_never_take_the_places_of_live_passages(tmp_path: Path) -> None:
    from kb.importer import import_paths

    db = tmp_path / "kb.db"
    with Store(db) as store:
        import_paths(store, [str(SEED)], jobs=1)
        expr = "terms : ソウル"
        before = store.match_words(expr, Filters(), 10_000)
        by_post: dict[int, int] = {}
        for row in store.passage_details([pid for pid, _ in before]):
            by_post[int(row["post_id"])] = by_post.get(int(row["post_id"]), 0) + 1
        # the post holding the newest match: its stale rows are the first a bounded ranking meets
        gone = int(store.passage_details([max(pid for pid, _ in before)])[0]["post_id"])
        with store.transaction():
            store.remove_posts([gone])
        after = store.match_words(expr, Filters(), 10_000)
        details = store.passage_details([pid for pid, _ in after])
        assert len(details) == len(after) == len(before) - by_post[gone]
        assert all(int(r["post_id"]) != gone for r in details)
        # a bounded ranking window counts live passages only: the three newest live ones
        bounded = store.match_words(expr, Filters(), 10_000, window=3)
        assert sorted(pid for pid, _ in bounded) == sorted(pid for pid, _ in after)[-3:]
        hits = search(store, "ソウル", limit=3)
        assert len(hits) == 3 and all(h.match == "word" and h.post_id != gone for h in hits)


def test_substring_matches_come_newest_first_and_stop_at_the_limit(tmp_path: Path) -> None:
    from kb.importer import import_paths

    # (file, date): two posts share a date (the later import comes first), one has no date
    posts = [("a", "2019-05-01"), ("b", "2020-01-01"), ("c", "2020-01-01"), ("d", "2018-03-03"), ("e", None)]
    paths = []
    for name, date in posts:
        head = f"---\ntitle: ソウル視察 {name}\n" + (f"date: {date}\n" if date else "") + "---\n"
        body = f"ノウォン区役所({name})を訪ね、区の電子投票について伺いました。\n"
        (tmp_path / f"{name}.md").write_text(head + body, encoding="utf-8")
        paths.append(str(tmp_path / f"{name}.md"))
    with Store(tmp_path / "kb.db") as store:
        import_paths(store, paths, jobs=1)
        hits = search(store, "ノウォ", limit=10)
        assert [h.match for h in hits] == ["substring"] * 5  # segmentation hides ノウォ inside ノウォン
        assert [h.title[-1] for h in hits] == ["c", "b", "a", "d", "e"]
        assert [h.title[-1] for h in search(store, "ノウォ", limit=2)] == ["c", "b"]
        assert [h.title[-1] for h in search(store, "ノウォ", Filters(until="2019-12-31"))] == ["a", "d"]
        one = hits[3].post_id
        assert [h.post_id for h in search(store, "ノウォ", Filters(post_id=one))] == [one]
        # a string of two characters has no trigram: the post texts are read, newest first too
        assert [h.title[-1] for h in search(store, "ォン", limit=3)] == ["c", "b", "a"]
