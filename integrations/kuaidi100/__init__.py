"""Kuaidi100: tracking queries, subscriptions and their signed callbacks."""
from integrations.kuaidi100.signing import callback_sign, sign

__all__ = ["callback_sign", "sign"]
