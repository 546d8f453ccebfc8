"""Committee meetings: single meetings and series, their invitees, and what they put on calendars."""
