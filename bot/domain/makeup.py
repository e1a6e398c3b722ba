"""A make-up recorded by the secretary for a member (one who cannot hand it in through the bot): the date it was
done and what was studied, as one line "12月8日 自学党章总纲"."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

CONTENT_MAX = 500
_DATE = re.compile(r"^\s*(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?\s*[，,、：:；;\s]*")


class BadRecord(ValueError):
    """Why the line cannot be recorded: 'no_date', 'future', 'no_content' or 'too_long'."""


def meaningful_length(text: str) -> int:
    """Letters and digits (Chinese characters included): emoji and punctuation say nothing."""
    return sum(1 for ch in text if unicodedata.category(ch)[0] in "LN")


def read_record(text: str, today: date) -> tuple[date, str]:
    """(day, content) of "12月8日 自学党章总纲"; a month-day without a year is the latest one not after today."""
    match = _DATE.match(text or "")
    if match is None:
        raise BadRecord("no_date")
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    try:
        done = date(int(year) if year else today.year, month, day)
        if not year and done > today:
            done = date(today.year - 1, month, day)
    except ValueError:
        raise BadRecord("no_date") from None
    if done > today:
        raise BadRecord("future")
    content = text[match.end():].strip()
    if meaningful_length(content) < 2:
        raise BadRecord("no_content")
    if len(content) > CONTENT_MAX:
        raise BadRecord("too_long")
    return done, content
