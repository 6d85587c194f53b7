"""`kb facts`, `kb topics`, `kb names`, `kb reindex` and `kb export` end to end on the sample corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from helpers import (
    copy_db,
    import_folder,
    seed_posts,
    seed_quantities,
    seed_sentence,
    seed_sentences,
    seed_titles,
    write_posts,
)
from kb.cli import app

runner = CliRunner()
# The sample's section ◼️mVoting and its five figures, as the gold has them (fixtures/seed.jsonl)
HEADING = seed_posts()[0]["sections"][6]
MVOTING = [
    (q["surface"], q["value"], q["unit"], q.get("qualifier")) for q in seed_quantities(section=HEADING)
]


@pytest.fixture
def db(seed_db: Path) -> Path:
    """The sample corpus, imported once per session (commands here only read it; writers copy it)."""
    return seed_db


def kb(db: Path, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--db", str(db), *args])
    assert "Traceback" not in result.output
    return result


def test_mvoting_topic_lists_its_five_figures_with_sentences(db: Path) -> None:
    facts = json.loads(kb(db, "facts", "--topic", "mVoting", "--kind", "quantity", "--json").stdout)
    assert len(MVOTING) == 5 and HEADING.endswith("mVoting")
    assert [(f["surface"], f["value"], f["unit"], f["qualifier"]) for f in facts] == MVOTING
    assert all(f["section"] == HEADING for f in facts)
    assert facts[0]["sentence"] == seed_sentence(MVOTING[0][0])
    assert facts[0]["figure"] == MVOTING[0][0]
    assert facts[4]["sentence"] == seed_sentence(MVOTING[4][0])


def test_topic_matching_ignores_width_and_case(db: Path) -> None:
    a = json.loads(kb(db, "facts", "--topic", "ｍｖｏｔｉｎｇ", "--kind", "quantity", "--json").stdout)
    assert [f["surface"] for f in a] == [m[0] for m in MVOTING]


def test_facts_json_contract(db: Path) -> None:
    facts = json.loads(kb(db, "facts", "--json", "--limit", "100000").stdout)
    keys = {
        "kind",
        "surface",
        "value",
        "value_max",
        "unit",
        "qualifier",
        "post_id",
        "title",
        "date",
        "section",
        "sentence",
        "start",
        "end",
        "source",
    }
    assert facts and all(keys <= set(f) for f in facts)
    assert {f["kind"] for f in facts} == {"quantity", "date", "org", "place"}
    (gold,) = [q for q in seed_quantities() if "value_max" in q]  # the sample's one range
    ranged = next(f for f in facts if f["surface"] == gold["surface"])
    assert (ranged["value"], ranged["value_max"], ranged["unit"]) == (gold["value"], gold["value_max"], "件")


def test_filters_by_unit_and_value(db: Path) -> None:
    people = json.loads(kb(db, "facts", "--unit", "人", "--min", "100000", "--json").stdout)
    gold = sorted(q["value"] for q in seed_quantities(unit="人") if q["value"] >= 100000)
    assert len(gold) == 2 and sorted(f["value"] for f in people) == gold
    assert kb(db, "facts", "--kind", "bogus").exit_code == 2
    assert kb(db, "facts", "--unit", "光年").exit_code == 1


def test_query_filter_keeps_facts_of_matching_passages(db: Path) -> None:
    facts = json.loads(kb(db, "facts", "--query", "ボランティア", "--kind", "quantity", "--json").stdout)
    sentences = seed_sentences("ボランティア")
    gold = [q["surface"] for q in seed_quantities() if any(q["surface"] in s for s in sentences)]
    assert len(gold) == 4 and [f["surface"] for f in facts] == gold
    assert all("ボランティア" in f["sentence"] for f in facts)


def test_terminal_table_shows_japanese_figures(db: Path) -> None:
    out = kb(db, "facts", "--topic", "mVoting", "--kind", "quantity").stdout
    assert MVOTING[0][0] in out and str(MVOTING[0][1]) in out


def test_topics(db: Path) -> None:
    topics = json.loads(kb(db, "topics", "--json").stdout)
    mv = next(t for t in topics if t["heading"] == HEADING)
    assert mv["quantity"] == len(MVOTING) and mv["posts"] == 1
    # a heading that recurs across posts is one topic: ☆☆☆ closes two of the sample posts
    stars = next(t for t in topics if t["heading"] == "☆☆☆")
    assert stars["posts"] == len(stars["post_ids"]) == 2
    assert len(topics) == len({h for p in seed_posts() for h in p["sections"]}) == 27


def test_user_names_apply_after_reindex(tmp_path: Path, db: Path) -> None:
    local = tmp_path / "kb.db"
    copy_db(db, local)
    post = "福井市の視察\n\n駅前のハコニワで、まちなか交流の取り組みについて説明を受けました。\n"
    import_folder(write_posts(tmp_path / "more", {"fukui.txt": post}), local)
    assert kb(local, "names", "add", "ハコニワ", "--kind", "org").exit_code == 0
    assert json.loads(kb(local, "names", "list", "--json").stdout) == [{"surface": "ハコニワ", "kind": "org"}]
    before = json.loads(kb(local, "facts", "--kind", "org", "--json").stdout)
    assert "ハコニワ" not in {f["surface"] for f in before}
    result = kb(local, "reindex")
    assert result.exit_code == 0 and str(local) in result.output
    after = json.loads(kb(local, "facts", "--kind", "org", "--json").stdout)
    assert "ハコニワ" in {f["surface"] for f in after}
    assert {f["surface"] for f in before} < {f["surface"] for f in after}  # the sample's names kept
    # reindexing rebuilds the word index too: search still works and finds the same
    assert kb(local, "search", "電子政府").exit_code == 0
    assert kb(local, "names", "remove", "ハコニワ").exit_code == 0
    assert kb(local, "names", "remove", "ハコニワ").exit_code == 1


def test_segmenter_version_change_offers_reindex(tmp_path: Path, db: Path) -> None:
    import sqlite3

    local = tmp_path / "kb.db"
    copy_db(db, local)
    with sqlite3.connect(local) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('segmenter', '{\"sudachipy\": \"0.6.8\"}')"
        )
    result = kb(local, "search", "電子政府")
    assert "kb reindex" in result.stderr
    kb(local, "reindex")
    assert "kb reindex" not in kb(local, "search", "電子政府").stderr


def test_export_mvoting_to_xlsx_and_csv(tmp_path: Path, db: Path) -> None:
    xlsx = tmp_path / "mvoting.xlsx"
    result = kb(db, "export", "--topic", "mVoting", "--kind", "quantity", "-o", str(xlsx))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(xlsx).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("項目", "数値", "値", "単位")
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == MVOTING
    assert all(isinstance(r[2], int) for r in rows[1:])
    assert all(r[7] == seed_titles()[0] for r in rows[1:])
    assert ws.freeze_panes == "A2"
    out = kb(db, "export", "--topic", "mVoting", "--kind", "quantity", "--format", "csv")
    assert out.exit_code == 0
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert [r[2] for r in table[1:]] == [str(m[1]) for m in MVOTING]
    assert kb(db, "export", "--topic", "mVoting", "-o", str(xlsx)).exit_code == 2  # exists: needs --force
    assert kb(db, "export", "--topic", "mVoting", "-o", str(xlsx), "--force").exit_code == 0


def test_export_search_hits_as_markdown(db: Path) -> None:
    out = kb(db, "export", "--search", "監視カメラ", "--format", "md")
    assert out.exit_code == 0
    assert out.stdout.count("監視カメラ") >= 2 and "|" in out.stdout


def test_export_question_sheet(db: Path) -> None:
    out = kb(db, "export", "--topic", "mVoting", "--kind", "quantity", "--format", "md", "--sheet")
    assert out.exit_code == 0
    assert f"## {HEADING}" in out.stdout and "[^1]" in out.stdout and MVOTING[0][0] in out.stdout


def test_export_without_a_bom_and_with_the_unit_it_used(db: Path, tmp_path: Path) -> None:
    with_bom = kb(db, "export", "--topic", "mVoting", "-f", "csv", "-o", "-")
    without = kb(db, "export", "--topic", "mVoting", "-f", "csv", "-o", "-", "--no-bom")
    assert with_bom.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert not without.stdout_bytes.startswith(b"\xef\xbb\xbf") and without.stdout_bytes.strip()
    # a scaled unit is read as the stored one, and the export says so
    out = tmp_path / "yen.csv"
    result = kb(db, "export", "--unit", "億円", "--min", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "円 として検索しました" in result.stderr
    (yen,) = seed_quantities(unit="円")
    assert yen["value"] >= 10**8 and yen["surface"] in out.read_text(encoding="utf-8-sig")
