"""The six-month alarm's buttons: 今天已谈心谈话 (one tap) or 有正当理由 and the reason (two)."""

from __future__ import annotations

from bot.callbacks import lapse as cb
from bot.services import lapse
from handlers.telegram.presses import Press, edits, presses

PRESSES = (
    Press(cb.talk, lapse.record_talk, None, edits("lapse/done.j2", None, lambda d: {"d": d}),
          "今天已谈心谈话: the talk recorded, the alarm resolved."),
    Press(cb.reasons, lapse.ask_reason, None, edits("lapse/ask_reason.j2", lambda a: a["buttons"], lambda a: {"a": a}),
          "有正当理由: the reasons offered."),
    Press(cb.reason, lapse.give_reason, None, edits("lapse/done.j2", None, lambda d: {"d": d}),
          "A reason: the alarm resolved by it."),
)


def handlers() -> list:
    return [*presses(PRESSES)]
