"""Tables of reminders."""
