"""The training calendar: modules, sessions, registration with a waiting list, attendance, attestations."""
