"""The pure rules of customer service (SPEC §5), as tables of real cases."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.service.reports import bar_chart
from backoffice.service.rules import (
    ReviewRules,
    add_months,
    add_working_days,
    complaint_deadlines,
    handover_key,
    judge_review,
    overdue,
    render_review_reply,
    report_state,
    split_list,
    visit_due,
    week_of,
    weekly_report_due,
)
from backoffice.timeutil import SHANGHAI

UTC = dt.timezone.utc


def local(y, m, d, h=0, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


# 2026-11-20 is a Friday, 11-21 Saturday, 11-22 Sunday, 11-23 Monday
@pytest.mark.parametrize("start, days, due", [
    (local(2026, 11, 18, 10), 1, local(2026, 11, 19, 10)),  # Wednesday + 1 → Thursday
    (local(2026, 11, 20, 15), 1, local(2026, 11, 23, 15)),  # Friday + 1 → Monday
    (local(2026, 11, 20, 15), 3, local(2026, 11, 25, 15)),  # Friday + 3 → Wednesday
    (local(2026, 11, 21, 10), 1, local(2026, 11, 23, 10)),  # Saturday + 1 → Monday
    (local(2026, 11, 22, 23, 30), 1, local(2026, 11, 23, 23, 30)),  # Sunday night + 1 → Monday
    (local(2026, 11, 19, 9), 5, local(2026, 11, 26, 9)),  # Thursday + 5 → next Thursday
    (local(2026, 11, 20, 7), 0, local(2026, 11, 20, 7)),
    (local(2026, 11, 23, 1), 1, local(2026, 11, 24, 1)),  # 01:00 Shanghai is Sunday 17:00 UTC: Shanghai decides
])
def test_working_days_skip_weekends(start, days, due):
    assert add_working_days(start.astimezone(UTC), days) == due.astimezone(UTC)


@given(st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2030, 12, 31)),
       st.integers(min_value=1, max_value=25))
def test_a_working_day_deadline_never_falls_on_a_weekend_and_counts_exactly(start, days):
    start = start.replace(tzinfo=SHANGHAI)
    due = add_working_days(start.astimezone(UTC), days).astimezone(SHANGHAI)
    assert due.weekday() < 5 and due.time() == start.time()
    between = [start.date() + dt.timedelta(days=n) for n in range(1, (due.date() - start.date()).days + 1)]
    assert sum(d.weekday() < 5 for d in between) == days


def test_complaint_deadlines_use_hours_for_the_answer_and_working_days_for_the_investigation():
    received = local(2026, 11, 20, 16).astimezone(UTC)  # Friday 16:00
    due = complaint_deadlines(received, 24, 3)
    assert due.first_answer_due == local(2026, 11, 21, 16).astimezone(UTC)  # hours run through the weekend
    assert due.investigation_due == local(2026, 11, 25, 16).astimezone(UTC)


@pytest.mark.parametrize("due, done, now, late", [
    (local(2026, 11, 23, 12), None, local(2026, 11, 23, 11, 59), False),
    (local(2026, 11, 23, 12), None, local(2026, 11, 23, 12, 1), True),
    (local(2026, 11, 23, 12), local(2026, 11, 23, 11), local(2026, 11, 30), False),  # done in time stays in time
    (local(2026, 11, 23, 12), local(2026, 11, 23, 13), local(2026, 11, 23, 13), True),  # done late is late
    (None, None, local(2026, 11, 30), False),
])
def test_overdue(due, done, now, late):
    assert overdue(due, done, now) is late


def test_handover_lists_pinned_first_then_overdue_then_by_promised_time():
    now = local(2026, 11, 23, 9)
    issues = {  # name: (pinned, promised)
        "张丽 补发链条": (False, local(2026, 11, 23, 8)),  # overdue
        "王秀英 退差价": (True, local(2026, 11, 25, 18)),  # pinned, later
        "李静 换货": (False, local(2026, 11, 23, 17)),
        "陈婷婷 催件": (True, local(2026, 11, 22, 18)),  # pinned and overdue
        "赵佳怡 发票": (False, local(2026, 11, 24, 10)),
    }
    order = sorted(issues, key=lambda n: handover_key(*issues[n], now))
    assert order == ["陈婷婷 催件", "王秀英 退差价", "张丽 补发链条", "李静 换货", "赵佳怡 发票"]


RULES = ReviewRules(frozenset({"neutral", "bad"}), ("掉色", "开线", "假货"))


@pytest.mark.parametrize("rating, content, verdict, reason", [
    ("good", "包包很好看，五星好评", "good", "rating:good"),
    ("good", "", "good", "rating:good"),
    ("good", "好看是好看，就是背了两天就开线了", "bad", "words:开线"),
    ("good", "掉色还是假货", "bad", "words:掉色,假货"),
    ("neutral", "一般", "bad", "rating:neutral"),
    ("bad", "差", "bad", "rating:bad"),
])
def test_what_makes_a_review_bad(rating, content, verdict, reason):
    assert (judge_review(rating, content, RULES).verdict, judge_review(rating, content, RULES).reason) == \
        (verdict, reason)


def test_a_neutral_review_not_counted_bad_waits_for_a_person():
    assert judge_review("neutral", "还行", ReviewRules(frozenset({"bad"}), ())).verdict == "neutral"


def test_reply_template_and_word_lists():
    assert render_review_reply("亲爱的{buyer}，感谢好评！", "晓燕爱买包") == "亲爱的晓燕爱买包，感谢好评！"
    assert render_review_reply("亲爱的{buyer}，感谢好评！", None) == "亲爱的亲，感谢好评！"
    assert split_list("掉色， 开线,假货,,") == ("掉色", "开线", "假货")


COMPLETED = local(2026, 11, 1, 14).astimezone(UTC)


@pytest.mark.parametrize("orders, last_visit, kind, due", [
    (1, None, "new", local(2026, 11, 8, 14)),  # new customer: a week after completion
    (1, local(2026, 11, 8, 15), "regular", local(2027, 1, 8, 15)),  # visited once: then every two months
    (3, None, "regular", local(2027, 1, 1, 14)),  # regular, never visited: two months after the last order
    (3, local(2026, 12, 31, 10), "regular", local(2027, 2, 28, 10)),  # end of month clamps (no 31 Feb)
])
def test_follow_up_visits(orders, last_visit, kind, due):
    result = visit_due(orders, COMPLETED, last_visit.astimezone(UTC) if last_visit else None, 7, 2)
    assert (result.kind, result.due_at.astimezone(SHANGHAI)) == (kind, due)


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.datetime(2026, 8, 31, tzinfo=UTC), 6) == dt.datetime(2027, 2, 28, tzinfo=UTC)


def test_the_weekly_report_week_and_deadline():
    assert week_of(dt.date(2026, 11, 22)) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))  # Sunday
    assert week_of(dt.date(2026, 11, 23)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))  # Monday
    assert weekly_report_due(dt.date(2026, 11, 16), 12) == local(2026, 11, 23, 12).astimezone(UTC)


MONDAY = dt.date(2026, 11, 16)


@pytest.mark.parametrize("submitted, now, state", [
    (None, local(2026, 11, 22, 20), "running"),  # Sunday evening: the week is not over
    (None, local(2026, 11, 23, 9), "due"),  # Monday morning
    (None, local(2026, 11, 23, 12, 1), "overdue"),
    (local(2026, 11, 23, 11, 30), local(2026, 11, 24), "submitted"),
    (local(2026, 11, 23, 14), local(2026, 11, 24), "submitted_late"),
])
def test_weekly_report_state(submitted, now, state):
    assert report_state(MONDAY, 12, submitted.astimezone(UTC) if submitted else None, now.astimezone(UTC)) == state


def test_the_bar_chart_escapes_labels_and_scales_to_the_largest():
    svg = bar_chart([("质量问题", 4), ("<script>", 2)], "按原因")
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2 and "按原因" in svg
    assert bar_chart([], "空").count("<rect") == 0
