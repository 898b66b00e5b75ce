"""Real servers started for the test session (PostgreSQL, Synapse)."""
