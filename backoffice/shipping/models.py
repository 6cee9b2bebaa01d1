"""Couriers, versioned routing rule sets, coverage (超区), freight rates,
routing decisions, waves and shipment confirmations."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

RULE_SET_STATUSES = ("draft", "published", "retired")
DECISION_STATUSES = ("ok", "needs_approval", "request_refused", "surcharge", "no_route")


class Courier(Base):
    """A courier company; the code is Kuaidi100's company code."""

    __tablename__ = "couriers"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    # A regular expression every tracking number of this courier matches (data, staff edit).
    tracking_pattern: Mapped[str | None] = mapped_column(String(200))


class RuleSet(Base):
    """One version of the routing rules with its coverage and freight tables.

    Published sets are never edited: a change is a new draft, published as the
    next version; decisions point at the set that made them."""

    __tablename__ = "courier_rule_sets"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    default_item_weight_g: Mapped[int] = mapped_column(default=800)  # a SKU without a weight
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]

    rules: Mapped[list["CourierRule"]] = relationship(
        back_populates="rule_set", order_by="CourierRule.position", cascade="all, delete-orphan")
    coverage: Mapped[list["CoverageExclusion"]] = relationship(
        back_populates="rule_set", cascade="all, delete-orphan")
    rates: Mapped[list["FreightRate"]] = relationship(back_populates="rule_set", cascade="all, delete-orphan")


class CourierRule(Base):
    """conditions / action are small JSON documents, see shipping.routing."""

    __tablename__ = "courier_rules"
    __table_args__ = (UniqueConstraint("rule_set_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("courier_rule_sets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(64))
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    action: Mapped[dict[str, Any]] = mapped_column(default=dict)

    rule_set: Mapped[RuleSet] = relationship(back_populates="rules")


class CoverageExclusion(Base):
    """A region a courier does not reach (超区): a province, city or district code.
    surcharge_fen > 0 means the courier can still be used there when a rule
    allows it, and the buyer pays that extra freight."""

    __tablename__ = "courier_coverage_exclusions"
    __table_args__ = (UniqueConstraint("rule_set_id", "courier_code", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("courier_rule_sets.id", ondelete="CASCADE"), index=True)
    courier_code: Mapped[str] = mapped_column(ForeignKey("couriers.code"))
    region_code: Mapped[str] = mapped_column(String(12))
    surcharge_fen: Mapped[int] = mapped_column(default=0)

    rule_set: Mapped[RuleSet] = relationship(back_populates="coverage")


class FreightRate(Base):
    """First weight + each additional unit, for a courier and a region ("" = everywhere else)."""

    __tablename__ = "freight_rates"
    __table_args__ = (
        UniqueConstraint("rule_set_id", "courier_code", "region_code"),
        CheckConstraint("rounding IN ('ceil', 'half_up')", name="rounding_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("courier_rule_sets.id", ondelete="CASCADE"), index=True)
    courier_code: Mapped[str] = mapped_column(ForeignKey("couriers.code"))
    region_code: Mapped[str] = mapped_column(String(12), default="")
    first_weight_g: Mapped[int]
    first_fen: Mapped[int]
    extra_unit_g: Mapped[int] = mapped_column(default=1000)
    extra_fen: Mapped[int | None]  # None: not known, so heavier parcels get no automatic price
    # ceil: every started unit counts; half_up: under half a unit is dropped
    rounding: Mapped[str] = mapped_column(String(8), default="ceil")

    rule_set: Mapped[RuleSet] = relationship(back_populates="rates")


class RoutingDecision(Base):
    """What routing decided for a parcel (an order, merged orders ship as one), and why."""

    __tablename__ = "routing_decisions"
    __table_args__ = (Index("ix_routing_decisions_order_id_id", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("courier_rule_sets.id"))
    courier_code: Mapped[str | None] = mapped_column(ForeignKey("couriers.code"))
    status: Mapped[str] = mapped_column(String(16))
    rule_name: Mapped[str] = mapped_column(String(64), default="")
    surcharge_fen: Mapped[int] = mapped_column(default=0)
    freight_fen: Mapped[int | None]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    rule_set: Mapped[RuleSet] = relationship()


class Wave(Base):
    """A batch of orders picked together; printing marks its orders waybill-printed."""

    __tablename__ = "waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[dt.datetime | None]

    items: Mapped[list["WaveOrder"]] = relationship(order_by="WaveOrder.position", cascade="all, delete-orphan")


class WaveOrder(Base):
    __tablename__ = "wave_orders"
    __table_args__ = (UniqueConstraint("wave_id", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    packed_at: Mapped[dt.datetime | None]  # the packing check confirmed every item


class ShipmentConfirmation(Base):
    """Pending "shipped" notice to a platform order (an outbox row): written in
    the same transaction as the shipment, sent after commit by the sync jobs."""

    __tablename__ = "shipment_confirmations"
    __table_args__ = (UniqueConstraint("order_id", "tracking_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    courier_code: Mapped[str] = mapped_column(ForeignKey("couriers.code"))
    tracking_number: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
