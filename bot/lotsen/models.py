"""Tables of lotsen."""
