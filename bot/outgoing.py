"""A message zhibu wants to send, described without Telegram types.

Use cases produce these; handlers turn them into replies and the reminder engine into outbox rows.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from bot.render import label


class Button(BaseModel):
    label: str
    data: str | None = None  # callback_data, ≤ 64 bytes: an opaque key re-checked on every press
    url: str | None = None


class Attachment(BaseModel):
    """A file Telegram already has (by file_id), sent before the text: photos of minutes, a notice's file."""

    file_id: str
    kind: str = "photo"  # photo | document


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


def button(name: str, data: str, /, **params: Any) -> Button:
    """A button whose label is the template macro `name` (see bot.render.label) and whose data comes from its
    feature's codec (bot.callbacks)."""
    return Button(label=label(name, **params), data=data)
