"""Participants, their consents, referrals between partner organizations, and the registers Law 25 asks."""
