"""The home page ("Mon horaire") and the language switch."""
