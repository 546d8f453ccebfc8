"""Case conferences (rencontres de concertation): confidential meetings between the partners involved."""
