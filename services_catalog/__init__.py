"""The multilingual catalogue of counselling services.

Knows nothing of chat platforms: the admin CLI and the bot both use it.
"""
