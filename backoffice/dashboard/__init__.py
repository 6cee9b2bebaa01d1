"""The dashboard: what waits for each role, at a glance."""
