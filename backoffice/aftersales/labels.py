"""Display labels of the aftersales codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "refund_kind": {"refund_only": _l("Refund only"), "return": _l("Return and refund")},
    "refund_status": {
        "pending": _l("Pending"), "awaiting_return": _l("Awaiting return"), "received": _l("Received"),
        "refunded": _l("Refunded"), "refused": _l("Refused"), "closed": _l("Closed"),
    },
    "triage": {
        "approve_cancel_shipment": _l("Approve and cancel the shipment"),
        "intercept": _l("Intercept the parcel"),
        "wait_intercept": _l("Waiting for the warehouse"),
        "approve_intercepted": _l("Intercepted: approve"),
        "reply_refuse_delivery": _l("Ask the buyer to refuse delivery"),
        "reply_already_shipped": _l("Already shipped: return after receipt"),
    },
    "condition": {"good": _l("Good"), "damaged": _l("Damaged"), "used": _l("Used")},
    "return_outcome": {"refund": _l("Refund"), "partial": _l("Partial refund"), "refuse": _l("Refuse")},
    "reconcile": {
        "refunded_not_received": _l("Refunded but not received"),
        "received_not_refunded": _l("Received but not refunded after 24 h"),
        "amount_differs": _l("Amount differs"),
        "platform_differs": _l("Platform status differs"),
    },
    "platform_refund": {"pending": _l("Pending: not yet sent to the platform"), "delivered": _l("Sent to the platform"),
                        "failed": _l("Sending failed"), "none": _l("Not queued for the platform")},
    "ledger_problem": {"platform_failed": _l("Platform refund failed"),
                       "platform_pending_long": _l("Not sent to the platform after 24 h"),
                       "reship_not_shipped": _l("Reship not shipped after 24 h")},
})
