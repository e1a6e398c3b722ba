"""The fixed choices of /settings: every offered choice maps to a valid setting value; anything else to None."""

from bot.domain import branch_settings as options
from bot.domain.cadence import Cadence
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings


def test_every_offered_choice_is_a_valid_value_and_the_defaults_are_among_them():
    """Times read back as HH:MM, days as ints within the models' bounds, cadences as Cadence; the current defaults
    (22:00, 07:00, 08:30, 3 days, 3 working days) are offered, so the card can tick them."""
    defaults = BranchSettings()
    for field in ("quiet_start", "quiet_end", "digest_time", "notice_nudge_days"):
        values = [options.value_of(field, c.code) for c in options.choices(field)]
        BranchSettings.model_validate({field: values[0]})
        assert getattr(defaults, field) in values
    days = [options.value_of("minutes_working_days", c.code) for c in options.choices("minutes_working_days")]
    assert MeetingRules().minutes_working_days in days
    cadences = [options.value_of("cadence_life", c.code) for c in options.choices("cadence_life")]
    assert Cadence(per="year", times=1) in cadences and Cadence(per="year", times=0) in cadences


def test_unknown_fields_and_choices_give_nothing():
    """A forged field or code is not a setting: no choices, no value."""
    assert options.choices("tz") == [] and options.choices("cadence_theme_day") == []
    assert options.value_of("quiet_start", "1234") is None
    assert options.value_of("cadence_lecture", "week_1") is None


def test_life_meeting_defaults_to_once_a_year():
    """组织生活会 一般每年召开 1 次 (支部工作条例), not every half year."""
    assert MeetingRules().cadences["life"] == Cadence(per="year", times=1)


def test_theme_day_rules_and_away_makeup_choices_are_valid_settings_with_the_defaults_among_them():
    """Each choice of the holiday rule, the theme due day and make-up for members on leave is a valid
    BranchSettings value (the due day's "不要求" being NO_DUE_DAY, stored as None); the defaults are offered."""
    defaults = BranchSettings()
    moves = [options.value_of("theme_holiday_move", c.code) for c in options.choices("theme_holiday_move")]
    assert defaults.theme_holiday_move in moves and len(set(moves)) == 3
    due = [options.value_of("theme_due_day", c.code) for c in options.choices("theme_due_day")]
    assert options.NO_DUE_DAY in due and 5 in due
    for day in due:
        BranchSettings.model_validate({"theme_due_day": day or None})
    assert [options.value_of("away_makeup", c.code) for c in options.choices("away_makeup")] == [True, False]
    assert options.value_of("away_makeup", "2") is None and options.value_of("theme_holiday_move", "later") is None
