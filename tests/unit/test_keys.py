"""The record-key codecs (bot/keys/): each kind builds exactly the text the f-strings before it wrote, so the keys
stored by a running county keep meaning the same rows after an upgrade (no reminder duplicated or lost), scopes
cover the same rows, and every key reads back to the values it was built from."""

import importlib
import pkgutil
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import bot.keys
from bot.keys import (
    Key,
    calendars,
    compliance,
    digests,
    dues,
    evaluation,
    filing,
    keys_of,
    meetings,
    minutes,
    notices,
    refs,
    reports,
    review,
)
from bot.keys import common as common_keys
from tests.support import each

NOW = datetime(2026, 12, 3, 7, 5, 9, tzinfo=UTC)
DAY = date(2026, 12, 3)
M, P, X = 42, 7, 123456789  # a meeting (or campaign, notice …), a member, a Telegram id

# (built by the codec, what the code wrote before it): one line per kind.
SAME_TEXT = [
    (meetings.reminder(M, "remind-3d", P), f"meeting:{M}:{'remind-3d'}:member:{P}"),
    (meetings.replanned(M, NOW.date()), f"meeting:{M}:plan:{NOW.date().isoformat()}"),
    (meetings.notice(M, P), f"meeting:{M}:notice:member:{P}"),
    (meetings.cancelled(M, P), f"meeting-cancelled:{M}:member:{P}"),
    (meetings.tally(M, P), f"meeting:{M}:tally:to:{P}"),
    (meetings.corrected(M, P), f"meeting:{M}:corrected:{P}"),
    (meetings.makeup_task(M, P), f"meeting:{M}:makeup:{P}:task"),
    (meetings.makeup_reminder(M, P, "2d"), f"{f'meeting:{M}:makeup:{P}:remind'}-{'2d'}"),
    (meetings.makeup_recorded(M, P), f"meeting:{M}:makeup-recorded:{P}"),
    (meetings.ask_theme(M, P), f"meeting:{M}:ask-theme:to:{P}"),
    (meetings.theme_due(M, DAY, P), f"meeting:{M}:theme-due:{DAY.isoformat()}:to:{P}"),
    (meetings.theme_due_checked(M, DAY), f"theme-due:{M}:{DAY.isoformat()}"),
    (meetings.holiday_move(M, P), f"meeting:{M}:holiday-move:to:{P}"),
    (meetings.holiday_confirmed(M), f"meeting:{M}:holiday-confirmed"),
    (meetings.theme_days_made(NOW, 900, 912), f"themeday:create:{NOW:%Y-%m-%dT%H}:{900}:{912}"),
    (minutes.after(M), f"minutes:{M}:after"),
    (minutes.due_remind(M), f"minutes:{M}:due-remind"),
    (minutes.overdue(M, P), f"minutes:{M}:overdue:to:{P}"),
    (minutes.criticism(M, P), f"criticism:{f'meeting:{M}'}:{P}"),
    (evaluation.opened(M, P), f"eval:{M}:opened:member:{P}"),
    (evaluation.extended(M, NOW, P), f"eval:{M}:extended@{NOW.strftime('%Y%m%d%H%M')}:member:{P}"),
    (evaluation.reminder(M, NOW, 3, "self", P),
     f"{f'eval:{M}:remind:'}{NOW.strftime('%Y%m%d%H%M')}:{3}d:{'self'}:member:{P}"),
    (evaluation.result(M, P), f"eval:{M}:result:member:{P}"),
    (compliance.warn(M, "committee:2026-10-01:", P), f"{f'compliance:{M}:'}{'committee:2026-10-01:'}:warn:to:{P}"),
    (compliance.scanned(NOW), f"compliance:scan:{NOW:%Y-%m-%dT%H}"),
    (compliance.checked(M, DAY), f"compliance:{M}:{DAY.isoformat()}"),
    (dues.reported(P, "2026-12", X), f"dues:{P}:{'2026-12'}:{'reported'}:to:{X}"),
    (dues.amount(P, "2026-12", 3000, X), f"dues:{P}:{'2026-12'}:{f'amount:{3000}'}:to:{X}"),
    (dues.confirmed(P, "2026-12"), f"dues:{P}:{'2026-12'}:confirmed"),
    (filing.digest(M, "2026-12-03", X), f"filing-digest:{M}:{'2026-12-03'}:to:{X}"),
    (filing.opened(M, P), f"followup:{M}:opened:to:{P}"),
    (filing.reminder(M, 14, NOW, P), f"{f'followup:{M}:remind'}-{14}d:{NOW:%Y%m%d}:to:{P}"),
    (filing.confirm(M, NOW, X), f"followup:{M}:confirm:{NOW:%Y%m%d%H%M%S}:to:{X}"),
    (filing.decided(M, NOW, P), f"followup:{M}:decided:{NOW:%Y%m%d%H%M%S}:to:{P}"),
    (digests.branch_day(M, "2026-12-03"), f"digest:{M}:{'2026-12-03'}"),
    (digests.branch(M, "2026-12-03", P), f"{f'digest:{M}:2026-12-03'}:to:{P}"),
    (digests.officer(X, "2026-W49"), f"officer-digest:{X}:{'2026-W49'}"),
    (digests.officer_unit(M, X, "2026-W49"), f"officer-digest:{M}:{X}:{'2026-W49'}"),
    (common_keys.one_off("statement.criticism", "0f1e2d3c4b5a6978"), f"{'statement.criticism'}:{'0f1e2d3c4b5a6978'}"),
    (common_keys.saved(X), f"saved:{X}"),
    (common_keys.unreachable(P, NOW), f"unreachable:{P}:{NOW:%Y%m%d%H%M%S}"),
    (common_keys.pruned(NOW.date().isoformat()), f"outbox:prune:{NOW.date().isoformat()}"),
    (calendars.unknown_week(2027, DAY), f"calendar:unknown:{2027}:{DAY.isoformat()}"),
    (calendars.unknown(2027, DAY, X), f"{f'calendar:unknown:{2027}:{DAY.isoformat()}'}:to:{X}"),
    (calendars.moved(M, 2027, NOW, 5, P), f"calendar:{M}:{2027}:{f'{NOW:%Y%m%d%H%M%S}'}:branch:{5}:to:{P}"),
    (notices.copy("notice", M, P), f"notice:{M}:member:{P}"),
    (notices.copy("onotice", M, P), f"onotice:{M}:member:{P}"),
    (notices.auto_nudge("notice", M, P), f"{f'notice:{M}:nudge-auto:'}member:{P}"),
    (notices.nudge("onotice", M, NOW, P), f"{'onotice'}:{M}:nudge@{NOW.strftime('%Y%m%d%H%M')}:member:{P}"),
    (notices.group(M), f"notice:{M}:group"),
    (refs.notice(M), f"notice:{M}"),
    (refs.officer_notice(M), f"officer_notice:{M}"),
    (review.card(M, 2, str(P)), f"{f'review:{M}:v{2}:to:'}{P}"),
    (review.card(M, 2, f"t{X}"), f"{f'review:{M}:v{2}:to:'}{f't{X}'}"),
    (review.outcome(M, 2), f"review:{M}:v{2}:outcome"),
    (review.edit(M, 2, "shown5", "approved", 0), f"review:{M}:v{2}:edit:{'shown5'}:{'approved'}:{None or 0}"),
    (review.edit(M, 2, "17", None, 3), f"review:{M}:v{2}:edit:{'17'}:{None}:{3 or 0}"),
    (reports.reminder(P, "2026-10"), f"report:{P}:{'2026-10'}:remind"),
    (reports.planned(M, DAY), f"reports:plan:{M}:{DAY}"),
    (refs.begun("report", NOW), f"{'report'}:{NOW:%Y%m%d%H%M%S}"),
    (refs.begun_again("report", NOW, 2), f"{f'report:{NOW:%Y%m%d%H%M%S}'}-{2}"),
    (refs.meeting(M), f"meeting:{M}"),
    (refs.evaluation(M), f"evaluation:{M}"),
    (refs.submission(M), f"submission:{M}"),
    (refs.member(P), f"member:{P}"),
    (refs.chat(-1001234567890), f"chat:{-1001234567890}"),
    (refs.period("2026-12"), f"period:{'2026-12'}"),
    (refs.roster(), "roster"),
    (refs.away(DAY, round(NOW.timestamp() + 0.4)), f"away:{DAY.isoformat()}:{NOW.timestamp() + 0.4:.0f}"),
]

