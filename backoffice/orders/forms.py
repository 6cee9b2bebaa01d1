from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from backoffice.money import AmountError, yuan_to_fen
from backoffice.orders.labels import LABELS, label
from backoffice.orders.merge import GROUP_RULES, MODES, ORDER_RULES
from backoffice.orders.numbers import PatternError, check_pattern
from backoffice.orders.spreadsheet import valid_phone

REQUIRED = _l("This field is required.")


def _amount(form, field):
    if field.data:
        try:
            if yuan_to_fen(field.data) < 0:
                raise ValueError
        except AmountError as exc:
            if exc.kind != "format":
                raise ValidationError(exc.reason) from None
            raise ValidationError(_l("Enter an amount in yuan, e.g. 19.90.")) from None
        except ValueError:
            raise ValidationError(_l("Enter an amount in yuan, e.g. 19.90.")) from None


def _phone(form, field):
    if field.data and not valid_phone(field.data):
        raise ValidationError(_l("Enter a mobile number (11 digits) or a landline with its area code."))


def _template(*names):
    def check(form, field):
        try:
            (field.data or "").format(**{n: "x" for n in names})
        except (KeyError, IndexError, ValueError):
            raise ValidationError(_l("Use only these fields: %(fields)s", fields=" ".join("{%s}" % n for n in names))) \
                from None
    return check


def _pattern(form, field):
    try:
        check_pattern(field.data or "")
    except PatternError as exc:
        raise ValidationError(_l("Bad pattern: %(error)s", error=str(exc))) from None


class ImportForm(FlaskForm):
    shop_id = SelectField(_l("Shop"), coerce=int)
    file = FileField(_l("Order export file (CSV or XLSX)"), validators=[FileRequired(message=_l("Choose a file."))])


class ManualOrderForm(FlaskForm):
    # A token per form: submitting the same form twice creates one order.
    token = HiddenField(default=lambda: uuid.uuid4().hex[:16])
    shop_id = SelectField(_l("Shop"), coerce=int)
    buyer_id = StringField(_l("Buyer account (optional)"), validators=[Length(max=64)])
    receiver_name = StringField(_l("Receiver"), validators=[DataRequired(message=REQUIRED), Length(max=64)])
    receiver_phone = StringField(_l("Phone"), validators=[DataRequired(message=REQUIRED), _phone])
    address = StringField(_l("Address"), validators=[DataRequired(message=REQUIRED), Length(max=400)])
    lines = TextAreaField(_l("Items: one per line, SKU code, quantity and optionally the price in yuan"),
                          validators=[DataRequired(message=REQUIRED)])
    freight = StringField(_l("Freight (yuan)"), validators=[_amount])
    buyer_message = TextAreaField(_l("Buyer message"), validators=[Length(max=500)])
    seller_memo = TextAreaField(_l("Seller memo"), validators=[Length(max=500)])


class RestockForm(FlaskForm):
    restock_date = DateField(_l("Expected restock date"), validators=[DataRequired(message=REQUIRED)])


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason for cancelling"), validators=[DataRequired(message=REQUIRED), Length(max=200)])


class PriceChangeForm(FlaskForm):
    line_id = SelectField(_l("Flash-sale item"), coerce=int)
    new_price = StringField(_l("New price (yuan)"), validators=[DataRequired(message=REQUIRED), _amount])
    asked_by = StringField(_l("Asked by (buyer or streamer)"), validators=[DataRequired(message=REQUIRED),
                                                                          Length(max=64)])
    note = StringField(_l("Note"), validators=[Length(max=255)])


class SettingsForm(FlaskForm):
    order_number_pattern = StringField(_l("Order number pattern"), validators=[DataRequired(message=REQUIRED),
                                                                              _pattern])
    batch_number_pattern = StringField(_l("Batch number pattern"), validators=[DataRequired(message=REQUIRED),
                                                                              _pattern])
    merge_mode = SelectField(_l("Merge mode"), choices=lambda: [(m, label("merge_mode", m)) for m in MODES])
    merge_no_merge_words = StringField(_l("Memo words that keep an order apart (comma separated)"))
    merge_minimum = StringField(_l("Minimum amount after merging (yuan)"),
                                validators=[DataRequired(message=REQUIRED), _amount])
    merge_auto_apply = BooleanField(_l("The scheduled job merges by itself (otherwise it proposes)"))
    short_stock_message = TextAreaField(_l("Message for short orders ({items}, {restock_date})"),
                                        validators=[DataRequired(message=REQUIRED),
                                                    _template("items", "restock_date")])
    under_minimum_message = TextAreaField(_l("Message for small merged orders ({amount}, {minimum})"),
                                          validators=[DataRequired(message=REQUIRED), _template("amount", "minimum")])


# one checkbox per merge rule, named rule_<code>
for _code in (*GROUP_RULES, *ORDER_RULES):
    setattr(SettingsForm, f"rule_{_code}", BooleanField(LABELS["merge_rule"][_code]))


class ActionForm(FlaskForm):
    """A button that only needs CSRF protection."""
