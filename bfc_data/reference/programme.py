"""The programme's timeline and money, from the editable `reference/programme.toml`."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pandas as pd

from bfc_data.reference.framework import REFERENCE_DIR, ReferenceError


def _load(path: Path | None = None) -> dict:
    path = path or Path(os.environ.get("BFC_REFERENCE") or REFERENCE_DIR) / "programme.toml"
    if not path.exists():
        path = REFERENCE_DIR / "programme.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ReferenceError(f"{path}: {error}") from None


def source(path: Path | None = None) -> str:
    return _load(path).get("source", {}).get("document", "")


def timeline(today: dt.date | None = None, path: Path | None = None) -> pd.DataFrame:
    """Milestones in date order, each 'done' or 'due' as of today."""
    today = today or dt.date.today()
    rows = [{"milestone": m["name"], "date": dt.date.fromisoformat(str(m["date"]))} for m in _load(path).get("milestones", [])]
    frame = pd.DataFrame(rows, columns=["milestone", "date"]).sort_values("date", kind="stable").reset_index(drop=True)
    frame["status"] = ["done" if d <= today else "due" for d in frame["date"]]
    return frame


def money(path: Path | None = None) -> pd.DataFrame:
    return pd.DataFrame(_load(path).get("money", []), columns=["item", "amount", "where"])


def discrepancies(path: Path | None = None) -> pd.DataFrame:
    """Figures the source states in two ways: flagged, never silently picked."""
    return pd.DataFrame(_load(path).get("discrepancies", []), columns=["item", "stated", "where", "against", "note"])
