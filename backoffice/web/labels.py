"""Display labels for the codes stored in the database."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
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
    "platform": {
        "taobao": _l("Taobao"), "mogujie": _l("Mogujie"), "pinduoduo": _l("Pinduoduo"),
        "douyin": _l("Douyin"), "live": _l("Livestream"), "manual": _l("Manual"),
    },
    "product_kind": {
        "normal": _l("Normal"), "streamer": _l("Streamer link"), "flash": _l("Flash sale"), "unique": _l("Unique item"),
    },
    "listing_status": {
        "draft": _l("Draft"), "ready": _l("Ready"), "publishing": _l("Publishing"), "published": _l("Published"),
        "archived": _l("Archived"),
    },
    "image_role": {
        "main": _l("Main image"), "white": _l("White background"), "mogujie": _l("Mogujie photo"),
        "model": _l("Model photo"), "still": _l("Still photo"), "detail": _l("Detail photo"), "size": _l("Size chart"),
        "color": _l("Colour image"), "layout": _l("Layout image"), "video": _l("Video"),
    },
    "word_list": {
        "shape": _l("Shapes"), "material": _l("Materials"), "element": _l("Elements"), "bag_type": _l("Bag types"),
        "title_main": _l("Title main words"), "title_core": _l("Title core words"),
        "title_modifier": _l("Title modifiers"),
    },
    "listing_setting": {
        "category": _l("Category"), "shipping_template": _l("Shipping template"),
        "stock_reduction": _l("Stock reduction"), "service": _l("Service"), "package": _l("Package"),
        "shop_categories": _l("Shop categories to pick"), "delayed_shipping_for_flash": _l("Delayed shipping for flash sales"),
        "delayed_shipping": _l("Delayed shipping"), "buyer_chooses_courier": _l("Buyer may choose the courier"),
        "returns": _l("Returns"), "category_id": _l("Platform category ID (bulk upload)"),
        "ships_from_province": _l("Ships from (province)"), "ships_from_city": _l("Ships from (city)"),
    },
    "rounding_mode": {
        "half_up": _l("half up"), "half_even": _l("half to even"), "up": _l("always up"), "down": _l("always down"),
        "truncate": _l("towards zero"),
    },
    "fit": {"pad": _l("pad with white"), "crop": _l("crop")},
    "refund_kind": {"refund_only": _l("Refund only"), "return": _l("Return and refund")},
    "refund_status": {
        "pending": _l("Pending"), "awaiting_return": _l("Awaiting return"), "received": _l("Received"),
        "refunded": _l("Refunded"), "refused": _l("Refused"), "closed": _l("Closed"),
    },
    "job_status": {"running": _l("Running"), "succeeded": _l("Succeeded"), "failed": _l("Failed")},
    "role": {
        "admin": _l("Administrator"), "supervisor": _l("Supervisor"), "listing": _l("Listing staff"),
        "service": _l("Customer service"), "warehouse": _l("Warehouse"),
    },
    "job": {
        "nightly_backup": _l("Nightly backup"), "purge_login_attempts": _l("Purge old login attempts"),
        "pull_orders": _l("Pull orders"), "pull_refunds": _l("Pull refunds"), "pull_all_shops": _l("Pull all shops"),
        "dispatch_outbox": _l("Send to platforms"), "merge_orders": _l("Merge orders"),
        "catalog_batch_import": _l("Import supplier folders"), "intake_orders": _l("Turn pulled orders into orders"),
        "intake_refunds": _l("Turn pulled refunds into after-sales requests"),
        "push_stock": _l("Send stock levels to platforms"), "track_parcels": _l("Track parcels (Kuaidi100)"),
    },
    "job_count": {
        "file": _l("File"), "deleted": _l("Deleted"), "windows": _l("Windows"), "pages": _l("Pages"),
        "records": _l("Records"), "written": _l("Written"), "taken_in": _l("Made into orders"), "skipped": _l("Skipped"), "sent": _l("Sent"),
        "failed": _l("Failed"), "proposed": _l("Proposed"), "merged": _l("Merged"), "done": _l("Done"),
        "under_minimum": _l("Under the minimum"), "total": _l("Total"), "imported": _l("Imported"),
        "refused": _l("Refused"), "delivered": _l("Delivered"), "retried": _l("Retried"),
        "processed": _l("Processed"), "created": _l("Created"), "updated": _l("Updated"),
        "waiting": _l("Waiting for their order"), "shops": _l("Shops"), "queued": _l("Queued"),
        "queried": _l("Queried"), "subscribed": _l("Subscribed"),
    },
    "triage": {
        "approve_cancel_shipment": _l("Approve and cancel the shipment"),
        "intercept": _l("Intercept the parcel"),
        "wait_intercept": _l("Waiting for the warehouse"),
        "approve_intercepted": _l("Intercepted: approve"),
        "reply_refuse_delivery": _l("Ask the buyer to refuse delivery"),
        "reply_already_shipped": _l("Already shipped: return after receipt"),
    },
    "item_kind": {"normal": _l("Normal"), "flash": _l("Flash sale")},
    "severity": {"minor": _l("Minor"), "major": _l("Major"), "unusable": _l("Unusable")},
    "condition": {"good": _l("Good"), "damaged": _l("Damaged"), "used": _l("Used")},
    "return_outcome": {"refund": _l("Refund"), "partial": _l("Partial refund"), "refuse": _l("Refuse")},
    "reconcile": {
        "refunded_not_received": _l("Refunded but not received"),
        "received_not_refunded": _l("Received but not refunded after 24 h"),
        "amount_differs": _l("Amount differs"),
        "platform_differs": _l("Platform status differs"),
    },
    "routing_status": {
        "ok": _l("OK"), "needs_approval": _l("Needs supervisor approval"), "request_refused": _l("Buyer request refused"),
        "surcharge": _l("Buyer pays extra freight"), "no_route": _l("No courier: decide by hand"),
    },
    "rule_set_status": {"draft": _l("Draft"), "published": _l("Published"), "retired": _l("Retired")},
    "rounding": {"ceil": _l("Every started unit counts"), "half_up": _l("Under half a unit is free")},
    "outbox_kind": {"shipment": _l("Shipment confirmation"), "refund": _l("Refund answer"),
                    "stock": _l("Stock levels"), "review_reply": _l("Review reply"),
                    "payout": _l("Payment to the buyer")},
    "auth_status": {"none": _l("Not connected"), "ok": _l("Connected"), "expired": _l("Needs re-authorisation")},
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
    "platform_refund": {"pending": _l("Pending: not yet sent to the platform"), "delivered": _l("Sent to the platform"),
                        "failed": _l("Sending failed"), "none": _l("Not queued for the platform")},
    "ledger_problem": {"platform_failed": _l("Platform refund failed"),
                       "platform_pending_long": _l("Not sent to the platform after 24 h"),
                       "reship_not_shipped": _l("Reship not shipped after 24 h")},
}


def label(kind: str, value: str | None) -> str:
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))  # an unknown code shows as stored rather than vanishing


LABELS.update({
    "review_rating": {"good": _l("Good review"), "neutral": _l("Neutral review"), "bad": _l("Bad review")},
    "review_verdict": {"good": _l("Five-star reply queued"), "bad": _l("Sent to the supervisor"),
                       "neutral": _l("For a person to read")},
    "complaint_status": {"open": _l("Open"), "answered": _l("Answered"), "investigated": _l("Investigated"),
                         "closed": _l("Closed")},
    "visit_kind": {"new": _l("New customer"), "regular": _l("Regular customer")},
    "report_state": {"running": _l("Week running"), "due": _l("Due"), "overdue": _l("Overdue"),
                     "submitted": _l("Submitted"), "submitted_late": _l("Submitted late")},
    "outbox_status": {"pending": _l("Queued"), "delivered": _l("Sent to the platform"), "failed": _l("Failed")},
    "complaint_dimension": {"reason": _l("By reason"), "courier": _l("By courier"), "product": _l("By product"),
                            "staff": _l("By staff")},
})
