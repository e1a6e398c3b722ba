"""Benchmarks that print figures (`zhibu bench …`); targets are checked by reading them, never by timed tests."""
