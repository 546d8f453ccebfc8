"""Awareness sessions: partner and outside organizations book, the program confirms, presents, records."""
