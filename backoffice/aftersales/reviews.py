"""Reviews pulled from the platforms: each judged by the editable rules; a good
one gets the five-star counter-review queued in the outbox (same transaction),
a bad one raises a supervisor task at once. Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from backoffice.accounts.models import User
from backoffice.aftersales.models import Review, ServiceSettings, SupervisorTask
from backoffice.aftersales.service_rules import ReviewRules, judge_review, render_review_reply, split_list
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.sync import operations as sync_ops
from backoffice.sync.models import InboxRecord
from backoffice.timeutil import utcnow

REVIEW_PLATFORMS = ("taobao",)  # adapters with review_pages and reply_review


def settings() -> ServiceSettings:
    return session.scalars(select(ServiceSettings).order_by(ServiceSettings.id).limit(1)).one()


def rules_of(row: ServiceSettings) -> ReviewRules:
    return ReviewRules(frozenset(split_list(row.bad_ratings)), split_list(row.bad_words))


@dataclass
class ReviewIntake:
    processed: int = 0
    replies: int = 0
    bad: int = 0


def take_in(shop_id: int, payload: dict, rules: ReviewRules, reply_template: str) -> tuple[Review, bool]:
    """One pulled review (an integrations Review DTO as stored). Returns the
    review and whether it is new; a review already taken in changes nothing."""
    review = session.scalar(select(Review).where(Review.shop_id == shop_id,
                                                 Review.platform_review_id == payload["platform_review_id"]))
    if review is not None:
        return review, False
    verdict = judge_review(payload["rating"], payload.get("content", ""), rules)
    order = session.scalar(select(Order).where(Order.shop_id == shop_id,
                                               Order.platform_order_id == payload["platform_order_id"]))
    buyer = payload.get("buyer") or (order.buyer_id if order else None)
    review = Review(shop_id=shop_id, platform_review_id=payload["platform_review_id"],
                    platform_order_id=payload["platform_order_id"], order=order, buyer=buyer,
                    rating=payload["rating"], content=payload.get("content", ""),
                    reviewed_at=dt.datetime.fromisoformat(payload["created_at"]), verdict=verdict.verdict,
                    verdict_reason=verdict.reason[:200])
    session.add(review)
    session.flush()
    if verdict.verdict == "good":
        review.reply_message = sync_ops.enqueue(
            shop_id, "review_reply", f"review_reply:{shop_id}:{review.platform_review_id}",
            {"platform_order_id": review.platform_order_id, "platform_review_id": review.platform_review_id,
             "content": render_review_reply(reply_template, buyer)})
    elif verdict.verdict == "bad":
        session.add(SupervisorTask(kind="bad_review", review=review,
                                   title=f"{review.platform_order_id} · {review.content[:60] or review.rating}"))
    session.flush()
    return review, True


def process_reviews(shop_id: int, limit: int = 500) -> ReviewIntake:
    """The shop's unprocessed inbox reviews become reviews (in the caller's unit of work)."""
    records = session.execute(
        select(InboxRecord.id, InboxRecord.payload).where(
            InboxRecord.shop_id == shop_id, InboxRecord.kind == "review", InboxRecord.processed_at.is_(None))
        .order_by(InboxRecord.platform_modified_at, InboxRecord.id).limit(limit)).all()
    result = ReviewIntake()
    if not records:
        return result
    row = settings()
    rules = rules_of(row)
    for _id, payload in records:
        review, new = take_in(shop_id, payload, rules, row.review_reply)
        if new:
            result.replies += review.verdict == "good"
            result.bad += review.verdict == "bad"
    session.execute(update(InboxRecord).where(InboxRecord.id.in_([rid for rid, _p in records]))
                    .values(processed_at=utcnow()).execution_options(synchronize_session=False))
    result.processed = len(records)
    return result


def close_task(task_id: int, outcome: str, by: User) -> SupervisorTask:
    task = session.get(SupervisorTask, task_id)
    if task is None:
        raise OperationError(_("No such task."))
    if task.status != "open":
        raise OperationError(_("This task is already done."))
    if not (outcome or "").strip():
        raise OperationError(_("Say what was done."), "outcome")
    task.status, task.outcome, task.done_at, task.done_by_id = "done", outcome.strip(), utcnow(), by.id
    session.flush()
    return task
