"""The platform-neutral core: normalise → route → dialogue → reply. Imports no platform library."""
