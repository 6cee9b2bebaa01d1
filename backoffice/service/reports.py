"""Complaint reports: the weekly report (Monday–Sunday, due the next Monday by
noon) and the monthly summary by reason, courier, product and staff, drawn as
server-side SVG bar charts and exported to Excel."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.models import User
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.service.models import Complaint, ComplaintReport
from backoffice.service.reviews import settings
from backoffice.service.rules import month_bounds_utc, overdue, report_state, week_bounds_utc, weekly_report_due
from backoffice.timeutil import format_local, local_today, utcnow
from integrations.cells import xlsx_row

DIMENSIONS = ("reason", "courier", "product", "staff")


def complaints_between(start: dt.datetime, end: dt.datetime) -> list[Complaint]:
    return list(session.scalars(select(Complaint).options(selectinload(Complaint.staff))
                                .where(Complaint.received_at >= start, Complaint.received_at < end)
                                .order_by(Complaint.received_at, Complaint.id)))


@dataclass
class Summary:
    total: int = 0
    late_first_answers: int = 0
    late_investigations: int = 0
    by: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def summarise(complaints: list[Complaint], now: dt.datetime) -> Summary:
    """Counts per dimension, largest first; a complaint without a courier,
    product or staff member counts under "—"."""
    counters = {d: Counter() for d in DIMENSIONS}
    summary = Summary(total=len(complaints))
    for c in complaints:
        counters["reason"][c.reason] += 1
        counters["courier"][c.courier_code or "—"] += 1
        counters["product"][c.product or "—"] += 1
        counters["staff"][(c.staff.display_name or c.staff.username) if c.staff else "—"] += 1
        summary.late_first_answers += overdue(c.first_answer_due, c.first_answered_at, now)
        summary.late_investigations += overdue(c.investigation_due, c.investigated_at, now)
    summary.by = {d: sorted(counters[d].items(), key=lambda kv: (-kv[1], kv[0])) for d in DIMENSIONS}
    return summary


# -- weekly --------------------------------------------------------------------------------
@dataclass
class WeekRow:
    monday: dt.date
    due_at: dt.datetime
    state: str
    complaints: int
    report: ComplaintReport | None

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def recent_weeks(today: dt.date, now: dt.datetime, count: int = 8) -> list[WeekRow]:
    """This week and the `count - 1` before it, newest first, with their report's state."""
    monday = today - dt.timedelta(days=today.weekday())
    mondays = [monday - dt.timedelta(weeks=n) for n in range(count)]
    reports = {r.week_start: r for r in session.scalars(
        select(ComplaintReport).where(ComplaintReport.week_start.in_(mondays)))}
    due_hour = settings().weekly_report_due_hour
    start, end = week_bounds_utc(mondays[-1])[0], week_bounds_utc(mondays[0])[1]
    counts = Counter(week_start_of(c.received_at) for c in complaints_between(start, end))
    return [WeekRow(m, weekly_report_due(m, due_hour),
                    report_state(m, due_hour, reports[m].submitted_at if m in reports else None, now),
                    counts[m], reports.get(m)) for m in mondays]


def week_start_of(at: dt.datetime) -> dt.date:
    day = local_today(at)
    return day - dt.timedelta(days=day.weekday())


def submit_weekly(monday: dt.date, summary: str, by: User, now: dt.datetime | None = None) -> ComplaintReport:
    now = now or utcnow()
    if monday.weekday() != 0:
        raise OperationError(_("A report week starts on a Monday."), "week")
    if now < week_bounds_utc(monday)[1]:
        raise OperationError(_("The week is not over yet."), "week")
    if session.scalar(select(ComplaintReport.id).where(ComplaintReport.week_start == monday)):
        raise OperationError(_("The report of this week is already submitted."), "week")
    if not (summary or "").strip():
        raise OperationError(_("Write the report's summary and analysis."), "summary")
    report = ComplaintReport(week_start=monday, summary=summary.strip(), submitted_at=now, submitted_by_id=by.id)
    session.add(report)
    session.flush()
    return report


# -- monthly -------------------------------------------------------------------------------
def monthly(year: int, month: int, now: dt.datetime) -> tuple[list[Complaint], Summary]:
    complaints = complaints_between(*month_bounds_utc(year, month))
    return complaints, summarise(complaints, now)


def bar_chart(rows: list[tuple[str, int]], title: str, width: int = 480, bar: int = 22) -> Markup:
    """A horizontal bar chart as inline SVG (no script, no CDN); every text in it escaped, numbers formatted."""
    rows = rows[:12]
    top = max((n for _, n in rows), default=0) or 1
    label_w, gap, head = 150, 6, 24
    height = head + len(rows) * (bar + gap) + gap
    scale = (width - label_w - 40) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
             f'<text x="0" y="16" class="chart-title">{escape(title)}</text>']
    for n, (name, count) in enumerate(rows):
        y = head + gap + n * (bar + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end">{escape(name[:18])}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{max(1, count * scale):.0f}" height="{bar}" rx="3"/>'
                     f'<text x="{label_w + count * scale + 4:.0f}" y="{y + bar * 0.7:.0f}">{int(count)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # built from escaped texts and formatted numbers only


def monthly_workbook(year: int, month: int, complaints: list[Complaint], summary: Summary,
                     titles: dict[str, str], headers: list[str]) -> io.BytesIO:
    """One sheet per dimension with its counts, and one with every complaint."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}-{month:02d}"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for c in complaints:
        sheet.append(xlsx_row(sheet, [
            format_local(c.received_at), c.buyer, c.reason, c.courier_code or "", c.product or "",
            (c.staff.display_name or c.staff.username) if c.staff else "", c.detail,
            format_local(c.first_answered_at), format_local(c.investigated_at)]))
    for dimension in DIMENSIONS:
        ws = book.create_sheet(titles[dimension][:31])
        ws.append([titles[dimension], _("Complaints")])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for name, count in summary.by[dimension]:
            ws.append(xlsx_row(ws, [name, count]))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data
