"""A message zhibu wants to send, described without Telegram types.

Use cases produce these; handlers turn them into replies and the reminder engine into outbox rows. Texts are named,
not rendered: a message names its template and a button its label macro, with their values, and both are rendered
when the message goes out — so a reminder planned weeks ahead shows the templates as they are when it is sent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Button(BaseModel):
    name: str | None = None  # the label: a macro of templates/<feature>/buttons.j2 (see bot.render.button_label)
    params: dict[str, Any] = Field(default_factory=dict)  # the values the label shows
    label: str | None = None  # a label rendered when planned: outbox rows stored before labels were named
    data: str | None = None  # callback_data, ≤ 64 bytes: an opaque key re-checked on every press
    url: str | None = None


class Attachment(BaseModel):
    """A file Telegram already has (by file_id), sent before the text: photos of minutes, a notice's file."""

    file_id: str
    kind: str = "photo"  # photo | document


class QuizPoll(BaseModel):
    """A quiz poll (学习测试) sent instead of a text, its question the message's template as plain text: Telegram
    shows the right option and the explanation once answered. `ref` names what the poll's id is recorded against
    when it went out (a member's drawn question)."""

    ref: str
    options: list[str]
    correct: int
    explanation: str = ""


class Outgoing(BaseModel):
    template: str
    params: dict[str, Any] = Field(default_factory=dict)
    buttons: list[list[Button]] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    # The caption of the photo album sent ahead of the text (a template given the same params), so photos never
    # arrive bare: whose they are and how many.
    album_template: str | None = None
    # Set: not a new message, but the new text (and buttons) of this earlier message in the same chat — a review
    # card that another approver decided.
    edit_message_id: int | None = None
    # Set: a quiz poll goes out instead of the text (the template is not sent).
    poll: QuizPoll | None = None


def button(name: str, data: str, /, **params: Any) -> Button:
    """A button whose label is the template macro `name` with `params` (rendered when sent: bot.render.button_label)
    and whose data comes from its feature's codec (bot.callbacks)."""
    return Button(name=name, params=params, data=data)
