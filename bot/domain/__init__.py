"""Pydantic models and pure rules: no I/O, no clock reads (rules take `now`)."""
