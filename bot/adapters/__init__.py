"""Platform adapters: platform I/O only, from events to ``Incoming`` and from ``Reply`` out."""
