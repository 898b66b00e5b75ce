"""The bot's own state: who the users are and what they chose — the least that works."""
