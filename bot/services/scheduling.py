"""/meeting: the secretary schedules a 支部党员大会, 支委会, 党小组会, 党课, 组织生活会 or 专题学习 — type, audience, time, place, topic,
host and recorder, each answer saved as it comes — then attendees are told and reminded, and check in and ask
for leave exactly as on the theme day (bot/services/meetings.py does all of that, keyed by meeting id). Calling a meeting off is bot/services/meeting_cancel.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import meetings as meeting_rules
from bot.domain import minutes as rules
from bot.domain import when as when_rules
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind, expected_members, group_of
from bot.domain.models import Member
from bot.domain.roles import Role
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, membership, minutes_deadline, notify, policy, theme_plus
from bot.services import meetings as meeting_service
from storage import audit, branches, conversations, meetings, members, minutes
from storage import units as unit_store
from storage.connection import Conn

FORM = "meeting_new"
SCHEDULABLE = (*meeting_rules.HOLDABLE, MeetingKind.LIFE, MeetingKind.STUDY)  # 支部党员大会, 支委会, 党小组会, 党课, …
# Held by a 党小组 for its members: its 党小组会, and its own 主题党日 (seed 002: 以党支部或党员片区（网格）党小组为基本单位).
FOR_GROUPS = (MeetingKind.GROUP, MeetingKind.THEME_DAY)
AUDIENCE_OF = {MeetingKind.ASSEMBLY: "all", MeetingKind.COMMITTEE: "committee", MeetingKind.LECTURE: "all",
               MeetingKind.LIFE: "all", MeetingKind.STUDY: "all"}
ORDER = ("kind", "audience", "when", "place", "topic", "lecturer", "host", "recorder")
LECTURER_MAX = 20
MAKEUP_DAYS = 7


@dataclass
class Draft:
    """The form as far as it got: the step it waits for and the answers so far, with what the prompt shows."""

    step: str
    data: dict
    people: list[Member]
    groups: list[str]
    summary: dict

    @property
    def recorders(self) -> list[Member]:
        """Who may keep the minutes: they are written in the bot, so not a member without a smartphone."""
        return [m for m in self.people if m.telegram_id is not None]

    def choices(self) -> list[Member]:
        """The people offered at a host or recorder step."""
        return self.recorders if self.step == "recorder" else self.people


def party_groups(active: list[Member]) -> list[str]:
    return sorted({m.party_group for m in active if m.party_group})


def _next(data: dict) -> str:
    if data.get("when_options"):
        return "when"  # an ambiguous time waits for its confirming button
    if data.get("back"):
        return "preview"
    for step in ORDER:
        if step == "kind" and not data.get("kind"):
            return step
        if step == "audience" and not data.get("audience"):
            return step
        if step == "when" and not data.get("when"):
            return step
        if step in ("place", "topic") and data.get(step) is None:
            return step
        if step == "lecturer" and data.get("kind") == MeetingKind.LECTURE.value and not (
                data.get("lecturer_id") or data.get("lecturer_name")):
            return step  # a 党课's 主讲人
        if step in ("host", "recorder") and not data.get(f"{step}_id"):
            return step
    return "preview"


async def _draft(svc: Services, actor: Member, step: str, data: dict) -> Draft:
    active = await members.in_branch(svc.db, actor.branch_id)
    names = {m.id: m.name for m in active}
    branch = await branches.get(svc.db, actor.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    when = None
    if data.get("when"):
        start, end = _span(data, tz)
        when = meeting_rules.format_when(start, end, tz)
    kind = MeetingKind(data["kind"]) if data.get("kind") else None
    audience = data.get("audience")
    count = len(expected_members(active, audience)) if audience else None
    options = [meeting_rules.format_when(*_span({"when": o}, tz), tz) for o in data.get("when_options", [])]
    if step == "when" and options:
        step = "when_pick"
    overlaps = await theme_plus.overlaps(svc, svc.db, actor.branch_id, active, kind, audience, *_span(data, tz)) \
        if step == "preview" else []
    summary = {"options": options, "kind": _label(kind, audience), "audience": audience, "overlaps": overlaps, "within": bool(data.get("within")),
               "group": group_of(audience), "count": count,
               "when": when, "place": data.get("place"), "topic": data.get("topic"),
               "host": names.get(data.get("host_id")), "recorder": names.get(data.get("recorder_id")),
               "lecturer": names.get(data.get("lecturer_id")) or data.get("lecturer_name"),
               "leader": bool(data.get("lecturer_leader"))}
    return Draft(step, data, active, party_groups(active), summary)


def _label(kind: MeetingKind | None, audience: str | None) -> str | None:
    """支部党员大会 …; a 党小组's own theme day: 第一党小组主题党日."""
    if kind is MeetingKind.THEME_DAY:
        group = group_of(audience)
        return meeting_rules.title_of(kind, group=group) if group else meeting_rules.GROUP_DAY_LABEL
    return KIND_LABELS[kind] if kind else None


