"""Meetings of every kind, as their members live them: check-in (own, by location, by proxy), leave and make-up
through the review mechanism, reminders, and the close after the day with its tally. Keyed by meeting id, so the
theme day and 三会一课 share it; the theme day's calendar sits on top in bot/services/themeday.py, scheduling a
meeting in bot/services/scheduling.py.

One module per part (common → reminders → close → check-in, leave, make-up, records); this package is their one
entry and declares the feature."""

from __future__ import annotations

from bot.callbacks import meetings as meetings_cb
from bot.features import Feature, ForBranches
from bot.services import review
from bot.services.meetings.checkin import (  # noqa: F401  (the package's API)
    CheckIn,
    ProxyCheckIn,
    ShownCode,
    absentees,
    check_in,
    correct_to_present,
    may_proxy,
    meeting_to_check_in,
    proxy_candidates,
    proxy_check_in,
    show_code,
)
from bot.services.meetings.close import (  # noqa: F401  (the package's API)
    MeetingTally,
    assign_makeup,
    close,
    close_due,
    correct_buttons,
    makeup_due,
    makeup_reminders_of,
    makeup_reminders_wanted,
    tally_buttons,
    tally_of,
    undecided_leaves,
)
from bot.services.meetings.common import (  # noqa: F401  (the package's API)
    LATE_GRACE,
    LEAVE,
    MAKEUP,
    MAKEUP_TEMPLATES,
    MAKEUP_TEXT_MAX,
    REASON_MAX,
    STATEMENT_KINDS,
    action_buttons,
    describe,
    expected_of,
    meeting_in_branch,
    must_attend,
    queue,
    require_window_open,
    theme_of,
    tz_of,
)
from bot.services.meetings.leave import (  # noqa: F401  (the package's API)
    _leave_decided,
    begin_leave,
    clean_reason,
    submit_leave,
)
from bot.services.meetings.makeup import DRAFT as MAKEUP_DRAFT
from bot.services.meetings.makeup import (  # noqa: F401  (the package's API)
    _makeup_decided,
    begin_makeup,
    open_makeups,
)
from bot.services.meetings.qr import (  # noqa: F401  (the package's API)
    QR_MINUTES,
    ShownQr,
    check_in_by_link,
    is_checkin_link,
    show_qr,
)
from bot.services.meetings.records import (  # noqa: F401  (the package's API)
    _catch_up_new_member,
    _makeups_to_record,
    _overdue_makeups,
    attendance_for,
    attendance_for_meeting,
    history,
)
from bot.services.meetings.reminders import (  # noqa: F401  (the package's API)
    _makeup_still_open,
    _still_needed,
    away_on,
    plan_reminders,
    plan_reminders_many,
    reminders_wanted,
    replan,
    replan_daily,
    wanted_reminders,
)
from bot.services.meetings.todos import todos

FEATURE = Feature(
    name="meetings",
    ticks=(close_due, replan_daily),
    relevance={"meeting.remind": _still_needed, "makeup.remind": _makeup_still_open},
    review_kinds=(
        review.ReviewKind(kind=LEAVE, card_template="meetings/leave_card.j2", allow_return=False,
                          rejected_note="meetings/leave_rejected_note.j2", on_decided=_leave_decided),
        review.ReviewKind(kind=MAKEUP, card_template="meetings/makeup_card.j2", fix_hint="/makeup",
                          fix_data=lambda s: meetings_cb.makeup(s.id), on_decided=_makeup_decided),
    ),
    drafts=(MAKEUP_DRAFT,),
    digest_sections=(("makeups_overdue", ForBranches(_overdue_makeups)),
                     ("makeups_to_record", ForBranches(_makeups_to_record))),
    join_hooks=(_catch_up_new_member,),
    todos=(todos,),
)

