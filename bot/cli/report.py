"""`wegweiser report`."""


def report() -> None:
    """Not built yet."""
    raise SystemExit("wegweiser report is not built yet")
