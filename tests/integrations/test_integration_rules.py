"""Small rules of the integrations package, with their invariants."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrations.clock import fen_to_yuan, from_cst_text, to_cst_text, yuan_to_fen
from integrations.prefetch import prefetch
from integrations.transport import RetryPolicy
from integrations.windows import windows

UTC = dt.timezone.utc


@given(st.integers(-10_000_000, 10_000_000))
def test_fen_and_yuan_round_trip(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


@pytest.mark.parametrize("text, fen", [("128.50", 12850), ("128.5", 12850), ("0.07", 7), ("299", 29900),
                                       (159.0, 15900), (12, 1200), ("-3.20", -320)])
def test_platform_prices_become_exact_fen(text, fen):
    assert yuan_to_fen(text) == fen


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 1, 1)))
def test_beijing_time_text_round_trips(naive):
    at = naive.replace(microsecond=0, tzinfo=UTC)
    assert from_cst_text(to_cst_text(at)) == at


def test_beijing_time_is_eight_hours_ahead():
    assert to_cst_text(dt.datetime(2026, 11, 22, 16, 30, tzinfo=UTC)) == "2026-11-23 00:30:00"
    with pytest.raises(ValueError):
        from_cst_text("2026-11-23T00:30:00")


@given(st.integers(0, 10 * 24 * 60), st.integers(1, 24 * 60))
def test_windows_cover_the_span_without_gaps_and_within_the_limit(minutes, longest):
    start = dt.datetime(2026, 11, 20, tzinfo=UTC)
    end = start + dt.timedelta(minutes=minutes)
    cut = windows(start, end, dt.timedelta(minutes=longest))
    assert all(e - s <= dt.timedelta(minutes=longest) and s < e for s, e in cut)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:]))
    assert (cut[0][0], cut[-1][1]) == (start, end) if cut else minutes == 0


def test_prefetch_keeps_order_and_hands_errors_over():
    def pages():
        yield from ([1], [2], [3])
        raise ConnectionError("page 4 failed")

    seen = []
    with pytest.raises(ConnectionError):
        for page in prefetch(pages()):
            seen.append(page)
    assert seen == [[1], [2], [3]]
    taken = []
    for page in prefetch(iter([[n] for n in range(100)])):
        taken.append(page)
        if len(taken) == 2:
            break  # stopping early stops the producer
    assert taken == [[0], [1]]


def test_prefetch_tells_whether_the_next_page_comes_within_a_moment():
    import threading

    release = threading.Event()

    def pages():
        yield [1]
        release.wait(5)  # a slow platform
        yield [2]

    fetched = prefetch(pages())
    assert next(fetched) == [1]
    assert not fetched.ready_within(0.05)  # the caller commits rather than wait holding its lock
    release.set()
    assert fetched.ready_within(2)
    assert list(fetched) == [[2]]


@given(st.integers(0, 20))
def test_backoff_is_jittered_and_capped(attempt):
    policy = RetryPolicy(base_delay=0.5, max_delay=20)
    assert 0 <= policy.delay(attempt) <= min(20, 0.5 * 2 ** attempt)
