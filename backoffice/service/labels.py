"""Display labels of the service codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "review_rating": {"good": _l("Good review"), "neutral": _l("Neutral review"), "bad": _l("Bad review")},
    "review_verdict": {"good": _l("Five-star reply queued"), "bad": _l("Sent to the supervisor"),
                       "neutral": _l("For a person to read")},
    "complaint_status": {"open": _l("Open"), "answered": _l("Answered"), "investigated": _l("Investigated"),
                         "closed": _l("Closed")},
    "visit_kind": {"new": _l("New customer"), "regular": _l("Regular customer")},
    "report_state": {"running": _l("Week running"), "due": _l("Due"), "overdue": _l("Overdue"),
                     "submitted": _l("Submitted"), "submitted_late": _l("Submitted late")},
    "complaint_dimension": {"reason": _l("By reason"), "courier": _l("By courier"), "product": _l("By product"),
                            "staff": _l("By staff")},
})
