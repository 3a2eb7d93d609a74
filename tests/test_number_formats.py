"""One number format on every face: compact tiles, p-values, clamped intervals, CSV floats."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from flows import formatting as fmt


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (241_953, "zh", "24.2万"),
        (241_953, "en", "242K"),
        (99_999, "zh", "99,999"),
        (1_234_567, "en", "1.2M"),
        (312_000_000, "zh", "3.1亿"),
        (None, "zh", "—"),
    ],
)
def test_compact_tiles(value, lang, shown):
    assert fmt.compact(value, lang) == shown


def test_compact_money_keeps_small_amounts_in_full():
    assert fmt.compact_money(241_953.5, "CNY", "zh") == "¥24.2万"
    assert fmt.compact_money(1_234.5, "CNY", "en") == "¥1,234.50"
    assert len(fmt.compact_money(98_765_432.1, "CNY", "en")) <= 9


@pytest.mark.parametrize(
    ("p", "shown"), [(0.5184, "0.518"), (0.322, "0.322"), (6.39e-18, "< 0.001"), (1.0, "1")]
)
def test_p_values_have_three_significant_digits(p, shown):
    assert fmt.p_value(p) == shown


def test_intervals_are_clamped():
    assert fmt.interval(-1e-17) == 0.0 and fmt.interval(1.0000001) == 1.0
    assert fmt.interval(None) is None


def test_csv_downloads_have_no_scientific_notation():
    frame = pd.DataFrame({"p_value": [6.39e-18, 0.5], "rate": [1e-7, 0.25]})
    text = fmt.csv_bytes(frame).decode("utf-8-sig")
    assert "e-" not in text
    back = pd.read_csv(io.StringIO(text))
    assert back["p_value"].tolist() == [6.39e-18, 0.5]
