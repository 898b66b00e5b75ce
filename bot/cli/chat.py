"""`wegweiser chat`."""


def chat() -> None:
    """Not built yet."""
    raise SystemExit("wegweiser chat is not built yet")
