"""Figures and units as a Japanese user types them, end to end through `kb facts` on the sample
corpus: `--min 10万`, `--max 1.5億`, `100,000`, full-width digits; `--unit ％`, `億円`, `万人`,
`パーセント`; people counted in 人 and 名 together unless `--exact-unit`; and kb says how it read
the unit (on stderr, so a pipe gets only the facts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import seed_quantities
from kb.cli import app
from kb.errors import QueryError
from kb.units import parse_figure, resolve_unit

runner = CliRunner()
# The sample's figures these tests find, as the gold has them (fixtures/seed.jsonl), in text order
PERCENT = [(q["value"], "%") for q in seed_quantities(unit="%")]
YEN = [(q["value"], "円") for q in seed_quantities(unit="円")]
CROWDS = [(q["value"], "人") for q in seed_quantities(unit="人") if q["value"] >= 100_000]


def facts(db: Path, *args: str) -> tuple[list[tuple[float, str]], str]:
    """(value, unit) of every fact found, and what kb said on stderr."""
    result = runner.invoke(app, ["--db", str(db), "facts", "--kind", "quantity", *args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return [(f["value"], f["unit"]) for f in json.loads(result.stdout)], result.stderr


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("100000", 100_000),
        ("100,000", 100_000),
        ("10万", 100_000),
        ("１０万", 100_000),
        ("１００，０００", 100_000),
        ("1.5億", 150_000_000),
        ("1.5 億", 150_000_000),
        ("2万5千", 25_000),
        ("3百万", 3_000_000),
        ("十万", 100_000),
        ("▲100", -100),
        ("-5", -5),
    ],
)
def test_figures_as_users_type_them(typed: str, number: float) -> None:
    assert parse_figure(typed, "--min") == number


@pytest.mark.parametrize("typed", ["10万人", "abc", "", "1e5", "inf"])
def test_what_is_not_a_figure_is_refused_with_examples(typed: str) -> None:
    with pytest.raises(QueryError, match=r"--max には(数|有限の数)を指定してください"):
        parse_figure(typed, "--max")


@pytest.mark.parametrize(
    ("typed", "units", "scale"),
    [
        ("%", ("%",), 1),
        ("％", ("%",), 1),
        ("パーセント", ("%",), 1),
        ("円", ("円",), 1),
        ("億円", ("円",), 10**8),
        ("千万円", ("円",), 10**7),
        ("百万円", ("円",), 10**6),
        ("万円", ("円",), 10**4),
        ("万人", ("人", "名"), 10**4),
        ("十万人", ("人", "名"), 10**5),
        ("名", ("人", "名"), 1),
        ("ｋｍ２", ("km2",), 1),
    ],
)
def test_units_fold_width_and_scale(typed: str, units: tuple[str, ...], scale: int) -> None:
    found, factor, note = resolve_unit(typed)
    assert (found, factor) == (units, scale)
    if typed not in units:
        assert note is not None and f"単位 {typed} は {units[0]} として検索しました" in note


def test_exact_unit_keeps_people_counters_apart() -> None:
    assert resolve_unit("人", exact=True) == (("人",), 1, None)
    assert resolve_unit("名", exact=True) == (("名",), 1, None)


def test_percent_however_written(seed_db: Path) -> None:
    ascii_, said = facts(seed_db, "--unit", "%")
    assert len(PERCENT) == 2 and sorted(ascii_) == sorted(PERCENT) and said == ""
    for typed in ("％", "パーセント"):
        found, said = facts(seed_db, "--unit", typed)
        assert found == ascii_
        assert said == f"kb: 単位 {typed} は % として検索しました\n"


def test_scaled_units_read_min_and_max_in_that_unit(seed_db: Path) -> None:
    ((value, _),) = YEN  # one sum of yen in the sample, a whole number of 億
    assert value % 10**8 == 0 and value >= 10 * 10**8
    yen, said = facts(seed_db, "--unit", "億円", "--min", "10")
    assert yen == YEN
    assert "単位 億円 は 円 として検索しました" in said and "--min/--max は 億円 単位で読みました" in said
    assert facts(seed_db, "--unit", "億円", "--min", str(value // 10**8 + 10))[0] == []
    assert facts(seed_db, "--unit", "円", "--min", "1億")[0] == yen
    assert facts(seed_db, "--unit", "百万円", "--min", str(value // 10**6))[0] == yen  # the sum exactly


def test_min_in_japanese_figures(seed_db: Path) -> None:
    expected = CROWDS
    assert len(expected) == 2 and expected[0][0] > 1_000_000 > expected[1][0]
    for typed in ("10万", "100,000", "１０万", "100000"):
        assert facts(seed_db, "--unit", "人", "--min", typed)[0] == expected
    assert facts(seed_db, "--unit", "万人", "--min", "10")[0] == expected
    assert facts(seed_db, "--unit", "万人", "--min", "10", "--max", "100")[0] == expected[1:]


def test_people_counted_in_nin_and_mei_together(seed_db: Path) -> None:
    together, said = facts(seed_db, "--unit", "人")
    assert {u for _, u in together} == {"人", "名"}
    assert "人・名 をまとめて検索しました (分けるには --exact-unit)" in said
    assert facts(seed_db, "--unit", "名")[0] == together
    only_nin, said = facts(seed_db, "--unit", "人", "--exact-unit")
    only_mei, _ = facts(seed_db, "--unit", "名", "--exact-unit")
    assert {u for _, u in only_nin} == {"人"} and {u for _, u in only_mei} == {"名"}
    assert sorted(only_nin + only_mei) == sorted(together) and said == ""


def test_unit_notes_stay_off_the_pipe(seed_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(seed_db), "facts", "--unit", "％"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("種別\t") and "として検索しました" not in result.stdout
    assert result.stderr == "kb: 単位 ％ は % として検索しました\n"


def test_a_bad_figure_is_one_line(seed_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(seed_db), "facts", "--min", "10万人"])
    assert result.exit_code == 2
    assert result.stderr == (
        "kb: --min には数を指定してください ('10万人'; 例: 100000, 10万, 1.5億; 単位は --unit で)\n"
    )
