"""Display labels of the catalog codes stored in the database (registered for the `label` filter)."""
from flask_babel import lazy_gettext as _l

from backoffice.labels import LABELS, define, label  # noqa: F401  (label: for this package's modules)

define({
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
})
