"""What a feature adds to zhibu, declared as one value, and the registry the running code consults.

A feature module ends with `FEATURE = Feature(...)`: its ticks (in the order they run), relevance checks
(outbox kind → check), review kinds, draft kinds, digest sections, join hooks, exporters (a branch's books, a
unit's registers) and the files filed records go up with. Its chat side (Telegram handlers and form steps) is
declared in handlers/ and attached there (`Feature.with_chat`), so no Telegram type is imported below bot/. Nothing
registers itself on import: bot/catalog.py lists the features in order, and `Registry.from_features` turns that
list into the lookups; `svc.features` carries it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.documents import ExportFile
from bot.engine_types import Relevance, Tick

if TYPE_CHECKING:
    from bot.services import Services
    from bot.services.drafts import DraftKind
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
DigestSection = tuple[str, Section] | tuple[str, Section, str | None]
# The same for many branches at once: branch id → its lines (a branch left out has nothing to say).
ManySection = Callable[["Services", "Sequence[Any]", datetime], Awaitable["Mapping[int, list[str] | DigestLines]"]]


@dataclass(frozen=True)
class ForBranches:
    """A digest section that reads many branches in one go (`many`): the county-wide digest pass asks it once for a
    batch of branches instead of once a branch. Called with one branch it is an ordinary section."""

    many: ManySection

    async def __call__(self, svc: Services, branch: Any, now: datetime) -> list[str] | DigestLines:
        return (await self.many(svc, [branch], now)).get(branch.id, [])


# A to-do source: what the member has to do now, each as the button that does it (none: nothing to do here).
TodoSource = Callable[["Services", Any, datetime], Awaitable[list[Any]]]
# Catches a member up on what is already under way when they join or can be reached again; runs in that
# change's transaction (services, connection, member, now) and must be idempotent.
JoinHook = Callable[["Services", Any, Any, datetime], Awaitable[None]]
# The file a record filed with the unit above (备案) goes up with, by filing kind: (file name, bytes) from the
# filing (bot.domain.filing.Filing), or None when its record is gone. Filing finds them here, as /export finds
# exporters, so the filing service never reaches up to the books.
FilingFile = Callable[["Services", Any], Awaitable[tuple[str, bytes] | None]]


@dataclass(frozen=True)
class Exporter:
    """A branch's record book (bot/exports): `parse(text)` reads the period ("2026", "2026Q4") or raises ValueError
    with a Chinese message; `build(svc, branch_id, period)` makes the file from the database."""

    name: str  # the word after /export: attendance, minutes, evaluation
    label: str  # 考勤登记表 …
    arg_help: str  # e.g. "年份，如 2026"
    parse: Callable[[str], Any]
    build: Callable[[Services, int, Any], Awaitable[ExportFile]]
    # Files with members' private writing (self-evaluations) go to the secretary and deputy only, not to
    # every committee member.
    approvers_only: bool = False
    aliases: tuple[str, ...] = ()  # Chinese names accepted after /export: 考勤, 会议记录 …
    by_quarter: bool = False  # the period buttons offer quarters too (the minutes book)

    def answers_to(self, word: str) -> bool:
        """/export 考勤 or /export attendance: the typed name, or one of its Chinese names."""
        return word.strip().lower() == self.name or word.strip() in (self.label, *self.aliases)


@dataclass(frozen=True)
class UnitExporter:
    """A unit's register over the branches of its subtree (bot/exports/unit.py): `headers` are the columns of each
    sheet after 党支部 (bot.documents.sheets.Column), `rows(svc, branch, period)` one branch's rows by sheet, `build`
    makes the whole file."""

    name: str
    label: str
    arg_help: str
    parse: Callable[[str], Any]
    headers: Mapping[str, Sequence[Any]]
    rows: Callable[[Services, Any, Any], Awaitable[dict[str, list[list]]]]
    build: Callable[[Services, UnitExporter, int, Any, str], Awaitable[ExportFile]]

    async def export(self, svc: Services, unit_id: int, period: Any, code: str) -> ExportFile:
        return await self.build(svc, self, unit_id, period, code)


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
    drafts: tuple[DraftKind, ...] = ()  # what people draft before handing in (each has a review kind of its name)
    # (name, section[, command]), shown in this order, each under its title (templates/digest/digest.j2); the command
    # (bot.callbacks.commands) is what the section's button under the digest opens
    digest_sections: tuple[DigestSection, ...] = ()
    join_hooks: tuple[JoinHook, ...] = ()
    exporters: tuple[Exporter, ...] = ()
    filing_files: Mapping[str, FilingFile] = field(default_factory=dict)
    unit_exporters: tuple[UnitExporter, ...] = ()
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
    drafts: Mapping[str, DraftKind] = field(default_factory=dict)
    digest_sections: tuple[DigestSection, ...] = ()
    join_hooks: tuple[JoinHook, ...] = ()
    exporters: Mapping[str, Exporter] = field(default_factory=dict)
    filing_files: Mapping[str, FilingFile] = field(default_factory=dict)
    unit_exporters: Mapping[str, UnitExporter] = field(default_factory=dict)
    forms: Mapping[str, Form] = field(default_factory=dict)
    phrases: Mapping[str, Phrase] = field(default_factory=dict)  # by each of its words
    todos: tuple[TodoSource, ...] = ()

    @classmethod
    def from_features(cls, features: Iterable[Feature]) -> Registry:
        features = tuple(features)
        _unique("feature", [f.name for f in features])
        relevance = _merge("relevance check for outbox kind", [f.relevance.items() for f in features])
        review_kinds = _merge("review kind", [((k.kind, k) for k in f.review_kinds) for f in features])
        drafts = _merge("draft kind", [((d.kind, d) for d in f.drafts) for f in features])
        exporters = _merge("exporter", [((e.name, e) for e in f.exporters) for f in features])
        filing_files = _merge("filing file for kind", [f.filing_files.items() for f in features])
        unit_exporters = _merge("unit exporter", [((e.name, e) for e in f.unit_exporters) for f in features])
        forms = _merge("form", [((form.kind, form) for form in f.chat.forms) for f in features if f.chat])
        phrases = _merge("phrase", [((word, phrase) for phrase in f.chat.phrases for word in phrase.words)
                                    for f in features if f.chat])
        return cls(
            features=features,
            ticks=tuple(tick for f in features for tick in f.ticks),
            relevance=relevance,
            review_kinds=review_kinds,
            drafts=drafts,
            digest_sections=tuple(section for f in features for section in f.digest_sections),
            join_hooks=tuple(hook for f in features for hook in f.join_hooks),
            exporters=exporters,
            filing_files=filing_files,
            unit_exporters=unit_exporters,
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
