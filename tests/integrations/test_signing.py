"""Platform signatures agree with the published examples and official SDK behaviour."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from integrations import douyin, kuaidi100, pinduoduo, taobao


def test_taobao_md5_matches_the_published_top_example():
    # The worked example of the TOP signature documentation (secret "helloworld").
    params = {"method": "taobao.item.seller.get", "app_key": "12345678", "session": "test",
              "timestamp": "2016-01-01 12:00:00", "format": "json", "v": "2.0", "sign_method": "md5",
              "fields": "num_iid,title,nick,price,num", "num_iid": "11223344"}
    assert taobao.sign(params, "helloworld") == "66987CB115214E59E6EC978214934FB8"
    # `sign` itself is never part of the signed text
    assert taobao.sign({**params, "sign": "ANYTHING"}, "helloworld") == "66987CB115214E59E6EC978214934FB8"


@pytest.mark.parametrize("method, digest", [("hmac", hashlib.md5), ("hmac-sha256", hashlib.sha256)])
def test_taobao_hmac_methods_sign_the_sorted_pairs_without_the_secret_around_them(method, digest):
    params = {"v": "2.0", "app_key": "12345678", "method": "taobao.trades.sold.increment.get",
              "start_modified": "2026-11-23 08:00:00", "sign_method": method, "buyer_nick": "小王"}
    text = ("app_key12345678buyer_nick小王methodtaobao.trades.sold.increment.getsign_method" + method
            + "start_modified2026-11-23 08:00:00v2.0")
    assert taobao.sign(params, "helloworld", method) == hmac.new(b"helloworld", text.encode(), digest).hexdigest().upper()


def test_taobao_rejects_an_unknown_sign_method():
    with pytest.raises(ValueError):
        taobao.sign({"a": "1"}, "s", "sha1")


PDD_PARAMS = {"type": "pdd.order.number.list.increment.get", "client_id": "4f8ab2c1d3e54f6a9b0c1d2e3f405162",
              "access_token": "a1b2c3d4e5f6", "timestamp": "1732341600", "data_type": "JSON", "version": "V1",
              "is_lucky_flag": 0, "order_status": 5, "refund_status": 5, "start_updated_at": 1732338000,
              "end_updated_at": 1732339800, "page": 1, "page_size": 100, "use_has_next": True}


def test_pinduoduo_signature_agrees_with_the_sdk_for_a_real_call():
    # Value produced by the Python SDK's sign() for the same parameters
    # (its booleans written as the platform expects them: "true").
    assert pinduoduo.sign(PDD_PARAMS, "7c0f5b8e9d2a4c6b8e1f3a5c7d9e0b2f") == "81C2FAF0A16A14F3A9D3FB51D375C8EE"


def test_pinduoduo_skips_empty_values_and_json_encodes_lists():
    base = pinduoduo.sign(PDD_PARAMS, "k")
    assert pinduoduo.sign({**PDD_PARAMS, "buyer_memo": ""}, "k") == base
    listed = pinduoduo.sign({"order_sn_list": ["201123-001", "201123-002"]}, "k")
    text = 'korder_sn_list["201123-001","201123-002"]k'
    assert listed == hashlib.md5(text.encode()).hexdigest().upper()


@pytest.mark.parametrize("params, expected", [
    ({}, "{}"),
    (None, "{}"),
    ({"size": 100, "page": 0}, '{"page":0,"size":100}'),
    ({"b": {"z": 1, "a": [3.0, 2.5]}, "a": "<抖店>"}, '{"a":"<抖店>","b":{"a":[3,2.5],"z":1}}'),
])
def test_douyin_param_json_is_canonical(params, expected):
    assert douyin.param_json(params) == expected


def test_douyin_signature_agrees_with_the_sdk_for_a_real_call():
    pj = douyin.param_json({"page": 0, "size": 100, "update_time_start": 1732338000, "update_time_end": 1732341600,
                            "order_by": "update_time", "order_asc": True})
    assert pj == ('{"order_asc":true,"order_by":"update_time","page":0,"size":100,'
                  '"update_time_end":1732341600,"update_time_start":1732338000}')
    # Value produced by a Python SDK for the same call (lower-case hex HMAC-SHA256).
    assert douyin.sign("6839207512345678901", "3b5e1c2d-8f4a-4b6c-9d0e-1f2a3b4c5d6e", "order.searchList", pj,
                       "1732341600") == "074aa3d35ad33aac3d82eff82eaf0aae17f1db146cf0f15ff59eaee487275764"


def test_douyin_event_sign_of_push_messages():
    body = '[{"tag":"101","msg_id":"7012","data":"{\\"p_id\\":4781}"}]'
    assert douyin.event_sign("6839207512345678901", body, "sec") == hashlib.md5(
        ("6839207512345678901" + body + "sec").encode()).hexdigest()


def test_kuaidi100_signs_the_exact_param_string():
    param = '{"com":"yuantong","num":"YT9693083639795","phone":"","from":"","to":"","resultv2":"1","show":"0","order":"desc"}'
    expected = hashlib.md5((param + "KEYabc123" + "CUSTOMER0001").encode()).hexdigest().upper()
    assert kuaidi100.sign(param, "KEYabc123", "CUSTOMER0001") == expected
    # a different spacing of the same JSON is a different signature: sign what you send
    assert kuaidi100.sign(param.replace(",", ", "), "KEYabc123", "CUSTOMER0001") != expected
    assert kuaidi100.callback_sign(param, "salt9") == hashlib.md5((param + "salt9").encode()).hexdigest().upper()
