"""Suppliers, products, SKUs, stock and listing drafts."""
