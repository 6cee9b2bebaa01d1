"""Imports every domain's models so the metadata (and Alembic) sees them all."""
from backoffice.accounts.models import AuditEntry, LoginAttempt, User  # noqa: F401
from backoffice.aftersales.models import RefundRequest  # noqa: F401
from backoffice.catalog.models import Listing, Product, Sku, Supplier  # noqa: F401
from backoffice.orders.models import Order, OrderEvent, OrderLine  # noqa: F401
from backoffice.shipping.models import Courier  # noqa: F401
from backoffice.sync.models import InboxRecord, JobRun, OutboxMessage, Shop, SyncCheckpoint  # noqa: F401
