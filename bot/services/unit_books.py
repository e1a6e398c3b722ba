"""/export by an officer (or an inspector): a unit's registers across its branches in one Excel (the exporters are in
bot/exports/unit.py, found in `svc.features.unit_exporters`).

Every call re-checks that the unit is in the officer's subtree."""

from __future__ import annotations

from bot.documents import ExportFile
from bot.errors import UserError
from bot.features import UnitExporter
from bot.services import Services, inspectors, membership


def unit_exporters(svc: Services) -> list[UnitExporter]:
    return list(svc.features.unit_exporters.values())


async def for_officer(svc: Services, telegram_id: int, name: str, text: str, unit_id: int | None = None) -> ExportFile:
    """/export by an officer or inspector: their own unit (or a unit of their subtree by id), refused otherwise."""
    scope = await inspectors.read_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    exporter = svc.features.unit_exporters.get(name)
    if exporter is None:
        raise UserError("filing/unit_export_usage.j2", exporters=unit_exporters(svc))
    unit = await inspectors.readable_unit(svc, telegram_id, unit_id if unit_id is not None else scope[0], "export")
    try:
        period = exporter.parse(text)
    except ValueError as exc:
        raise UserError("export/bad_period.j2", reason=str(exc), exporter=exporter) from None
    return await exporter.export(svc, unit.id, period, text.strip())


async def exports_for_unit(svc: Services, telegram_id: int) -> bool:
    """/export means the unit's registers for an officer who is not on a branch committee (a secretary who is also
    an officer keeps their branch's books)."""
    member = await membership.member_of(svc, telegram_id)
    if member is not None and member.is_active and member.is_committee:
        return False
    return await inspectors.may_read(svc, telegram_id)
