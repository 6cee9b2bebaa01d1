"""Display labels of the orders codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
    "order_status": {
        "pending": _l("Awaiting payment"), "paid": _l("To ship"), "shipped": _l("Shipped"),
        "completed": _l("Completed"), "cancelled": _l("Cancelled"), "closed": _l("Closed"),
    },
    "merge_reason": {
        "same_shop": _l("Same shop"), "same_buyer": _l("Same buyer"),
        "same_receiver": _l("Same receiver name, phone and address"),
        "not_paid": _l("Not paid"), "shipped": _l("Already shipped"), "waybill_printed": _l("Waybill printed"),
        "open_refund": _l("Open refund"), "on_hold": _l("On hold"), "cash_on_delivery": _l("Cash on delivery"),
        "no_merge_memo": _l("Memo says do not merge"), "excluded": _l("Excluded from merging"),
        "already_merged": _l("Already merged"), "address_unresolved": _l("Address not resolved"),
        "no_buyer_account": _l("No buyer account (strict mode)"), "different_shop": _l("Same receiver in another shop"),
        "different_buyer": _l("Same receiver, another buyer account"), "no_partner": _l("No other order to merge with"),
    },
    "merge_rule": {
        "same_shop": _l("Same shop"), "same_buyer": _l("Same buyer"),
        "same_receiver": _l("Same receiver name, phone and address"), "paid": _l("Paid"),
        "not_shipped": _l("Not shipped"), "not_printed": _l("Waybill not printed"),
        "no_open_refund": _l("No open refund"), "not_on_hold": _l("Not on hold"),
        "not_cod": _l("Not cash on delivery"), "no_merge_memo": _l("Memo does not say 不合并"),
    },
    "order_flag": {"short": _l("Out of stock"), "address": _l("Address to check"), "merged": _l("Merged"),
                   "on_hold": _l("On hold"), "message": _l("Buyer left a message")},
    "bulk_action": {"hold": _l("Hold shipping"), "release": _l("Release hold"),
                    "exclude_merge": _l("Do not merge"), "recheck_stock": _l("Check stock again")},
    "merge_status": {"proposed": _l("Proposed"), "merged": _l("Merged"), "rejected": _l("Rejected"),
                     "undone": _l("Undone")},
    "merge_mode": {"normal": _l("Normal"), "strict": _l("Strict"), "loose": _l("Loose")},
    "order_source": {"sync": _l("Platform sync"), "manual": _l("Manual entry"), "file": _l("File import"),
                     "demo": _l("Demo data")},
    "address_problem": {
        "empty": _l("No address"), "no_province": _l("No province recognised"),
        "ambiguous": _l("Place name fits several regions"), "mismatch": _l("City or district outside the province"),
        "no_city": _l("No city recognised"), "no_district": _l("No district recognised"),
    },
    "stock_status": {"unknown": _l("Not checked"), "in_stock": _l("In stock"), "short": _l("Out of stock")},
})
