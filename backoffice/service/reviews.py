"""Reviews pulled from the platforms: each judged by the editable rules; a good
one gets the five-star counter-review queued in the outbox (same transaction),
a bad one raises a supervisor task at once. Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice import outbox
from backoffice.accounts.models import User
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.service.models import Review, ServiceSettings, SupervisorTask
from backoffice.service.rules import ReviewRules, judge_review, render_review_reply, split_list
from backoffice.timeutil import utcnow
from integrations.base import ReviewReply, order_platforms, supports

REVIEW_PLATFORMS = tuple(p for p in order_platforms() if supports(p, "review_pages") and supports(p, "reply_review"))


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
        review.reply_message = outbox.enqueue(
            shop_id, "review_reply", f"review_reply:{shop_id}:{review.platform_review_id}",
            {"platform_order_id": review.platform_order_id, "platform_review_id": review.platform_review_id,
             "content": render_review_reply(reply_template, buyer)})
    elif verdict.verdict == "bad":
        session.add(SupervisorTask(kind="bad_review", review=review,
                                   title=f"{review.platform_order_id} · {review.content[:60] or review.rating}"))
    session.flush()
    return review, True


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


@outbox.handles("review_reply")
def deliver_review_reply(payload: dict, adapter) -> None:
    adapter.reply_review(ReviewReply(**payload))
