"""What a feature adds to zhibu, declared as one value, and the registry the running code consults.

A feature module ends with `FEATURE = Feature(...)`: its ticks (in the order they run), relevance checks
(outbox kind → check), review kinds, digest sections, join hooks and exporters. Its chat side (Telegram
handlers and form steps) is declared in handlers/ and attached there (`Feature.with_chat`), so no Telegram
type is imported below bot/. Nothing registers itself on import: bot/catalog.py lists the features in
order, and `Registry.from_features` turns that list into the lookups; `svc.features` carries it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.engine_types import Relevance, Tick

if TYPE_CHECKING:
    from bot.exports import Exporter
    from bot.services import Services
    from bot.services.review import ReviewKind

@dataclass(frozen=True)
class DigestLines:
    """A digest section's lines with buttons of their own (a tally per meeting, say) beside the section's button."""

    lines: list[str]
    buttons: list[Any] = field(default_factory=list)


# A digest section: the lines it wants shown in a branch's digest (none: nothing to say), maybe with buttons. A
# feature declares it as (title, section) or (title, section, command): the command (bot.callbacks.commands) is what
# the section's button under the digest opens, so every section that asks for something carries its button.
Section = Callable[["Services", Any, datetime], Awaitable["list[str] | DigestLines"]]
# A to-do source: what the member has to do now, each as the button that does it (none: nothing to do here).
TodoSource = Callable[["Services", Any, datetime], Awaitable[list[Any]]]
# Catches a member up on what is already under way when they join or can be reached again; runs in that
# change's transaction (services, connection, member, now) and must be idempotent.
JoinHook = Callable[["Services", Any, Any, datetime], Awaitable[None]]


@dataclass(frozen=True)
class Form:
    """A multi-step form: what a person types next goes to `step` while their conversation is of `kind`.

    `resume` names the command that reopens a form whose answers are saved outside the conversation (a draft
    submission); /cancel tells the person so. The step is a chat handler, declared in handlers/.
    """

    kind: str
    step: Callable[..., Awaitable[None]]
    resume: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words a person may type instead of a command ("签到", "我到了", "请假"): while no form waits for their answer,
    the words do what they say (`handle` is a chat handler, declared in handlers/)."""

    words: tuple[str, ...]
    handle: Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class ChatSide:
    """A feature's chat side: a factory of its Telegram handlers, its forms and its phrases (all in handlers/)."""

    handlers: Callable[[], Sequence[object]]
    forms: tuple[Form, ...] = ()
    phrases: tuple[Phrase, ...] = ()


@dataclass(frozen=True, eq=False)
class Feature:
    name: str
    ticks: tuple[Tick, ...] = ()
    relevance: Mapping[str, Relevance] = field(default_factory=dict)
    review_kinds: tuple[ReviewKind, ...] = ()
    digest_sections: tuple[tuple, ...] = ()  # (title, section[, command]), shown in this order
    join_hooks: tuple[JoinHook, ...] = ()
    exporters: tuple[Exporter, ...] = ()
    todos: tuple[TodoSource, ...] = ()  # what a member has to do now, in this order (a not-understood message lists them)
    chat: ChatSide | None = None

    def with_chat(self, chat: ChatSide) -> Feature:
        return replace(self, chat=chat)


@dataclass(frozen=True, eq=False)
class Registry:
    """Every listed feature's parts, merged in list order; a name declared twice is a wiring mistake."""

    features: tuple[Feature, ...] = ()
    ticks: tuple[Tick, ...] = ()
    relevance: Mapping[str, Relevance] = field(default_factory=dict)
    review_kinds: Mapping[str, ReviewKind] = field(default_factory=dict)
    digest_sections: tuple[tuple, ...] = ()
    join_hooks: tuple[JoinHook, ...] = ()
    exporters: Mapping[str, Exporter] = field(default_factory=dict)
    forms: Mapping[str, Form] = field(default_factory=dict)
    phrases: Mapping[str, Phrase] = field(default_factory=dict)  # by each of its words
    todos: tuple[TodoSource, ...] = ()

    @classmethod
    def from_features(cls, features: Iterable[Feature]) -> Registry:
        features = tuple(features)
        _unique("feature", [f.name for f in features])
        relevance = _merge("relevance check for outbox kind", [f.relevance.items() for f in features])
        review_kinds = _merge("review kind", [((k.kind, k) for k in f.review_kinds) for f in features])
        exporters = _merge("exporter", [((e.name, e) for e in f.exporters) for f in features])
        forms = _merge("form", [((form.kind, form) for form in f.chat.forms) for f in features if f.chat])
        phrases = _merge("phrase", [((word, phrase) for phrase in f.chat.phrases for word in phrase.words)
                                    for f in features if f.chat])
        return cls(
            features=features,
            ticks=tuple(tick for f in features for tick in f.ticks),
            relevance=relevance,
            review_kinds=review_kinds,
            digest_sections=tuple(section for f in features for section in f.digest_sections),
            join_hooks=tuple(hook for f in features for hook in f.join_hooks),
            exporters=exporters,
            forms=forms,
            phrases=phrases,
            todos=tuple(source for f in features for source in f.todos),
        )


def _unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{what} {name!r} is declared twice")
        seen.add(name)


def _merge(what: str, parts: Iterable[Iterable[tuple[str, Any]]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part:
            if key in merged:
                raise ValueError(f"{what} {key!r} is declared twice")
            merged[key] = value
    return merged
