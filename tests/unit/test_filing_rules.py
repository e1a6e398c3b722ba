"""Filing and follow-up rules: the review window, follow-up deadlines and reminders, and the audit log's wording."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from bot.domain import filing as rules
from bot.services.audit_log import action_label

TZ = "Asia/Shanghai"
ROOT = Path(__file__).resolve().parents[2]


def test_review_window_is_three_working_days_after_arrival():
    """Filed on a Friday evening: Mon, Tue, Wed are the three working days, so Wednesday is the last."""
    assert rules.review_by(datetime(2026, 11, 27, 11, 0, tzinfo=UTC), TZ) == date(2026, 12, 2)


def test_months_later_keeps_the_day_or_takes_the_months_last():
    """31 Jan + 1 month is 28 Feb; 23 Nov + 3 months is 23 Feb of the next year."""
    assert rules.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert rules.add_months(date(2026, 11, 23), 3) == date(2027, 2, 23)


def test_deadline_reminders_are_14_and_3_days_before_and_only_ahead():
    """The deadline is the end of its last day; reminders at 09:00 local, past ones dropped."""
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    deadline = rules.deadline_after(now, TZ, 3)
    assert rules.last_day(deadline, TZ) == date(2027, 2, 23)
    times = rules.reminder_times(deadline, TZ, now)
    assert [(d, w.astimezone(UTC)) for d, w in times] == [(14, datetime(2027, 2, 9, 1, 0, tzinfo=UTC)),
                                                          (3, datetime(2027, 2, 20, 1, 0, tzinfo=UTC))]
    assert rules.reminder_times(deadline, TZ, datetime(2027, 2, 15, tzinfo=UTC))[0][0] == 3


def test_every_recorded_action_code_has_chinese_words():
    """Each literal action code the services record is worded (no 其他操作, no raw code shown)."""
    codes = set()
    for path in (ROOT / "bot").rglob("*.py"):
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    codes |= {"role.add", "role.remove", "member.reject", "minutes.approved", "selfeval.returned", "leave.submit",
              "themeday.title"}
    assert codes
    unworded = {code for code in codes if action_label(code) == "其他操作" or "." in action_label(code)}
    assert not unworded
