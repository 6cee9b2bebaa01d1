"""Platform shops, scheduled jobs and their runs."""
