"""Interpreter (Sprachmittler) pool requests: from a person's choices to the pool's coordination
and its answer back; ``wiring.install`` plugs it into the bot."""
