"""kb.synonyms: expansions from the shipped Sudachi synonym table, its flags, and the user's pairs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kb import synonyms
from kb.synonyms import RELATIONS, Expansion, expansion_details, expansions

ROOT = Path(__file__).resolve().parent.parent


def _relations(word: str, **kw: object) -> dict[str, str]:
    return {e.word: e.relation for e in expansion_details(word, **kw)}  # type: ignore[arg-type]


def test_kana_spellings_expand_to_each_other_as_variants() -> None:
    assert _relations("ごみ")["ゴミ"] == "variant"
    assert _relations("ゴミ")["ごみ"] == "variant"


def test_other_words_of_the_group_are_synonyms_after_the_variants() -> None:
    found = expansion_details("ごみ")
    assert [e.word for e in found][0] == "ゴミ"
    assert {"塵", "埃"} <= {e.word for e in found if e.relation == "synonym"}
    order = [RELATIONS.index(e.relation) for e in found]
    assert order == sorted(order)


def test_abbreviations_are_told_apart_from_spelling_variants() -> None:
    rel = _relations("スマホ")
    assert rel["スマートフォン"] == "abbreviation"
    assert rel["スマフォ"] == "variant"  # both abbreviations, spelt differently
    alphabetic = {e.word for e in expansion_details("スマホ") if e.alphabetic}
    assert alphabetic and all(w.isascii() for w in alphabetic)


def test_width_and_case_are_folded() -> None:
    assert expansions("ｲﾝﾌﾙｴﾝｻﾞ") == expansions("インフルエンザ")
    assert "インフル" in expansions("ＩＮＦＬＵＥＮＺＡ")


def test_a_word_marked_not_to_expand_expands_to_nothing() -> None:
    # バス (bus, bath, bass) and 議会 are flag 1 in every group: expanded to, never expanding
    assert expansions("バス") == []
    assert expansions("議会") == []
    assert "議会" in expansions("コングレス")


def test_entries_marked_never_to_expand_are_not_in_the_table() -> None:
    # ベース/bass/バス form a group whose entries are all flag 2 (kept as a deletion record)
    assert expansions("ベース") == []


def test_spellings_sudachi_already_unifies_are_not_returned() -> None:
    # あいまい's normalized form is 曖昧: the word index matches it already
    assert "曖昧" not in expansions("あいまい")
    assert expansions("あいまい") == expansions("曖昧")


def test_verbs_only_on_request() -> None:
    assert "助ける" not in expansions("支援")
    assert "助ける" in expansions("支援", verbs=True)


def test_group_ids_restrict_the_lookup() -> None:
    everything = set(expansions("ごみ"))
    only = set(expansions("ごみ", group_ids=[8536]))
    assert "ゴミ" in only and only < everything
    assert expansions("ごみ", group_ids=[]) == []


def test_user_pairs_are_merged_both_ways_and_not_chained() -> None:
    pairs = [("スマホ", "まちスマ"), ("ＫＢ", "知識ベース")]
    assert expansion_details("スマホ", user_pairs=pairs)[0] == Expansion("まちスマ", "user", False, "user")
    assert "スマートフォン" in expansions("スマホ", user_pairs=pairs)
    assert expansions("まちスマ", user_pairs=pairs) == ["スマホ"]  # not スマホ's dictionary expansions
    assert expansions("kb", user_pairs=pairs) == ["知識ベース"]
    assert expansions("知識ベース", user_pairs=pairs) == ["kb"]


def test_a_user_pair_outranks_the_dictionary_relation() -> None:
    assert _relations("スマホ", user_pairs=[("スマートフォン", "スマホ")])["スマートフォン"] == "user"


def test_removed_pairs_switch_dictionary_pairs_off() -> None:
    kept = expansions("ごみ", removed_pairs=[("埃", "ごみ"), ("ごみ", "ダスト")])
    assert "埃" not in kept and "ダスト" not in kept and "ゴミ" in kept


def test_unknown_and_empty_words() -> None:
    assert expansions("議会報告会のお知らせ") == []
    assert expansions("  ") == []
    assert expansions("") == []


def test_every_line_of_the_table_is_found_by_its_key() -> None:
    table = synonyms._table()
    lines = synonyms.TABLE.read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("#kb-synonyms\t1\t") and lines[-1] == ""
    keys = [line.split("\t", 1)[0] for line in lines[1:-1]]
    assert keys == sorted(keys, key=lambda k: k.encode("utf-8"))
    groups = {k[1:]: line.split("\t")[1:] for k, line in zip(keys, lines[1:-1], strict=True) if k[0] == "g"}
    for key, line in zip(keys, lines[1:-1], strict=True):
        assert table.line(key) == line.split("\t")[1:]
        if key[0] == "k":
            for ref in line.split("\t")[1].split(","):
                gid, _, pos = ref.partition(":")
                assert int(pos) < len(groups[gid]), ref
        else:
            assert len(groups[key[1:]]) >= 2
    assert table.line("k") is None and table.line("g0") is None and table.line("k\uffff") is None


def test_the_table_ships_with_its_licence_and_origin() -> None:
    data = synonyms.TABLE.parent
    assert "Apache License" in (data / "LICENSE-sudachi-synonyms.txt").read_text(encoding="utf-8")
    notice = (data / "NOTICE").read_text(encoding="utf-8")
    assert "Sudachi" in notice and synonyms.source() in notice
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    files = shipped["tool"]["setuptools"]["package-data"]["kb"]
    assert {f"data/{p.name}" for p in data.iterdir()} <= set(files)


@pytest.mark.parametrize("word", ["ごみ", "スマホ", "インフルエンザ", "コングレス"])
def test_expansions_never_contain_the_word_itself_or_duplicates(word: str) -> None:
    found = expansions(word)
    assert word not in found and len(found) == len(set(found)) and found
