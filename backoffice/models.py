"""Imports every domain's models so the metadata (and Alembic) sees them all."""
from backoffice.accounts.models import AuditEntry, LoginAttempt, User  # noqa: F401
from backoffice.aftersales.models import (  # noqa: F401
    CompensationRule, InterceptTask, MoneyMovement, QuickReply, RefundRequest, RefusalReason, ReturnParcel,
    ReturnReason,
)
from backoffice.catalog.models import (  # noqa: F401
    Listing, ListingTemplate, PinyinOverride, PlatformRule, Product, ProductImage, SizeClass, Sku, Supplier,
    VocabularyWord,
)
from backoffice.orders.models import (  # noqa: F401
    MergeGroup, NumberSequence, Order, OrderEvent, OrderLine, OrderSetting, PriceChange,
)
from backoffice.shipping.models import (  # noqa: F401
    CoverageExclusion, Courier, CourierRule, FreightRate, RoutingDecision, RuleSet, ShipmentConfirmation, Wave,
    WaveOrder,
)
from backoffice.jobs import JobRun  # noqa: F401
from backoffice.outbox import OutboxMessage  # noqa: F401
from backoffice.shops.models import Shop  # noqa: F401
from backoffice.sync.models import InboxRecord, SyncCheckpoint  # noqa: F401
from backoffice.aftersales.models import (  # noqa: F401  (customer service)
    Complaint, ComplaintReport, CustomerIssue, FollowUpVisit, Review, ServiceSettings, ShiftHandover, SupervisorTask,
)
from backoffice.aftersales.case_models import (  # noqa: F401
    AfterSalesCase, CaseEvent, CaseEvidence, CompensationPayment, CourierClaim, Reship,
)
