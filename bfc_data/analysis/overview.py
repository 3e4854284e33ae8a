"""The headline figures of the landing page, over the current returns."""

from __future__ import annotations

from dataclasses import dataclass

from bfc_data.analysis.maturity import mean_level_by
from bfc_data.intake.values import year_label
from bfc_data.store import RETURNED, Store
from bfc_data.store.measures import own_means


@dataclass(frozen=True)
class Headline:
    reporting_year: int
    organisations: int
    organisations_change: int | None
    mean_level: float
    scale_span: str  # '1–4', from the reference scale
    mean_level_change: float | None  # progress: mean change of organisations that returned in both years
    organisations_compared: int
    sectors: int
    returns_all_years: int

    @property
    def summary(self) -> str:
        said = (f"In {year_label(self.reporting_year)}, {self.organisations} organisations in {self.sectors} sectors "
                f"returned; their mean maturity level was {self.mean_level:.2f} on the {self.scale_span} scale.")
        if self.mean_level_change is not None:
            direction = "rose" if self.mean_level_change > 0 else "fell" if self.mean_level_change < 0 else "held steady"
            said += (f" The {self.organisations_compared} organisations that also returned in {year_label(self.reporting_year - 1)} "
                     f"{direction} by {abs(self.mean_level_change):.2f} on average.")
        return said


def progress(store: Store, from_year: int, to_year: int) -> tuple[float | None, int]:
    """Mean change in organisations' own mean level between two years, over those that returned in both."""
    row = store.row(f"""
        WITH organisation_means AS ({own_means(["reporting_year"], "reporting_year IN (?, ?)", name="level")})
        SELECT avg(b.level - a.level), count(*)
        FROM organisation_means a JOIN organisation_means b USING (organisation_code)
        WHERE a.reporting_year = ? AND b.reporting_year = ?""", [from_year, to_year, from_year, to_year])
    return (None if row[0] is None else round(row[0], 2)), row[1]


def headline(store: Store, year: int | None = None) -> Headline | None:
    by_year = mean_level_by(store, "reporting_year")
    if by_year.empty:
        return None
    by_year = by_year.set_index("reporting_year")
    year = int(by_year.index.max()) if year is None else year
    if year not in by_year.index:
        return None
    previous = by_year.loc[year - 1] if (year - 1) in by_year.index else None
    change, compared = progress(store, year - 1, year) if previous is not None else (None, 0)
    sectors = store.scalar("SELECT count(DISTINCT sector) FROM current_maturity_submissions WHERE reporting_year = ?", [year])
    returns = store.scalar(f"SELECT count(*) FROM {RETURNED}")  # noqa: S608 - fixed SQL
    organisations = int(by_year.loc[year, "organisations"])
    return Headline(year, organisations,
                    None if previous is None else organisations - int(previous["organisations"]),
                    float(by_year.loc[year, "mean_level"]), store.fw.scale_span, change, compared, int(sectors), int(returns))
