"""The callback-data codecs (bot/callbacks/): what buttons send back, built and parsed in one place."""

import importlib
import pkgutil

import pytest

import bot.callbacks
from bot.callbacks import MAX_BYTES, Action, actions_of, meetings, membership, review
from bot.domain.review import Decision
from bot.domain.roles import Role
from tests.support import each

CODECS = [importlib.import_module(f"bot.callbacks.{m.name}") for m in pkgutil.iter_modules(bot.callbacks.__path__)]
ACTIONS = [(codec.__name__.rsplit(".", 1)[1], action) for codec in CODECS for action in actions_of(codec)]


def _longest(kind: type):
    """The longest value each kind of field accepts: the worst case for Telegram's 64-byte limit."""
    if kind is int:
        return 10**15 - 1
    if kind is str:
        return "x" * 32
    return max(kind, key=lambda member: len(str(member.value)))


def _ids(entry) -> str:
    return f"{entry[0]}:{entry[1].code}"


def test_longest_data_fits_and_parses_back():
    """Every action's data, with the longest values its fields accept, is at most 64 bytes and parses back to the
    same typed values."""
    each(ACTIONS, _fits_and_parses_back, name=_ids)


def _fits_and_parses_back(entry) -> None:
    _, action = entry
    values = tuple(_longest(kind) for kind in action.fields)
    data = action(*values)
    assert len(data.encode()) <= MAX_BYTES
    assert action.parse(data) == values
    assert all(type(parsed) is kind for parsed, kind in zip(action.parse(data), action.fields, strict=True))


def test_malformed_data_parses_to_none():
    """Stale or forged data of every shape is not an action's: None, never an exception."""
    each(ACTIONS, _refuses_malformed, name=_ids)


def _refuses_malformed(entry) -> None:
    _, action = entry
    good = action(*(_longest(kind) for kind in action.fields))
    for bad in (None, "", "nonsense", good + ":1", good + "x" if action.fields else good + ":", good[:-1] + "é",
                f"{action.prefix}:{action.code}:abc:def:ghi", f"{action.prefix}:{action.code}:-1"):
        assert action.parse(bad) is None, bad


def test_no_data_belongs_to_two_actions():
    """Each handler is registered with its action's pattern, so no two actions may claim the same data (the order
    of registration must not decide which runs)."""
    seen = {}
    for name, action in ACTIONS:
        data = action(*(_longest(kind) for kind in action.fields))
        owners = [other for _, other in ACTIONS if other.pattern.match(data)]
        assert owners == [action], (name, data)
        seen[(action.prefix, action.code)] = name
    assert len(seen) == len(ACTIONS)


def test_wire_format_is_unchanged():
    """Buttons already sitting in chats keep working: the data is spelled as before the codecs."""
    assert meetings.checkin(42) == "mt:ci:42"
    assert meetings.proxy_checkin(7, 3) == "mt:px:7:3"
    assert membership.role(5, Role.DEPUTY) == "mem:r:5:deputy"
    assert membership.add_offline() == "mem:add"
    assert review.decisions[Decision.RETURN](9, 2) == "rv:ret:9:2"
    assert meetings.checkin.parse("mt:ci:42") == (42,)
    assert membership.role.parse("mem:r:5:deputy") == (5, Role.DEPUTY)


def test_builders_refuse_what_they_could_not_parse():
    """A builder given the wrong values fails at once, instead of sending a button that can only be stale."""
    with pytest.raises(ValueError):
        meetings.checkin("42")
    with pytest.raises(ValueError):
        meetings.checkin(1, 2)
    with pytest.raises(ValueError):
        Action("zz", "t", str)("has:colon")
    with pytest.raises(ValueError):
        Action("zz", "t", str)("x" * 33)
