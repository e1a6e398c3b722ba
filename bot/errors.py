"""Refusals a person can be told about in plain words."""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Bad input or a forbidden/stale action: answered with a template, nothing changed.

    `template` is a path under templates/ (e.g. "common/not_allowed.j2").
    """

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.template = template
        self.params = params
