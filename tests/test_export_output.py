"""Tests for where an export goes: formats, stdout, atomic files, --force, and the errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from export_rows import HEADERS_JA, sample_rows

from kb.errors import ExportError
from kb.export import FORMATS, write_export
from kb.export import format_from_path as fmt_of


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("out.xlsx", "xlsx"),
        ("OUT.XLSX", "xlsx"),
        ("dir.v2/facts.csv", "csv"),
        ("facts.tsv", "tsv"),
        ("質問案.md", "md"),
        ("notes.markdown", "md"),
        ("facts.json", "json"),
        ("facts.jsonl", "jsonl"),
        ("facts.txt", None),
        ("facts", None),
        ("-", None),
    ],
)
def test_format_from_path(path: str, expected: str | None) -> None:
    assert fmt_of(path) == expected


def test_formats() -> None:
    assert FORMATS == ("xlsx", "csv", "tsv", "md", "json", "jsonl")


def test_unknown_format_lists_the_supported_ones() -> None:
    with pytest.raises(ExportError) as info:
        write_export(sample_rows(), "pdf", None, stdout=io.StringIO())
    message = str(info.value)
    assert "'pdf'" in message
    for name in FORMATS:
        assert name in message
    assert info.value.exit_code == 2


def test_format_names_are_forgiving() -> None:
    stream = io.StringIO()
    assert write_export([], "CSV", None, stdout=stream).format == "csv"
    assert write_export([], ".jsonl", None, stdout=stream).format == "jsonl"


def test_bad_options_name_the_option() -> None:
    with pytest.raises(ExportError, match="^--headers に 'fr' は指定できません"):
        write_export([], "csv", None, headers="fr", stdout=io.StringIO())
    with pytest.raises(ExportError, match="^--encoding に 'shift-jisx' は指定できません"):
        write_export([], "csv", None, encoding="shift-jisx", stdout=io.StringIO())
    with pytest.raises(ExportError, match="^--sheet-per に 'post' は指定できません"):
        write_export([], "xlsx", "x.xlsx", sheet_per="post")


def _binary_stdout() -> tuple[io.BytesIO, io.TextIOWrapper]:
    buffer = io.BytesIO()
    return buffer, io.TextIOWrapper(buffer, encoding="utf-8", newline="")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_stdout_gets_the_same_bytes_as_the_file(tmp_path: Path, fmt: str) -> None:
    """`kb export > x.csv` is the README's own workflow: a BOM and CRLF, as with -o x.csv."""
    out = tmp_path / f"facts.{fmt}"
    write_export(sample_rows(), fmt, str(out))
    buffer, stream = _binary_stdout()
    result = write_export(sample_rows(), fmt, None, stdout=stream)
    assert result.path is None and result.rows == 10
    assert buffer.getvalue().startswith(b"\xef\xbb\xbf" + "項目".encode())
    assert buffer.getvalue() == out.read_bytes()


def test_text_only_stdout_gets_the_bom_as_a_character() -> None:
    stream = io.StringIO()
    write_export(sample_rows(), "csv", None, stdout=stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff" + ",".join(HEADERS_JA) + "\r\n")


def test_no_bom_to_stdout_is_plain_text() -> None:
    stream = io.StringIO()
    result = write_export(sample_rows(), "csv", None, bom=False, stdout=stream)
    assert result.warnings == []
    text = stream.getvalue()
    assert text.startswith(",".join(HEADERS_JA) + "\n")
    assert "\r" not in text and "\ufeff" not in text
    buffer, binary = _binary_stdout()
    write_export(sample_rows(), "tsv", "-", bom=False, stdout=binary)
    binary.flush()
    assert buffer.getvalue().startswith("\t".join(HEADERS_JA).encode() + b"\n")


def test_markdown_and_json_to_stdout_have_no_bom() -> None:
    for fmt in ("md", "json", "jsonl"):
        buffer, stream = _binary_stdout()
        write_export(sample_rows(), fmt, None, stdout=stream)
        stream.flush()
        assert not buffer.getvalue().startswith(b"\xef\xbb\xbf")
        assert b"\r" not in buffer.getvalue()


def test_explicit_encoding_to_stdout_writes_bytes() -> None:
    buffer, stream = _binary_stdout()
    result = write_export(sample_rows(), "csv", "-", encoding="cp932", stdout=stream)
    text = buffer.getvalue().decode("cp932")
    assert text.startswith(",".join(HEADERS_JA) + "\r\n")
    assert "〓オンライン申請" in text
    assert result.warnings


def test_inapplicable_options_warn_in_japanese_with_option_names() -> None:
    result = write_export([], "csv", None, sheet_per="topic", md_sheet=True, stdout=io.StringIO())
    assert result.warnings == [
        "--sheet-per は xlsx のときだけ使えます (csv では無視しました)",
        "--sheet は md のときだけ使えます (csv では無視しました)",
    ]
    result = write_export([], "json", None, bom=False, stdout=io.StringIO())
    assert result.warnings == ["--no-bom は csv と tsv のときだけ使えます (json では無視しました)"]


def test_extension_mismatch_warns(tmp_path: Path) -> None:
    path = tmp_path / "facts.xlsx"
    result = write_export([], "csv", str(path))
    assert result.warnings == [
        f"{path} は拡張子が xlsx ですが、csv で書き出しました (形式は --format で選べます)"
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_counts_every_row(tmp_path: Path, fmt: str) -> None:
    rows = sample_rows() * 150  # 1,500 rows: more than one report in between
    calls: list[tuple[int, int]] = []
    write_export(
        rows, fmt, str(tmp_path / f"many.{fmt}"), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[0] == (0, 1500) and calls[-1] == (1500, 1500)
    assert len(calls) > 2
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert {total for _, total in calls} == {1500}
    assert len(calls) <= 202  # bounded, whatever the size


def test_progress_on_an_empty_export() -> None:
    calls: list[tuple[int, int]] = []
    write_export([], "csv", None, stdout=io.StringIO(), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 0), (0, 0)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_refuses_to_overwrite_without_force(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"facts.{fmt}"
    out.write_bytes(b"old")
    with pytest.raises(ExportError, match="--force") as info:
        write_export(sample_rows(), fmt, str(out))
    assert str(out) in str(info.value)
    assert out.read_bytes() == b"old"
    result = write_export(sample_rows(), fmt, str(out), force=True)
    assert result.path == str(out)
    assert out.read_bytes() != b"old"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    write_export([], "csv", str(out))
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_force_keeps_the_old_permissions(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    out.write_bytes(b"old")
    out.chmod(0o640)
    write_export([], "csv", str(out), force=True)
    assert out.stat().st_mode & 0o777 == 0o640


def test_missing_directory(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "facts.csv"
    with pytest.raises(ExportError, match="nowhere"):
        write_export(sample_rows(), "csv", str(out))
    with pytest.raises(ExportError, match="nowhere"):
        write_export(sample_rows(), "xlsx", str(tmp_path / "nowhere" / "facts.xlsx"))


def test_directory_as_output(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="^フォルダーには書き出せません"):
        write_export(sample_rows(), "csv", str(tmp_path), force=True)


def test_failed_render_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "facts.csv"

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(ExportError, match="^書き出せませんでした: .*facts.csv: ディスクがいっぱいです$"):
        write_export(sample_rows(), "csv", str(out))
    assert list(tmp_path.iterdir()) == []


def test_relative_path_in_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = write_export(sample_rows(), "md", "質問案.md")
    assert result.path == "質問案.md"
    assert (tmp_path / "質問案.md").read_text(encoding="utf-8").startswith("## ◼️オンライン申請\n")
