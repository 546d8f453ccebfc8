"""Organizations, people, roles, committees, authentication."""
