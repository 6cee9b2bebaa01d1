from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from backoffice.accounts.labels import LABELS

REQUIRED = _l("This field is required.")


def role_choices():
    return list(LABELS["role"].items())


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Stay logged in on this computer"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(message=REQUIRED)])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=REQUIRED)],  # length and strength: operations._check_password
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("zh", "简体中文"), ("en", "English")])


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=REQUIRED), Length(max=64)])
    display_name = StringField(_l("Name (optional)"), validators=[Length(max=64)])
    role = SelectField(_l("Role"), choices=lambda: [("", _l("Choose a role"))] + role_choices(),
                       validators=[DataRequired(message=_l("Choose a role."))])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(message=REQUIRED)],  # length and strength: operations._check_password
    )


class UserEditForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)
    active = BooleanField(_l("Active"))
    new_password = PasswordField(_l("New password (leave empty to keep)"))
