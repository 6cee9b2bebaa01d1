"""Display labels of the shipping codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "routing_status": {
        "ok": _l("OK"), "needs_approval": _l("Needs supervisor approval"), "request_refused": _l("Buyer request refused"),
        "surcharge": _l("Buyer pays extra freight"), "no_route": _l("No courier: decide by hand"),
    },
    "rule_set_status": {"draft": _l("Draft"), "published": _l("Published"), "retired": _l("Retired")},
    "rounding": {"ceil": _l("Every started unit counts"), "half_up": _l("Under half a unit is free")},
})
