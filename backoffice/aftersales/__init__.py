"""Refund-only requests, returns, compensation, reships, issue register, reviews."""
