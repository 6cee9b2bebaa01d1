"""The returns desk (SPEC §4.2): scan, match, inspect, restock, refund. Only flushes."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice import bulk
from backoffice.accounts import audit
from backoffice.aftersales.models import RefundRequest, ReturnParcel, ReturnReason
from backoffice.aftersales.platform_refunds import tell_platform
from backoffice.aftersales.returns import reason_counts_against_shop, restock_mark
from backoffice.cases.models import MoneyMovement
from backoffice.catalog.models import Sku
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import OrderEvent, OrderLine
from backoffice.timeutil import utcnow


@dataclass
class ScanResult:
    found: bool
    parcel: ReturnParcel
    request: RefundRequest | None
    already_scanned: bool
    reason_against_shop: bool


def reasons_table() -> dict[str, bool]:
    return dict(session.execute(select(ReturnReason.name, ReturnReason.counts_against_shop)).all())


def scan(tracking_number: str, user) -> ScanResult:
    """Receive a parcel by its return tracking number. Scanning twice changes nothing."""
    code = tracking_number.strip().upper()
    if not code:
        raise OperationError(_("Scan or type the return tracking number."), "code")
    parcel = session.scalar(select(ReturnParcel).where(ReturnParcel.tracking_number == code))
    if parcel is not None:
        request = parcel.refund_request
        return ScanResult(request is not None, parcel, request, True,
                          reason_counts_against_shop(request.reason, reasons_table()) if request else False)
    request = session.scalar(
        select(RefundRequest).where(RefundRequest.kind == "return", RefundRequest.return_tracking_number == code)
        .order_by(RefundRequest.id.desc())
    )
    parcel = ReturnParcel(tracking_number=code, refund_request=request, received_by_id=user.id)
    session.add(parcel)
    if request is not None:
        if request.status in ("pending", "awaiting_return"):
            request.status = "received"
        request.order.events.append(OrderEvent(kind="return", user_id=user.id, message=f"退货已签收：{code}"))
    session.flush()
    against = reason_counts_against_shop(request.reason, reasons_table()) if request else False
    return ScanResult(request is not None, parcel, request, False, against)


def link_unmatched(request: RefundRequest) -> ReturnParcel | None:
    """A return request that appears after its parcel: link the unmatched parcel."""
    if not request.return_tracking_number:
        return None
    parcel = session.scalar(select(ReturnParcel).where(
        ReturnParcel.tracking_number == request.return_tracking_number.strip().upper(),
        ReturnParcel.refund_request_id.is_(None)))
    if parcel is not None:
        parcel.refund_request = request
        if request.status in ("pending", "awaiting_return"):
            request.status = "received"
        session.flush()
    return parcel


def link_by_order_number(parcel_id: int, order_number: str) -> RefundRequest:
    from backoffice.orders.models import Order

    parcel = session.get(ReturnParcel, parcel_id)
    if parcel is None or parcel.refund_request_id is not None:
        raise OperationError(_("This parcel is not an unmatched one."))
    request = session.scalar(
        select(RefundRequest).join(Order).where(Order.number == order_number.strip(), RefundRequest.kind == "return")
        .order_by(RefundRequest.id.desc()))
    if request is None:
        raise OperationError(_("Order %(number)s has no return request.", number=order_number), "order_number")
    parcel.refund_request = request
    request.return_tracking_number = request.return_tracking_number or parcel.tracking_number
    if request.status in ("pending", "awaiting_return"):
        request.status = "received"
    session.flush()
    return request


@dataclass(frozen=True)
class Inspection:
    item_matches: bool
    condition: str            # good / damaged / used
    original_packaging: bool
    outcome: str              # refund / refuse / partial
    refusal_reason: str | None = None
    partial_fen: int | None = None
    restock_location: str | None = None
    note: str | None = None


def inspect(parcel_id: int, form: Inspection, user) -> ReturnParcel:
    """Record the inspection; refund (in full or part), or refuse; restock."""
    parcel = session.get(ReturnParcel, parcel_id, with_for_update=True)
    if parcel is None or parcel.refund_request is None:
        raise OperationError(_("Link the parcel to its return request before inspecting it."))
    if parcel.outcome is not None:
        raise OperationError(_("This parcel was already inspected; nothing was changed."))
    request = parcel.refund_request
    if request.status in ("refunded", "refused", "closed"):
        raise OperationError(_("This request is already handled (%(status)s); nothing was changed.",
                               status=request.status))
    lines = session.scalars(select(OrderLine).where(OrderLine.order_id == request.order_id)).all()
    skus = {s.id: s for s in session.scalars(select(Sku).where(Sku.id.in_([line.sku_id for line in lines if line.sku_id])))}
    kinds = {s.product.kind for s in skus.values()}
    if form.outcome == "refuse" and not form.refusal_reason:
        raise OperationError(_("Choose why the return is refused."), "refusal_reason")
    if form.outcome != "refuse" and "unique" in kinds and not form.original_packaging:
        raise OperationError(_("A unique item returned without its original packaging cannot be refunded: "
                               "refuse it."), "outcome")
    if form.outcome == "partial" and not (form.partial_fen and 0 < form.partial_fen < request.amount_fen):
        raise OperationError(_("A partial refund must be more than 0 and less than %(amount)s yuan.",
                               amount=f"{request.amount_fen / 100:.2f}"), "partial")

    parcel.item_matches, parcel.condition = form.item_matches, form.condition
    parcel.original_packaging, parcel.outcome = form.original_packaging, form.outcome
    parcel.refusal_reason = form.refusal_reason if form.outcome == "refuse" else None
    parcel.inspected_at, parcel.inspected_by_id, parcel.note = utcnow(), user.id, form.note
    if form.outcome == "refuse":
        request.status, request.resolved_at = "refused", utcnow()
        message = f"退货验货不通过，拒绝：{form.refusal_reason}"
        tell_platform(request, agree=False, reason=form.refusal_reason)
    else:
        amount = request.amount_fen if form.outcome == "refund" else form.partial_fen
        parcel.refund_fen = amount
        session.add(MoneyMovement(order_id=request.order_id, refund_request_id=request.id,
                                  kind="refund" if form.outcome == "refund" else "partial_refund",
                                  amount_fen=amount, idempotency_key=f"return:{request.id}",
                                  created_by_id=user.id))
        request.status, request.resolved_at = "refunded", utcnow()
        message = f"退货验货通过，退款 {amount / 100:.2f} 元"
        tell_platform(request, agree=True, amount_fen=amount)
        if form.item_matches and form.condition != "used":
            _restock(parcel, lines, skus, form.restock_location)
    request.order.events.append(OrderEvent(kind="return", user_id=user.id, message=message))
    money = {"refused": True} if form.outcome == "refuse" else {
        "kind": "refund" if form.outcome == "refund" else "partial_refund", "amount_fen": parcel.refund_fen}
    audit.record("refund", f"refund:{request.id}", user=user, name=request.order.number, **money)
    session.flush()
    return parcel


def _restock(parcel: ReturnParcel, lines, skus: dict[int, Sku], location: str | None) -> None:
    marks = []
    for line in lines:
        sku = skus.get(line.sku_id)
        if sku is None:
            continue
        sku.on_hand += line.quantity
        if location:
            sku.location = location
        product = sku.product
        mark = restock_mark(product.kind, product.supplier.name, product.model)
        if mark:
            marks.append(mark)
    parcel.restock_mark = "、".join(dict.fromkeys(marks)) or None
    parcel.restock_location = location


@dataclass
class BatchResult:
    received: list[str]
    repeated: list[str]
    unmatched: list[str]


def _where_in(connection, sql: str, values: list):
    """Run ``sql`` with ``{marks}`` standing for the values' placeholders, at the
    driver: SQLAlchemy's expanding IN costs more than the lookup itself here."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return connection.exec_driver_sql(sql.format(marks=", ".join([mark] * len(values))), tuple(values))


