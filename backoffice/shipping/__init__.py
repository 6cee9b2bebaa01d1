"""Couriers, routing rules, freight, waybills, pick lists and slips."""
