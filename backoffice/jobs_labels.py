"""Display labels of the jobs codes stored in the database."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "job_status": {"running": _l("Running"), "succeeded": _l("Succeeded"), "failed": _l("Failed")},
    "job": {
        "nightly_backup": _l("Nightly backup"), "purge_login_attempts": _l("Purge old login attempts"),
        "pull_orders": _l("Pull orders"), "pull_refunds": _l("Pull refunds"), "pull_all_shops": _l("Pull all shops"),
        "dispatch_outbox": _l("Send to platforms"), "merge_orders": _l("Merge orders"),
        "catalog_batch_import": _l("Import supplier folders"), "intake_orders": _l("Turn pulled orders into orders"),
        "intake_refunds": _l("Turn pulled refunds into after-sales requests"),
        "push_stock": _l("Send stock levels to platforms"), "track_parcels": _l("Track parcels (Kuaidi100)"),
        "catalog_batch": _l("Import supplier folders"), "catalog_regenerate": _l("Regenerate drafts"),
        "pull_reviews": _l("Pull reviews"), "intake_reviews": _l("Reply to reviews"),
    },
    "job_count": {
        "file": _l("File"), "deleted": _l("Deleted"), "windows": _l("Windows"), "pages": _l("Pages"),
        "records": _l("Records"), "written": _l("Written"), "taken_in": _l("Made into orders"), "skipped": _l("Skipped"), "sent": _l("Sent"),
        "failed": _l("Failed"), "proposed": _l("Proposed"), "merged": _l("Merged"), "done": _l("Done"),
        "under_minimum": _l("Under the minimum"), "total": _l("Total"), "imported": _l("Imported"),
        "refused": _l("Refused"), "delivered": _l("Delivered"), "retried": _l("Retried"),
        "processed": _l("Processed"), "created": _l("Newly created"), "updated": _l("Updated"),
        "waiting": _l("Waiting for their order"), "shops": _l("Shops"), "queued": _l("Queued"),
        "queried": _l("Queried"), "subscribed": _l("Subscribed"),
        "overwrite_edited": _l("Overwrite edited drafts"), "regenerated": _l("Regenerated"), "kept": _l("Kept"),
        "replies": _l("Replies"), "bad": _l("Bad reviews"),
    },
})
