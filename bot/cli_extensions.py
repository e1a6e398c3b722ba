"""Subcommands that live with their features (each module exposes `add_parser(sub)`)."""

from __future__ import annotations

ALL: list = []
