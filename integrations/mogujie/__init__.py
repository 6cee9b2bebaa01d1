"""Mogujie (蘑菇街 小店). The API is unverified and may be retired: shops
without API access use the spreadsheet fallback (integrations.mogujie.spreadsheet)."""
from integrations.mogujie.client import sign

__all__ = ["sign"]
