from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from backoffice.money import fen_to_yuan, yuan_to_fen
from backoffice.timeutil import format_local, local_today


@pytest.mark.parametrize("text, fen", [
    ("95.24", 9524), ("19.9", 1990), ("¥1,280.00", 128000), ("0.005", 1), ("0.004", 0), ("18", 1800), ("-2.5", -250),
])
def test_yuan_to_fen_rounds_half_up_to_the_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "NaN", "Infinity"])
def test_yuan_to_fen_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError):
        yuan_to_fen(bad)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fen_round_trips_through_yuan(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


def test_times_are_shown_in_shanghai():
    late_utc = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.timezone.utc)
    assert format_local(late_utc) == "2026-11-24 01:30"
    assert local_today(late_utc) == dt.date(2026, 11, 24)
