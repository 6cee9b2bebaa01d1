"""Customer service pages (SPEC §5): the issue register and shift handover,
reviews and the supervisor's queue, the service rules. Thin: operations decide."""
from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice import queue
from backoffice.accounts import audit
from backoffice.accounts.models import User
from backoffice.accounts.security import requires
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.service import register, reviews
from backoffice.service.blueprint import bp
from backoffice.service.labels import label
from backoffice.service.models import REVIEW_RATINGS, REVIEW_VERDICTS, Review, SupervisorTask
from backoffice.timeutil import SHANGHAI, utcnow
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


def local_datetime(text: str | None, field: str, label: str) -> dt.datetime | None:
    """A datetime-local form value (Shanghai time) as aware UTC; blank is None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(dt.timezone.utc)
    except ValueError:
        raise OperationError(_("%(field)s: %(value)s is not a date and time.", field=label, value=text),
                             field) from None


def staff_members() -> list[User]:
    return list(session.scalars(select(User).where(User.active.is_(True), User.role.in_(("service", "supervisor")))
                                .order_by(User.display_name)))


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


# -- issue register and shift handover -----------------------------------------------------
@bp.route("/")
@requires("service.work")
def handover():
    """Where every shift starts: the pinned issues first, overdue ones highlighted."""
    now = utcnow()
    issues = register.open_issues(now)
    return render_template("service/handover.html", issues=issues, now=now,
                           overdue={i.id for i in issues if register.is_overdue(i, now)},
                           pending=register.pending_handover(), staff=staff_members())


@bp.route("/issues", methods=["POST"])
@requires("service.work")
def new_issue():
    form = request.form
    with refusable() as refused:
        issue = register.open_issue(
            problem=form.get("problem", ""), solution=form.get("solution", ""), buyer=form.get("buyer", ""),
            order_number=form.get("order_number", ""),
            promised_at=local_datetime(form.get("promised_at"), "promised_at", _("Promised time")),
            assignee_id=form.get("assignee_id", type=int), pinned=form.get("pinned") == "y", by=current_user)
        buyer = issue.buyer
    if refused:
        flash(refused.message, "error")
        return redirect(url_for("service.handover"))
    return _done(_("The issue of %(buyer)s is in the register.", buyer=buyer), "service.handover")


@bp.route("/issues/<int:issue_id>/<action>", methods=["POST"])
@requires("service.work")
def issue_action(issue_id: int, action: str):
    with refusable() as refused:
        if action in ("pin", "unpin"):
            register.set_pinned(issue_id, action == "pin")
        elif action == "solve":
            register.solve(issue_id, request.form.get("outcome", ""), current_user)
        else:
            abort(404)
    if refused:
        flash(refused.message, "error")
        return redirect(url_for("service.handover"))
    return _done(_("Saved."), "service.handover")


@bp.route("/handovers", methods=["POST"])
@requires("service.work")
def hand_over():
    with session.begin_nested():
        done = register.hand_over(request.form.get("note", ""), current_user)
        counts = {"open": done.open_issues, "overdue": done.overdue_issues}
    return _done(_("Handed over: %(open)s open issues, %(overdue)s overdue.", **counts), "service.handover")


@bp.route("/handovers/<int:handover_id>/acknowledge", methods=["POST"])
@requires("service.work")
def acknowledge(handover_id: int):
    with refusable() as refused:
        register.acknowledge(handover_id, current_user)
    if refused:
        flash(refused.message, "error")
        return redirect(url_for("service.handover"))
    return _done(_("Handover acknowledged: this shift has the open issues."), "service.handover")


# -- reviews and the supervisor's queue -------------------------------------------------------
@bp.route("/reviews")
@requires("service.work")
def review_list():
    verdict = request.args.get("verdict")
    query = select(Review).options(selectinload(Review.shop), selectinload(Review.reply_message))
    if verdict in REVIEW_VERDICTS:
        query = query.where(Review.verdict == verdict)
    page = keyset_page(query, Review.id)
    return render_template("service/reviews.html", page=page, verdict=verdict, verdicts=REVIEW_VERDICTS)


@bp.route("/reviews/pull", methods=["POST"])
@requires("service.supervise")
def pull_reviews():
    from backoffice.shops.models import Shop

    shop_ids = list(session.scalars(select(Shop.id).where(
        Shop.active.is_(True), Shop.auth_status == "ok", Shop.platform.in_(reviews.REVIEW_PLATFORMS))))
    for shop_id in shop_ids:  # the sync job lives with the platform sync, queued by name after this commit
        queue.enqueue("sync_reviews", shop_id)
    return _done(_("A review sync of %(n)s shops was queued.", n=len(shop_ids)), "service.review_list")


@bp.route("/supervisor")
@requires("service.supervise")
def supervisor():
    """Bad reviews and whatever else waits for a supervisor, oldest first."""
    tasks = session.scalars(select(SupervisorTask).options(selectinload(SupervisorTask.review)
                                                           .selectinload(Review.shop))
                            .where(SupervisorTask.status == "open").order_by(SupervisorTask.id)).all()
    done = session.scalars(select(SupervisorTask).where(SupervisorTask.status == "done")
                           .order_by(SupervisorTask.done_at.desc()).limit(20)).all()
    return render_template("service/supervisor.html", tasks=tasks, done=done)


@bp.route("/supervisor/<int:task_id>/done", methods=["POST"])
@requires("service.supervise")
def close_task(task_id: int):
    with refusable() as refused:
        reviews.close_task(task_id, request.form.get("outcome", ""), current_user)
    if refused:
        flash(refused.message, "error")
        return redirect(url_for("service.supervisor"))
    return _done(_("Task done."), "service.supervisor")


# -- the service rules ---------------------------------------------------------------------
NUMBERS = {  # field -> (label, lowest, highest)
    "first_answer_hours": (_l("First answer within (hours)"), 1, 240),
    "investigation_working_days": (_l("Investigation within (working days)"), 1, 30),
    "complaint_follow_up_days": (_l("Follow-up visit after the investigation (days)"), 0, 60),
    "new_customer_visit_days": (_l("New customers: visit after completion (days)"), 1, 90),
    "regular_customer_visit_months": (_l("Regular customers: visit every (months)"), 1, 24),
    "weekly_report_due_hour": (_l("Weekly report due on Monday by (hour)"), 0, 23),
}


@bp.route("/rules", methods=["GET", "POST"])
@requires("service.supervise")
def rules():
    row = reviews.settings()
    if request.method == "POST":
        with refusable() as refused:
            _apply_rules(row, request.form)
        if refused:
            flash(refused.message, "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("service.rules"))
    return render_template("service/rules.html", row=row, numbers=NUMBERS, ratings=REVIEW_RATINGS,
                           bad_ratings=set(reviews.rules_of(row).bad_ratings))


def _apply_rules(row, form) -> None:
    values = {}
    for field, (text, low, high) in NUMBERS.items():
        raw = (form.get(field) or "").strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise OperationError(_("%(field)s: a whole number from %(low)s to %(high)s.", field=text, low=low,
                                   high=high), field)
        values[field] = int(raw)
    reply = (form.get("review_reply") or "").strip()
    if not reply:
        raise OperationError(_("The five-star reply is required."), "review_reply")
    bad = [r for r in REVIEW_RATINGS if form.get(f"bad_{r}") == "y"]
    if "good" in bad:
        raise OperationError(_("A good rating cannot count as a bad review."), "bad_good")
    values.update(review_reply=reply, bad_ratings=",".join(bad), bad_words=(form.get("bad_words") or "").strip())
    old = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    named = {**{field: str(text) for field, (text, _low, _high) in NUMBERS.items()},
             "review_reply": _("Five-star reply"), "bad_ratings": _("Ratings that make a review bad"),
             "bad_words": _("Words that make a review bad")}
    def shown(key, value):  # ratings by their names, not their codes
        if key != "bad_ratings":
            return value
        return "、".join(label("review_rating", r) for r in (value or "").split(",") if r) or "—"

    audit.record("rule.change", "service_settings", name="", table="service_settings",
                 old={named[k]: shown(k, v) for k, v in old.items() if v != values[k]},
                 new={named[k]: shown(k, v) for k, v in values.items() if v != old[k]})


