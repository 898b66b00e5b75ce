"""`python -m bot.cli`, the same as the `wegweiser` command."""

from bot.cli import main

main()
