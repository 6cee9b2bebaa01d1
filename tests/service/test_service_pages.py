"""Customer service pages end to end: the issue register and shift handover,
complaints with their deadlines, follow-up visits, the weekly report and the
monthly summary with charts and an Excel export."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.service.models import Complaint, ComplaintReport, CustomerIssue, FollowUpVisit, ServiceSettings, ShiftHandover
from backoffice.service.rules import week_of
from backoffice.timeutil import SHANGHAI, local_today, utcnow
from tests import factories
from tests.conftest import Client

UTC = dt.timezone.utc


def local_input(at: dt.datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def row_classes(html: str, attr: str) -> dict[str, str]:
    return {m.group(2): m.group(1) for m in re.finditer(rf'<tr class="([^"]*)" {attr}="(\d+)"', html)}


# -- the issue register and handover -------------------------------------------------------
def add_issue(client, **form):
    return client.post("/service/issues", form, token_from="/service/", follow_redirects=True)


def test_pinned_issues_come_first_and_overdue_ones_are_highlighted(app, db, login_as):
    service = login_as("service")
    order = factories.order(receiver_name="张丽")
    number, buyer = order.number, order.buyer_id
    db.commit()
    now = utcnow()
    add_issue(service, order_number=number, problem="链条断了，要补发一条", solution="仓库明天补发链条，顺丰",
              promised_at=local_input(now + dt.timedelta(days=1)))
    add_issue(service, buyer="王秀英", problem="要开发票", solution="财务周三开票后发邮件",
              promised_at=local_input(now + dt.timedelta(hours=5)), pinned="y")
    add_issue(service, buyer="李静", problem="退差价 10 元", solution="主管批准后转账",
              promised_at=local_input(now + dt.timedelta(hours=2)))
    ids = dict(db.execute(select(CustomerIssue.buyer, CustomerIssue.id)).all())
    assert set(ids) == {buyer, "王秀英", "李静"}
    # 李静's promise passes (made in the past directly: the form refuses past times)
    db.get(CustomerIssue, ids["李静"]).promised_at = now - dt.timedelta(minutes=30)
    db.commit()
    html = service.get("/service/").get_data(as_text=True)
    classes = row_classes(html, "data-issue")
    assert list(classes) == [str(ids["王秀英"]), str(ids["李静"]), str(ids[buyer])]
    assert "overdue" in classes[str(ids["李静"])] and "pinned" in classes[str(ids["王秀英"])]
    assert "overdue" not in classes[str(ids[buyer])]
    # pinning moves an issue up; solving removes it from the handover
    service.post(f"/service/issues/{ids[buyer]}/pin", token_from="/service/")
    service.post(f"/service/issues/{ids['王秀英']}/solve", {"outcome": "发票已发邮箱"}, token_from="/service/")
    classes = row_classes(service.get("/service/").get_data(as_text=True), "data-issue")
    assert list(classes) == [str(ids[buyer]), str(ids["李静"])]
    assert db.get(CustomerIssue, ids["王秀英"]).status == "solved"


@pytest.mark.parametrize("form, error", [
    ({"buyer": "", "problem": "少发", "solution": "补发"}, "买家"),
    ({"buyer": "张丽", "problem": "", "solution": "补发"}, "问题"),
    ({"buyer": "张丽", "problem": "少发", "solution": ""}, "解决"),
    ({"buyer": "张丽", "problem": "少发", "solution": "补发", "promised_at": ""}, "承诺"),
    ({"buyer": "张丽", "problem": "少发", "solution": "补发", "promised_at": "明天下午"}, "承诺"),
    ({"buyer": "张丽", "problem": "少发", "solution": "补发", "promised_at": "2020-01-01T10:00"}, "过去"),
    ({"order_number": "202611-999999", "problem": "少发", "solution": "补发"}, "202611-999999"),
])
def test_bad_issue_input_names_the_field_and_saves_nothing(app, db, login_as, form, error):
    service = login_as("service")
    form = {"promised_at": local_input(utcnow() + dt.timedelta(days=1)), **form}
    html = add_issue(service, **form).get_data(as_text=True)
    message = re.search(r'class="flash error"[^>]*>([^<]*)', html).group(1)
    assert error in message
    assert db.scalar(select(func.count()).select_from(CustomerIssue)) == 0


def test_the_next_shift_acknowledges_the_handover(app, db, login_as, make_user):
    morning = login_as("service")
    late_user = make_user("service", "service-late")
    late_id = late_user.id
    evening = Client(app.test_client())
    evening.login("service-late")
    add_issue(morning, buyer="陈婷婷", problem="快递三天没动", solution="催件后回复",
              promised_at=local_input(utcnow() + dt.timedelta(hours=3)), pinned="y")
    morning.post("/service/handovers", {"note": "陈婷婷的快递下午再催一次"}, token_from="/service/")
    handover = db.scalar(select(ShiftHandover))
    handover_id = handover.id
    assert (handover.open_issues, handover.overdue_issues, handover.acknowledged_at) == (1, 0, None)
    assert "陈婷婷的快递下午再催一次" in evening.get("/service/").get_data(as_text=True)
    # the writer cannot acknowledge their own handover
    morning.post(f"/service/handovers/{handover_id}/acknowledge", token_from="/service/")
    assert db.get(ShiftHandover, handover_id).acknowledged_at is None
    evening.post(f"/service/handovers/{handover_id}/acknowledge", token_from="/service/")
    db.expire_all()
    assert db.get(ShiftHandover, handover_id).acknowledged_by_id == late_id
    page = evening.post(f"/service/handovers/{handover_id}/acknowledge", token_from="/service/",
                        follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in page  # twice: refused


# -- complaints ---------------------------------------------------------------------------------
def test_a_complaint_gets_its_deadlines_from_the_editable_settings(app, db, login_as):
    service = login_as("service")
    order = factories.order(receiver_name="赵佳怡")
    number = order.number
    db.scalar(select(ServiceSettings)).first_answer_hours = 12
    db.commit()
    friday = dt.datetime(2026, 11, 20, 16, 30, tzinfo=SHANGHAI)
    service.post("/service/complaints", {"order_number": number, "reason": "快递员态度", "courier_code": "yunda",
                                         "detail": "快递员不送上楼还骂人", "received_at": local_input(friday)},
                 token_from="/service/complaints")
    c = db.scalar(select(Complaint))
    assert c.first_answer_due == dt.datetime(2026, 11, 21, 4, 30, tzinfo=SHANGHAI)  # 12 hours
    assert c.investigation_due == dt.datetime(2026, 11, 25, 16, 30, tzinfo=SHANGHAI)  # 3 working days
    assert (c.product, c.courier_code) == ("daming-D-998-20-heise", "yunda")  # taken from the order


def test_overdue_complaint_steps_are_highlighted_until_done(app, db, login_as):
    service = login_as("service")
    long_ago = utcnow() - dt.timedelta(days=10)
    service.post("/service/complaints", {"buyer": "孙敏", "reason": "质量问题", "product": "BAG-TOTE-BLK",
                                         "detail": "包带开线", "received_at": local_input(long_ago)},
                 token_from="/service/complaints")
    service.post("/service/complaints", {"buyer": "周雪梅", "reason": "发错货", "detail": "收到的是红色"},
                 token_from="/service/complaints")
    ids = dict(db.execute(select(Complaint.buyer, Complaint.id)).all())
    classes = row_classes(service.get("/service/complaints").get_data(as_text=True), "data-complaint")
    assert "overdue" in classes[str(ids["孙敏"])] and "overdue" not in classes[str(ids["周雪梅"])]
    complaint_id = ids["孙敏"]
    service.post(f"/service/complaints/{complaint_id}/answer", token_from="/service/complaints")
    service.post(f"/service/complaints/{complaint_id}/investigate", {"text": "供应商缝线问题，已补偿 10 元"},
                 token_from="/service/complaints")
    c = db.get(Complaint, complaint_id)
    assert c.status == "investigated" and c.follow_up_due > utcnow()
    classes = row_classes(service.get("/service/complaints").get_data(as_text=True), "data-complaint")
    assert "overdue" not in classes[str(complaint_id)]  # late steps are done: shown as late, not overdue
    # the follow-up visit closes it
    service.post(f"/service/complaints/{complaint_id}/follow-up", {"text": "买家满意"}, token_from="/service/complaints")
    assert db.get(Complaint, complaint_id).status == "closed"


@pytest.mark.parametrize("form, field_word", [
    ({"buyer": "孙敏", "reason": "", "detail": "开线"}, "原因"),
    ({"buyer": "孙敏", "reason": "质量问题", "detail": ""}, "投诉"),
    ({"buyer": "孙敏", "reason": "质量问题", "detail": "开线", "courier_code": "shunfengx"}, "shunfengx"),
    ({"buyer": "孙敏", "reason": "质量问题", "detail": "开线", "received_at": "昨天"}, "投诉时间"),
])
def test_bad_complaint_input_is_refused(app, db, login_as, form, field_word):
    service = login_as("service")
    html = service.post("/service/complaints", form, token_from="/service/complaints",
                        follow_redirects=True).get_data(as_text=True)
    assert field_word in re.search(r'class="flash error"[^>]*>([^<]*)', html).group(1)
    assert db.scalar(select(func.count()).select_from(Complaint)) == 0


def test_a_step_out_of_order_is_refused(app, db, login_as):
    service = login_as("service")
    service.post("/service/complaints", {"buyer": "孙敏", "reason": "质量问题", "detail": "开线"},
                 token_from="/service/complaints")
    complaint_id = db.scalar(select(Complaint.id))
    html = service.post(f"/service/complaints/{complaint_id}/follow-up", {"text": "满意"},
                        token_from="/service/complaints", follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in html and db.get(Complaint, complaint_id).followed_up_at is None


# -- follow-up visits ----------------------------------------------------------------------------
def completed(buyer: str, days_ago: float):
    o = factories.order(status="completed")
    o.buyer_id, o.platform_modified_at = buyer, utcnow() - dt.timedelta(days=days_ago)
    return o


def test_follow_up_visits_list_new_customers_after_a_week_and_regulars_every_two_months(app, db, login_as):
    completed("新客晓燕", 8)  # new, due a day ago
    completed("新客海燕", 2)  # new, due in 5 days: within the week shown
    completed("新客玉兰", 0)  # due in 7 days: shown (the list looks a week ahead)
    completed("老客丽娟", 200)
    completed("老客丽娟", 70)  # regular: two months after the last order → overdue
    completed("老客桂芳", 300)
    completed("老客桂芳", 100)
    db.add(FollowUpVisit(platform="taobao", buyer_id="老客桂芳", kind="regular",
                         visited_at=utcnow() - dt.timedelta(days=20)))  # visited lately: not due
    db.commit()
    service = login_as("service")
    html = service.get("/service/visits").get_data(as_text=True)
    # Buyer accounts are masked as on every list, in the page's text and its forms alike.
    assert re.findall(r"<td>([^<]*\*[^<]*)</td>", html) == ["老***", "新***", "新***", "新***"]
    assert not any(name in html for name in ("老客丽娟", "新客晓燕", "新客海燕", "新客玉兰"))
    orders = [int(i) for i in re.findall(r'name="order_id" value="(\d+)"', html)]
    assert [db.get(Order, i).buyer_id for i in orders] == ["老客丽娟", "新客晓燕", "新客海燕", "新客玉兰"]
    service.post("/service/visits", {"kind": "new", "order_id": orders[1], "note": "包包很喜欢，推荐了朋友"},
                 token_from="/service/visits")
    visit = db.scalar(select(FollowUpVisit).where(FollowUpVisit.buyer_id == "新客晓燕"))
    assert visit.platform == "taobao" and visit.note == "包包很喜欢，推荐了朋友"
    html = service.get("/service/visits").get_data(as_text=True)
    assert [db.get(Order, int(i)).buyer_id for i in re.findall(r'name="order_id" value="(\d+)"', html)] == [
        "老客丽娟", "新客海燕", "新客玉兰"]


# -- reports ---------------------------------------------------------------------------------
def complaint(at: dt.datetime, reason: str, courier: str | None = None, product: str | None = None):
    due = at + dt.timedelta(days=1)
    c = Complaint(buyer="孙敏", reason=reason, courier_code=courier, product=product, detail="…", received_at=at,
                  first_answer_due=due, investigation_due=due)
    session.add(c)
    return c


def test_the_weekly_report_is_due_monday_noon_and_submitted_once(app, db, login_as):
    service = login_as("service")
    last_monday = week_of(local_today())[0] - dt.timedelta(days=7)
    start = dt.datetime.combine(last_monday, dt.time(10), SHANGHAI)
    complaint(start, "质量问题")
    complaint(start + dt.timedelta(days=6, hours=13), "物流慢")  # Sunday 23:00: still last week
    complaint(start + dt.timedelta(days=7, hours=-9), "发错货")  # Monday 01:00: this week
    db.commit()
    html = service.get(f"/service/reports/weekly?week={last_monday.isoformat()}").get_data(as_text=True)
    assert "质量问题" in html and "物流慢" in html and "发错货" not in html
    assert ("逾期" in html) or ("待提交" in html)
    service.post("/service/reports/weekly", {"week": last_monday.isoformat(), "summary": "本周投诉 2 起：质量、物流各一"},
                 token_from="/service/reports/weekly")
    report = db.scalar(select(ComplaintReport))
    assert report.week_start == last_monday
    html = service.post("/service/reports/weekly", {"week": last_monday.isoformat(), "summary": "再交一次"},
                        token_from="/service/reports/weekly", follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in html
    this_monday = last_monday + dt.timedelta(days=7)
    html = service.post("/service/reports/weekly", {"week": this_monday.isoformat(), "summary": "太早"},
                        token_from="/service/reports/weekly", follow_redirects=True).get_data(as_text=True)
    assert 'class="flash error"' in html and db.scalar(select(func.count()).select_from(ComplaintReport)) == 1


def test_the_monthly_summary_charts_and_exports_counts_by_reason_courier_product_and_staff(app, db, login_as):
    base = dt.datetime(2026, 10, 5, 10, tzinfo=SHANGHAI)
    for n, (reason, courier, product) in enumerate([
            ("质量问题", None, "BAG-TOTE-BLK"), ("质量问题", None, "BAG-TOTE-BLK"), ("物流慢", "yunda", None),
            ("物流慢", "yunda", "BAG-CROSS-RED"), ("快递员态度", "zhongtong", None)]):
        complaint(base + dt.timedelta(days=n * 5), reason, courier, product)
    complaint(dt.datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI), "发错货")  # November in Shanghai
    db.commit()
    supervisor = login_as("supervisor")
    html = supervisor.get("/service/reports/monthly?month=2026-10").get_data(as_text=True)
    assert html.count("<svg") == 4 and "发错货" not in html
    assert re.search(r"质量问题</td><td class=\"num\">2", html) and re.search(r"yunda</td><td class=\"num\">2", html)
    response = supervisor.get("/service/reports/monthly.xlsx?month=2026-10")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "2026-10" and book["2026-10"].max_row == 6
    by_reason = {row[0]: row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert by_reason == {"质量问题": 2, "物流慢": 2, "快递员态度": 1}


@pytest.mark.parametrize("path", ["/service/", "/service/complaints", "/service/visits", "/service/reviews",
                                  "/service/reports/weekly", "/service/reports/monthly"])
def test_warehouse_and_listing_staff_cannot_open_customer_service(app, login_as, path):
    assert login_as("warehouse").get(path).status_code == 403
    assert login_as("service").get(path).status_code == 200


def test_only_supervisors_reach_the_supervisor_queue_and_the_rules(app, login_as):
    service = login_as("service")
    assert service.get("/service/supervisor").status_code == 403
    assert service.get("/service/rules").status_code == 403
