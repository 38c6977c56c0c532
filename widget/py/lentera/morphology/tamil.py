"""Inflections for tamil (placeholder: the root only, until the language's generator lands)."""
