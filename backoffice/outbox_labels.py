"""Display labels of the outbox codes stored in the database."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "outbox_kind": {"shipment": _l("Shipment confirmation"), "refund": _l("Refund answer"),
                    "stock": _l("Stock levels"), "review_reply": _l("Review reply"),
                    "payout": _l("Payment to the buyer")},
    "outbox_status": {"pending": _l("Queued"), "delivered": _l("Sent to the platform"), "failed": _l("Failed")},
})
