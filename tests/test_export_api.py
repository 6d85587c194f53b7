"""`api.export` on the sample corpus: every fact names its post, line and file (never the folders of
the machine it was imported on), search exports have their own columns, progress is reported."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

from helpers import seed_posts, seed_quantities
from kb import api
from kb.export.tabular import FACTS, SEARCH
from kb.record import replace
from kb.store import Store


def _csv(store: Store, req: api.ExportRequest, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "out.csv"
    api.export(store, replace(req, output=str(out), force=True))
    with open(out, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_facts_export_cites_post_line_and_file(seed_store: Store, tmp_path: Path) -> None:
    table = _csv(seed_store, api.ExportRequest(facts=api.FactQuery(topic="mVoting")), tmp_path)
    header, rows = table[0], table[1:]
    assert header == FACTS.labels("ja")
    col = {label: i for i, label in enumerate(header)}
    assert len(rows) == 7
    for row in rows:
        assert row[col["投稿"]].startswith("#") and row[col["投稿"]][1:].isdigit()
        assert row[col["行"]].isdigit()
        assert row[col["ファイル"]] == "seed-blog.txt"  # the name, not /tmp/.../corpus/seed-blog.txt
    figures = [row[col["数値"]] for row in rows]
    gold = [q["surface"] for q in seed_quantities(section=seed_posts()[0]["sections"][6])]
    assert len(gold) == 5 and [f for f in figures if f in gold] == gold  # the five figures, in order


def test_search_export_has_post_date_heading_passage_line_file(seed_store: Store, tmp_path: Path) -> None:
    table = _csv(seed_store, api.ExportRequest(search="監視カメラ"), tmp_path)
    assert (
        table[0]
        == SEARCH.labels("ja")
        == ["投稿", "タイトル", "日付", "見出し", "本文", "行", "ファイル", "URL"]
    )
    rows = table[1:]
    assert rows and all(len(row) == 8 for row in rows)
    assert all("監視カメラ" in row[4] for row in rows)
    assert all(row[0].startswith("#") and row[5].isdigit() and row[6] == "seed-blog.txt" for row in rows)


def test_search_export_as_json_and_xlsx(seed_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "hits.json"
    api.export(seed_store, api.ExportRequest(search="監視カメラ", output=str(out)))
    hits = json.loads(out.read_text(encoding="utf-8"))
    assert hits and set(hits[0]) == {"post_id", "title", "date", "heading", "passage", "line", "file", "url"}
    xlsx = tmp_path / "hits.xlsx"
    api.export(seed_store, api.ExportRequest(search="監視カメラ", output=str(xlsx)))
    ws = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in ws[1]] == SEARCH.labels("ja")
    assert ws.max_row == len(hits) + 1


def test_a_matched_heading_quotes_the_line_under_it(seed_store: Store, tmp_path: Path) -> None:
    """A heading that matched on its own is no row that repeats the heading as its passage."""
    table = _csv(seed_store, api.ExportRequest(search="mVoting"), tmp_path)
    rows = table[1:]
    assert rows
    for row in rows:
        assert row[4] != row[3], row  # 本文 is never just the 見出し again


def test_progress_and_bom_through_the_api(seed_store: Store, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    out = tmp_path / "all.tsv"
    result = api.export(
        seed_store, api.ExportRequest(output=str(out), bom=False), progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, result.rows) and calls[-1] == (result.rows, result.rows)
    assert out.read_bytes().startswith("項目\t".encode())  # bom=False: no BOM
