"""Polls as Telegram has them: sendPoll (regular or quiz), stopPoll, and a person's answer, which reaches the bot
as a `poll_answer` update (non-anonymous polls) and as the `poll` update with the new counts (polls the bot sent).

A quiz has its right option(s) (`correct_option_ids` since Bot API 9.6, or the older `correct_option_id`; known
to the bot that sent it), an explanation shown after
answering, and cannot be answered twice; `open_period` / `close_date` close a poll by the wall clock, as Telegram
does; a closed poll takes no answers."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.emulator.methods import _buttons, _int, _sent, _target, method
from bot.emulator.model import Message, bad_request
from bot.emulator.telegram_html import HtmlError, to_plain, utf16_length

if TYPE_CHECKING:
    from bot.emulator.people import Person
    from bot.emulator.server import Emulator

QUESTION_MAX = 300
OPTION_MAX = 100
OPTIONS_MIN, OPTIONS_MAX = 2, 10
EXPLANATION_MAX = 200
OPEN_PERIOD = (5, 600)
_ids = itertools.count(5_000_000_000_000_000)


@dataclass
class Poll:
    poll_id: str
    question: str
    options: tuple[str, ...]
    kind: str  # regular | quiz
    anonymous: bool
    multiple: bool
    correct: tuple[int, ...]  # a quiz's right options
    explanation: str | None
    close_at: float | None  # unix time (open_period / close_date); None: open until stopped
    stopped: bool = False
    answers: dict[int, tuple[int, ...]] = field(default_factory=dict)  # user id → chosen options

    @property
    def closed(self) -> bool:
        return self.stopped or (self.close_at is not None and time.time() >= self.close_at)

    def as_dict(self) -> dict[str, Any]:
        """The Poll object, as the bot that sent it sees it (with the quiz's right option)."""
        counts = [sum(i in chosen for chosen in self.answers.values()) for i in range(len(self.options))]
        data: dict[str, Any] = {
            "id": self.poll_id, "question": self.question, "total_voter_count": len(self.answers),
            "options": [{"text": text, "voter_count": n, "persistent_id": str(i)}
                        for i, (text, n) in enumerate(zip(self.options, counts, strict=True))],
            "is_closed": self.closed, "is_anonymous": self.anonymous, "type": self.kind,
            "allows_multiple_answers": self.multiple, "allows_revoting": False, "members_only": False}
        if self.kind == "quiz":
            data["correct_option_ids"] = list(self.correct)
            if self.explanation:
                data["explanation"] = self.explanation
        if self.close_at is not None:
            data["close_date"] = int(self.close_at)
        return data


def _options(params: dict[str, Any]) -> tuple[str, ...]:
    raw = params.get("options")
    if not isinstance(raw, list) or not OPTIONS_MIN <= len(raw) <= OPTIONS_MAX:
        raise bad_request(f"poll must have {OPTIONS_MIN}-{OPTIONS_MAX} options")
    texts = tuple(str(o.get("text", "")) if isinstance(o, dict) else str(o) for o in raw)
    if any(not 1 <= len(t) <= OPTION_MAX for t in texts):
        raise bad_request(f"poll options must be 1-{OPTION_MAX} characters long")
    return texts


def _close_at(params: dict[str, Any]) -> float | None:
    if params.get("open_period") not in (None, ""):
        period = _int(params, "open_period")
        if not OPEN_PERIOD[0] <= period <= OPEN_PERIOD[1]:
            raise bad_request("poll open_period must be 5-600 seconds")
        return time.time() + period
    if params.get("close_date") not in (None, ""):
        return float(_int(params, "close_date"))
    return None


def _correct(params: dict[str, Any], count: int) -> tuple[int, ...]:
    """A quiz's right options: `correct_option_ids` (increasing), or the older single `correct_option_id`."""
    raw = params.get("correct_option_ids")
    if raw in (None, "", []) and params.get("correct_option_id") not in (None, ""):
        raw = [_int(params, "correct_option_id")]
    if not raw:
        raise bad_request("quiz poll must have a correct option")
    ids = tuple(int(i) for i in raw)
    if any(not 0 <= i < count for i in ids) or list(ids) != sorted(set(ids)):
        raise bad_request("wrong correct option ids specified")
    return ids


def _explanation(params: dict[str, Any]) -> str | None:
    """A quiz's explanation as the person reads it (HTML with explanation_parse_mode), at most 200 characters."""
    raw = str(params.get("explanation") or "")
    if not raw:
        return None
    if str(params.get("explanation_parse_mode", "")).upper() == "HTML":
        try:
            raw = to_plain(raw)
        except HtmlError as error:
            raise bad_request(f"can't parse explanation entities: {error}") from None
    if utf16_length(raw) > EXPLANATION_MAX:
        raise bad_request("poll explanation is too long")
    return raw


def _flag(params: dict[str, Any], key: str, default: bool) -> bool:
    value = params.get(key)
    return default if value in (None, "") else value in (True, "true", "True", "1", 1)


@method
async def sendPoll(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    question = str(params.get("question") or "")
    if not 1 <= len(question) <= QUESTION_MAX:
        raise bad_request(f"poll question must be 1-{QUESTION_MAX} characters long")
    options, kind = _options(params), str(params.get("type") or "regular")
    if kind not in ("regular", "quiz"):
        raise bad_request("wrong poll type specified")
    correct = _correct(params, len(options)) if kind == "quiz" else ()
    explanation = _explanation(params)
    poll = Poll(str(next(_ids)), question, options, kind, _flag(params, "is_anonymous", True),
                kind == "regular" and _flag(params, "allows_multiple_answers", False), correct, explanation,
                _close_at(params))
    emu.flood_check(chat_id, params)
    emu.stats["sent"] += 1
    emu.polls[poll.poll_id] = poll
    return _sent(emu, chat_id, kind="poll", plain=question, buttons=_buttons(params), poll_id=poll.poll_id)


@method
async def stopPoll(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    message = _target(emu, params, "stop")
    poll = emu.polls.get(message.poll_id or "")
    if poll is None:
        raise bad_request("message with poll to stop not found")
    if poll.closed:
        raise bad_request("poll has already been closed")
    poll.stopped = True
    if "reply_markup" in params:
        emu.replace_message(message, buttons=_buttons(params))
    return poll.as_dict()


def answer(emu: Emulator, person: Person, message: Message, options: tuple[int, ...]) -> Poll:
    """The person picks options of a poll in their chat: refused (as the app refuses) on a closed poll, a quiz
    answered already, or options that are not there; else the bot gets poll_answer (unless anonymous) and poll."""
    poll = emu.polls.get(message.poll_id or "")
    if poll is None or message.deleted:
        raise AssertionError(f"{person.first_name}: message {message.message_id} has no poll")
    if poll.closed:
        raise AssertionError(f"{person.first_name}: the poll is closed")
    if poll.kind == "quiz" and person.id in poll.answers:
        raise AssertionError(f"{person.first_name}: a quiz is answered once")
    if not options or any(not 0 <= i < len(poll.options) for i in options) or (len(options) > 1 and not poll.multiple):
        raise AssertionError(f"{person.first_name}: no such choice {options!r} in {poll.options!r}")
    poll.answers[person.id] = tuple(sorted(set(options)))
    if not poll.anonymous:
        emu.push_update("poll_answer", {"poll_id": poll.poll_id, "user": person.as_user(),
                                        "option_ids": list(poll.answers[person.id]),
                                        "option_persistent_ids": [str(i) for i in poll.answers[person.id]]})
    emu.push_update("poll", poll.as_dict())
    return poll
