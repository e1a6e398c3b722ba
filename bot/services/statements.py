"""Written statements (书面发言) at the 组织生活会: an absentee's make-up is a written statement (bot/services/
meetings.py chooses its templates), and criticism the approved record addresses to an absentee ("姓名：意见" lines in
the record's 批评意见 field) is sent to them, since they were not there to hear it."""

from __future__ import annotations

from bot.domain import talks as rules
from bot.domain.meetings import KIND_LABELS, MeetingKind
from bot.domain.review import Submission
from bot.keys import minutes as minutes_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, notify
from storage import members
from storage.connection import Conn

CRITICISM = "criticism"
KINDS_WITH_CRITICISM = frozenset({KIND_LABELS[MeetingKind.LIFE]})  # the record keeps the kind's label


def takes_criticism(content: dict) -> bool:
    return content.get("kind") in KINDS_WITH_CRITICISM


async def send_criticism(svc: Services, db: Conn, record: Submission) -> int:
    """On approval of the record (in its transaction): each absentee named gets what was said to them, once."""
    content = record.content
    if not takes_criticism(content):
        return 0
    attendance = content.get("attendance") or {}
    absent = set(attendance.get("absent", [])) | {p["name"] for p in attendance.get("on_leave", [])}
    by_name = {m.name: m for m in await members.in_branch(db, record.branch_id)}
    sent = 0
    for name, criticism in rules.parse_criticism(content.get(CRITICISM)).items():
        member = by_name.get(name)
        if member is None or name not in absent:
            continue
        sent += await notify.to_member(svc, db, member, Outgoing(
            template="talks/criticism.j2", params={"meeting": content.get("meeting"), "when": content.get("when"),
                                                   "criticism": criticism}),
            kind="statement.criticism",
            key=minutes_keys.criticism(refs.meeting.read(record.ref).meeting, member.id))
    return sent
