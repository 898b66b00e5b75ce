"""Wegweiser: a multilingual chatbot that guides newcomers to counselling services."""
