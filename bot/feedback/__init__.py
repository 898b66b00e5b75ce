"""Reports from the people the bot helps that a catalogue entry is wrong ("Something is wrong")."""
