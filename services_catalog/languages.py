"""The languages the catalogue is written in: German as the source, and the launch languages.

They live here, not in the bot's settings, because the catalogue knows nothing of the bot; the bot
takes them from here.
"""

LAUNCH_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "fa", "uk", "ru", "tr", "pl")
SOURCE_LANGUAGE = "de"
