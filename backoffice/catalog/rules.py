"""Reading the staff's rule tables into the plain data the pure modules take."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.catalog import pricing
from backoffice.catalog.models import PinyinOverride, PlatformRule, SizeClass, StorePriceFormula, Supplier, VocabularyWord
from backoffice.catalog.titles import LIST_ORDER, Word
from backoffice.db import session
from backoffice.errors import OperationError

ATTRIBUTE_LISTS = ("shape", "material", "element", "bag_type")
LISTS = ATTRIBUTE_LISTS + LIST_ORDER


def pinyin_overrides() -> dict[str, str]:
    return dict(session.execute(select(PinyinOverride.word, PinyinOverride.pinyin)).all())


def vocabulary(list_name: str) -> list[str]:
    return list(session.scalars(select(VocabularyWord.word).where(VocabularyWord.list_name == list_name)
                                .order_by(VocabularyWord.position, VocabularyWord.id)))


def title_words() -> list[Word]:
    rows = session.scalars(select(VocabularyWord).where(VocabularyWord.list_name.in_(LIST_ORDER))
                           .order_by(VocabularyWord.position, VocabularyWord.id))
    return [Word(w.list_name, w.word, tuple(w.matches or ())) for w in rows]


def size_classes() -> list[tuple[str, Decimal | None]]:
    return [(c.name, c.below_cm) for c in session.scalars(select(SizeClass))]


def platform_rule(platform: str) -> PlatformRule:
    rule = session.scalar(select(PlatformRule).where(PlatformRule.platform == platform))
    if rule is None:
        raise OperationError(_("Platform %(platform)s has no listing rule; add one under Listing rules.", platform=platform))
    return rule


def flash_prefixes() -> dict[str, str]:
    return {p.upper(): n for n, p in session.execute(select(Supplier.name, Supplier.flash_prefix)) if p}


def supplier_named(name: str) -> Supplier:
    supplier = session.scalar(select(Supplier).where(Supplier.name == name))
    if supplier is None:
        raise OperationError(_("There is no supplier named %(name)s; add it under Suppliers first.", name=name), "supplier")
    return supplier


def supplier_price(supplier: Supplier, cost_fen: int, weight_g: int | None = None) -> pricing.Price:
    """The supplier's formula applied to a cost; a clear error when none is set (睿思特 by default)."""
    if not supplier.price_formula:
        raise OperationError(_("Supplier %(name)s has no price formula, so it cannot be priced: set its formula under "
                               "Suppliers, for example (cost + 10) / 0.6 / 0.7.", name=supplier.name), "price_formula")
    try:
        formula = pricing.parse(supplier.price_formula)
        return pricing.price_fen(formula, cost_fen, step_fen=supplier.rounding_step_fen,
                                 mode=supplier.rounding_mode, weight_g=weight_g)
    except pricing.FormulaError as exc:
        raise OperationError(_("The price formula of supplier %(name)s is wrong: %(error)s", name=supplier.name, error=exc), "price_formula") from exc


def store_formula(store: str | None, platform: str = "taobao") -> StorePriceFormula | None:
    if not store:
        return None
    return session.scalar(select(StorePriceFormula).where(StorePriceFormula.platform == platform,
                                                          StorePriceFormula.store == store))


def product_price(supplier: Supplier, cost_fen: int, weight_g: int | None = None,
                  store: str | None = None) -> tuple[pricing.Price, str | None]:
    """The price of a product imported for ``store``: that store's formula if it has one (娜好呀: cost + 15),
    else the supplier's. Returns the price and the store whose formula gave it (None: the supplier's).

    A supplier without a formula (睿思特 by default) stays unpriceable everywhere: SPEC §1.2 wants its
    formula configured first, even where a store formula would otherwise apply.
    """
    row = store_formula(store)
    if row is None or not supplier.price_formula:
        return supplier_price(supplier, cost_fen, weight_g), None
    try:
        formula = pricing.parse(row.formula)
        return pricing.price_fen(formula, cost_fen, step_fen=row.rounding_step_fen, mode=row.rounding_mode,
                                 weight_g=weight_g), row.store
    except pricing.FormulaError as exc:
        raise OperationError(_("The price formula of store %(name)s is wrong: %(error)s", name=row.store,
                               error=exc), "price_formula") from exc
