from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, PasswordField, StringField
from wtforms.validators import URL, DataRequired, Length, Optional


class ConnectShopForm(FlaskForm):
    """Secrets are write-only: the form never shows them back; blank keeps the stored one."""

    app_key = StringField(_l("App key"), validators=[DataRequired(message=_l("Enter the app key.")),
                                                     Length(max=128)])
    app_secret = PasswordField(_l("App secret (leave blank to keep the stored one)"),
                               validators=[Optional(), Length(max=256)])
    access_token = PasswordField(_l("Access token (leave blank to keep the stored one)"),
                                 validators=[Optional(), Length(max=512)])
    token_expires_at = DateTimeLocalField(_l("Token expires (Beijing time)"), format="%Y-%m-%dT%H:%M",
                                          validators=[Optional()])
    endpoint = StringField(_l("API address (blank for the platform's own; a simulator's address for tests)"),
                           validators=[Optional(), URL(require_tld=False, message=_l("Enter a full address, "
                                                                                      "like http://127.0.0.1:8765"))])
