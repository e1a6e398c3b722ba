"""The DOCX record book from the database: approved records only, in date order, one section each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from docx import Document

from bot.catalog import core_registry
from bot.domain.meetings import MeetingKind
from bot.domain.models import MemberStatus
from bot.domain.review import SubmissionStatus
from bot.services import Services
from bot.settings import Settings
from storage import branches, meetings, members, submissions


async def _record(db, branch_id, author_id, kind, start, agenda, status, now):
    meeting = await meetings.create(db, branch_id=branch_id, kind=kind, starts_at=start,
                                    ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=now)
    record = await submissions.get_or_create(
        db, branch_id=branch_id, author_id=author_id, kind="minutes", ref=f"meeting:{meeting.id}", now=now,
        content={"kind": "x", "when": "w", "agenda": agenda, "content": "内容", "resolutions": "",
                 "attendance": {"expected": 1, "present": ["张三"], "on_leave": [], "absent": []}})
    await submissions.mark_submitted(db, record.id, now)
    if status != "submitted":
        await submissions.decide(db, record.id, 1, SubmissionStatus(status), author_id, None, now)
    await submissions.add_file(db, record.id, "no-such-file", "photo", None, now)


async def test_book_has_approved_records_in_date_order(database, clock, tmp_path):
    """Three records in Q4 written out of order: the two approved come in date order, the waiting one is left out;
    a photo that cannot be fetched (no token) is noted, not lost silently; the argument needs its year."""
    async with database.write() as db:
        now = clock.now()
        branch = await branches.create(db, "一支部", now)
        author = await members.create(db, branch_id=branch.id, telegram_id=7, name="张三", status=MemberStatus.ACTIVE,
                                      now=now)
        await _record(db, branch.id, author.id, MeetingKind.LECTURE, datetime(2026, 12, 2, 6, tzinfo=UTC), "后开的党课",
                      "approved", now)
        await _record(db, branch.id, author.id, MeetingKind.COMMITTEE, datetime(2026, 10, 9, 6, tzinfo=UTC),
                      "先开的支委会", "approved", now)
        await _record(db, branch.id, author.id, MeetingKind.ASSEMBLY, datetime(2026, 11, 9, 6, tzinfo=UTC),
                      "待审核的大会", "submitted", now)
    svc = Services(db=database, settings=Settings(db=tmp_path / "x.db", token=None), clock=clock,
                   features=core_registry())
    exporter = svc.features.exporters["minutes"]
    file = await exporter.build(svc, branch.id, exporter.parse("2026Q4"))
    text = "\n".join(p.text for p in Document(BytesIO(file.data)).paragraphs)
    assert text.index("先开的支委会") < text.index("后开的党课") and "待审核的大会" not in text
    assert "2026年10月09日 支部委员会" in text and "共 2 次会议" in text
    assert text.count("另有 1 张照片未能下载") == 2
    assert file.filename.endswith("2026Q4.docx")
    for bad in ("Q4", "2026Q5"):
        with pytest.raises(ValueError, match="2026"):
            exporter.parse(bad)
