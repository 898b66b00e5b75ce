"""`wegweiser run`."""


def run() -> None:
    """Not built yet."""
    raise SystemExit("wegweiser run is not built yet")
