"""A make-up recorded by the secretary for a member (one who cannot hand it in through the bot): the date it was
done and what was studied, as one line "12月8日 自学党章总纲"."""

from __future__ import annotations

import unicodedata
from datetime import date

from bot.domain import when

CONTENT_MAX = 500


class BadRecord(ValueError):
    """Why the line cannot be recorded: 'no_date', 'bad_date', 'future', 'no_content' or 'too_long'."""


def meaningful_length(text: str) -> int:
    """Letters and digits (Chinese characters included): emoji and punctuation say nothing."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def read_record(text: str, today: date) -> tuple[date, str]:
    """(day, content) of "12月8日 自学党章总纲", the day read by bot.domain.when as one already past (a month-day
    without a year is the latest one not after today); a day that cannot exist is refused as such."""
    read = when.read_day_prefix(text or "", today, past=True)
    if isinstance(read, when.Refusal):
        raise BadRecord("bad_date")
    done, content = read
    if done is None:
        raise BadRecord("no_date")
    if done > today:
        raise BadRecord("future")
    if meaningful_length(content) < 2:
        raise BadRecord("no_content")
    if len(content) > CONTENT_MAX:
        raise BadRecord("too_long")
    return done, content
