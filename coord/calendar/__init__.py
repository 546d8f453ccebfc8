"""Calendars: one neutral event model, iCalendar feeds and pages, invitations and answers."""
