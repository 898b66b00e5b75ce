"""Importing a catalogue a municipality already keeps in Integreat (digitalfabrik's CMS)."""
