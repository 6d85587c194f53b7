"""Numerals: the values of Arabic, full-width and kanji numbers, and width folding that keeps offsets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kb.facts.numerals import as_value, fold, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("1,234", 1234),
        ("12,345,678", 12345678),
        ("1.5", 1.5),
        ("243万", 2430000),
        ("70億", 7000000000),
        ("512億30百万", 51230000000),
        ("2億3456万7890", 234567890),
        ("5千万", 50000000),
        ("1.5万", 15000),
        ("二十五", 25),
        ("三千五百", 3500),
        ("一万二千", 12000),
        ("百万", 1000000),
        ("千", 1000),
        ("二〇一八", 2018),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    number = parse_number(text)
    assert number is not None
    assert as_value(number) == value


@pytest.mark.parametrize("text", ["", "万", "1万1億", "1,2", "abc"])
def test_parse_number_rejects_malformed(text: str) -> None:
    assert parse_number(text) is None


def test_as_value_prefers_int() -> None:
    assert isinstance(as_value(Decimal("2430000")), int)
    assert isinstance(as_value(Decimal("513.47")), float)


def test_fold_keeps_offsets_and_list_numbers() -> None:
    text = "３８％、ＡＢＣ、①⑴、513、47k㎡（注）"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "38%、ABC、①⑴、513、47k㎡(注)"
