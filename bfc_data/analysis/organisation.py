"""One organisation against its sector: organisation-level data, for officers only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.store import RETURNED, NotFound, Store
from bfc_data.store.measures import own_means


@dataclass
class Profile:
    """One organisation's levels by action against the rest of its sector in a year, and its own mean by year."""

    organisation_code: str
    name: str
    sector: str
    reporting_year: int
    by_action: pd.DataFrame  # action, organisation_level, sector_mean, sector_organisations, percent_of_sector_below
    history: pd.DataFrame  # year, organisation_level, sector_mean


def with_returns(store: Store, viewer: Viewer | str) -> pd.DataFrame:
    """Organisations with at least one current return, by name: the ones a profile can be drawn for."""
    require_officer(viewer, "see organisations")
    return store.query(f"""
        SELECT o.organisation_code, o.organisation_name FROM organisations o
        WHERE o.organisation_code IN (SELECT organisation_code FROM {RETURNED})
        ORDER BY o.organisation_name""")  # noqa: S608 - fixed SQL


def profile(store: Store, viewer: Viewer | str, code: str, year: int) -> Profile:
    require_officer(viewer, "see an organisation's self-assessment")
    details = store.row("SELECT organisation_name, sector FROM organisations WHERE organisation_code = ?", [code])
    if details is None:
        raise NotFound(f"there is no organisation {code}")
    name, sector = details
    name = name or code
    in_sector = ("reporting_year = ? AND sector = (SELECT sector FROM current_maturity_submissions "
                 "WHERE organisation_code = ? AND reporting_year = ?)")
    by_action = store.query(f"""
        WITH organisation_means AS ({own_means(["action"], in_sector, {"action_number": "action_number"}, name="level")})
        SELECT action, any_value(action_number) AS n,
               round(avg(level) FILTER (WHERE organisation_code = ?), 2) AS organisation_level,
               round(avg(level) FILTER (WHERE organisation_code <> ?), 2) AS sector_mean,
               count(*) FILTER (WHERE organisation_code <> ?) AS sector_organisations,
               round(100.0 * count(*) FILTER (WHERE organisation_code <> ? AND level < (
                   SELECT level FROM organisation_means o WHERE o.organisation_code = ? AND o.action = m.action))
                   / nullif(count(*) FILTER (WHERE organisation_code <> ?), 0)) AS percent_of_sector_below
        FROM organisation_means m GROUP BY action ORDER BY n""", [year, code, year] + [code] * 6)
    by_action = by_action[by_action["organisation_level"].notna()].drop(columns="n").reset_index(drop=True)
    history = store.query(f"""
        WITH m AS ({own_means(["reporting_year", "sector"], name="level")})
        SELECT reporting_year, round(avg(level) FILTER (WHERE organisation_code = ?), 2) AS organisation_level,
               round(avg(level) FILTER (WHERE organisation_code <> ? AND sector = ?), 2) AS sector_mean
        FROM m GROUP BY 1 HAVING count(*) FILTER (WHERE organisation_code = ?) > 0 ORDER BY 1""", [code, code, sector, code])
    return Profile(code, name, sector, year, by_action, history)
