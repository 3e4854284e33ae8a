"""The history of returns and the load register, as officers read them (organisation-level)."""

from __future__ import annotations

import json

import pandas as pd

from bfc_data.access import Viewer, require_officer
from bfc_data.intake.values import london_time, year_label
from bfc_data.store import Store


def organisation_choices(store: Store, viewer: Viewer | str) -> dict[str, str]:
    require_officer(viewer, "see organisations")
    frame = store.query("SELECT organisation_code, coalesce(organisation_name, organisation_code) AS name "
                        "FROM organisations ORDER BY name")
    return dict(zip(frame["organisation_code"], frame["name"]))


def year_choices(store: Store) -> list[int]:
    return [int(y) for y in store.query("SELECT DISTINCT reporting_year FROM submissions WHERE reporting_year IS NOT NULL "
                                        "ORDER BY 1 DESC")["reporting_year"]]


def submissions_table(store: Store, viewer: Viewer | str, organisation_code: str | None = None,
                      year: int | None = None) -> pd.DataFrame:
    frame = store.history(viewer, organisation_code, year)
    return pd.DataFrame({
        "Return": frame["submission_id"].astype(int),
        "Organisation code": frame["organisation_code"].fillna(""),
        "Organisation": frame["organisation_name"].fillna(""),
        "Reporting year": frame["reporting_year"].map(lambda y: "" if pd.isna(y) else year_label(int(y))),
        "Kind": frame["file_kind"], "File": frame["file_name"], "Loaded by": frame["loaded_by"],
        "Loaded (London time)": frame["loaded_at"].map(lambda t: f"{london_time(t.to_pydatetime()):%d %b %Y %H:%M}"),
        "Rows": frame["rows"].astype(int), "Status": frame["status"], "Fingerprint": frame["fingerprint"].str[:12],
    })


# A picker of more returns than this is slow to send and no help to search: narrow the list by organisation or year.
PICKER_LIMIT = 500


def descriptions(table: pd.DataFrame, limit: int | None = None) -> dict[int, str]:
    """The first `limit` returns of the table (newest first; `PICKER_LIMIT` unless given) in words, for a picker:
    `Return: who, file, loaded when (status)`."""
    table = table.head(PICKER_LIMIT if limit is None else limit)
    who = (table["Organisation"] + " " + table["Reporting year"]).str.strip()
    who = who.where(who != "", table["Kind"])
    said = (table["Return"].astype(str) + ": " + who + ", " + table["File"].fillna("") + ", loaded " + table["Loaded (London time)"]
            + " (" + table["Status"] + ")")
    return dict(zip(table["Return"].tolist(), said.tolist()))


def load_register_table(store: Store, viewer: Viewer | str) -> pd.DataFrame:
    frame = store.load_register(viewer)
    if frame.empty:
        return pd.DataFrame(columns=["When (London time)", "Who", "What", "File", "Outcome", "Rows", "Errors", "Warnings", "Subject", "First messages"])
    return pd.DataFrame({
        "When (London time)": frame["happened_at"].map(lambda t: f"{london_time(t.to_pydatetime()):%d %b %Y %H:%M:%S}"),
        "Who": frame["done_by"], "What": frame["action"], "File": frame["file_name"].fillna(""),
        "Outcome": frame["outcome"], "Rows": frame["rows_loaded"], "Errors": frame["errors"], "Warnings": frame["warnings"],
        "Subject": frame["subject"].fillna(""),
        "First messages": frame["messages"].map(lambda m: " | ".join(json.loads(m)[:3]) if m else ""),
    }).iloc[::-1].reset_index(drop=True)
