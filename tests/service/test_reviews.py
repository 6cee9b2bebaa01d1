"""Reviews pulled from the Taobao simulator over HTTP: good ones get the
five-star counter-review through the outbox (delivered once), bad ones reach
the supervisor's queue at once. Rules are data edited on the service rules page."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backoffice.outbox import OutboxMessage
from backoffice.service.models import Review, SupervisorTask
from backoffice.service.reviews import REVIEW_PLATFORMS
from backoffice.sync.dispatch import dispatch
from backoffice.sync.models import InboxRecord
from backoffice.timeutil import utcnow
from integrations.simulators.core import SimReview
from tests import factories
from tests.simulated import connect, start_simulator

REVIEWS = [  # review id, order id, rating, content, nick -> expected verdict
    ("4100000001", "3300000001", "good", "包包很好看，皮质柔软，五星好评！", "晓燕爱买包", "good"),
    ("4100000002", "3300000002", "good", "颜色很正，就是有点掉色", "王秀英", "bad"),  # a bad word in a good rating
    ("4100000003", "3300000003", "bad", "拉链坏了，客服也不回", "李静", "bad"),
    ("4100000004", "3300000004", "neutral", "一般般吧", "陈婷婷", "bad"),  # neutral counts as bad by default
    ("4100000005", "3300000005", "good", "", "赵佳怡", "good"),
]


@pytest.fixture
def sim():
    simulator = start_simulator("taobao")
    at = utcnow().replace(microsecond=0) - dt.timedelta(hours=3)
    for n, (rid, oid, rating, content, nick, _) in enumerate(REVIEWS):
        simulator.book.add_review(SimReview(rid, oid, rating, content, at + dt.timedelta(minutes=n), nick))
    yield simulator
    simulator.stop()


def sync_reviews(client):
    return client.post("/service/reviews/pull", token_from="/service/reviews")


def test_taobao_lists_its_reviews_and_takes_a_reply_once(sim):
    adapter = connect(sim)
    now = utcnow()
    pulled = [r for page in adapter.review_pages(now - dt.timedelta(hours=6), now) for r in page]
    assert sorted((r.platform_review_id, r.rating, r.buyer) for r in pulled) == \
        sorted((rid, rating, nick) for rid, _, rating, _, nick, _ in REVIEWS)
    assert "taobao" in REVIEW_PLATFORMS


def test_good_reviews_get_the_five_star_reply_once_and_bad_ones_reach_the_supervisor(app, db, login_as, sim):
    shop_id = factories.connected_shop(sim, "娜好呀淘宝店").id
    db.commit()
    supervisor = login_as("supervisor")
    assert sync_reviews(supervisor).status_code == 302
    verdicts = dict(db.execute(select(Review.platform_review_id, Review.verdict)).all())
    assert verdicts == {rid: verdict for rid, *_, verdict in REVIEWS}
    assert db.scalar(select(func.count()).select_from(InboxRecord).where(
        InboxRecord.kind == "review", InboxRecord.processed_at.is_(None))) == 0
    # the replies were queued in the intake's transaction, one per good review
    messages = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_reply")).all()
    assert sorted(m.payload["platform_review_id"] for m in messages) == ["4100000001", "4100000005"]
    first = next(m.payload["content"] for m in messages if m.payload["platform_review_id"] == "4100000001")
    assert "晓燕爱买包" in first and "五星好评" in first
    # a bad review is a supervisor task at once, before any reply goes anywhere
    tasks = db.scalars(select(SupervisorTask).where(SupervisorTask.status == "open")).all()
    assert sorted(t.review.platform_review_id for t in tasks) == ["4100000002", "4100000003", "4100000004"]
    page = supervisor.get("/service/supervisor").get_data(as_text=True)
    assert "拉链坏了，客服也不回" in page and "words:掉色" in page
    # pulled again: nothing doubles
    sync_reviews(supervisor)
    assert db.scalar(select(func.count()).select_from(Review)) == len(REVIEWS)
    assert db.scalar(select(func.count()).select_from(SupervisorTask)) == 3
    # the existing dispatcher delivers through the adapter to the simulator, once
    with app.app_context():
        result = dispatch(adapters={shop_id: connect(sim)})
    assert result.delivered == 2
    assert sorted(sim.book.seller_rates) == ["4100000001", "4100000005"]
    assert sim.book.seller_rates["4100000001"] == [first]
    # a repeat delivery (lost acknowledgement) is recognised by the platform: still one reply
    db.execute(OutboxMessage.__table__.update().values(status="pending", next_attempt_at=utcnow()))
    db.commit()
    with app.app_context():
        again = dispatch(adapters={shop_id: connect(sim)})
    assert again.delivered == 2 and len(sim.book.seller_rates) == 2
    assert all(len(replies) == 1 for replies in sim.book.seller_rates.values())
    listing = supervisor.get("/service/reviews").get_data(as_text=True)
    assert "包包很好看" in listing


def test_the_supervisor_closes_a_bad_review_task_with_what_was_done(app, db, login_as, sim):
    factories.connected_shop(sim)
    db.commit()
    supervisor = login_as("supervisor")
    sync_reviews(supervisor)
    task_id = db.scalar(select(SupervisorTask.id).join(Review).where(Review.platform_review_id == "4100000003"))
    refused = supervisor.post(f"/service/supervisor/{task_id}/done", {"outcome": ""}, token_from="/service/supervisor",
                              follow_redirects=True)
    assert 'class="flash error"' in refused.get_data(as_text=True)
    assert db.get(SupervisorTask, task_id).status == "open"  # an empty outcome changes nothing
    supervisor.post(f"/service/supervisor/{task_id}/done", {"outcome": "已电话联系李静，补发拉链配件，买家同意追评"},
                    token_from="/service/supervisor")
    task = db.get(SupervisorTask, task_id)
    assert task.status == "done" and task.outcome.startswith("已电话联系")


def test_edited_rules_change_what_counts_as_bad(app, db, login_as, sim):
    factories.connected_shop(sim)
    db.commit()
    supervisor = login_as("supervisor")
    form = {"bad_bad": "y", "bad_words": "拉链，坏了", "review_reply": "感谢{buyer}的好评！",
            "first_answer_hours": "12", "investigation_working_days": "2", "complaint_follow_up_days": "3",
            "new_customer_visit_days": "7", "regular_customer_visit_months": "2", "weekly_report_due_hour": "12"}
    supervisor.post("/service/rules", form, token_from="/service/rules")
    sync_reviews(supervisor)
    verdicts = dict(db.execute(select(Review.platform_review_id, Review.verdict)).all())
    # neutral no longer bad; 掉色 no longer a bad word
    assert verdicts == {"4100000001": "good", "4100000002": "good", "4100000003": "bad", "4100000004": "neutral",
                        "4100000005": "good"}
    reply = db.scalar(select(OutboxMessage.payload).where(OutboxMessage.kind == "review_reply").limit(1))
    assert reply["content"].startswith("感谢") and reply["content"].endswith("的好评！")


@pytest.mark.parametrize("field, value", [("first_answer_hours", "0"), ("investigation_working_days", "三"),
                                          ("review_reply", ""), ("bad_good", "y")])
def test_bad_rule_input_is_refused_and_nothing_changes(app, db, login_as, field, value):
    supervisor = login_as("supervisor")
    form = {"bad_neutral": "y", "bad_bad": "y", "bad_words": "差评", "review_reply": "感谢{buyer}！",
            "first_answer_hours": "24", "investigation_working_days": "3", "complaint_follow_up_days": "3",
            "new_customer_visit_days": "7", "regular_customer_visit_months": "2", "weekly_report_due_hour": "12"}
    form[field] = value
    page = supervisor.post("/service/rules", form, token_from="/service/rules", follow_redirects=True)
    assert 'class="flash error"' in page.get_data(as_text=True)
    from backoffice.service.models import ServiceSettings

    row = db.scalar(select(ServiceSettings))
    assert (row.first_answer_hours, row.bad_words[:2]) == (24, "差评")
