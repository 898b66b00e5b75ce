"""The dialogue: what the bot says back, one small module per conversation step.

``bot.core.conversation`` decides which step a message belongs to; the modules here build the
replies. They share ``Turn`` (``bot.core.features``) and keep only small JSON on ``User.state``.
"""