def receive_many(codes: list[str], user, chunk: int = 2000) -> BatchResult:
    """Receive a courier's whole list of returned parcels at once: the same rules
    as one scan, in a few queries per chunk instead of several per parcel."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))
    result = BatchResult([], [], [])
    session.flush()  # what follows runs at the driver, past the session
    connection = session.connection()
    if connection.dialect.name == "sqlite" and len(wanted) > chunk:
        # thousands of requests scattered over the table: with SQLite's default
        # 2 MB page cache the transaction spills dirty pages to the WAL halfway
        connection.exec_driver_sql("PRAGMA cache_size=-65536")
    for start in range(0, len(wanted), chunk):
        part = wanted[start:start + chunk]
        seen = {code for code, in _where_in(
            connection, "SELECT tracking_number FROM return_parcels WHERE tracking_number IN ({marks})", part)}
        requests = {}
        # by tracking number only, so the planner takes that index; the kind is checked here
        for request_id, code, kind in _where_in(
                connection, "SELECT id, return_tracking_number, kind FROM refund_requests"
                " WHERE return_tracking_number IN ({marks}) ORDER BY id", part):
            if kind == "return":
                requests[code] = request_id  # the newest request wins
        rows, now, user_id = [], utcnow(), user.id if user else None
        for code in part:
            if code in seen:
                result.repeated.append(code)
                continue
            request_id = requests.get(code)
            rows.append((code, request_id, now, user_id))
            (result.received if request_id else result.unmatched).append(code)
        if rows:
            # driver-level executemany: SQLAlchemy's per-row processing cost more than the insert
            bulk.insert_rows(connection, ReturnParcel.__table__,
                             ("tracking_number", "refund_request_id", "received_at", "received_by_id"), rows)
            received_ids = sorted({requests[c] for c in part if c in requests and c not in seen})
            if received_ids:
                _where_in(connection, "UPDATE refund_requests SET status = 'received' WHERE id IN ({marks})"
                          " AND status IN ('pending', 'awaiting_return')", received_ids)
    return result
