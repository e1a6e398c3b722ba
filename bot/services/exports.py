"""The record books a committee member can download with /export (the features register them)."""

from __future__ import annotations

from bot.exports import Exporter
from bot.exports import exporters as registered


def exporters() -> dict[str, Exporter]:
    """By the word after /export: attendance, minutes, evaluation …"""
    return registered()
