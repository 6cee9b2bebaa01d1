"""Base layout, dashboard, security plumbing and shared UI pieces."""
