from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional


class WaveForm(FlaskForm):
    start = DateTimeLocalField(_l("Ordered from"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    end = DateTimeLocalField(_l("Ordered before"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    shop_id = SelectField(_l("Shop"), coerce=int, validators=[Optional()])
    courier_code = SelectField(_l("Courier"), validators=[Optional()])
    single_first = BooleanField(_l("Single-item orders first"), default=True)
    max_count = IntegerField(_l("At most (orders)"), default=200, validators=[
        InputRequired(message=_l("Enter how many orders at most.")),
        NumberRange(min=1, max=5000, message=_l("Between 1 and 5000 orders."))])


class TrackingForm(FlaskForm):
    tracking_number = StringField(_l("Tracking number"), validators=[
        DataRequired(message=_l("Scan or enter the tracking number."))])


class DraftForm(FlaskForm):
    note = StringField(_l("What changes"), validators=[DataRequired(message=_l("Say what the draft changes."))])


class CoverageForm(FlaskForm):
    courier_code = SelectField(_l("Courier"))
    region = StringField(_l("Region (province, city or district)"), validators=[
        DataRequired(message=_l("Enter the region, e.g. 新疆 or 阿里地区."))])
    surcharge = StringField(_l("Extra freight when used anyway (yuan, 0 = never)"), default="0")


class RateForm(FlaskForm):
    courier_code = SelectField(_l("Courier"))
    region = StringField(_l("Region (empty = everywhere else)"))
    first_weight_g = IntegerField(_l("First weight (g)"), default=1000, validators=[
        InputRequired(message=_l("Enter the first weight.")), NumberRange(min=1, message=_l("At least 1 gram."))])
    first = StringField(_l("First weight price (yuan)"), validators=[DataRequired(message=_l("Enter the price."))])
    extra_unit_g = IntegerField(_l("Additional unit (g)"), default=1000, validators=[
        InputRequired(message=_l("Enter the additional unit.")), NumberRange(min=1, message=_l("At least 1 gram."))])
    extra = StringField(_l("Price per additional unit (yuan, empty = unknown)"))
    rounding = SelectField(_l("Rounding"), choices=[("ceil", _l("Every started unit counts")),
                                                    ("half_up", _l("Under half a unit is free"))])
