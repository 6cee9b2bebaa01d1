"""Kuaidi100 over HTTP (query, subscribe, signed callbacks), the Mogujie
spreadsheet fallback, and redaction of request logs."""
from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from integrations.base import Credentials, InvalidRequest, RateLimited, Shipment, SignatureRejected, adapter_for
from integrations.clock import CST
from integrations.kuaidi100.adapter import CALLBACK_FAILED, CALLBACK_OK, parse_callback
from integrations.mogujie.spreadsheet import read_orders, shipping_sheet
from integrations.simulators.kuaidi100 import Kuaidi100Simulator
from integrations.transport import redact
from tests.simulated import FAST


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=CST)


@pytest.fixture
def k100():
    sim = Kuaidi100Simulator()
    sim.add_parcel("zhongtong", "78312345678901", "3", [
        (at("2026-11-20 18:02"), "【杭州市】 中通快递 杭州西湖 已揽收"),
        (at("2026-11-21 03:40"), "【杭州市】 已发往 成都中转部"),
        (at("2026-11-22 09:15"), "【成都市】 快件已送达【菜鸟驿站】，请凭取件码取件"),
    ])
    sim.add_parcel("shunfeng", "SF1402938475612", "0", [(at("2026-11-22 20:00"), "【广州市】 顺丰速运 已收取快件")],
                   phone="13812345678")
    sim.faults.timeout_seconds = 0.8
    sim.start()
    yield sim
    sim.stop()


def tracking(sim, key=None):
    return adapter_for("kuaidi100", Credentials(key or sim.app_key, sim.app_secret, endpoint=sim.url), **FAST)


def test_a_query_returns_events_oldest_first_and_the_state(k100):
    result = tracking(k100).query("zhongtong", "78312345678901")
    assert (result.state, result.finished) == ("delivered", True)
    assert [e.text[:5] for e in result.events] == ["【杭州市】", "【杭州市】", "【成都市】"]
    assert result.events[0].at == at("2026-11-20 18:02")


def test_shunfeng_needs_the_phone_and_faults_are_retried(k100):
    k100.faults.set(server_error=1, malformed=1)
    result = tracking(k100).query("shunfeng", "SF1402938475612", phone="13812345678")
    assert result.state == "in_transit" and not result.finished
    with pytest.raises(InvalidRequest, match="手机号码"):  # 408: SF Express needs the phone
        tracking(k100).query("shunfeng", "SF1402938475612")
    k100.faults.set(rate_limit=20)
    with pytest.raises(RateLimited):  # throttled throughout: retried, then given up
        tracking(k100).query("zhongtong", "78312345678901")


@pytest.mark.parametrize("courier, number, error", [
    ("zhongtong", "78300000000000", InvalidRequest),  # no tracking yet (500)
    ("debangwuliu", "1", InvalidRequest),  # courier we do not support
])
def test_query_failures_are_mapped(k100, courier, number, error):
    with pytest.raises(error):
        tracking(k100).query(courier, number)


def test_a_wrong_key_is_a_signature_failure(k100):
    with pytest.raises(SignatureRejected):
        tracking(k100, key="wrong-key").query("zhongtong", "78312345678901")


def test_subscribe_then_receive_a_signed_push(k100):
    received, answers = [], iter([CALLBACK_OK])

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            try:
                received.append(parse_callback(form, "s4lt"))
                reply = next(answers)
            except SignatureRejected:
                reply = CALLBACK_FAILED
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tracking/kuaidi100"
        adapter = tracking(k100)
        assert adapter.subscribe("zhongtong", "78312345678901", url, "s4lt") is True
        assert adapter.subscribe("zhongtong", "78312345678901", url, "s4lt") is False  # 501: already subscribed
        assert k100.push("zhongtong", "78312345678901") == CALLBACK_OK
        assert received[0].state == "delivered" and len(received[0].events) == 3
        k100.subscriptions[("zhongtong", "78312345678901")]["salt"] = "other"  # a forged push
        assert k100.push("zhongtong", "78312345678901") == CALLBACK_FAILED
    finally:
        server.shutdown()
        server.server_close()


EXPORT = """订单编号,订单状态,下单时间,收货人,联系电话,省,市,区,详细地址,商品编码,商品名称,数量,单价,实付金额,买家留言
MGJ2611230001,待发货,2026-11-23 09:30:00,王秀英,13912345678,浙江省,杭州市,西湖区,文三路 88 号,BAG-TOTE-BLK,真皮托特包 黑色,1,299.00,457.00,请尽快发货
MGJ2611230001,待发货,2026-11-23 09:30:00,王秀英,13912345678,浙江省,杭州市,西湖区,文三路 88 号,BAG-CROSS-RED,小方包斜挎 酒红,1,158.00,457.00,请尽快发货
MGJ2611230002,已完成,2026/11/22 21:05:10,李桂芳,13587654321,四川省,成都市,武侯区,科华北路 65 号,BAG-BUCKET-BRN,水桶包 焦糖色,2,198.00,396.00,
"""


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_the_mogujie_export_is_read_as_orders(encoding):
    orders = read_orders(EXPORT.encode(encoding))
    assert [(o.platform_order_id, o.status, o.paid_fen, len(o.lines)) for o in orders] == [
        ("MGJ2611230001", "to_ship", 45700, 2), ("MGJ2611230002", "completed", 39600, 1)]
    assert orders[0].receiver.name == "王秀英" and orders[0].lines[1].price_fen == 15800
    assert orders[1].created_at == dt.datetime(2026, 11, 22, 13, 5, 10, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("text, message", [
    (EXPORT.replace("待发货,2026-11-23 09:30:00,王", "已付款,2026-11-23 09:30:00,王", 1), "第 2 行“订单状态”"),
    (EXPORT.replace(",2,198.00", ",两,198.00"), "第 4 行“数量”或“单价”"),
    (EXPORT.replace("2026/11/22 21:05:10", "昨天"), "第 4 行“下单时间”"),
    (EXPORT.replace("收货人,", ""), "缺少列：收货人"),
])
def test_a_bad_export_names_the_row_and_column(text, message):
    with pytest.raises(InvalidRequest, match=message):
        read_orders(text.encode())


def test_the_shipping_sheet_for_upload():
    sheet = shipping_sheet([Shipment("MGJ2611230001", "zhongtong", "78312345678901")]).decode("utf-8-sig")
    assert sheet.splitlines() == ["订单编号,物流公司,运单号", "MGJ2611230001,中通快递,78312345678901"]


def test_request_logs_carry_no_secrets_or_personal_data():
    params = {"app_key": "12345678", "session": "6100e2c9", "sign": "ABCDEF", "receiver_name": "王秀英",
              "param": json.dumps({"phone": "13912345678", "num": "YT1"}), "buyer_message": "电话 13912345678"}
    safe = redact(params)
    assert safe["session"] == safe["sign"] == "***" and "王秀英" not in str(safe)
    assert "13912345678" not in str(safe) and "139****5678" in safe["buyer_message"]
    assert safe["app_key"] == "12345678"
