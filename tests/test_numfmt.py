"""Tests for kb.text.numfmt: figures written the way a Japanese reader writes them."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.text.numfmt import japanese_figure, plain_number


@pytest.mark.parametrize(
    ("value", "unit", "value_max", "surface", "expected"),
    [
        # at or above 10万: 万/億/兆 with the remainder
        (1680000, "人", None, None, "168万人"),
        (1680000.0, "人", None, None, "168万人"),
        (5000000000, "円", None, None, "50億円"),
        (40499000000, "円", None, None, "404億9900万円"),
        (220000, "市民", None, None, "22万市民"),
        (14000000, "件", None, None, "1400万件"),
        (123456789, None, None, None, "1億2345万6789"),
        (100000, "人", None, None, "10万人"),
        (100000000, "円", None, None, "1億円"),
        (1000000000000, "円", None, None, "1兆円"),
        (2300000000000, "円", None, None, "2兆3000億円"),
        (1000010000, "円", None, None, "10億1万円"),
        (1234567.5, "円", None, None, "123万4567.5円"),
        (1000000.5, "円", None, None, "1000000.5円"),  # "100万0.5" would read oddly
        (-1500000, "円", None, None, "-150万円"),
        # below 10万: plain digits, no separators
        (50000, "人", None, None, "50000人"),
        (99999, "人", None, None, "99999人"),
        (5520, None, None, None, "5520"),
        (0, "件", None, None, "0件"),
        # decimals kept, without float noise
        (605.26, "km2", None, None, "605.26km2"),
        (91.25, None, None, None, "91.25"),
        (0.1 + 0.2, "%", None, None, "0.3%"),
        # percentages and 割
        (22, "%", None, None, "22%"),
        (2, "割", None, None, "2割"),
        (2.5, "割", None, None, "2.5割"),
        # ranges: value〜value_max + unit, one style for both ends
        (20, "件", 30, None, "20〜30件"),
        (20.0, "件", 30.0, None, "20〜30件"),
        (200000, "人", 300000, None, "20万〜30万人"),
        (50000, "人", 150000, None, "5万〜15万人"),
        (30, "件", 30, None, "30件"),  # a degenerate range is one figure
        # no number: the surface, else nothing
        (None, "人", None, "数万人", "数万人"),
        (None, None, None, None, ""),
        ("2018-04-13", None, None, "2018年4月13日", "2018年4月13日"),
        ("2018-04-13", None, None, None, "2018-04-13"),
    ],
)
def test_japanese_figure(
    value: float | str | None, unit: str | None, value_max: float | None, surface: str | None, expected: str
) -> None:
    assert japanese_figure(value, unit, value_max, surface) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1680000.0, "1680000"),
        (1680000, "1680000"),
        (605.26, "605.26"),
        (605.2600000000001, "605.26"),
        (0.1 + 0.2, "0.3"),
        (91.25, "91.25"),
        (1e-05, "0.00001"),
        (1e22, "10000000000000000000000"),
        (-3.5, "-3.5"),
        (0.0, "0"),
        (-0.0, "0"),
        (12345678901234567890, "12345678901234567890"),
        (True, "1"),
    ],
)
def test_plain_number(value: float, expected: str) -> None:
    assert plain_number(value) == expected


def test_non_finite_numbers_do_not_raise() -> None:
    assert plain_number(math.inf) == "inf"
    assert japanese_figure(math.nan, "人") == "nan人"


_MYRIAD = {"万": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16}


def _parse_myriad(text: str) -> int:
    """Read back "1億2345万6789" into 123456789."""
    total, digits = 0, ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        else:
            total += int(digits) * _MYRIAD[ch]
            digits = ""
    return total + (int(digits) if digits else 0)


@given(st.integers(min_value=0, max_value=10**19 - 1))
def test_integers_read_back(n: int) -> None:
    text = japanese_figure(n, None)
    if n < 100_000:
        assert text == str(n)
    else:
        assert _parse_myriad(text) == n
        runs = re.findall(r"\d+", text)
        assert all(len(run) <= 4 and not run.startswith("0") for run in runs)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_plain_number_round_trips(x: float) -> None:
    text = plain_number(x)
    assert "e" not in text.lower()
    assert math.isclose(float(text), x, rel_tol=1e-14, abs_tol=1e-300)
