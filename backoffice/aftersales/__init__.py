"""After-sales: refund-only requests, intercepts, returns and their reconciliation."""
