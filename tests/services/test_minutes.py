"""Minutes through the use cases: when they are due, who is reminded and told, and the record book's export."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from docx import Document

from bot.domain.meetings import MeetingKind
from tests.services.helpers import schedule
from tests.support import SECRETARY_ID, labels, text_of, zhibu_here


async def test_minutes_deadline_reminder_and_overdue_notice(services, cast, drainer, sender, clock, tmp_path):
    """The recorder is reminded the morning the minutes are due (3 working days after Thursday the 10th: Tuesday
    the 15th); the secretary is told the next morning that they are overdue; the CLI exports the (empty) book."""
    recorder = cast.people[1]  # 赵建国
    await drainer.drain_now()
    await schedule(services, MeetingKind.ASSEMBLY, "12月10日 14:30-16:30", "村委会<会议室>", "学习贯彻全会精神",
                   cast.secretary, recorder)
    clock.set(datetime(2026, 12, 15, 1, 5, tzinfo=UTC))
    await drainer.drain_now()
    due = sender.expect(recorder.telegram_id, "请提交会议记录")
    assert "今天（12月15日）到期" in text_of(due) and "📝 填写会议记录" in labels(due)
    assert not [t for t in sender.texts_to(recorder.telegram_id) if "会议已结束" in t]  # not sent days late
    clock.set(datetime(2026, 12, 15, 23, 30, tzinfo=UTC))
    await drainer.drain_now()
    told = sender.texts_to(SECRETARY_ID)
    assert [t for t in told if "会议记录已逾期" in t and "记录人：赵建国" in t]
    assert len([t for t in told if "12月的支部委员会还没有安排" in t]) == 1
    clock.set(datetime(2026, 12, 16, 1, 0, tzinfo=UTC))  # 09:00 the next day: the digest's time
    await drainer.drain_now()
    digest = text_of(sender.expect(SECRETARY_ID, "会议记录逾期"))
    assert "支部党员大会（12月10日（星期四）14:30–16:30），记录人 赵建国" in digest
    assert len([t for t in sender.texts_to(SECRETARY_ID) if "12月的支部委员会还没有安排" in t]) == 1  # once

    out = tmp_path / "book.docx"
    done = await asyncio.to_thread(zhibu_here, ["export", "minutes", "--branch", str(cast.branch_id), "--period",
                                                "2026Q4", "--out", str(out)], {"ZHIBU_DB": str(services.settings.db)},
                                   tmp_path)
    assert done.returncode == 0, done.stderr
    assert "共 0 次会议" in "\n".join(p.text for p in Document(str(out)).paragraphs)
