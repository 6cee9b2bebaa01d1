"""Imports every domain's models so the metadata (and Alembic) sees them all."""
from backoffice.accounts.models import AuditEntry, LoginAttempt, User  # noqa: F401
from backoffice.aftersales.models import (  # noqa: F401
    InterceptTask,
    RefundRequest,
    RefusalReason,
    ReturnParcel,
    ReturnReason,
)
from backoffice.cases.models import (  # noqa: F401
    AfterSalesCase,
    CaseEvent,
    CaseEvidence,
    CompensationPayment,
    CompensationRule,
    CourierClaim,
    MoneyMovement,
    Reship,
)
from backoffice.catalog.models import (  # noqa: F401
    Listing,
    ListingTemplate,
    PinyinOverride,
    PlatformRule,
    Product,
    ProductImage,
    SizeClass,
    Sku,
    Supplier,
    VocabularyWord,
)
from backoffice.jobs import JobRun  # noqa: F401
from backoffice.orders.models import (  # noqa: F401
    MergeGroup,
    NumberSequence,
    Order,
    OrderEvent,
    OrderLine,
    OrderSetting,
    PriceChange,
)
from backoffice.outbox import OutboxMessage  # noqa: F401
from backoffice.service.models import (  # noqa: F401
    Complaint,
    ComplaintReport,
    CustomerIssue,
    FollowUpVisit,
    QuickReply,
    Review,
    ServiceSettings,
    ShiftHandover,
    SupervisorTask,
)
from backoffice.shipping.models import (  # noqa: F401
    Courier,
    CourierRule,
    CoverageExclusion,
    FreightRate,
    RoutingDecision,
    RuleSet,
    ShipmentConfirmation,
    Wave,
    WaveOrder,
)
from backoffice.shops.models import Shop  # noqa: F401
from backoffice.sync.models import InboxRecord, SyncCheckpoint, TrackedParcel  # noqa: F401
