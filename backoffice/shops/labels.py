"""Display labels of the shops codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "platform": {
        "taobao": _l("Taobao"), "mogujie": _l("Mogujie"), "pinduoduo": _l("Pinduoduo"),
        "douyin": _l("Douyin"), "live": _l("Livestream"), "manual": _l("Manual"),
    },
    "auth_status": {"none": _l("Not connected"), "ok": _l("Connected"), "expired": _l("Needs re-authorisation")},
})
