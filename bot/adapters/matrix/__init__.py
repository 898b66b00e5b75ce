"""Matrix adapter: matrix-nio with end-to-end encryption (see docs/matrix.md)."""

from bot.adapters.matrix.adapter import MatrixAdapter

__all__ = ["MatrixAdapter"]