# (the scope the codec gives, the prefix the code used before)
SAME_SCOPE = [
    (meetings.reminder.scope(M), f"meeting:{M}:remind"),
    (meetings.every.scope(M), f"meeting:{M}:"),
    (meetings.makeup.scope(M, P), f"meeting:{M}:makeup:{P}:"),
    (meetings.makeup_reminder.scope(M, P), f"meeting:{M}:makeup:{P}:remind"),
    (minutes.every.scope(M), f"minutes:{M}:"),
    (evaluation.reminder.scope(M), f"eval:{M}:remind:"),
    (compliance.warn.scope(M), f"compliance:{M}:"),
    (filing.reminder.scope(M), f"followup:{M}:remind"),
    (notices.auto_nudges.scope("notice", M), f"notice:{M}:nudge-auto:"),
    (review.card.scope(M, 2), f"review:{M}:v{2}:to:"),
    (reports.every.scope(P), f"report:{P}:"),
    (notices.auto_nudges.scope("onotice", M), f"{'onotice'}:{M}:nudge-auto:"),
]

CODECS = [importlib.import_module(f"bot.keys.{m.name}") for m in pkgutil.iter_modules(bot.keys.__path__)]
KINDS = [(codec.__name__.rsplit(".", 1)[1], key) for codec in CODECS for key in keys_of(codec)]


