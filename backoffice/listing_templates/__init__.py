"""Jinja2 templates for listing titles, descriptions and detail pages (a package so the wheel ships it)."""
