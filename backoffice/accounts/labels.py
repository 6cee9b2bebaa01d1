"""Display labels of the accounts codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "role": {
        "admin": _l("Administrator"), "supervisor": _l("Supervisor"), "listing": _l("Listing staff"),
        "service": _l("Customer service"), "warehouse": _l("Warehouse"),
    },
})
