"""`wegweiser route`."""


def route() -> None:
    """Not built yet."""
    raise SystemExit("wegweiser route is not built yet")
