"""Taobao Open Platform (TOP): one signed router for every API."""
from integrations.taobao.signing import sign

__all__ = ["sign"]
