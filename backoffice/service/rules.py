"""Pure decisions of customer service (SPEC §5): deadlines, overdue, the order
of the shift handover, what makes a review bad, when a buyer is due a
follow-up visit, the weekly report's week and deadline. Times are aware;
calendar rules (weekends, Monday noon) are reckoned in Asia/Shanghai."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from backoffice.timeutil import SHANGHAI


# -- deadlines -----------------------------------------------------------------------
def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` working days after `start` at the same clock time, Saturdays and
    Sundays skipped (Friday 15:00 + 1 → Monday 15:00; Saturday 10:00 + 1 →
    Monday 10:00)."""
    local = start.astimezone(SHANGHAI)
    date = local.date()
    for _ in range(days):
        date += dt.timedelta(days=1)
        while date.weekday() >= 5:
            date += dt.timedelta(days=1)
    return dt.datetime.combine(date, local.timetz()).astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class ComplaintDeadlines:
    first_answer_due: dt.datetime
    investigation_due: dt.datetime


def complaint_deadlines(received_at: dt.datetime, first_answer_hours: int, working_days: int) -> ComplaintDeadlines:
    return ComplaintDeadlines(received_at + dt.timedelta(hours=first_answer_hours),
                              add_working_days(received_at, working_days))


def overdue(due: dt.datetime | None, done: dt.datetime | None, now: dt.datetime) -> bool:
    """Past its deadline and not done (done late still counts as late)."""
    if due is None:
        return False
    return (done or now) > due


# -- the shift handover ----------------------------------------------------------------
def handover_key(pinned: bool, promised_at: dt.datetime, now: dt.datetime) -> tuple:
    """Pinned issues first, then the overdue ones, then by the promised time."""
    return (not pinned, promised_at > now, promised_at)


# -- reviews -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewRules:
    bad_ratings: frozenset[str]
    bad_words: tuple[str, ...]


def split_list(text: str) -> tuple[str, ...]:
    """'a, b，c' → ('a', 'b', 'c'): staff type either comma."""
    return tuple(w.strip() for w in (text or "").replace("，", ",").split(",") if w.strip())


@dataclass(frozen=True)
class Verdict:
    verdict: str  # good: reply with five stars; bad: the supervisor at once; neutral: read by a person
    reason: str


def judge_review(rating: str, content: str, rules: ReviewRules) -> Verdict:
    if rating in rules.bad_ratings:
        return Verdict("bad", f"rating:{rating}")
    found = [w for w in rules.bad_words if w in (content or "")]
    if found:
        return Verdict("bad", "words:" + ",".join(found))
    if rating == "good":
        return Verdict("good", "rating:good")
    return Verdict("neutral", f"rating:{rating}")


def render_review_reply(template: str, buyer: str | None) -> str:
    return template.replace("{buyer}", buyer or "亲")


# -- follow-up visits (回访) --------------------------------------------------------------
def add_months(value: dt.datetime, months: int) -> dt.datetime:
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class VisitDue:
    kind: str  # new, regular
    due_at: dt.datetime


def visit_due(completed_orders: int, last_completed_at: dt.datetime, last_visit_at: dt.datetime | None,
              new_days: int, regular_months: int) -> VisitDue:
    """A new customer (one completed order) is visited `new_days` after it
    completed; a regular customer every `regular_months`, counted from the
    last visit (or, before any, from the last completed order)."""
    if completed_orders <= 1:
        if last_visit_at and last_visit_at >= last_completed_at:  # visited already: next as a regular
            return VisitDue("regular", add_months(last_visit_at, regular_months))
        return VisitDue("new", last_completed_at + dt.timedelta(days=new_days))
    return VisitDue("regular", add_months(last_visit_at or last_completed_at, regular_months))


# -- the weekly complaint report ------------------------------------------------------------
def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def week_bounds_utc(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[Monday 00:00, next Monday 00:00) in Shanghai, as UTC."""
    start = dt.datetime.combine(monday, dt.time(), SHANGHAI)
    return start.astimezone(dt.timezone.utc), (start + dt.timedelta(days=7)).astimezone(dt.timezone.utc)


def weekly_report_due(monday: dt.date, due_hour: int) -> dt.datetime:
    """Due the Monday after the week, by `due_hour`:00 Shanghai time."""
    return dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(due_hour), SHANGHAI).astimezone(dt.timezone.utc)


def report_state(monday: dt.date, due_hour: int, submitted_at: dt.datetime | None, now: dt.datetime) -> str:
    """running (the week is not over), due, overdue, submitted, submitted_late."""
    due = weekly_report_due(monday, due_hour)
    if submitted_at:
        return "submitted_late" if submitted_at > due else "submitted"
    if now < week_bounds_utc(monday)[1]:
        return "running"
    return "overdue" if now > due else "due"


def month_bounds_utc(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    end = add_months(start, 1)
    return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)