def test_key_is_the_text_stored_before():
    """Each key built by its codec is, character for character, what the hand-written f-string gave."""
    each(SAME_TEXT, _same, name=lambda pair: pair[1])


def _same(pair: tuple[str, str]) -> None:
    built, before = pair
    assert built == before


@pytest.mark.parametrize(("scope", "before"), SAME_SCOPE, ids=[before for _, before in SAME_SCOPE])
def test_scope_is_the_prefix_used_before(scope, before):
    """converge, cancel_prefix and by_prefix get the same prefix as before, so they touch the same rows."""
    assert scope == before


def _sample(field):
    """A value of the field's kind that its text keeps whole (a stamp to its own precision)."""
    if isinstance(field, bot.keys.Stamp):
        return datetime.strptime(NOW.strftime(field.fmt), field.fmt)
    if field.lead:
        return field.lead + "-x"
    if "|" in field.pattern:  # one of a few words
        return field.pattern.rsplit("|", 1)[-1]
    return {bot.keys.INT: 12, bot.keys.TEXT: "x.y", bot.keys.FREE: "a:b:", bot.keys.DAY: DAY}[field]


def test_every_key_reads_back():
    """Each declared kind, built from sample values, parses back to those values, and its scope is a prefix of it."""
    each(KINDS, _reads_back, name=lambda entry: f"{entry[0]}:{entry[1].shape}")


def _reads_back(entry) -> None:
    _, key = entry
    values = {name: _sample(field) for name, field in key.fields.items()}
    built = key(**values)
    assert key.read(built)._asdict() == values
    assert built.startswith(key.scope(*list(values.values())[:1]))


def test_other_text_is_not_a_key_of_the_kind():
    """A key of another kind, or malformed text, parses to None; read says which kind it expected."""
    assert meetings.reminder.parse("meeting:42:tally:to:7") is None
    assert meetings.reminder.parse("meeting:x:remind-3d:member:7") is None
    assert refs.meeting.parse(None) is None and refs.meeting.parse("meeting:42:extra") is None
    with pytest.raises(ValueError, match="meeting"):
        refs.meeting.read("evaluation:42")


def test_a_value_that_would_not_read_back_is_refused():
    """Building a key with a colon inside a one-segment field, a missing value or a wrong type is an error."""
    with pytest.raises(ValueError):
        dues.confirmed(7, "2026:12")
    with pytest.raises(ValueError):
        meetings.tally(42)
    with pytest.raises(ValueError):
        meetings.tally("42", 7)
    with pytest.raises(TypeError):
        Key("x:{a}:{b}", a=int)


def test_followup_family_reads_any_of_its_messages():
    """The send-time checks of follow-ups and meeting records read the id from any of their keys."""
    assert filing.followup.read(filing.opened(5, 6)).followup == 5
    assert filing.followup.read(filing.reminder(5, 3, NOW, 6)).followup == 5
    assert minutes.every.read(minutes.overdue(9, 1)).meeting == 9


def test_no_key_or_reference_is_spelled_by_hand():
    """Outside bot/keys/, no outbox key, mark, ref or audit subject is written as an f-string, and none is read
    back by splitting it: the codecs do both, so a kind's text is in one place."""
    root = Path(__file__).resolve().parents[2]
    by_hand = re.compile(r"""\b(key|subject|ref)=f["']|\.(key|ref|subject)\.(split|partition|rsplit)\("""
                         r"""|(cancel_prefix|by_prefix|converge|claim|missing)\((db|svc\.db|tx), \[?f["']""")
    found = [f"{path.relative_to(root)}:{number}" for folder in ("bot", "handlers")
             for path in sorted((root / folder).rglob("*.py"))
             if not path.relative_to(root).as_posix().startswith(("bot/keys/", "bot/emulator/", "bot/bench/"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if by_hand.search(line)]
    assert not found


def test_ending_builds_the_same_keys_as_the_kind_and_refuses_what_it_would():
    """Key.ending gives the key the kind itself gives for each last id, refuses a non-id, and is refused for a kind
    whose shape does not end with an id."""
    build = meetings.reminder.ending(42, "remind-3d")
    assert [build(member) for member in (7, 1234)] == [meetings.reminder(42, "remind-3d", member)
                                                       for member in (7, 1234)]
    with pytest.raises(ValueError):
        build("7")
    with pytest.raises(ValueError):
        meetings.makeup_reminder.ending(42, 7)
