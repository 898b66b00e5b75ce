"""Tables of interpreter."""
