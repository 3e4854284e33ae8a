"""Who has returned for a reporting year, who has not, and whom to chase: organisation-level, for officers."""

from __future__ import annotations

import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.store import RETURNED, Store


def status(store: Store, viewer: Viewer | str, year: int) -> pd.DataFrame:
    """Every organisation in the register: whether it has a current return for `year`, and when it last returned."""
    require_officer(viewer, "see which organisations have returned")
    return store.query(f"""
        WITH returned AS (SELECT organisation_code FROM {RETURNED} WHERE reporting_year = ?),
             last AS (SELECT organisation_code, max(reporting_year) AS last_returned, count(*) AS years_returned
                      FROM {RETURNED} GROUP BY 1)
        SELECT o.organisation_code, o.organisation_name, o.sector,
               CASE WHEN r.organisation_code IS NULL THEN 'not yet returned' ELSE 'returned' END AS status,
               l.last_returned IS NOT NULL AS engaged,
               l.last_returned, l.years_returned, o.contact_name, o.contact_email
        FROM organisations o
        LEFT JOIN returned r USING (organisation_code)
        LEFT JOIN last l USING (organisation_code)
        ORDER BY o.sector, status, o.organisation_name""", [year])  # noqa: S608 - fixed SQL


def by_sector(frame: pd.DataFrame) -> pd.DataFrame:
    """Per sector: organisations in the register, how many returned, how many have not, and how many never have."""
    counts = frame.pivot_table(index="sector", columns="status", values="organisation_code", aggfunc="count", fill_value=0)
    counts = counts.reindex(columns=["returned", "not yet returned"], fill_value=0)
    counts["organisations"] = counts.sum(axis=1)
    counts["% returned"] = (100 * counts["returned"] / counts["organisations"]).round(0)
    counts["never returned"] = frame[~frame["engaged"].astype(bool)].groupby("sector").size().reindex(counts.index, fill_value=0)
    return counts.reset_index()[["sector", "organisations", "returned", "not yet returned", "never returned", "% returned"]]


def chase_list(frame: pd.DataFrame) -> pd.DataFrame:
    """Organisations not yet returned, with whom to contact, as officers send it round."""
    missing = frame[frame["status"] == "not yet returned"]
    missing = missing[["organisation_code", "organisation_name", "sector", "last_returned", "contact_name", "contact_email"]]
    # Organisations that have returned before come first; those never engaged after them.
    return missing.sort_values(["last_returned", "sector", "organisation_name"], ascending=[False, True, True],
                               na_position="last", kind="stable").reset_index(drop=True)
