"""lotsen."""
