"""Display labels of the cases codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "item_kind": {"normal": _l("Normal"), "flash": _l("Flash sale")},
    "severity": {"minor": _l("Minor"), "major": _l("Major"), "unusable": _l("Unusable")},
    "case_kind": {"missing_items": _l("Missing items"), "lost_parcel": _l("Lost parcel"),
                  "courier_problem": _l("Courier problem")},
    "case_status": {"collecting": _l("Collecting evidence"), "confirmed": _l("Confirmed: reship or refund"),
                    "resolved": _l("Resolved"), "closed": _l("Closed")},
    "case_outcome": {"reship": _l("Reshipped"), "refund": _l("Refunded"), "found": _l("Parcel found")},
    "evidence_kind": {"waybill": _l("Photo of the waybill"), "items": _l("Photo of the items received"),
                      "box": _l("Photo of the box number"), "tracking": _l("Tracking screenshot")},
    "symptom": {"pickup_only": _l("Only a pick-up scan, no movement"), "slow": _l("Tracking updates slowly"),
                "delivered_not_received": _l("Shown delivered, buyer has nothing"),
                "stalled": _l("No movement for many days"), "no_tracking": _l("No tracking at all")},
    "follow_up": {"ask_warehouse": _l("Asked the warehouse"), "ask_courier": _l("Asked the courier"),
                  "chase_courier": _l("Chased the courier (催件)"), "treat_as_lost": _l("Treat as lost"),
                  "found": _l("Parcel found / received")},
    "payment_status": {"awaiting_approval": _l("Awaiting supervisor approval"), "paid": _l("Paid out"),
                       "rejected": _l("Rejected")},
    "claim_status": {"filed": _l("Filed"), "paid": _l("Paid by the courier"), "rejected": _l("Rejected")},
    "money_kind": {"refund": _l("Refund"), "partial_refund": _l("Partial refund"), "compensation": _l("Compensation")},
})
