"""Pinduoduo open platform: one router, flat signed parameters."""
from integrations.pinduoduo.signing import sign

__all__ = ["sign"]
