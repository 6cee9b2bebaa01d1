"""Users, roles, permissions, login and the audit log."""
