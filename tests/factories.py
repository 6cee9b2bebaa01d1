"""Small factories for the objects tests need, with real-looking Chinese data."""
from __future__ import annotations

import datetime as dt
import itertools

from backoffice.aftersales.models import RefundRequest
from backoffice.catalog.models import Listing, Product, Sku, Supplier
from backoffice.db import session
from backoffice.orders.models import Order, OrderLine
from backoffice.shops.models import Shop
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


def sku(code="daming-D-998-20-heise", on_hand=10, price_fen=5300, weight_g=450, name="韩版链条斜挎小方包",
        color="黑色", kind="normal") -> Sku:
    found = session.query(Sku).filter_by(code=code).one_or_none()
    if found:
        return found
    supplier = session.query(Supplier).filter_by(name="大明").one_or_none() or Supplier(name="大明", pinyin_code="daming")
    product = Product(supplier=supplier, model=code, kind=kind, name=name, listing_code=f"L-{code}",
                      cost_fen=3800, weight_g=weight_g)
    s = Sku(product=product, code=code, color=color, price_fen=price_fen, on_hand=on_hand)
    session.add(s)
    session.flush()
    return s


def incoming(poid: str, *, shop_id: int, lines=(("daming-D-998-20-heise", 1, 5300),), platform="taobao",
             status="paid", name="张丽", phone="13812345678", address="河北省保定市竞秀区朝阳北大街1688号",
             buyer="zhangli88", ordered_at: dt.datetime | None = None, modified: dt.datetime | None = None,
             memo=None, message=None, flash=False):
    from backoffice.orders.incoming import IncomingLine, IncomingOrder, IncomingReceiver

    return IncomingOrder(
        platform=platform, shop_id=shop_id, platform_order_id=poid, status=status, buyer_id=buyer,
        receiver=IncomingReceiver(name=name, phone=phone, address=address),
        lines=[IncomingLine(sku_code=c, quantity=q, price_fen=p, flash_sale=flash) for c, q, p in lines],
        ordered_at=ordered_at or dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.timezone.utc),
        platform_modified_at=modified, seller_memo=memo, buyer_message=message)


def parcel_sku(code: str, *, color="黑色", location: str | None = "A-01-1", weight_g: int | None = 650,
        kind="normal", price_fen=5900) -> Sku:
    found = session.query(Sku).filter_by(code=code).one_or_none()
    if found:
        return found
    supplier = session.query(Supplier).filter_by(name="大明").one_or_none() or Supplier(name="大明", pinyin_code="daming")
    product = Product(supplier=supplier, model=code, kind=kind, name="韩版链条斜挎小方包", listing_code=f"L-{code}",
                      cost_fen=3800, weight_g=weight_g)
    item = Sku(product=product, code=code, color=color, price_fen=price_fen, on_hand=50, location=location)
    session.add(item)
    session.flush()
    return item


def parcel_order(address: str, lines: list[tuple[Sku, int]], *, flash_sale=False, memo=None, message=None,
                 ordered_at: dt.datetime | None = None, buyer=None, phone="13912345678") -> Order:
    """An order whose address is one free text line, as platforms send it."""
    from backoffice.addresses.parser import parse_address

    parsed = parse_address(address)
    n = next(_seq)
    paid = sum(s.price_fen * q for s, q in lines)
    o = Order(number=f"202611-{n:06d}", platform="taobao", shop=shop(), platform_order_id=f"T{n:010d}",
              buyer_id=buyer or f"buyer{n}", receiver_name="李娜", receiver_phone=phone,
              province=parsed.province, city=parsed.city, district=parsed.district, address_detail=parsed.detail,
              address_raw=address, region_code=parsed.region_code, status="paid", goods_fen=paid, paid_fen=paid,
              seller_memo=memo, buyer_message=message, ordered_at=ordered_at or utcnow())
    for s, q in lines:
        o.lines.append(OrderLine(sku_id=s.id, sku_code=s.code, title="韩版链条斜挎小方包", quantity=q,
                                 price_fen=s.price_fen, flash_sale=flash_sale))
    session.add(o)
    session.flush()
    return o
def connected_shop(sim, name: str | None = None, expires_in: dt.timedelta | None = dt.timedelta(days=30)) -> Shop:
    """A shop of the simulator's platform, connected to it with encrypted credentials."""
    from backoffice.shops.operations import connect_shop

    s = shop(sim.platform, name or f"{sim.platform}旗舰店")
    connect_shop(s, sim.app_key, sim.app_secret, sim.access_token, utcnow() + expires_in if expires_in else None,
                 sim.url)
    return s
