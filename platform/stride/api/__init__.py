"""The JSON API: bearer tokens, exercises and submissions (see ``schema.py`` for the contract)."""