def _span(data: dict, tz: str):
    when = rules.When(day=date.fromisoformat(data["when"]["day"]), start=time.fromisoformat(data["when"]["start"]),
                      end=time.fromisoformat(data["when"]["end"]))
    return rules.span_of(when, tz)


async def _save(svc: Services, actor: Member, data: dict) -> Draft:
    step = _next(data)
    async with svc.db.write() as db:
        await conversations.save(db, actor.telegram_id, FORM, step, data, svc.now())
    return await _draft(svc, actor, step, data)


async def organizer(svc: Services, telegram_id: int) -> tuple[Member, str | None]:
    """(the person, None) for the secretary's side; (the person, their group) for a 党小组长, who may schedule (and
    call off, bot/services/meeting_cancel.py) only their own group's 党小组会; anyone else is refused."""
    member = await membership.active_member(svc, telegram_id)
    if member.is_approver:
        return member, None
    if Role.GROUP_LEADER in member.roles and member.party_group:
        return member, member.party_group
    raise UserError("common/not_allowed.j2")


async def _current(svc: Services, telegram_id: int, *steps: str) -> tuple[Member, dict]:
    """The scheduler's form in progress, at one of `steps` (a button from another step or form is stale)."""
    actor, group = await organizer(svc, telegram_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != FORM or (steps and conversation.step not in steps):
        raise UserError("common/stale.j2")
    if group is not None and conversation.data.get("leader_group") != group:
        raise UserError("common/stale.j2")  # a leader's form is their group's 党小组会, and only while they lead it
    return actor, dict(conversation.data)


async def begin(svc: Services, telegram_id: int) -> Draft:
    """/meeting: a new form (a form already under way is resumed where it stopped). A 党小组长's form starts as
    their group's 党小组会."""
    actor, group = await organizer(svc, telegram_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is not None and conversation.kind == FORM:
        return await _draft(svc, actor, conversation.step, conversation.data)
    if group is not None:
        return await _save(svc, actor, {"kind": MeetingKind.GROUP.value, "audience": f"group:{group}",
                                        "leader_group": group})
    return await _save(svc, actor, {})


async def begin_with_kind(svc: Services, telegram_id: int, kind: MeetingKind) -> Draft:
    """安排会议 under a compliance warning: /meeting with the warned kind already chosen (a form under way at another
    step is resumed instead, so nothing typed is lost)."""
    draft = await begin(svc, telegram_id)
    if draft.step != "kind" or kind not in SCHEDULABLE:
        return draft
    return await choose_kind(svc, telegram_id, kind.value)


async def begin_within(svc: Services, telegram_id: int, meeting_id: int) -> Draft:
    """同时召开 on /themeday: /meeting for a meeting held within the coming theme day, its time and place already the
    day's, so the preview offers 并入 (a form under way is resumed instead, so nothing typed is lost)."""
    actor, group = await organizer(svc, telegram_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is not None and conversation.kind == FORM:
        return await _draft(svc, actor, conversation.step, conversation.data)
    day = await meetings.get(svc.db, meeting_id)
    if group is not None or day is None or day.branch_id != actor.branch_id or day.starts_at <= svc.now() \
            or not meeting_rules.may_hold_more(day):
        raise UserError("common/stale.j2")
    tz = ZoneInfo(meeting_service.tz_of(svc, await branches.get(svc.db, actor.branch_id)))
    start, end = day.starts_at.astimezone(tz), day.ends_at.astimezone(tz)
    when = {"day": start.date().isoformat(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    return await _save(svc, actor, {"within": day.id, "when": when, **({"place": day.place} if day.place else {})})


async def choose_kind(svc: Services, telegram_id: int, kind_text: str) -> Draft:
    """The type of meeting; a 党小组长 (whose form starts as their 党小组会) may turn it into their group's own
    主题党日 and back while the time is still asked."""
    actor, data = await _current(svc, telegram_id, "kind", "when")
    try:
        kind = MeetingKind(kind_text)
    except ValueError:
        raise UserError("common/stale.j2") from None
    if data.get("leader_group"):
        if kind not in FOR_GROUPS or data.get("back"):
            raise UserError("common/stale.j2")
        data["kind"] = kind.value
        return await _save(svc, actor, data)
    if data.get("kind") or kind not in (*SCHEDULABLE, *FOR_GROUPS) or (
            data.get("within") and kind not in meeting_rules.FOR_EVERYONE):
        raise UserError("common/stale.j2")
    data["kind"] = kind.value
    if kind in FOR_GROUPS:
        groups = party_groups(await members.in_branch(svc.db, actor.branch_id))
        if not groups:
            raise UserError("scheduling/no_groups.j2")
        data.pop("audience", None)
    else:
        data["audience"] = AUDIENCE_OF[kind]
    # A different audience may leave out the host or recorder chosen before.
    for key in ("host_id", "recorder_id", "back", "lecturer_id", "lecturer_name", "lecturer_leader"):
        data.pop(key, None)
    return await _save(svc, actor, data)


async def choose_group(svc: Services, telegram_id: int, index: int) -> Draft:
    actor, data = await _current(svc, telegram_id, "audience")
    if data.get("leader_group"):
        raise UserError("common/stale.j2")
    groups = party_groups(await members.in_branch(svc.db, actor.branch_id))
    if not 0 <= index < len(groups):
        raise UserError("common/stale.j2")
    data["audience"] = f"group:{groups[index]}"
    return await _save(svc, actor, data)


async def answer(svc: Services, telegram_id: int, step: str, text: str | None) -> Draft:
    """A typed answer for the time, the place or the topic."""
    actor, data = await _current(svc, telegram_id, step)
    text = (text or "").strip()
    if step == "when":
        branch = await branches.get(svc.db, actor.branch_id)
        # "下周四 15:00-17:00 村委会": the time, and the place written after it
        result, place = when_rules.read_with_rest(text, svc.now(), meeting_service.tz_of(svc, branch))
        if isinstance(result, when_rules.Refusal):
            raise UserError("scheduling/bad_when.j2", reason=result.reason)
        options = [when_rules.as_fields(r) for r in when_rules.upcoming(result)]
        if not options:
            raise UserError("scheduling/past_when.j2")
        _long_enough(data, options[0], meeting_service.tz_of(svc, branch))
        data.pop("when_options", None)
        if result.ambiguous:  # confirmed with a button per reading still to come (pick_when)
            data["when_options"] = options
        else:
            data["when"] = options[0]
        if place:
            data["place"] = _text_answer("place", place)
    elif step == "lecturer":  # someone from outside the branch, by name
        if not text or len(text) > LECTURER_MAX:
            raise UserError("scheduling/bad_lecturer.j2", max=LECTURER_MAX)
        data.update(lecturer_name=text, lecturer_leader=False)
        data.pop("lecturer_id", None)
    elif step in ("place", "topic"):
        data[step] = _text_answer(step, text)
    else:
        raise UserError("scheduling/use_buttons.j2")
    return await _save(svc, actor, data)


def _long_enough(data: dict, when: dict, tz: str) -> None:
    """A 专题学习 lasts at least an hour (seed 002: 每次学习不少于一小时); a shorter time is refused, nothing kept."""
    if data.get("kind") and meeting_rules.too_short(kind := MeetingKind(data["kind"]), *_span({"when": when}, tz)):
        raise UserError("scheduling/too_short.j2", kind=KIND_LABELS[kind], minutes=meeting_rules.STUDY_MIN_MINUTES)


def _text_answer(step: str, text: str) -> str:
    label, limit = rules.TEXT_FIELDS[step]
    if not text:
        raise UserError("scheduling/need_text.j2", field=label)
    if len(text) > limit:
        raise UserError("common/too_long.j2", field=label, max=limit, length=len(text))
    return text


async def pick_when(svc: Services, telegram_id: int, index: int) -> Draft:
    """The button under "您是指 … 吗？": one reading of an ambiguous time, still in the future."""
    actor, data = await _current(svc, telegram_id, "when")
    options = data.pop("when_options", None) or []
    if not 0 <= index < len(options):
        raise UserError("common/stale.j2")
    branch = await branches.get(svc.db, actor.branch_id)
    _long_enough(data, options[index], meeting_service.tz_of(svc, branch))
    data["when"] = options[index]
    if _span(data, meeting_service.tz_of(svc, branch))[0] <= svc.now():
        raise UserError("scheduling/past_when.j2")
    return await _save(svc, actor, data)


async def choose_person(svc: Services, telegram_id: int, role: str, member_id: int) -> Draft:
    actor, data = await _current(svc, telegram_id, role)
    person = await members.get(svc.db, member_id)
    if person is None or person.branch_id != actor.branch_id or not person.is_active:
        raise UserError("common/stale.j2")
    if role == "recorder" and person.telegram_id is None:
        raise UserError("scheduling/recorder_offline.j2", name=person.name)
    data[f"{role}_id"] = person.id
    if role == "lecturer":  # the branch's secretaries and the units' officers are 领导干部; a tap on the preview changes it
        data.pop("lecturer_name", None)
        data["lecturer_leader"] = person.is_approver or bool(
            person.telegram_id and await unit_store.units_of_officer(svc.db, person.telegram_id))
    return await _save(svc, actor, data)


async def toggle_leader(svc: Services, telegram_id: int) -> Draft:
    """On a 党课's preview: whether its 主讲人 is a 领导干部 (whose lectures are counted each year)."""
    actor, data = await _current(svc, telegram_id, "preview")
    if data.get("kind") != MeetingKind.LECTURE.value:
        raise UserError("common/stale.j2")
    data["lecturer_leader"] = not data.get("lecturer_leader")
    return await _save(svc, actor, data)


async def edit(svc: Services, telegram_id: int, field: str) -> Draft:
    """From the preview: ask one field again, then come back to the preview."""
    actor, data = await _current(svc, telegram_id, "preview")
    if field not in ("when", "place", "topic", "host", "recorder", "lecturer"):
        raise UserError("common/stale.j2")
    data["back"] = True
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, field, data, svc.now())
    return await _draft(svc, actor, field, data)


async def discard(svc: Services, telegram_id: int) -> None:
    await _current(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)


async def confirm(svc: Services, telegram_id: int) -> tuple[Meeting, dict, int]:
    """发布: the meeting is created, attendees told now and reminded later, the recorder's deadline planned."""
    actor, data = await _current(svc, telegram_id, "preview")
    branch = await branches.get(svc.db, actor.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    now = svc.now()
    starts_at, ends_at = _span(data, tz)
    if starts_at <= now:
        raise UserError("scheduling/past_when.j2")
    kind = MeetingKind(data["kind"])
    _long_enough(data, data["when"], tz)
    async with svc.db.write() as db:
        settings = await policy.rules_of(db, branch.id)
        meeting = await meetings.create(  # a 党小组's theme day has no month code: the branch's own has
            db, branch_id=branch.id, kind=kind, starts_at=starts_at, ends_at=ends_at,
            checkin_opens_at=starts_at - timedelta(minutes=settings.checkin_before_min), now=now,
            title=data["topic"], place=data["place"], audience=data["audience"], makeup_days=MAKEUP_DAYS)
        await minutes.set_staff(db, meeting.id, data["host_id"], data["recorder_id"], actor.id, now)
        if kind is MeetingKind.LECTURE:
            await minutes.set_lecturer(db, meeting.id, data.get("lecturer_id"), data.get("lecturer_name"),
                                       bool(data.get("lecturer_leader")))
        await audit.record(db, now=now, action="meeting.schedule", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.meeting(meeting.id), kind=kind.value, starts_at=starts_at.isoformat())
        told = await _announce(svc, db, meeting, actor)
        await meeting_service.plan_reminders(svc, db, meeting, now)
        await minutes_deadline.plan_deadline(svc, db, meeting, now)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return meeting, await meeting_service.describe(svc, svc.db, meeting), told


async def combine(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, dict, int]:
    """并入 on the preview: the meeting is held within the theme day at the same time for the same people
    (主题党日+, bot/services/theme_plus.py) instead of being scheduled on its own."""
    actor, data = await _current(svc, telegram_id, "preview")
    branch = await branches.get(svc.db, actor.branch_id)
    starts_at, ends_at = _span(data, meeting_service.tz_of(svc, branch))
    kind = MeetingKind(data["kind"])
    lecturer = (data.get("lecturer_id"), data.get("lecturer_name"), bool(data.get("lecturer_leader"))) \
        if kind is MeetingKind.LECTURE else None
    held = theme_plus.Held(kind, data["audience"], starts_at, ends_at, data.get("topic"), data.get("host_id"),
                           data.get("recorder_id"), lecturer)
    async with svc.db.write() as db:
        meeting, told = await theme_plus.hold(svc, db, actor, meeting_id, held)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return meeting, await meeting_service.describe(svc, svc.db, meeting), told


async def _announce(svc: Services, db: Conn, meeting: Meeting, actor: Member) -> int:
    """Each attendee gets the notice at once, with 请假 (签到 opens with the check-in window)."""
    info = await meeting_service.describe(svc, db, meeting)
    staff = await minutes.staff_of(db, meeting.id)
    host = await members.get(db, staff.host_id) if staff and staff.host_id else None
    recorder = await members.get(db, staff.recorder_id) if staff and staff.recorder_id else None
    told = 0
    for member in expected_members(await members.in_branch(db, meeting.branch_id), meeting.audience):
        if member.id == actor.id:
            continue
        params = {**info, "host": host.name if host else None, "recorder": recorder.name if recorder else None,
                  "is_recorder": recorder is not None and recorder.id == member.id}
        told += await notify.to_member(svc, db, member, Outgoing(
            template="scheduling/announce.j2", params=params, buttons=meeting_service.action_buttons(meeting.id)),
            kind="meeting.notice", key=meeting_keys.notice(meeting.id, member.id))
    return told
