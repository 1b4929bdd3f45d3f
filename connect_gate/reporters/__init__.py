"""Reporters: pure functions from decisions to text. Only the entry point writes files."""
