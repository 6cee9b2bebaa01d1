"""Small factories for the objects tests need, with real-looking Chinese data."""
from __future__ import annotations

import datetime as dt
import itertools

from backoffice.aftersales.models import RefundRequest
from backoffice.catalog.models import Listing, Product, Sku, Supplier
from backoffice.db import session
from backoffice.orders.models import Order, OrderLine
from backoffice.sync.models import Shop
from backoffice.timeutil import utcnow

_seq = itertools.count(1)


def shop(platform="taobao", name="娜好呀") -> Shop:
    found = session.query(Shop).filter_by(platform=platform, name=name).one_or_none()
    if found:
        return found
    s = Shop(platform=platform, name=name, auth_status="ok")
    session.add(s)
    session.flush()
    return s


def order(*, status="paid", ordered_at: dt.datetime | None = None, receiver_name="张三", phone="13812345678",
          province="河北省", city="保定市", district="竞秀区", detail="朝阳北大街 1688 号", paid_fen=5300,
          memo=None, platform="taobao") -> Order:
    n = next(_seq)
    o = Order(number=f"202611-{n:06d}", platform=platform, shop=shop(platform), platform_order_id=f"T{n:010d}",
              buyer_id=f"buyer{n}", receiver_name=receiver_name, receiver_phone=phone, province=province,
              city=city, district=district, address_detail=detail,
              address_raw=f"{province}{city}{district}{detail}", status=status, goods_fen=paid_fen,
              paid_fen=paid_fen, seller_memo=memo, ordered_at=ordered_at or utcnow())
    o.lines.append(OrderLine(sku_code="daming-D-998-20-heise", title="韩版链条斜挎小方包 黑色", quantity=1,
                             price_fen=paid_fen))
    session.add(o)
    session.flush()
    return o


def refund(order: Order, kind="refund_only", status="pending") -> RefundRequest:
    r = RefundRequest(order=order, platform_refund_id=f"R{order.platform_order_id}-{next(_seq)}", kind=kind,
                      status=status, amount_fen=order.paid_fen, reason="不喜欢")
    session.add(r)
    session.flush()
    return r


def listing(status="draft") -> Listing:
    n = next(_seq)
    supplier = session.query(Supplier).filter_by(name="大明").one_or_none() or Supplier(name="大明", pinyin_code="daming")
    product = Product(supplier=supplier, model=f"D-{n}", kind="normal", name="韩版链条斜挎小方包",
                      listing_code=f"daming-D-{n}", cost_fen=3800)
    product.skus.append(Sku(code=f"daming-D-{n}-heise", color="黑色", price_fen=5300, on_hand=10))
    item = Listing(product=product, shop=shop(), title="韩版链条斜挎小方包 女包", status=status)
    session.add(item)
    session.flush()
    return item


def connected_shop(sim, name: str | None = None, expires_in: dt.timedelta | None = dt.timedelta(days=30)) -> Shop:
    """A shop of the simulator's platform, connected to it with encrypted credentials."""
    from backoffice.sync.operations import connect_shop

    s = shop(sim.platform, name or f"{sim.platform}旗舰店")
    connect_shop(s, sim.app_key, sim.app_secret, sim.access_token, utcnow() + expires_in if expires_in else None,
                 sim.url)
    return s
