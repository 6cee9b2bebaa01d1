"""Which waybill provider to use, chosen by configuration (BACKOFFICE_WAYBILL_URL)."""
from __future__ import annotations

from backoffice.config import _env


def provider_client():
    """The configured provider's client, or None when numbers are entered by hand."""
    url = _env("BACKOFFICE_WAYBILL_URL")
    if not url:
        return None
    from integrations.waybill.client import WaybillClient

    return WaybillClient(url, api_key=_env("BACKOFFICE_WAYBILL_KEY", "") or "")
