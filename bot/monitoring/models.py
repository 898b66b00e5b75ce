"""Tables of monitoring."""
