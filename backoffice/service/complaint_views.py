"""Complaint pages: the complaint list with its deadlines, follow-up visits,
the weekly report and the monthly summary (charts and Excel)."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.db import session, writes
from backoffice.input_limits import row_id
from backoffice.orders.models import Order
from backoffice.service import complaints, reports
from backoffice.service.blueprint import bp
from backoffice.service.labels import label
from backoffice.service.models import COMPLAINT_STATUSES, Complaint
from backoffice.service.rules import overdue, week_bounds_utc
from backoffice.service.views import local_datetime, staff_members
from backoffice.shipping.models import Courier
from backoffice.timeutil import local_today, utcnow
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


@bp.route("/complaints")
@requires("service.work")
def complaint_list():
    status = request.args.get("status")
    query = select(Complaint).options(selectinload(Complaint.staff), selectinload(Complaint.order))
    if status == "open":
        query = query.where(Complaint.status != "closed")
    elif status in COMPLAINT_STATUSES:
        query = query.where(Complaint.status == status)
    page = keyset_page(query, Complaint.id)
    now = utcnow()
    late = {c.id: {"answer": overdue(c.first_answer_due, c.first_answered_at, now),
                   "investigation": overdue(c.investigation_due, c.investigated_at, now),
                   "follow_up": overdue(c.follow_up_due, c.followed_up_at, now)} for c in page.items}
    return render_template("service/complaints.html", page=page, late=late, status=status,
                           statuses=COMPLAINT_STATUSES, staff=staff_members(),
                           couriers=session.scalars(select(Courier).order_by(Courier.code)).all())


@bp.route("/complaints", methods=["POST"])
@requires("service.work")
def new_complaint():
    form = request.form
    with refusable() as refused:
        complaints.receive(
            buyer=form.get("buyer", ""), reason=form.get("reason", ""), detail=form.get("detail", ""),
            order_number=form.get("order_number", ""), courier_code=form.get("courier_code", ""),
            product=form.get("product", ""), staff_id=form.get("staff_id", type=int),
            received_at=local_datetime(form.get("received_at"), "received_at", _("Complaint received")),
            by=current_user)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("The complaint is recorded with its deadlines."), "success")
    return redirect(url_for("service.complaint_list"))


@bp.route("/complaints/<int:complaint_id>/<step>", methods=["POST"])
@requires("service.work")
def complaint_step(complaint_id: int, step: str):
    text = request.form.get("text", "")
    with refusable() as refused:
        if step == "answer":
            complaints.answer(complaint_id)
        elif step == "investigate":
            complaints.investigate(complaint_id, text)
        elif step == "follow-up":
            complaints.follow_up(complaint_id, text)
        else:
            abort(404)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("service.complaint_list", status=request.args.get("status")))


# -- follow-up visits (回访) ---------------------------------------------------------------
@bp.route("/visits", methods=["GET", "POST"])
@requires("service.work")
def visits():
    if request.method == "POST":
        form = request.form
        order_id = row_id(form.get("order_id"))
        platform, buyer_id = form.get("platform", ""), form.get("buyer_id", "")
        order = session.get(Order, order_id) if order_id else None
        if order is not None and not buyer_id:  # the list names the buyer by their last order
            platform, buyer_id = order.platform, order.buyer_id or ""
        with refusable() as refused:
            complaints.record_visit(platform, buyer_id, form.get("kind", ""), form.get("note", ""), current_user,
                                    order_id if order is not None else None)
        if refused:
            flash(refused.message, "error")
        else:
            flash(_("Visit recorded; the next one is due in the regular interval."), "success")
        return redirect(url_for("service.visits"))
    now = utcnow()
    return render_template("service/visits.html", visits=complaints.due_visits(now), now=now)


# -- reports ------------------------------------------------------------------------------
@bp.route("/reports/weekly", methods=["GET", "POST"])
@requires("service.work")
def weekly_report():
    now = utcnow()
    if request.method == "POST":
        try:
            monday = dt.date.fromisoformat(request.form.get("week", ""))
        except ValueError:
            flash(_("Choose the week of the report."), "error")
            return redirect(url_for("service.weekly_report"))
        with refusable() as refused:
            reports.submit_weekly(monday, request.form.get("summary", ""), current_user, now)
        if refused:
            flash(refused.message, "error")
        else:
            flash(_("The report of the week of %(day)s is submitted.", day=monday.isoformat()), "success")
        return redirect(url_for("service.weekly_report", week=monday.isoformat()))
    weeks = reports.recent_weeks(local_today(now), now)
    try:
        chosen = dt.date.fromisoformat(request.args["week"]) if request.args.get("week") else None
    except ValueError:
        chosen = None
    if chosen is None or chosen.weekday() != 0:
        chosen = weeks[1].monday  # last week: the one whose report is due
    week_complaints = reports.complaints_between(*week_bounds_utc(chosen))
    row = next((w for w in weeks if w.monday == chosen), None)
    return render_template("service/weekly.html", weeks=weeks, chosen=chosen, row=row,
                           sunday=chosen + dt.timedelta(days=6), complaints=week_complaints,
                           summary=reports.summarise(week_complaints, now))


def _month_args() -> tuple[int, int]:
    today = local_today()
    try:
        year, month = (int(x) for x in request.args.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


@bp.route("/reports/monthly")
@requires("service.work")
def monthly_report():
    year, month = _month_args()
    found, summary = reports.monthly(year, month, utcnow())
    charts = {d: reports.bar_chart(summary.by[d], _dimension_title(d)) for d in reports.DIMENSIONS}
    return render_template("service/monthly.html", year=year, month=month, summary=summary, charts=charts,
                           complaints=found)


@bp.route("/reports/monthly.xlsx")
@requires("service.work")
@writes  # the export is audited
def monthly_export():
    year, month = _month_args()
    found, summary = reports.monthly(year, month, utcnow())
    headers = [_("Complaint received"), _("Buyer"), _("Reason"), _("Courier"), _("Product"), _("Staff"), _("Complaint"),
               _("First answer"), _("Investigated")]
    data = reports.monthly_workbook(year, month, found, summary,
                                    {d: _dimension_title(d) for d in reports.DIMENSIONS}, headers)
    audit.record("export", f"complaints:{year}-{month:02d}", rows=len(found))
    return send_file(data, as_attachment=True, download_name=f"complaints-{year}-{month:02d}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _dimension_title(dimension: str) -> str:
    return label("complaint_dimension", dimension)
