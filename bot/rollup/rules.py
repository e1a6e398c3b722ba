"""The roll-up's pure rules: a county's figures from its branches' (the county officers' own figures), counties
worst first, and a county's row of the county × month heat map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.overview import BranchFigures


@dataclass(frozen=True)
class CountyFigures:
    index: int  # the county's place in the deployment's list (what buttons carry)
    name: str
    title: str
    branches: int
    alerts: int  # silent or about to miss a cadence: what the county's weekly digest names
    silent: int
    missed: int  # branches with a cadence already missed
    overdue: int  # minutes overdue
    tasks_late: int = 0  # branches owing a task past its deadline (one per branch and task)

    @property
    def alert_share(self) -> float:
        return self.alerts / self.branches if self.branches else 0.0

    @property
    def level(self) -> str:
        """alert (a tenth of branches or more wanting), minor (any), or ok."""
        if self.alert_share >= 0.1 or self.missed and self.missed / self.branches >= 0.1:
            return "alert"
        return "minor" if self.alerts or self.missed or self.overdue else "ok"


def county_figures(index: int, name: str, title: str, figures: Sequence[BranchFigures],
                   tasks_late: int = 0) -> CountyFigures:
    return CountyFigures(index, name, title, len(figures), sum(f.alert for f in figures),
                         sum(f.silent for f in figures), sum(bool(f.missed) for f in figures),
                         sum(f.minutes_overdue for f in figures), tasks_late)


def worst_first(counties: Sequence[CountyFigures]) -> list[CountyFigures]:
    """By the share of branches in alert, then of branches with a missed cadence, then overdue minutes per branch:
    shares, so a big county is not worse for being big. Ties keep the configured order."""
    def key(c: CountyFigures) -> tuple[float, float, float, int]:
        per = max(c.branches, 1)
        return (-c.alert_share, -c.missed / per, -c.overdue / per, c.index)

    return sorted(counties, key=key)


def county_row(branch_rows: Sequence[Sequence[float | None]], months: int) -> list[float | None]:
    """A county's month by month share of requirements met: the mean of its branches' shares where a branch had
    something to judge that month; None (grey) when none had."""
    row: list[float | None] = []
    for month in range(months):
        judged = [r[month] for r in branch_rows if r[month] is not None]
        row.append(sum(judged) / len(judged) if judged else None)  # type: ignore[arg-type]
    return row
