from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.money import AmountError, fen_to_yuan, whole_quantity, yuan_to_fen
from backoffice.timeutil import format_local, local_today


@pytest.mark.parametrize("text, fen", [
    ("95.24", 9524), ("19.9", 1990), ("¥1,280.00", 128000), ("0.010", 1), ("18", 1800), ("-2.5", -250),
    ("1000000", 100_000_000),
])
def test_yuan_to_fen_reads_amounts_to_the_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("bad, reason", [
    ("", "不是以元为单位的金额"), ("abc", "不是以元为单位的金额"), ("1.2.3", "不是以元为单位的金额"),
    ("NaN", "不是以元为单位的金额"), ("Infinity", "不是以元为单位的金额"),
    ("0.001", "比一分钱还细（最多两位小数）"), ("0.005", "比一分钱还细（最多两位小数）"),
    ("1e20", "超过 1,000,000 元"), ("98765432109876543210", "超过 1,000,000 元"), ("1e9", "超过 1,000,000 元"),
    ("-1e9", "超过 1,000,000 元"), ("1E+999999999", "超过 1,000,000 元"), ("1000000.01", "超过 1,000,000 元"),
])
def test_yuan_to_fen_refuses_rather_than_rounds_or_overflows(app, bad, reason):
    with app.test_request_context():
        with pytest.raises(AmountError) as refused:
            yuan_to_fen(bad)
        assert str(refused.value.reason) == reason


@pytest.mark.parametrize("text, expected", [
    ("1", 1), ("12", 12), ("9999", 9999), ("0", "不是大于 0 的整数"), ("-1", "不是大于 0 的整数"), ("1.5", "不是大于 0 的整数"),
    ("１", "不是大于 0 的整数"), ("10000", "超过 9999 件"), ("1e20", "不是大于 0 的整数"),
    ("98765432109876543210", "超过 9999 件"),
])
def test_quantities_are_whole_and_bounded(app, text, expected):
    with app.test_request_context():
        if isinstance(expected, int):
            assert whole_quantity(text) == expected
        else:
            with pytest.raises(AmountError) as refused:
                whole_quantity(text)
            assert str(refused.value.reason) == expected


@given(st.integers(min_value=-10**8, max_value=10**8))
def test_fen_round_trips_through_yuan(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


def test_times_are_shown_in_shanghai():
    late_utc = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.timezone.utc)
    assert format_local(late_utc) == "2026-11-24 01:30"
    assert local_today(late_utc) == dt.date(2026, 11, 24)
