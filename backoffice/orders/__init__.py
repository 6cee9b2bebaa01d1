"""Orders: intake, numbering, stock reservation, merging."""
