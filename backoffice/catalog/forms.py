from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from backoffice.money import AmountError, yuan_to_fen

REQUIRED = _l("This field is required.")


def _yuan(form, field):
    """Refuse what yuan_to_fen would refuse (sub-fen, beyond the limit), with its reason."""
    if field.data is not None:
        try:
            yuan_to_fen(field.data)
        except AmountError as exc:
            raise ValidationError(str(exc.reason)) from None


class ImportForm(FlaskForm):
    archive = FileField(_l("Supplier folder as a zip"), validators=[FileAllowed(["zip"], _l("Upload a .zip file."))])
    server_path = StringField(_l("Or a folder on the server"), validators=[Optional(), Length(max=500)])
    batch = BooleanField(_l("The folder holds many supplier folders (batch)"))
    store = SelectField(_l("Taobao store"), choices=[])
    cost = DecimalField(_l("Cost (yuan), if 信息.txt does not give it"), places=2, validators=[
        Optional(), NumberRange(min=0.01, message=_l("The cost must be positive.")), _yuan])


class SupplierForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=REQUIRED), Length(max=64)])
    pinyin_code = StringField(_l("Pinyin code"), validators=[
        DataRequired(message=REQUIRED), Regexp(r"^[a-z0-9]+$", message=_l("Lower-case letters and digits only."))])
    price_formula = StringField(_l("Price formula"), validators=[Optional(), Length(max=255)])
    rounding_step_fen = SelectField(_l("Round to"), coerce=int, choices=[
        (1, _l("the fen (0.01)")), (10, _l("the jiao (0.1)")), (100, _l("the yuan (1)"))])
    rounding_mode = SelectField(_l("Rounding"), choices=[
        ("half_up", _l("half up")), ("half_even", _l("half to even")), ("up", _l("always up")),
        ("down", _l("always down")), ("truncate", _l("towards zero"))])
    flash_prefix = StringField(_l("Flash-sale folder prefix"), validators=[
        Optional(), Regexp(r"^[A-Za-z]+$", message=_l("Letters only, e.g. RST."))])


class StoreFormulaForm(FlaskForm):
    store = SelectField(_l("Taobao store"), choices=[])
    formula = StringField(_l("Price formula"), validators=[DataRequired(message=REQUIRED), Length(max=255)])
    rounding_step_fen = SupplierForm.rounding_step_fen
    rounding_mode = SupplierForm.rounding_mode


class PinyinForm(FlaskForm):
    word = StringField(_l("Word"), validators=[DataRequired(message=REQUIRED), Length(max=32)])
    pinyin = StringField(_l("Pinyin (syllables separated by spaces)"), validators=[
        DataRequired(message=REQUIRED), Regexp(r"^[a-zA-Z ]+$", message=_l("Letters and spaces only, e.g. cang qing se."))])


class WordsForm(FlaskForm):
    words = TextAreaField(_l("Words, one per line"), render_kw={"rows": 14})


class SizeClassesForm(FlaskForm):
    classes = TextAreaField(_l("Size classes, one per line: name and the length it stays below (cm)"),
                            render_kw={"rows": 6})


class PlatformRuleForm(FlaskForm):
    title_limit = IntegerField(_l("Title limit"), validators=[NumberRange(min=10, max=200)])
    cjk_weight = IntegerField(_l("A Chinese character counts"), validators=[NumberRange(min=1, max=3)])
    image_width = IntegerField(_l("Image width"), validators=[NumberRange(min=100, max=3000)])
    image_height = IntegerField(_l("Image height"), validators=[NumberRange(min=100, max=3000)])
    main_min = IntegerField(_l("Main images at least"), validators=[NumberRange(min=1, max=20)])
    main_max = IntegerField(_l("Main images at most"), validators=[NumberRange(min=1, max=20)])
    max_image_kb = IntegerField(_l("Largest image file (KB)"), validators=[NumberRange(min=50, max=10000)])
    fit = SelectField(_l("Fit to size"), choices=[("pad", _l("pad with white")), ("crop", _l("crop"))])
    category = StringField(_l("Category"), validators=[Length(max=100)])
    shipping_template = StringField(_l("Shipping template"), validators=[Length(max=100)])
    stock_reduction = StringField(_l("Stock reduction"), validators=[Length(max=50)])
    service = StringField(_l("Service"), validators=[Length(max=100)])
    package = StringField(_l("Package"), validators=[Length(max=50)])
    shop_categories = StringField(_l("Shop categories to pick"), validators=[Length(max=20)])
    delayed_shipping_for_flash = BooleanField(_l("Delayed shipping for flash sales"))
    category_id = StringField(_l("Platform category ID (bulk upload)"), validators=[
        Optional(), Regexp(r"^\d+$", message=_l("Digits only, as the platform numbers its categories."))])
    ships_from_province = StringField(_l("Ships from (province)"), validators=[Length(max=20)])
    ships_from_city = StringField(_l("Ships from (city)"), validators=[Length(max=20)])


class TemplateForm(FlaskForm):
    source = TextAreaField(_l("Template"), validators=[DataRequired(message=REQUIRED)], render_kw={"rows": 16})


class ProductForm(FlaskForm):
    name = StringField(_l("Product name"), validators=[DataRequired(message=REQUIRED), Length(max=128)])
    cost = DecimalField(_l("Cost (yuan)"), places=2, validators=[
        DataRequired(message=REQUIRED), NumberRange(min=0.01, message=_l("The cost must be positive.")), _yuan])
    length_cm = DecimalField(_l("Length (cm)"), places=1, validators=[Optional(), NumberRange(min=1, max=200)])
    width_cm = DecimalField(_l("Width (cm)"), places=1, validators=[Optional(), NumberRange(min=1, max=200)])
    height_cm = DecimalField(_l("Height (cm)"), places=1, validators=[Optional(), NumberRange(min=1, max=200)])
    weight_g = IntegerField(_l("Weight (g)"), validators=[Optional(), NumberRange(min=1, max=20000)])
    shape = SelectField(_l("Shape"), choices=[])
    material = SelectField(_l("Material"), choices=[])
    structure = StringField(_l("Structure"), validators=[Length(max=64)])
    elements = SelectMultipleField(_l("Elements"), choices=[])
    bag_types = SelectMultipleField(_l("Bag types"), choices=[])
    tags = StringField(_l("Shipping tags for courier rules (separated by 、, e.g. 易碎、超大)"),
                       validators=[Length(max=200)])


class ListingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=128)])
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})
    main_sources = HiddenField()
    status = SelectField(_l("Status"), choices=[("draft", _l("Draft")), ("ready", _l("Ready"))])
