"""Tests of course reminders."""
