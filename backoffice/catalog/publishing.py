"""Publishing a reviewed draft through its platform's adapter: the listing turns
"publishing" and an outbox message (kind ``listing``) is written in the same
transaction; the dispatcher sends it and writes the platform's item id back.
Platforms without a publishing API (Mogujie) keep the spreadsheet export.

Like operations.py, these only flush; a refusal raises OperationError."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from backoffice import outbox
from backoffice.accounts import audit
from backoffice.catalog import detail_sanitiser
from backoffice.catalog.labels import label
from backoffice.catalog.models import Listing
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import Shop
from integrations.base import Listing as ListingDTO
from integrations.base import ListingSku, supports


def publishable(platform: str) -> bool:
    """Whether the platform's adapter can publish (else: export for its bulk upload)."""
    return supports(platform, "publish_listing")


def connected_shops(platform: str) -> list[Shop]:
    """The shops a listing of the platform can be published to: active and authorised."""
    return list(session.scalars(select(Shop).where(Shop.platform == platform, Shop.active.is_(True),
                                                   Shop.auth_status == "ok",
                                                   Shop.credentials_encrypted.is_not(None)).order_by(Shop.id)))


def listing_dto(listing: Listing, media_url: str) -> ListingDTO:
    """The draft as the adapters take it; ``media_url`` is the public address of the media folder
    (the platforms fetch the images from it)."""
    images = listing.images or {}
    sku_images = images.get("sku") or {}
    skus = tuple(ListingSku(s.code, s.color, s.price_fen, max(0, s.available), s.size or "",
                            media_url + sku_images[s.color] if sku_images.get(s.color) else "")
                 for s in listing.product.skus)
    settings = dict(listing.settings or {})
    return ListingDTO(listing.product.listing_code, listing.title, listing.description or listing.title,
                      detail_sanitiser.clean(listing.detail_html), skus, tuple(media_url + p for p in images.get("main", [])),
                      str(settings.get("category_id") or ""), settings)


def publish(listing: Listing, shop_id: int, media_url: str, user) -> OutboxMessage:
    """Hand a reviewed draft to the outbox for the chosen connected shop of its platform."""
    platform = listing.shop.platform
    if not publishable(platform):
        raise OperationError(_("%(platform)s has no publishing API: export the drafts for its bulk upload.",
                               platform=label("platform", platform)), "shop_id")
    shop = session.get(Shop, shop_id)
    if shop is None or shop not in connected_shops(platform):
        raise OperationError(_("Choose a connected shop of the listing's platform."), "shop_id")
    if listing.status != "ready":
        raise OperationError(_("Only a draft marked ready can be published; this listing is %(status)s.",
                               status=label("listing_status", listing.status)), "shop_id")
    if not listing.product.skus:
        raise OperationError(_("The product has no SKUs to publish."), "shop_id")
    if not (listing.images or {}).get("main"):
        raise OperationError(_("The draft has no main images to publish."), "shop_id")
    if not (listing.settings or {}).get("category_id"):
        raise OperationError(_("Set the platform's category number in the listing rules first."), "shop_id")
    if shop.id != listing.shop_id:
        if session.scalar(select(Listing.id).where(Listing.product_id == listing.product_id,
                                                   Listing.shop_id == shop.id)):
            raise OperationError(_("The product already has a listing in %(shop)s.", shop=shop.name), "shop_id")
    # A conditional update: of two clicks (or two staff) exactly one moves the draft on.
    moved = session.execute(update(Listing).where(Listing.id == listing.id, Listing.status == "ready")
                            .values(status="publishing", shop_id=shop.id)
                            .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise OperationError(_("This listing is already being published."), "shop_id")
    session.refresh(listing)
    payload = {"listing_id": listing.id, "listing": outbox.to_payload(listing_dto(listing, media_url))}
    sent_before = session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "listing", OutboxMessage.idempotency_key.like(f"listing:{listing.id}:%")))
    message = outbox.enqueue(shop.id, "listing", f"listing:{listing.id}:{sent_before + 1}", payload)
    audit.record("listing.publish", f"listing:{listing.id}", user=user, name=listing.product.listing_code,
                 shop=shop.name)
    return message


def last_attempt(listing_id: int) -> OutboxMessage | None:
    """The latest publishing message of a listing, to show how it went."""
    return session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "listing",
                                                      OutboxMessage.idempotency_key.like(f"listing:{listing_id}:%"))
                          .order_by(OutboxMessage.id.desc()).limit(1))


# -- written back by the dispatcher, in the transaction that settles the message -----------------
def record_published(listing_id: int, item_id: str) -> None:
    session.execute(update(Listing).where(Listing.id == listing_id)
                    .values(status="published", platform_item_id=item_id)
                    .execution_options(synchronize_session=False))


def record_failed(listing_id: int) -> None:
    """The platform refused for good: the draft is ready again, to be fixed and published anew."""
    session.execute(update(Listing).where(Listing.id == listing_id, Listing.status == "publishing")
                    .values(status="ready").execution_options(synchronize_session=False))


def _write_back(payload: dict, item_id: str | None, delivered: bool) -> None:
    if delivered:
        record_published(payload["listing_id"], item_id)
    else:
        record_failed(payload["listing_id"])


@outbox.handles("listing", write_back=_write_back)
def deliver_listing(payload: dict, adapter) -> str:
    fields = dict(payload["listing"])
    fields["skus"] = tuple(ListingSku(**sku) for sku in fields["skus"])
    fields["image_urls"] = tuple(fields["image_urls"])
    return adapter.publish_listing(ListingDTO(**fields))
